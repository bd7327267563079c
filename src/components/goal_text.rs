//! How a goal (an indicator) reads in words: its metric, comparison and target, and its status.
//! The trends page and the report both say it.

use leptos::prelude::GetUntracked;
use spor_core::Language;
use spor_core::goal::{Comparison, Goal, GoalMetric};
use spor_core::scoring::{Band, Measure, Who5Band};
use spor_core::trends::GoalStatus;

use crate::contexts::i18n_context::I18n;
use crate::i18n::Key;

/// The metrics a coordinator can choose, in the form's order.
pub const METRICS: [(GoalMetric, Key); 14] = [
    (GoalMetric::MeanAttendance, Key::GoalsMetricMeanAttendance),
    (GoalMetric::UniqueParticipants, Key::GoalsMetricUnique),
    (GoalMetric::NewParticipantsPercent, Key::GoalsMetricNewPercent),
    (
        GoalMetric::MeasureMean {
            measure: Measure::Who5Percentage,
        },
        Key::GoalsMetricWho5,
    ),
    (
        GoalMetric::MeasureMean {
            measure: Measure::Ucla3Sum,
        },
        Key::GoalsMetricUcla3,
    ),
    (GoalMetric::MovesToVolunteer, Key::GoalsMetricMovesToVolunteer),
    (GoalMetric::VolunteerHours, Key::GoalsMetricVolunteerHours),
    (GoalMetric::StoriesTold, Key::GoalsMetricStories),
    (GoalMetric::ReturningParticipants, Key::GoalsMetricReturning),
    (GoalMetric::BackAfterBreak, Key::GoalsMetricBackAfterBreak),
    (
        GoalMetric::BandShare {
            measure: Measure::Who5Percentage,
            band: Band::Who5(Who5Band::LargeRisk),
        },
        Key::GoalsMetricWho5LargeRiskShare,
    ),
    (
        GoalMetric::BandShare {
            measure: Measure::Ucla3Sum,
            band: Band::SevereLoneliness(true),
        },
        Key::GoalsMetricSevereLonelinessShare,
    ),
    (
        GoalMetric::PairedChange {
            measure: Measure::Who5Percentage,
        },
        Key::GoalsMetricWho5Change,
    ),
    (
        GoalMetric::PairedChange {
            measure: Measure::Ucla3Sum,
        },
        Key::GoalsMetricUcla3Change,
    ),
];

fn metric_key(metric: GoalMetric) -> Key {
    METRICS
        .iter()
        .find(|(known, _)| *known == metric)
        .map_or(Key::GoalsMetricWho5, |(_, key)| *key)
}

/// The metric's name, e.g. "Fremmøde pr. gang".
pub fn metric_name(metric: GoalMetric, language: Language) -> &'static str {
    metric_key(metric).text(language)
}

/// "Fremmøde pr. gang: mindst 12", or "Fremmøde pr. gang (følges uden mål)".
pub fn describe_goal(goal: &Goal, i18n: I18n) -> String {
    let language = i18n.language.get_untracked();
    let metric = metric_key(goal.metric).text(language);
    let Some(target) = goal.target else {
        return i18n.format(Key::GoalsDescribeFollowed, &[("metric", metric)]);
    };
    let comparison = match goal.comparison {
        Comparison::AtLeast => Key::GoalsAtLeast,
        Comparison::AtMost => Key::GoalsAtMost,
    };
    i18n.format(
        Key::GoalsDescribe,
        &[
            ("metric", metric),
            ("comparison", comparison.text(language)),
            ("target", &format_target(target, language)),
        ],
    )
}

/// A goal's target as typed: "12", or "12,5" with its one decimal.
pub fn format_target(value: f64, language: Language) -> String {
    language.format_number(value, if value.fract() == 0.0 { 0 } else { 1 })
}

/// "✓ Nået: 12,5", "Følges: 40", or "? For få data endnu".
pub fn status_text(status: GoalStatus, metric: GoalMetric, i18n: I18n, language: Language) -> String {
    // People and stories are counted in whole numbers; means, shares and hours keep a decimal.
    let decimals = usize::from(!matches!(
        metric,
        GoalMetric::UniqueParticipants
            | GoalMetric::MovesToVolunteer
            | GoalMetric::StoriesTold
            | GoalMetric::ReturningParticipants
            | GoalMetric::BackAfterBreak
    ));
    let value = |value: f64| language.format_number(value, decimals);
    match status {
        GoalStatus::Met(reached) => i18n.format(Key::GoalsMet, &[("value", &value(reached))]),
        GoalStatus::NotMet(reached) => i18n.format(Key::GoalsNotMet, &[("value", &value(reached))]),
        GoalStatus::Followed(reached) => i18n.format(Key::GoalsFollowed, &[("value", &value(reached))]),
        GoalStatus::NotEnoughData => i18n.t(Key::GoalsNotEnough).to_owned(),
    }
}
