//! The organisation's privacy notice for participants (spor-core's `privacy_notice`), kept in
//! `meta`: its own text, pulled or written here by a coordinator, and whom this device has shown it.

use std::collections::BTreeMap;

use rexie::TransactionMode;
use serde_json::json;
use spor_core::ids::ParticipantId;
use spor_core::rules;
use spor_core::sync::{Change, EntityKind, EntityRef, Stamped};
use spor_core::validation::Context;
use wasm_bindgen::JsValue;

use super::clock::tick_clock;
use super::codec::to_js;
use super::outbox::queue;
use super::schema::{META, OUTBOX};
use super::transaction::ObjectStore;
use super::{Store, StoreError};

/// The organisation's own notice; absent while it uses the standard one.
const PRIVACY_NOTICE: &str = "privacy_notice";
/// The participants this device has shown the notice to, before their first linked survey.
const NOTICE_SHOWN_TO: &str = "privacy_notice_shown_to";
/// The organisation's field the notice syncs as.
const FIELD: &str = "privacy_notice";

impl Store {
    /// The organisation's own notice, if it wrote one.
    pub async fn privacy_notice(&self) -> Result<Option<String>, StoreError> {
        self.meta_value(PRIVACY_NOTICE, "privacy notice").await
    }

    /// Keeps the organisation's own notice (`None`: the standard one again) and, on a device
    /// linked to a server, queues it for the organisation's other devices and the poster's page.
    pub async fn save_privacy_notice(&self, notice: Option<String>) -> Result<(), StoreError> {
        let action = "save the privacy notice";
        if let Some(Err(problems)) = notice.as_deref().map(spor_core::privacy_notice::check) {
            return Err(StoreError::Refused {
                problem: problems[0].clone(),
            });
        }
        let link = self.server_link().await?;
        let device = self.device_id().await?;
        let transaction = self
            .transaction(&[META, OUTBOX], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        put_notice(&meta, notice.as_deref()).await?;
        if let Some(link) = link {
            let stamp = tick_clock(&meta, device).await?;
            let change = Change::Patch {
                entity: EntityRef {
                    kind: EntityKind::Organisation,
                    id: link.organisation.0,
                },
                fields: BTreeMap::from([(
                    FIELD.to_owned(),
                    Stamped {
                        value: json!(notice),
                        stamp,
                    },
                )]),
            };
            transaction
                .store(OUTBOX)?
                .add(&to_js(&queue(change)), None)
                .await?;
        }
        transaction.commit().await?;
        super::notify_local_change();
        Ok(())
    }

    /// Whether this device has shown `participant` the notice.
    pub async fn notice_shown_to(&self, participant: ParticipantId) -> Result<bool, StoreError> {
        let shown: Option<Vec<ParticipantId>> =
            self.meta_value(NOTICE_SHOWN_TO, "privacy notice readers").await?;
        Ok(shown.is_some_and(|shown| shown.contains(&participant)))
    }

    /// Remembers that `participant` has been shown the notice.
    pub async fn mark_notice_shown(&self, participant: ParticipantId) -> Result<(), StoreError> {
        let action = "remember who read the privacy notice";
        let mut shown: Vec<ParticipantId> = self
            .meta_value(NOTICE_SHOWN_TO, "privacy notice readers")
            .await?
            .unwrap_or_default();
        if shown.contains(&participant) {
            return Ok(());
        }
        shown.push(participant);
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, action)
            .await?;
        transaction
            .store(META)?
            .put(&to_js(&shown), Some(&JsValue::from_str(NOTICE_SHOWN_TO)))
            .await?;
        transaction.commit().await
    }
}

async fn put_notice(meta: &ObjectStore, notice: Option<&str>) -> Result<(), StoreError> {
    match notice {
        Some(notice) => meta
            .put(
                &JsValue::from_str(notice),
                Some(&JsValue::from_str(PRIVACY_NOTICE)),
            )
            .await
            .map(drop),
        None => meta.delete(PRIVACY_NOTICE.into()).await,
    }
}

/// Keeps a pulled notice of the organisation, if spor-core's patch rules take it; answers whether
/// it changed anything.
pub(super) async fn apply_pulled_notice(
    meta: &ObjectStore,
    entity: EntityRef,
    fields: &BTreeMap<String, Stamped>,
    context: Context,
) -> Result<bool, StoreError> {
    let Some(field) = fields.get(FIELD) else {
        return Ok(false);
    };
    let notice = BTreeMap::from([(FIELD.to_owned(), field.clone())]);
    if rules::patch::check_patch(entity.kind, entity.id, &notice, &Default::default(), context).is_err() {
        return Ok(false);
    }
    put_notice(meta, field.value.as_str()).await?;
    Ok(true)
}
