//! Calls back after a stretch without a touch, a click or a key: the kiosk returns to its start
//! screen when a participant walks away mid-survey.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;

pub struct UseIdleTimeoutOptions {
    pub after: Duration,
    /// Only counts while this is true (e.g. while a survey is under way).
    pub active: Signal<bool>,
    pub on_idle: Callback<()>,
}

pub fn use_idle_timeout(options: UseIdleTimeoutOptions) {
    let UseIdleTimeoutOptions {
        after,
        active,
        on_idle,
    } = options;
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let restart = move || {
        if let Some(previous) = timer.try_update_value(Option::take).flatten() {
            previous.clear();
        }
        if active.get_untracked() {
            let handle = set_timeout_with_handle(move || on_idle.run(()), after).ok();
            timer.set_value(handle);
        }
    };
    Effect::new(move |_| {
        active.track();
        restart();
    });
    let touch = window_event_listener(ev::pointerdown, move |_| restart());
    let key = window_event_listener(ev::keydown, move |_| restart());
    on_cleanup(move || {
        touch.remove();
        key.remove();
        if let Some(previous) = timer.try_update_value(Option::take).flatten() {
            previous.clear();
        }
    });
}
