//! This device's hybrid logical clock, kept in `meta` and advanced inside the transaction that
//! uses a stamp.

use rexie::TransactionMode;
use spor_core::hlc::Hlc;

use super::codec::{from_js, to_js};
use super::schema::*;
use super::transaction::ObjectStore;
use super::{Store, StoreError};

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
}
