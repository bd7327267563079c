//! A batch of queued changes as IndexedDB gave them. The push request is written from the stored
//! JSON by the browser, and an entry is read into Rust only when its answer needs more than its id
//! (a refusal, or a check-in the server already had under another id): a sync of thousands of
//! changes then spends its time on the wire and in the database rather than re-encoding JSON.

use js_sys::{Array, JSON, JsString, Reflect};
use spor_core::ids::MutationId;
use wasm_bindgen::{JsCast, JsValue};

use super::StoreError;
use super::codec::from_js;
use super::outbox::OutboxEntry;

pub struct OutboxBatch {
    /// The stored entries, oldest first.
    entries: Vec<JsValue>,
    /// Their mutations, in the same order.
    mutations: Array,
    /// Each entry's outbox key and mutation id, in the same order.
    queued: Vec<(u32, MutationId)>,
}

impl OutboxBatch {
    pub(super) fn new(entries: Vec<JsValue>) -> Result<OutboxBatch, StoreError> {
        let mutations = Array::new();
        let mut queued = Vec::with_capacity(entries.len());
        for entry in &entries {
            let (seq, mutation, id) = read_queued(entry)?;
            mutations.push(&mutation);
            queued.push((seq, id));
        }
        Ok(OutboxBatch {
            entries,
            mutations,
            queued,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The outbox key of the last entry: the next batch starts after it.
    pub fn last_seq(&self) -> Option<u32> {
        self.queued.last().map(|(seq, _)| *seq)
    }

    /// Each entry's outbox key and mutation id, oldest first.
    pub fn queued(&self) -> &[(u32, MutationId)] {
        &self.queued
    }

    /// The entry at `index`, read in full.
    pub fn entry(&self, index: usize) -> Result<OutboxEntry, StoreError> {
        from_js(self.entries[index].clone(), "outbox entry")
    }

    /// The batch's mutations as one JSON array, as they were stored.
    pub fn mutations_json(&self) -> Result<JsString, StoreError> {
        JSON::stringify(&self.mutations)
            .ok()
            .and_then(|json| json.dyn_into().ok())
            .ok_or_else(|| corrupt("not representable as JSON"))
    }
}

/// A stored entry's outbox key, its mutation, and the mutation's id.
fn read_queued(entry: &JsValue) -> Result<(u32, JsValue, MutationId), StoreError> {
    let seq = Reflect::get(entry, &"seq".into())
        .ok()
        .and_then(|seq| seq.as_f64())
        .filter(|seq| seq.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(seq))
        .ok_or_else(|| corrupt("no outbox key"))?;
    let mutation = Reflect::get(entry, &"mutation".into())
        .ok()
        .filter(JsValue::is_object)
        .ok_or_else(|| corrupt("no mutation"))?;
    let id = Reflect::get(&mutation, &"id".into())
        .ok()
        .and_then(|id| id.as_string())
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| corrupt("no mutation id"))?;
    Ok((seq as u32, mutation, MutationId(id)))
}

fn corrupt(detail: &str) -> StoreError {
    StoreError::Corrupt {
        what: "outbox entry",
        detail: detail.to_owned(),
    }
}
