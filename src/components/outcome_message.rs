use leptos::prelude::*;

/// The outcome of the last action in a section, read out by screen readers: `(true, text)` when
/// it worked, `(false, text)` when it did not (shown as an error, never by colour alone: the text
/// says what happened).
#[component]
pub fn OutcomeMessage(
    #[prop(into)] message: Signal<Option<(bool, String)>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <p
            role="status"
            data-testid=testid
            class:error=move || message.with(|m| m.as_ref().is_some_and(|(ok, _)| !ok))
        >
            {move || message.get().map(|(_, text)| text)}
        </p>
    }
}
