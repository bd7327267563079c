//! What sync needs from the store: the server this device is paired with, the pull cursor, the
//! outbox in batches, the server's answers applied, pulled changes applied, and the dead letters.
//!
//! Each step is one transaction, so a tab closed halfway through a sync leaves either the state
//! before the step or after it: an acknowledged change leaves the outbox in the same transaction
//! that applies its consequences, and pulled changes are stored with their cursor.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use spor_core::access::DeviceRole;
use spor_core::activity::Activity;
use spor_core::attendance::{Attendance, AttendanceEvent};
use spor_core::backup::RecordKind;
use spor_core::goal::Goal;
use spor_core::hlc::Hlc;
use spor_core::ids::{AttendanceId, DeviceId, MutationId, OrganisationId};
use spor_core::participant::Participant;
use spor_core::reflection::Reflection;
use spor_core::report_text::ReportText;
use spor_core::rules;
use spor_core::rules::attendance::PulledCheckIn;
use spor_core::rules::fields::FieldDecision;
use spor_core::rules::merges::MergeDecision;
use spor_core::session_log::SessionLog;
use spor_core::story::Story;
use spor_core::sync::{
    Change, EntityKind, EntityRef, MutationResult, Outcome, PullResponse, RejectReason, Stamped,
};
use spor_core::theory::TheoryOfChange;
use spor_core::validation::Context;
use wasm_bindgen::JsValue;

use super::clock::{read_clock, write_clock};
use super::codec::{from_js, from_js_all, to_js};
use super::erasure::{ErasureStores, erase_in};
use super::merges::{check_in_at, decide_merge_here, fold_check_in, merge_in};
use super::outbox::{DeadLetter, OutboxEntry};
use super::outbox_batch::OutboxBatch;
use super::schema::*;
use super::transaction::ObjectStore;
use super::trend_months::StaleMonths;
use super::{Store, StoreError};

const SERVER_LINK: &str = "server_link";
const PULL_CURSOR: &str = "pull_cursor";

/// The server this device is paired with, and what the pairing gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerLink {
    /// The device id the server knows this device by (its token's id).
    pub device: DeviceId,
    /// `id.secret`; kept on this device only, never logged.
    pub token: String,
    pub role: DeviceRole,
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub paired_at: DateTime<Utc>,
}

/// What one push's answers did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acknowledged {
    /// Applied, duplicate or lost to a newer write: done.
    pub done: usize,
    /// Refused: moved to the dead letters.
    pub refused: usize,
    /// Refused for stamps from a clock running ahead: queued again with stamps the server takes
    /// (spor-core's `rules::restamp`), for the next push.
    pub restamped: usize,
}

impl Store {
    pub async fn server_link(&self) -> Result<Option<ServerLink>, StoreError> {
        self.meta_value(SERVER_LINK, "server link").await
    }

    /// The device id what this device records is signed with: the one the server knows it by once
    /// paired (a kiosk may send only answers it recorded itself), else its own.
    pub async fn recorder_id(&self) -> Result<DeviceId, StoreError> {
        match self.server_link().await? {
            Some(link) => Ok(link.device),
            None => Ok(DeviceId(self.device_id().await?)),
        }
    }

    /// Pairs this device: the link is saved and pulling starts from the beginning. The outbox is
    /// kept, so everything recorded before pairing goes to the organisation on the first sync; on a
    /// device paired as a kiosk, which may send only answers it recorded itself, the answers in it
    /// are signed with the id the server knows it by (see `recorder_id`).
    pub async fn save_server_link(&self, link: &ServerLink) -> Result<(), StoreError> {
        let action = "save the pairing";
        let own = DeviceId(self.device_id().await?);
        let transaction = self
            .transaction(&[META, OUTBOX], TransactionMode::ReadWrite, action)
            .await?;
        let outbox = transaction.store(OUTBOX)?;
        // Only a kiosk needs it: reading a whole outbox (tens of thousands of entries after a
        // backup is imported) would slow every other pairing.
        let queued: Vec<OutboxEntry> = if link.role.sends_only_its_own_answers() {
            from_js_all(outbox.get_all(None, None).await?, "outbox entry")?
        } else {
            Vec::new()
        };
        for mut entry in queued {
            if let Change::SurveyResponse { response } = &mut entry.mutation.change
                && response.recorded_by == own
            {
                response.recorded_by = link.device;
                outbox.put(&to_js(&entry), None).await?;
            }
        }
        let meta = transaction.store(META)?;
        meta.put(&to_js(link), Some(&SERVER_LINK.into())).await?;
        meta.put(&JsValue::from_f64(0.0), Some(&PULL_CURSOR.into()))
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Unpairs: the link and cursor go; every record and the outbox stay on the device.
    pub async fn forget_server(&self) -> Result<(), StoreError> {
        let action = "unpair";
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        for key in [SERVER_LINK, PULL_CURSOR] {
            meta.delete(key.into()).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    pub async fn pull_cursor(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta_value::<u64>(PULL_CURSOR, "pull cursor")
            .await?
            .unwrap_or(0))
    }

    /// Starts pulling from the beginning again (the server no longer knows the cursor).
    pub async fn reset_pull_cursor(&self) -> Result<(), StoreError> {
        let action = "reset the pull cursor";
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        meta.put(&JsValue::from_f64(0.0), Some(&PULL_CURSOR.into()))
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    pub(super) async fn meta_value<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        what: &'static str,
    ) -> Result<Option<T>, StoreError> {
        let action = "read a fact about this device";
        let transaction = self
            .transaction(&[META], TransactionMode::ReadOnly, action)
            .await?;
        let value = transaction.store(META)?.get(key.into()).await?;
        match value {
            Some(value) if !value.is_undefined() => Ok(Some(from_js(value, what)?)),
            _ => Ok(None),
        }
    }

    /// The first `limit` queued changes in order, or those queued after the entry `after` (the last
    /// of a batch still on its way, so the next can be read meanwhile).
    pub async fn outbox_batch(&self, after: Option<u32>, limit: u32) -> Result<OutboxBatch, StoreError> {
        let action = "read the outbox";
        let transaction = self
            .transaction(&[OUTBOX], TransactionMode::ReadOnly, action)
            .await?;
        let range = after
            .map(|seq| rexie::KeyRange::lower_bound(&JsValue::from(seq), Some(true)))
            .transpose()
            .map_err(|error| StoreError::database(action)(error.into()))?;
        let values = transaction.store(OUTBOX)?.get_all(range, Some(limit)).await?;
        OutboxBatch::new(values)
    }

    /// How many changes wait for a server.
    pub async fn outbox_count(&self) -> Result<u32, StoreError> {
        let action = "count the outbox";
        let transaction = self
            .transaction(&[OUTBOX], TransactionMode::ReadOnly, action)
            .await?;
        transaction.store(OUTBOX)?.count(None).await
    }

    pub async fn dead_letters(&self) -> Result<Vec<DeadLetter>, StoreError> {
        let action = "read the refused changes";
        let transaction = self
            .transaction(&[DEAD_LETTERS], TransactionMode::ReadOnly, action)
            .await?;
        let values = transaction.store(DEAD_LETTERS)?.get_all(None, None).await?;
        from_js_all(values, "refused change")
    }

    /// Applies a push's answers: done changes leave the outbox, refused ones move to the dead
    /// letters, and a check-in the server already had under another id is re-pointed (with its
    /// events) to the canonical attendance. Changes without an answer stay queued.
    pub async fn acknowledge(
        &self,
        sent: &OutboxBatch,
        results: &[MutationResult],
    ) -> Result<Acknowledged, StoreError> {
        let action = "record the server's answer";
        let by_id: HashMap<MutationId, (usize, u32)> = sent
            .queued()
            .iter()
            .enumerate()
            .map(|(index, (seq, id))| (*id, (index, *seq)))
            .collect();
        let role = self.server_link().await?.map(|link| link.role);
        let keeps_answers = role.is_none_or(DeviceRole::keeps_answers);
        let keeps_stories = role.is_none_or(DeviceRole::keeps_stories);
        let transaction = self
            .transaction(
                &[
                    OUTBOX,
                    DEAD_LETTERS,
                    ATTENDANCE,
                    ATTENDANCE_EVENTS,
                    RESPONSES,
                    STORIES,
                    TREND_STALE,
                ],
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (outbox, dead_letters, attendance, events, responses, stories) = (
            store(OUTBOX)?,
            store(DEAD_LETTERS)?,
            store(ATTENDANCE)?,
            store(ATTENDANCE_EVENTS)?,
            store(RESPONSES)?,
            store(STORIES)?,
        );
        let mut touched = StaleMonths::default();
        let mut acknowledged = Acknowledged::default();
        let refused_at = Utc::now();
        let mut answered = Vec::with_capacity(results.len());
        for result in results {
            let Some(&(index, seq)) = by_id.get(&result.id) else {
                continue;
            };
            match &result.outcome {
                Outcome::Rejected {
                    reason: RejectReason::ClockAhead { latest_ms },
                } => {
                    let mut entry = sent.entry(index)?;
                    entry.mutation.change =
                        rules::restamp(&entry.mutation.change, *latest_ms, js_sys::Date::now() as u64);
                    outbox.put(&to_js(&entry), None).await?;
                    acknowledged.restamped += 1;
                    continue;
                }
                Outcome::Rejected { reason } => {
                    let letter = DeadLetter {
                        entry: sent.entry(index)?,
                        reason: reason.clone(),
                        refused_at,
                    };
                    dead_letters.put(&to_js(&letter), None).await?;
                    acknowledged.refused += 1;
                }
                Outcome::Duplicate {
                    canonical: Some(canonical),
                } => {
                    if let Change::CheckIn { attendance: local } = &sent.entry(index)?.mutation.change
                        && let Some(fold) =
                            rules::attendance::answered_duplicate(local, AttendanceId(*canonical))
                    {
                        fold_check_in(&attendance, &events, fold, action).await?;
                        let stand_in = Attendance {
                            id: fold.into,
                            ..local.clone()
                        };
                        attendance.put(&to_js(&stand_in), None).await?;
                        touched.add(local.activity, local.date);
                    }
                    acknowledged.done += 1;
                }
                Outcome::Applied | Outcome::Duplicate { canonical: None } | Outcome::Conflict { .. } => {
                    // Safely on the server, an answer or a story leaves a device whose role does
                    // not keep them (a volunteer's phone, a kiosk): data minimisation.
                    match &sent.entry(index)?.mutation.change {
                        Change::SurveyResponse { response } if !keeps_answers => {
                            responses.delete(response.id.to_string().into()).await?;
                            touched.add(response.activity, response.date);
                        }
                        Change::Patch { entity, .. }
                            if entity.kind == EntityKind::Story && !keeps_stories =>
                        {
                            stories.delete(entity.id.to_string().into()).await?;
                        }
                        _ => {}
                    }
                    acknowledged.done += 1;
                }
            }
            answered.push(seq);
        }
        touched.mark(&store(TREND_STALE)?).await?;
        answered.sort_unstable();
        let contiguous = match (answered.first(), answered.last()) {
            (Some(&first), Some(&last)) => (last - first) as usize + 1 == answered.len(),
            _ => false,
        };
        if contiguous {
            // The usual case, a whole batch answered: one request.
            let range = rexie::KeyRange::bound(
                &JsValue::from(answered[0]),
                &JsValue::from(answered[answered.len() - 1]),
                Some(false),
                Some(false),
            )
            .map_err(|error| StoreError::database(action)(error.into()))?;
            outbox.delete(range.into()).await?;
        } else {
            // Issued together rather than one after another.
            futures::future::try_join_all(answered.into_iter().map(|seq| outbox.delete(JsValue::from(seq))))
                .await?;
        }
        transaction.commit().await?;
        Ok(acknowledged)
    }

    /// Stores pulled changes and their cursor in one transaction. Returns how many changed something
    /// here.
    pub async fn apply_pulled(&self, pulled: &PullResponse) -> Result<usize, StoreError> {
        let action = "store what other devices recorded";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(
                &[&RECORD_STORES[..], &[OUTBOX, DEAD_LETTERS, META, TREND_STALE]].concat(),
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (responses, templates, dead_letters) =
            (store(RESPONSES)?, store(TEMPLATES)?, store(DEAD_LETTERS)?);
        let mut touched = StaleMonths::default();
        let (participants, attendance, events, headcounts, outbox, meta) = (
            store(PARTICIPANTS)?,
            store(ATTENDANCE)?,
            store(ATTENDANCE_EVENTS)?,
            store(HEADCOUNTS)?,
            store(OUTBOX)?,
            store(META)?,
        );
        let pending_fields = if pulled
            .changes
            .iter()
            .any(|pulled| matches!(pulled.change, Change::Patch { .. }))
        {
            pending_field_stamps(&outbox).await?
        } else {
            HashMap::new()
        };
        let stories = store(STORIES)?;
        let erasure = ErasureStores {
            participants: &participants,
            responses: &responses,
            stories: &stories,
            outbox: &outbox,
            dead_letters: &dead_letters,
        };
        // A device never moves its clock to a stamp from more than a day ahead (spor-core's rule).
        let now_ms = js_sys::Date::now() as u64;
        let adoptable = |stamp: Hlc| rules::may_adopt(stamp, now_ms).then_some(stamp);
        let context = Context {
            today: chrono::Local::now().date_naive(),
        };
        let mut newest_stamp: Option<Hlc> = None;
        let mut applied = 0;
        for pulled_change in &pulled.changes {
            let changed = match &pulled_change.change {
                Change::CheckIn { attendance: record } => {
                    touched.add(record.activity, record.date);
                    add_attendance(&attendance, &events, record, action).await?
                }
                Change::AttendanceEvent { event } => {
                    newest_stamp = newest_stamp.max(adoptable(event.stamp));
                    let of = attendance.get(event.attendance.to_string().into()).await?;
                    if let Some(of) = of.filter(|value| !value.is_undefined()) {
                        let of: Attendance = from_js(of, "attendance")?;
                        touched.add(of.activity, of.date);
                    }
                    // Heard again, an event may aim at another check-in now (the server found
                    // its own a duplicate later): it replaces what was stored of it.
                    let stored = events
                        .get(event.id.to_string().into())
                        .await?
                        .filter(|value| !value.is_undefined())
                        .map(|value| from_js::<AttendanceEvent>(value, "attendance event"))
                        .transpose()?;
                    if stored.as_ref() == Some(event) {
                        false
                    } else {
                        events.put(&to_js(event), None).await?;
                        true
                    }
                }
                Change::Headcount { event } => {
                    touched.add(event.activity, event.date);
                    add_if_new(&headcounts, &event.id.to_string(), to_js(event)).await?
                }
                Change::Patch { entity, fields } => {
                    newest_stamp =
                        newest_stamp.max(fields.values().filter_map(|field| adoptable(field.stamp)).max());
                    match RecordKind::patched(entity.kind) {
                        None if entity.kind == EntityKind::Template => {
                            super::templates::add_pulled_versions(&templates, fields).await?
                        }
                        None if entity.kind == EntityKind::Organisation => {
                            super::privacy::apply_pulled_notice(&meta, *entity, fields, context).await?
                        }
                        Some(kind) => {
                            // A field this device changed and has not sent yet keeps its value
                            // unless the pulled write is newer (spor-core's field rule).
                            let fresh = fields
                                .iter()
                                .filter(|(name, field)| {
                                    rules::fields::decide_field(
                                        pending_fields.get(&(entity.id, (*name).clone())),
                                        None,
                                        &field.stamp,
                                    ) == FieldDecision::Applied
                                })
                                .map(|(name, field)| (name.clone(), field.clone()))
                                .collect();
                            let records = store(record_store(kind))?;
                            apply_patch(&records, *entity, fresh, kind.what(), context).await?
                        }
                        None => false,
                    }
                }
                Change::Delete { entity, stamp } => {
                    newest_stamp = newest_stamp.max(adoptable(*stamp));
                    match RecordKind::patched(entity.kind) {
                        Some(kind) => {
                            store(record_store(kind))?
                                .delete(entity.id.to_string().into())
                                .await?;
                            true
                        }
                        None => false,
                    }
                }
                Change::EraseParticipant { participant, stamp } => {
                    newest_stamp = newest_stamp.max(adoptable(*stamp));
                    erase_in(&erasure, *participant, action).await?;
                    true
                }
                Change::MergeParticipants { merged, into, stamp } => {
                    newest_stamp = newest_stamp.max(adoptable(*stamp));
                    let carried = match decide_merge_here(&participants, *merged, *into).await {
                        Ok(here) => {
                            merge_in(&participants, &attendance, &events, here, &mut touched, action).await
                        }
                        Err(refused) => Err(refused),
                    };
                    let joined = match carried {
                        Ok(decision) => decision != MergeDecision::AlreadyOne,
                        // One of the two is erased (the check-ins moved, the records stay), or
                        // this device used alone merged the person into someone else before it
                        // was linked.
                        Err(StoreError::Refused { .. }) => false,
                        Err(error) => return Err(error),
                    };
                    let into_is_erased = is_erased(&participants, *into).await?;
                    match rules::erasure::erased_by_merge(*merged, into_is_erased) {
                        Some(erased) => {
                            erase_in(&erasure, erased, action).await?;
                            true
                        }
                        None => joined,
                    }
                }
                Change::SurveyResponse { response } => {
                    touched.add(response.activity, response.date);
                    let linked_to_erased = match response.participant {
                        Some(participant) => is_erased(&participants, participant).await?,
                        None => false,
                    };
                    let response = rules::erasure::arriving_response(response, |_| linked_to_erased);
                    add_if_new(&responses, &response.id.to_string(), to_js(&response)).await?
                }
            };
            applied += usize::from(changed);
        }
        touched.mark(&store(TREND_STALE)?).await?;
        if let Some(remote) = newest_stamp {
            observe_clock(&meta, device, remote).await?;
        }
        meta.put(
            &JsValue::from_f64(pulled.cursor as f64),
            Some(&PULL_CURSOR.into()),
        )
        .await?;
        transaction.commit().await?;
        Ok(applied)
    }

    /// Deletes every record on this device (a coordinator revoked it): the device id stays.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let action = "delete this device's data";
        let stores = [
            &RECORD_STORES[..],
            &[OUTBOX, DEAD_LETTERS, TREND_MONTHS, TREND_STALE],
        ]
        .concat();
        let transaction = self
            .transaction(
                &[&stores[..], &[META]].concat(),
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        for name in stores {
            transaction.store(name)?.clear().await?;
        }
        let meta = transaction.store(META)?;
        for key in [SERVER_LINK, PULL_CURSOR] {
            meta.delete(key.into()).await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}

/// The stamp of each field this device changed and has not yet sent: a pulled older write of the
/// same field must not overwrite it.
async fn pending_field_stamps(
    outbox: &ObjectStore,
) -> Result<HashMap<(uuid::Uuid, String), Hlc>, StoreError> {
    let mut stamps = HashMap::new();
    for value in outbox.get_all(None, None).await? {
        let entry: OutboxEntry = from_js(value, "outbox entry")?;
        if let Change::Patch { entity, fields } = entry.mutation.change {
            for (name, field) in fields {
                let stamp = stamps.entry((entity.id, name)).or_insert(field.stamp);
                *stamp = (*stamp).max(field.stamp);
            }
        }
    }
    Ok(stamps)
}

async fn add_if_new(records: &ObjectStore, id: &str, record: JsValue) -> Result<bool, StoreError> {
    if records.key_exists(id.into()).await? {
        return Ok(false);
    }
    records.add(&record, None).await?;
    Ok(true)
}

/// Stores a pulled check-in as spor-core's rule decides: the server's copy is canonical, so this
/// device's own check-in of the person at the occurrence folds into it.
async fn add_attendance(
    attendance: &ObjectStore,
    events: &ObjectStore,
    record: &Attendance,
    action: &'static str,
) -> Result<bool, StoreError> {
    let held = attendance.key_exists(record.id.to_string().into()).await?;
    let local = check_in_at(attendance, record.participant, record.occurrence(), action).await?;
    match rules::attendance::pulled_check_in(record, held, local) {
        PulledCheckIn::AlreadyHere => return Ok(false),
        PulledCheckIn::Store => {}
        PulledCheckIn::Fold(fold) => fold_check_in(attendance, events, fold, action).await?,
    }
    attendance.add(&to_js(record), None).await?;
    Ok(true)
}

/// Applies pulled fields to a mutable record, creating it when it is new here. A record that is not
/// yet complete (its first fields have not arrived) is left alone, and so is a patch spor-core's
/// rules refuse as the record it would make here (an unknown or reserved field, a wrong value).
async fn apply_patch(
    records: &ObjectStore,
    entity: EntityRef,
    fields: BTreeMap<String, Stamped>,
    what: &'static str,
    context: Context,
) -> Result<bool, StoreError> {
    if fields.is_empty() {
        return Ok(false);
    }
    let mut object = match records.get(entity.id.to_string().into()).await? {
        Some(value) => match from_js::<serde_json::Value>(value, what)? {
            serde_json::Value::Object(object) => object,
            _ => serde_json::Map::new(),
        },
        None => serde_json::Map::new(),
    };
    if rules::patch::check_patch(entity.kind, entity.id, &fields, &object, context).is_err() {
        return Ok(false);
    }
    let before = object.clone();
    object.insert("id".to_owned(), serde_json::Value::String(entity.id.to_string()));
    for (name, field) in fields {
        object.insert(name, field.value);
    }
    if object == before {
        return Ok(false);
    }
    let object = serde_json::Value::Object(object);
    // Check the merged record is a whole one of its kind before storing it.
    let complete = match entity.kind {
        EntityKind::Activity => serde_json::from_value::<Activity>(object.clone()).is_ok(),
        EntityKind::Participant => serde_json::from_value::<Participant>(object.clone()).is_ok(),
        EntityKind::Goal => serde_json::from_value::<Goal>(object.clone()).is_ok(),
        EntityKind::Reflection => serde_json::from_value::<Reflection>(object.clone()).is_ok(),
        EntityKind::SessionLog => serde_json::from_value::<SessionLog>(object.clone()).is_ok(),
        EntityKind::Theory => serde_json::from_value::<TheoryOfChange>(object.clone()).is_ok(),
        EntityKind::Story => serde_json::from_value::<Story>(object.clone()).is_ok(),
        EntityKind::ReportText => serde_json::from_value::<ReportText>(object.clone()).is_ok(),
        EntityKind::Organisation | EntityKind::Template => false,
    };
    if !complete {
        return Ok(false);
    }
    records.put(&to_js(&object), None).await?;
    Ok(true)
}

/// Whether this device holds `participant` as erased.
async fn is_erased(
    participants: &ObjectStore,
    participant: spor_core::ids::ParticipantId,
) -> Result<bool, StoreError> {
    match participants.get(participant.to_string().into()).await? {
        Some(value) if !value.is_undefined() => Ok(from_js::<Participant>(value, "participant")?.erased),
        _ => Ok(false),
    }
}

/// Moves this device's clock past a stamp seen from another device.
async fn observe_clock(meta: &ObjectStore, device: uuid::Uuid, remote: Hlc) -> Result<(), StoreError> {
    let clock = read_clock(meta, device)
        .await?
        .observe(remote, js_sys::Date::now() as u64);
    write_clock(meta, clock).await
}
