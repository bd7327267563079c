//! The trends page's goals: per activity, what should be reached (a metric, at least or at most a
//! target, over a period, or followed without a target), each listed as met, not met, followed or
//! not enough data. A goal is an indicator: it may be placed under an outcome of the activity's
//! theory of change.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, Local, NaiveDate};
use leptos::prelude::*;
use spor_core::Language;
use spor_core::activity::Activity;
use spor_core::goal::{Comparison, Goal};
use spor_core::ids::{ActivityId, GoalId, OutcomeId};
use spor_core::organisation::ReportingSettings;
use spor_core::package;
use spor_core::theory::{self, TheoryOfChange};
use spor_core::trends::{Dataset, GoalStatus, SessionsAndStories, goal_status};

use crate::components::date_field::DateField;
use crate::components::goal_text::{METRICS, describe_goal, status_text};
use crate::components::outcome::{Done, Failure, Outcome, OutcomeMessage, act};
use crate::contexts::i18n_context::{I18n, use_i18n};
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store::{self, StoreError};

/// A number typed the Danish way ("12,5") or the English way ("12.5").
fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse()
        .ok()
        .filter(|value: &f64| value.is_finite())
}

#[component]
pub fn GoalsSection(
    activities: Vec<Activity>,
    activity: Signal<Option<ActivityId>>,
    /// The device's goals; refetched after each save or deletion.
    goals: LocalResource<Result<Vec<Goal>, StoreError>>,
    /// Each goal's status, computed once for the page (`GoalStatuses`).
    statuses: Memo<GoalStatuses>,
    theories: Arc<Vec<TheoryOfChange>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let today = Local::now().date_naive();
    let outcome = RwSignal::new(None::<Outcome>);
    let metric = RwSignal::new(0usize);
    let comparison = RwSignal::new(Comparison::AtLeast);
    let target = RwSignal::new(String::new());
    let from = RwSignal::new(today.with_ordinal(1).unwrap_or(today));
    let to = RwSignal::new(NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today));
    let under = RwSignal::new(None::<OutcomeId>);
    // The outcomes a goal can be placed under: the chosen activity's theory in force today.
    let outcome_choices = {
        let theories = theories.clone();
        Memo::new(move |_| {
            theory::in_force(&theories, activity.get(), today)
                .map(|theory| (theory.outcomes.clone(), theory.language))
                .unwrap_or_default()
        })
    };
    let outcome_text = {
        let theories = theories.clone();
        move |id: OutcomeId| {
            theories.iter().find_map(|theory| {
                let outcome = theory.outcomes.iter().find(|outcome| outcome.id == id)?;
                Some((outcome.text.clone(), theory.language))
            })
        }
    };
    // The standard a goal is a core indicator of, by the name it is known by.
    let core_of = {
        let theories = theories.clone();
        move |goal: &Goal| {
            package::followed(&theories, goal.activity, today)
                .filter(|standard| standard.is_core_indicator(goal.id, goal.activity))
                .map(|standard| standard.name.clone())
        }
    };
    let names = StoredValue::new(activities);
    let name_of = move |id: ActivityId| {
        names.with_value(|all| {
            all.iter()
                .find(|a| a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        })
    };

    let save = move |_| {
        let Some(activity) = activity.get_untracked() else {
            return;
        };
        // An empty target follows the figure without one; anything else must be a number.
        let typed = target.get_untracked();
        let target = match parse_number(&typed) {
            Some(number) => Some(number),
            None if typed.trim().is_empty() => None,
            None => {
                outcome.set(Some(Err(Failure::Other(Done::new(TrendsKey::GoalsBadNumber)))));
                return;
            }
        };
        let goal = Goal {
            id: GoalId::generate(),
            activity,
            metric: METRICS[metric.get_untracked().min(METRICS.len() - 1)].0,
            comparison: comparison.get_untracked(),
            target,
            from: from.get_untracked(),
            to: to.get_untracked(),
            outcome: under.get_untracked(),
        };
        if let Err(problems) = goal.validate() {
            outcome.set(Some(Err(Failure::Refused(problems))));
            return;
        }
        act(outcome, async move {
            store::shared().await?.save_goal(&goal).await?;
            goals.refetch();
            Ok(Done::new(Key::GoalsSaved))
        });
    };
    let delete = move |goal: Goal| {
        act(outcome, async move {
            store::shared().await?.delete_goal(&goal).await?;
            goals.refetch();
            Ok(Done::new(TrendsKey::GoalsDeleted))
        });
    };

    let listed = move || {
        let language = i18n.language.get();
        let selected = activity.get();
        let mut shown: Vec<Goal> = goals
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|goal| selected.is_none_or(|wanted| wanted == goal.activity))
            .collect();
        shown.sort_by_key(|goal| (name_of(goal.activity), goal.from));
        if shown.is_empty() {
            return view! { <p class="hint">{i18n.text(TrendsKey::GoalsNone)}</p> }.into_any();
        }
        view! {
            <ul class="goal-list" data-testid="goal-list">
                {shown
                    .into_iter()
                    .map(|goal| {
                        let described = describe_goal(&goal, i18n);
                        let status = statuses.with(|statuses| statuses.text(&goal, i18n, language));
                        let placed = goal.outcome.and_then(&outcome_text).map(|(text, written)| {
                            view! { <p class="hint">{i18n.text(TrendsKey::GoalsUnder)}" "<span lang=written.tag()>{text}</span></p> }
                        });
                        let period = format!("{} – {}", language.format_date(goal.from), language.format_date(goal.to));
                        let label = i18n.format(TrendsKey::GoalsDelete, &[("goal", &described)]);
                        let activity_name = selected.is_none().then(|| format!("{}: ", name_of(goal.activity)));
                        view! {
                            <li>
                                <div>
                                    <strong>{activity_name}{described}</strong>
                                    <span class="hint">" " {period}</span>
                                    {placed}
                                    <p class="goal-status">{status}</p>
                                </div>
                                {match core_of(&goal) {
                                    // The standard's indicators are the umbrella's: shown, locked.
                                    Some(standard) => view! {
                                        <span class="hint" data-testid="core-indicator">{i18n.format(TrendsKey::GoalsCore, &[("standard", &standard)])}</span>
                                    }
                                    .into_any(),
                                    None => view! {
                                        <button type="button" class="text-button" aria-label=label on:click=move |_| delete(goal.clone())>
                                            {i18n.text(TrendsKey::GoalsDeleteShort)}
                                        </button>
                                    }
                                    .into_any(),
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <section class="card goals" aria-labelledby="goals-heading">
            <h2 id="goals-heading">{i18n.text(TrendsKey::GoalsTitle)}</h2>
            <p class="hint">{i18n.text(TrendsKey::GoalsExplain)}</p>
            {listed}
            <Show
                when=move || activity.get().is_some()
                fallback=move || view! { <p class="hint">{i18n.text(TrendsKey::GoalsChooseActivity)}</p> }
            >
                <form class="goal-form" on:submit=|event| event.prevent_default()>
                    <div class="field">
                        <label for="goal-metric">{i18n.text(TrendsKey::GoalsMetric)}</label>
                        <select id="goal-metric" on:change=move |event| metric.set(event_target_value(&event).parse().unwrap_or(0))>
                            {METRICS
                                .iter()
                                .enumerate()
                                .map(|(index, (_, key))| {
                                    view! { <option value=index.to_string() selected=move || metric.get() == index>{i18n.text(*key)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="goal-comparison">{i18n.text(TrendsKey::GoalsComparison)}</label>
                        <select
                            id="goal-comparison"
                            on:change=move |event| {
                                comparison.set(if event_target_value(&event) == "at_most" { Comparison::AtMost } else { Comparison::AtLeast })
                            }
                        >
                            <option value="at_least" selected=move || comparison.get() == Comparison::AtLeast>{i18n.text(Key::GoalsAtLeast)}</option>
                            <option value="at_most" selected=move || comparison.get() == Comparison::AtMost>{i18n.text(Key::GoalsAtMost)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="goal-target">{i18n.text(TrendsKey::GoalsTarget)}</label>
                        <input
                            id="goal-target"
                            inputmode="decimal"
                            aria-describedby="goal-target-hint"
                            prop:value=move || target.get()
                            on:input=move |event| target.set(event_target_value(&event))
                        />
                        <p id="goal-target-hint" class="hint">{i18n.text(TrendsKey::GoalsTargetHint)}</p>
                    </div>
                    {move || {
                        let (choices, written) = outcome_choices.get();
                        (!choices.is_empty()).then(|| view! {
                            <div class="field">
                                <label for="goal-outcome">{i18n.text(TrendsKey::GoalsOutcome)}</label>
                                <select id="goal-outcome" on:change=move |event| under.set(event_target_value(&event).parse().ok().map(OutcomeId))>
                                    <option value="" selected=move || under.get().is_none()>{i18n.text(Key::StoryNoOutcome)}</option>
                                    {choices
                                        .into_iter()
                                        .map(|outcome| {
                                            let id = outcome.id;
                                            view! { <option value=id.to_string() lang=written.tag() selected=move || under.get() == Some(id)>{outcome.text}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        })
                    }}
                    <DateField id="goal-from" label=Key::TrendsFrom date=from />
                    <DateField id="goal-to" label=Key::TrendsTo date=to />
                    <button type="submit" class="button" on:click=save>{i18n.text(TrendsKey::GoalsAdd)}</button>
                </form>
            </Show>
            <OutcomeMessage outcome testid="goals-message" />
        </section>
    }
}

/// Each goal's status, computed once whenever the goals or the stories change: the goals list and
/// the per-outcome section both show them, and each is a pass over the year's records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalStatuses(Arc<HashMap<GoalId, GoalStatus>>);

impl GoalStatuses {
    pub fn compute(goals: &[Goal], dataset: &Dataset, beside: SessionsAndStories) -> GoalStatuses {
        let settings = ReportingSettings::default();
        GoalStatuses(Arc::new(
            goals
                .iter()
                .map(|goal| (goal.id, goal_status(goal, dataset, beside, settings)))
                .collect(),
        ))
    }

    /// "✓ Nået: 12,5", or the like, for `goal`.
    pub fn text(&self, goal: &Goal, i18n: I18n, language: Language) -> String {
        let status = self.0.get(&goal.id).copied().unwrap_or(GoalStatus::NotEnoughData);
        status_text(status, goal.metric, i18n, language)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn targets_are_read_with_a_decimal_comma_or_point() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("tolv"), None);
        assert_eq!(parse_number("NaN"), None);
    }
}
