//! Merges of participants (DESIGN.md section 2): one person recorded under two names becomes one.
//! Merges chain (Soren into Søren, later Søren into Søren K.), and devices hear of them in any
//! order, so whom a participant is now is always found by following merges to their end.

use crate::ids::ParticipantId;
use crate::participant::Participant;
use crate::validation::Problem;

/// Who `participant` is now: merges followed to their end. `merged_into` answers whom a
/// participant was merged into, if anyone. A cycle (two devices merging two people into each
/// other) stops where it closes.
pub fn current(
    participant: ParticipantId,
    merged_into: impl Fn(ParticipantId) -> Option<ParticipantId>,
) -> ParticipantId {
    let mut now = participant;
    let mut seen = vec![participant];
    while let Some(next) = merged_into(now) {
        if seen.contains(&next) {
            break;
        }
        seen.push(next);
        now = next;
    }
    now
}

/// What a merge does, decided by [`decide_merge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeDecision {
    /// `merged`'s records go to `kept`: whom the merge's `into` is now.
    Join { kept: ParticipantId },
    /// This very merge was made before (heard again, or made twice): the two are joined already,
    /// but check-ins that arrived under `merged`'s id since go to `kept` too.
    Again { kept: ParticipantId },
    /// The two were made one the other way round already: nothing moves.
    AlreadyOne,
}

/// What a merge of `merged` into `into` does, given the merges applied so far (`merged_into`
/// answers whom a participant was merged into, as the merge named them). A person is merged away
/// once: a merge of them into someone else (another coordinator's) is refused. Which of two such
/// merges stands is the order the server took them in, so a device linked to a server applies
/// merges only as the server passes them on, its own included.
pub fn decide_merge(
    merged: ParticipantId,
    into: ParticipantId,
    merged_into: impl Fn(ParticipantId) -> Option<ParticipantId>,
) -> Result<MergeDecision, Problem> {
    let kept = current(into, &merged_into);
    match merged_into(merged) {
        Some(earlier) if earlier == into => Ok(MergeDecision::Again { kept }),
        Some(_) => Err(Problem::MergeOfFormerParticipant),
        None if kept == merged => Ok(MergeDecision::AlreadyOne),
        None => Ok(MergeDecision::Join { kept }),
    }
}

/// The participant records a merge of `merged` into `into` writes on a device, from the records
/// it holds of the two; `kept` is whom `into` is now ([`decide_merge`]), who absorbs `merged`.
/// `merged` points to `into`, as the merge names it and as the server and every other device keep
/// it, so an erasure of `into` reaches `merged` on each. The merged-away person not held (erased
/// since, and scrubbed from what the server passes on): their id is kept with whom they became.
/// Refused when either is no longer current (already merged here, or erased).
pub fn merged_records(
    merged: ParticipantId,
    into: ParticipantId,
    merged_record: Option<Participant>,
    kept_record: Option<Participant>,
) -> Result<Vec<Participant>, Problem> {
    match (kept_record, merged_record) {
        (Some(mut kept_record), Some(mut merged_record)) => {
            kept_record.absorb(&mut merged_record)?;
            merged_record.merged_into = Some(into);
            Ok(vec![kept_record, merged_record])
        }
        (kept_record, None) if kept_record.as_ref().is_none_or(Participant::is_current) => {
            Ok(vec![Participant::merged_away(merged, into)])
        }
        (None, Some(mut merged_record)) if merged_record.is_current() => {
            merged_record.merged_into = Some(into);
            Ok(vec![merged_record])
        }
        _ => Err(Problem::MergeOfFormerParticipant),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use uuid::Uuid;

    use super::*;

    fn person(n: u128) -> ParticipantId {
        ParticipantId(Uuid::from_u128(n))
    }

    fn named(n: u128) -> Participant {
        Participant {
            pseudonym: format!("Person {n}"),
            merged_into: None,
            ..Participant::merged_away(person(n), person(0))
        }
    }

    #[test]
    fn a_merge_writes_both_records_or_keeps_a_merged_away_id_it_never_held() {
        let joined = merged_records(person(1), person(2), Some(named(1)), Some(named(2))).unwrap();
        assert_eq!(joined[0].id, person(2));
        assert_eq!(joined[1].merged_into, Some(person(2)));

        let unheld = merged_records(person(1), person(2), None, Some(named(2))).unwrap();
        assert_eq!(unheld, vec![Participant::merged_away(person(1), person(2))]);
        let neither = merged_records(person(1), person(2), None, None).unwrap();
        assert_eq!(neither, vec![Participant::merged_away(person(1), person(2))]);

        let kept_unheld = merged_records(person(1), person(2), Some(named(1)), None).unwrap();
        assert_eq!(kept_unheld.len(), 1);
        assert_eq!(kept_unheld[0].merged_into, Some(person(2)));

        // Into Søren (2), who is Søren K. (3) now: Søren K. absorbs, and the merged one points to
        // Søren, as the merge names it.
        let into_former = merged_records(person(1), person(2), Some(named(1)), Some(named(3))).unwrap();
        assert_eq!(into_former[0].id, person(3));
        assert_eq!(into_former[1].merged_into, Some(person(2)));

        let erased_kept = merged_records(person(1), person(2), None, Some(Participant::erased(person(2))));
        assert_eq!(erased_kept, Err(Problem::MergeOfFormerParticipant));
        let again = merged_records(
            person(1),
            person(2),
            Some(Participant::merged_away(person(1), person(2))),
            Some(named(2)),
        );
        assert_eq!(again, Err(Problem::MergeOfFormerParticipant));
    }

    #[test]
    fn a_chain_of_merges_is_followed_to_its_end_and_a_cycle_stops() {
        let merges = BTreeMap::from([(person(1), person(2)), (person(2), person(3))]);
        let lookup = |who| merges.get(&who).copied();
        assert_eq!(current(person(1), lookup), person(3));
        assert_eq!(current(person(3), lookup), person(3));
        let cycle = BTreeMap::from([(person(1), person(2)), (person(2), person(1))]);
        assert_eq!(current(person(1), |who| cycle.get(&who).copied()), person(2));
    }

    #[test]
    fn a_merge_into_someone_merged_away_gives_the_records_to_whom_they_are_now() {
        // Søren (2) was merged into Søren K. (3); a phone that had not heard merges Soren (1) into Søren.
        let merges = BTreeMap::from([(person(2), person(3))]);
        assert_eq!(
            decide_merge(person(1), person(2), |who| merges.get(&who).copied()),
            Ok(MergeDecision::Join { kept: person(3) })
        );
        // One coordinator merged 1 into 2, another 2 into 1: the second finds them one already.
        let merges = BTreeMap::from([(person(1), person(2))]);
        assert_eq!(
            decide_merge(person(2), person(1), |who| merges.get(&who).copied()),
            Ok(MergeDecision::AlreadyOne)
        );
    }

    #[test]
    fn a_person_is_merged_away_once_and_a_second_merge_of_them_is_refused() {
        // Two coordinators merged Soren (1): one into Søren (2), the other into Søren K. (3).
        let merges = BTreeMap::from([(person(1), person(2))]);
        assert_eq!(
            decide_merge(person(1), person(3), |who| merges.get(&who).copied()),
            Err(Problem::MergeOfFormerParticipant)
        );
        // The same merge heard again joins nothing new; it still sweeps up late check-ins.
        assert_eq!(
            decide_merge(person(1), person(2), |who| merges.get(&who).copied()),
            Ok(MergeDecision::Again { kept: person(2) })
        );
    }
}
