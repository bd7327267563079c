//! Sync with a spor-server (DESIGN.md section 4): push the outbox in batches, then pull until
//! nothing more waits. The engine here is plain async code over the store and the HTTP client; the
//! triggers, retries and status live in `contexts::sync_context`.

pub mod client;
pub mod tab_lock;

use chrono::{DateTime, Utc};
use spor_core::sync::{MAX_PUSH_BATCH, PushRequest};

pub use client::{ServerClient, SyncError};

use crate::store::Store;

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the server has now (applied or already known).
    pub pushed: usize,
    /// Changes the server refused, now in the dead letters.
    pub refused: usize,
    /// Pulled changes that changed something on this device.
    pub pulled: usize,
    /// The server's clock at the last answer.
    pub server_time: Option<DateTime<Utc>>,
}

/// Pushes everything queued, then pulls until the server has nothing more. Any failure stops the
/// sync with the outbox as the last acknowledged batch left it: nothing unacknowledged is removed.
pub async fn sync_once(store: &Store, client: &ServerClient) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    loop {
        let batch = store.outbox_batch(MAX_PUSH_BATCH as u32).await?;
        if batch.is_empty() {
            break;
        }
        let request = PushRequest {
            mutations: batch.iter().map(|entry| entry.mutation.clone()).collect(),
        };
        let answer = client.push(&request).await?;
        report.server_time = answer.server_time.or(report.server_time);
        let acknowledged = store.acknowledge(&batch, &answer.body.results).await?;
        report.pushed += acknowledged.done;
        report.refused += acknowledged.refused;
        if acknowledged.done + acknowledged.refused < batch.len() {
            // The server did not answer for some changes; they stay queued for the next sync.
            break;
        }
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
