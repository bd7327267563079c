use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::{dismiss_wipe_notice, wiped_after_revocation};
use crate::i18n::Key;

/// After a revoked device deleted the organisation's records (at once, without a tap: the phone
/// may be lost), says why on every page until it is read.
#[component]
pub fn RevokedBanner() -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(wiped_after_revocation());
    view! {
        <Show when=move || shown.get()>
            <div class="notice page-notice" role="alert" data-testid="revoked-banner">
                <p>{i18n.text(Key::SyncWiped)}</p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        dismiss_wipe_notice();
                        shown.set(false);
                    }
                >
                    {i18n.text(Key::SyncWipedDismiss)}
                </button>
            </div>
        </Show>
    }
}
