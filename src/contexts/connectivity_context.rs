//! Whether the device has a network connection, as the browser sees it.

use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Connectivity {
    pub online: ReadSignal<bool>,
}

pub fn provide_connectivity() -> Connectivity {
    let (online, set_online) = signal(window().navigator().on_line());
    // The app root lives as long as the page, so these listeners are never removed.
    window_event_listener(ev::online, move |_| set_online.set(true));
    window_event_listener(ev::offline, move |_| set_online.set(false));
    let connectivity = Connectivity { online };
    provide_context(connectivity);
    connectivity
}

pub fn use_connectivity() -> Connectivity {
    expect_context::<Connectivity>()
}
