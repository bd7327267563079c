//! Udvikling / Trends: the coordinator's charts over a chosen period, for one activity or all.
//! The figures come from `spor_core::trends` (survey figures with small-cell suppression); the
//! records come from the store's month packs, so a year draws without reading every record.

use std::sync::Arc;

use chrono::{Datelike, Local, Months, NaiveDate};
use leptos::prelude::*;
use spor_core::Language;
use spor_core::access::DeviceRole;
use spor_core::activity::Activity;
use spor_core::goal::{Goal, GoalMetric};
use spor_core::ids::ActivityId;
use spor_core::organisation::ReportingSettings;
use spor_core::period::Granularity;
use spor_core::role::Role;
use spor_core::scoring::Measure;
use spor_core::suppression::{Share, Suppressible};
use spor_core::survey::Templates;
use spor_core::trends::{Dataset, Delivery, PeriodRoles, Query, SessionsBand, Trends, goal_progress};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};

use crate::components::outcome_message::ReadFailure;
use crate::components::page::Page;
use crate::components::survey_runner::options;
use crate::contexts::i18n_context::{I18n, use_i18n};
use crate::contexts::sync_context::use_sync;
use crate::hooks::use_stored::use_stored;
use crate::i18n::Key;
use crate::store::StoreError;
use crate::trends::chart_frame::{ChartFrame, ChartLegend, ChartTable};
use crate::trends::date_field::DateField;
use crate::trends::export_section::ExportSection;
use crate::trends::goals_section::{GoalsSection, describe_goal, format_target};
use crate::trends::mean_chart::{MeanChart, MeanPoint};
use crate::trends::radio_choices::RadioChoices;
use crate::trends::reflections_section::ReflectionsSection;
use crate::trends::stacked_bars::StackedBars;
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

    let activity_options = move || {
        activities
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|choice: Activity| {
                let value = choice.id.to_string();
                let selected = move || activity.get() == Some(choice.id);
                view! { <option value=value selected=selected>{choice.name}</option> }
            })
            .collect_view()
    };

    view! {
        <Page title=Key::NavTrends lead=Key::PageTrendsLead>
            <form class="card trends-filters" aria-labelledby="trends-filters-heading" on:submit=|event| event.prevent_default()>
                <h2 id="trends-filters-heading" class="visually-hidden">{i18n.text(Key::TrendsFilters)}</h2>
                <div class="field">
                    <label for="trends-activity">{i18n.text(Key::TrendsActivity)}</label>
                    <select
                        id="trends-activity"
                        on:change=move |event| activity.set(event_target_value(&event).parse().ok().map(ActivityId))
                    >
                        <option value="" selected=move || activity.get().is_none()>
                            {i18n.text(Key::TrendsAllActivities)}
                        </option>
                        {activity_options}
                    </select>
                </div>
                <div class="field">
                    <label for="trends-range">{i18n.text(Key::TrendsRange)}</label>
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
                            let (dataset, activities) = (dataset.await?, activities.await?);
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
                            if !charts_due.get_untracked() {
                                leptos::task::spawn_local(async move {
                                    after_next_paint().await;
                                    let _ = charts_due.try_set(true);
                                });
                            }
                            Ok::<_, StoreError>(view! {
                                <TrendsSummary trends query activities=activities.clone() />
                                <GoalsSection activities=activities.clone() dataset=dataset.clone() activity=activity.into() goals />
                                <Show when=move || charts_due.get()>
                                    <TrendsCharts trends query goals dataset=dataset.clone() />
                                    <ReflectionsSection activities=activities.clone() activity=activity.into() query reflections />
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
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let language = i18n.language.get();
        let (Some(query), Some(trends)) = (query.get(), trends.get()) else {
            return view! { <p class="error" role="alert">{i18n.text(Key::TrendsBadRange)}</p> }.into_any();
        };
        let shown = i18n.format(
            Key::TrendsRangeShown,
            &[
                ("from", &language.format_date(query.from)),
                ("to", &language.format_date(query.to)),
            ],
        );
        if trends.is_empty() {
            return view! {
                <p class="hint" data-testid="trends-range">{shown}</p>
                <p class="hint">{i18n.text(Key::TrendsEmpty)}</p>
            }
            .into_any();
        }
        let activity_name = query
            .activity
            .and_then(|id| activities.iter().find(|a| a.id == id))
            .map_or_else(|| i18n.t(Key::TrendsAllActivities).to_owned(), |a| a.name.clone());
        let report_for = i18n.format(
            Key::TrendsReportFor,
            &[("activity", &activity_name), ("range", &shown)],
        );
        let context = ChartContext::new(i18n, &trends, Vec::new());
        let delivery = trends.delivery(&activities, &query);
        view! {
            <p class="print-only">{report_for}</p>
            <div class="trends-range">
                <p class="hint" data-testid="trends-range">{shown}</p>
                <button type="button" class="button secondary no-print" on:click=|_| print()>
                    {i18n.text(Key::TrendsPrint)}
                </button>
            </div>
            {key_figures_list(&context, &trends, delivery)}
        }
        .into_any()
    }
}

/// Every chart for the current query, redrawn when it changes.
#[component]
fn TrendsCharts(
    trends: Memo<Option<Arc<Trends>>>,
    query: Memo<Option<Query>>,
    goals: LocalResource<Result<Vec<Goal>, StoreError>>,
    dataset: Arc<Dataset>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let goals = goals.get().and_then(Result::ok).unwrap_or_default();
        let (Some(query), Some(trends)) = (query.get(), trends.get()) else {
            return ().into_any();
        };
        if trends.is_empty() {
            return ().into_any();
        }
        // Goal lines only where the chart shows one activity and the goal's period overlaps.
        let goals = goals
            .into_iter()
            .filter(|goal| {
                query.activity == Some(goal.activity) && goal.from <= query.to && query.from <= goal.to
            })
            .collect();
        let context = ChartContext::new(i18n, &trends, goals);
        view! {
            <section class="trends-grid">
                {attendance_chart(&context, &trends)}
                {participants_chart(&context, &trends)}
                {frequency_chart(&context, &trends)}
                {goal_progress_charts(&context, &dataset, &query)}
                {roles_chart(&context, &trends)}
            </section>
            {measure_sections(&context, &trends)}
            {session_section(&context, &trends, &dataset)}
        }
        .into_any()
    }
}

/// One stacked bar chart: a series per label, a value per period (`None`: hidden by suppression).
struct BarChart {
    id: String,
    title: String,
    description: String,
    labels: Vec<String>,
    series: Vec<Vec<Option<f64>>>,
    table: ChartTable,
    /// Shares from 0 to 100 % rather than counts.
    percent: bool,
    target: Option<(f64, String)>,
}

/// What every chart of one rendering shares.
struct ChartContext {
    i18n: I18n,
    language: Language,
    /// The goals of the one activity shown, over the shown range.
    goals: Vec<Goal>,
    /// The period labels, in order: the x axis of every chart.
    periods: Vec<String>,
}

impl ChartContext {
    fn new(i18n: I18n, trends: &Trends, goals: Vec<Goal>) -> ChartContext {
        let language = i18n.language.get();
        ChartContext {
            i18n,
            language,
            goals,
            periods: trends
                .participation
                .iter()
                .map(|row| row.period.label(language))
                .collect(),
        }
    }

    fn number(&self, value: f64, decimals: usize) -> String {
        self.language.format_number(value, decimals)
    }

    fn percent(&self, share: f64) -> String {
        format!("{} %", self.number(share * 100.0, 0))
    }

    /// The dashed line of the goal on `metric`, if there is one.
    fn target(&self, metric: GoalMetric) -> Option<(f64, String)> {
        let goal = self.goals.iter().find(|goal| goal.metric == metric)?;
        Some(self.goal_line(goal))
    }

    fn goal_line(&self, goal: &Goal) -> (f64, String) {
        let label = self.i18n.format(
            Key::GoalsLine,
            &[("target", &format_target(goal.target, self.language))],
        );
        (goal.target, label)
    }

    fn fewer(&self) -> String {
        self.i18n.t(Key::TrendsFewerThanFive).to_owned()
    }

    fn text(&self, key: Key) -> String {
        self.i18n.t(key).to_owned()
    }

    fn table(&self, columns: Vec<String>, cells: Vec<Vec<Option<String>>>) -> ChartTable {
        ChartTable {
            row_heading: self.text(Key::TrendsPeriod),
            rows: self.periods.clone(),
            columns,
            cells,
        }
    }

    /// A stacked bar chart in its frame, with a legend.
    fn bars(&self, chart: BarChart) -> impl IntoView + use<> {
        let BarChart {
            id,
            title,
            description,
            labels,
            series,
            table,
            percent,
            target,
        } = chart;
        let (language, categories, hidden_label) = (self.language, table.rows.clone(), self.fewer());
        let (max, suffix) = if percent { (Some(100.0), "%") } else { (None, "") };
        view! {
            <ChartFrame id=id.clone() title=title.clone() description=description.clone() table>
                <StackedBars
                    id=id.clone()
                    title
                    description
                    categories
                    series
                    max
                    suffix
                    target
                    hidden_label
                    language
                />
                <ChartLegend chart=id labels />
            </ChartFrame>
        }
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

/// Opens the browser's print dialog: the page's print style makes it an A4 report (or a PDF).
fn print() {
    if let Some(window) = web_sys::window() {
        // A browser without printing has nothing to show; the page stays as it is.
        let _ = window.print();
    }
}

fn key_figures_list(
    context: &ChartContext,
    trends: &Trends,
    delivery: Option<Delivery>,
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
            Key::TrendsKfDeliveryExtra
        } else {
            Key::TrendsKfDeliveryValue
        };
        (Key::TrendsKfDelivery, Some(context.i18n.format(key, &values)))
    });
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

fn attendance_chart(context: &ChartContext, trends: &Trends) -> impl IntoView + use<> {
    let mut labels: Vec<String> = Role::ALL
        .iter()
        .map(|role| role.label(context.language).to_owned())
        .collect();
    labels.push(context.text(Key::TrendsAnonymous));
    // The named by role, then the anonymous.
    let per_period: Vec<(u32, [f64; 4])> = trends
        .attendance_per_period()
        .into_iter()
        .map(|row| {
            let [bruger, deltager, frivillig] = row.named;
            (row.sessions, [bruger, deltager, frivillig, row.anonymous])
        })
        .collect();
    let series = (0..4)
        .map(|index| per_period.iter().map(|(_, means)| Some(means[index])).collect())
        .collect();
    let mut columns = vec![context.text(Key::TrendsSessions)];
    columns.extend(labels.iter().cloned());
    let cells = per_period
        .iter()
        .map(|(sessions, means)| {
            std::iter::once(Some(context.number(f64::from(*sessions), 0)))
                .chain(means.iter().map(|mean| Some(context.number(*mean, 1))))
                .collect()
        })
        .collect();
    context.bars(BarChart {
        id: "chart-attendance".to_owned(),
        title: context.text(Key::TrendsAttendanceTitle),
        description: context.text(Key::TrendsAttendanceDescription),
        labels,
        series,
        table: context.table(columns, cells),
        percent: false,
        target: context.target(GoalMetric::MeanAttendance),
    })
}

fn participants_chart(context: &ChartContext, trends: &Trends) -> impl IntoView + use<> {
    let labels = vec![
        context.text(Key::TrendsNew),
        context.text(Key::TrendsReturning),
        context.text(Key::TrendsBack),
    ];
    let rows = &trends.participation;
    let series = vec![
        rows.iter().map(|row| Some(f64::from(row.new))).collect(),
        rows.iter().map(|row| Some(f64::from(row.returning))).collect(),
        rows.iter()
            .map(|row| Some(f64::from(row.back_after_absence)))
            .collect(),
    ];
    let cells = rows
        .iter()
        .map(|row| {
            [row.unique, row.new, row.returning, row.back_after_absence]
                .map(|count| Some(context.number(f64::from(count), 0)))
                .to_vec()
        })
        .collect();
    let mut columns = vec![context.text(Key::TrendsPeople)];
    columns.extend(labels.iter().cloned());
    context.bars(BarChart {
        id: "chart-participants".to_owned(),
        title: context.text(Key::TrendsParticipantsTitle),
        description: context.text(Key::TrendsParticipantsDescription),
        labels,
        series,
        table: context.table(columns, cells),
        percent: false,
        target: None,
    })
}

/// How many times the named participants came over the whole range: one bar per band of sessions.
fn frequency_chart(context: &ChartContext, trends: &Trends) -> impl IntoView + use<> {
    let bands: Vec<String> = trends
        .sessions_per_participant
        .iter()
        .map(|(band, _)| {
            context.text(match band {
                SessionsBand::Once => Key::TrendsFrequencyOnce,
                SessionsBand::TwoOrThree => Key::TrendsFrequencyTwoOrThree,
                SessionsBand::FourToNine => Key::TrendsFrequencyFourToNine,
                SessionsBand::TenOrMore => Key::TrendsFrequencyTenOrMore,
            })
        })
        .collect();
    let people = context.text(Key::TrendsPeople);
    let counts: Vec<Option<f64>> = trends
        .sessions_per_participant
        .iter()
        .map(|(_, cell)| cell.shown().map(|share| f64::from(share.count)))
        .collect();
    let cells = counts
        .iter()
        .map(|count| vec![count.map(|count| context.number(count, 0))])
        .collect();
    context.bars(BarChart {
        id: "chart-frequency".to_owned(),
        title: context.text(Key::TrendsFrequencyTitle),
        description: context.text(Key::TrendsFrequencyDescription),
        labels: vec![people.clone()],
        series: vec![counts],
        table: ChartTable {
            row_heading: context.text(Key::TrendsSessions),
            rows: bands,
            columns: vec![people],
            cells,
        },
        percent: false,
        target: None,
    })
}

/// Goals on people are counted over their own period, not per period: one chart each follows the
/// figure from the goal's start to the end of every period, against its line.
fn goal_progress_charts(context: &ChartContext, dataset: &Dataset, query: &Query) -> impl IntoView + use<> {
    context
        .goals
        .iter()
        .filter_map(|goal| {
            let progress = goal_progress(goal, dataset, query.granularity, query.to, query.settings);
            if progress.is_empty() {
                return None;
            }
            let percent = goal.metric == GoalMetric::NewParticipantsPercent;
            let since = context.language.format_date(goal.from);
            let column = context.i18n.format(Key::GoalsProgressSince, &[("from", &since)]);
            let rows = progress
                .iter()
                .map(|(period, _)| period.label(context.language))
                .collect();
            // Nobody yet has no share: an empty bar, and a dash in the table.
            let series = vec![
                progress
                    .iter()
                    .map(|(_, value)| Some(value.unwrap_or(0.0)))
                    .collect(),
            ];
            let cells = progress
                .iter()
                .map(|(_, value)| {
                    let text = match value {
                        None => "–".to_owned(),
                        Some(share) if percent => format!("{} %", context.number(*share, 1)),
                        Some(count) => context.number(*count, 0),
                    };
                    vec![Some(text)]
                })
                .collect();
            Some(
                context.bars(BarChart {
                    id: format!("chart-goal-{}", goal.id),
                    title: context.i18n.format(
                        Key::GoalsProgressTitle,
                        &[("goal", &describe_goal(goal, context.i18n))],
                    ),
                    description: context
                        .i18n
                        .format(Key::GoalsProgressDescription, &[("from", &since)]),
                    labels: vec![column.clone()],
                    series,
                    table: ChartTable {
                        row_heading: context.text(Key::TrendsPeriod),
                        rows,
                        columns: vec![column],
                        cells,
                    },
                    percent,
                    target: Some(context.goal_line(goal)),
                }),
            )
        })
        .collect_view()
}

fn roles_chart(context: &ChartContext, trends: &Trends) -> impl IntoView + use<> {
    let labels: Vec<String> = Role::ALL
        .iter()
        .map(|role| role.label(context.language).to_owned())
        .collect();
    let shares: Vec<[f64; 3]> = trends.roles.iter().map(PeriodRoles::shares).collect();
    let series = (0..3)
        .map(|index| shares.iter().map(|row| Some(row[index] * 100.0)).collect())
        .collect();
    let cells = shares
        .iter()
        .map(|row| row.iter().map(|share| Some(context.percent(*share))).collect())
        .collect();
    let moves = trends
        .role_moves
        .iter()
        .map(|change| {
            let text = context.i18n.format(
                Key::TrendsMoves,
                &[
                    ("people", &context.number(f64::from(change.people), 0)),
                    ("from", change.from.label(context.language)),
                    ("to", change.to.label(context.language)),
                ],
            );
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        {context.bars(BarChart {
            id: "chart-roles".to_owned(),
            title: context.text(Key::TrendsRolesTitle),
            description: context.text(Key::TrendsRolesDescription),
            labels: labels.clone(),
            series,
            table: context.table(labels, cells),
            percent: true,
            target: None,
        })}
        <section class="card role-moves" aria-labelledby="role-moves-heading">
            <h3 id="role-moves-heading">{context.text(Key::TrendsMovesTitle)}</h3>
            <p class="hint">{context.text(Key::TrendsMovesDescription)}</p>
            {if trends.role_moves.is_empty() {
                view! { <p>{context.text(Key::TrendsMovesNone)}</p> }.into_any()
            } else {
                view! { <ul>{moves}</ul> }.into_any()
            }}
        </section>
    }
}

/// One section per measure with figures in the range: the mean over time, the band shares and the
/// paired change of linked respondents.
fn measure_sections(context: &ChartContext, trends: &Trends) -> impl IntoView + use<> {
    let sections = trends
        .measure_series()
        .into_iter()
        .map(|series| {
            let measure = series.measure;
            let stats = &series.per_period;
            let points: Vec<MeanPoint> = stats
                .iter()
                .map(
                    |stats| match stats.map(|stats| (stats.mean.shown(), stats.ci95.shown())) {
                        None => MeanPoint::NoAnswers,
                        Some((Some(mean), Some(ci95))) => MeanPoint::Shown { mean, ci95 },
                        Some(_) => MeanPoint::Hidden,
                    },
                )
                .collect();
            // A period nobody answered in has no mean to hide: it says so.
            let cells = stats
                .iter()
                .map(|stats| match stats {
                    None => vec![
                        Some(context.number(0.0, 0)),
                        Some("–".to_owned()),
                        Some("–".to_owned()),
                    ],
                    Some(stats) => vec![
                        stats
                            .people
                            .shown()
                            .map(|people| context.number(f64::from(people), 0)),
                        stats.mean.shown().map(|mean| context.number(mean, 1)),
                        stats.ci95.shown().map(|(low, high)| {
                            format!("{}-{}", context.number(low, 1), context.number(high, 1))
                        }),
                    ],
                })
                .collect();
            let id = format!("chart-{}", measure_slug(measure));
            let title = measure.label(context.language).to_owned();
            let description = context.text(Key::TrendsMeasureDescription);
            let references = if measure == Measure::Who5Percentage {
                vec![(50.0, "50".to_owned()), (35.0, "35".to_owned())]
            } else {
                Vec::new()
            };
            let table = context.table(
                vec![
                    context.text(Key::TrendsPeople),
                    context.text(Key::TrendsMean),
                    context.text(Key::TrendsInterval),
                ],
                cells,
            );
            let (chart_id, chart_title, chart_description) = (id.clone(), title.clone(), description.clone());
            let (categories, hidden_label, language) =
                (context.periods.clone(), context.fewer(), context.language);
            let target = context.target(GoalMetric::MeasureMean { measure });
            let mean_chart = view! {
                <ChartFrame id=id.clone() title=title.clone() description table>
                    <MeanChart
                        id=chart_id
                        title=chart_title
                        description=chart_description
                        categories
                        points
                        range=measure.range()
                        references
                        target
                        hidden_label
                        language
                    />
                </ChartFrame>
            };
            let bands = measure.bands();
            let band_labels: Vec<String> = bands
                .iter()
                .map(|band| band.label(context.language).to_owned())
                .collect();
            let band_series = (0..bands.len())
                .map(|band| {
                    (0..stats.len())
                        .map(|period| {
                            series
                                .band_share(period, band)
                                .shown()
                                .map(|share| share.share * 100.0)
                        })
                        .collect()
                })
                .collect();
            let band_cells = (0..stats.len())
                .map(|period| {
                    (0..bands.len())
                        .map(|band| {
                            series
                                .band_share(period, band)
                                .shown()
                                .map(|share| context.percent(share.share))
                        })
                        .collect()
                })
                .collect();
            let bands_chart = context.bars(BarChart {
                id: format!("{id}-bands"),
                title: context.i18n.format(Key::TrendsBandsTitle, &[("measure", &title)]),
                description: context.text(Key::TrendsBandsDescription),
                labels: band_labels.clone(),
                series: band_series,
                table: context.table(band_labels, band_cells),
                percent: true,
                target: None,
            });
            let paired = trends
                .paired
                .iter()
                .find(|paired| paired.measure == measure)
                .map(|paired| {
                    let shown = |share: Suppressible<Share>| match share {
                        Suppressible::Shown(share) => context.percent(share.share),
                        Suppressible::Hidden => context.fewer(),
                    };
                    let text = match (paired.people, paired.mean_change) {
                        (Suppressible::Shown(people), Suppressible::Shown(change)) => context.i18n.format(
                            Key::TrendsPaired,
                            &[
                                ("people", &context.number(f64::from(people), 0)),
                                ("change", &context.number(change, 1)),
                                ("improved", &shown(paired.improved)),
                                ("unchanged", &shown(paired.unchanged)),
                                ("worsened", &shown(paired.worsened)),
                            ],
                        ),
                        _ => context.text(Key::TrendsPairedHidden),
                    };
                    view! { <p class="paired-change">{text}</p> }
                });
            view! {
                <section class="trends-grid" aria-label=title>
                    {mean_chart}
                    {bands_chart}
                    {paired}
                </section>
            }
        })
        .collect_view();
    (!trends.measures.is_empty()).then(|| {
        view! {
            <h2>{context.text(Key::TrendsWellbeing)}</h2>
            {sections}
        }
    })
}

fn measure_slug(measure: Measure) -> &'static str {
    match measure {
        Measure::Who5Percentage => "who5",
        Measure::Ucla3Sum => "ucla3",
        Measure::Ons4Satisfaction => "ons4-satisfaction",
        Measure::Ons4Worthwhile => "ons4-worthwhile",
        Measure::Ons4Happy => "ons4-happy",
        Measure::Ons4Anxious => "ons4-anxious",
        Measure::CantrilNow => "cantril",
    }
}

/// The session and custom questions: per question, the share of each answer per period.
fn session_section(context: &ChartContext, trends: &Trends, dataset: &Dataset) -> impl IntoView + use<> {
    let templates = Templates::new(&dataset.templates);
    let charts = trends
        .question_series()
        .into_iter()
        .enumerate()
        .map(|(index, series)| {
            let asked = templates
                .newest(series.template)
                .and_then(|template| template.question(&series.question));
            let text = asked.map_or_else(
                || series.question.0.clone(),
                |asked| asked.text.get(context.language).to_owned(),
            );
            let options = asked
                .map(|asked| options(asked, context.language))
                .unwrap_or_default();
            let values = &series.values;
            // Each answer as the participant saw it ("Helt enig"), or its number where it had none.
            let labels: Vec<String> = values
                .iter()
                .map(|value| {
                    options
                        .iter()
                        .find(|(answer, _, _)| answer.value() == Some(*value))
                        .map_or_else(
                            || {
                                context
                                    .i18n
                                    .format(Key::TrendsAnswer, &[("value", &value.to_string())])
                            },
                            |(_, label, _)| label.clone(),
                        )
                })
                .collect();
            let periods = series.per_period.len();
            let bars = (0..values.len())
                .map(|answer| {
                    (0..periods)
                        .map(|period| series.share(period, answer).shown().map(|s| s.share * 100.0))
                        .collect()
                })
                .collect();
            let cells = (0..periods)
                .map(|period| {
                    (0..values.len())
                        .map(|answer| {
                            series
                                .share(period, answer)
                                .shown()
                                .map(|s| context.percent(s.share))
                        })
                        .collect()
                })
                .collect();
            context.bars(BarChart {
                id: format!("chart-session-{index}"),
                title: text,
                description: context.text(Key::TrendsSessionDescription),
                labels: labels.clone(),
                series: bars,
                table: context.table(labels, cells),
                percent: true,
                target: None,
            })
        })
        .collect_view();
    (!trends.session.is_empty()).then(|| {
        view! {
            <h2>{context.text(Key::TrendsSession)}</h2>
            <section class="trends-grid">{charts}</section>
        }
    })
}
