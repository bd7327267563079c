//! A transaction begun for one action, and its object stores and indexes. Every request in it that
//! fails becomes a [`StoreError`] naming that action, so the code inside uses `?` and maps no error
//! itself. rexie's requests are issued when first polled, as here: requests joined with
//! `try_join` still go out together. The requests map their error with `map_err` on rexie's
//! future rather than in an `async fn` of their own, which would add a state machine per request
//! kind to the first screen's wasm.

use std::future::Future;

use futures::TryFutureExt;
use rexie::{Direction, KeyRange};
use wasm_bindgen::JsValue;

use super::StoreError;

pub(super) struct Transaction {
    inner: rexie::Transaction,
    action: &'static str,
}

impl Transaction {
    pub(super) fn new(inner: rexie::Transaction, action: &'static str) -> Transaction {
        Transaction { inner, action }
    }

    pub(super) fn store(&self, name: &str) -> Result<ObjectStore, StoreError> {
        Ok(ObjectStore {
            inner: self
                .inner
                .store(name)
                .map_err(StoreError::database(self.action))?,
            action: self.action,
        })
    }

    /// Waits until the transaction has committed. IndexedDB may abort a transaction after every
    /// request in it succeeded (at commit, when the disk is full); that is a failure like any
    /// other, never a silent success, or a check-in would show as saved that is not.
    pub(super) async fn commit(self) -> Result<(), StoreError> {
        let action = self.action;
        match self.inner.done().await.map_err(StoreError::database(action))? {
            rexie::TransactionResult::Committed => Ok(()),
            rexie::TransactionResult::Aborted => Err(StoreError::NotSaved { action }),
        }
    }
}

pub(super) struct ObjectStore {
    inner: rexie::Store,
    action: &'static str,
}

impl ObjectStore {
    pub(super) fn index(&self, name: &str) -> Result<Index, StoreError> {
        Ok(Index {
            inner: self
                .inner
                .index(name)
                .map_err(StoreError::database(self.action))?,
            action: self.action,
        })
    }

    pub(super) fn get(&self, key: JsValue) -> impl Future<Output = Result<Option<JsValue>, StoreError>> {
        self.inner.get(key).map_err(StoreError::database(self.action))
    }

    pub(super) fn key_exists(&self, key: JsValue) -> impl Future<Output = Result<bool, StoreError>> {
        self.inner
            .key_exists(key)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn get_all(
        &self,
        range: Option<KeyRange>,
        limit: Option<u32>,
    ) -> impl Future<Output = Result<Vec<JsValue>, StoreError>> {
        self.inner
            .get_all(range, limit)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn get_all_keys(
        &self,
        range: Option<KeyRange>,
        limit: Option<u32>,
    ) -> impl Future<Output = Result<Vec<JsValue>, StoreError>> {
        self.inner
            .get_all_keys(range, limit)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn scan(
        &self,
        range: Option<KeyRange>,
        limit: Option<u32>,
        offset: Option<u32>,
        direction: Option<Direction>,
    ) -> impl Future<Output = Result<Vec<(JsValue, JsValue)>, StoreError>> {
        self.inner
            .scan(range, limit, offset, direction)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn count(&self, range: Option<KeyRange>) -> impl Future<Output = Result<u32, StoreError>> {
        self.inner.count(range).map_err(StoreError::database(self.action))
    }

    /// Adds `value`; a record already under its key (or its unique index) fails with
    /// [`StoreError::AlreadyRecorded`].
    pub(super) fn add(
        &self,
        value: &JsValue,
        key: Option<&JsValue>,
    ) -> impl Future<Output = Result<JsValue, StoreError>> {
        self.inner
            .add(value, key)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn put(
        &self,
        value: &JsValue,
        key: Option<&JsValue>,
    ) -> impl Future<Output = Result<JsValue, StoreError>> {
        self.inner
            .put(value, key)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn delete(&self, key: JsValue) -> impl Future<Output = Result<(), StoreError>> {
        self.inner.delete(key).map_err(StoreError::database(self.action))
    }

    pub(super) fn clear(&self) -> impl Future<Output = Result<(), StoreError>> {
        self.inner.clear().map_err(StoreError::database(self.action))
    }
}

pub(super) struct Index {
    inner: rexie::StoreIndex,
    action: &'static str,
}

impl Index {
    pub(super) fn get_all(
        &self,
        range: Option<KeyRange>,
        limit: Option<u32>,
    ) -> impl Future<Output = Result<Vec<JsValue>, StoreError>> {
        self.inner
            .get_all(range, limit)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn get_all_keys(
        &self,
        range: Option<KeyRange>,
        limit: Option<u32>,
    ) -> impl Future<Output = Result<Vec<JsValue>, StoreError>> {
        self.inner
            .get_all_keys(range, limit)
            .map_err(StoreError::database(self.action))
    }

    pub(super) fn count(&self, range: Option<KeyRange>) -> impl Future<Output = Result<u32, StoreError>> {
        self.inner.count(range).map_err(StoreError::database(self.action))
    }
}
