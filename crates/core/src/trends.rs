//! The numbers behind the trends page, computed from the records in one pass per figure.
//!
//! Attendance figures are the organisation's own everyday counts and are never suppressed. Every
//! survey figure goes through `suppression`: a figure over fewer distinct people than the threshold
//! is hidden, with its complementary cells.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::{Activity, Occurrence};
use crate::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use crate::goal::{Goal, GoalMetric};
use crate::ids::{ActivityId, AttendanceId, ParticipantId, TemplateId};
use crate::instruments::Instrument;
use crate::organisation::ReportingSettings;
use crate::period::{Granularity, Period};
use crate::role::{Role, RoleCounts};
use crate::scoring::{Band, Measure, Scoring, score_values};
use crate::session_log::SessionLog;
use crate::story::Story;
use crate::suppression::{Share, Suppressible, at_least, suppress_cells};
use crate::survey::{QuestionId, SurveyResponse, SurveyTemplate, Templates};

/// A named attendance as it currently stands (withdrawn check-ins are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub participant: ParticipantId,
    pub activity: ActivityId,
    pub date: NaiveDate,
    pub role: Role,
}

impl Visit {
    /// The visits a device's check-ins stand for after their events: withdrawn ones left out, role
    /// changes applied.
    pub fn from_records(attendance: &[Attendance], events: &[AttendanceEvent]) -> Vec<Visit> {
        let mut events_of: HashMap<AttendanceId, Vec<&AttendanceEvent>> = HashMap::new();
        for event in events {
            events_of.entry(event.attendance).or_default().push(event);
        }
        attendance
            .iter()
            .filter_map(|record| {
                let state = record.state(events_of.get(&record.id).into_iter().flatten().copied());
                (!state.withdrawn).then_some(Visit {
                    participant: record.participant,
                    activity: record.activity,
                    date: record.date,
                    role: state.role,
                })
            })
            .collect()
    }
}

/// Anonymous attendance: the net of one or more headcount taps for a role at an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headcount {
    pub activity: ActivityId,
    pub date: NaiveDate,
    pub role: Role,
    pub delta: i32,
}

impl From<&HeadcountEvent> for Headcount {
    fn from(event: &HeadcountEvent) -> Headcount {
        Headcount {
            activity: event.activity,
            date: event.date,
            role: event.role,
            delta: event.delta,
        }
    }
}

impl Headcount {
    fn occurrence(&self) -> Occurrence {
        Occurrence {
            activity: self.activity,
            date: self.date,
        }
    }
}

/// What the trends use of a survey response: who, when, which template, and the numeric answers
/// (free text and how it was answered never enter a figure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answered {
    pub template: TemplateId,
    pub template_version: u32,
    pub activity: ActivityId,
    pub date: NaiveDate,
    pub participant: Option<ParticipantId>,
    pub recorded_at: DateTime<Utc>,
    pub values: BTreeMap<QuestionId, i64>,
}

impl From<&SurveyResponse> for Answered {
    fn from(response: &SurveyResponse) -> Answered {
        Answered {
            template: response.template,
            template_version: response.template_version,
            activity: response.activity,
            date: response.date,
            participant: response.participant,
            recorded_at: response.recorded_at,
            values: response
                .answers
                .iter()
                .filter_map(|(question, answer)| Some((question.clone(), answer.value()?)))
                .collect(),
        }
    }
}

/// Everything the trends are computed from.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub visits: Vec<Visit>,
    pub headcounts: Vec<Headcount>,
    pub responses: Vec<Answered>,
    /// Custom templates (the built-ins are known without being listed).
    pub templates: Vec<SurveyTemplate>,
}

/// What to compute: a date range (both days included), a granularity and, optionally, one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    pub activity: Option<ActivityId>,
    pub settings: ReportingSettings,
}

impl Query {
    /// Whether the query is about `activity` (all activities, or that one).
    pub fn includes_activity(&self, activity: ActivityId) -> bool {
        self.activity.is_none_or(|wanted| wanted == activity)
    }

    /// Whether a record of `activity` on `date` is within the query.
    pub fn includes(&self, activity: ActivityId, date: NaiveDate) -> bool {
        self.includes_activity(activity) && self.from <= date && date <= self.to
    }

    fn periods(&self) -> Vec<Period> {
        Period::covering(self.from, self.to, self.granularity)
    }

    fn period_of(&self, date: NaiveDate) -> Period {
        Period::containing(date, self.granularity)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccurrenceAttendance {
    pub occurrence: Occurrence,
    pub named: RoleCounts,
    pub anonymous: RoleCounts,
}

impl OccurrenceAttendance {
    pub fn total(&self) -> u32 {
        self.named.total() + self.anonymous.total()
    }
}

/// Named and anonymous attendance per occurrence, by role, in date order.
pub fn attendance_per_occurrence(data: &Dataset, query: &Query) -> Vec<OccurrenceAttendance> {
    let mut by_occurrence: BTreeMap<Occurrence, (RoleCounts, BTreeMap<Role, i64>)> = BTreeMap::new();
    for visit in data.visits.iter().filter(|v| query.includes(v.activity, v.date)) {
        let occurrence = Occurrence {
            activity: visit.activity,
            date: visit.date,
        };
        by_occurrence.entry(occurrence).or_default().0.add(visit.role, 1);
    }
    for event in data
        .headcounts
        .iter()
        .filter(|e| query.includes(e.activity, e.date))
    {
        *by_occurrence
            .entry(event.occurrence())
            .or_default()
            .1
            .entry(event.role)
            .or_default() += i64::from(event.delta);
    }
    by_occurrence
        .into_iter()
        .map(|(occurrence, (named, anonymous_sums))| {
            let mut anonymous = RoleCounts::default();
            for (role, sum) in anonymous_sums {
                anonymous.add(role, u32::try_from(sum.max(0)).unwrap_or(u32::MAX));
            }
            OccurrenceAttendance {
                occurrence,
                named,
                anonymous,
            }
        })
        .collect()
}

/// Distinct named participants in a period: new (first time ever), returning, or back after an
/// absence longer than the gap. Never "absent": irregular attendance is normal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodParticipation {
    pub period: Period,
    pub unique: u32,
    pub new: u32,
    pub returning: u32,
    pub back_after_absence: u32,
}

/// Each named participant's days at the query's activities over all time (sorted, each once):
/// "new" and "back after a break" look before the range too.
fn days_per_participant(data: &Dataset, query: &Query) -> Vec<Vec<NaiveDate>> {
    let mut dates: HashMap<ParticipantId, Vec<NaiveDate>> = HashMap::new();
    for visit in data.visits.iter().filter(|v| query.includes_activity(v.activity)) {
        dates.entry(visit.participant).or_default().push(visit.date);
    }
    dates
        .into_values()
        .map(|mut dates| {
            dates.sort_unstable();
            dates.dedup();
            dates
        })
        .collect()
}

pub fn participation(data: &Dataset, query: &Query) -> Vec<PeriodParticipation> {
    let gap = Days::new(u64::from(query.settings.absence_gap_weeks) * 7);
    let periods = query.periods();
    let mut rows: Vec<PeriodParticipation> = periods
        .iter()
        .map(|&period| PeriodParticipation {
            period,
            unique: 0,
            new: 0,
            returning: 0,
            back_after_absence: 0,
        })
        .collect();
    for dates in days_per_participant(data, query) {
        for row in &mut rows {
            let start = row.period.start.max(query.from);
            let end = row.period.end().min(query.to.succ_opt().unwrap_or(query.to));
            let Some(arrival) = Arrival::of(&dates, start, end, gap) else {
                continue;
            };
            row.unique += 1;
            match arrival {
                Arrival::New => row.new += 1,
                Arrival::Returning => row.returning += 1,
                Arrival::BackAfterAbsence => row.back_after_absence += 1,
            }
        }
    }
    rows
}

/// How a participant came in a span of days: for the first time ever, again, or back after an
/// absence longer than the gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arrival {
    New,
    Returning,
    BackAfterAbsence,
}

impl Arrival {
    /// `dates` are the participant's days over all time, sorted and without repeats; the span is
    /// `start` up to (not including) `end`. `None` when they did not come in it.
    fn of(dates: &[NaiveDate], start: NaiveDate, end: NaiveDate, gap: Days) -> Option<Arrival> {
        let first_in_span = dates.partition_point(|d| *d < start);
        let first = *dates.get(first_in_span).filter(|d| **d < end)?;
        Some(match first_in_span.checked_sub(1).map(|i| dates[i]) {
            None => Arrival::New,
            Some(previous) if previous.checked_add_days(gap).is_some_and(|back| back < first) => {
                Arrival::BackAfterAbsence
            }
            Some(_) => Arrival::Returning,
        })
    }
}

/// The goal's whole period as one span: how many came again (returning or back after a break) and
/// how many of those came back after a break.
fn comings_again(data: &Dataset, query: &Query) -> (u32, u32) {
    let gap = Days::new(u64::from(query.settings.absence_gap_weeks) * 7);
    let end = query.to.succ_opt().unwrap_or(query.to);
    let (mut again, mut back) = (0, 0);
    for dates in days_per_participant(data, query) {
        match Arrival::of(&dates, query.from, end, gap) {
            Some(Arrival::Returning) => again += 1,
            Some(Arrival::BackAfterAbsence) => {
                again += 1;
                back += 1;
            }
            Some(Arrival::New) | None => {}
        }
    }
    (again, back)
}

/// The sessions held in a period and the mean attendance per session held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodAttendance {
    pub period: Period,
    pub sessions: u32,
    /// The mean number of named people per session in each role, in `Role::ALL` order.
    pub named: [f64; 3],
    /// The mean number of anonymous people per session.
    pub anonymous: f64,
}

/// Attendances per role in a period: named (by their current role) and anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRoles {
    pub period: Period,
    pub named: RoleCounts,
    pub anonymous: RoleCounts,
}

impl PeriodRoles {
    /// Each role's share (0 to 1) of all attendances in the period, named and anonymous, in
    /// `Role::ALL` order; all 0 when nobody came.
    pub fn shares(&self) -> [f64; 3] {
        let all = self.named + self.anonymous;
        let total = f64::from(all.total().max(1));
        Role::ALL.map(|role| f64::from(all.get(role)) / total)
    }
}

pub fn role_mix(occurrences: &[OccurrenceAttendance], query: &Query) -> Vec<PeriodRoles> {
    let mut rows: Vec<PeriodRoles> = query
        .periods()
        .into_iter()
        .map(|period| PeriodRoles {
            period,
            named: RoleCounts::default(),
            anonymous: RoleCounts::default(),
        })
        .collect();
    for occurrence in occurrences {
        let period = query.period_of(occurrence.occurrence.date);
        if let Some(row) = rows.iter_mut().find(|row| row.period == period) {
            row.named = row.named + occurrence.named;
            row.anonymous = row.anonymous + occurrence.anonymous;
        }
    }
    rows
}

/// How many people moved from one role to another: their first role in the range against their latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleMove {
    pub from: Role,
    pub to: Role,
    pub people: u32,
}

pub fn role_moves(data: &Dataset, query: &Query) -> Vec<RoleMove> {
    type Seen = (NaiveDate, Role);
    let mut first_and_latest: HashMap<ParticipantId, (Seen, Seen)> = HashMap::new();
    for visit in data.visits.iter().filter(|v| query.includes(v.activity, v.date)) {
        let seen = (visit.date, visit.role);
        first_and_latest
            .entry(visit.participant)
            .and_modify(|(first, latest)| {
                if seen.0 < first.0 {
                    *first = seen;
                }
                if seen.0 > latest.0 {
                    *latest = seen;
                }
            })
            .or_insert((seen, seen));
    }
    let mut moves: BTreeMap<(Role, Role), u32> = BTreeMap::new();
    for ((_, from), (_, to)) in first_and_latest.into_values() {
        if from != to {
            *moves.entry((from, to)).or_default() += 1;
        }
    }
    moves
        .into_iter()
        .map(|((from, to), people)| RoleMove { from, to, people })
        .collect()
}

/// Statistics of one measure in one period, over distinct people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureStats {
    pub period: Period,
    pub measure: Measure,
    pub people: Suppressible<u32>,
    pub mean: Suppressible<f64>,
    /// The 95 % confidence interval of the mean (Student's t).
    pub ci95: Suppressible<(f64, f64)>,
    /// The share in each band (`Measure::bands` order), over the people whose score has a band.
    pub bands: Vec<(Band, Suppressible<Share>)>,
}

/// One scored response's measurements, tagged with who answered (anonymous answers stand alone).
struct Scored<'a> {
    respondent: Respondent,
    response: &'a Answered,
    measure: Measure,
    value: f64,
    band: Option<Band>,
}

/// The scored measurements of the validated responses in the query's range.
fn scored<'a>(data: &'a Dataset, query: &Query) -> Vec<Scored<'a>> {
    data.responses
        .iter()
        .enumerate()
        .filter(|(_, response)| query.includes(response.activity, response.date))
        .filter_map(|(index, response)| {
            let instrument = Instrument::from_template_id(response.template)?;
            match score_values(instrument, &response.values) {
                Scoring::Scored { score } => Some((index, response, score)),
                Scoring::NotScored { .. } => None,
            }
        })
        .flat_map(|(index, response, score)| {
            let respondent = response
                .participant
                .map_or(Respondent::Anonymous(index), Respondent::Linked);
            score.measurements().into_iter().map(move |measurement| Scored {
                respondent,
                response,
                measure: measurement.measure,
                value: measurement.value,
                band: measurement.band,
            })
        })
        .collect()
}

/// Who answered: a linked participant counts once however often they answered; each anonymous
/// response (by its position in the dataset) is its own person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Respondent {
    Linked(ParticipantId),
    Anonymous(usize),
}

/// A respondent's latest measurement of one measure.
#[derive(Debug, Clone, Copy)]
struct Latest {
    date: NaiveDate,
    value: f64,
    band: Option<Band>,
}

/// Each respondent's latest measurement among `scored`, so a linked participant who answered
/// several times counts once.
fn latest_per_respondent<'a>(
    scored: impl IntoIterator<Item = &'a Scored<'a>>,
) -> BTreeMap<Respondent, Latest> {
    let mut latest: BTreeMap<Respondent, Latest> = BTreeMap::new();
    for scored in scored {
        let candidate = Latest {
            date: scored.response.date,
            value: scored.value,
            band: scored.band,
        };
        latest
            .entry(scored.respondent)
            .and_modify(|current| {
                if candidate.date >= current.date {
                    *current = candidate;
                }
            })
            .or_insert(candidate);
    }
    latest
}

pub fn measure_stats(data: &Dataset, query: &Query) -> Vec<MeasureStats> {
    measure_stats_of(&scored(data, query), query)
}

fn measure_stats_of(scored: &[Scored], query: &Query) -> Vec<MeasureStats> {
    let threshold = query.settings.suppression_threshold;
    let mut groups: BTreeMap<(Period, Measure), Vec<&Scored>> = BTreeMap::new();
    for measurement in scored {
        groups
            .entry((query.period_of(measurement.response.date), measurement.measure))
            .or_default()
            .push(measurement);
    }
    groups
        .into_iter()
        .map(|((period, measure), group)| {
            let by_person = latest_per_respondent(group);
            let values: Vec<f64> = by_person.values().map(|latest| latest.value).collect();
            let people = u32::try_from(values.len()).unwrap_or(u32::MAX);
            let (mean, ci95) = mean_and_ci95(&values);
            let bands = measure.bands();
            let counts: Vec<u32> = bands
                .iter()
                .map(|band| {
                    let count = by_person
                        .values()
                        .filter(|latest| latest.band == Some(*band))
                        .count();
                    u32::try_from(count).unwrap_or(u32::MAX)
                })
                .collect();
            MeasureStats {
                period,
                measure,
                people: at_least(people, threshold, || people),
                mean: at_least(people, threshold, || mean),
                ci95: at_least(people, threshold, || ci95),
                bands: bands
                    .into_iter()
                    .zip(suppress_cells(&counts, threshold))
                    .collect(),
            }
        })
        .collect()
}

/// Change per person for pseudonymously linked respondents: their first against their latest
/// measurement in the range. Anonymous answers never enter here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedChange {
    pub measure: Measure,
    pub people: Suppressible<u32>,
    pub mean_change: Suppressible<f64>,
    pub ci95: Suppressible<(f64, f64)>,
    /// Improved / unchanged / worsened: by at least the meaningful change where there is one
    /// (WHO-5: 10 points), otherwise by any amount, in the measure's good direction.
    pub improved: Suppressible<Share>,
    pub unchanged: Suppressible<Share>,
    pub worsened: Suppressible<Share>,
}

pub fn paired_change(data: &Dataset, query: &Query, measure: Measure) -> PairedChange {
    paired_change_of(&scored(data, query), query, measure)
}

fn paired_change_of(scored: &[Scored], query: &Query, measure: Measure) -> PairedChange {
    let threshold = query.settings.suppression_threshold;
    let mut series: BTreeMap<ParticipantId, Vec<(NaiveDate, DateTime<Utc>, f64)>> = BTreeMap::new();
    for scored in scored.iter().filter(|s| s.measure == measure) {
        if let Some(participant) = scored.response.participant {
            series.entry(participant).or_default().push((
                scored.response.date,
                scored.response.recorded_at,
                scored.value,
            ));
        }
    }
    let changes: Vec<f64> = series
        .into_values()
        .filter(|measurements| measurements.len() >= 2)
        .map(|mut measurements| {
            measurements.sort_by_key(|(date, recorded_at, _)| (*date, *recorded_at));
            measurements[measurements.len() - 1].2 - measurements[0].2
        })
        .collect();
    let people = u32::try_from(changes.len()).unwrap_or(u32::MAX);
    let (mean, ci95) = mean_and_ci95(&changes);
    let meaningful = measure.meaningful_change().unwrap_or(f64::MIN_POSITIVE);
    let direction = if measure.higher_is_better() { 1.0 } else { -1.0 };
    let count = |keep: &dyn Fn(f64) -> bool| {
        u32::try_from(changes.iter().filter(|change| keep(**change * direction)).count()).unwrap_or(u32::MAX)
    };
    let cells = suppress_cells(
        &[
            count(&|change| change >= meaningful),
            count(&|change| change.abs() < meaningful),
            count(&|change| change <= -meaningful),
        ],
        threshold,
    );
    PairedChange {
        measure,
        people: at_least(people, threshold, || people),
        mean_change: at_least(people, threshold, || mean),
        ci95: at_least(people, threshold, || ci95),
        improved: cells[0],
        unchanged: cells[1],
        worsened: cells[2],
    }
}

/// Answers to one question of a session or custom template in one period: counts and shares only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionShares {
    pub period: Period,
    pub template: TemplateId,
    pub question: QuestionId,
    pub people: Suppressible<u32>,
    /// Each possible answer value with its share.
    pub answers: Vec<(i64, Suppressible<Share>)>,
}

pub fn session_shares(data: &Dataset, query: &Query) -> Vec<QuestionShares> {
    let threshold = query.settings.suppression_threshold;
    // The validated instruments have measures of their own; only the other questions are shared out.
    let template_of = |response: &Answered| -> Option<&SurveyTemplate> {
        if Instrument::from_template_id(response.template).is_some_and(|i| i.is_validated()) {
            return None;
        }
        Templates::new(&data.templates).version(response.template, response.template_version)
    };
    let mut templates: HashMap<(TemplateId, u32), Option<&SurveyTemplate>> = HashMap::new();
    let mut counts: BTreeMap<(Period, TemplateId, QuestionId), BTreeMap<i64, u32>> = BTreeMap::new();
    let mut scales: HashMap<(TemplateId, QuestionId), Vec<i64>> = HashMap::new();
    for response in data
        .responses
        .iter()
        .filter(|r| query.includes(r.activity, r.date))
    {
        let template = templates
            .entry((response.template, response.template_version))
            .or_insert_with(|| template_of(response));
        let Some(template) = template else { continue };
        for question in &template.questions {
            let Some((min, max)) = question.kind.scale() else {
                continue;
            };
            let possible: Vec<i64> = match &question.kind {
                crate::survey::QuestionKind::SingleChoice { choices } => {
                    choices.iter().map(|choice| i64::from(choice.value)).collect()
                }
                _ => (min..=max).collect(),
            };
            scales
                .entry((template.id, question.id.clone()))
                .or_insert(possible);
            let Some(value) = response.values.get(&question.id).copied() else {
                continue;
            };
            *counts
                .entry((query.period_of(response.date), template.id, question.id.clone()))
                .or_default()
                .entry(value)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((period, template, question), by_value)| {
            let possible = scales
                .get(&(template, question.clone()))
                .cloned()
                .unwrap_or_default();
            let cells: Vec<u32> = possible
                .iter()
                .map(|value| by_value.get(value).copied().unwrap_or(0))
                .collect();
            let people: u32 = cells.iter().sum();
            QuestionShares {
                period,
                template,
                question,
                people: at_least(people, threshold, || people),
                answers: possible
                    .into_iter()
                    .zip(suppress_cells(&cells, threshold))
                    .collect(),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum GoalStatus {
    Met(f64),
    NotMet(f64),
    /// The figure of an indicator followed without a target.
    Followed(f64),
    NotEnoughData,
}

/// What the trends read beside the month packs' `Dataset`: the sessions' logs and the stories.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionsAndStories<'a> {
    pub session_logs: &'a [SessionLog],
    pub stories: &'a [Story],
}

pub fn goal_status(
    goal: &Goal,
    data: &Dataset,
    beside: SessionsAndStories,
    settings: ReportingSettings,
) -> GoalStatus {
    match (indicator_value(goal, data, beside, settings).value, goal.target) {
        (None, _) => GoalStatus::NotEnoughData,
        (Some(value), None) => GoalStatus::Followed(value),
        (Some(value), Some(target)) if goal.comparison.holds(value, target) => GoalStatus::Met(value),
        (Some(value), Some(_)) => GoalStatus::NotMet(value),
    }
}

/// An indicator's figure over its goal's period, and what it is counted over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorValue {
    /// `None` when there is nothing to count yet, or when the figure is hidden (a survey figure
    /// over fewer people than the threshold).
    pub value: Option<f64>,
    /// What a mean or a share is over (sessions held, participants, people who answered), so
    /// figures of several organisations combine; for a count, the count.
    pub over: u32,
}

pub fn indicator_value(
    goal: &Goal,
    data: &Dataset,
    beside: SessionsAndStories,
    settings: ReportingSettings,
) -> IndicatorValue {
    let query = Query {
        from: goal.from,
        to: goal.to,
        granularity: Granularity::Quarter,
        activity: Some(goal.activity),
        settings,
    };
    let count = |count: u32| IndicatorValue {
        value: Some(f64::from(count)),
        over: count,
    };
    let counted = |over: usize, value: Option<f64>| IndicatorValue {
        value,
        over: u32::try_from(over).unwrap_or(u32::MAX),
    };
    match goal.metric {
        GoalMetric::MeanAttendance => {
            let occurrences = attendance_per_occurrence(data, &query);
            let total: u32 = occurrences.iter().map(OccurrenceAttendance::total).sum();
            counted(
                occurrences.len(),
                (!occurrences.is_empty()).then(|| f64::from(total) / occurrences.len() as f64),
            )
        }
        GoalMetric::UniqueParticipants | GoalMetric::NewParticipantsPercent => {
            // The goal's own period as one period, however long it is.
            let (unique, new) = people_in(data, &query);
            match goal.metric {
                GoalMetric::UniqueParticipants => IndicatorValue {
                    value: (unique > 0).then_some(f64::from(unique)),
                    over: unique,
                },
                _ => IndicatorValue {
                    value: (unique > 0).then(|| f64::from(new) * 100.0 / f64::from(unique)),
                    over: unique,
                },
            }
        }
        GoalMetric::MovesToVolunteer => count(
            role_moves(data, &query)
                .iter()
                .filter(|moved| moved.to == Role::Frivillig)
                .map(|moved| moved.people)
                .sum(),
        ),
        GoalMetric::VolunteerHours => {
            let held: Vec<&SessionLog> = held_logs(beside.session_logs, &query).collect();
            counted(
                held.len(),
                (!held.is_empty()).then(|| held.iter().map(|log| log.hours()).sum()),
            )
        }
        // A count of stories is a value from the first day: none told yet is 0.
        GoalMetric::StoriesTold => count(
            u32::try_from(
                beside
                    .stories
                    .iter()
                    .filter(|story| query.includes(story.activity, story.date))
                    .filter(|story| goal.outcome.is_none() || story.outcome == goal.outcome)
                    .count(),
            )
            .unwrap_or(u32::MAX),
        ),
        GoalMetric::ReturningParticipants => count(comings_again(data, &query).0),
        GoalMetric::BackAfterBreak => count(comings_again(data, &query).1),
        GoalMetric::BandShare { measure, band } => {
            let scored = scored(data, &query);
            let latest = latest_per_respondent(scored.iter().filter(|s| s.measure == measure));
            let banded = latest.values().filter(|latest| latest.band.is_some());
            let inside = u32::try_from(banded.clone().filter(|latest| latest.band == Some(band)).count())
                .unwrap_or(u32::MAX);
            let all = banded.count();
            let outside = u32::try_from(all).unwrap_or(u32::MAX) - inside;
            // The band against the rest: a table of two cells, so a hidden one hides the other.
            let share = suppress_cells(&[inside, outside], settings.suppression_threshold)[0]
                .shown()
                .map(|inside| inside.share * 100.0);
            counted(all, share)
        }
        GoalMetric::PairedChange { measure } => {
            let paired = paired_change(data, &query, measure);
            IndicatorValue {
                value: paired.mean_change.shown(),
                over: paired.people.shown().unwrap_or(0),
            }
        }
        GoalMetric::MeasureMean { measure } => {
            let scored = scored(data, &query);
            let values: Vec<f64> = latest_per_respondent(scored.iter().filter(|s| s.measure == measure))
                .into_values()
                .map(|latest| latest.value)
                .collect();
            let people = u32::try_from(values.len()).unwrap_or(u32::MAX);
            let mean = at_least(people, settings.suppression_threshold, || {
                mean_and_ci95(&values).0
            });
            IndicatorValue {
                value: mean.shown(),
                over: people,
            }
        }
    }
}

/// How a goal on people (different participants, share of new ones) stands from its start to the
/// end of each period: counted over the goal's own period so far, so the last value is the goal's
/// status. Periods are `granularity`'s, from the goal's start until `until` or the goal's end.
/// Other metrics are per session or per answer and are drawn on their own charts: none here.
pub fn goal_progress(
    goal: &Goal,
    data: &Dataset,
    granularity: Granularity,
    until: NaiveDate,
    settings: ReportingSettings,
) -> Vec<(Period, Option<f64>)> {
    if !matches!(
        goal.metric,
        GoalMetric::UniqueParticipants | GoalMetric::NewParticipantsPercent
    ) {
        return Vec::new();
    }
    let whole = Query {
        from: goal.from,
        to: goal.to,
        granularity,
        activity: Some(goal.activity),
        settings,
    };
    // One pass over the visits: each participant's first visit in the goal's period, then counted
    // up to the end of each period.
    let arrivals = arrivals(data, &whole);
    Period::covering(goal.from, goal.to.min(until), granularity)
        .into_iter()
        .map(|period| {
            let end = period.end().pred_opt().unwrap_or(period.start).min(goal.to);
            let so_far = &arrivals[..arrivals.partition_point(|(date, _)| *date <= end)];
            let unique = u32::try_from(so_far.len()).unwrap_or(u32::MAX);
            let new = u32::try_from(so_far.iter().filter(|(_, new)| *new).count()).unwrap_or(u32::MAX);
            let value = match goal.metric {
                GoalMetric::UniqueParticipants => Some(f64::from(unique)),
                _ => (unique > 0).then(|| f64::from(new) * 100.0 / f64::from(unique)),
            };
            (period, value)
        })
        .collect()
}

/// Distinct named participants in the query's range, and how many of them came for the first time ever.
fn people_in(data: &Dataset, query: &Query) -> (u32, u32) {
    let arrivals = arrivals(data, query);
    let new = arrivals.iter().filter(|(_, new)| *new).count();
    (
        u32::try_from(arrivals.len()).unwrap_or(u32::MAX),
        u32::try_from(new).unwrap_or(u32::MAX),
    )
}

/// Each named participant who came in the query's range: the day they first came in it, and
/// whether that was their first time ever (new), in date order.
fn arrivals(data: &Dataset, query: &Query) -> Vec<(NaiveDate, bool)> {
    let mut first_ever: HashMap<ParticipantId, NaiveDate> = HashMap::new();
    let mut first_in_range: HashMap<ParticipantId, NaiveDate> = HashMap::new();
    let keep_earliest = |firsts: &mut HashMap<ParticipantId, NaiveDate>, visit: &Visit| {
        firsts
            .entry(visit.participant)
            .and_modify(|first| *first = (*first).min(visit.date))
            .or_insert(visit.date);
    };
    for visit in data.visits.iter().filter(|v| query.includes_activity(v.activity)) {
        keep_earliest(&mut first_ever, visit);
        if query.includes(visit.activity, visit.date) {
            keep_earliest(&mut first_in_range, visit);
        }
    }
    let mut arrivals: Vec<(NaiveDate, bool)> = first_in_range
        .into_iter()
        .map(|(participant, date)| (date, first_ever[&participant] >= query.from))
        .collect();
    arrivals.sort_unstable();
    arrivals
}

/// The mean and its 95 % confidence interval (Student's t with n - 1 degrees of freedom).
///
/// The values are summed in ascending order, so the same values give the same figure to the last
/// bit whatever order the records were read in.
pub fn mean_and_ci95(values: &[f64]) -> (f64, (f64, f64)) {
    let n = values.len();
    if n == 0 {
        return (0.0, (0.0, 0.0));
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let values = &sorted[..];
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (mean, (mean, mean));
    }
    let variance = values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half_width = t_critical_95(n - 1) * (variance / n as f64).sqrt();
    (mean, (mean - half_width, mean + half_width))
}

/// Two-sided 95 % critical values of Student's t; between table rows the smaller df (wider) is used.
fn t_critical_95(degrees_of_freedom: usize) -> f64 {
    #[rustfmt::skip]
    const TABLE: [(usize, f64); 35] = [
        (1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447), (7, 2.365),
        (8, 2.306), (9, 2.262), (10, 2.228), (11, 2.201), (12, 2.179), (13, 2.160), (14, 2.145),
        (15, 2.131), (16, 2.120), (17, 2.110), (18, 2.101), (19, 2.093), (20, 2.086), (21, 2.080),
        (22, 2.074), (23, 2.069), (24, 2.064), (25, 2.060), (26, 2.056), (27, 2.052), (28, 2.048),
        (29, 2.045), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (1000, 1.962), (usize::MAX, 1.960),
    ];
    TABLE
        .iter()
        .rev()
        .find(|(df, _)| *df <= degrees_of_freedom)
        .map_or(TABLE[0].1, |(_, t)| *t)
}

/// The headline numbers of a range: what a report starts with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyFigures {
    /// Occurrences with any attendance.
    pub sessions: u32,
    /// Named and anonymous attendances.
    pub attendances: u32,
    pub anonymous: u32,
    /// Distinct named participants.
    pub participants: u32,
    /// Of those, how many came for the first time ever.
    pub new_participants: u32,
    /// Survey responses: a survey figure, so hidden under the threshold.
    pub responses: Suppressible<u32>,
}

pub fn key_figures(data: &Dataset, occurrences: &[OccurrenceAttendance], query: &Query) -> KeyFigures {
    let (participants, new_participants) = people_in(data, query);
    let anonymous: u32 = occurrences.iter().map(|o| o.anonymous.total()).sum();
    let responses = data
        .responses
        .iter()
        .filter(|response| query.includes(response.activity, response.date))
        .count();
    let responses = u32::try_from(responses).unwrap_or(u32::MAX);
    KeyFigures {
        sessions: u32::try_from(occurrences.len()).unwrap_or(u32::MAX),
        attendances: occurrences.iter().map(OccurrenceAttendance::total).sum(),
        anonymous,
        participants,
        new_participants,
        responses: at_least(responses, query.settings.suppression_threshold, || responses),
    }
}

/// The whole trends page for one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    pub key_figures: KeyFigures,
    pub sessions_per_participant: Vec<(SessionsBand, Suppressible<Share>)>,
    pub attendance: Vec<OccurrenceAttendance>,
    pub participation: Vec<PeriodParticipation>,
    pub roles: Vec<PeriodRoles>,
    pub role_moves: Vec<RoleMove>,
    pub measures: Vec<MeasureStats>,
    pub paired: Vec<PairedChange>,
    pub session: Vec<QuestionShares>,
}

/// How many sessions a participant came to in the range, in bands for the distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SessionsBand {
    Once,
    TwoOrThree,
    FourToNine,
    TenOrMore,
}

impl SessionsBand {
    pub const ALL: [SessionsBand; 4] = [
        SessionsBand::Once,
        SessionsBand::TwoOrThree,
        SessionsBand::FourToNine,
        SessionsBand::TenOrMore,
    ];

    pub fn of(sessions: usize) -> SessionsBand {
        match sessions {
            0 | 1 => SessionsBand::Once,
            2..=3 => SessionsBand::TwoOrThree,
            4..=9 => SessionsBand::FourToNine,
            _ => SessionsBand::TenOrMore,
        }
    }
}

/// How many named participants came to how many sessions in the range (each band's share of
/// them), with small cells and their complements hidden as in every table of people.
pub fn sessions_per_participant(data: &Dataset, query: &Query) -> Vec<(SessionsBand, Suppressible<Share>)> {
    let mut sessions: HashMap<ParticipantId, std::collections::HashSet<(ActivityId, NaiveDate)>> =
        HashMap::new();
    for visit in data
        .visits
        .iter()
        .filter(|visit| query.includes(visit.activity, visit.date))
    {
        sessions
            .entry(visit.participant)
            .or_default()
            .insert((visit.activity, visit.date));
    }
    let mut counts = [0u32; SessionsBand::ALL.len()];
    for attended in sessions.values() {
        counts[SessionsBand::of(attended.len()) as usize] += 1;
    }
    SessionsBand::ALL
        .into_iter()
        .zip(suppress_cells(&counts, query.settings.suppression_threshold))
        .collect()
}

/// The sessions the running activities' schedules planned in the range, against those held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Sessions the schedules planned.
    pub planned: u32,
    /// Of those, the ones held: anyone was recorded at them.
    pub held: u32,
    /// Sessions held on a day no schedule planned.
    pub extra: u32,
    /// Planned sessions not held that were logged as cancelled (the rest of those not held
    /// were neither held nor explained).
    pub cancelled: u32,
}

/// The sessions held (`occurrences`, as `attendance_per_occurrence` gives them) against those
/// planned by the schedules of the activities the query includes that are still running (an
/// archived activity plans nothing). `None` when none of them has a schedule.
pub fn delivery(
    occurrences: &[OccurrenceAttendance],
    activities: &[Activity],
    logs: &[SessionLog],
    query: &Query,
) -> Option<Delivery> {
    let running: Vec<&Activity> = activities
        .iter()
        .filter(|activity| !activity.archived && query.includes_activity(activity.id))
        .collect();
    if running.iter().all(|activity| activity.schedule.is_none()) {
        return None;
    }
    let planned: std::collections::HashSet<(ActivityId, NaiveDate)> = running
        .iter()
        .flat_map(|activity| {
            activity
                .planned_dates(query.from, query.to)
                .into_iter()
                .map(|date| (activity.id, date))
        })
        .collect();
    let held: Vec<(ActivityId, NaiveDate)> = occurrences
        .iter()
        .map(|held| (held.occurrence.activity, held.occurrence.date))
        .filter(|(activity, _)| running.iter().any(|running| running.id == *activity))
        .collect();
    let on_plan = held.iter().filter(|session| planned.contains(session)).count();
    let held: std::collections::HashSet<(ActivityId, NaiveDate)> = held.into_iter().collect();
    // Attendance outweighs a cancellation: a session somebody came to was held.
    let cancelled = logs
        .iter()
        .filter(|log| log.is_cancelled())
        .map(|log| (log.activity, log.date))
        .filter(|session| planned.contains(session) && !held.contains(session))
        .count();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Some(Delivery {
        planned: count(planned.len()),
        held: count(on_plan),
        extra: count(held.len() - on_plan),
        cancelled: count(cancelled),
    })
}

/// The volunteers' effort in one period, from the session logs of sessions held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodEffort {
    pub period: Period,
    /// Sessions held with a log.
    pub sessions: u32,
    /// Volunteers summed over those sessions (one person at two sessions counts twice).
    pub volunteers: u32,
    pub minutes: u32,
}

impl PeriodEffort {
    pub fn hours(&self) -> f64 {
        f64::from(self.minutes) / 60.0
    }
}

/// Per period of the range: the volunteers and their hours at the sessions held. Volunteers are
/// counted, not named, so nothing here is suppressed.
pub fn volunteer_effort(logs: &[SessionLog], query: &Query) -> Vec<PeriodEffort> {
    let mut effort: Vec<PeriodEffort> = query
        .periods()
        .into_iter()
        .map(|period| PeriodEffort {
            period,
            sessions: 0,
            volunteers: 0,
            minutes: 0,
        })
        .collect();
    for log in held_logs(logs, query) {
        if let Some(period) = effort.iter_mut().find(|e| e.period.contains(log.date)) {
            period.sessions += 1;
            period.volunteers += u32::from(log.volunteers);
            period.minutes = period.minutes.saturating_add(log.volunteer_minutes);
        }
    }
    effort
}

/// The logs of the sessions held (not cancelled) in the query's range: where the volunteers' hours
/// come from.
pub fn held_logs<'a>(logs: &'a [SessionLog], query: &Query) -> impl Iterator<Item = &'a SessionLog> {
    logs.iter()
        .filter(|log| !log.is_cancelled() && query.includes(log.activity, log.date))
}

/// The sessions in the range logged as cancelled, by date, with their reasons.
pub fn cancellations<'a>(logs: &'a [SessionLog], query: &Query) -> Vec<&'a SessionLog> {
    let mut cancelled: Vec<&SessionLog> = logs
        .iter()
        .filter(|log| log.is_cancelled() && query.includes(log.activity, log.date))
        .collect();
    cancelled.sort_by_key(|log| (log.date, log.activity));
    cancelled
}

/// One measure's figures per period of the range, `None` where nobody answered.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureSeries<'a> {
    pub measure: Measure,
    pub per_period: Vec<Option<&'a MeasureStats>>,
}

impl MeasureSeries<'_> {
    /// The share in the measure's band `band` (`Measure::bands` order) in the period at `period`:
    /// a period nobody answered in has none to hide, so it counts 0 rather than hidden.
    pub fn band_share(&self, period: usize, band: usize) -> Suppressible<Share> {
        self.per_period
            .get(period)
            .copied()
            .flatten()
            .and_then(|stats| stats.bands.get(band).map(|(_, share)| *share))
            .unwrap_or(Suppressible::Shown(Share { count: 0, share: 0.0 }))
    }
}

/// One session or custom question's answer shares per period of the range.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSeries<'a> {
    pub template: TemplateId,
    pub question: QuestionId,
    /// The answer values the question has, in scale order.
    pub values: Vec<i64>,
    pub per_period: Vec<Option<&'a QuestionShares>>,
}

impl QuestionSeries<'_> {
    /// The share of answer `values[answer]` in the period at `period`: 0 where nobody answered
    /// in the period, hidden where the answers were too few to show.
    pub fn share(&self, period: usize, answer: usize) -> Suppressible<Share> {
        match self.per_period.get(period).copied().flatten() {
            None => Suppressible::Shown(Share { count: 0, share: 0.0 }),
            Some(shares) => shares
                .answers
                .get(answer)
                .map_or(Suppressible::Hidden, |(_, share)| *share),
        }
    }
}

impl Trends {
    /// The periods of the range, in order.
    pub fn periods(&self) -> Vec<Period> {
        self.participation.iter().map(|row| row.period).collect()
    }

    /// The sessions held against those planned (`delivery`), from this range's sessions.
    pub fn delivery(&self, activities: &[Activity], logs: &[SessionLog], query: &Query) -> Option<Delivery> {
        delivery(&self.attendance, activities, logs, query)
    }

    /// Per period: the sessions held and the mean attendance per session, by role and anonymous.
    pub fn attendance_per_period(&self) -> Vec<PeriodAttendance> {
        self.periods()
            .into_iter()
            .map(|period| {
                let held: Vec<&OccurrenceAttendance> = self
                    .attendance
                    .iter()
                    .filter(|occurrence| period.contains(occurrence.occurrence.date))
                    .collect();
                let sessions = held.len() as u32;
                let mean = |count: &dyn Fn(&OccurrenceAttendance) -> u32| {
                    if sessions == 0 {
                        0.0
                    } else {
                        f64::from(held.iter().map(|o| count(o)).sum::<u32>()) / f64::from(sessions)
                    }
                };
                PeriodAttendance {
                    period,
                    sessions,
                    named: Role::ALL.map(|role| mean(&|o| o.named.get(role))),
                    anonymous: mean(&|o| o.anonymous.total()),
                }
            })
            .collect()
    }

    /// Each measure with figures in the range, in `Measure` order, with its figures per period.
    pub fn measure_series(&self) -> Vec<MeasureSeries<'_>> {
        let periods = self.periods();
        let mut measures: Vec<Measure> = self.measures.iter().map(|stats| stats.measure).collect();
        measures.sort();
        measures.dedup();
        measures
            .into_iter()
            .map(|measure| MeasureSeries {
                measure,
                per_period: periods
                    .iter()
                    .map(|period| {
                        self.measures
                            .iter()
                            .find(|stats| stats.measure == measure && stats.period == *period)
                    })
                    .collect(),
            })
            .collect()
    }

    /// Each session or custom question answered in the range, with its shares per period.
    pub fn question_series(&self) -> Vec<QuestionSeries<'_>> {
        let periods = self.periods();
        let mut questions: Vec<(TemplateId, QuestionId)> = self
            .session
            .iter()
            .map(|shares| (shares.template, shares.question.clone()))
            .collect();
        questions.sort();
        questions.dedup();
        questions
            .into_iter()
            .map(|(template, question)| {
                let per_period: Vec<Option<&QuestionShares>> = periods
                    .iter()
                    .map(|period| {
                        self.session.iter().find(|shares| {
                            shares.template == template
                                && shares.question == question
                                && shares.period == *period
                        })
                    })
                    .collect();
                let values = per_period
                    .iter()
                    .flatten()
                    .next()
                    .map(|shares| shares.answers.iter().map(|(value, _)| *value).collect())
                    .unwrap_or_default();
                QuestionSeries {
                    template,
                    question,
                    values,
                    per_period,
                }
            })
            .collect()
    }

    /// Nothing recorded in the range: no attendance and no answers.
    pub fn is_empty(&self) -> bool {
        self.attendance.is_empty() && self.measures.is_empty() && self.session.is_empty()
    }

    pub fn compute(data: &Dataset, query: &Query) -> Trends {
        let attendance = attendance_per_occurrence(data, query);
        let roles = role_mix(&attendance, query);
        let scored = scored(data, query);
        Trends {
            key_figures: key_figures(data, &attendance, query),
            sessions_per_participant: sessions_per_participant(data, query),
            participation: participation(data, query),
            role_moves: role_moves(data, query),
            measures: measure_stats_of(&scored, query),
            paired: [Measure::Who5Percentage, Measure::Ucla3Sum]
                .into_iter()
                .map(|measure| paired_change_of(&scored, query, measure))
                .collect(),
            session: session_shares(data, query),
            attendance,
            roles,
        }
    }
}
