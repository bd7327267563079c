//! The member's figures for the umbrella: the core indicators of an activity that follows a
//! standard, over a period, as a file without personal data (spor-core's `Aggregate`).

use std::sync::Arc;

use chrono::{Datelike, Local};
use leptos::prelude::*;
use spor_core::aggregate::{Aggregate, AggregateQuery};
use spor_core::ids::ActivityId;
use spor_core::organisation::ReportingSettings;
use spor_core::package;
use spor_core::trends::SessionsAndStories;

use crate::components::date_field::DateField;
use crate::contexts::i18n_context::use_i18n;
use crate::download::offer_download;
use crate::i18n::in_both;
use crate::standard::page::{PageState, SaidMessage, Stored};
use crate::standard::words::Say;

#[component]
pub fn FiguresSection(stored: Arc<Stored>, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let say = move |said: Say| move || said.text(i18n.language.get());
    let today = Local::now().date_naive();
    let settings = ReportingSettings::default();
    // The activities that follow a standard today, with the standard.
    let following: Vec<(ActivityId, String)> = stored
        .activities
        .iter()
        .filter(|activity| package::followed(&stored.theories, activity.id, today).is_some())
        .map(|activity| (activity.id, activity.name.clone()))
        .collect();
    let activity = RwSignal::new(following.first().map(|(id, _)| *id));
    let member = RwSignal::new(String::new());
    let from = RwSignal::new(today.with_ordinal(1).unwrap_or(today));
    let to = RwSignal::new(today);
    let following_text = {
        let stored = stored.clone();
        move |id: ActivityId, name: &str| {
            let standard = package::followed(&stored.theories, id, today)?;
            Some(in_both(
                Say::Following,
                &[
                    ("activity", name),
                    ("name", &standard.name),
                    ("version", &standard.version.to_string()),
                    ("publisher", &standard.publisher),
                ],
            ))
        }
    };
    let download = {
        let stored = stored.clone();
        move |_| {
            let Some(id) = activity.get_untracked() else {
                return;
            };
            let Some(standard) = package::followed(&stored.theories, id, today) else {
                return;
            };
            let name = member.get_untracked();
            let aggregate = Aggregate::compute(
                AggregateQuery {
                    standard,
                    activity: id,
                    member: &name,
                    from: from.get_untracked(),
                    to: to.get_untracked(),
                    settings,
                },
                &stored.dataset,
                SessionsAndStories {
                    session_logs: &stored.session_logs,
                    stories: &stored.stories,
                },
            );
            if let Err(problems) = aggregate.validate() {
                state
                    .figures_said
                    .set(Some(Err(crate::standard::words::failed(|language| {
                        problems
                            .iter()
                            .map(|problem| problem.message(language))
                            .collect::<Vec<_>>()
                            .join(" ")
                    }))));
                return;
            }
            let file = format!(
                "spor-tal-{}-{}-{}.json",
                file_name(&aggregate.member),
                aggregate.from,
                aggregate.to
            );
            let said = match offer_download(&file, &aggregate.to_file()) {
                Ok(()) => Ok(in_both(Say::FiguresSaved, &[("file", &file)])),
                Err(detail) => Err(in_both(Say::DownloadFailed, &[("detail", &detail)])),
            };
            state.figures_said.set(Some(said));
        }
    };
    let listed = following
        .iter()
        .filter_map(|(id, name)| following_text(*id, name))
        .map(|texts| view! { <li>{move || texts.get(i18n.language.get()).to_owned()}</li> })
        .collect_view();
    let any = !following.is_empty();
    let options = following
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
        .collect_view();
    view! {
        <section class="card stack" aria-labelledby="figures-heading" data-testid="figures-section">
            <h2 id="figures-heading">{say(Say::FiguresHeading)}</h2>
            <p class="hint">
                {move || in_both(Say::FiguresExplain, &[("threshold", &settings.suppression_threshold.to_string())]).get(i18n.language.get()).to_owned()}
            </p>
            <Show when=move || any fallback=move || view! { <p class="hint">{say(Say::NoStandard)}</p> }>
                <ul>{listed.clone()}</ul>
                <form class="stack" on:submit=|event| event.prevent_default()>
                    <div class="field">
                        <label for="figures-activity">{crate::i18n::Key::TrendsActivity.text(i18n.language.get())}</label>
                        <select id="figures-activity" on:change=move |event| activity.set(event_target_value(&event).parse().ok().map(ActivityId))>
                            {options.clone()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="figures-member">{say(Say::MemberName)}</label>
                        <input
                            id="figures-member"
                            type="text"
                            maxlength=spor_core::validation::limits::NAME
                            prop:value=move || member.get()
                            on:input=move |event| member.set(event_target_value(&event))
                        />
                    </div>
                    <DateField id="figures-from" label=crate::i18n::Key::TrendsFrom date=from />
                    <DateField id="figures-to" label=crate::i18n::Key::TrendsTo date=to />
                    <button type="button" class="button" on:click=download.clone()>{say(Say::DownloadFigures)}</button>
                </form>
            </Show>
            <SaidMessage said=state.figures_said testid="figures-message" />
        </section>
    }
}

/// A member's name as part of a file name: letters and digits, the rest as dashes.
pub fn file_name(name: &str) -> String {
    let kept: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    kept.split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
