//! A labelled choice of one activity, or all of them: the trends page's filter and the report's.

use leptos::prelude::*;
use spor_core::activity::Activity;
use spor_core::ids::ActivityId;

use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;

/// Archived activities are listed too: their past is still reported on.
#[component]
pub fn ActivitySelect(
    id: &'static str,
    #[prop(into)] activities: Signal<Vec<Activity>>,
    selected: RwSignal<Option<ActivityId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = move || {
        activities
            .get()
            .into_iter()
            .map(|choice| {
                let value = choice.id.to_string();
                view! { <option value=value selected=move || selected.get() == Some(choice.id)>{choice.name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{i18n.text(Key::TrendsActivity)}</label>
            <select id=id on:change=move |event| selected.set(event_target_value(&event).parse().ok().map(ActivityId))>
                <option value="" selected=move || selected.get().is_none()>
                    {i18n.text(Key::TrendsAllActivities)}
                </option>
                {options}
            </select>
        </div>
    }
}
