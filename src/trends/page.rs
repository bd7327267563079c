//! Udvikling / Trends: the coordinator's charts over a chosen period, for one activity or all.
//! The figures come from `spor_core::trends` (survey figures with small-cell suppression); the
//! records come from the store's month packs, so a year draws without reading every record.

use std::sync::Arc;

use chrono::{Datelike, Local, Months, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use spor_core::access::DeviceRole;
use spor_core::activity::Activity;
use spor_core::ids::ActivityId;
use spor_core::organisation::ReportingSettings;
use spor_core::period::Granularity;
use spor_core::session_log::SessionLog;
use spor_core::theory::{self, TheoryOfChange};
use spor_core::trends::{
    Dataset, Delivery, PeriodEffort, Query, SessionsAndStories, Trends, cancellations, volunteer_effort,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};

use crate::components::activity_select::ActivitySelect;
use crate::components::date_field::DateField;
use crate::components::outcome::ReadFailure;
use crate::components::page::{Page, print_page};
use crate::components::radio_choices::RadioChoices;
use crate::contexts::i18n_context::use_i18n;
use crate::contexts::sync_context::use_sync;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store::StoreError;
use crate::trends::charts::{ChartContext, TrendsCharts};
use crate::trends::export_section::ExportSection;
use crate::trends::goals_section::{GoalStatuses, GoalsSection};
use crate::trends::reflections_section::ReflectionsSection;
use crate::trends::stories_section::StoriesSection;
use crate::user_timing;

/// User-timing measures (`crate::user_timing`) of reading the records and computing the figures.
const READ_MEASURE: &str = "spor:trends-read";
const COMPUTE_MEASURE: &str = "spor:trends-compute";

/// The period choices of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    LastMonths(u32),
    ThisYear,
    Custom,
}

impl Range {
    const ALL: [(Range, Key); 5] = [
        (Range::LastMonths(3), Key::TrendsRange3m),
        (Range::LastMonths(6), Key::TrendsRange6m),
        (Range::LastMonths(12), Key::TrendsRange12m),
        (Range::ThisYear, Key::TrendsRangeYear),
        (Range::Custom, Key::TrendsRangeCustom),
    ];

    /// The first and last day, both included; `custom` for [`Range::Custom`].
    fn dates(self, today: NaiveDate, custom: (NaiveDate, NaiveDate)) -> (NaiveDate, NaiveDate) {
        match self {
            Range::LastMonths(months) => {
                let from = today
                    .checked_sub_months(Months::new(months))
                    .and_then(|date| date.succ_opt())
                    .unwrap_or(today);
                (from, today)
            }
            Range::ThisYear => (today.with_ordinal(1).unwrap_or(today), today),
            Range::Custom => custom,
        }
    }
}

const GRANULARITIES: [(Granularity, Key); 3] = [
    (Granularity::Week, Key::TrendsWeek),
    (Granularity::Month, Key::TrendsMonth),
    (Granularity::Quarter, Key::TrendsQuarter),
];

#[component]
pub fn TrendsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    // A volunteer's phone or a kiosk shows attendance only: survey figures are the coordinators'.
    let shows_answers = sync.role_allows(DeviceRole::keeps_answers);
    let dataset = use_stored(|store| async move {
        user_timing::start(READ_MEASURE);
        let read = store.trends_dataset().await;
        user_timing::end(READ_MEASURE);
        read
    });
    let activities = use_stored(|store| async move { store.activities().await });
    let goals = use_stored(|store| async move { store.goals().await });
    let reflections = use_stored(|store| async move { store.reflections().await });
    let session_logs = use_stored(|store| async move { store.session_logs().await.map(Arc::new) });
    let theories = use_stored(|store| async move { store.theories().await.map(Arc::new) });
    let stories = use_stored(|store| async move { store.stories().await });

    // The charts wait for the first paint of the key figures, once per visit: the figures show at
    // once, and a refresh after a pull redraws both together.
    let charts_due = RwSignal::new(false);

    let today = Local::now().date_naive();
    let activity = RwSignal::new(None::<ActivityId>);
    let range = RwSignal::new(Range::LastMonths(12));
    let custom_from = RwSignal::new(today.checked_sub_months(Months::new(1)).unwrap_or(today));
    let custom_to = RwSignal::new(today);
    let granularity = RwSignal::new(Granularity::Month);
    let query = Memo::new(move |_| {
        let (from, to) = range.get().dates(today, (custom_from.get(), custom_to.get()));
        (from <= to).then(|| Query {
            from,
            to,
            granularity: granularity.get(),
            activity: activity.get(),
            settings: ReportingSettings::default(),
        })
    });

    let activity_choices = Signal::derive(move || activities.get().and_then(Result::ok).unwrap_or_default());

    view! {
        <Page title=Key::NavTrends lead=Key::PageTrendsLead>
            <form class="card trends-filters" aria-labelledby="trends-filters-heading" on:submit=|event| event.prevent_default()>
                <h2 id="trends-filters-heading" class="visually-hidden">{i18n.text(TrendsKey::Filters)}</h2>
                <ActivitySelect id="trends-activity" activities=activity_choices selected=activity />
                <div class="field">
                    <label for="trends-range">{i18n.text(TrendsKey::Range)}</label>
                    <select
                        id="trends-range"
                        on:change=move |event| {
                            let index: usize = event_target_value(&event).parse().unwrap_or(2);
                            range.set(Range::ALL[index.min(Range::ALL.len() - 1)].0);
                        }
                    >
                        {Range::ALL
                            .iter()
                            .enumerate()
                            .map(|(index, (choice, key))| {
                                let choice = *choice;
                                view! {
                                    <option value=index.to_string() selected=move || range.get() == choice>
                                        {i18n.text(*key)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Show when=move || range.get() == Range::Custom>
                    <DateField id="trends-from" label=Key::TrendsFrom date=custom_from />
                    <DateField id="trends-to" label=Key::TrendsTo date=custom_to />
                </Show>
                <RadioChoices
                    name="trends-granularity"
                    legend=Key::TrendsGranularity
                    choices=GRANULARITIES.to_vec()
                    selected=granularity
                    class="granularity"
                />
            </form>
            // Reserved below the filters, at least a screen tall, so the figures arriving (and the
            // charts after them) fill space that is already there rather than push the page about.
            <div class="trends-results">
                <Transition fallback=move || view! { <p class="hint" role="status">{i18n.text(Key::TrendsLoading)}</p> }>
                    <ErrorBoundary fallback=|errors| view! { <ReadFailure errors /> }>
                        {move || Suspend::new(async move {
                            let (dataset, activities, logs) = (dataset.await?, activities.await?, session_logs.await?);
                            let theories = theories.await?;
                            let dataset = if shows_answers.get() {
                                dataset
                            } else {
                                Arc::new(Dataset {
                                    responses: Vec::new(),
                                    ..(*dataset).clone()
                                })
                            };
                            let computed = dataset.clone();
                            let trends = Memo::new(move |_| {
                                query.get().map(|query| {
                                    user_timing::measured(COMPUTE_MEASURE, || Arc::new(Trends::compute(&computed, &query)))
                                })
                            });
                            let statuses = {
                                let (dataset, logs) = (dataset.clone(), logs.clone());
                                Memo::new(move |_| {
                                    let goals = goals.get().and_then(Result::ok).unwrap_or_default();
                                    let told = stories.get().and_then(Result::ok).unwrap_or_default();
                                    let beside = SessionsAndStories { session_logs: &logs, stories: &told };
                                    GoalStatuses::compute(&goals, &dataset, beside)
                                })
                            };
                            if !charts_due.get_untracked() {
                                leptos::task::spawn_local(async move {
                                    after_next_paint().await;
                                    let _ = charts_due.try_set(true);
                                });
                            }
                            Ok::<_, StoreError>(view! {
                                <TrendsSummary trends query activities=activities.clone() logs=logs.clone() theories=theories.clone() />
                                <GoalsSection activities=activities.clone() activity=activity.into() goals statuses theories=theories.clone() />
                                <Show when=move || charts_due.get()>
                                    <TrendsCharts trends query goals dataset=dataset.clone() logs=logs.clone() />
                                    <ReflectionsSection activities=activities.clone() activity=activity.into() query reflections />
                                    <StoriesSection
                                        query
                                        stories
                                        theories=(*theories).clone()
                                        may_mark=shows_answers
                                        goals
                                        statuses
                                    />
                                    <ExportSection query />
                                </Show>
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </Page>
    }
}

/// The range, the print button and the key figures: the top of the page and of the report.
#[component]
fn TrendsSummary(
    trends: Memo<Option<Arc<Trends>>>,
    query: Memo<Option<Query>>,
    activities: Vec<Activity>,
    logs: Arc<Vec<SessionLog>>,
    theories: Arc<Vec<TheoryOfChange>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let language = i18n.language.get();
        let (Some(query), Some(trends)) = (query.get(), trends.get()) else {
            return view! { <p class="error" role="alert">{i18n.text(TrendsKey::BadRange)}</p> }.into_any();
        };
        let shown = i18n.format(
            TrendsKey::RangeShown,
            &[
                ("from", &language.format_date(query.from)),
                ("to", &language.format_date(query.to)),
            ],
        );
        if trends.is_empty() {
            return view! {
                <p class="hint" data-testid="trends-range">{shown}</p>
                <p class="hint">{i18n.text(TrendsKey::Empty)}</p>
            }
            .into_any();
        }
        let activity_name = query
            .activity
            .and_then(|id| activities.iter().find(|a| a.id == id))
            .map_or_else(|| i18n.t(Key::TrendsAllActivities).to_owned(), |a| a.name.clone());
        let report_for = i18n.format(
            TrendsKey::ReportFor,
            &[("activity", &activity_name), ("range", &shown)],
        );
        let context = ChartContext::new(i18n, &trends, Vec::new());
        // The theory of change the figures are read against: the version in force at the range's end.
        let in_force = theory::in_force(&theories, query.activity, query.to).map(|theory| {
            i18n.format(
                TrendsKey::TheoryInForce,
                &[
                    ("version", &theory.version.to_string()),
                    ("from", &language.format_date(theory.in_force_from)),
                ],
            )
        });
        let delivery = trends.delivery(&activities, &logs, &query);
        let hours: f64 = volunteer_effort(&logs, &query)
            .iter()
            .map(PeriodEffort::hours)
            .sum();
        let cancelled = cancellations(&logs, &query)
            .into_iter()
            .map(|log| {
                let activity = activities
                    .iter()
                    .find(|a| a.id == log.activity)
                    .map(|a| a.name.as_str());
                let when = language.format_date(log.date);
                let reason = log.cancelled.clone().unwrap_or_default();
                match (activity, query.activity) {
                    (Some(name), None) => format!("{when}, {name}: {reason}"),
                    _ => format!("{when}: {reason}"),
                }
            })
            .collect::<Vec<_>>();
        view! {
            <p class="print-only">{report_for}</p>
            <div class="trends-range">
                <p class="hint" data-testid="trends-range">{shown}</p>
                <button type="button" class="button secondary no-print" on:click=|_| print_page()>
                    {i18n.text(TrendsKey::Print)}
                </button>
                <A href="/report" attr:class="button secondary no-print">{i18n.text(TrendsKey::ReportLink)}</A>
            </div>
            {in_force.map(|said| view! {
                <p class="hint" data-testid="theory-in-force">{said}" "<A href="/theory">{i18n.text(TrendsKey::TheoryLink)}</A></p>
            })}
            {key_figures_list(&context, &trends, delivery, (hours > 0.0).then_some(hours))}
            {(!cancelled.is_empty()).then(|| view! {
                <section class="card" aria-labelledby="cancelled-heading" data-testid="cancellations">
                    <h2 id="cancelled-heading">{i18n.text(TrendsKey::CancelledTitle)}</h2>
                    <ul>{cancelled.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </section>
            })}
        }
        .into_any()
    }
}

/// Resolves after the browser's next paint: a task queued from an animation frame callback runs
/// once that frame is on screen.
async fn after_next_paint() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let painted = js_sys::Promise::new(&mut |resolve, _reject| {
        let on_frame = resolve.clone();
        let after_frame = Closure::once_into_js(move || {
            let queued = web_sys::window().map(|window| window.set_timeout_with_callback(&on_frame));
            if !matches!(queued, Some(Ok(_))) {
                let _ = on_frame.call0(&JsValue::UNDEFINED);
            }
        });
        // Without animation frames there is no paint to wait for.
        if window
            .request_animation_frame(after_frame.unchecked_ref())
            .is_err()
        {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(painted).await;
}

fn key_figures_list(
    context: &ChartContext,
    trends: &Trends,
    delivery: Option<Delivery>,
    volunteer_hours: Option<f64>,
) -> impl IntoView + use<> {
    let figures = &trends.key_figures;
    let count = |value: u32| context.number(f64::from(value), 0);
    let delivered = delivery.map(|delivery| {
        let (held, planned, extra) = (
            count(delivery.held),
            count(delivery.planned),
            count(delivery.extra),
        );
        let values = [
            ("held", held.as_str()),
            ("planned", planned.as_str()),
            ("extra", extra.as_str()),
        ];
        let key = if delivery.extra > 0 {
            TrendsKey::KfDeliveryExtra
        } else {
            TrendsKey::KfDeliveryValue
        };
        let mut said = context.i18n.format(key, &values);
        if delivery.cancelled > 0 {
            let cancelled = count(delivery.cancelled);
            said.push_str(
                &context
                    .i18n
                    .format(TrendsKey::KfDeliveryCancelled, &[("cancelled", &cancelled)]),
            );
        }
        (Key::TrendsKfDelivery, Some(said))
    });
    let hours = volunteer_hours.map(|hours| (Key::TrendsKfVolunteerHours, Some(context.number(hours, 1))));
    let rows = [
        (Key::TrendsSessions, Some(count(figures.sessions))),
        (Key::TrendsKfAttendances, Some(count(figures.attendances))),
        (Key::TrendsKfAnonymous, Some(count(figures.anonymous))),
        (Key::TrendsKfParticipants, Some(count(figures.participants))),
        (Key::TrendsKfNew, Some(count(figures.new_participants))),
        (Key::TrendsKfResponses, figures.responses.shown().map(count)),
    ];
    let items = rows
        .into_iter()
        .chain(delivered)
        .chain(hours)
        .map(|(key, value)| {
            let value = value.unwrap_or_else(|| context.fewer());
            view! {
                <div>
                    <dt>{context.text(key)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card key-figures" aria-labelledby="key-figures-heading" data-testid="key-figures">
            <h2 id="key-figures-heading">{context.text(Key::TrendsKeyFigures)}</h2>
            <dl>{items}</dl>
        </section>
    }
}
