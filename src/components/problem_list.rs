use leptos::prelude::*;
use spor_core::validation::Problem;

use crate::contexts::i18n_context::use_i18n;

/// What spor-core finds wrong with a form, one paragraph a problem, in the language on screen,
/// announced as an alert.
#[component]
pub fn ProblemList(
    problems: RwSignal<Vec<Problem>>,
    /// For a field's `aria-describedby`.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div id=id role="alert" class="error">
            {move || {
                let language = i18n.language.get();
                problems.with(|found| {
                    found.iter().map(|problem| view! { <p>{problem.message(language)}</p> }).collect_view()
                })
            }}
        </div>
    }
}
