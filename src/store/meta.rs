//! Facts about this device, in the `meta` store.

use rexie::TransactionMode;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::schema::META;
use super::{Store, StoreError};

const DEVICE_ID: &str = "device_id";
/// The latest hybrid-logical-clock stamp this device has made or seen.
pub(super) const CLOCK: &str = "clock";

impl Store {
    /// This device's id: generated on first use (UUIDv7) and the same ever after.
    pub async fn device_id(&self) -> Result<Uuid, StoreError> {
        // Read and create in one read-write transaction, so two tabs starting at once agree.
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, "start a transaction on meta")
            .await?;
        let meta = transaction.store(META)?;
        let stored = meta.get(DEVICE_ID.into()).await?;
        let device_id = match stored.and_then(|value| value.as_string()) {
            Some(text) => Uuid::parse_str(&text).map_err(|error| StoreError::Corrupt {
                what: "device id",
                detail: error.to_string(),
            })?,
            None => {
                let device_id = Uuid::now_v7();
                meta.put(&device_id.to_string().into(), Some(&JsValue::from_str(DEVICE_ID)))
                    .await?;
                device_id
            }
        };
        transaction.commit().await?;
        Ok(device_id)
    }
}
