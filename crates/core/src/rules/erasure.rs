//! Erasure that cannot be undone (DESIGN.md section 2): what an erasure reaches and what it does to
//! the changes that still mention the person, wherever they wait (the server's change log, a
//! device's outbox and dead letters, a backup being imported).

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::ParticipantId;
use crate::survey::SurveyResponse;
use crate::sync::{Change, EntityKind, EntityRef, RejectReason, Stamped};
use crate::validation::Problem;

/// Everyone an erasure of `participant` reaches: the participant and every participant merged
/// into them, directly or through others, so no merged-away copy keeps the name. `merges` are
/// (merged, into) pairs.
pub fn erasure_reach(
    participant: ParticipantId,
    merges: impl IntoIterator<Item = (ParticipantId, ParticipantId)> + Clone,
) -> BTreeSet<ParticipantId> {
    let mut reached = BTreeSet::from([participant]);
    loop {
        let before = reached.len();
        for (merged, into) in merges.clone() {
            if reached.contains(&into) {
                reached.insert(merged);
            }
        }
        if reached.len() == before {
            return reached;
        }
    }
}

/// A patch of an erased participant is refused, whatever it holds: it would bring personal data
/// back; so is a story naming one (`story_subject`). `is_erased` says whether a participant is
/// erased where the patch arrives.
pub fn check_patch_target(
    entity: EntityRef,
    fields: &BTreeMap<String, Stamped>,
    is_erased: impl Fn(ParticipantId) -> bool,
) -> Result<(), RejectReason> {
    let erased_target = entity.kind == EntityKind::Participant && is_erased(ParticipantId(entity.id));
    if erased_target || story_subject(entity, fields).is_some_and(is_erased) {
        return Err(RejectReason::Invalid {
            problems: vec![Problem::ErasedWithPersonalData],
        });
    }
    Ok(())
}

/// The participant a patch of a story names, if it names one: a story is erased with them.
pub fn story_subject(entity: EntityRef, fields: &BTreeMap<String, Stamped>) -> Option<ParticipantId> {
    if entity.kind != EntityKind::Story {
        return None;
    }
    serde_json::from_value(fields.get("participant")?.value.clone()).ok()
}

/// Whom a merge of `merged` into someone erases: nobody, unless the one it is merged into is erased
/// already (the merge came later, or from a device that had not heard of the erasure); then the
/// merged-away copy is erased with them, and everyone merged into it (`erasure_reach` of it).
pub fn erased_by_merge(merged: ParticipantId, into_is_erased: bool) -> Option<ParticipantId> {
    into_is_erased.then_some(merged)
}

/// What an erasure does to a change that waits somewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Scrub {
    /// It holds nothing of the erased people.
    Keep,
    /// It carries their personal data (a patch of their fields): it goes.
    Drop,
    /// It links to them (a survey response): kept, unlinked.
    Rewrite(Change),
}

/// What the erasure of `erased` does to `change`.
pub fn scrub(change: &Change, erased: &BTreeSet<ParticipantId>) -> Scrub {
    match change {
        Change::Patch { entity, .. }
            if entity.kind == EntityKind::Participant && erased.contains(&ParticipantId(entity.id)) =>
        {
            Scrub::Drop
        }
        // A story about an erased person goes whole: its text is about them.
        Change::Patch { entity, fields }
            if story_subject(*entity, fields).is_some_and(|named| erased.contains(&named)) =>
        {
            Scrub::Drop
        }
        Change::SurveyResponse { response }
            if response
                .participant
                .is_some_and(|linked| erased.contains(&linked)) =>
        {
            let mut unlinked = response.clone();
            unlinked.participant = None;
            Scrub::Rewrite(Change::SurveyResponse { response: unlinked })
        }
        _ => Scrub::Keep,
    }
}

/// A survey response as a receiver stores it: unlinked when the person it names is erased there
/// (`is_erased`), as the erasure would have left it had the response arrived first.
pub fn arriving_response(
    response: &SurveyResponse,
    is_erased: impl FnOnce(ParticipantId) -> bool,
) -> SurveyResponse {
    let mut stored = response.clone();
    if stored.participant.is_some_and(is_erased) {
        stored.participant = None;
    }
    stored
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn person(n: u128) -> ParticipantId {
        ParticipantId(Uuid::from_u128(n))
    }

    #[test]
    fn an_erasure_reaches_everyone_merged_into_the_person_through_any_chain() {
        let merges = vec![
            (person(2), person(1)),
            (person(3), person(2)),
            (person(5), person(4)),
        ];
        assert_eq!(
            erasure_reach(person(1), merges.clone()),
            BTreeSet::from([person(1), person(2), person(3)])
        );
        assert_eq!(
            erasure_reach(person(4), merges.clone()),
            BTreeSet::from([person(4), person(5)])
        );
        // Erasing a merged-away id does not reach the one it was merged into.
        assert_eq!(erasure_reach(person(3), merges), BTreeSet::from([person(3)]));
    }

    #[test]
    fn a_patch_of_an_erased_participant_is_refused_and_others_pass() {
        let of = |kind, n| EntityRef {
            kind,
            id: person(n).0,
        };
        let none = BTreeMap::new();
        assert!(check_patch_target(of(EntityKind::Participant, 1), &none, |who| who == person(1)).is_err());
        assert_eq!(
            check_patch_target(of(EntityKind::Participant, 2), &none, |who| who == person(1)),
            Ok(())
        );
        assert_eq!(
            check_patch_target(of(EntityKind::Activity, 1), &none, |_| true),
            Ok(())
        );
    }

    #[test]
    fn a_story_about_someone_erased_is_refused_on_arrival_and_dropped_where_it_waits() {
        let naming = |n: u128| {
            BTreeMap::from([(
                "participant".to_owned(),
                Stamped {
                    value: serde_json::json!(person(n)),
                    stamp: crate::hlc::Hlc::start(crate::ids::DeviceId(Uuid::from_u128(9))),
                },
            )])
        };
        let story = EntityRef {
            kind: EntityKind::Story,
            id: Uuid::from_u128(20),
        };
        assert!(check_patch_target(story, &naming(1), |who| who == person(1)).is_err());
        assert_eq!(
            check_patch_target(story, &naming(2), |who| who == person(1)),
            Ok(())
        );
        let erased = BTreeSet::from([person(1)]);
        let waiting = |n| Change::Patch {
            entity: story,
            fields: naming(n),
        };
        assert_eq!(scrub(&waiting(1), &erased), Scrub::Drop);
        assert_eq!(scrub(&waiting(2), &erased), Scrub::Keep);
    }

    #[test]
    fn a_merge_into_someone_erased_erases_the_merged_one() {
        assert_eq!(erased_by_merge(person(2), true), Some(person(2)));
        assert_eq!(erased_by_merge(person(2), false), None);
    }

    #[test]
    fn a_response_linked_to_someone_erased_arrives_unlinked_and_others_keep_their_link() {
        let response = SurveyResponse {
            id: crate::ids::ResponseId(Uuid::from_u128(30)),
            template: crate::ids::TemplateId(Uuid::from_u128(31)),
            template_version: 1,
            activity: crate::ids::ActivityId(Uuid::from_u128(32)),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            participant: Some(person(1)),
            answers: Default::default(),
            mode: Default::default(),
            language: crate::Language::Da,
            recorded_at: chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: crate::ids::DeviceId(Uuid::from_u128(33)),
        };
        let stored = arriving_response(&response, |who| who == person(1));
        assert_eq!(stored.participant, None);
        assert_eq!(stored.answers, response.answers);
        assert_eq!(arriving_response(&response, |_| false), response);
    }

    #[test]
    fn a_cycle_of_merges_ends() {
        let merges = vec![(person(1), person(2)), (person(2), person(1))];
        assert_eq!(
            erasure_reach(person(1), merges),
            BTreeSet::from([person(1), person(2)])
        );
    }
}
