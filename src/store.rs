//! The one way in and out of IndexedDB (DESIGN.md section 3).
//!
//! IndexedDB futures are not `Send`, so components read through `LocalResource` and write through
//! `spawn_local`/`Action::new_local`. The page opens the database once and shares the handle
//! ([`shared`]); tests open their own databases by name ([`Store::open`]).

mod backup;
mod clock;
mod codec;
mod demo;
mod erasure;
mod error;
mod goals;
mod merges;
mod meta;
mod outbox;
mod outbox_batch;
mod privacy;
mod records;
mod report_texts;
mod retention;
mod schema;
mod session_logs;
mod standards;
mod stories;
mod sync_state;
mod templates;
mod theories;
mod transaction;
mod trend_months;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_storage::{LocalStorage, Storage};
use rexie::Rexie;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub use error::StoreError;
pub use merges::MergeState;
pub use outbox::{DeadLetter, OutboxEntry};
pub use outbox_batch::OutboxBatch;
pub use records::OccurrenceRecords;
pub use schema::{DATABASE_NAME, SCHEMA_VERSION};
pub use sync_state::{Acknowledged, ServerLink};

pub struct Store {
    name: String,
    /// The connection. A newer version of the app upgrading the database in another tab closes it
    /// (so that the upgrade is not blocked by this tab); the next transaction reopens it.
    db: RefCell<Rexie>,
    trends_cache: RefCell<Option<trend_months::TrendsCache>>,
}

impl Store {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let db = schema::builder(name)
            .build()
            .await
            .map_err(StoreError::database("open the database"))?;
        Ok(Store {
            name: name.to_owned(),
            db: RefCell::new(db),
            trends_cache: RefCell::new(None),
        })
    }

    /// The version of the open database, as IndexedDB reports it.
    pub fn schema_version(&self) -> Option<u32> {
        self.db.borrow().version().ok()
    }

    /// Closes the connection, e.g. so that a test can delete the database.
    pub fn close(self) {
        self.db.into_inner().close();
    }

    /// A transaction on `stores` for `action`, which names what failed if anything in it does. A connection that
    /// was closed under this tab (by an upgrade in another tab) is reopened once.
    async fn transaction(
        &self,
        stores: &[&str],
        mode: rexie::TransactionMode,
        action: &'static str,
    ) -> Result<transaction::Transaction, StoreError> {
        if let Ok(transaction) = self.db.borrow().transaction(stores, mode) {
            return Ok(transaction::Transaction::new(transaction, action));
        }
        self.reopen().await?;
        let transaction = self
            .db
            .borrow()
            .transaction(stores, mode)
            .map_err(StoreError::database(action))?;
        Ok(transaction::Transaction::new(transaction, action))
    }

    /// Opens the database again at whatever version it now has. A newer version of the app only
    /// adds stores and indexes, so this version carries on with the stores it knows; if one of them
    /// is gone, this version is too old to go on and the user is asked to reload.
    async fn reopen(&self) -> Result<(), StoreError> {
        let db = Rexie::builder(&self.name)
            .build()
            .await
            .map_err(StoreError::database("open the database again"))?;
        let present = db.store_names();
        if !schema::ALL_STORES
            .iter()
            .all(|store| present.iter().any(|name| name == store))
        {
            db.close();
            return Err(StoreError::Outdated);
        }
        std::mem::replace(&mut *self.db.borrow_mut(), db).close();
        Ok(())
    }

    /// Deletes the database called `name` and everything in it.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Rexie::delete(name)
            .await
            .map_err(StoreError::database("delete the database"))
    }
}

thread_local! {
    static SHARED: RefCell<Option<Rc<Store>>> = const { RefCell::new(None) };
    static CHANGE_LISTENERS: RefCell<Vec<Rc<dyn Fn()>>> = const { RefCell::new(Vec::new()) };
}

/// Calls `listener` after every local change that queued something for sync (sync starts soon
/// after a write without the pages knowing about sync).
pub fn on_local_change(listener: impl Fn() + 'static) {
    CHANGE_LISTENERS.with_borrow_mut(|listeners| listeners.push(Rc::new(listener)));
}

fn notify_local_change() {
    // Cloned first: a listener may itself register or write.
    let listeners = CHANGE_LISTENERS.with_borrow(Clone::clone);
    for listener in listeners {
        listener();
    }
}

/// Where demo data lives: a database of its own, so made-up records never mix with real ones, never
/// sync, and go entirely when the demo ends.
pub const DEMO_DATABASE_NAME: &str = "spor-demo";
/// "on" while the app shows demo data; "ending" until the next start has deleted it.
const DEMO_MODE_KEY: &str = "spor.demo";

pub fn demo_mode() -> bool {
    LocalStorage::get::<String>(DEMO_MODE_KEY).is_ok_and(|mode| mode == "on")
}

/// Switches to (or away from) demo data from the next start on; the caller reloads the page.
pub fn set_demo_mode(on: bool) {
    // A failed write leaves the mode as it was, which the reload then shows.
    let _ = LocalStorage::set(DEMO_MODE_KEY, if on { "on" } else { "ending" });
}

/// The page's connection to the app database (or the demo database), opened on first use.
pub async fn shared() -> Result<Rc<Store>, StoreError> {
    if let Some(store) = SHARED.with_borrow(Clone::clone) {
        return Ok(store);
    }
    let name = if demo_mode() {
        DEMO_DATABASE_NAME
    } else {
        if LocalStorage::get::<String>(DEMO_MODE_KEY).is_ok() {
            Store::delete(DEMO_DATABASE_NAME).await?;
            LocalStorage::delete(DEMO_MODE_KEY);
        }
        DATABASE_NAME
    };
    let store = Rc::new(Store::open(name).await?);
    SHARED.set(Some(store.clone()));
    Ok(store)
}

/// Whether the browser keeps this origin's data until the user clears it, and how much is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageStatus {
    pub persisted: bool,
    /// Bytes used and the quota in bytes, when the browser tells.
    pub usage: Option<(f64, f64)>,
}

impl StorageStatus {
    /// From this share of the quota on, the app warns: there is still room for weeks of check-ins,
    /// time enough to sync, save a backup or remove demo data before a write is refused.
    pub const NEARLY_FULL: f64 = 0.8;

    /// The share of the quota in use, when it is at least [`StorageStatus::NEARLY_FULL`].
    pub fn nearly_full(&self) -> Option<f64> {
        let (used, quota) = self.usage?;
        let share = used / quota;
        (quota > 0.0 && share >= Self::NEARLY_FULL).then_some(share)
    }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers and insecure origins have no StorageManager.
    js_sys::Reflect::has(&navigator, &"storage".into())
        .unwrap_or(false)
        .then(|| navigator.storage())
}

/// Asks the browser to keep this origin's data (`navigator.storage.persist()`), unless it already does.
/// The answer is the browser's: Chromium grants it to installed and often-used apps without a prompt.
pub async fn request_persistence() -> bool {
    let Some(manager) = storage_manager() else {
        return false;
    };
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if persisted.and_then(|value| value.as_bool()) == Some(true) {
        return true;
    }
    match manager.persist() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|value| value.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

pub async fn storage_status() -> StorageStatus {
    let Some(manager) = storage_manager() else {
        return StorageStatus {
            persisted: false,
            usage: None,
        };
    };
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let estimate = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .map(|value| value.unchecked_into::<web_sys::StorageEstimate>()),
        Err(_) => None,
    };
    let usage = estimate.and_then(|estimate| Some((estimate.get_usage()?, estimate.get_quota()?)));
    StorageStatus {
        persisted: persisted.unwrap_or(false),
        usage,
    }
}

#[cfg(test)]
mod tests {
    use super::StorageStatus;

    #[test]
    fn storage_is_nearly_full_from_four_fifths_of_the_quota() {
        let status = |usage| StorageStatus {
            persisted: true,
            usage,
        };
        assert_eq!(status(Some((900.0, 1000.0))).nearly_full(), Some(0.9));
        assert_eq!(status(Some((799.0, 1000.0))).nearly_full(), None);
        assert_eq!(status(Some((0.0, 0.0))).nearly_full(), None);
        assert_eq!(status(None).nearly_full(), None);
    }
}
