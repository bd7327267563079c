//! Organisations, pairing codes and devices: who may sync, and the privacy notice's page.

use chrono::{DateTime, Utc};
use spor_core::access::DeviceRole;
use spor_core::ids::{DeviceId, OrganisationId};
use spor_core::protocol::{DeviceInfo, OpenPairingCode};
use spor_core::sync::EntityKind;
use sqlx::{AnyConnection, Connection, Row};
use uuid::Uuid;

use super::{Database, kind_name, parse_time, parse_uuid, timestamp};
use crate::auth;
use crate::storage::{DeviceRecord, NewDevice, NewPairingCode, Paired, StorageError};

pub(super) async fn organisations(db: &Database) -> Result<Vec<(OrganisationId, String)>, StorageError> {
    let rows = sqlx::query("SELECT id, name FROM organisations ORDER BY created_at")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|row| {
            let id = parse_uuid(row.get("id"), "organisation id")?;
            Ok((OrganisationId(id), row.get("name")))
        })
        .collect()
}

pub(super) async fn privacy_notice(
    db: &Database,
    organisation: OrganisationId,
) -> Result<Option<(String, Option<String>)>, StorageError> {
    let id = organisation.0.to_string();
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(&id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let notice: Option<String> = sqlx::query_scalar(
        "SELECT value FROM entity_fields WHERE organisation = $1 AND kind = $2 AND id = $1 AND field = 'privacy_notice'",
    )
    .bind(&id)
    .bind(kind_name(EntityKind::Organisation))
    .fetch_optional(&db.pool)
    .await?;
    // Stored as JSON; a notice set back to none is `null`.
    let notice = notice
        .map(|value| serde_json::from_str::<Option<String>>(&value))
        .transpose()
        .map_err(|_| StorageError::Corrupt("privacy notice"))?
        .flatten();
    Ok(Some((name, notice)))
}

pub(super) async fn create_organisation(
    db: &Database,
    name: &str,
    now: DateTime<Utc>,
) -> Result<OrganisationId, StorageError> {
    let id = OrganisationId(Uuid::now_v7());
    let mut writer = db.writer().await?;
    sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id.0.to_string())
        .bind(name)
        .bind(timestamp(now))
        .execute(&mut *writer)
        .await?;
    Ok(id)
}

pub(super) async fn add_pairing_code(db: &Database, code: NewPairingCode) -> Result<(), StorageError> {
    let mut writer = db.writer().await?;
    delete_expired_codes(&mut writer, Utc::now()).await?;
    sqlx::query(
        "INSERT INTO pairing_codes (id, code_hash, salt, organisation, role, expires_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(code.id.to_string())
    .bind(code.code_hash)
    .bind(code.salt)
    .bind(code.organisation.0.to_string())
    .bind(code.role.as_str())
    .bind(timestamp(code.expires_at))
    .bind(code.created_by.map(|device| device.0.to_string()))
    .execute(&mut *writer)
    .await?;
    Ok(())
}

pub(super) async fn redeem_pairing_code(
    db: &Database,
    typed_code: &str,
    device: NewDevice,
    now: DateTime<Utc>,
) -> Result<Option<Paired>, StorageError> {
    let mut writer = db.writer().await?;
    let mut transaction = writer.begin().await?;
    delete_expired_codes(&mut transaction, now).await?;
    // Each code has a salt of its own, so the typed one is tried against every open code (a
    // handful: they are few, and expire). Codes made by a device revoked since are left out.
    let open = sqlx::query(
        "SELECT id, code_hash, salt FROM pairing_codes WHERE used_at IS NULL \
         AND (created_by IS NULL OR created_by IN (SELECT id FROM devices WHERE revoked_at IS NULL))",
    )
    .fetch_all(&mut *transaction)
    .await?;
    let Some(id) = open.iter().find_map(|row| {
        let salt: Option<Vec<u8>> = row.get("salt");
        let stored: Vec<u8> = row.get("code_hash");
        auth::pairing_code_matches(typed_code, salt.as_deref(), &stored).then(|| row.get::<String, _>("id"))
    }) else {
        transaction.commit().await?;
        return Ok(None);
    };
    // A used code is not kept; deleting it also makes a second use of it find nothing.
    let Some(row) = sqlx::query("DELETE FROM pairing_codes WHERE id = $1 RETURNING organisation, role")
        .bind(&id)
        .fetch_optional(&mut *transaction)
        .await?
    else {
        return Ok(None);
    };
    let organisation: String = row.get("organisation");
    let role = DeviceRole::parse(row.get("role")).ok_or(StorageError::Corrupt("device role"))?;
    let organisation_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(&organisation)
        .fetch_one(&mut *transaction)
        .await?;
    sqlx::query(
        "INSERT INTO devices (id, organisation, role, name, secret_hash, paired_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(device.id.0.to_string())
    .bind(&organisation)
    .bind(role.as_str())
    .bind(&device.name)
    .bind(device.secret_hash)
    .bind(timestamp(now))
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(Some(Paired {
        organisation: OrganisationId(parse_uuid(&organisation, "organisation id")?),
        organisation_name,
        role,
    }))
}

pub(super) async fn open_pairing_codes(
    db: &Database,
    organisation: OrganisationId,
    now: DateTime<Utc>,
) -> Result<Vec<OpenPairingCode>, StorageError> {
    let rows = sqlx::query(
        "SELECT pairing_codes.id, pairing_codes.role, pairing_codes.expires_at, devices.name AS made_by \
         FROM pairing_codes LEFT JOIN devices ON devices.id = pairing_codes.created_by \
         WHERE pairing_codes.organisation = $1 AND pairing_codes.used_at IS NULL AND pairing_codes.expires_at > $2 \
         AND (pairing_codes.created_by IS NULL OR devices.revoked_at IS NULL) \
         ORDER BY pairing_codes.expires_at DESC",
    )
    .bind(organisation.0.to_string())
    .bind(timestamp(now))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OpenPairingCode {
                id: parse_uuid(row.get("id"), "pairing code id")?,
                role: DeviceRole::parse(row.get("role")).ok_or(StorageError::Corrupt("device role"))?,
                expires_at: parse_time(row.get("expires_at"))?,
                made_by: row.get("made_by"),
            })
        })
        .collect()
}

pub(super) async fn cancel_pairing_code(
    db: &Database,
    organisation: OrganisationId,
    id: Uuid,
) -> Result<bool, StorageError> {
    let mut writer = db.writer().await?;
    let deleted = sqlx::query("DELETE FROM pairing_codes WHERE organisation = $1 AND id = $2")
        .bind(organisation.0.to_string())
        .bind(id.to_string())
        .execute(&mut *writer)
        .await?
        .rows_affected();
    Ok(deleted == 1)
}

pub(super) async fn device(db: &Database, id: DeviceId) -> Result<Option<DeviceRecord>, StorageError> {
    let Some(row) =
        sqlx::query("SELECT organisation, role, secret_hash, revoked_at FROM devices WHERE id = $1")
            .bind(id.0.to_string())
            .fetch_optional(&db.pool)
            .await?
    else {
        return Ok(None);
    };
    Ok(Some(DeviceRecord {
        id,
        organisation: OrganisationId(parse_uuid(row.get("organisation"), "organisation id")?),
        role: DeviceRole::parse(row.get("role")).ok_or(StorageError::Corrupt("device role"))?,
        secret_hash: row.get("secret_hash"),
        revoked: row.get::<Option<String>, _>("revoked_at").is_some(),
    }))
}

pub(super) async fn touch_device(
    db: &Database,
    id: DeviceId,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let mut writer = db.writer().await?;
    sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
        .bind(timestamp(now))
        .bind(id.0.to_string())
        .execute(&mut *writer)
        .await?;
    Ok(())
}

pub(super) async fn devices(
    db: &Database,
    organisation: OrganisationId,
) -> Result<Vec<DeviceInfo>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, name, role, paired_at, last_seen_at, revoked_at FROM devices \
         WHERE organisation = $1 ORDER BY paired_at",
    )
    .bind(organisation.0.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let optional_time = |column: &str| {
                row.get::<Option<String>, _>(column)
                    .as_deref()
                    .map(parse_time)
                    .transpose()
            };
            Ok(DeviceInfo {
                id: DeviceId(parse_uuid(row.get("id"), "device id")?),
                name: row.get("name"),
                role: DeviceRole::parse(row.get("role")).ok_or(StorageError::Corrupt("device role"))?,
                paired_at: parse_time(row.get("paired_at"))?,
                last_seen_at: optional_time("last_seen_at")?,
                revoked_at: optional_time("revoked_at")?,
            })
        })
        .collect()
}

pub(super) async fn revoke_device(
    db: &Database,
    organisation: OrganisationId,
    device: DeviceId,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let mut writer = db.writer().await?;
    let revoked = sqlx::query(
        "UPDATE devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND organisation = $3",
    )
    .bind(timestamp(now))
    .bind(device.0.to_string())
    .bind(organisation.0.to_string())
    .execute(&mut *writer)
    .await?;
    if revoked.rows_affected() == 1 {
        // A lost phone's unused codes go with it.
        sqlx::query("DELETE FROM pairing_codes WHERE created_by = $1 AND used_at IS NULL")
            .bind(device.0.to_string())
            .execute(&mut *writer)
            .await?;
    }
    Ok(revoked.rows_affected() == 1)
}

/// Deletes the pairing codes that expired by `now`: nothing needs them, and a code not kept cannot
/// be guessed from a copy of the database.
pub(super) async fn delete_expired_codes(
    connection: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM pairing_codes WHERE expires_at <= $1")
        .bind(timestamp(now))
        .execute(connection)
        .await?;
    Ok(())
}
