use leptos::prelude::*;

use crate::contexts::connectivity_context::use_connectivity;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// The header chip: online or offline, told by text and an icon shape, never by colour alone.
#[component]
pub fn StatusChip() -> impl IntoView {
    let i18n = use_i18n();
    let online = use_connectivity().online;
    view! {
        <p
            class="status-chip"
            class:offline=move || !online.get()
            role="status"
            aria-live="polite"
            data-testid="status-chip"
        >
            <span class="visually-hidden">{i18n.text(Key::StatusLabel)} ": "</span>
            <span class="status-icon" aria-hidden="true">
                {move || if online.get() { "●" } else { "○" }}
            </span>
            {move || i18n.t(if online.get() { Key::StatusOnline } else { Key::StatusOffline })}
        </p>
    }
}
