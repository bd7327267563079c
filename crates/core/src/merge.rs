//! The merge rules of DESIGN.md section 4, as plain functions the server and the devices share.
//!
//! - Mutable entities: per field, the write with the highest stamp wins ([`FieldSet::merge`]); the
//!   stamp includes the device id, so ties are broken the same way everywhere, and the result does
//!   not depend on the order writes arrive in. Overwritten values are returned for the conflict log.
//! - Check-ins: one canonical attendance per (participant, activity, date); a second check-in of the
//!   same person is answered with the canonical id, and events sent for the duplicate's id are
//!   re-pointed to the canonical one ([`AttendanceLedger`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::attendance::{Attendance, AttendanceEvent, AttendanceState};
use crate::ids::{ActivityId, AttendanceEventId, AttendanceId, ParticipantId};
use crate::sync::Stamped;

/// The current fields of one mutable entity, each with the stamp of the write that set it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSet {
    pub fields: BTreeMap<String, Stamped>,
}

/// What a merge did with one incoming field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldMerge {
    /// The incoming write is newer and now holds the field; `overwritten` is what it replaced.
    Applied { overwritten: Option<Stamped> },
    /// The field already holds this very write.
    Unchanged,
    /// The incoming write is older than the field's and lost; it belongs in the conflict log.
    Lost,
}

impl FieldSet {
    /// Merges one stamped write of `field`.
    pub fn merge(&mut self, field: &str, incoming: Stamped) -> FieldMerge {
        match self.fields.get(field) {
            Some(current) if current.stamp > incoming.stamp => FieldMerge::Lost,
            Some(current) if current.stamp == incoming.stamp => FieldMerge::Unchanged,
            _ => FieldMerge::Applied {
                overwritten: self.fields.insert(field.to_owned(), incoming),
            },
        }
    }
}

type NaturalKey = (ParticipantId, ActivityId, NaiveDate);

/// The outcome of offering a check-in or an event to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerOutcome {
    Applied,
    /// Already known. For a check-in of a person already checked in, the canonical attendance.
    Duplicate {
        canonical: Option<AttendanceId>,
    },
    /// An event for an attendance the ledger has never seen (it may still be on its way).
    UnknownAttendance,
}

/// Named attendance merged from any number of devices: the reference model of what the server keeps.
#[derive(Debug, Clone, Default)]
pub struct AttendanceLedger {
    canonical_by_key: HashMap<NaturalKey, AttendanceId>,
    attendances: HashMap<AttendanceId, Attendance>,
    /// Duplicate check-in ids and the canonical id each stands for.
    aliases: HashMap<AttendanceId, AttendanceId>,
    events: HashMap<AttendanceId, Vec<AttendanceEvent>>,
    seen_events: HashSet<AttendanceEventId>,
}

impl AttendanceLedger {
    /// The canonical id that `id` (a canonical or a duplicate's id) stands for.
    pub fn canonical(&self, id: AttendanceId) -> Option<AttendanceId> {
        if self.attendances.contains_key(&id) {
            Some(id)
        } else {
            self.aliases.get(&id).copied()
        }
    }

    pub fn check_in(&mut self, attendance: Attendance) -> LedgerOutcome {
        if let Some(canonical) = self.canonical(attendance.id) {
            return LedgerOutcome::Duplicate {
                canonical: Some(canonical),
            };
        }
        match self.canonical_by_key.get(&attendance.natural_key()) {
            Some(&canonical) => {
                self.aliases.insert(attendance.id, canonical);
                LedgerOutcome::Duplicate {
                    canonical: Some(canonical),
                }
            }
            None => {
                self.canonical_by_key
                    .insert(attendance.natural_key(), attendance.id);
                self.attendances.insert(attendance.id, attendance);
                LedgerOutcome::Applied
            }
        }
    }

    /// Records a role change, withdrawal or restore, re-pointed to the canonical attendance.
    pub fn record_event(&mut self, mut event: AttendanceEvent) -> LedgerOutcome {
        if self.seen_events.contains(&event.id) {
            return LedgerOutcome::Duplicate { canonical: None };
        }
        let Some(canonical) = self.canonical(event.attendance) else {
            return LedgerOutcome::UnknownAttendance;
        };
        event.attendance = canonical;
        self.seen_events.insert(event.id);
        self.events.entry(canonical).or_default().push(event);
        LedgerOutcome::Applied
    }

    pub fn attendance(&self, id: AttendanceId) -> Option<&Attendance> {
        self.attendances.get(&self.canonical(id)?)
    }

    /// The current state of the person's check-in at an occurrence, if there is one.
    pub fn state_of(&self, key: NaturalKey) -> Option<AttendanceState> {
        let id = self.canonical_by_key.get(&key)?;
        let attendance = &self.attendances[id];
        Some(attendance.state(self.events.get(id).into_iter().flatten()))
    }

    /// Every canonical attendance with its current state.
    pub fn current(&self) -> impl Iterator<Item = (&Attendance, AttendanceState)> {
        self.attendances.values().map(|attendance| {
            (
                attendance,
                attendance.state(self.events.get(&attendance.id).into_iter().flatten()),
            )
        })
    }

    pub fn len(&self) -> usize {
        self.attendances.len()
    }

    pub fn is_empty(&self) -> bool {
        self.attendances.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::attendance::AttendanceChange;
    use crate::hlc::Hlc;
    use crate::ids::DeviceId;
    use chrono::DateTime;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn device(n: u8) -> DeviceId {
        DeviceId(Uuid::from_u128(u128::from(n) + 1))
    }

    fn stamped(value: i64, wall_ms: u64, device_number: u8) -> Stamped {
        Stamped {
            value: serde_json::json!(value),
            stamp: Hlc {
                wall_ms,
                counter: 0,
                device: device(device_number),
            },
        }
    }

    #[test]
    fn the_newer_write_wins_and_the_older_is_reported_lost() {
        let mut fields = FieldSet::default();
        assert_eq!(
            fields.merge("name", stamped(1, 10, 0)),
            FieldMerge::Applied { overwritten: None }
        );
        assert_eq!(
            fields.merge("name", stamped(2, 20, 1)),
            FieldMerge::Applied {
                overwritten: Some(stamped(1, 10, 0))
            }
        );
        assert_eq!(fields.merge("name", stamped(3, 15, 2)), FieldMerge::Lost);
        assert_eq!(fields.merge("name", stamped(2, 20, 1)), FieldMerge::Unchanged);
        assert_eq!(fields.fields["name"].value, serde_json::json!(2));
    }

    fn attendance(person: u8, day: u32, device_number: u8, id: u128) -> Attendance {
        Attendance {
            id: AttendanceId(Uuid::from_u128(id)),
            participant: ParticipantId(Uuid::from_u128(u128::from(person) + 100)),
            activity: ActivityId(Uuid::from_u128(1)),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            role: Role::Bruger,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: device(device_number),
        }
    }

    #[test]
    fn two_phones_checking_in_the_same_person_make_one_attendance() {
        let mut ledger = AttendanceLedger::default();
        let first = attendance(1, 26, 0, 1000);
        let second = attendance(1, 26, 1, 2000);
        assert_eq!(ledger.check_in(first.clone()), LedgerOutcome::Applied);
        assert_eq!(
            ledger.check_in(second.clone()),
            LedgerOutcome::Duplicate {
                canonical: Some(first.id)
            }
        );
        assert_eq!(ledger.len(), 1);

        // The second phone's undo, sent for its own id, lands on the canonical attendance.
        let undo = AttendanceEvent {
            id: AttendanceEventId(Uuid::from_u128(3000)),
            attendance: second.id,
            change: AttendanceChange::Withdrawn,
            stamp: Hlc {
                wall_ms: 1,
                counter: 0,
                device: device(1),
            },
        };
        assert_eq!(ledger.record_event(undo.clone()), LedgerOutcome::Applied);
        assert_eq!(
            ledger.record_event(undo),
            LedgerOutcome::Duplicate { canonical: None }
        );
        assert!(ledger.state_of(first.natural_key()).unwrap().withdrawn);
    }

    #[test]
    fn a_retried_check_in_is_a_duplicate_of_itself() {
        let mut ledger = AttendanceLedger::default();
        let check_in = attendance(2, 26, 0, 1000);
        ledger.check_in(check_in.clone());
        assert_eq!(
            ledger.check_in(check_in.clone()),
            LedgerOutcome::Duplicate {
                canonical: Some(check_in.id)
            }
        );
        assert_eq!(ledger.len(), 1);
    }

    proptest! {
        /// Per-field last-writer-wins gives the same result in any order and with any repeats.
        #[test]
        fn field_merge_is_commutative_and_idempotent(
            writes in prop::collection::vec((0usize..3, 0i64..100, 0u64..20, 0u8..3), 1..30),
            seed in any::<u64>(),
        ) {
            let writes: Vec<(String, Stamped)> = writes
                .into_iter()
                .map(|(field, value, wall, dev)| (format!("f{field}"), stamped(value, wall, dev)))
                .collect();
            // Two writes with one stamp are one write: a stamp is unique to its edit.
            let mut unique: BTreeMap<(String, Hlc), Stamped> = BTreeMap::new();
            for (field, write) in writes {
                unique.entry((field, write.stamp)).or_insert(write);
            }
            let writes: Vec<(String, Stamped)> = unique.into_iter().map(|((field, _), w)| (field, w)).collect();

            let mut in_order = FieldSet::default();
            for (field, write) in &writes {
                in_order.merge(field, write.clone());
            }
            let mut shuffled: Vec<_> = writes.iter().chain(writes.iter()).cloned().collect();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let mut other_order = FieldSet::default();
            for (field, write) in shuffled {
                other_order.merge(&field, write);
            }
            prop_assert_eq!(in_order, other_order);
        }

        /// Check-ins from several devices, in any order and repeated: one attendance per person and
        /// occurrence, and the same current state whatever the order.
        #[test]
        fn check_ins_dedupe_to_one_per_person_and_occurrence_in_any_order(
            taps in prop::collection::vec((0u8..5, 24u32..27, 0u8..3), 1..40),
            events in prop::collection::vec((0usize..40, 0u8..3, 0u64..50), 0..20),
            seed in any::<u64>(),
        ) {
            let check_ins: Vec<Attendance> = taps
                .iter()
                .enumerate()
                .map(|(i, (person, day, dev))| attendance(*person, *day, *dev, 10_000 + i as u128))
                .collect();
            let events: Vec<AttendanceEvent> = events
                .iter()
                .enumerate()
                .map(|(i, (target, kind, wall))| AttendanceEvent {
                    id: AttendanceEventId(Uuid::from_u128(50_000 + i as u128)),
                    attendance: check_ins[target % check_ins.len()].id,
                    change: match kind {
                        0 => AttendanceChange::Withdrawn,
                        1 => AttendanceChange::Restored,
                        _ => AttendanceChange::RoleChanged { role: Role::Frivillig },
                    },
                    stamp: Hlc { wall_ms: *wall, counter: 0, device: device(*kind) },
                })
                .collect();

            let run = |order_seed: u64| {
                let mut ledger = AttendanceLedger::default();
                let mut check_ins = check_ins.clone();
                let mut state = order_seed;
                for i in (1..check_ins.len()).rev() {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    check_ins.swap(i, (state >> 33) as usize % (i + 1));
                }
                for check_in in check_ins.iter().chain(check_ins.iter()) {
                    ledger.check_in(check_in.clone());
                }
                for event in events.iter().rev() {
                    ledger.record_event(event.clone());
                }
                let mut states: Vec<_> = ledger
                    .current()
                    .map(|(a, s)| (a.natural_key(), s.role, s.withdrawn))
                    .collect();
                states.sort();
                states
            };
            let first = run(seed);
            let distinct_keys: HashSet<_> = check_ins.iter().map(Attendance::natural_key).collect();
            prop_assert_eq!(first.len(), distinct_keys.len());
            prop_assert_eq!(first, run(seed.wrapping_add(1)));
        }
    }
}
