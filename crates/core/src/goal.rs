//! Goals per activity (the volunteer-centre quality loop: set goals, collect, reflect, adjust).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, GoalId};
use crate::scoring::Measure;
use crate::validation::{Problem, Problems};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: GoalId,
    pub activity: ActivityId,
    pub metric: GoalMetric,
    pub comparison: Comparison,
    pub target: f64,
    /// The period the goal is about, both days included.
    pub from: NaiveDate,
    pub to: NaiveDate,
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
            GoalMetric::MeanAttendance | GoalMetric::UniqueParticipants => (0.0, 100_000.0),
            GoalMetric::NewParticipantsPercent => (0.0, 100.0),
            GoalMetric::MeasureMean { measure } => measure.range(),
        }
    }
}

impl Goal {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        let (min, max) = self.metric.range();
        if !self.target.is_finite() || self.target < min || self.target > max {
            problems.push(Problem::ImpossibleTarget {
                target: self.target,
                min,
                max,
            });
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
            target,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        }
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
    fn a_period_ending_before_it_starts_is_refused() {
        let mut backwards = goal(GoalMetric::MeanAttendance, 12.0);
        std::mem::swap(&mut backwards.from, &mut backwards.to);
        assert!(matches!(
            backwards.validate().unwrap_err()[..],
            [Problem::EmptyPeriod { .. }]
        ));
    }
}
