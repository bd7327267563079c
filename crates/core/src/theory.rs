//! A theory of change (forandringsteori), as the Danish guidance for documenting voluntary social
//! work describes it: who the activity is for, what we do, what should change in the short and the
//! long run, and the assumptions between them. One per activity, or the organisation's own, which
//! an activity without one of its own shares.
//!
//! Versioned: a revision is a new record with the next version number and the day it came into
//! force; the old one stays, so the trends and reports can say which version was in force. An
//! outcome keeps its id through revisions, so what is tagged to it stays tagged.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, OutcomeId, TheoryId};
use crate::language::Language;
use crate::package::Standard;
use crate::validation::{Field, Problem, Problems, limits};

/// Versions are numbered from 1; a number beyond this is no revision anybody made.
pub const MAX_VERSION: u32 = 10_000;
/// More outcomes than this is a strategy document, not a theory of change for one activity.
pub const MAX_OUTCOMES: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TheoryOfChange {
    pub id: TheoryId,
    /// The activity it describes; `None` for the organisation's own.
    pub activity: Option<ActivityId>,
    /// 1 for the first, one more for each revision of the same activity's theory.
    pub version: u32,
    /// The day this version came into force.
    pub in_force_from: NaiveDate,
    pub target_group: String,
    /// What we do, for and with the target group.
    pub activities: String,
    pub outcomes: Vec<Outcome>,
    /// Why we believe the activities lead to the outcomes, and what must hold for it.
    pub assumptions: String,
    /// The language it is written in, so a screen reader reads it in that language whatever
    /// language the app is shown in.
    #[serde(default)]
    pub language: Language,
    /// The umbrella's standard package it follows, if any: its core outcomes are locked here.
    #[serde(default)]
    pub standard: Option<Standard>,
}

/// A change the activity should bring about, in one short sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub id: OutcomeId,
    pub term: Term,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// Within months: what participants notice themselves (e.g. "knows others at the café").
    Short,
    /// Within a year or more (e.g. "feels less lonely").
    Long,
}

impl TheoryOfChange {
    /// A first version for `activity`, in force from `from`, with nothing written yet.
    pub fn first(activity: Option<ActivityId>, from: NaiveDate, language: Language) -> TheoryOfChange {
        TheoryOfChange {
            id: TheoryId::generate(),
            activity,
            version: 1,
            in_force_from: from,
            target_group: String::new(),
            activities: String::new(),
            outcomes: Vec::new(),
            assumptions: String::new(),
            language,
            standard: None,
        }
    }

    /// The next version, in force from `from`: the same text to start from, a new record.
    pub fn revision(&self, from: NaiveDate) -> TheoryOfChange {
        TheoryOfChange {
            id: TheoryId::generate(),
            version: self.version.saturating_add(1),
            in_force_from: from,
            ..self.clone()
        }
    }

    /// The outcomes of `term`, in their order.
    pub fn outcomes_of(&self, term: Term) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(move |outcome| outcome.term == term)
    }

    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::TargetGroup, &self.target_group, limits::THEORY_TEXT);
        problems.required_text(Field::TheoryActivities, &self.activities, limits::THEORY_TEXT);
        problems.optional_text(Field::Assumptions, &self.assumptions, limits::THEORY_TEXT);
        if !(1..=MAX_VERSION).contains(&self.version) {
            problems.push(Problem::VersionOutOfRange { max: MAX_VERSION });
        }
        if self.outcomes.is_empty() {
            problems.push(Problem::NoOutcomes);
        }
        if self.outcomes.len() > MAX_OUTCOMES {
            problems.push(Problem::TooManyOutcomes { max: MAX_OUTCOMES });
        }
        let mut ids: Vec<OutcomeId> = self.outcomes.iter().map(|outcome| outcome.id).collect();
        ids.sort();
        ids.dedup();
        if ids.len() != self.outcomes.len() {
            problems.push(Problem::DuplicateOutcome);
        }
        for outcome in &self.outcomes {
            problems.required_text(Field::Outcome, &outcome.text, limits::OUTCOME);
        }
        problems.into_result()
    }
}

/// The version of `activity`'s theory in force on `date`: the activity's own, else the
/// organisation's (`activity: None`); of those, the newest version in force by then.
pub fn in_force(
    theories: &[TheoryOfChange],
    activity: Option<ActivityId>,
    date: NaiveDate,
) -> Option<&TheoryOfChange> {
    let newest_of = |owner: Option<ActivityId>| {
        theories
            .iter()
            .filter(|theory| theory.activity == owner && theory.in_force_from <= date)
            .max_by_key(|theory| (theory.version, theory.in_force_from))
    };
    activity
        .and_then(|activity| newest_of(Some(activity)))
        .or_else(|| newest_of(None))
}

/// Every version of the theory of `activity` (its own only), newest first.
pub fn versions(theories: &[TheoryOfChange], activity: Option<ActivityId>) -> Vec<&TheoryOfChange> {
    let mut versions: Vec<&TheoryOfChange> = theories.iter().filter(|t| t.activity == activity).collect();
    versions.sort_by_key(|theory| std::cmp::Reverse(theory.version));
    versions
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn outcome(n: u128, term: Term, text: &str) -> Outcome {
        Outcome {
            id: OutcomeId(Uuid::from_u128(n)),
            term,
            text: text.into(),
        }
    }

    fn cafe_theory(activity: Option<ActivityId>, from: NaiveDate) -> TheoryOfChange {
        TheoryOfChange {
            target_group: "Ældre, der bor alene i Nordbyen".into(),
            activities: "En ugentlig café med kaffe, spil og samtale".into(),
            outcomes: vec![
                outcome(1, Term::Short, "Kender nogen at tale med"),
                outcome(2, Term::Long, "Føler sig mindre ensom"),
            ],
            assumptions: "Et fast sted og faste frivillige skaber tryghed".into(),
            ..TheoryOfChange::first(activity, from, Language::Da)
        }
    }

    #[test]
    fn a_written_theory_is_valid_and_an_empty_one_says_what_is_missing() {
        assert_eq!(cafe_theory(None, day(1, 1)).validate(), Ok(()));
        let empty = TheoryOfChange::first(None, day(1, 1), Language::Da);
        assert_eq!(
            empty.validate(),
            Err(vec![
                Problem::Empty {
                    field: Field::TargetGroup
                },
                Problem::Empty {
                    field: Field::TheoryActivities
                },
                Problem::NoOutcomes,
            ])
        );
    }

    #[test]
    fn outcomes_are_few_distinct_and_written() {
        let mut theory = cafe_theory(None, day(1, 1));
        theory.outcomes.push(outcome(1, Term::Long, " "));
        assert_eq!(
            theory.validate(),
            Err(vec![
                Problem::DuplicateOutcome,
                Problem::Empty {
                    field: Field::Outcome
                }
            ])
        );
        theory.outcomes = (0..=MAX_OUTCOMES as u128)
            .map(|n| outcome(n, Term::Short, "Noget"))
            .collect();
        assert_eq!(
            theory.validate(),
            Err(vec![Problem::TooManyOutcomes { max: MAX_OUTCOMES }])
        );
    }

    #[test]
    fn a_revision_keeps_the_outcomes_ids_and_the_old_version_stays_in_force_until_its_day() {
        let cafe = ActivityId(Uuid::from_u128(7));
        let first = cafe_theory(Some(cafe), day(1, 1));
        let mut second = first.revision(day(6, 1));
        second.outcomes[0].text = "Har fået en ven i caféen".into();
        assert_eq!((second.version, second.outcomes[0].id), (2, first.outcomes[0].id));
        assert_ne!(second.id, first.id);
        let organisation = cafe_theory(None, day(1, 1));
        let all = [second.clone(), first.clone(), organisation.clone()];
        assert_eq!(in_force(&all, Some(cafe), day(5, 31)), Some(&first));
        assert_eq!(in_force(&all, Some(cafe), day(6, 1)), Some(&second));
        // Before the café had its own, and for an activity without one: the organisation's.
        assert_eq!(
            in_force(&all, Some(cafe), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            Some(&first)
        );
        let walk = ActivityId(Uuid::from_u128(8));
        assert_eq!(in_force(&all, Some(walk), day(6, 1)), Some(&organisation));
        assert_eq!(
            in_force(&all, Some(walk), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
            None
        );
        let versions: Vec<u32> = versions(&all, Some(cafe)).iter().map(|t| t.version).collect();
        assert_eq!(versions, [2, 1]);
    }
}
