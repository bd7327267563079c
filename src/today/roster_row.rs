use leptos::prelude::*;
use spor_core::participant::Participant;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::today::register_context::use_register;

/// One person on the Today page: a tap checks them in; once in, a role chip and an undo button.
#[component]
pub fn RosterRow(participant: Participant) -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let id = participant.id;
    let name = participant.pseudonym;
    let checked_in = move || {
        register
            .register
            .with(|r| r.checked_in(id))
            .filter(|checked_in| !checked_in.withdrawn)
    };
    let is_in = move || checked_in().is_some();
    let actions = {
        let name = name.clone();
        move || {
            checked_in().map(|checked_in| {
                let language = i18n.language.get();
                let role = checked_in.role.label(language);
                let role_label = i18n.format(Key::TodayRoleLabel, &[("name", name.as_str()), ("role", role)]);
                let undo_label = i18n.format(Key::TodayWithdrawLabel, &[("name", name.as_str())]);
                view! {
                    <button
                        type="button"
                        class="role-chip"
                        data-role=checked_in.role.label(spor_core::Language::En)
                        aria-label=role_label
                        on:click=move |_| register.cycle_role(id)
                    >
                        {role}
                    </button>
                    <button
                        type="button"
                        class="text-button"
                        aria-label=undo_label
                        on:click=move |_| register.withdraw(id)
                    >
                        {i18n.text(Key::TodayWithdraw)}
                    </button>
                }
            })
        }
    };
    view! {
        <li class="roster-row" class:checked-in=is_in data-testid="roster-row">
            <button
                type="button"
                class="roster-name"
                aria-pressed=move || is_in().to_string()
                on:click=move |_| register.check_in(id)
            >
                <span class="check-mark" aria-hidden="true">
                    {move || if is_in() { "✓" } else { "" }}
                </span>
                <span class="name">{name}</span>
            </button>
            {actions}
        </li>
    }
}
