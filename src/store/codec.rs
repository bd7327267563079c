//! How records cross into IndexedDB and back: as JSON text parsed by the browser, and key ranges
//! for the indexes.

use rexie::KeyRange;
use serde::{Serialize, de::DeserializeOwned};
use spor_core::activity::Occurrence;
use spor_core::ids::{ActivityId, ParticipantId};
use wasm_bindgen::JsValue;

use super::StoreError;

// Records cross into IndexedDB as JSON text parsed by the browser, and back the same way: one serde
// format (serde_json) for the store, the wire and backups keeps the wasm smaller than a second,
// JavaScript-object serde backend would, and the browser's JSON parser is fast.
// Records cross into IndexedDB as JSON text parsed by the browser, and back the same way: one serde
// format (serde_json) for the store, the wire and backups keeps the wasm smaller than a second,
// JavaScript-object serde backend would, and the browser's JSON parser is fast.
pub(super) fn to_js<T: Serialize>(value: &T) -> JsValue {
    let json = serde_json::to_string(value).expect("the app's own records always serialise");
    js_sys::JSON::parse(&json).expect("serde_json writes valid JSON")
}

pub(super) fn from_js<T: DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, StoreError> {
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| StoreError::Corrupt {
            what,
            detail: "not representable as JSON".to_owned(),
        })?;
    serde_json::from_str(&json).map_err(StoreError::corrupt(what))
}

/// Many records at once: one JSON text for the whole list, rather than one per record.
pub(super) fn from_js_all<T: DeserializeOwned>(
    values: Vec<JsValue>,
    what: &'static str,
) -> Result<Vec<T>, StoreError> {
    from_js(js_sys::Array::from_iter(values).into(), what)
}

/// A key range holding exactly `key`.
pub(super) fn only(key: &JsValue, action: &'static str) -> Result<KeyRange, StoreError> {
    KeyRange::only(key).map_err(|error| StoreError::database(action)(error.into()))
}

/// The `natural_key` index's key: one check-in per person and occurrence.
pub(super) fn natural_key(
    participant: ParticipantId,
    activity: ActivityId,
    date: chrono::NaiveDate,
) -> JsValue {
    js_sys::Array::of3(
        &participant.to_string().into(),
        &activity.to_string().into(),
        &date.to_string().into(),
    )
    .into()
}

pub(super) fn occurrence_key(occurrence: Occurrence) -> Result<KeyRange, StoreError> {
    let key = js_sys::Array::of2(
        &occurrence.activity.to_string().into(),
        &occurrence.date.to_string().into(),
    );
    only(&key, "look up an occurrence")
}
