//! A report over a period in a shape a funder or a board accepts: the sessions held against the
//! plan and the deviations with their reasons, the target group reached, the results per outcome
//! of the theory of change (each indicator against its target, the stories marked for reports),
//! the reflections, and the volunteers' effort. The figures only; the app puts them into words, on
//! screen, on paper and in a Word file. Every figure is one the trends page computes, with the same
//! suppression.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::goal::Goal;
use crate::ids::{ActivityId, OutcomeId};
use crate::reflection::Reflection;
use crate::role::{Role, RoleCounts};
use crate::session_log::SessionLog;
use crate::story::Story;
use crate::theory::{self, Outcome, TheoryOfChange};
use crate::trends::{
    Dataset, Delivery, GoalStatus, Query, SessionsAndStories, attendance_per_occurrence, cancellations,
    delivery, goal_status, held_logs, key_figures, role_mix,
};

/// The shapes a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportShape {
    /// Statusrapport: for a grant (a pool such as PUF, a municipality's § 18), over the grant's period.
    StatusReport,
    /// Årsberetning: the same for a calendar year, for the board and the general meeting.
    AnnualReport,
    /// The volunteer centres' quality model: the goals and indicators with their status, and the
    /// reflections on them.
    QualityModel,
}

impl ReportShape {
    pub const ALL: [ReportShape; 3] = [
        ReportShape::StatusReport,
        ReportShape::AnnualReport,
        ReportShape::QualityModel,
    ];

    /// The shape's name in ids and file names: "statusrapport", "aarsberetning", "kvalitetsmodel".
    pub fn slug(self) -> &'static str {
        match self {
            ReportShape::StatusReport => "statusrapport",
            ReportShape::AnnualReport => "aarsberetning",
            ReportShape::QualityModel => "kvalitetsmodel",
        }
    }

    /// The shape's sections, in order.
    pub fn sections(self) -> &'static [Section] {
        match self {
            ReportShape::StatusReport | ReportShape::AnnualReport => &[
                Section::Delivery,
                Section::Reach,
                Section::Results,
                Section::Reflections,
                Section::Volunteers,
            ],
            ReportShape::QualityModel => &[Section::Results, Section::Reflections],
        }
    }
}

/// A part of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Sessions held against those planned, and the deviations.
    Delivery,
    /// The target group reached: participants, new ones, the role mix.
    Reach,
    /// Per outcome: the indicators against their targets and the stories chosen.
    Results,
    /// What the coordinators noticed and adjusted.
    Reflections,
    /// The volunteers and their hours.
    Volunteers,
}

/// What a report is computed from: the records a coordinator's device holds.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub activities: &'a [Activity],
    pub data: &'a Dataset,
    pub session_logs: &'a [SessionLog],
    pub stories: &'a [Story],
    pub goals: &'a [Goal],
    pub theories: &'a [TheoryOfChange],
    pub reflections: &'a [Reflection],
}

/// The target group reached in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Different named participants.
    pub participants: u32,
    /// Of those, the ones who came for the first time ever.
    pub new_participants: u32,
    /// Attendances, named and anonymous.
    pub attendances: u32,
    pub anonymous: u32,
    /// Attendances per role, named and anonymous together.
    pub roles: RoleCounts,
}

/// The volunteers' effort in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    /// Sessions held whose volunteers were logged.
    pub sessions_logged: u32,
    /// Volunteers summed over those sessions (one person at two sessions counts twice).
    pub volunteer_turns: u32,
    pub minutes: u32,
    /// Different people checked in as frivillig.
    pub volunteers_checked_in: u32,
}

impl Effort {
    pub fn hours(&self) -> f64 {
        f64::from(self.minutes) / 60.0
    }
}

/// An indicator and how it stands over its own period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator<'a> {
    pub goal: &'a Goal,
    pub status: GoalStatus,
}

/// One outcome's results.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeResult<'a> {
    /// `None`: the indicators and stories under no outcome of the theory in force.
    pub outcome: Option<&'a Outcome>,
    pub indicators: Vec<Indicator<'a>>,
    /// The stories a coordinator marked usable in reports, oldest first.
    pub stories: Vec<&'a Story>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report<'a> {
    pub shape: ReportShape,
    pub activity: Option<ActivityId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The theory of change in force at the period's end, which the results are read against.
    pub theory: Option<&'a TheoryOfChange>,
    /// `None` when no activity in the report has a schedule to plan by.
    pub delivery: Option<Delivery>,
    /// The sessions logged as cancelled, with their reasons, by date.
    pub cancelled: Vec<&'a SessionLog>,
    pub reach: Reach,
    /// Per outcome of the theory, in its order, then the rest; an outcome with neither indicators
    /// nor stories is left out.
    pub results: Vec<OutcomeResult<'a>>,
    /// The reflections about the period (overlapping it), oldest first.
    pub reflections: Vec<&'a Reflection>,
    pub effort: Effort,
}

impl Report<'_> {
    /// The report's sections, in order: those the standard the theory in force follows asks for in
    /// this shape (an umbrella's package), else the shape's own.
    pub fn sections(&self) -> &[Section] {
        self.theory
            .and_then(|theory| theory.standard.as_ref())
            .and_then(|standard| standard.sections_of(self.shape))
            .unwrap_or(self.shape.sections())
    }
}

impl Section {
    /// The section's name in ids.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Delivery => "delivery",
            Section::Reach => "reach",
            Section::Results => "results",
            Section::Reflections => "reflections",
            Section::Volunteers => "volunteers",
        }
    }
}

impl<'a> Report<'a> {
    /// The report of `shape` over the query's period and activity (or all).
    pub fn compute(shape: ReportShape, records: Records<'a>, query: &Query) -> Report<'a> {
        // Only the trends' figures a report shows: no survey is scored for it.
        let occurrences = attendance_per_occurrence(records.data, query);
        let overlaps = |from: NaiveDate, to: NaiveDate| from <= query.to && query.from <= to;
        let mut roles = RoleCounts::default();
        for period in role_mix(&occurrences, query) {
            roles = roles + period.named + period.anonymous;
        }
        let figures = key_figures(records.data, &occurrences, query);
        let reach = Reach {
            participants: figures.participants,
            new_participants: figures.new_participants,
            attendances: figures.attendances,
            anonymous: figures.anonymous,
            roles,
        };
        let held: Vec<&SessionLog> = held_logs(records.session_logs, query).collect();
        let mut volunteers: Vec<_> = records
            .data
            .visits
            .iter()
            .filter(|visit| visit.role == Role::Frivillig && query.includes(visit.activity, visit.date))
            .map(|visit| visit.participant)
            .collect();
        volunteers.sort_unstable();
        volunteers.dedup();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let effort = Effort {
            sessions_logged: count(held.len()),
            volunteer_turns: held.iter().map(|log| u32::from(log.volunteers)).sum(),
            minutes: held
                .iter()
                .fold(0u32, |minutes, log| minutes.saturating_add(log.volunteer_minutes)),
            volunteers_checked_in: count(volunteers.len()),
        };

        let theory = theory::in_force(records.theories, query.activity, query.to);
        let beside = SessionsAndStories {
            session_logs: records.session_logs,
            stories: records.stories,
        };
        let indicators: Vec<Indicator> = records
            .goals
            .iter()
            .filter(|goal| query.includes_activity(goal.activity) && overlaps(goal.from, goal.to))
            .map(|goal| Indicator {
                goal,
                status: goal_status(goal, records.data, beside, query.settings),
            })
            .collect();
        let mut chosen: Vec<&Story> = records
            .stories
            .iter()
            .filter(|story| story.usable_in_reports && query.includes(story.activity, story.date))
            .collect();
        chosen.sort_by_key(|story| (story.date, story.written_at));
        let outcomes: Vec<&Outcome> = theory
            .map(|theory| theory.outcomes.iter().collect())
            .unwrap_or_default();
        let known: Vec<OutcomeId> = outcomes.iter().map(|outcome| outcome.id).collect();
        let under = |wanted: Option<OutcomeId>, tagged: Option<OutcomeId>| match wanted {
            Some(_) => tagged == wanted,
            None => tagged.is_none_or(|tagged| !known.contains(&tagged)),
        };
        let results = outcomes
            .into_iter()
            .map(Some)
            .chain(std::iter::once(None))
            .map(|outcome| {
                let wanted = outcome.map(|outcome| outcome.id);
                OutcomeResult {
                    outcome,
                    indicators: indicators
                        .iter()
                        .filter(|indicator| under(wanted, indicator.goal.outcome))
                        .copied()
                        .collect(),
                    stories: chosen
                        .iter()
                        .filter(|story| under(wanted, story.outcome))
                        .copied()
                        .collect(),
                }
            })
            .filter(|result| !result.indicators.is_empty() || !result.stories.is_empty())
            .collect();

        let mut reflections: Vec<&Reflection> = records
            .reflections
            .iter()
            .filter(|note| query.includes_activity(note.activity) && overlaps(note.from, note.to))
            .collect();
        reflections.sort_by_key(|note| (note.from, note.written_at));

        Report {
            shape,
            activity: query.activity,
            from: query.from,
            to: query.to,
            theory,
            delivery: delivery(&occurrences, records.activities, records.session_logs, query),
            cancelled: cancellations(records.session_logs, query),
            reach,
            results,
            reflections,
            effort,
        }
    }
}
