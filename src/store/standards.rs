//! Adopting an umbrella's standard package: the activity's new theory version, the core
//! indicators as goals and the package's surveys, written and queued for sync in one transaction,
//! so a package is adopted whole or not at all.

use rexie::TransactionMode;
use spor_core::package::Adoption;
use spor_core::sync::{Change, EntityKind, EntityRef};

use super::clock::tick_clock;
use super::codec::to_js;
use super::outbox::queue;
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    /// Writes every record of `adoption` (worked out by spor-core before) and queues each for sync.
    pub async fn adopt_standard(&self, adoption: &Adoption) -> Result<(), StoreError> {
        let action = "adopt the standard";
        let device = self.device_id().await?;
        let transaction = self
            .transaction(
                &[THEORIES, GOALS, TEMPLATES, OUTBOX, META],
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let (theories, goals) = (transaction.store(THEORIES)?, transaction.store(GOALS)?);
        let (templates, outbox, meta) = (
            transaction.store(TEMPLATES)?,
            transaction.store(OUTBOX)?,
            transaction.store(META)?,
        );
        let theory = EntityRef {
            kind: EntityKind::Theory,
            id: adoption.theory.id.0,
        };
        let stamp = tick_clock(&meta, device).await?;
        theories.put(&to_js(&adoption.theory), None).await?;
        outbox
            .add(
                &to_js(&queue(Change::patch_of(theory, &adoption.theory, stamp))),
                None,
            )
            .await?;
        for goal in &adoption.goals {
            let entity = EntityRef {
                kind: EntityKind::Goal,
                id: goal.id.0,
            };
            let stamp = tick_clock(&meta, device).await?;
            goals.put(&to_js(goal), None).await?;
            outbox
                .add(&to_js(&queue(Change::patch_of(entity, goal, stamp))), None)
                .await?;
        }
        for survey in &adoption.surveys {
            let stamp = tick_clock(&meta, device).await?;
            templates.put(&to_js(survey), None).await?;
            outbox
                .add(&to_js(&queue(Change::template_version(survey, stamp))), None)
                .await?;
        }
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }
}
