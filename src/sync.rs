//! Sync with a spor-server (DESIGN.md section 4): push the outbox in batches, then pull until
//! nothing more waits. The engine here is plain async code over the store and the HTTP client; the
//! triggers, retries and status live in `contexts::sync_context`.

pub mod client;
pub mod tab_lock;

use chrono::{DateTime, Utc};
use spor_core::sync::{FIRST_PUSH_BATCH, MutationResult, next_push_batch};

pub use client::{JsonBody, ServerClient, SyncError};

use crate::store::{Acknowledged, OutboxBatch, Store};

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the server has now (applied or already known).
    pub pushed: usize,
    /// Changes the server refused, now in the dead letters.
    pub refused: usize,
    /// Changes refused for a clock running ahead, sent again restamped.
    pub restamped: usize,
    /// Pulled changes that changed something on this device.
    pub pulled: usize,
    /// The server's clock at the last answer.
    pub server_time: Option<DateTime<Utc>>,
}

/// Pushes everything queued, then pulls until the server has nothing more. Any failure stops the
/// sync with the outbox as the last acknowledged batch left it: nothing unacknowledged is removed.
pub async fn sync_once(store: &Store, client: &ServerClient) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    push_outbox(store, client, &mut report).await?;
    // Changes refused for a clock running ahead were queued again, restamped: send them now. A
    // second refusal (a clock still further ahead) waits for the next sync.
    if report.restamped > 0 {
        push_outbox(store, client, &mut report).await?;
    }
    loop {
        let since = store.pull_cursor().await?;
        let answer = match client.pull(since).await {
            Err(SyncError::CursorGone) if since != 0 => {
                store.reset_pull_cursor().await?;
                continue;
            }
            answer => answer?,
        };
        report.server_time = answer.server_time.or(report.server_time);
        report.pulled += store.apply_pulled(&answer.body).await?;
        if !answer.body.has_more {
            return Ok(report);
        }
    }
}

/// Pushes the outbox in batches, in order. While the server applies one batch, the device records
/// the answer to the batch before and reads and serialises the next, so neither side waits for the
/// other; a batch is sent only once the one before has been answered, so the server applies them
/// in order. Batches grow while answers come quickly and shrink when they are slow
/// (`next_push_batch`).
async fn push_outbox(store: &Store, client: &ServerClient, report: &mut SyncReport) -> Result<(), SyncError> {
    let mut size = FIRST_PUSH_BATCH;
    let mut batch = store.outbox_batch(None, size as u32).await?;
    let mut body = push_body(&batch)?;
    // The last batch the server answered, not yet recorded in the outbox.
    let mut answered: Option<(OutboxBatch, Vec<MutationResult>)> = None;
    while !batch.is_empty() {
        let after = batch.last_seq();
        let recording = async {
            match &answered {
                Some((sent, results)) => store.acknowledge(sent, results).await.map(Some),
                None => Ok(None),
            }
        };
        let preparing = async {
            let next = store.outbox_batch(after, size as u32).await?;
            let body = push_body(&next)?;
            Ok::<_, SyncError>((next, body))
        };
        let pushing = async {
            let started = js_sys::Date::now();
            let answer = client.push(&body).await;
            (answer, js_sys::Date::now() - started)
        };
        let ((pushed, took_ms), recorded, next) = futures::join!(pushing, recording, preparing);
        size = next_push_batch(size, took_ms);
        if let (Some(acknowledged), Some((sent, _))) = (recorded?, answered.take())
            && !report.count(acknowledged, sent.len())
        {
            // The server did not answer for some changes: they stay queued for the next sync.
            break;
        }
        let answer = pushed?;
        report.server_time = answer.server_time.or(report.server_time);
        answered = Some((batch, answer.body.results));
        (batch, body) = next?;
    }
    if let Some((sent, results)) = answered {
        let acknowledged = store.acknowledge(&sent, &results).await?;
        report.count(acknowledged, sent.len());
    }
    Ok(())
}

/// A `PushRequest` of the batch's mutations, written from their stored JSON.
pub fn push_body(batch: &OutboxBatch) -> Result<JsonBody, SyncError> {
    Ok(JsonBody::push_request(&batch.mutations_json()?))
}

impl SyncReport {
    /// Counts one recorded answer; false when the server left some of the `sent` changes unanswered.
    fn count(&mut self, acknowledged: Acknowledged, sent: usize) -> bool {
        self.pushed += acknowledged.done;
        self.refused += acknowledged.refused;
        self.restamped += acknowledged.restamped;
        acknowledged.done + acknowledged.refused + acknowledged.restamped == sent
    }
}
