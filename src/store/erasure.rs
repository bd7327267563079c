//! Erasure on this device: what an erasure reaches (spor-core's `rules::erasure`) and how it is
//! carried out inside a transaction, for the device's own erasures, pulled ones and imported ones.

use rexie::TransactionMode;
use serde::{Serialize, de::DeserializeOwned};
use spor_core::ids::ParticipantId;
use spor_core::participant::Participant;
use spor_core::rules;
use spor_core::rules::erasure::Scrub;
use spor_core::survey::SurveyResponse;
use spor_core::sync::Change;
use wasm_bindgen::JsValue;

use super::clock::tick_clock;
use super::codec::{from_js, from_js_all, only, to_js};
use super::outbox::{DeadLetter, OutboxEntry, queue};
use super::schema::*;
use super::transaction::ObjectStore;
use super::{Store, StoreError};

/// The stores an erasure reaches, inside the caller's transaction.
pub(super) struct ErasureStores<'a> {
    pub participants: &'a ObjectStore,
    pub responses: &'a ObjectStore,
    pub stories: &'a ObjectStore,
    pub outbox: &'a ObjectStore,
    pub dead_letters: &'a ObjectStore,
}

/// Erases `participant` inside the caller's transaction, with everyone merged into them (spor-core's
/// `erasure_reach`): personal fields gone, an erased record kept for every id (also one this device
/// never held, so no later pull, import or merge brings the name back), linked answers unlinked,
/// stories naming them deleted, and queued and refused changes scrubbed as spor-core's `scrub`
/// says. The caller queues the
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
        // The index gives the stories' own keys: nothing of them needs reading to delete them.
        let named = only(&id.to_string().into(), action)?;
        for key in stores
            .stories
            .index(BY_PARTICIPANT)?
            .get_all_keys(Some(named), None)
            .await?
        {
            stores.stories.delete(key).await?;
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
        |letter: &mut DeadLetter| &mut letter.entry.mutation.change,
        "refused change",
    )
    .await?;
    Ok(())
}

/// Every record of `store` (attendance or survey responses) that names `participant`.
pub(super) async fn of_participant(
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
pub(super) async fn scrub_waiting<T: Serialize + DeserializeOwned>(
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

/// Queues this device's erasure of `participant`, stamped with its next clock tick.
pub(super) async fn queue_erasure(
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

impl Store {
    /// Erases a participant: the pseudonym and every personal field go, the id stays (attendance
    /// remains as counts), queued changes that carry their personal data are scrubbed from the
    /// outbox, and the erasure is queued for every other device. All in one transaction.
    pub async fn erase_participant(&self, participant: ParticipantId) -> Result<(), StoreError> {
        let action = "erase the participant";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(
                &[PARTICIPANTS, RESPONSES, STORIES, OUTBOX, DEAD_LETTERS, META],
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
        let stories = store(STORIES)?;
        let stores = ErasureStores {
            participants: &participants,
            responses: &responses,
            stories: &stories,
            outbox: &outbox,
            dead_letters: &dead_letters,
        };
        erase_in(&stores, participant, action).await?;
        queue_erasure(&outbox, &meta, device, participant).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }
}
