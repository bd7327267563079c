use std::time::Duration;

use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout_with_handle};
use leptos::prelude::*;

/// How long the button must be held: longer than any tap, short enough for a volunteer.
pub const HOLD: Duration = Duration::from_secs(2);

/// A button that acts only when held down (pointer, or Space/Enter on a keyboard) for [`HOLD`]: the
/// way a volunteer takes a handed-over phone back, which a participant tapping through a survey
/// does not do by chance. A tap shows `hint`.
#[component]
pub fn HoldButton(
    /// The button's text.
    label: String,
    /// Shown after a tap too short to count, and to screen readers as the button's description.
    hint: String,
    on_held: Callback<()>,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let holding = RwSignal::new(None::<TimeoutHandle>);
    let tapped = RwSignal::new(false);
    let start = move || {
        if holding.get_untracked().is_some() {
            return;
        }
        let fire = move || {
            holding.set(None);
            on_held.run(());
        };
        holding.set(set_timeout_with_handle(fire, HOLD).ok());
    };
    let stop = move || {
        if let Some(handle) = holding.get_untracked() {
            handle.clear();
            holding.set(None);
            tapped.set(true);
        }
    };
    let hint_id = format!("hold-hint-{test_id}");
    view! {
        <div class="hold">
            <button
                type="button"
                class="button secondary hold-button"
                class:holding=move || holding.get().is_some()
                aria-describedby=hint_id.clone()
                data-testid=test_id
                on:pointerdown=move |_| start()
                on:pointerup=move |_| stop()
                on:pointerleave=move |_| stop()
                on:pointercancel=move |_| stop()
                on:contextmenu=|event| event.prevent_default()
                on:keydown=move |event| {
                    if matches!(event.key().as_str(), " " | "Enter") {
                        event.prevent_default();
                        start();
                    }
                }
                on:keyup=move |event| {
                    if matches!(event.key().as_str(), " " | "Enter") {
                        stop();
                    }
                }
            >
                {label}
            </button>
            <p id=hint_id class="hint" class:visually-hidden=move || !tapped.get()>
                {hint}
            </p>
        </div>
    }
}
