//! User-timing measures around the work a user waits for: visible in the browser's DevTools, and
//! read by `cargo xtask bench` (tests/e2e/bench). Measuring never changes what the app does.

use leptos::prelude::window;

/// The start of `measure`, to be ended by [`end`].
pub fn start(measure: &str) {
    if let Some(performance) = window().performance() {
        // A browser without user timing simply has no measure.
        let _ = performance.mark(&format!("{measure}:start"));
    }
}

/// Records `measure` from its [`start`] until now.
pub fn end(measure: &str) {
    if let Some(performance) = window().performance() {
        let _ = performance.measure_with_start_mark(measure, &format!("{measure}:start"));
    }
}

/// Runs `work` inside `measure`.
pub fn measured<T>(measure: &str, work: impl FnOnce() -> T) -> T {
    start(measure);
    let result = work();
    end(measure);
    result
}
