use std::time::Duration;

use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::today::register_context::use_register;

/// How long the latest check-in can be undone from the snackbar (any check-in can still be undone
/// from its row afterwards).
const UNDO_WINDOW: Duration = Duration::from_secs(6);

/// "Søren is checked in. Undo" after each check-in, for a few seconds.
#[component]
pub fn UndoSnackbar() -> impl IntoView {
    let i18n = use_i18n();
    let register = use_register();
    let undo = register.undo;
    Effect::new(move |_| {
        if let Some(serial) = undo.with(|offer| offer.as_ref().map(|offer| offer.serial)) {
            set_timeout(
                move || {
                    undo.try_update(|offer| {
                        if offer.as_ref().is_some_and(|offer| offer.serial == serial) {
                            *offer = None;
                        }
                    });
                },
                UNDO_WINDOW,
            );
        }
    });
    view! {
        <div class="snackbar-region" role="status" aria-live="polite">
            {move || {
                undo.get()
                    .map(|offer| {
                        let participant = offer.participant;
                        view! {
                            <div class="snackbar" data-testid="snackbar">
                                <span>{i18n.format(Key::TodaySnackbar, &[("name", &offer.name)])}</span>
                                <button
                                    type="button"
                                    class="text-button on-dark"
                                    on:click=move |_| register.withdraw(participant)
                                >
                                    {i18n.text(Key::TodayWithdraw)}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
