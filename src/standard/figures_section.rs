//! The member's figures for the umbrella: the core indicators of an activity that follows a
//! standard, over a period, without personal data (spor-core's `Aggregate`): as a file, or, when
//! the umbrella is on the server this device is paired with, sent through it after a
//! coordinator's consent for exactly that period.

use std::sync::Arc;

use chrono::{Datelike, Local, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::aggregate::{Aggregate, AggregateQuery, Consent, Sending};
use spor_core::ids::ActivityId;
use spor_core::organisation::ReportingSettings;
use spor_core::package;
use spor_core::trends::SessionsAndStories;
use spor_core::validation::Problem;

use crate::components::date_field::DateField;
use crate::contexts::i18n_context::{sync_error_in, use_i18n};
use crate::download::offer_download;
use crate::i18n::{Key, fill, in_both};
use crate::standard::page::{PageState, SaidMessage, Stored, linked_client};
use crate::standard::words::{Say, in_each_language, refused};

#[component]
pub fn FiguresSection(stored: Arc<Stored>, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let say = move |said: Say| move || said.text(i18n.language.get());
    let today = Local::now().date_naive();
    let settings = ReportingSettings::default();
    // The activities that follow a standard today.
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
    // Consent is given for one period: other dates take it back.
    let consented = RwSignal::new(None::<(NaiveDate, NaiveDate)>);
    let consent_now = move || consented.get() == Some((from.get(), to.get()));
    let own_organisation = stored.link.as_ref().map(|link| link.organisation);
    let stored = StoredValue::new(stored);
    let standard_of = move |id: ActivityId| {
        stored.with_value(|stored| package::followed(&stored.theories, id, today).cloned())
    };

    // The figures for the chosen activity and period, as the file and the server carry them.
    let figures = move || {
        let id = activity.get_untracked()?;
        let standard = standard_of(id)?;
        let name = member.get_untracked();
        stored.with_value(|stored| {
            Some(Aggregate::compute(
                AggregateQuery {
                    standard: &standard,
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
            ))
        })
    };
    let refuse = move |problems: Vec<Problem>| state.figures_said.set(Some(Err(refused(problems))));
    let download = move |_| {
        let Some(aggregate) = figures() else { return };
        if let Err(problems) = aggregate.validate() {
            refuse(problems);
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
    };

    // The umbrella's organisation on this device's server, and its name, if it receives there.
    let inbox = move || {
        let standard = standard_of(activity.get()?)?;
        let inbox = standard.inbox?;
        (own_organisation.is_some_and(|own| own != inbox)).then_some((inbox, standard.publisher))
    };
    let send = move |_| {
        let (Some(aggregate), Some((to_umbrella, publisher)), Some(own)) =
            (figures(), inbox(), own_organisation)
        else {
            return;
        };
        let sending = Sending {
            to: to_umbrella,
            consent: Consent {
                from: aggregate.from,
                to: aggregate.to,
                given_at: chrono::Utc::now(),
            },
            aggregate,
        };
        // The server decides by the same rule; asked here first, the refusal is in the user's words.
        if let Err(problems) = sending.check(own) {
            refuse(problems);
            return;
        }
        spawn_local(async move {
            let Some((client, _)) = linked_client().await else {
                state
                    .figures_said
                    .try_set(Some(Err(in_both(Say::NotLinked, &[]))));
                return;
            };
            let said = match client.send_figures(&sending).await {
                // The period's dates in each language's own format.
                Ok(()) => Ok(in_each_language(|language| {
                    fill(
                        Say::FiguresSent.text(language),
                        &[
                            ("from", &language.format_date(sending.consent.from)),
                            ("to", &language.format_date(sending.consent.to)),
                            ("publisher", &publisher),
                        ],
                    )
                })),
                Err(error) => Err(in_each_language(|language| sync_error_in(&error, language))),
            };
            state.figures_said.try_set(Some(said));
        });
    };
    let consent_label = move || {
        let language = i18n.language.get();
        let publisher = inbox().map(|(_, publisher)| publisher).unwrap_or_default();
        in_both(
            Say::Consent,
            &[
                ("from", &language.format_date(from.get())),
                ("to", &language.format_date(to.get())),
                ("publisher", &publisher),
            ],
        )
        .get(language)
        .to_owned()
    };

    let listed = following
        .iter()
        .filter_map(|(id, name)| {
            let standard = standard_of(*id)?;
            Some(in_both(
                Say::Following,
                &[
                    ("activity", name),
                    ("name", &standard.name),
                    ("version", &standard.version.to_string()),
                    ("publisher", &standard.publisher),
                ],
            ))
        })
        .map(|texts| view! { <li>{move || texts.get(i18n.language.get()).to_owned()}</li> })
        .collect_view();
    let any = !following.is_empty();
    let options = following
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
        .collect_view();
    let explain = move || {
        let threshold = settings.suppression_threshold.to_string();
        in_both(Say::FiguresExplain, &[("threshold", &threshold)])
            .get(i18n.language.get())
            .to_owned()
    };
    view! {
        <section class="card stack" aria-labelledby="figures-heading" data-testid="figures-section">
            <h2 id="figures-heading">{say(Say::FiguresHeading)}</h2>
            <p class="hint">{explain}</p>
            <Show when=move || any fallback=move || view! { <p class="hint">{say(Say::NoStandard)}</p> }>
                <ul>{listed.clone()}</ul>
                <form class="stack" on:submit=|event| event.prevent_default()>
                    <div class="field">
                        <label for="figures-activity">{i18n.text(Key::TrendsActivity)}</label>
                        <select
                            id="figures-activity"
                            on:change=move |event| activity.set(event_target_value(&event).parse().ok().map(ActivityId))
                        >
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
                    <DateField id="figures-from" label=Key::TrendsFrom date=from />
                    <DateField id="figures-to" label=Key::TrendsTo date=to />
                    <button type="button" class="button" on:click=download>{say(Say::DownloadFigures)}</button>
                    <Show when=move || inbox().is_some()>
                        <label class="choice" for="figures-consent">
                            <input
                                id="figures-consent"
                                type="checkbox"
                                prop:checked=consent_now
                                on:change=move |event| {
                                    let given = event_target_checked(&event);
                                    consented.set(given.then(|| (from.get_untracked(), to.get_untracked())));
                                }
                            />
                            {consent_label}
                        </label>
                        <button type="button" class="button secondary" disabled=move || !consent_now() on:click=send>
                            {say(Say::SendFigures)}
                        </button>
                    </Show>
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
