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

/// Whom a merge of `merged` into `into` gives `merged`'s records to: whom `into` is now, or
/// nobody when that is `merged` itself (the two were made one the other way round already).
pub fn kept_by_merge(
    merged: ParticipantId,
    into: ParticipantId,
    merged_into: impl Fn(ParticipantId) -> Option<ParticipantId>,
) -> Option<ParticipantId> {
    let kept = current(into, merged_into);
    (kept != merged).then_some(kept)
}

/// The participant records a merge of `merged` into `kept` writes on a device, from the records
/// it holds of the two. Both held: `kept` absorbs `merged`. The merged-away person not held
/// (erased since, and scrubbed from what the server passes on): their id is kept with whom they
/// became, so an erasure of that person reaches them too. Refused when either is no longer
/// current (already merged here, or erased).
pub fn merged_records(
    merged: ParticipantId,
    kept: ParticipantId,
    merged_record: Option<Participant>,
    kept_record: Option<Participant>,
) -> Result<Vec<Participant>, Problem> {
    match (kept_record, merged_record) {
        (Some(mut kept_record), Some(mut merged_record)) => {
            kept_record.absorb(&mut merged_record)?;
            Ok(vec![kept_record, merged_record])
        }
        (kept_record, None) if kept_record.as_ref().is_none_or(Participant::is_current) => {
            Ok(vec![Participant::merged_away(merged, kept)])
        }
        (None, Some(mut merged_record)) if merged_record.is_current() => {
            merged_record.merged_into = Some(kept);
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
            kept_by_merge(person(1), person(2), |who| merges.get(&who).copied()),
            Some(person(3))
        );
        // One phone merged 1 into 2, another 2 into 1: the second closes a cycle and moves nothing.
        let merges = BTreeMap::from([(person(1), person(2))]);
        assert_eq!(
            kept_by_merge(person(2), person(1), |who| merges.get(&who).copied()),
            None
        );
    }
}
