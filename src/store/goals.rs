//! Coordinators' goals and reflections: saved with a patch of every field, deleted with a
//! tombstone, both queued for sync in the same transaction.

use rexie::TransactionMode;
use spor_core::goal::Goal;
use spor_core::reflection::Reflection;
use spor_core::sync::{Change, EntityKind, EntityRef};

use super::clock::tick_clock;
use super::codec::to_js;
use super::outbox::queue;
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    pub async fn goals(&self) -> Result<Vec<Goal>, StoreError> {
        self.all(GOALS, "goal").await
    }

    pub async fn save_goal(&self, goal: &Goal) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Goal,
            id: goal.id.0,
        };
        self.put_with_patch(GOALS, to_js(goal), entity, goal, "save the goal")
            .await
            .map(drop)
    }

    pub async fn delete_goal(&self, goal: &Goal) -> Result<(), StoreError> {
        self.delete_with_tombstone(GOALS, EntityKind::Goal, goal.id.0, "delete the goal")
            .await
    }

    pub async fn reflections(&self) -> Result<Vec<Reflection>, StoreError> {
        self.all(REFLECTIONS, "reflection").await
    }

    pub async fn save_reflection(&self, reflection: &Reflection) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Reflection,
            id: reflection.id.0,
        };
        self.put_with_patch(
            REFLECTIONS,
            to_js(reflection),
            entity,
            reflection,
            "save the reflection",
        )
        .await
        .map(drop)
    }

    pub async fn delete_reflection(&self, reflection: &Reflection) -> Result<(), StoreError> {
        self.delete_with_tombstone(
            REFLECTIONS,
            EntityKind::Reflection,
            reflection.id.0,
            "delete the reflection",
        )
        .await
    }

    /// Deletes the record `id` from `store` and queues its deletion, stamped, in one transaction.
    async fn delete_with_tombstone(
        &self,
        store: &str,
        kind: EntityKind,
        id: uuid::Uuid,
        action: &'static str,
    ) -> Result<(), StoreError> {
        let device = self.device_id().await?;
        let transaction = self
            .transaction(&[store, OUTBOX, META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        let stamp = tick_clock(&meta, device).await?;
        let entity = EntityRef { kind, id };
        transaction.store(store)?.delete(id.to_string().into()).await?;
        transaction
            .store(OUTBOX)?
            .add(&to_js(&queue(Change::Delete { entity, stamp })), None)
            .await?;
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }
}
