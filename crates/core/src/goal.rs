//! Goals per activity (the volunteer-centre quality loop: set goals, collect, reflect, adjust).
//!
//! A goal is an indicator: a figure followed under one of the outcomes of the activity's theory of
//! change (or under none, as every goal made before theories of change existed), with a target over
//! a period, or followed without one. Counted indicators are the trends' figures and the volunteers'
//! hours; a told one is the number of stories tagged to its outcome.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, GoalId, OutcomeId};
use crate::scoring::{Band, Measure};
use crate::validation::{Problem, Problems};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: GoalId,
    pub activity: ActivityId,
    pub metric: GoalMetric,
    pub comparison: Comparison,
    /// What the figure should reach; `None` follows it without a target (the guidance's targets
    /// are optional: some signs of change are watched, not aimed at).
    pub target: Option<f64>,
    /// The period the goal is about, both days included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The outcome of the theory of change it is a sign of; `None` for a goal on its own.
    #[serde(default)]
    pub outcome: Option<OutcomeId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GoalMetric {
    /// Attendees (named and anonymous) per occurrence, on average: "at least 12 per time".
    MeanAttendance,
    /// Distinct named participants over the period.
    UniqueParticipants,
    /// New participants as a percentage of the distinct participants: "20 % new".
    NewParticipantsPercent,
    /// A survey measure's mean: "WHO-5 above 50".
    MeasureMean { measure: Measure },
    /// People whose latest role in the period is frivillig and whose first was not: a move
    /// toward volunteering.
    MovesToVolunteer,
    /// The volunteers' hours at the sessions held, from the session logs.
    VolunteerHours,
    /// Stories tagged to the goal's outcome (any story of the activity, for a goal under none).
    StoriesTold,
    /// Distinct named participants in the period who had come before it (returning, or back after
    /// a break).
    ReturningParticipants,
    /// Distinct named participants who came back in the period after a break longer than the
    /// organisation's absence gap.
    BackAfterBreak,
    /// The percentage of people whose latest score in the period falls in one of the measure's
    /// bands: "at most 20 % at large risk on WHO-5".
    BandShare { measure: Measure, band: Band },
    /// The mean change per participant, first to latest answer in the period, of those linked
    /// participants who answered at least twice (in the measure's own points).
    PairedChange { measure: Measure },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtLeast,
    AtMost,
}

impl Comparison {
    pub fn holds(self, value: f64, target: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= target,
            Comparison::AtMost => value <= target,
        }
    }
}

impl GoalMetric {
    /// The values the metric can take; a target outside them can never be met (or always is).
    pub fn range(self) -> (f64, f64) {
        match self {
            GoalMetric::MeanAttendance
            | GoalMetric::UniqueParticipants
            | GoalMetric::MovesToVolunteer
            | GoalMetric::VolunteerHours
            | GoalMetric::StoriesTold
            | GoalMetric::ReturningParticipants
            | GoalMetric::BackAfterBreak => (0.0, 100_000.0),
            GoalMetric::NewParticipantsPercent | GoalMetric::BandShare { .. } => (0.0, 100.0),
            GoalMetric::MeasureMean { measure } => measure.range(),
            GoalMetric::PairedChange { measure } => {
                let (min, max) = measure.range();
                (min - max, max - min)
            }
        }
    }
}

impl Goal {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        let (min, max) = self.metric.range();
        if let Some(target) = self.target
            && (!target.is_finite() || target < min || target > max)
        {
            problems.push(Problem::ImpossibleTarget { target, min, max });
        }
        if let GoalMetric::BandShare { measure, band } = self.metric
            && !measure.bands().contains(&band)
        {
            problems.push(Problem::BandOfAnotherMeasure);
        }
        problems.period(self.from, self.to);
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(metric: GoalMetric, target: f64) -> Goal {
        Goal {
            id: GoalId::generate(),
            activity: ActivityId::generate(),
            metric,
            comparison: Comparison::AtLeast,
            target: Some(target),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            outcome: None,
        }
    }

    #[test]
    fn a_goal_saved_before_indicators_reads_as_an_indicator_under_no_outcome_with_all_it_had() {
        let stored = r#"{"id": "0190a0b0-0000-7000-8000-00000000e001",
            "activity": "0190a0b0-0000-7000-8000-00000000a001",
            "metric": {"type": "measure_mean", "measure": "who5_percentage"},
            "comparison": "at_least", "target": 52.5, "from": "2026-01-01", "to": "2026-06-30"}"#;
        let goal: Goal = serde_json::from_str(stored).unwrap();
        assert_eq!(goal.outcome, None);
        assert_eq!(
            (goal.metric, goal.comparison, goal.target),
            (
                GoalMetric::MeasureMean {
                    measure: Measure::Who5Percentage
                },
                Comparison::AtLeast,
                Some(52.5)
            )
        );
        assert_eq!(
            (goal.from.to_string(), goal.to.to_string()),
            ("2026-01-01".into(), "2026-06-30".into())
        );
        assert_eq!(goal.validate(), Ok(()));
    }

    #[test]
    fn impossible_targets_are_refused_with_the_possible_range() {
        assert_eq!(
            goal(GoalMetric::NewParticipantsPercent, 120.0)
                .validate()
                .unwrap_err(),
            vec![Problem::ImpossibleTarget {
                target: 120.0,
                min: 0.0,
                max: 100.0
            }]
        );
        let loneliness = GoalMetric::MeasureMean {
            measure: Measure::Ucla3Sum,
        };
        assert!(goal(loneliness, 2.0).validate().is_err());
        assert!(goal(loneliness, 6.5).validate().is_ok());
        assert!(goal(GoalMetric::MeanAttendance, f64::NAN).validate().is_err());
    }

    #[test]
    fn an_indicator_may_be_followed_without_a_target() {
        let followed = Goal {
            target: None,
            ..goal(GoalMetric::ReturningParticipants, 0.0)
        };
        assert_eq!(followed.validate(), Ok(()));
        let stored = serde_json::to_value(&followed).unwrap();
        assert_eq!(stored["target"], serde_json::Value::Null);
        assert_eq!(serde_json::from_value::<Goal>(stored).unwrap(), followed);
    }

    #[test]
    fn a_band_share_names_a_band_of_its_own_measure_and_a_change_may_be_negative() {
        use crate::scoring::Who5Band;
        let large_risk = GoalMetric::BandShare {
            measure: Measure::Who5Percentage,
            band: Band::Who5(Who5Band::LargeRisk),
        };
        assert_eq!(goal(large_risk, 20.0).validate(), Ok(()));
        let mixed = GoalMetric::BandShare {
            measure: Measure::Ucla3Sum,
            band: Band::Who5(Who5Band::LargeRisk),
        };
        assert_eq!(
            goal(mixed, 20.0).validate().unwrap_err(),
            vec![Problem::BandOfAnotherMeasure]
        );
        let loneliness_change = GoalMetric::PairedChange {
            measure: Measure::Ucla3Sum,
        };
        assert_eq!(goal(loneliness_change, -1.5).validate(), Ok(()));
        assert!(goal(loneliness_change, -7.0).validate().is_err());
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused() {
        let mut backwards = goal(GoalMetric::MeanAttendance, 12.0);
        std::mem::swap(&mut backwards.from, &mut backwards.to);
        assert!(matches!(
            backwards.validate().unwrap_err()[..],
            [Problem::EmptyPeriod { .. }]
        ));
    }
}
