use leptos::prelude::*;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Text;

/// A group of radio buttons under a legend, one per choice, bound to `selected`.
#[component]
pub fn RadioChoices<T, K>(
    /// The radio group's name, unique on the page.
    name: &'static str,
    legend: K,
    choices: Vec<(T, K)>,
    selected: RwSignal<T>,
    /// The fieldset's class ("choice-group" in a card, "granularity" in the trends filters).
    class: &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
    K: Text,
{
    let i18n = use_i18n();
    view! {
        <fieldset class=class>
            <legend>{i18n.text(legend)}</legend>
            {choices
                .into_iter()
                .map(|(choice, key)| {
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name=name
                                prop:checked=move || selected.get() == choice
                                on:change=move |_| selected.set(choice)
                            />
                            {i18n.text(key)}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
