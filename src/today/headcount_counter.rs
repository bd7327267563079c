use leptos::prelude::*;
use spor_core::Role;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::today::register_context::use_register;

/// "- 3 +" for anonymous people in one role.
#[component]
pub fn HeadcountCounter(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let count = move || register.register.with(|r| r.anonymous().get(role));
    let label = move || role.label(i18n.language.get());
    view! {
        <div class="counter" data-testid="headcount" data-role=role.label(spor_core::Language::En)>
            <span class="counter-label">{label}</span>
            <button
                type="button"
                class="counter-button"
                aria-label=move || i18n.format(Key::TodayAnonymousRemove, &[("role", label())])
                disabled=move || count() == 0
                on:click=move |_| register.count(role, -1)
            >
                "−"
            </button>
            <output class="counter-value" aria-live="polite">
                {count}
            </output>
            <button
                type="button"
                class="counter-button"
                aria-label=move || i18n.format(Key::TodayAnonymousAdd, &[("role", label())])
                on:click=move |_| register.count(role, 1)
            >
                "+"
            </button>
        </div>
    }
}
