use leptos::prelude::*;

/// Keeps `document.title` at "`title` · Spor" while the calling component lives, so that the
/// browser tab, the history and screen readers name the page.
pub fn use_document_title(title: impl Fn() -> String + Send + Sync + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} · Spor", title())));
}
