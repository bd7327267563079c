//! Members' figures for their umbrella on this server: kept per member, package and period (a
//! second sending replaces the first), read back by the umbrella's coordinators.

use chrono::{DateTime, Utc};
use spor_core::aggregate::{Aggregate, Consent, Received, Sending};
use spor_core::ids::{DeviceId, OrganisationId};
use sqlx::Row;

use super::{Database, parse_time, timestamp, to_json};
use crate::storage::StorageError;

pub(super) async fn keep(
    db: &Database,
    from: OrganisationId,
    by: DeviceId,
    sending: &Sending,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let mut writer = db.writer().await?;
    let recipient: Option<String> = sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1")
        .bind(sending.to.0.to_string())
        .fetch_optional(&mut *writer)
        .await?;
    if recipient.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO aggregates (to_organisation, from_organisation, package, period_from, period_to, \
         body, sent_by, consented_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (to_organisation, from_organisation, package, period_from, period_to) DO UPDATE SET \
         body = excluded.body, sent_by = excluded.sent_by, consented_at = excluded.consented_at, \
         received_at = excluded.received_at",
    )
    .bind(sending.to.0.to_string())
    .bind(from.0.to_string())
    .bind(sending.aggregate.package.0.to_string())
    .bind(sending.aggregate.from.to_string())
    .bind(sending.aggregate.to.to_string())
    .bind(to_json(&sending.aggregate))
    .bind(by.0.to_string())
    .bind(timestamp(sending.consent.given_at))
    .bind(timestamp(now))
    .execute(&mut *writer)
    .await?;
    Ok(true)
}

pub(super) async fn received(db: &Database, to: OrganisationId) -> Result<Vec<Received>, StorageError> {
    let rows = sqlx::query(
        "SELECT o.name, a.body, a.consented_at, a.received_at FROM aggregates a \
         JOIN organisations o ON o.id = a.from_organisation \
         WHERE a.to_organisation = $1 ORDER BY a.received_at, o.name",
    )
    .bind(to.0.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let aggregate: Aggregate =
                serde_json::from_str(row.get("body")).map_err(|_| StorageError::Corrupt("aggregate"))?;
            let consent = Consent {
                from: aggregate.from,
                to: aggregate.to,
                given_at: parse_time(row.get("consented_at"))?,
            };
            Ok(Received {
                from: row.get("name"),
                received_at: parse_time(row.get("received_at"))?,
                aggregate,
                consent,
            })
        })
        .collect()
}
