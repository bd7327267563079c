//! I dag / Today: the one-tap register at today's activity, with or without signal.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::components::A;
use spor_core::activity::{Activity, Occurrence, SurveyPlan};
use spor_core::ids::ActivityId;
use spor_core::language::Texts;
use spor_core::participant::Participant;
use spor_core::register::Register;
use spor_core::validation::Problem;

use crate::components::outcome::{FailureMessage, StoreFailure};
use crate::components::page::Page;
use crate::contexts::i18n_context::use_i18n;
use crate::hooks::use_stored::{use_stored, use_stored_with};
use crate::i18n::Key;
use crate::store::{Store, StoreError};
use crate::today::headcount_counter::HeadcountCounter;
use crate::today::new_person_form::NewPersonForm;
use crate::today::occurrence_summary::OccurrenceSummary;
use crate::today::register_context::provide_register;
use crate::today::roster_row::RosterRow;
use crate::today::session_log_card::SessionLogCard;
use crate::today::story_card::StoryCard;
use crate::today::undo_snackbar::UndoSnackbar;

/// How many people the roster shows before "show more": search finds the rest, and a phone stays
/// quick with a roster of a thousand.
const ROWS_AT_A_TIME: usize = 50;

/// Remembers the activity last registered on this device.
const LAST_ACTIVITY_KEY: &str = "spor.today.activity";

#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let activities = use_stored(|store| async move { store.activities().await });
    view! {
        <Page title=Key::NavToday lead=Key::PageTodayLead>
            // The first screen shows a failed read itself rather than through an ErrorBoundary,
            // whose generic views would cost the volunteer's first download a few kilobytes.
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let all = match activities.await {
                        Ok(all) => all,
                        Err(error) => return view! { <StoreFailure error /> }.into_any(),
                    };
                    let open: Vec<Activity> = all.into_iter().filter(|a| !a.archived).collect();
                    if open.is_empty() {
                        view! {
                            <div class="card empty-state">
                                <p>{i18n.text(Key::TodayNoActivities)}</p>
                                <A href="/activities" attr:class="button">
                                    {i18n.text(Key::TodayCreateActivity)}
                                </A>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! { <TodayRegister activities=open /> }.into_any()
                    }
                })}
            </Transition>
        </Page>
    }
}

/// The activity scheduled today, else the one last used on this device, else the first.
fn default_activity(activities: &[Activity], today: NaiveDate) -> ActivityId {
    let remembered = LocalStorage::get::<String>(LAST_ACTIVITY_KEY).ok();
    activities
        .iter()
        .find(|a| a.is_scheduled_on(today))
        .or_else(|| {
            activities
                .iter()
                .find(|a| remembered.as_deref() == Some(&a.id.to_string()))
        })
        .or(activities.first())
        .map(|a| a.id)
        .expect("TodayRegister is only shown with at least one activity")
}

#[component]
fn TodayRegister(activities: Vec<Activity>) -> impl IntoView {
    let i18n = use_i18n();
    let today = chrono::Local::now().date_naive();
    let selected = RwSignal::new(default_activity(&activities, today));
    let date = RwSignal::new(today);
    let date_problem = RwSignal::new(None::<Problem>);
    let activities = StoredValue::new(activities);
    let activity = Signal::derive(move || {
        let id = selected.get();
        activities.with_value(|all| {
            all.iter()
                .find(|a| a.id == id)
                .cloned()
                .unwrap_or_else(|| all[0].clone())
        })
    });
    let occurrence = Signal::derive(move || Occurrence {
        activity: selected.get(),
        date: date.get(),
    });
    let loaded = use_stored_with(
        move || occurrence.get(),
        |store, occurrence| async move { Ok((store.register(occurrence).await?, store.participants().await?)) },
    );

    view! {
        <div class="register-controls card">
            <div class="field">
                <label for="today-activity">{i18n.text(Key::TodayActivity)}</label>
                <select
                    id="today-activity"
                    name="activity"
                    on:change=move |event| {
                        if let Some(found) = activities
                            .with_value(|all| all.iter().find(|a| a.id.to_string() == event_target_value(&event)).map(|a| a.id))
                        {
                            // Private browsing may refuse storage: the choice then lasts for this visit.
                            let _ = LocalStorage::set(LAST_ACTIVITY_KEY, found.to_string());
                            selected.set(found);
                        }
                    }
                >
                    {activities
                        .get_value()
                        .into_iter()
                        .map(|a| {
                            let id = a.id;
                            view! {
                                <option value=id.to_string() selected=move || selected.get() == id>
                                    {a.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="today-date">{i18n.text(Key::TodayDate)}</label>
                <input
                    id="today-date"
                    type="date"
                    name="date"
                    max=today.to_string()
                    prop:value=move || date.get().to_string()
                    on:change=move |event| {
                        let Ok(chosen) = event_target_value(&event).parse::<NaiveDate>() else { return };
                        // Registration may be late, never ahead: the register's own rule is stricter
                        // than spor-core's "not after tomorrow", because the volunteer is here today.
                        if chosen > today {
                            date_problem.set(Some(Problem::FutureDate { date: chosen, latest: today }));
                            // The date stays as it was: show that in the field too.
                            event_target::<web_sys::HtmlInputElement>(&event).set_value(&date.get_untracked().to_string());
                            return;
                        }
                        date_problem.set(None);
                        date.set(chosen);
                    }
                />
            </div>
            <p class="error" role="alert">
                {move || date_problem.get().map(|problem| problem.message(i18n.language.get()))}
            </p>
            <p class="weekday">{move || i18n.language.get().weekday(date.get().weekday())}</p>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((register, people)) => view! { <OccurrenceView activity occurrence register people /> }.into_any(),
                    Err(error) => view! { <StoreFailure error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OccurrenceView(
    activity: Signal<Activity>,
    occurrence: Signal<Occurrence>,
    register: Register,
    people: Vec<Participant>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = provide_register(activity, occurrence, register, people);
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(ROWS_AT_A_TIME);
    let matches = Memo::new(move |_| {
        let query = query.get();
        context.people.with(|people| {
            context
                .register
                .with(|r| r.roster(people, &query).into_iter().cloned().collect::<Vec<_>>())
        })
    });
    let rows = move || matches.with(|all| all.iter().take(shown.get()).cloned().collect::<Vec<_>>());
    let hidden = move || matches.with(Vec::len).saturating_sub(shown.get());
    let roster_is_empty = move || {
        context
            .people
            .with(|people| context.register.with(|r| r.roster(people, "").is_empty()))
    };
    view! {
        <FailureMessage failure=context.failure />
        <section class="card" aria-labelledby="roster-heading">
            <h2 id="roster-heading">{i18n.text(Key::TodayRoster)}</h2>
            <div class="field">
                <label for="roster-search" class="visually-hidden">{i18n.text(Key::TodaySearch)}</label>
                <input
                    id="roster-search"
                    type="search"
                    name="search"
                    autocomplete="off"
                    placeholder=i18n.text(Key::TodaySearch)
                    prop:value=move || query.get()
                    on:input=move |event| {
                        query.set(event_target_value(&event));
                        shown.set(ROWS_AT_A_TIME);
                    }
                />
            </div>
            <ul class="roster" data-testid="roster">
                <For each=rows key=|p| (p.id, p.pseudonym.clone()) let:participant>
                    <RosterRow participant />
                </For>
            </ul>
            <Show when=move || { hidden() > 0 }>
                <button type="button" class="button secondary" on:click=move |_| shown.update(|n| *n += ROWS_AT_A_TIME)>
                    {move || i18n.format(Key::TodayShowMore, &[("count", &hidden().min(ROWS_AT_A_TIME).to_string())])}
                </button>
            </Show>
            <p class="hint">
                {move || {
                    if roster_is_empty() {
                        Some(i18n.t(Key::TodayRosterEmpty))
                    } else if matches.with(Vec::is_empty) {
                        Some(i18n.t(Key::TodayNoMatch))
                    } else {
                        None
                    }
                }}
            </p>
        </section>
        <section class="card" aria-labelledby="anonymous-heading">
            <h2 id="anonymous-heading">{i18n.text(Key::TodayAnonymous)}</h2>
            <p class="hint">{i18n.text(Key::TodayAnonymousHint)}</p>
            <div class="counters">
                {move || {
                    activity
                        .with(|a| a.roles.clone())
                        .into_iter()
                        .map(|role| view! { <HeadcountCounter role /> })
                        .collect_view()
                }}
            </div>
        </section>
        <SurveyPrompt activity occurrence />
        <NewPersonForm />
        <OccurrenceSummary />
        <Suspense fallback=|| ()>{Suspend::new(session_log_card(activity, occurrence))}</Suspense>
        <Suspense fallback=|| ()>{Suspend::new(story_card(occurrence))}</Suspense>
        <UndoSnackbar />
    }
}

/// The session's volunteers and hours: a part of its own (issue 16), as registering does not
/// need it and it comes below the register.
#[cfg_attr(feature = "split", lazy)]
async fn session_log_card(activity: Signal<Activity>, occurrence: Signal<Occurrence>) -> AnyView {
    view! { <SessionLogCard activity occurrence /> }.into_any()
}

/// What the volunteer noticed: a part of its own too, loaded after the register.
#[cfg_attr(feature = "split", lazy)]
async fn story_card(occurrence: Signal<Occurrence>) -> AnyView {
    view! { <StoryCard occurrence /> }.into_any()
}

/// The names of the surveys due at `occurrence` by the activity's `plans`. A split point (issue
/// 16): the surveys' texts and the reading of them are not needed to register, so they arrive
/// after the register, in a part of their own.
#[cfg_attr(feature = "split", lazy)]
async fn due_surveys(
    store: Rc<Store>,
    plans: Vec<SurveyPlan>,
    occurrence: Occurrence,
) -> Result<Vec<Texts>, StoreError> {
    let mut names = Vec::new();
    if plans.is_empty() {
        return Ok(names);
    }
    let last = store.last_answered_at(occurrence.activity).await?;
    for plan in plans {
        if plan.is_due(occurrence.date, last.get(&plan.template).copied())
            && let Some(template) = store.template(plan.template).await?
        {
            names.push(template.name);
        }
    }
    Ok(names)
}

/// A gentle suggestion of the surveys due at this occurrence, by the activity's plans.
#[component]
fn SurveyPrompt(activity: Signal<Activity>, occurrence: Signal<Occurrence>) -> impl IntoView {
    let i18n = use_i18n();
    let due = use_stored_with(
        move || (activity.with(|a| a.surveys.clone()), occurrence.get()),
        |store, (plans, occurrence)| due_surveys(store, plans, occurrence),
    );
    move || {
        // A suggestion only: where the read fails, none is made.
        let names = due.get().and_then(Result::ok).unwrap_or_default();
        (!names.is_empty()).then(|| {
            let language = i18n.language.get();
            let list: Vec<&str> = names.iter().map(|name| name.get(language)).collect();
            view! {
                <aside class="card survey-prompt" data-testid="survey-prompt">
                    <p>{i18n.format(Key::TodaySurveyPrompt, &[("survey", &list.join(", "))])}</p>
                    <a href="/survey">{i18n.text(Key::TodaySurveyPromptLink)}</a>
                </aside>
            }
        })
    }
}
