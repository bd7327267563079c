use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_document_title::use_document_title;
use crate::i18n::Key;

/// Opens the browser's print dialog: the print styles make the page an A4 report (or a PDF).
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        // A browser without printing has nothing to show; the page stays as it is.
        let _ = window.print();
    }
}

/// A routed page: sets the document title and renders the heading, a one-line lead and the body.
#[component]
pub fn Page(title: Key, lead: Key, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let i18n = use_i18n();
    use_document_title(move || i18n.t(title).to_owned());
    view! {
        <article class="page">
            <h1>{i18n.text(title)}</h1>
            <p class="lead">{i18n.text(lead)}</p>
            {children.map(|children| children())}
        </article>
    }
}
