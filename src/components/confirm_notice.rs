use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// Asks before something that cannot be undone (erase, remove a device, unpair): the question, a
/// button that does it, and Cancel. Shown while `open` is true; either button closes it.
#[component]
pub fn ConfirmNotice(
    open: RwSignal<bool>,
    question: String,
    yes: String,
    on_yes: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || open.get()>
            <div class="notice" role="alert">
                <p>{question.clone()}</p>
                <div class="button-row">
                    <button
                        type="button"
                        class="button danger"
                        on:click=move |_| {
                            open.set(false);
                            on_yes.run(());
                        }
                    >
                        {yes.clone()}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| open.set(false)>
                        {i18n.text(Key::CommonCancel)}
                    </button>
                </div>
            </div>
        </Show>
    }
}
