//! The trends read per outcome: each outcome of the theory of change in force with its indicators
//! (the goals placed under it) and their status, and the told signs of change beside the counted
//! ones, the stories of the range, with a coordinator's mark on those usable in reports.

use leptos::prelude::*;
use spor_core::Language;
use spor_core::goal::Goal;
use spor_core::ids::OutcomeId;
use spor_core::story::Story;
use spor_core::theory::{self, Term, TheoryOfChange};
use spor_core::trends::Query;

use crate::components::goal_text::describe_goal;
use crate::components::outcome::{Done, Outcome, OutcomeMessage, act};
use crate::components::story_kinds::story_kind_name;
use crate::contexts::i18n_context::use_i18n;
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store::{self, StoreError};
use crate::trends::goals_section::GoalStatuses;

#[component]
pub fn StoriesSection(
    query: Memo<Option<Query>>,
    stories: LocalResource<Result<Vec<Story>, StoreError>>,
    theories: Vec<TheoryOfChange>,
    may_mark: Signal<bool>,
    goals: LocalResource<Result<Vec<Goal>, StoreError>>,
    statuses: Memo<GoalStatuses>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Outcome>);
    let mark = Callback::new(move |(story, usable): (Story, bool)| {
        act(outcome, async move {
            let marked = Story {
                usable_in_reports: usable,
                ..story
            };
            store::shared().await?.save_story(&marked).await?;
            stories.refetch();
            Ok(Done::new(if usable {
                TrendsKey::StoriesMarked
            } else {
                TrendsKey::StoriesUnmarked
            }))
        });
    });
    let groups = move || {
        let query = query.get()?;
        let language = i18n.language.get();
        let shown: Vec<Story> = stories
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|story| query.from <= story.date && story.date <= query.to)
            .filter(|story| query.activity.is_none_or(|wanted| wanted == story.activity))
            .collect();
        let indicators: Vec<Goal> = goals
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|goal| goal.outcome.is_some())
            .filter(|goal| query.activity.is_none_or(|wanted| wanted == goal.activity))
            .collect();
        if shown.is_empty() && indicators.is_empty() {
            return Some(view! { <p class="hint">{i18n.text(TrendsKey::StoriesNone)}</p> }.into_any());
        }
        // The outcomes to read by: the selected activity's theory in force at the range's end.
        // Each heading: the outcome's text in the theory's language, and its term in the app's.
        let outcomes: Vec<(Option<OutcomeId>, AnyView)> =
            theory::in_force(&theories, query.activity, query.to)
                .map(|theory| {
                    let written = theory.language.tag();
                    theory
                        .outcomes
                        .iter()
                        .map(|outcome| {
                            let term = i18n.t(match outcome.term {
                                Term::Short => Key::TheoryShortTerm,
                                Term::Long => Key::TheoryLongTerm,
                            });
                            let heading = view! {
                                <span lang=written>{outcome.text.clone()}</span>
                                {format!(" ({})", term.to_lowercase())}
                            };
                            (Some(outcome.id), heading.into_any())
                        })
                        .collect()
                })
                .unwrap_or_default();
        let known: Vec<Option<OutcomeId>> = outcomes.iter().map(|(id, _)| *id).collect();
        let rest = (None, i18n.text(TrendsKey::StoriesUntagged).into_any());
        let sections = outcomes
            .into_iter()
            .chain(std::iter::once(rest))
            .filter_map(|(id, heading)| {
                let within: Vec<Story> = shown
                    .iter()
                    .filter(|story| match id {
                        Some(_) => story.outcome == id,
                        None => !known.contains(&story.outcome),
                    })
                    .cloned()
                    .collect();
                let followed: Vec<(String, String)> = indicators
                    .iter()
                    .filter(|goal| id.is_some() && goal.outcome == id)
                    .map(|goal| {
                        let status = statuses.with(|statuses| statuses.text(goal, i18n, language));
                        (describe_goal(goal, i18n), status)
                    })
                    .collect();
                if within.is_empty() && followed.is_empty() {
                    return None;
                }
                let count = i18n.format(TrendsKey::StoriesCount, &[("count", &within.len().to_string())]);
                let followed = (!followed.is_empty()).then(|| {
                    view! {
                        <ul class="goal-list">
                            {followed
                                .into_iter()
                                .map(|(described, status)| view! { <li><div><strong>{described}</strong><p class="goal-status">{status}</p></div></li> })
                                .collect_view()}
                        </ul>
                    }
                });
                Some(view! {
                    <div class="story-group">
                        <h3>{heading}" "<span class="hint">{count}</span></h3>
                        {followed}
                        <StoryList stories=within language may_mark mark />
                    </div>
                })
            })
            .collect_view();
        Some(sections.into_any())
    };
    view! {
        <section class="card" aria-labelledby="stories-heading" data-testid="stories">
            <h2 id="stories-heading">{i18n.text(TrendsKey::StoriesTitle)}</h2>
            {groups}
            <OutcomeMessage outcome testid="stories-message" />
        </section>
    }
}

/// How many stories an outcome shows before "show all": a year holds hundreds.
const FIRST_SHOWN: usize = 5;

/// An outcome's stories, the newest first: the first few, and the rest on a tap.
#[component]
fn StoryList(
    mut stories: Vec<Story>,
    language: Language,
    may_mark: Signal<bool>,
    mark: Callback<(Story, bool)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let all = RwSignal::new(false);
    stories.sort_by_key(|story| std::cmp::Reverse((story.date, story.written_at)));
    let total = stories.len();
    let more = total > FIRST_SHOWN;
    let stories = StoredValue::new(stories);
    let items = move || {
        let shown = if all.get() { total } else { FIRST_SHOWN };
        stories.with_value(|stories| {
            stories
                .iter()
                .take(shown)
                .cloned()
                .map(|story| story_item(story, language, may_mark, mark))
                .collect_view()
        })
    };
    view! {
        <ul class="story-list">{items}</ul>
        <Show when=move || more && !all.get()>
            <button type="button" class="text-button" on:click=move |_| all.set(true)>
                {i18n.format(TrendsKey::StoriesShowAll, &[("count", &total.to_string())])}
            </button>
        </Show>
    }
}

fn story_item(
    story: Story,
    language: Language,
    may_mark: Signal<bool>,
    mark: Callback<(Story, bool)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = i18n.t(story_kind_name(story.kind));
    let said = format!("{} · {}", language.format_date(story.date), kind);
    let checkbox_id = format!("story-usable-{}", story.id);
    let usable = story.usable_in_reports;
    view! {
        <li>
            <p class="hint">{said}</p>
            <p class="story-text" lang=story.language.tag()>{story.text.clone()}</p>
            <Show when=move || may_mark.get()>
                <label class="choice" for=checkbox_id.clone()>
                    <input
                        id=checkbox_id.clone()
                        type="checkbox"
                        prop:checked=usable
                        on:change={
                            let story = story.clone();
                            move |event| mark.run((story.clone(), event_target_checked(&event)))
                        }
                    />
                    {i18n.text(TrendsKey::StoriesUsable)}
                </label>
            </Show>
        </li>
    }
}
