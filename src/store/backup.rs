//! The backup file: everything this device may hold, written out and merged back in.

use chrono::Utc;
use rexie::TransactionMode;
use spor_core::backup::{Backup, ImportPlan, RecordKind};
use spor_core::ids::DeviceId;

use super::codec::{from_js, to_js};
use super::erasure::{ErasureStores, erase_in, queue_erasure};
use super::outbox::queue;
use super::schema::*;
use super::trend_months::PACKS_BUILT;
use super::{Store, StoreError};

impl Store {
    /// Everything on this device, as far as its role may hold it (`Backup::for_role`): a volunteer's
    /// backup and exports carry no survey answers.
    pub async fn export_backup(&self) -> Result<Backup, StoreError> {
        let device = self.device_id().await?;
        let role = self.server_link().await?.map(|link| link.role);
        let transaction = self
            .transaction(
                &RECORD_STORES,
                TransactionMode::ReadOnly,
                "read everything for the backup",
            )
            .await?;
        // The backup's header, then each kind's records under its field, read as one JSON text.
        let contents = to_js(&Backup::empty(DeviceId(device), Utc::now()));
        for kind in RecordKind::ALL {
            let records = transaction.store(record_store(kind))?.get_all(None, None).await?;
            // Setting a property on a plain object made by JSON.parse cannot fail.
            let _ = js_sys::Reflect::set(
                &contents,
                &kind.backup_field().into(),
                &js_sys::Array::from_iter(records),
            );
        }
        let backup: Backup = from_js(contents, "record")?;
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
        let outbox = transaction.store(OUTBOX)?;
        // An import can touch any month: the trends repack everything on their next read.
        transaction
            .store(TREND_MONTHS)?
            .delete(PACKS_BUILT.into())
            .await?;
        for added in plan.added(stamp) {
            transaction
                .store(record_store(added.kind))?
                .add(&to_js(&added.record), None)
                .await?;
            outbox.add(&to_js(&queue(added.change)), None).await?;
        }
        // Erasures last, so that they reach whoever the import added merged into an erased person.
        let (participants, responses) = (transaction.store(PARTICIPANTS)?, transaction.store(RESPONSES)?);
        let (dead_letters, meta) = (transaction.store(DEAD_LETTERS)?, transaction.store(META)?);
        let stories = transaction.store(STORIES)?;
        let erasure = ErasureStores {
            participants: &participants,
            responses: &responses,
            stories: &stories,
            outbox: &outbox,
            dead_letters: &dead_letters,
        };
        for &participant in &plan.erase {
            erase_in(&erasure, participant, action).await?;
            queue_erasure(&outbox, &meta, device, participant).await?;
        }
        transaction.commit().await?;
        super::notify_local_change();
        Ok(plan.len())
    }
}
