//! Merging one participant into another on this device, as spor-core's `rules::merges` decides it.

use rexie::TransactionMode;
use spor_core::activity::Occurrence;
use spor_core::attendance::{Attendance, AttendanceEvent};
use spor_core::ids::{AttendanceId, ParticipantId};
use spor_core::participant::Participant;
use spor_core::rules;
use spor_core::rules::attendance::{Fold, MergedCheckIn};
use spor_core::rules::merges::MergeDecision;
use spor_core::sync::Change;
use spor_core::validation::Problem;
use wasm_bindgen::JsValue;

use super::clock::tick_clock;
use super::codec::{from_js, from_js_all, natural_key, only, to_js};
use super::erasure::of_participant;
use super::outbox::queue;
use super::schema::*;
use super::transaction::ObjectStore;
use super::trend_months::StaleMonths;
use super::{Store, StoreError};

/// Where a merge stands once asked for ([`Store::merge_participants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeState {
    /// Done on this device (one used alone), and queued for a server it may be linked to later.
    Merged,
    /// Sent to the server, which orders merges: this device merges the two when it hears it back.
    AwaitingServer,
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
pub(super) fn attendance_id(key: &JsValue) -> Result<AttendanceId, StoreError> {
    key.as_string()
        .and_then(|text| text.parse().ok())
        .map(AttendanceId)
        .ok_or_else(|| StoreError::Corrupt {
            what: "attendance id",
            detail: format!("{key:?}"),
        })
}

impl Store {
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
}
