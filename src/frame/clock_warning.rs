use chrono::TimeDelta;
use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::i18n::Key;

/// On every page while this device's clock and the server's differ by more than a day: the app
/// dates check-ins by this device's clock, so the user should set it right where they work.
#[component]
pub fn ClockWarning() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_sync().clock_offset();
    let text = move || {
        offset.get().map(|offset| {
            // Whole days, rounded: the offset is measured over a network, to within seconds.
            let days = (offset.num_seconds().abs() + 43_200) / 86_400;
            let difference = if days <= 1 {
                i18n.t(Key::ClockOneDay).to_owned()
            } else {
                i18n.format(Key::ClockDays, &[("days", &days.to_string())])
            };
            // The offset is the server's clock minus this device's.
            let key = if offset > TimeDelta::zero() {
                Key::ClockBehind
            } else {
                Key::ClockAhead
            };
            i18n.format(key, &[("difference", &difference)])
        })
    };
    view! {
        <Show when=move || offset.with(Option::is_some)>
            <p class="notice page-notice" role="alert" data-testid="clock-warning">{text}</p>
        </Show>
    }
}
