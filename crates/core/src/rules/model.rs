//! A reference model of sync for tests (feature `model`): replicas that decide every change by the
//! rulebook alone, and scenarios of changes from several devices (edits with close and skewed
//! clocks, duplicate check-ins, events, merges, erasures, deletions and hostile changes) with their
//! delivery orders (repeats, and drops retried later). spor-core's property test and the server's
//! scenario test both use it: every replica, and the real server, must end in one state with no
//! erased pseudonym anywhere.
//!
//! Which of two duplicate check-ins is canonical is the server's to say (devices adopt it through
//! `duplicate(canonical)`); replicas compare check-ins by their natural key.
//!
//! A person is merged away once, and which of two coordinators' merges of them stands is the order
//! the server took them in: phones apply merges only as the server's log passes them on
//! ([`linked_phone_order`]), every other change in any order.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Role;
use crate::access::DeviceRole;
use crate::attendance::{Attendance, AttendanceChange, AttendanceEvent};
use crate::hlc::Hlc;
use crate::ids::{ActivityId, AttendanceEventId, AttendanceId, DeviceId, ParticipantId};
use crate::rules::attendance::{self, ArrivingCheckIn, Fold, MergedCheckIn};
use crate::rules::erasure::{self, Scrub};
use crate::rules::merges::{self, MergeDecision};
use crate::rules::{self, fields::FieldDecision};
use crate::sync::{Change, EntityKind, EntityRef, Stamped};
use crate::validation::Context;

/// The moment the scenarios are made at.
pub const NOW_MS: u64 = 1_765_000_000_000;
/// How many people the scenarios name.
pub const PEOPLE: u128 = 4;
/// How many devices make the changes.
pub const DEVICES: u8 = 3;

fn context() -> Context {
    Context {
        today: DateTime::from_timestamp_millis(NOW_MS as i64)
            .unwrap()
            .date_naive(),
    }
}

/// The scenarios' person number `n`.
pub fn person(n: u128) -> ParticipantId {
    ParticipantId(Uuid::from_u128(1000 + n))
}

/// The scenarios' device number `n`.
pub fn device(n: u8) -> DeviceId {
    DeviceId(Uuid::from_u128(u128::from(n) + 1))
}

/// The one activity the scenarios' check-ins are at.
pub fn activity() -> ActivityId {
    ActivityId(Uuid::from_u128(77))
}

/// The role a person is checked in with, the same on every phone.
fn role_of(participant: ParticipantId) -> Role {
    if participant.0.as_u128().is_multiple_of(2) {
        Role::Bruger
    } else {
        Role::Deltager
    }
}

/// One replica: the server's or a device's, deciding every change by the rulebook.
#[derive(Debug, Default, Clone)]
pub struct Replica {
    fields: BTreeMap<(EntityRef, String), (Hlc, Value)>,
    tombstones: BTreeMap<EntityRef, Hlc>,
    erased: BTreeSet<ParticipantId>,
    merges: BTreeMap<ParticipantId, ParticipantId>,
    check_ins: BTreeMap<AttendanceId, Attendance>,
    /// Check-ins folded into another of the same person at the same occurrence: (copy, into).
    aliases: BTreeMap<AttendanceId, AttendanceId>,
    events: BTreeMap<AttendanceEventId, AttendanceEvent>,
    /// What this replica passes on, as the server's change log does: each change as it was
    /// applied (a patch with the fields that won, a check-in under whom it counts for, an event
    /// aimed at the canonical check-in), never a duplicate, scrubbed by erasures.
    log: Vec<Change>,
}

/// What two replicas must agree on.
#[derive(Debug, PartialEq)]
pub struct View {
    pub fields: BTreeMap<(EntityRef, String), Value>,
    pub erased: BTreeSet<ParticipantId>,
    pub attendance: BTreeMap<(ParticipantId, NaiveDate), (Role, bool)>,
}

impl Replica {
    /// Applies `change` if the rulebook admits it; the server also checks the sender's role.
    pub fn receive(&mut self, change: &Change, sender: Option<DeviceRole>) {
        let admitted = match sender {
            Some(role) => rules::admit(
                rules::Sender {
                    role,
                    device: device(0),
                },
                change,
                context(),
                NOW_MS,
            ),
            None => rules::check(change, context(), NOW_MS),
        };
        if admitted.is_err() {
            return;
        }
        if let Some(applied) = self.apply(change) {
            self.log.push(applied);
        }
    }

    /// What this replica passes on (see `log`), in the order it applied it.
    pub fn log(&self) -> &[Change] {
        &self.log
    }

    /// Applies an admitted change; answers it as applied, or nothing when it changed nothing.
    fn apply(&mut self, change: &Change) -> Option<Change> {
        match change {
            Change::Patch { entity, fields } => {
                if erasure::check_patch_target(*entity, fields, |who| self.erased.contains(&who)).is_err() {
                    return None;
                }
                let mut applied = BTreeMap::new();
                for (name, field) in fields {
                    let key = (*entity, name.clone());
                    let decision = rules::fields::decide_field(
                        self.fields.get(&key).map(|(stamp, _)| stamp),
                        self.tombstones.get(entity),
                        &field.stamp,
                    );
                    if decision == FieldDecision::Applied {
                        self.fields.insert(key, (field.stamp, field.value.clone()));
                        applied.insert(name.clone(), field.clone());
                    }
                }
                return (!applied.is_empty()).then_some(Change::Patch {
                    entity: *entity,
                    fields: applied,
                });
            }
            Change::Delete { entity, stamp } => {
                let tombstone = self.tombstones.entry(*entity).or_insert(*stamp);
                *tombstone = (*tombstone).max(*stamp);
                let tombstone = *tombstone;
                self.fields
                    .retain(|(of, _), (field_stamp, _)| of != entity || *field_stamp > tombstone);
            }
            Change::EraseParticipant { participant, .. } => self.erase(*participant),
            Change::MergeParticipants { merged, into, .. } => {
                let kept = match merges::decide_merge(*merged, *into, |who| self.merges.get(&who).copied()) {
                    Ok(MergeDecision::Join { kept }) => {
                        self.merges.insert(*merged, *into);
                        kept
                    }
                    Ok(MergeDecision::Again { kept }) => kept,
                    Ok(MergeDecision::AlreadyOne) => return Some(change.clone()),
                    Err(_) => return None,
                };
                if let Some(erased) = erasure::erased_by_merge(*merged, self.erased.contains(into)) {
                    self.erase(erased);
                }
                let moving: Vec<Attendance> = self
                    .check_ins
                    .values()
                    .filter(|check_in| check_in.participant == *merged)
                    .cloned()
                    .collect();
                for check_in in moving {
                    let kept_there = self.check_in_of(kept, check_in.date);
                    match attendance::merged_check_in(check_in.id, kept, kept_there) {
                        MergedCheckIn::Move { check_in, to } => {
                            if let Some(moved) = self.check_ins.get_mut(&check_in) {
                                moved.participant = to;
                            }
                        }
                        MergedCheckIn::Fold(fold) => self.fold(fold),
                    }
                }
            }
            Change::CheckIn { attendance: check_in } => {
                let counts_for = self.current(check_in.participant);
                let stored =
                    if self.check_ins.contains_key(&check_in.id) || self.aliases.contains_key(&check_in.id) {
                        Some(self.canonical(check_in.id))
                    } else {
                        self.check_in_of(counts_for, check_in.date)
                    };
                return match attendance::arriving_check_in(check_in, counts_for, stored) {
                    ArrivingCheckIn::Store(stored) => {
                        self.check_ins.insert(stored.id, stored.clone());
                        Some(Change::CheckIn { attendance: stored })
                    }
                    ArrivingCheckIn::Duplicate { canonical, alias } => {
                        if let Some(copy) = alias {
                            self.aliases.insert(copy, canonical);
                            // Events that came before their check-in was found a duplicate are
                            // passed on again, aimed at the canonical one.
                            let moved: Vec<AttendanceEvent> = self
                                .events
                                .values()
                                .filter(|event| event.attendance == copy)
                                .map(|event| attendance::event_for(event, Some(canonical)))
                                .collect();
                            for event in moved {
                                self.events.insert(event.id, event.clone());
                                self.log.push(Change::AttendanceEvent { event });
                            }
                        }
                        None
                    }
                };
            }
            Change::AttendanceEvent { event } => {
                let canonical = self.canonical(event.attendance);
                let event = attendance::event_for(event, Some(canonical));
                if self.events.get(&event.id) == Some(&event) {
                    return None;
                }
                self.events.insert(event.id, event.clone());
                return Some(Change::AttendanceEvent { event });
            }
            Change::Headcount { .. } | Change::SurveyResponse { .. } => {}
        }
        Some(change.clone())
    }

    fn erase(&mut self, participant: ParticipantId) {
        let merges: Vec<_> = self
            .merges
            .iter()
            .map(|(merged, into)| (*merged, *into))
            .collect();
        let reached = erasure::erasure_reach(participant, merges);
        self.fields.retain(|(of, _), _| {
            of.kind != EntityKind::Participant || !reached.contains(&ParticipantId(of.id))
        });
        self.log = std::mem::take(&mut self.log)
            .into_iter()
            .filter_map(|logged| match erasure::scrub(&logged, &reached) {
                Scrub::Keep => Some(logged),
                Scrub::Drop => None,
                Scrub::Rewrite(unlinked) => Some(unlinked),
            })
            .collect();
        self.erased.extend(reached);
    }

    /// The check-in of `participant` at the scenario's activity on `date`, if any.
    fn check_in_of(&self, participant: ParticipantId, date: NaiveDate) -> Option<AttendanceId> {
        self.check_ins
            .values()
            .find(|check_in| check_in.participant == participant && check_in.date == date)
            .map(|check_in| check_in.id)
    }

    /// The check-in an id stands for now: aliases followed to their end.
    fn canonical(&self, mut id: AttendanceId) -> AttendanceId {
        for _ in 0..=self.aliases.len() {
            match self.aliases.get(&id) {
                Some(into) => id = *into,
                None => break,
            }
        }
        id
    }

    fn fold(&mut self, fold: Fold) {
        self.check_ins.remove(&fold.copy);
        self.aliases.insert(fold.copy, fold.into);
        for event in self.events.values_mut() {
            if event.attendance == fold.copy {
                event.attendance = fold.into;
            }
        }
    }

    /// Who a participant is now: merges followed to their end.
    fn current(&self, participant: ParticipantId) -> ParticipantId {
        merges::current(participant, |who| self.merges.get(&who).copied())
    }

    pub fn view(&self) -> View {
        let mut attendance: BTreeMap<(ParticipantId, NaiveDate), (Role, bool)> = BTreeMap::new();
        let mut by_key: BTreeMap<(ParticipantId, NaiveDate), Vec<&Attendance>> = BTreeMap::new();
        for check_in in self.check_ins.values() {
            by_key
                .entry((self.current(check_in.participant), check_in.date))
                .or_default()
                .push(check_in);
        }
        for (key, check_ins) in by_key {
            // Events sent for any duplicate count for the one attendance (re-pointed).
            let ids: BTreeSet<AttendanceId> = check_ins.iter().map(|check_in| check_in.id).collect();
            let canonical = Attendance {
                role: role_of(key.0),
                ..check_ins[0].clone()
            };
            let events: Vec<AttendanceEvent> = self
                .events
                .values()
                .filter(|event| ids.contains(&self.canonical(event.attendance)))
                .map(|event| AttendanceEvent {
                    attendance: canonical.id,
                    ..event.clone()
                })
                .collect();
            let state = canonical.state(&events);
            attendance.insert(key, (state.role, state.withdrawn));
        }
        View {
            fields: self
                .fields
                .iter()
                .map(|(key, (_, value))| (key.clone(), value.clone()))
                .collect(),
            erased: self.erased.clone(),
            attendance,
        }
    }
}

/// A change some device made, as a scenario draws it.
#[derive(Debug, Clone)]
pub enum Made {
    Name {
        person: u128,
        name: u8,
        device: u8,
        wall: u64,
    },
    CheckIn {
        person: u128,
        day: u32,
        device: u8,
    },
    Withdraw {
        check_in: usize,
        device: u8,
        wall: u64,
    },
    Merge {
        merged: u128,
        into: u128,
        wall: u64,
    },
    Erase {
        person: u128,
        wall: u64,
    },
    Delete {
        person: u128,
        wall: u64,
    },
    /// Hostile: a field named `id`, an unknown field, a stamp years ahead.
    Hostile {
        kind: u8,
        person: u128,
    },
}

const PSEUDONYMS: [&str; 4] = ["Åse", "Bent", "Carla", "Dorte"];

/// A stamp `wall` tens of milliseconds into the scenario, on device `on`.
pub fn stamp(wall: u64, on: u8) -> Hlc {
    stamp_of(wall, on, 0)
}

/// Clocks close together and skewed by a few ms per device; `edit` keeps each edit's stamp its own,
/// as a device's clock does.
fn stamp_of(wall: u64, on: u8, edit: usize) -> Hlc {
    Hlc {
        wall_ms: NOW_MS - 100_000 + wall * 10 + u64::from(on) * 3,
        counter: edit as u32,
        device: device(on),
    }
}

/// A patch of one field of a participant.
pub fn patch(participant: ParticipantId, name: &str, value: Value, stamp: Hlc) -> Change {
    Change::Patch {
        entity: EntityRef {
            kind: EntityKind::Participant,
            id: participant.0,
        },
        fields: BTreeMap::from([(name.to_owned(), Stamped { value, stamp })]),
    }
}

/// The changes a scenario's devices made, in the order they made them.
pub fn changes(made: &[Made]) -> Vec<Change> {
    let mut check_ins: Vec<AttendanceId> = Vec::new();
    made.iter()
        .enumerate()
        .filter_map(|(index, made)| {
            Some(match *made {
                Made::Name {
                    person: who,
                    name,
                    device: on,
                    wall,
                } => patch(
                    person(who),
                    "pseudonym",
                    json!(PSEUDONYMS[usize::from(name)]),
                    stamp_of(wall, on, index),
                ),
                Made::CheckIn {
                    person: who,
                    day,
                    device: on,
                } => {
                    let id = AttendanceId(Uuid::from_u128(50_000 + index as u128));
                    check_ins.push(id);
                    Change::CheckIn {
                        attendance: Attendance {
                            id,
                            participant: person(who),
                            activity: activity(),
                            date: NaiveDate::from_ymd_opt(2025, 12, day).unwrap(),
                            role: role_of(person(who)),
                            recorded_at: DateTime::from_timestamp_millis(NOW_MS as i64).unwrap(),
                            recorded_by: device(on),
                        },
                    }
                }
                Made::Withdraw {
                    check_in,
                    device: on,
                    wall,
                } => Change::AttendanceEvent {
                    event: AttendanceEvent {
                        id: AttendanceEventId(Uuid::from_u128(90_000 + index as u128)),
                        attendance: *check_ins.get(check_in % check_ins.len().max(1))?,
                        change: if wall % 3 == 0 {
                            AttendanceChange::Restored
                        } else {
                            AttendanceChange::Withdrawn
                        },
                        stamp: stamp_of(wall, on, index),
                    },
                },
                Made::Merge { merged, into, wall } => Change::MergeParticipants {
                    merged: person(merged),
                    into: person(into),
                    stamp: stamp_of(wall, 0, index),
                },
                Made::Erase { person: who, wall } => Change::EraseParticipant {
                    participant: person(who),
                    stamp: stamp_of(wall, 0, index),
                },
                Made::Delete { person: who, wall } => Change::Delete {
                    entity: EntityRef {
                        kind: EntityKind::Activity,
                        id: person(who).0,
                    },
                    stamp: stamp_of(wall, 0, index),
                },
                Made::Hostile { kind, person: who } => match kind {
                    0 => patch(person(who), "id", json!(person(who + 1)), stamp(1, 1)),
                    1 => patch(person(who), "nickname", json!("Eva"), stamp(1, 1)),
                    _ => patch(
                        person(who),
                        "pseudonym",
                        json!("Eva"),
                        Hlc {
                            wall_ms: Hlc::MAX_WALL_MS,
                            counter: 0,
                            device: device(1),
                        },
                    ),
                },
            })
        })
        .collect()
}

/// A delivery order: every change at least once, some twice, some dropped first and retried last.
pub fn delivery(count: usize, seed: u64) -> Vec<usize> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut order: Vec<usize> = (0..count).collect();
    order.extend((0..count).filter(|_| next() % 4 == 0));
    for i in (1..order.len()).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    // Drops: moved to the end, as a retry after the connection came back.
    let (mut kept, dropped): (Vec<usize>, Vec<usize>) = order.into_iter().partition(|_| next() % 5 != 0);
    kept.extend(dropped);
    kept
}

/// What a phone linked to the server hears, in order: every change in the delivery order `seed`
/// draws (its own at once, others' as they come), except those the server orders (merges), which
/// come only as the server's log passes them on, in that log's order, at places `seed` draws.
pub fn linked_phone_order(changes: &[Change], server: &Replica, seed: u64) -> Vec<Change> {
    let mut heard: Vec<Change> = delivery(changes.len(), seed)
        .into_iter()
        .map(|index| changes[index].clone())
        .filter(|change| !rules::ordered_by_the_server(change))
        .collect();
    let mut state = seed.rotate_left(17) | 1;
    let mut place = 0;
    for merge in server
        .log()
        .iter()
        .filter(|change| rules::ordered_by_the_server(change))
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        place += (state % 3) as usize;
        place = place.min(heard.len());
        heard.insert(place, merge.clone());
        place += 1;
    }
    heard
}

impl Made {
    /// `count` changes drawn from `seed`, in the proportions of the property test.
    pub fn draw(count: usize, seed: u64) -> Vec<Made> {
        let mut state = seed | 1;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        (0..count)
            .map(|_| {
                let (person, wall, on) = (
                    u128::from(next(PEOPLE as u64) as u8),
                    next(40),
                    next(u64::from(DEVICES)) as u8,
                );
                match next(13) {
                    0..=3 => Made::Name {
                        person,
                        name: next(4) as u8,
                        device: on,
                        wall,
                    },
                    4..=6 => Made::CheckIn {
                        person,
                        day: 1 + next(3) as u32,
                        device: on,
                    },
                    7..=8 => Made::Withdraw {
                        check_in: next(20) as usize,
                        device: on,
                        wall,
                    },
                    9 => Made::Merge {
                        merged: u128::from(next(PEOPLE as u64) as u8),
                        into: person,
                        wall,
                    },
                    10 => Made::Erase { person, wall },
                    11 => Made::Delete { person, wall },
                    _ => Made::Hostile {
                        kind: next(3) as u8,
                        person,
                    },
                }
            })
            .collect()
    }
}
