//! The trends page's charts: each figure of `spor_core::trends` laid out as a chart with its table
//! (attendance, participants and how often they came, goals on people, roles, the survey measures
//! and the session questions).

use std::sync::Arc;

use leptos::prelude::*;
use spor_core::Language;
use spor_core::goal::{Goal, GoalMetric};
use spor_core::role::Role;
use spor_core::scoring::Measure;
use spor_core::session_log::SessionLog;
use spor_core::suppression::{Share, Suppressible};
use spor_core::survey::Templates;
use spor_core::trends::{
    Dataset, PeriodEffort, PeriodRoles, Query, SessionsBand, Trends, goal_progress, volunteer_effort,
};

use crate::components::goal_text::{describe_goal, format_target};
use crate::components::survey_runner::options;
use crate::contexts::i18n_context::{I18n, use_i18n};
use crate::i18n::Key;
use crate::i18n::trends::Key as TrendsKey;
use crate::store::StoreError;
use crate::trends::chart_frame::{ChartFrame, ChartLegend, ChartTable};
use crate::trends::mean_chart::{MeanChart, MeanPoint};
use crate::trends::stacked_bars::StackedBars;

/// Every chart for the current query, redrawn when it changes.
#[component]
pub fn TrendsCharts(
    trends: Memo<Option<Arc<Trends>>>,
    query: Memo<Option<Query>>,
    goals: LocalResource<Result<Vec<Goal>, StoreError>>,
    dataset: Arc<Dataset>,
    logs: Arc<Vec<SessionLog>>,
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
                {effort_chart(&context, &volunteer_effort(&logs, &query))}
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
pub(super) struct ChartContext {
    pub(super) i18n: I18n,
    language: Language,
    /// The goals of the one activity shown, over the shown range.
    goals: Vec<Goal>,
    /// The period labels, in order: the x axis of every chart.
    periods: Vec<String>,
}

impl ChartContext {
    pub(super) fn new(i18n: I18n, trends: &Trends, goals: Vec<Goal>) -> ChartContext {
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

    pub(super) fn number(&self, value: f64, decimals: usize) -> String {
        self.language.format_number(value, decimals)
    }

    fn percent(&self, share: f64) -> String {
        format!("{} %", self.number(share * 100.0, 0))
    }

    /// The dashed line of the goal on `metric` that has a target, if there is one.
    fn target(&self, metric: GoalMetric) -> Option<(f64, String)> {
        self.goals
            .iter()
            .filter(|goal| goal.metric == metric)
            .find_map(|goal| self.goal_line(goal))
    }

    /// A goal followed without a target has no line.
    fn goal_line(&self, goal: &Goal) -> Option<(f64, String)> {
        let target = goal.target?;
        let label = self.i18n.format(
            TrendsKey::GoalsLine,
            &[("target", &format_target(target, self.language))],
        );
        Some((target, label))
    }

    /// A single figure over fewer people than the threshold.
    pub(super) fn fewer(&self) -> String {
        self.i18n.t(TrendsKey::FewerThanFive).to_owned()
    }

    /// A cell of a table whose small cells take complements of any size with them.
    fn hidden(&self) -> String {
        self.i18n.t(TrendsKey::Hidden).to_owned()
    }

    pub(super) fn text(&self, key: Key) -> String {
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
        let (language, categories, hidden_label) = (self.language, table.rows.clone(), self.hidden());
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

/// The volunteers' hours per period, from the session logs; none where no session was logged.
fn effort_chart(context: &ChartContext, effort: &[PeriodEffort]) -> Option<impl IntoView + use<>> {
    if effort.iter().all(|period| period.sessions == 0) {
        return None;
    }
    let hours = context.text(Key::TrendsEffortHours);
    let columns = vec![
        context.text(Key::TrendsEffortSessions),
        context.text(Key::TrendsEffortVolunteers),
        hours.clone(),
    ];
    let cells = effort
        .iter()
        .map(|period| {
            vec![
                Some(context.number(f64::from(period.sessions), 0)),
                Some(context.number(f64::from(period.volunteers), 0)),
                Some(context.number(period.hours(), 1)),
            ]
        })
        .collect();
    Some(context.bars(BarChart {
        id: "chart-effort".to_owned(),
        title: context.text(Key::TrendsEffortTitle),
        description: context.text(Key::TrendsEffortDescription),
        labels: vec![hours],
        series: vec![effort.iter().map(|period| Some(period.hours())).collect()],
        table: context.table(columns, cells),
        percent: false,
        target: None,
    }))
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
            let column = context
                .i18n
                .format(TrendsKey::GoalsProgressSince, &[("from", &since)]);
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
                        TrendsKey::GoalsProgressTitle,
                        &[("goal", &describe_goal(goal, context.i18n))],
                    ),
                    description: context
                        .i18n
                        .format(TrendsKey::GoalsProgressDescription, &[("from", &since)]),
                    labels: vec![column.clone()],
                    series,
                    table: ChartTable {
                        row_heading: context.text(Key::TrendsPeriod),
                        rows,
                        columns: vec![column],
                        cells,
                    },
                    percent,
                    target: context.goal_line(goal),
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
                TrendsKey::Moves,
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
                title: context.i18n.format(TrendsKey::BandsTitle, &[("measure", &title)]),
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
                        Suppressible::Hidden => context.hidden(),
                    };
                    let text = match (paired.people, paired.mean_change) {
                        (Suppressible::Shown(people), Suppressible::Shown(change)) => context.i18n.format(
                            TrendsKey::Paired,
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
                                    .format(TrendsKey::Answer, &[("value", &value.to_string())])
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
