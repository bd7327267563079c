//! A pull: the change log of an organisation from a cursor, paged by spor-core's `PullPage`.

use futures_util::TryStreamExt;
use spor_core::access::Topic;
use spor_core::ids::{DeviceId, OrganisationId};
use spor_core::rules::pull::PullPage;
use spor_core::sync::{PullResponse, PulledChange};
use sqlx::{Connection, Row};

use super::{Backend, Database};
use crate::storage::{PullError, StorageError};

pub(super) async fn pull(
    db: &Database,
    organisation: OrganisationId,
    device: DeviceId,
    topics: &[Topic],
    since: u64,
    limit: u32,
) -> Result<PullResponse, PullError> {
    // The highest sequence number ever given out, also when its change was scrubbed since.
    let newest_query = match &*db.backend {
        Backend::Sqlite { .. } => "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'changes'",
        Backend::Postgres { .. } => {
            "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('changes', 'seq')::regclass), 0)"
        }
    };
    let newest: i64 = sqlx::query_scalar(newest_query)
        .fetch_one(&db.pool)
        .await
        .map_err(StorageError::from)?;
    if since > newest as u64 {
        return Err(PullError::CursorGone { since });
    }
    let topic_list = topics
        .iter()
        .map(|topic| format!("'{}'", topic.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    // The topics are this server's own constants, never request text.
    let visible = format!("organisation = $1 AND seq > $2 AND device != $3 AND topic IN ({topic_list})");
    // One snapshot for the page and the newest sequence number, so the cursor never passes a
    // change the page did not see.
    let mut connection = db.pool.acquire().await.map_err(StorageError::from)?;
    let mut snapshot = connection.begin().await.map_err(StorageError::from)?;
    if let Backend::Postgres { .. } = &*db.backend {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *snapshot)
            .await
            .map_err(StorageError::from)?;
    }
    // Read change by change, so an answer stops at its byte budget without loading the rest.
    let mut changes = Vec::new();
    let mut page = PullPage::new(limit as usize);
    let query = format!("SELECT seq, change FROM changes WHERE {visible} ORDER BY seq LIMIT $4");
    let mut rows = sqlx::query(&query)
        .bind(organisation.0.to_string())
        .bind(since as i64)
        .bind(device.0.to_string())
        .bind(i64::from(limit) + 1)
        .fetch(&mut *snapshot);
    while let Some(row) = rows.try_next().await.map_err(StorageError::from)? {
        let seq = row.get::<i64, _>("seq") as u64;
        let change: String = row.get("change");
        if !page.offer(seq, change.len()) {
            break;
        }
        changes.push(PulledChange {
            seq,
            change: serde_json::from_str(&change).map_err(|_| StorageError::Corrupt("change"))?,
        });
    }
    drop(rows);
    let newest_here: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE organisation = $1")
            .bind(organisation.0.to_string())
            .fetch_one(&mut *snapshot)
            .await
            .map_err(StorageError::from)?;
    snapshot.commit().await.map_err(StorageError::from)?;
    let (cursor, has_more) = page.finish(since, newest_here as u64);
    Ok(PullResponse {
        changes,
        cursor,
        has_more,
    })
}
