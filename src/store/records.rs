//! Activities, participants, attendance and headcounts, each written together with its outbox entry
//! in one transaction (DESIGN.md section 3): a record is never saved without the change that will
//! carry it to a server, and never queued without being saved.

use std::collections::BTreeMap;

use chrono::Utc;
use rexie::{KeyRange, TransactionMode};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use spor_core::activity::{Activity, Occurrence};
use spor_core::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use spor_core::backup::{BACKUP_FORMAT, BACKUP_VERSION, Backup, ImportPlan};
use spor_core::hlc::Hlc;
use spor_core::ids::{ActivityId, AttendanceId, MutationId, ParticipantId};
use spor_core::participant::Participant;
use spor_core::register::Register;
use spor_core::rules;
use spor_core::rules::attendance::{Fold, MergedCheckIn};
use spor_core::rules::erasure::Scrub;
use spor_core::rules::merges::MergeDecision;
use spor_core::survey::SurveyResponse;
use spor_core::sync::{Change, EntityKind, EntityRef, Mutation, Stamped};
use spor_core::validation::Problem;
use wasm_bindgen::JsValue;

use super::schema::*;
use super::transaction::ObjectStore;
use super::trend_months::{PACKS_BUILT, StaleMonths, mark_stale};
use super::{Store, StoreError};

/// One queued change, oldest first by `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Assigned by IndexedDB when the entry is queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u32>,
    pub mutation: Mutation,
    pub queued_at: chrono::DateTime<Utc>,
}

/// Where a merge stands once asked for ([`Store::merge_participants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeState {
    /// Done on this device (one used alone), and queued for a server it may be linked to later.
    Merged,
    /// Sent to the server, which orders merges: this device merges the two when it hears it back.
    AwaitingServer,
}

/// Everything recorded at one occurrence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OccurrenceRecords {
    pub attendances: Vec<Attendance>,
    pub events: Vec<AttendanceEvent>,
    pub headcounts: Vec<HeadcountEvent>,
}

// Records cross into IndexedDB as JSON text parsed by the browser, and back the same way: one serde
// format (serde_json) for the store, the wire and backups keeps the wasm smaller than a second,
// JavaScript-object serde backend would, and the browser's JSON parser is fast.
pub(super) fn to_js<T: Serialize>(value: &T) -> JsValue {
    let json = serde_json::to_string(value).expect("the app's own records always serialise");
    js_sys::JSON::parse(&json).expect("serde_json writes valid JSON")
}

pub(super) fn from_js<T: DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, StoreError> {
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| StoreError::Corrupt {
            what,
            detail: "not representable as JSON".to_owned(),
        })?;
    serde_json::from_str(&json).map_err(StoreError::corrupt(what))
}

/// Many records at once: one JSON text for the whole list, rather than one per record.
pub(super) fn from_js_all<T: DeserializeOwned>(
    values: Vec<JsValue>,
    what: &'static str,
) -> Result<Vec<T>, StoreError> {
    from_js(js_sys::Array::from_iter(values).into(), what)
}

/// A key range holding exactly `key`.
pub(super) fn only(key: &JsValue, action: &'static str) -> Result<KeyRange, StoreError> {
    KeyRange::only(key).map_err(|error| StoreError::database(action)(error.into()))
}

/// The `natural_key` index's key: one check-in per person and occurrence.
pub(super) fn natural_key(
    participant: ParticipantId,
    activity: ActivityId,
    date: chrono::NaiveDate,
) -> JsValue {
    js_sys::Array::of3(
        &participant.to_string().into(),
        &activity.to_string().into(),
        &date.to_string().into(),
    )
    .into()
}

fn occurrence_key(occurrence: Occurrence) -> Result<KeyRange, StoreError> {
    let key = js_sys::Array::of2(
        &occurrence.activity.to_string().into(),
        &occurrence.date.to_string().into(),
    );
    only(&key, "look up an occurrence")
}

/// A new outbox entry for `change`.
pub(super) fn queue(change: Change) -> OutboxEntry {
    OutboxEntry {
        seq: None,
        mutation: Mutation {
            id: MutationId::generate(),
            change,
        },
        queued_at: Utc::now(),
    }
}

/// A patch carrying every field of `entity_value` (but its id), each with `stamp`.
fn patch<T: Serialize>(entity: EntityRef, entity_value: &T, stamp: Hlc) -> Change {
    let fields = match serde_json::to_value(entity_value).expect("the app's own records always serialise") {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(name, _)| name != "id")
            .map(|(name, value)| (name, Stamped { value, stamp }))
            .collect(),
        _ => BTreeMap::new(),
    };
    Change::Patch { entity, fields }
}

/// The stores an erasure reaches, inside the caller's transaction.
pub(super) struct ErasureStores<'a> {
    pub participants: &'a ObjectStore,
    pub responses: &'a ObjectStore,
    pub outbox: &'a ObjectStore,
    pub dead_letters: &'a ObjectStore,
}

/// Erases `participant` inside the caller's transaction, with everyone merged into them (spor-core's
/// `erasure_reach`): personal fields gone, an erased record kept for every id (also one this device
/// never held, so no later pull, import or merge brings the name back), linked answers unlinked,
/// and queued and refused changes scrubbed as spor-core's `scrub` says. The caller queues the
/// erasure when it is this device's own.
pub(super) async fn erase_in(
    stores: &ErasureStores<'_>,
    participant: ParticipantId,
    action: &'static str,
) -> Result<(), StoreError> {
    let everyone: Vec<Participant> =
        from_js_all(stores.participants.get_all(None, None).await?, "participant")?;
    let merges = everyone
        .iter()
        .filter_map(|person| Some((person.id, person.merged_into?)));
    let reached = rules::erasure::erasure_reach(participant, merges);
    for id in &reached {
        let mut erased = everyone
            .iter()
            .find(|person| person.id == *id)
            .cloned()
            .unwrap_or_else(|| Participant::erased(*id));
        erased.erase();
        stores.participants.put(&to_js(&erased), None).await?;
        for value in of_participant(stores.responses, *id, action).await? {
            let mut response: SurveyResponse = from_js(value, "survey response")?;
            response.participant = None;
            stores.responses.put(&to_js(&response), None).await?;
        }
    }
    scrub_waiting(
        stores.outbox,
        &reached,
        |entry: &mut OutboxEntry| &mut entry.mutation.change,
        "outbox entry",
    )
    .await?;
    scrub_waiting(
        stores.dead_letters,
        &reached,
        |letter: &mut super::sync_state::DeadLetter| &mut letter.entry.mutation.change,
        "refused change",
    )
    .await?;
    Ok(())
}

/// Every record of `store` (attendance or survey responses) that names `participant`.
async fn of_participant(
    store: &ObjectStore,
    participant: ParticipantId,
    action: &'static str,
) -> Result<Vec<JsValue>, StoreError> {
    store
        .index(BY_PARTICIPANT)?
        .get_all(Some(only(&participant.to_string().into(), action)?), None)
        .await
}

/// Scrubs every change waiting in `store` (the outbox or the dead letters; each record a `T` whose
/// change `change_of` reaches) as spor-core's `scrub` says for an erasure of `reached`.
async fn scrub_waiting<T: Serialize + DeserializeOwned>(
    store: &ObjectStore,
    reached: &std::collections::BTreeSet<ParticipantId>,
    change_of: fn(&mut T) -> &mut Change,
    what: &'static str,
) -> Result<(), StoreError> {
    for (key, value) in store.scan(None, None, None, None).await? {
        let mut record: T = from_js(value, what)?;
        match rules::erasure::scrub(change_of(&mut record), reached) {
            Scrub::Keep => {}
            Scrub::Drop => store.delete(key).await?,
            Scrub::Rewrite(change) => {
                *change_of(&mut record) = change;
                store.put(&to_js(&record), None).await?;
            }
        }
    }
    Ok(())
}

/// A merge of `merged` into `into` as spor-core decides it on this device
/// (`rules::merges::decide_merge`), with the participant records it was decided from, which
/// carrying it out ([`merge_in`]) writes.
pub(super) struct MergeHere {
    pub(super) merged: ParticipantId,
    pub(super) into: ParticipantId,
    pub(super) decision: MergeDecision,
    people: Vec<Participant>,
}

/// Decides a merge from the participant records this device holds; refused when spor-core
/// refuses it (the person was merged into someone else).
pub(super) async fn decide_merge_here(
    participants: &ObjectStore,
    merged: ParticipantId,
    into: ParticipantId,
) -> Result<MergeHere, StoreError> {
    let people: Vec<Participant> = from_js_all(participants.get_all(None, None).await?, "participant")?;
    // Whom `into` is now: a phone that had not heard of a later merge of them names someone
    // merged away since.
    let merged_into = |who: ParticipantId| {
        people
            .iter()
            .find(|person| person.id == who)
            .and_then(|person| person.merged_into)
    };
    let decision = rules::merges::decide_merge(merged, into, merged_into)
        .map_err(|problem| StoreError::Refused { problem })?;
    Ok(MergeHere {
        merged,
        into,
        decision,
        people,
    })
}

/// Carries out a decided merge inside the caller's transaction (see [`Store::merge_participants`]);
/// answers the decision.
pub(super) async fn merge_in(
    participants: &ObjectStore,
    attendance: &ObjectStore,
    events: &ObjectStore,
    here: MergeHere,
    touched: &mut StaleMonths,
    action: &'static str,
) -> Result<MergeDecision, StoreError> {
    let MergeHere {
        merged,
        into,
        decision,
        people,
    } = here;
    let kept = match decision {
        MergeDecision::Join { kept } | MergeDecision::Again { kept } => kept,
        MergeDecision::AlreadyOne => return Ok(decision),
    };
    // The check-ins move even when the records cannot be joined (one of the two was erased), as
    // on the server: the visits count for one person.
    for value in of_participant(attendance, merged, action).await? {
        let mut record: Attendance = from_js(value, "attendance")?;
        touched.add(record.activity, record.date);
        let kept_there = check_in_at(attendance, kept, record.occurrence(), action).await?;
        match rules::attendance::merged_check_in(record.id, kept, kept_there) {
            MergedCheckIn::Move { to, .. } => {
                record.participant = to;
                attendance.put(&to_js(&record), None).await?;
            }
            MergedCheckIn::Fold(fold) => fold_check_in(attendance, events, fold, action).await?,
        }
    }
    if decision != (MergeDecision::Join { kept }) {
        return Ok(decision);
    }
    let record = |id: ParticipantId| people.iter().find(|person| person.id == id).cloned();
    let joined = rules::merges::merged_records(merged, into, record(merged), record(kept))
        .map_err(|problem| StoreError::Refused { problem })?;
    for participant in joined {
        participants.put(&to_js(&participant), None).await?;
    }
    Ok(decision)
}

/// Carries out a fold of one check-in into another (spor-core's `rules::attendance::Fold`): the
/// copy goes and its events move to the one that stays.
pub(super) async fn fold_check_in(
    attendance: &ObjectStore,
    events: &ObjectStore,
    fold: Fold,
    action: &'static str,
) -> Result<(), StoreError> {
    let moved = events
        .index(BY_ATTENDANCE)?
        .get_all(Some(only(&fold.copy.to_string().into(), action)?), None)
        .await?;
    for value in moved {
        let event: AttendanceEvent = from_js(value, "attendance event")?;
        let event = rules::attendance::event_for(&event, Some(fold.into));
        events.put(&to_js(&event), None).await?;
    }
    attendance.delete(fold.copy.to_string().into()).await?;
    Ok(())
}

/// The check-in of `participant` at an occurrence, if this device holds one.
pub(super) async fn check_in_at(
    attendance: &ObjectStore,
    participant: ParticipantId,
    occurrence: Occurrence,
    action: &'static str,
) -> Result<Option<AttendanceId>, StoreError> {
    let key = natural_key(participant, occurrence.activity, occurrence.date);
    let found = attendance
        .index(BY_NATURAL_KEY)?
        .get_all_keys(Some(only(&key, action)?), Some(1))
        .await?;
    found.first().map(attendance_id).transpose()
}

/// An attendance id as IndexedDB keeps it (its text).
fn attendance_id(key: &JsValue) -> Result<AttendanceId, StoreError> {
    key.as_string()
        .and_then(|text| text.parse().ok())
        .map(AttendanceId)
        .ok_or_else(|| StoreError::Corrupt {
            what: "attendance id",
            detail: format!("{key:?}"),
        })
}

/// Queues this device's erasure of `participant`, stamped with its next clock tick.
async fn queue_erasure(
    outbox: &ObjectStore,
    meta: &ObjectStore,
    device: uuid::Uuid,
    participant: ParticipantId,
) -> Result<(), StoreError> {
    let stamp = tick_clock(meta, device).await?;
    outbox
        .add(
            &to_js(&queue(Change::EraseParticipant { participant, stamp })),
            None,
        )
        .await?;
    Ok(())
}

/// Reads this device's clock from `meta`, ticks it to now and writes it back, inside the caller's
/// transaction: stamps never go backwards, even when the wall clock does.
pub(super) async fn tick_clock(meta: &ObjectStore, device: uuid::Uuid) -> Result<Hlc, StoreError> {
    let stamp = read_clock(meta, device).await?.tick(js_sys::Date::now() as u64);
    write_clock(meta, stamp).await?;
    Ok(stamp)
}

/// This device's latest stamp as kept in `meta` (the start stamp before its first edit).
pub(super) async fn read_clock(meta: &ObjectStore, device: uuid::Uuid) -> Result<Hlc, StoreError> {
    match meta.get(super::meta::CLOCK.into()).await? {
        Some(value) if !value.is_undefined() => from_js(value, "clock"),
        _ => Ok(Hlc::start(spor_core::ids::DeviceId(device))),
    }
}

pub(super) async fn write_clock(meta: &ObjectStore, clock: Hlc) -> Result<(), StoreError> {
    meta.put(&to_js(&clock), Some(&super::meta::CLOCK.into())).await?;
    Ok(())
}

impl Store {
    /// Saves `record` in `store` (failing if it is already there), queues `change` and marks the
    /// trends of the record's occurrence stale, atomically.
    async fn add_with_outbox(
        &self,
        store: &str,
        record: JsValue,
        occurrence: Occurrence,
        change: Change,
        action: &'static str,
    ) -> Result<MutationId, StoreError> {
        let entry = queue(change);
        let transaction = self
            .transaction(&[store, OUTBOX, TREND_STALE], TransactionMode::ReadWrite, action)
            .await?;
        let records = transaction.store(store)?;
        let outbox = transaction.store(OUTBOX)?;
        let stale = transaction.store(TREND_STALE)?;
        // The requests are issued at once, outbox entry first; if the record then fails (e.g. a second
        // check-in of the same person), the transaction aborts and takes the rest with it.
        let entry_js = to_js(&entry);
        futures::future::try_join3(
            outbox.add(&entry_js, None),
            records.add(&record, None),
            mark_stale(&stale, occurrence.activity, occurrence.date),
        )
        .await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(entry.mutation.id)
    }

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

    /// Saves a mutable entity and queues its fields, each stamped with this device's next clock tick
    /// (kept in `meta` and advanced in the same transaction).
    pub(super) async fn put_with_patch<T: Serialize>(
        &self,
        store: &str,
        record: JsValue,
        entity: EntityRef,
        entity_value: &T,
        action: &'static str,
    ) -> Result<MutationId, StoreError> {
        let device = self.device_id().await?;
        let transaction = self
            .transaction(&[store, OUTBOX, META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        let stamp = tick_clock(&meta, device).await?;
        let entry = queue(patch(entity, entity_value, stamp));
        let records = transaction.store(store)?;
        let outbox = transaction.store(OUTBOX)?;
        records.put(&record, None).await?;
        outbox.add(&to_js(&entry), None).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(entry.mutation.id)
    }

    /// This device's next clock stamp, for an attendance event (role change, withdrawal, restore).
    pub async fn next_stamp(&self) -> Result<Hlc, StoreError> {
        let action = "advance the clock";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        let stamp = tick_clock(&meta, device).await?;
        transaction.commit().await?;
        Ok(stamp)
    }

    /// Erases a participant: the pseudonym and every personal field go, the id stays (attendance
    /// remains as counts), queued changes that carry their personal data are scrubbed from the
    /// outbox, and the erasure is queued for every other device. All in one transaction.
    pub async fn erase_participant(&self, participant: ParticipantId) -> Result<(), StoreError> {
        let action = "erase the participant";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(
                &[PARTICIPANTS, RESPONSES, OUTBOX, DEAD_LETTERS, META],
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (participants, responses, outbox, dead_letters, meta) = (
            store(PARTICIPANTS)?,
            store(RESPONSES)?,
            store(OUTBOX)?,
            store(DEAD_LETTERS)?,
            store(META)?,
        );
        let stores = ErasureStores {
            participants: &participants,
            responses: &responses,
            outbox: &outbox,
            dead_letters: &dead_letters,
        };
        erase_in(&stores, participant, action).await?;
        queue_erasure(&outbox, &meta, device, participant).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }

    /// Merges `merged` into `kept` (one person registered twice), in one transaction: `merged`'s
    /// check-ins move to `kept`; where both were checked in at the same occurrence, `kept`'s check-in
    /// stands and the duplicate goes with its events (the person came once); `merged` then points to
    /// `kept`, and the merge is queued for every other device. On a device linked to a server the
    /// merge is only queued: the server orders merges (`rules::ordered_by_the_server`), and this
    /// device merges the two when the server passes the merge back.
    pub async fn merge_participants(
        &self,
        merged: ParticipantId,
        kept: ParticipantId,
    ) -> Result<MergeState, StoreError> {
        let action = "merge the participants";
        let device = self.device_id().await?;
        let linked = self.server_link().await?.is_some();
        let transaction = self
            .transaction(
                &[
                    PARTICIPANTS,
                    ATTENDANCE,
                    ATTENDANCE_EVENTS,
                    OUTBOX,
                    META,
                    TREND_STALE,
                ],
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (participants, attendance, events, outbox, meta) = (
            store(PARTICIPANTS)?,
            store(ATTENDANCE)?,
            store(ATTENDANCE_EVENTS)?,
            store(OUTBOX)?,
            store(META)?,
        );
        let stamp = tick_clock(&meta, device).await?;
        let change = Change::MergeParticipants {
            merged,
            into: kept,
            stamp,
        };
        let state = if linked && rules::ordered_by_the_server(&change) {
            MergeState::AwaitingServer
        } else {
            let here = decide_merge_here(&participants, merged, kept).await?;
            // Asked for a merge made already: there is nothing to do or send.
            if matches!(here.decision, MergeDecision::Again { .. }) {
                return Err(StoreError::Refused {
                    problem: Problem::MergeOfFormerParticipant,
                });
            }
            let mut touched = StaleMonths::default();
            merge_in(&participants, &attendance, &events, here, &mut touched, action).await?;
            touched.mark(&store(TREND_STALE)?).await?;
            MergeState::Merged
        };
        outbox.add(&to_js(&queue(change)), None).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(state)
    }

    /// Everything this device holds, as a backup file's contents.
    /// Everything on this device, as far as its role may hold it (`Backup::for_role`): a volunteer's
    /// backup and exports carry no survey answers.
    pub async fn export_backup(&self) -> Result<Backup, StoreError> {
        let action = "read everything for the backup";
        let device = self.device_id().await?;
        let role = self.server_link().await?.map(|link| link.role);
        let stores = RECORD_STORES;
        let transaction = self
            .transaction(&stores, TransactionMode::ReadOnly, action)
            .await?;
        let mut contents = Vec::new();
        for store in stores {
            let values = transaction.store(store)?.get_all(None, None).await?;
            contents.push(js_sys::Array::from_iter(values));
        }
        let backup = Backup {
            format: BACKUP_FORMAT.to_owned(),
            version: BACKUP_VERSION,
            exported_at: Utc::now(),
            device: spor_core::ids::DeviceId(device),
            activities: from_js(contents[0].clone().into(), "activity")?,
            participants: from_js(contents[1].clone().into(), "participant")?,
            attendance: from_js(contents[2].clone().into(), "attendance")?,
            attendance_events: from_js(contents[3].clone().into(), "attendance event")?,
            headcounts: from_js(contents[4].clone().into(), "headcount")?,
            templates: from_js(contents[5].clone().into(), "survey")?,
            responses: from_js(contents[6].clone().into(), "survey response")?,
            goals: from_js(contents[7].clone().into(), "goal")?,
            reflections: from_js(contents[8].clone().into(), "reflection")?,
        };
        Ok(match role {
            Some(role) => backup.for_role(role),
            None => backup,
        })
    }

    /// Merges a backup into this device in one transaction (all of it, or nothing), queuing every
    /// added record for sync. Returns how many records were added or erased.
    pub async fn import_backup(&self, backup: Backup) -> Result<usize, StoreError> {
        let action = "import the backup";
        let stamp = backup.stamp();
        let plan = ImportPlan::new(backup, &self.export_backup().await?);
        if plan.is_empty() {
            return Ok(0);
        }
        let device = self.device_id().await?;
        let transaction = self
            .transaction(
                &[&RECORD_STORES[..], &[OUTBOX, DEAD_LETTERS, META, TREND_MONTHS]].concat(),
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (templates, responses, dead_letters) =
            (store(TEMPLATES)?, store(RESPONSES)?, store(DEAD_LETTERS)?);
        let (activities, participants, outbox, meta) = (
            store(ACTIVITIES)?,
            store(PARTICIPANTS)?,
            store(OUTBOX)?,
            store(META)?,
        );
        let (attendance, events, headcounts) =
            (store(ATTENDANCE)?, store(ATTENDANCE_EVENTS)?, store(HEADCOUNTS)?);
        let queued = |change| to_js(&queue(change));
        // An import can touch any month: the trends repack everything on their next read.
        store(TREND_MONTHS)?.delete(PACKS_BUILT.into()).await?;
        for activity in &plan.activities {
            let entity = EntityRef {
                kind: EntityKind::Activity,
                id: activity.id.0,
            };
            activities.add(&to_js(activity), None).await?;
            outbox.add(&queued(patch(entity, activity, stamp)), None).await?;
        }
        for participant in &plan.participants {
            let entity = EntityRef {
                kind: EntityKind::Participant,
                id: participant.id.0,
            };
            participants.add(&to_js(participant), None).await?;
            outbox
                .add(&queued(patch(entity, participant, stamp)), None)
                .await?;
        }
        let erasure = ErasureStores {
            participants: &participants,
            responses: &responses,
            outbox: &outbox,
            dead_letters: &dead_letters,
        };
        for &participant in &plan.erase {
            erase_in(&erasure, participant, action).await?;
            queue_erasure(&outbox, &meta, device, participant).await?;
        }
        for record in &plan.attendance {
            attendance.add(&to_js(record), None).await?;
            let change = Change::CheckIn {
                attendance: record.clone(),
            };
            outbox.add(&queued(change), None).await?;
        }
        for event in &plan.attendance_events {
            events.add(&to_js(event), None).await?;
            let change = Change::AttendanceEvent { event: event.clone() };
            outbox.add(&queued(change), None).await?;
        }
        for event in &plan.headcounts {
            headcounts.add(&to_js(event), None).await?;
            let change = Change::Headcount { event: event.clone() };
            outbox.add(&queued(change), None).await?;
        }
        for template in &plan.templates {
            templates.add(&to_js(template), None).await?;
            let change = Change::Patch {
                entity: EntityRef {
                    kind: EntityKind::Template,
                    id: template.id.0,
                },
                fields: BTreeMap::from([(
                    super::templates::version_field(template.version),
                    Stamped {
                        value: serde_json::to_value(template).expect("a template always serialises"),
                        stamp,
                    },
                )]),
            };
            outbox.add(&queued(change), None).await?;
        }
        let (goals, reflections) = (store(GOALS)?, store(REFLECTIONS)?);
        for goal in &plan.goals {
            let entity = EntityRef {
                kind: EntityKind::Goal,
                id: goal.id.0,
            };
            goals.add(&to_js(goal), None).await?;
            outbox.add(&queued(patch(entity, goal, stamp)), None).await?;
        }
        for reflection in &plan.reflections {
            let entity = EntityRef {
                kind: EntityKind::Reflection,
                id: reflection.id.0,
            };
            reflections.add(&to_js(reflection), None).await?;
            outbox
                .add(&queued(patch(entity, reflection, stamp)), None)
                .await?;
        }
        for response in &plan.responses {
            responses.add(&to_js(response), None).await?;
            let change = Change::SurveyResponse {
                response: response.clone(),
            };
            outbox.add(&queued(change), None).await?;
        }
        transaction.commit().await?;
        super::notify_local_change();
        Ok(plan.len())
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

    /// Every change waiting for a server, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.all(OUTBOX, "outbox entry").await
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
