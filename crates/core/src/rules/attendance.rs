//! Check-ins and their events (DESIGN.md section 4): one attendance per person per occurrence,
//! whichever devices checked them in, and every event of any of its copies counts for it.
//!
//! Each function takes the change and what the receiver holds that it touches, and answers what to
//! write. The server's push, the app's pull and the app's merge carry the answers out.

use crate::attendance::{Attendance, AttendanceEvent};
use crate::ids::{AttendanceId, ParticipantId};

/// What a receiver that keeps the first copy (the server; the reference model) does with a
/// check-in that arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrivingCheckIn {
    /// Store it: the first check-in of its person at its occurrence. It counts for the person as
    /// they are now (the kept one, if they were merged away).
    Store(Attendance),
    /// The person is checked in there already (`canonical`); a different id becomes its alias, so
    /// events sent for it count for the canonical one. Events stored for the alias before (an event
    /// can overtake its check-in) move to the canonical one and are passed on again: see
    /// [`event_for`].
    Duplicate {
        canonical: AttendanceId,
        alias: Option<AttendanceId>,
    },
}

/// Decides an arriving check-in. `counts_for` is whom its participant is now (merges followed);
/// `stored` is the check-in already stored under its id, or else of the same person at the same
/// occurrence.
pub fn arriving_check_in(
    check_in: &Attendance,
    counts_for: ParticipantId,
    stored: Option<AttendanceId>,
) -> ArrivingCheckIn {
    match stored {
        None => ArrivingCheckIn::Store(Attendance {
            participant: counts_for,
            ..check_in.clone()
        }),
        Some(canonical) => ArrivingCheckIn::Duplicate {
            canonical,
            alias: (canonical != check_in.id).then_some(check_in.id),
        },
    }
}

/// What a device does when the server answers its check-in `sent` with `duplicate` and the
/// canonical id: unless that is its own id, its copy folds into the canonical one. Until the
/// canonical one is pulled, the copy's record stands in for it under the canonical id.
pub fn answered_duplicate(sent: &Attendance, canonical: AttendanceId) -> Option<Fold> {
    (sent.id != canonical).then_some(Fold {
        copy: sent.id,
        into: canonical,
    })
}

/// What a device does with a check-in it pulls. The server's copy is canonical: it had it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PulledCheckIn {
    /// Held here already under its id.
    AlreadyHere,
    /// New here: store it.
    Store,
    /// This device checked the person in there itself (`local`): that copy folds into the pulled one.
    Fold(Fold),
}

/// Decides a pulled check-in. `held` says whether this device holds its id; `local` is this
/// device's own check-in of the same person at the same occurrence, if any.
pub fn pulled_check_in(pulled: &Attendance, held: bool, local: Option<AttendanceId>) -> PulledCheckIn {
    match (held, local) {
        (true, _) => PulledCheckIn::AlreadyHere,
        (false, Some(local)) if local != pulled.id => PulledCheckIn::Fold(Fold {
            copy: local,
            into: pulled.id,
        }),
        (false, _) => PulledCheckIn::Store,
    }
}

/// One check-in folded into another of the same person at the same occurrence: the copy goes, its
/// id becomes an alias of `into`, and its events move to `into`. Nothing recorded is lost: a
/// withdrawal or role change made on the copy counts for the attendance that stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub copy: AttendanceId,
    pub into: AttendanceId,
}

/// What a merge of one person into another does to one check-in of the merged-away person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergedCheckIn {
    /// The kept person was not checked in there: the check-in is theirs now.
    Move {
        check_in: AttendanceId,
        to: ParticipantId,
    },
    /// The kept person was checked in there too: theirs stands.
    Fold(Fold),
}

/// Decides one check-in of the merged-away person when they are merged into `kept`. `kept_there`
/// is the kept person's check-in at the same occurrence, if any.
pub fn merged_check_in(
    check_in: AttendanceId,
    kept: ParticipantId,
    kept_there: Option<AttendanceId>,
) -> MergedCheckIn {
    match kept_there {
        Some(into) if into != check_in => MergedCheckIn::Fold(Fold { copy: check_in, into }),
        _ => MergedCheckIn::Move { check_in, to: kept },
    }
}

/// An event as it is stored: aimed at the canonical check-in when its own was folded (`alias_of`).
/// An event heard again replaces what was stored of it, as its aim may have moved since.
pub fn event_for(event: &AttendanceEvent, alias_of: Option<AttendanceId>) -> AttendanceEvent {
    AttendanceEvent {
        attendance: alias_of.unwrap_or(event.attendance),
        ..event.clone()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};
    use uuid::Uuid;

    use super::*;
    use crate::Role;
    use crate::attendance::AttendanceChange;
    use crate::hlc::Hlc;
    use crate::ids::{ActivityId, AttendanceEventId, DeviceId};

    fn check_in(id: u128, participant: u128) -> Attendance {
        Attendance {
            id: AttendanceId(Uuid::from_u128(id)),
            participant: ParticipantId(Uuid::from_u128(participant)),
            activity: ActivityId(Uuid::from_u128(9)),
            date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            role: Role::Deltager,
            recorded_at: DateTime::from_timestamp(1_762_000_000, 0).unwrap(),
            recorded_by: DeviceId(Uuid::from_u128(3)),
        }
    }

    fn id(n: u128) -> AttendanceId {
        AttendanceId(Uuid::from_u128(n))
    }

    #[test]
    fn a_first_check_in_is_stored_for_whom_the_person_was_merged_into() {
        let kept = ParticipantId(Uuid::from_u128(20));
        match arriving_check_in(&check_in(1, 10), kept, None) {
            ArrivingCheckIn::Store(stored) => {
                assert_eq!(stored.participant, kept);
                assert_eq!(stored.id, id(1));
            }
            other => panic!("expected it stored, got {other:?}"),
        }
    }

    #[test]
    fn a_second_check_in_at_the_occurrence_becomes_an_alias_and_the_same_record_again_does_not() {
        assert_eq!(
            arriving_check_in(&check_in(2, 10), ParticipantId(Uuid::from_u128(10)), Some(id(1))),
            ArrivingCheckIn::Duplicate {
                canonical: id(1),
                alias: Some(id(2))
            }
        );
        assert_eq!(
            arriving_check_in(&check_in(1, 10), ParticipantId(Uuid::from_u128(10)), Some(id(1))),
            ArrivingCheckIn::Duplicate {
                canonical: id(1),
                alias: None
            }
        );
    }

    #[test]
    fn a_pulled_check_in_folds_this_devices_own_copy_into_it() {
        let pulled = check_in(1, 10);
        assert_eq!(
            pulled_check_in(&pulled, true, Some(id(1))),
            PulledCheckIn::AlreadyHere
        );
        assert_eq!(pulled_check_in(&pulled, false, None), PulledCheckIn::Store);
        assert_eq!(
            pulled_check_in(&pulled, false, Some(id(7))),
            PulledCheckIn::Fold(Fold {
                copy: id(7),
                into: id(1)
            })
        );
    }

    #[test]
    fn a_duplicate_answer_folds_the_sent_copy_unless_it_is_the_canonical_one() {
        let sent = check_in(7, 10);
        assert_eq!(
            answered_duplicate(&sent, id(1)),
            Some(Fold {
                copy: id(7),
                into: id(1)
            })
        );
        assert_eq!(answered_duplicate(&sent, id(7)), None);
    }

    #[test]
    fn a_merge_moves_check_ins_where_the_kept_person_was_absent_and_folds_the_others() {
        let kept = ParticipantId(Uuid::from_u128(20));
        assert_eq!(
            merged_check_in(id(1), kept, None),
            MergedCheckIn::Move {
                check_in: id(1),
                to: kept
            }
        );
        assert_eq!(
            merged_check_in(id(1), kept, Some(id(5))),
            MergedCheckIn::Fold(Fold {
                copy: id(1),
                into: id(5)
            })
        );
    }

    #[test]
    fn an_event_of_a_folded_copy_counts_for_the_canonical_check_in() {
        let event = AttendanceEvent {
            id: AttendanceEventId(Uuid::from_u128(40)),
            attendance: id(7),
            change: AttendanceChange::Withdrawn,
            stamp: Hlc::start(DeviceId(Uuid::from_u128(3))).tick(5),
        };
        assert_eq!(event_for(&event, Some(id(1))).attendance, id(1));
        assert_eq!(event_for(&event, None), event);
    }
}
