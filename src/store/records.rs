//! The records: activities, participants, check-ins and their events, counts and survey
//! responses, each written with its outbox entry (`outbox.rs`), and the reads the pages need.

use rexie::TransactionMode;
use serde::de::DeserializeOwned;
use spor_core::activity::{Activity, Occurrence};
use spor_core::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use spor_core::ids::{ActivityId, MutationId};
use spor_core::participant::Participant;
use spor_core::register::Register;
use spor_core::survey::SurveyResponse;
use spor_core::sync::{Change, EntityKind, EntityRef};

use super::codec::{from_js, from_js_all, occurrence_key, only, to_js};
use super::schema::*;
use super::{Store, StoreError};

/// Everything recorded at one occurrence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OccurrenceRecords {
    pub attendances: Vec<Attendance>,
    pub events: Vec<AttendanceEvent>,
    pub headcounts: Vec<HeadcountEvent>,
}

impl Store {
    /// Checks a person in. A second check-in of the same person at the same occurrence is refused
    /// with [`StoreError::AlreadyRecorded`] and changes nothing.
    pub async fn check_in(&self, attendance: &Attendance) -> Result<MutationId, StoreError> {
        let change = Change::CheckIn {
            attendance: attendance.clone(),
        };
        self.add_with_outbox(
            ATTENDANCE,
            to_js(attendance),
            attendance.occurrence(),
            change,
            "save the check-in",
        )
        .await
    }

    /// Records a role change, a withdrawal (undo) or a restore of a check-in at `occurrence`: always
    /// a new record, never an edit.
    pub async fn record_attendance_event(
        &self,
        event: &AttendanceEvent,
        occurrence: Occurrence,
    ) -> Result<MutationId, StoreError> {
        let change = Change::AttendanceEvent { event: event.clone() };
        self.add_with_outbox(
            ATTENDANCE_EVENTS,
            to_js(event),
            occurrence,
            change,
            "save the change",
        )
        .await
    }

    /// Saves a submitted survey response with its outbox entry: written once, in one transaction.
    pub async fn save_response(&self, response: &SurveyResponse) -> Result<MutationId, StoreError> {
        let change = Change::SurveyResponse {
            response: response.clone(),
        };
        let occurrence = Occurrence {
            activity: response.activity,
            date: response.date,
        };
        self.add_with_outbox(RESPONSES, to_js(response), occurrence, change, "save the answers")
            .await
    }

    /// Every survey response on this device.
    pub async fn responses(&self) -> Result<Vec<SurveyResponse>, StoreError> {
        self.all(RESPONSES, "survey response").await
    }

    pub async fn record_headcount(&self, event: &HeadcountEvent) -> Result<MutationId, StoreError> {
        let change = Change::Headcount { event: event.clone() };
        self.add_with_outbox(
            HEADCOUNTS,
            to_js(event),
            event.occurrence(),
            change,
            "save the count",
        )
        .await
    }

    pub async fn save_activity(&self, activity: &Activity) -> Result<MutationId, StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Activity,
            id: activity.id.0,
        };
        self.put_with_patch(ACTIVITIES, to_js(activity), entity, activity, "save the activity")
            .await
    }

    pub async fn save_participant(&self, participant: &Participant) -> Result<MutationId, StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Participant,
            id: participant.id.0,
        };
        self.put_with_patch(
            PARTICIPANTS,
            to_js(participant),
            entity,
            participant,
            "save the participant",
        )
        .await
    }

    pub(super) async fn all<T: DeserializeOwned>(
        &self,
        store: &str,
        what: &'static str,
    ) -> Result<Vec<T>, StoreError> {
        let transaction = self
            .transaction(&[store], TransactionMode::ReadOnly, "read the records")
            .await?;
        let values = transaction.store(store)?.get_all(None, None).await?;
        from_js_all(values, what)
    }

    pub async fn activities(&self) -> Result<Vec<Activity>, StoreError> {
        self.all(ACTIVITIES, "activity").await
    }

    pub async fn participants(&self) -> Result<Vec<Participant>, StoreError> {
        self.all(PARTICIPANTS, "participant").await
    }

    /// The check-ins (with their events) and headcounts of one occurrence.
    pub async fn occurrence_records(&self, occurrence: Occurrence) -> Result<OccurrenceRecords, StoreError> {
        let action = "read the occurrence";
        let transaction = self
            .transaction(
                &[ATTENDANCE, ATTENDANCE_EVENTS, HEADCOUNTS],
                TransactionMode::ReadOnly,
                action,
            )
            .await?;
        let attendance_values = transaction
            .store(ATTENDANCE)
            .and_then(|store| store.index(BY_OCCURRENCE))?
            .get_all(Some(occurrence_key(occurrence)?), None)
            .await?;
        let headcount_values = transaction
            .store(HEADCOUNTS)
            .and_then(|store| store.index(BY_OCCURRENCE))?
            .get_all(Some(occurrence_key(occurrence)?), None)
            .await?;
        let attendances: Vec<Attendance> = from_js_all(attendance_values, "attendance")?;
        let events_index = transaction
            .store(ATTENDANCE_EVENTS)
            .and_then(|store| store.index(BY_ATTENDANCE))?;
        let mut events = Vec::new();
        for attendance in &attendances {
            let key = only(&attendance.id.to_string().into(), action)?;
            for value in events_index.get_all(Some(key), None).await? {
                events.push(from_js(value, "attendance event")?);
            }
        }
        Ok(OccurrenceRecords {
            attendances,
            events,
            headcounts: from_js_all(headcount_values, "headcount")?,
        })
    }

    /// The register of one occurrence, as the Today page shows it.
    pub async fn register(&self, occurrence: Occurrence) -> Result<Register, StoreError> {
        let records = self.occurrence_records(occurrence).await?;
        let history = self.attendance_at(occurrence.activity).await?;
        Ok(Register::new(
            occurrence,
            records.attendances,
            records.events,
            records.headcounts,
            &history,
        ))
    }

    /// Every check-in at an activity (for "most recently seen" and "new today").
    pub async fn attendance_at(&self, activity: ActivityId) -> Result<Vec<Attendance>, StoreError> {
        let action = "read the activity's attendance";
        let transaction = self
            .transaction(&[ATTENDANCE], TransactionMode::ReadOnly, action)
            .await?;
        let key = only(&activity.to_string().into(), action)?;
        let values = transaction
            .store(ATTENDANCE)
            .and_then(|store| store.index(BY_ACTIVITY))?
            .get_all(Some(key), None)
            .await?;
        from_js_all(values, "attendance")
    }
}
