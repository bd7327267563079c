//! The outbox: every change this device makes waits here until a server has it. A record and its
//! outbox entry are written in one transaction (DESIGN.md section 3): a record is never saved
//! without the change that will carry it to a server, and never queued without being saved.

use chrono::{DateTime, Utc};
use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use spor_core::activity::Occurrence;
use spor_core::ids::MutationId;
use spor_core::sync::{Change, EntityRef, Mutation, RejectReason};
use wasm_bindgen::JsValue;

use super::clock::tick_clock;
use super::codec::to_js;
use super::schema::*;
use super::trend_months::mark_stale;
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

/// A change the server refused, and why. It no longer blocks the outbox; it waits here to be seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub entry: OutboxEntry,
    pub reason: RejectReason,
    pub refused_at: DateTime<Utc>,
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

impl Store {
    /// Saves `record` in `store` (failing if it is already there), queues `change` and marks the
    /// trends of the record's occurrence stale, atomically.
    pub(super) async fn add_with_outbox(
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
        let entry = queue(Change::patch_of(entity, entity_value, stamp));
        let records = transaction.store(store)?;
        let outbox = transaction.store(OUTBOX)?;
        records.put(&record, None).await?;
        outbox.add(&to_js(&entry), None).await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(entry.mutation.id)
    }

    /// Every change waiting for a server, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.all(OUTBOX, "outbox entry").await
    }
}
