//! The IndexedDB store in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use spor::store::{SCHEMA_VERSION, Store};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database of its own per test, deleted first in case an earlier run left it behind.
async fn fresh_store(name: &str) -> Store {
    Store::delete(name).await.unwrap();
    Store::open(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn device_id_is_created_once_and_survives_reopening() {
    let name = "spor-test-device-id";
    let store = fresh_store(name).await;
    let first = store.device_id().await.unwrap();
    assert_eq!(first.get_version_num(), 7, "device ids are UUIDv7");
    assert_eq!(store.device_id().await.unwrap(), first);
    store.close();

    let reopened = Store::open(name).await.unwrap();
    assert_eq!(reopened.device_id().await.unwrap(), first);
    reopened.close();
    Store::delete(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn two_databases_have_different_device_ids() {
    let a = fresh_store("spor-test-device-a").await;
    let b = fresh_store("spor-test-device-b").await;
    assert_ne!(a.device_id().await.unwrap(), b.device_id().await.unwrap());
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn the_database_opens_at_the_current_schema_version() {
    let name = "spor-test-schema";
    let store = fresh_store(name).await;
    assert_eq!(store.schema_version(), Some(SCHEMA_VERSION));
    store.close();
}
