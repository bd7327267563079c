use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_document_title::use_document_title;
use crate::i18n::Key;

/// Shown inside the frame for any path the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let pathname = use_location().pathname;
    use_document_title(move || i18n.t(Key::NotFoundTitle).to_owned());
    view! {
        <article class="page">
            <h1>{i18n.text(Key::NotFoundTitle)}</h1>
            <p>{move || i18n.format(Key::NotFoundBody, &[("path", &pathname.get())])}</p>
            <p>
                <A href="/">{i18n.text(Key::NotFoundHome)}</A>
            </p>
        </article>
    }
}
