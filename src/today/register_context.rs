//! The Today page's controller: the register's state and the actions on it. The rules (which
//! role, what a tap does, how far a count goes) are spor-core's `register`. Every action writes to
//! the store first and changes what is shown only after the write has committed, so what the
//! volunteer sees is always what is saved.

use std::collections::HashSet;

use chrono::Utc;
use leptos::prelude::*;
use spor_core::Role;
use spor_core::activity::{Activity, Occurrence};
use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
use spor_core::ids::{AttendanceEventId, AttendanceId, HeadcountEventId, ParticipantId};
use spor_core::participant::Participant;
use spor_core::register::{self, Register, Tap};
use spor_core::validation::{Context, Problem};

use crate::components::outcome::{Failure, attempt};
use crate::store::{self, StoreError};
use crate::user_timing;

/// The user-timing measure of a tap's write (`crate::user_timing`).
const CHECK_IN_MEASURE: &str = "spor:check-in";

/// The offer to undo the latest check-in, shown for a few seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoOffer {
    pub participant: ParticipantId,
    pub name: String,
    /// Tells offers apart, so an old offer's timer does not hide a newer one.
    pub serial: u64,
}

#[derive(Clone, Copy)]
pub struct RegisterContext {
    pub activity: Signal<Activity>,
    pub occurrence: Signal<Occurrence>,
    pub register: RwSignal<Register>,
    pub people: RwSignal<Vec<Participant>>,
    /// People whose check-in is being written: a second tap meanwhile does nothing.
    pub pending: RwSignal<HashSet<ParticipantId>>,
    /// Why the last action on the register failed, until the next one works.
    pub failure: RwSignal<Option<Failure>>,
    pub undo: RwSignal<Option<UndoOffer>>,
}

pub fn provide_register(
    activity: Signal<Activity>,
    occurrence: Signal<Occurrence>,
    register: Register,
    people: Vec<Participant>,
) -> RegisterContext {
    let context = RegisterContext {
        activity,
        occurrence,
        register: RwSignal::new(register),
        people: RwSignal::new(people),
        pending: RwSignal::new(HashSet::new()),
        failure: RwSignal::new(None),
        undo: RwSignal::new(None),
    };
    provide_context(context);
    context
}

pub fn use_register() -> RegisterContext {
    expect_context::<RegisterContext>()
}

impl RegisterContext {
    /// Shows "checked in, undo?" for the latest check-in.
    fn offer_undo(self, participant: ParticipantId, name: &str) {
        let serial = self
            .undo
            .with_untracked(|offer| offer.as_ref().map_or(0, |o| o.serial + 1));
        self.undo.try_set(Some(UndoOffer {
            participant,
            name: name.to_owned(),
            serial,
        }));
    }

    /// One tap: checks the person in (or restores a check-in that was undone).
    pub fn check_in(self, participant: ParticipantId) {
        if self
            .pending
            .with_untracked(|pending| pending.contains(&participant))
        {
            return;
        }
        let undone = match self.register.with_untracked(|register| register.tap(participant)) {
            Tap::AlreadyCheckedIn => return,
            Tap::Restore(attendance) => Some(attendance),
            Tap::CheckIn => None,
        };
        let Some(person) = self
            .people
            .with_untracked(|people| people.iter().find(|p| p.id == participant).cloned())
        else {
            return;
        };
        let role = self
            .activity
            .with_untracked(|activity| register::check_in_role(&activity.roles, person.default_role));
        let occurrence = self.occurrence.get_untracked();
        self.pending.update(|pending| {
            pending.insert(participant);
        });
        attempt(self.failure, async move {
            let written = match undone {
                Some(attendance) => self.record_change(attendance, AttendanceChange::Restored).await,
                None => self.write_check_in(&person, role, occurrence).await,
            };
            self.pending.try_update(|pending| pending.remove(&participant));
            written?;
            self.offer_undo(participant, &person.pseudonym);
            Ok(())
        });
    }

    async fn write_check_in(
        self,
        person: &Participant,
        role: Role,
        occurrence: Occurrence,
    ) -> Result<(), StoreError> {
        let store = store::shared().await?;
        let attendance = Attendance {
            id: AttendanceId::generate(),
            participant: person.id,
            activity: occurrence.activity,
            date: occurrence.date,
            role,
            recorded_at: Utc::now(),
            recorded_by: store.recorder_id().await?,
        };
        user_timing::start(CHECK_IN_MEASURE);
        let written = store.check_in(&attendance).await;
        user_timing::end(CHECK_IN_MEASURE);
        match written {
            Ok(_) => {
                self.register
                    .try_update(|register| register.add_check_in(attendance));
                Ok(())
            }
            // Already saved (e.g. by another tab): show what the store holds.
            Err(StoreError::AlreadyRecorded { .. }) => self.reload().await,
            Err(error) => Err(error),
        }
    }

    async fn record_change(
        self,
        attendance: AttendanceId,
        change: AttendanceChange,
    ) -> Result<(), StoreError> {
        let store = store::shared().await?;
        let event = AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance,
            change,
            stamp: store.next_stamp().await?,
        };
        store
            .record_attendance_event(&event, self.occurrence.get_untracked())
            .await?;
        self.register.try_update(|register| register.events.push(event));
        Ok(())
    }

    /// Re-reads the occurrence from the store.
    async fn reload(self) -> Result<(), StoreError> {
        let register = store::shared()
            .await?
            .register(self.occurrence.get_untracked())
            .await?;
        self.register.try_set(register);
        Ok(())
    }

    /// The role chip: the next role the activity uses.
    pub fn cycle_role(self, participant: ParticipantId) {
        let Some(checked_in) = self
            .register
            .with_untracked(|register| register.checked_in(participant))
        else {
            return;
        };
        let Some(role) = self
            .activity
            .with_untracked(|activity| register::next_role(&activity.roles, checked_in.role))
        else {
            return;
        };
        attempt(self.failure, async move {
            let changed = AttendanceChange::RoleChanged { role };
            Ok(self.record_change(checked_in.attendance, changed).await?)
        });
    }

    /// Undo: a withdrawal is recorded, nothing is deleted.
    pub fn withdraw(self, participant: ParticipantId) {
        let Some(checked_in) = self
            .register
            .with_untracked(|register| register.checked_in(participant))
        else {
            return;
        };
        if checked_in.withdrawn {
            return;
        }
        self.undo.update(|offer| {
            if offer.as_ref().is_some_and(|o| o.participant == participant) {
                *offer = None;
            }
        });
        attempt(self.failure, async move {
            Ok(self
                .record_change(checked_in.attendance, AttendanceChange::Withdrawn)
                .await?)
        });
    }

    /// One anonymous person more (+1) or less (-1) in a role.
    pub fn count(self, role: Role, delta: i32) {
        if !self
            .register
            .with_untracked(|register| register.can_count(role, delta))
        {
            return;
        }
        let occurrence = self.occurrence.get_untracked();
        attempt(self.failure, async move {
            let store = store::shared().await?;
            let event = HeadcountEvent {
                id: HeadcountEventId::generate(),
                activity: occurrence.activity,
                date: occurrence.date,
                role,
                delta,
                recorded_at: Utc::now(),
                recorded_by: store.recorder_id().await?,
            };
            store.record_headcount(&event).await?;
            self.register
                .try_update(|register| register.headcounts.push(event));
            Ok(())
        });
    }

    /// Adds a newcomer to the activity's roster and checks them in. Returns the problems with the
    /// nickname when it cannot be saved.
    pub fn add_person(self, pseudonym: String, role: Role) -> Result<(), Vec<Problem>> {
        let occurrence = self.occurrence.get_untracked();
        let participant = Participant::newcomer(&pseudonym, role, occurrence.activity);
        let today = chrono::Local::now().date_naive();
        participant.validate(Context { today })?;
        attempt(self.failure, async move {
            store::shared().await?.save_participant(&participant).await?;
            self.people.try_update(|people| people.push(participant.clone()));
            self.write_check_in(&participant, role, occurrence).await?;
            self.offer_undo(participant.id, &participant.pseudonym);
            Ok(())
        });
        Ok(())
    }
}
