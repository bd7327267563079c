//! Following a standard: a package file read whole (or refused whole, saying why), the activity
//! chosen, what the adoption or the update changes, and one tap that writes it all.

use std::sync::Arc;

use chrono::Local;
use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::ids::ActivityId;
use spor_core::package::{Adoption, CoreChange, Holdings, Package};
use spor_core::{Language, Texts};

use crate::components::activity_select::ActivitySelect;
use crate::components::goal_text::metric_name;
use crate::contexts::i18n_context::{store_error_in, use_i18n};
use crate::i18n::in_both;
use crate::standard::page::{PageState, SaidMessage, Stored, chosen_file_text};
use crate::standard::words::{Say, in_each_language};
use crate::store;

#[component]
pub fn AdoptSection(stored: Arc<Stored>, state: PageState, adopted: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let say = move |said: Say| move || said.text(i18n.language.get());
    let activity = RwSignal::new(None::<ActivityId>);
    let package = state.package;
    let choose = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let text = chosen_file_text(file).await;
            match Package::parse(&text) {
                Ok(read) => {
                    package.try_set(Some(read));
                    state.adopt_said.try_set(None);
                }
                Err(error) => {
                    package.try_set(None);
                    state
                        .adopt_said
                        .try_set(Some(Err(in_each_language(|language| error.message(language)))));
                }
            }
        });
    };
    let plan = {
        let stored = stored.clone();
        Memo::new(move |_| {
            let chosen = package.get()?;
            let activity = activity.get()?;
            let held = Holdings {
                theories: &stored.theories,
                goals: &stored.goals,
                surveys: &stored.surveys,
            };
            Some(
                Adoption::plan(&chosen, activity, Local::now().date_naive(), held)
                    .map_err(|error| in_each_language(|language| error.message(language))),
            )
        })
    };
    let names = StoredValue::new(stored.activities.clone());
    let activity_name = move |id: ActivityId| {
        names.with_value(|all| {
            all.iter()
                .find(|activity| activity.id == id)
                .map(|activity| activity.name.clone())
                .unwrap_or_default()
        })
    };
    let adopt = move |_| {
        let (Some(Ok(adoption)), Some(id)) = (plan.get_untracked(), activity.get_untracked()) else {
            return;
        };
        let name = activity_name(id);
        spawn_local(async move {
            let written = async { store::shared().await?.adopt_standard(&adoption).await }.await;
            let standard = adoption.theory.standard.as_ref();
            let said = match written {
                Ok(()) => Ok(in_both(
                    Say::Adopted,
                    &[
                        ("activity", &name),
                        ("name", standard.map_or("", |standard| &standard.name)),
                        (
                            "version",
                            &standard.map_or(0, |standard| standard.version).to_string(),
                        ),
                    ],
                )),
                Err(error) => Err(in_each_language(|language| store_error_in(&error, language))),
            };
            if said.is_ok() {
                package.try_set(None);
                adopted.run(());
            }
            state.adopt_said.try_set(Some(said));
        });
    };
    let summary = move || {
        package.with(|package| {
            package.as_ref().map(|package| {
                in_both(
                    Say::PackageSummary,
                    &[
                        ("name", &package.name),
                        ("version", &package.version.to_string()),
                        ("publisher", &package.publisher),
                        ("outcomes", &package.theory.outcomes.len().to_string()),
                        ("indicators", &package.indicators.len().to_string()),
                        ("surveys", &package.surveys.len().to_string()),
                    ],
                )
                .get(i18n.language.get())
                .to_owned()
            })
        })
    };
    let planned = move || {
        let language = i18n.language.get();
        match plan.get()? {
            Err(refused) => Some(
                view! { <p class="error" role="alert">{refused.get(language).to_owned()}</p> }.into_any(),
            ),
            Ok(adoption) => {
                let changes = adoption.from_version.map(|version| {
                    let items: Vec<String> = adoption.changes.iter().map(|change| change_text(change, language)).collect();
                    let empty = items.is_empty().then(|| Say::NoChanges.text(language));
                    view! {
                        <p>{in_both(Say::ChangesSince, &[("version", &version.to_string())]).get(language).to_owned()}</p>
                        <ul data-testid="standard-changes">{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                        <p class="hint">{empty}</p>
                    }
                });
                let button = match (adoption.from_version, adoption.theory.standard.as_ref()) {
                    (Some(_), Some(standard)) => {
                        in_both(Say::Update, &[("version", &standard.version.to_string())])
                    }
                    _ => in_both(Say::Adopt, &[]),
                };
                Some(view! {
                    {changes}
                    <button type="button" class="button" on:click=adopt>{button.get(language).to_owned()}</button>
                }.into_any())
            }
        }
    };
    view! {
        <section class="card stack" aria-labelledby="adopt-heading" data-testid="adopt-section">
            <h2 id="adopt-heading">{say(Say::AdoptHeading)}</h2>
            <p class="hint">{say(Say::AdoptExplain)}</p>
            <label class="button secondary file-button">
                {say(Say::ChoosePackage)}
                <input type="file" accept="application/json,.json" class="visually-hidden" on:change=choose />
            </label>
            <Show when=move || package.with(Option::is_some)>
                <p data-testid="package-summary">{summary}</p>
                <ActivitySelect id="adopt-activity" activities=Signal::stored(stored.activities.clone()) selected=activity />
                <p class="hint">{move || activity.get().is_none().then(say(Say::ChooseActivity))}</p>
                {planned}
            </Show>
            <SaidMessage said=state.adopt_said testid="adopt-message" />
        </section>
    }
}

fn change_text(change: &CoreChange, language: Language) -> String {
    let said: Texts = match change {
        CoreChange::OutcomeAdded { text } => in_both(Say::OutcomeAdded, &[("text", text)]),
        CoreChange::OutcomeReworded { from, to } => {
            in_both(Say::OutcomeReworded, &[("from", from), ("to", to)])
        }
        CoreChange::OutcomeRemoved { text } => in_both(Say::OutcomeRemoved, &[("text", text)]),
        CoreChange::IndicatorAdded { metric } => {
            in_both(Say::IndicatorAdded, &[("metric", metric_name(*metric, language))])
        }
        CoreChange::IndicatorChanged { metric } => in_both(
            Say::IndicatorChanged,
            &[("metric", metric_name(*metric, language))],
        ),
        CoreChange::IndicatorRemoved { metric } => in_both(
            Say::IndicatorRemoved,
            &[("metric", metric_name(*metric, language))],
        ),
        CoreChange::SurveyAdded { name } => in_both(Say::SurveyAdded, &[("name", name)]),
        CoreChange::SurveyRevised { name, version } => in_both(
            Say::SurveyRevised,
            &[("name", name), ("version", &version.to_string())],
        ),
        CoreChange::ReportChanged => in_both(Say::ReportChanged, &[]),
    };
    said.get(language).to_owned()
}
