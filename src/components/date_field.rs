use chrono::NaiveDate;
use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// A labelled date input bound to `date`. A cleared or unreadable entry leaves the date as it was.
#[component]
pub fn DateField(id: &'static str, label: Key, date: RwSignal<NaiveDate>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{i18n.text(label)}</label>
            <input
                id=id
                type="date"
                prop:value=move || date.get().to_string()
                on:change=move |event| {
                    if let Ok(chosen) = event_target_value(&event).parse() {
                        date.set(chosen);
                    }
                }
            />
        </div>
    }
}
