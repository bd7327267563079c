//! The storage on SQL: SQLite (one file in the data directory, WAL mode; the default) or
//! PostgreSQL (for larger deployments). Both run the same statements through sqlx's `Any` driver;
//! what differs (connecting, migrations, locking, the newest sequence number, scrubbing after an
//! erasure, backups) is decided by [`Backend`].
//!
//! SQLite has one writer at a time; its writes take the backend's writer lock first, so concurrent
//! pushes queue in the server instead of failing with `SQLITE_BUSY`. PostgreSQL takes a lock per
//! organisation for each push instead, which also keeps an organisation's change log in commit
//! order, so a pull never passes a change that commits later with a lower sequence number.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use spor_core::access::{DeviceRole, Topic};
use spor_core::attendance::Attendance;
use spor_core::hlc::Hlc;
use spor_core::ids::{AttendanceId, DeviceId, OrganisationId, ParticipantId};
use spor_core::instruments::Instrument;
use spor_core::protocol::{DeviceInfo, OpenPairingCode};
use spor_core::rules;
use spor_core::rules::attendance::{ArrivingCheckIn, Fold, MergedCheckIn};
use spor_core::rules::erasure::Scrub;
use spor_core::rules::fields::FieldDecision;
use spor_core::rules::merges::MergeDecision;
use spor_core::rules::pull::PullPage;
use spor_core::survey::SurveyTemplate;
use spor_core::sync::{
    Change, EntityKind, Mutation, MutationResult, Outcome, PullResponse, PulledChange, RejectReason,
};
use spor_core::validation::{Context, Problem};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor, Row};
use tokio::sync::{Mutex, MutexGuard};
use uuid::Uuid;

use crate::auth;
use crate::error::ServeError;
use crate::storage::{DeviceRecord, NewDevice, NewPairingCode, Paired, PullError, Storage, StorageError};

pub const DATABASE_FILE: &str = "spor.sqlite3";

/// The sender logged for a change every device pulls, its sender too: no device has this id.
const EVERY_DEVICE: &str = "00000000-0000-0000-0000-000000000000";

/// Set on every SQLite connection. Records cannot be collected again, so every commit reaches the
/// disk before it is acknowledged; an erased name is overwritten in the file, not just unlinked.
/// The log is copied into the file every 10,000 pages (40 MB) rather than SQLite's 1,000: a sync
/// rewrites the same index pages push after push, and each page is then copied once, not each
/// time (a push of 1,000 check-ins: 19 ms instead of 24).
const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
     PRAGMA wal_autocheckpoint = 10000;";

/// Where the server keeps its data.
#[derive(Debug, Clone)]
pub enum DatabaseLocation {
    /// `spor.sqlite3` in this directory (the default: nothing to set up).
    SqliteIn(PathBuf),
    /// A PostgreSQL database, by URL.
    Postgres(String),
}

#[derive(Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Arc<Backend>,
}

enum Backend {
    /// Every write goes through `writer`, one connection: SQLite has one writer at a time anyway,
    /// and a connection's page cache stays warm only while no other connection writes (a push of
    /// 1,000 check-ins into a database of 60,000: 29 ms instead of 36). Reads use the pool.
    Sqlite {
        path: PathBuf,
        writer: Mutex<AnyConnection>,
    },
    /// The server's address, without the password, for messages.
    Postgres { server: String },
}

impl Database {
    pub async fn open(location: &DatabaseLocation) -> Result<Database, ServeError> {
        match location {
            DatabaseLocation::SqliteIn(data_dir) => Database::open_in(data_dir).await,
            DatabaseLocation::Postgres(url) => Database::connect(url).await,
        }
    }

    /// Opens `spor.sqlite3` in `data_dir`, creating the directory and the file on first start.
    pub async fn open_in(data_dir: &Path) -> Result<Database, ServeError> {
        std::fs::create_dir_all(data_dir).map_err(|source| ServeError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        // Participants' data: readable by the server's user only, from the file's first byte on
        // (SQLite gives its -wal and -shm files the database file's permissions).
        owner_only_file(&path).map_err(|source| ServeError::DataDir {
            path: path.clone(),
            source,
        })?;
        sqlx::any::install_default_drivers();
        let url = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .to_url_lossy();
        let open_failed = |source| ServeError::Database {
            location: path.display().to_string(),
            source,
        };
        let options = AnyConnectOptions::from_url(&url).map_err(open_failed)?;
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(|connection, _| {
                Box::pin(async move {
                    connection.execute(sqlx::raw_sql(SQLITE_SETTINGS)).await?;
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await
            .map_err(open_failed)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|source| ServeError::Migrate {
                location: path.display().to_string(),
                source,
            })?;
        let mut writer = options.connect().await.map_err(open_failed)?;
        writer
            .execute(sqlx::raw_sql(SQLITE_SETTINGS))
            .await
            .map_err(open_failed)?;
        Ok(Database {
            pool,
            backend: Arc::new(Backend::Sqlite {
                path,
                writer: Mutex::new(writer),
            }),
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user:password@host/database`),
    /// which must exist; its tables are created or brought up to date.
    pub async fn connect(url: &str) -> Result<Database, ServeError> {
        let server = without_password(url);
        sqlx::any::install_default_drivers();
        let connect_failed = |source| ServeError::Database {
            location: server.clone(),
            source,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .connect_with(url.parse::<AnyConnectOptions>().map_err(connect_failed)?)
            .await
            .map_err(connect_failed)?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|source| ServeError::Migrate {
                location: server.clone(),
                source,
            })?;
        Ok(Database {
            pool,
            backend: Arc::new(Backend::Postgres { server }),
        })
    }

    /// Where the data is, for people: the SQLite file, or the PostgreSQL server and database.
    pub fn location(&self) -> String {
        match &*self.backend {
            Backend::Sqlite { path, .. } => path.display().to_string(),
            Backend::Postgres { server } => server.clone(),
        }
    }

    fn dialect(&self) -> Dialect {
        match &*self.backend {
            Backend::Sqlite { .. } => Dialect::Sqlite,
            Backend::Postgres { .. } => Dialect::Postgres,
        }
    }

    /// A connection to write with: SQLite's one writer (waiting for it queues concurrent writes
    /// instead of failing with `SQLITE_BUSY`), or any of PostgreSQL's, which takes its locks
    /// inside the transaction.
    async fn writer(&self) -> Result<Writer<'_>, StorageError> {
        Ok(match &*self.backend {
            Backend::Sqlite { writer, .. } => Writer::Sqlite(writer.lock().await),
            Backend::Postgres { .. } => Writer::Postgres(self.pool.acquire().await?),
        })
    }
}

enum Writer<'a> {
    Sqlite(MutexGuard<'a, AnyConnection>),
    Postgres(PoolConnection<Any>),
}

impl Deref for Writer<'_> {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            Writer::Sqlite(connection) => connection,
            Writer::Postgres(connection) => connection,
        }
    }
}

impl DerefMut for Writer<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Writer::Sqlite(connection) => connection,
            Writer::Postgres(connection) => connection,
        }
    }
}

/// Creates `path` empty if it is missing, and makes it readable and writable by its owner only.
fn owner_only_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

/// `url` with its password left out, safe to print and log.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(an unreadable database URL)".to_owned(),
    }
}

/// The most values one statement binds: SQLite takes up to 32,766, PostgreSQL 65,535.
const MAX_BINDS: usize = 32_000;

/// Inserts `rows` (`insert` names the table and columns; `suffix` follows the values) in as few
/// statements as the bind limit allows, answering the rows a `RETURNING` suffix gives back.
async fn insert_rows<const COLUMNS: usize>(
    connection: &mut AnyConnection,
    dialect: Dialect,
    insert: &str,
    rows: &[[&str; COLUMNS]],
    suffix: &str,
) -> Result<Vec<AnyRow>, StorageError> {
    let mut returned = Vec::new();
    for chunk in rows.chunks(MAX_BINDS / COLUMNS) {
        let query = format!(
            "{insert} VALUES {} {suffix}",
            dialect.value_rows(chunk.len(), COLUMNS)
        );
        let statement = chunk
            .iter()
            .flatten()
            .fold(sqlx::query(&query), |statement, value| statement.bind(*value));
        returned.extend(statement.fetch_all(&mut *connection).await?);
    }
    Ok(returned)
}

/// Inserts `rows`, which have an `id` column, skipping those already stored: the ids inserted now.
async fn insert_returning_ids<const COLUMNS: usize>(
    connection: &mut AnyConnection,
    dialect: Dialect,
    insert: &str,
    rows: &[[&str; COLUMNS]],
) -> Result<HashSet<String>, StorageError> {
    let returned = insert_rows(
        connection,
        dialect,
        insert,
        rows,
        "ON CONFLICT DO NOTHING RETURNING id",
    )
    .await?;
    Ok(returned.iter().map(|row| row.get("id")).collect())
}

/// How a statement's placeholders are written. The statements written once use `$1`, which both
/// take; the long generated ones (thousands of values in a multi-row insert) use plain `?` on
/// SQLite, where every numbered placeholder costs a search through the names before it.
#[derive(Debug, Clone, Copy)]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `count` placeholders from the `first` value of the statement on, separated by commas.
    fn placeholders(self, first: usize, count: usize) -> String {
        let each: Vec<String> = match self {
            Dialect::Sqlite => vec!["?".to_owned(); count],
            Dialect::Postgres => (first..first + count).map(|index| format!("${index}")).collect(),
        };
        each.join(", ")
    }

    /// `($1, $2), ($3, $4)`: the placeholders of a multi-row `VALUES` list.
    fn value_rows(self, rows: usize, columns: usize) -> String {
        (0..rows)
            .map(|row| format!("({})", self.placeholders(row * columns + 1, columns)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| StorageError::Corrupt("timestamp"))
}

fn parse_uuid(text: &str, what: &'static str) -> Result<Uuid, StorageError> {
    Uuid::parse_str(text).map_err(|_| StorageError::Corrupt(what))
}

fn attendance_id(text: &str) -> Result<AttendanceId, StorageError> {
    Ok(AttendanceId(parse_uuid(text, "attendance id")?))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("wire types always serialise")
}

fn kind_name(kind: EntityKind) -> String {
    // EntityKind serialises as a plain snake_case string.
    to_json(&kind).trim_matches('"').to_owned()
}

#[async_trait]
impl Storage for Database {
    async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    async fn organisations(&self) -> Result<Vec<(OrganisationId, String)>, StorageError> {
        let rows = sqlx::query("SELECT id, name FROM organisations ORDER BY created_at")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let id = parse_uuid(row.get("id"), "organisation id")?;
                Ok((OrganisationId(id), row.get("name")))
            })
            .collect()
    }

    async fn privacy_notice(
        &self,
        organisation: OrganisationId,
    ) -> Result<Option<(String, Option<String>)>, StorageError> {
        let id = organisation.0.to_string();
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
            .bind(&id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(name) = name else {
            return Ok(None);
        };
        let notice: Option<String> = sqlx::query_scalar(
            "SELECT value FROM entity_fields WHERE organisation = $1 AND kind = $2 AND id = $1 AND field = 'privacy_notice'",
        )
        .bind(&id)
        .bind(kind_name(EntityKind::Organisation))
        .fetch_optional(&self.pool)
        .await?;
        // Stored as JSON; a notice set back to none is `null`.
        let notice = notice
            .map(|value| serde_json::from_str::<Option<String>>(&value))
            .transpose()
            .map_err(|_| StorageError::Corrupt("privacy notice"))?
            .flatten();
        Ok(Some((name, notice)))
    }

    async fn create_organisation(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OrganisationId, StorageError> {
        let id = OrganisationId(Uuid::now_v7());
        let mut writer = self.writer().await?;
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(id.0.to_string())
            .bind(name)
            .bind(timestamp(now))
            .execute(&mut *writer)
            .await?;
        Ok(id)
    }

    async fn add_pairing_code(&self, code: NewPairingCode) -> Result<(), StorageError> {
        let mut writer = self.writer().await?;
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

    async fn redeem_pairing_code(
        &self,
        typed_code: &str,
        device: NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Option<Paired>, StorageError> {
        let mut writer = self.writer().await?;
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
            auth::pairing_code_matches(typed_code, salt.as_deref(), &stored)
                .then(|| row.get::<String, _>("id"))
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

    async fn open_pairing_codes(
        &self,
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
        .fetch_all(&self.pool)
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

    async fn cancel_pairing_code(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<bool, StorageError> {
        let mut writer = self.writer().await?;
        let deleted = sqlx::query("DELETE FROM pairing_codes WHERE organisation = $1 AND id = $2")
            .bind(organisation.0.to_string())
            .bind(id.to_string())
            .execute(&mut *writer)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StorageError> {
        let Some(row) =
            sqlx::query("SELECT organisation, role, secret_hash, revoked_at FROM devices WHERE id = $1")
                .bind(id.0.to_string())
                .fetch_optional(&self.pool)
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

    async fn touch_device(&self, id: DeviceId, now: DateTime<Utc>) -> Result<(), StorageError> {
        let mut writer = self.writer().await?;
        sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
            .bind(timestamp(now))
            .bind(id.0.to_string())
            .execute(&mut *writer)
            .await?;
        Ok(())
    }

    async fn devices(&self, organisation: OrganisationId) -> Result<Vec<DeviceInfo>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, name, role, paired_at, last_seen_at, revoked_at FROM devices \
             WHERE organisation = $1 ORDER BY paired_at",
        )
        .bind(organisation.0.to_string())
        .fetch_all(&self.pool)
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

    async fn revoke_device(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let mut writer = self.writer().await?;
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

    async fn push(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        mutations: Vec<Mutation>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, StorageError> {
        let mut writer = self.writer().await?;
        let mut transaction = writer.begin().await?;
        if let Backend::Postgres { .. } = &*self.backend {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS locked")
                .bind(organisation.0.to_string())
                .execute(&mut *transaction)
                .await?;
        }
        let merges_exist =
            sqlx::query_scalar::<_, i64>("SELECT 1 FROM participant_merges WHERE organisation = $1 LIMIT 1")
                .bind(organisation.0.to_string())
                .fetch_optional(&mut *transaction)
                .await?
                .is_some();
        let mut push = Push {
            connection: &mut transaction,
            organisation: organisation.0.to_string(),
            device: device.0.to_string(),
            received_at: timestamp(now),
            merges_exist,
            merges: None,
            context: Context {
                today: now.date_naive(),
            },
            dialect: self.dialect(),
            erased: false,
        };
        let mut results = Vec::with_capacity(mutations.len());
        // Runs of check-ins and of patches (the bulk of any sync) go in a few multi-row
        // statements; everything else one by one, in order.
        let mut rest = &mutations[..];
        while !rest.is_empty() {
            let run_of = |is_kind: fn(&Change) -> bool| {
                rest.iter()
                    .take_while(|mutation| is_kind(&mutation.change))
                    .count()
            };
            let check_ins = run_of(|change| matches!(change, Change::CheckIn { .. }));
            let patches = run_of(|change| matches!(change, Change::Patch { .. }));
            let (taken, outcomes) = if check_ins > 1 && !push.merges_exist {
                (check_ins, push.apply_check_ins(&rest[..check_ins]).await?)
            } else if patches > 0 {
                (patches, push.apply_patches(&rest[..patches]).await?)
            } else {
                (1, vec![push.apply(&rest[0]).await?])
            };
            results.extend(
                rest[..taken]
                    .iter()
                    .zip(outcomes)
                    .map(|(mutation, outcome)| MutationResult {
                        id: mutation.id,
                        outcome,
                    }),
            );
            rest = &rest[taken..];
        }
        let erased = push.erased;
        transaction.commit().await?;
        if erased {
            let scrub = match &*self.backend {
                // The write-ahead log still holds the pages as they were before the erasure: copy
                // the erased pages into the database and empty the log.
                Backend::Sqlite { .. } => "PRAGMA wal_checkpoint(TRUNCATE)",
                // Deleted rows stay in the table files until a vacuum removes them.
                Backend::Postgres { .. } => "VACUUM entity_fields, conflicts, changes",
            };
            sqlx::raw_sql(scrub).execute(&self.pool).await?;
        }
        Ok(results)
    }

    async fn pull(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        topics: &[Topic],
        since: u64,
        limit: u32,
    ) -> Result<PullResponse, PullError> {
        // The highest sequence number ever given out, also when its change was scrubbed since.
        let newest_query = match &*self.backend {
            Backend::Sqlite { .. } => {
                "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'changes'"
            }
            Backend::Postgres { .. } => {
                "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('changes', 'seq')::regclass), 0)"
            }
        };
        let newest: i64 = sqlx::query_scalar(newest_query)
            .fetch_one(&self.pool)
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
        let mut connection = self.pool.acquire().await.map_err(StorageError::from)?;
        let mut snapshot = connection.begin().await.map_err(StorageError::from)?;
        if let Backend::Postgres { .. } = &*self.backend {
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

    async fn backup_to(&self, target: &Path) -> Result<(), StorageError> {
        match &*self.backend {
            Backend::Sqlite { .. } => {
                // VACUUM INTO writes into an empty file: one made readable by the owner only.
                owner_only_file(target).map_err(StorageError::BackupFile)?;
                sqlx::query("VACUUM INTO $1")
                    .bind(target.display().to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
            Backend::Postgres { .. } => Err(StorageError::BackupWithPgDump),
        }
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// One push's transaction: applies mutations one by one and answers each.
struct Push<'a> {
    connection: &'a mut AnyConnection,
    organisation: String,
    device: String,
    received_at: String,
    /// Whether any participant of the organisation was merged: most never are, and then a check-in
    /// needs no lookup.
    merges_exist: bool,
    /// The organisation's merges, once read (see `merges`).
    merges: Option<BTreeMap<ParticipantId, ParticipantId>>,
    /// The server's date, for checking answers against custom templates.
    context: Context,
    dialect: Dialect,
    /// Whether this push erased anyone (by an erasure, or a merge into someone erased): the
    /// database is then scrubbed of the old pages once the push is committed.
    erased: bool,
}

impl Push<'_> {
    /// A run of check-ins, in an organisation without merges: new mutation ids and new attendance
    /// in one statement each, then the change log; the few duplicates take the one-by-one path.
    /// The attendance table's unique keys read what is stored for the whole run at once: a row
    /// inserted is a check-in spor-core would store (nothing stored under its id or natural key).
    async fn apply_check_ins(&mut self, run: &[Mutation]) -> Result<Vec<Outcome>, StorageError> {
        let first_time = self.record_mutations(run).await?;
        let attendance: Vec<&Attendance> = run
            .iter()
            .map(|mutation| match &mutation.change {
                Change::CheckIn { attendance } => attendance,
                _ => unreachable!("a run holds check-ins only"),
            })
            .collect();
        let fresh: Vec<&Attendance> = attendance
            .iter()
            .zip(&first_time)
            .filter_map(|(attendance, first)| first.then_some(*attendance))
            .collect();
        let texts: Vec<[String; 4]> = fresh
            .iter()
            .map(|attendance| {
                [
                    attendance.id.0.to_string(),
                    attendance.participant.0.to_string(),
                    attendance.activity.0.to_string(),
                    attendance.date.to_string(),
                ]
            })
            .collect();
        let rows: Vec<[&str; 5]> = texts
            .iter()
            .map(|[id, participant, activity, date]| {
                [self.organisation.as_str(), id, participant, activity, date]
            })
            .collect();
        let mut inserted = insert_returning_ids(
            self.connection,
            self.dialect,
            "INSERT INTO attendance (organisation, id, participant, activity, date)",
            &rows,
        )
        .await?;
        // An inserted record counts as applied for the first mutation that carries it; a second
        // one with the same record, in the same batch, is its duplicate.
        let applied: Vec<bool> = attendance
            .iter()
            .zip(&first_time)
            .map(|(attendance, first)| *first && inserted.remove(&attendance.id.0.to_string()))
            .collect();
        let logged: Vec<(Topic, Uuid, Change)> = attendance
            .iter()
            .zip(&applied)
            .filter(|(_, applied)| **applied)
            .map(|(attendance, _)| {
                let change = Change::CheckIn {
                    attendance: (*attendance).clone(),
                };
                (Topic::Attendance, attendance.id.0, change)
            })
            .collect();
        self.log_all(&logged).await?;
        let mut outcomes = Vec::with_capacity(run.len());
        for ((mutation, attendance), (first, applied)) in run
            .iter()
            .zip(attendance)
            .zip(first_time.into_iter().zip(applied))
        {
            let outcome = if !first {
                self.known_mutation(mutation).await?
            } else if applied {
                Outcome::Applied
            } else {
                self.check_in(mutation, attendance).await?
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Records the ids of `run` as received: per mutation, whether this is the first time its id
    /// is seen (a repeat inside the run is not).
    async fn record_mutations(&mut self, run: &[Mutation]) -> Result<Vec<bool>, StorageError> {
        let ids: Vec<String> = run.iter().map(|mutation| mutation.id.0.to_string()).collect();
        let rows: Vec<[&str; 4]> = ids
            .iter()
            .map(|id| [self.organisation.as_str(), id, &self.device, &self.received_at])
            .collect();
        let mut new_ids = insert_returning_ids(
            self.connection,
            self.dialect,
            "INSERT INTO mutations (organisation, id, device, received_at)",
            &rows,
        )
        .await?;
        Ok(ids.iter().map(|id| new_ids.remove(id)).collect())
    }

    /// The answer to a mutation id seen before: `duplicate`, with the canonical check-in if it had one.
    async fn known_mutation(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
        let canonical: Option<String> =
            sqlx::query_scalar("SELECT canonical FROM mutations WHERE organisation = $1 AND id = $2")
                .bind(&self.organisation)
                .bind(mutation.id.0.to_string())
                .fetch_one(&mut *self.connection)
                .await?;
        let canonical = canonical
            .as_deref()
            .map(|id| parse_uuid(id, "attendance id"))
            .transpose()?;
        Ok(Outcome::Duplicate { canonical })
    }

    /// Decides a check-in by spor-core's rule from what is stored, and carries it out: stored and
    /// logged, or (already stored under its id or natural key) answered `duplicate` with the
    /// canonical id, its own id an alias of it.
    async fn check_in(
        &mut self,
        mutation: &Mutation,
        check_in: &Attendance,
    ) -> Result<Outcome, StorageError> {
        let counts_for = self.current_participant(check_in.participant).await?;
        loop {
            let stored = self.stored_check_in(check_in, counts_for).await?;
            match rules::attendance::arriving_check_in(check_in, counts_for, stored) {
                ArrivingCheckIn::Store(attendance) => {
                    let inserted = sqlx::query(
                        "INSERT INTO attendance (organisation, id, participant, activity, date) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(&self.organisation)
                    .bind(attendance.id.0.to_string())
                    .bind(attendance.participant.0.to_string())
                    .bind(attendance.activity.0.to_string())
                    .bind(attendance.date.to_string())
                    .execute(&mut *self.connection)
                    .await?
                    .rows_affected()
                        == 1;
                    // Not inserted: a push beside this one stored the person there first; read again.
                    if inserted {
                        let subject = attendance.id.0;
                        self.log(Topic::Attendance, subject, &Change::CheckIn { attendance })
                            .await?;
                        return Ok(Outcome::Applied);
                    }
                }
                ArrivingCheckIn::Duplicate { canonical, alias } => {
                    if let Some(alias) = alias {
                        sqlx::query(
                            "INSERT INTO attendance_aliases (organisation, alias, canonical) VALUES ($1, $2, $3) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(&self.organisation)
                        .bind(alias.0.to_string())
                        .bind(canonical.0.to_string())
                        .execute(&mut *self.connection)
                        .await?;
                        self.reaim_logged_events(alias, canonical).await?;
                    }
                    self.remember_canonical(mutation, canonical.0).await?;
                    return Ok(Outcome::Duplicate {
                        canonical: Some(canonical.0),
                    });
                }
            }
        }
    }

    async fn apply(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
        let first_time = sqlx::query(
            "INSERT INTO mutations (organisation, id, device, received_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(mutation.id.0.to_string())
        .bind(&self.device)
        .bind(&self.received_at)
        .execute(&mut *self.connection)
        .await?
        .rows_affected()
            == 1;
        if !first_time {
            return self.known_mutation(mutation).await;
        }
        let outcome = match &mutation.change {
            Change::CheckIn { attendance } => self.check_in(mutation, attendance).await?,
            Change::AttendanceEvent { event } => {
                if !self.first_record(event.id.0).await? {
                    return Ok(Outcome::Duplicate { canonical: None });
                }
                let alias_of = self.attendance_alias(event.attendance.0).await?;
                let event = rules::attendance::event_for(event, alias_of);
                self.log(
                    Topic::Attendance,
                    event.attendance.0,
                    &Change::AttendanceEvent { event },
                )
                .await?;
                Outcome::Applied
            }
            Change::Headcount { event } => {
                if !self.first_record(event.id.0).await? {
                    return Ok(Outcome::Duplicate { canonical: None });
                }
                self.log(Topic::Headcount, event.id.0, &mutation.change).await?;
                Outcome::Applied
            }
            Change::SurveyResponse { response } => {
                // A custom template's answers are checked against the version they name, as the
                // server holds it (built-ins were checked before the storage was called).
                if Instrument::from_template_id(response.template).is_none() {
                    let reason = match self
                        .template_version(response.template, response.template_version)
                        .await?
                    {
                        None => Some(RejectReason::UnknownReference {
                            what: "template".to_owned(),
                        }),
                        Some(template) => response
                            .validate(&template, self.context)
                            .err()
                            .map(|problems| RejectReason::Invalid { problems }),
                    };
                    if let Some(reason) = reason {
                        return self.refuse(mutation, reason).await;
                    }
                }
                if !self.first_record(response.id.0).await? {
                    return Ok(Outcome::Duplicate { canonical: None });
                }
                let linked_to_erased = match response.participant {
                    Some(participant) => self.is_erased(participant).await?,
                    None => false,
                };
                let response = rules::erasure::arriving_response(response, |_| linked_to_erased);
                // Linked answers are filed under the participant, so an erasure can find and unlink them.
                let subject = response
                    .participant
                    .map_or(response.id.0, |participant| participant.0);
                self.log(
                    Topic::SurveyResponse,
                    subject,
                    &Change::SurveyResponse { response },
                )
                .await?;
                Outcome::Applied
            }
            Change::Patch { .. } => unreachable!("patches go through apply_patches"),
            Change::Delete { entity, stamp } => {
                let stored: Option<String> = sqlx::query_scalar(
                    "SELECT stamp FROM tombstones WHERE organisation = $1 AND kind = $2 AND id = $3",
                )
                .bind(&self.organisation)
                .bind(kind_name(entity.kind))
                .bind(entity.id.to_string())
                .fetch_optional(&mut *self.connection)
                .await?;
                // A tombstone is a write like a field's: the later of two deletions stands.
                let stamp = stamp_key(stamp);
                if rules::fields::decide_field(stored.as_ref(), None, &stamp) == FieldDecision::Applied {
                    sqlx::query(
                        "INSERT INTO tombstones (organisation, kind, id, stamp) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (organisation, kind, id) DO UPDATE SET stamp = excluded.stamp",
                    )
                    .bind(&self.organisation)
                    .bind(kind_name(entity.kind))
                    .bind(entity.id.to_string())
                    .bind(stamp)
                    .execute(&mut *self.connection)
                    .await?;
                }
                self.log(entity.kind.into(), entity.id, &mutation.change).await?;
                Outcome::Applied
            }
            Change::EraseParticipant { participant, .. } => {
                self.erase(*participant).await?;
                self.log(Topic::Participant, participant.0, &mutation.change)
                    .await?;
                Outcome::Applied
            }
            Change::MergeParticipants { merged, into, .. } => {
                if let Err(problem) = self.merge(*merged, *into).await? {
                    let reason = RejectReason::Invalid {
                        problems: vec![problem],
                    };
                    return self.refuse(mutation, reason).await;
                }
                self.log(Topic::Participant, merged.0, &mutation.change).await?;
                Outcome::Applied
            }
        };
        Ok(outcome)
    }

    /// A refused mutation is forgotten, so a retry is refused again with its reason instead of being
    /// answered `duplicate`.
    async fn refuse(&mut self, mutation: &Mutation, reason: RejectReason) -> Result<Outcome, StorageError> {
        sqlx::query("DELETE FROM mutations WHERE organisation = $1 AND id = $2")
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(Outcome::Rejected { reason })
    }

    /// Logs changes for pulling, in this order (so pull order follows push order).
    async fn log_all(&mut self, changes: &[(Topic, Uuid, Change)]) -> Result<(), StorageError> {
        let texts: Vec<(String, String)> = changes
            .iter()
            .map(|(_, subject, change)| (subject.to_string(), to_json(change)))
            .collect();
        let rows: Vec<[&str; 6]> = changes
            .iter()
            .zip(&texts)
            .map(|((topic, _, logged), (subject, change))| {
                // A change the server orders goes back to its sender too.
                let sender = if rules::ordered_by_the_server(logged) {
                    EVERY_DEVICE
                } else {
                    self.device.as_str()
                };
                [
                    self.organisation.as_str(),
                    topic.as_str(),
                    subject,
                    change,
                    sender,
                    self.received_at.as_str(),
                ]
            })
            .collect();
        insert_rows(
            self.connection,
            self.dialect,
            "INSERT INTO changes (organisation, topic, subject, change, device, received_at)",
            &rows,
            "",
        )
        .await?;
        Ok(())
    }

    async fn log(&mut self, topic: Topic, subject: Uuid, change: &Change) -> Result<(), StorageError> {
        self.log_all(&[(topic, subject, change.clone())]).await
    }

    /// False when an append-only record with this id was already received (e.g. the same backup
    /// imported on two devices queues it twice, under two mutation ids).
    async fn first_record(&mut self, id: Uuid) -> Result<bool, StorageError> {
        let inserted = sqlx::query(
            "INSERT INTO changes_records (organisation, id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(id.to_string())
        .execute(&mut *self.connection)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn remember_canonical(&mut self, mutation: &Mutation, canonical: Uuid) -> Result<(), StorageError> {
        sqlx::query("UPDATE mutations SET canonical = $1 WHERE organisation = $2 AND id = $3")
            .bind(canonical.to_string())
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(())
    }

    /// Events logged for `alias` before it was found a duplicate (an event can overtake its
    /// check-in, as when the check-in was refused once for its clock) go to the end of the log
    /// aimed at `canonical`, as spor-core's rule has it, so phones that never held the alias
    /// count them. They keep the device that sent them.
    async fn reaim_logged_events(
        &mut self,
        alias: AttendanceId,
        canonical: AttendanceId,
    ) -> Result<(), StorageError> {
        let logged = sqlx::query(
            "SELECT seq, change, device, received_at FROM changes \
             WHERE organisation = $1 AND topic = $2 AND subject = $3 ORDER BY seq",
        )
        .bind(&self.organisation)
        .bind(Topic::Attendance.as_str())
        .bind(alias.0.to_string())
        .fetch_all(&mut *self.connection)
        .await?;
        for row in logged {
            let Change::AttendanceEvent { event } =
                serde_json::from_str(row.get("change")).map_err(|_| StorageError::Corrupt("change"))?
            else {
                continue;
            };
            let event = rules::attendance::event_for(&event, Some(canonical));
            sqlx::query("DELETE FROM changes WHERE seq = $1")
                .bind(row.get::<i64, _>("seq"))
                .execute(&mut *self.connection)
                .await?;
            sqlx::query(
                "INSERT INTO changes (organisation, topic, subject, change, device, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&self.organisation)
            .bind(Topic::Attendance.as_str())
            .bind(canonical.0.to_string())
            .bind(to_json(&Change::AttendanceEvent { event }))
            .bind(row.get::<String, _>("device"))
            .bind(row.get::<String, _>("received_at"))
            .execute(&mut *self.connection)
            .await?;
        }
        Ok(())
    }

    /// The check-in stored under `check_in`'s id, or else of `counts_for` at its occurrence.
    async fn stored_check_in(
        &mut self,
        check_in: &Attendance,
        counts_for: ParticipantId,
    ) -> Result<Option<AttendanceId>, StorageError> {
        let stored: Option<String> = sqlx::query_scalar(
            "SELECT id FROM attendance WHERE organisation = $1 AND \
             (id = $2 OR (participant = $3 AND activity = $4 AND date = $5)) \
             ORDER BY id = $2 DESC LIMIT 1",
        )
        .bind(&self.organisation)
        .bind(check_in.id.0.to_string())
        .bind(counts_for.0.to_string())
        .bind(check_in.activity.0.to_string())
        .bind(check_in.date.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        stored.as_deref().map(attendance_id).transpose()
    }

    /// The check-in `attendance` was folded into, if it was.
    async fn attendance_alias(&mut self, attendance: Uuid) -> Result<Option<AttendanceId>, StorageError> {
        let canonical: Option<String> = sqlx::query_scalar(
            "SELECT canonical FROM attendance_aliases WHERE organisation = $1 AND alias = $2",
        )
        .bind(&self.organisation)
        .bind(attendance.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        canonical.as_deref().map(attendance_id).transpose()
    }

    /// The participant a check-in counts for: whom `participant` is now, through every merge.
    async fn current_participant(
        &mut self,
        participant: ParticipantId,
    ) -> Result<ParticipantId, StorageError> {
        if !self.merges_exist {
            return Ok(participant);
        }
        let merges = self.merges().await?;
        Ok(rules::merges::current(participant, |who| {
            merges.get(&who).copied()
        }))
    }

    async fn is_erased(&mut self, participant: ParticipantId) -> Result<bool, StorageError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM erased_participants WHERE organisation = $1 AND participant = $2",
        )
        .bind(&self.organisation)
        .bind(participant.0.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        Ok(found.is_some())
    }

    /// A version of a custom template, as it was synced (the field `v<version>` of the template).
    async fn template_version(
        &mut self,
        template: spor_core::ids::TemplateId,
        version: u32,
    ) -> Result<Option<SurveyTemplate>, StorageError> {
        let value: Option<String> = sqlx::query_scalar(
            "SELECT value FROM entity_fields WHERE organisation = $1 AND kind = $2 AND id = $3 AND field = $4",
        )
        .bind(&self.organisation)
        .bind(kind_name(EntityKind::Template))
        .bind(template.0.to_string())
        .bind(format!("v{version}"))
        .fetch_optional(&mut *self.connection)
        .await?;
        Ok(value.and_then(|value| serde_json::from_str(&value).ok()))
    }

    /// A run of patches (a sync's first push carries one per participant) in a few statements:
    /// the stored fields and tombstones of every entity in the run are read at once, each patch is
    /// decided in order against them, and the winners, overwritten values and log entries are
    /// written in multi-row statements.
    ///
    /// Per field, the write with the highest stamp wins; the loser goes to the conflict log. Only
    /// the winning fields are logged for pulling, so each field's log is in stamp order.
    async fn apply_patches(&mut self, run: &[Mutation]) -> Result<Vec<Outcome>, StorageError> {
        let first_time = self.record_mutations(run).await?;
        let entities: BTreeSet<String> = run
            .iter()
            .filter_map(|mutation| match &mutation.change {
                Change::Patch { entity, .. } => Some(entity.id.to_string()),
                _ => None,
            })
            .collect();
        let ids: Vec<&str> = entities.iter().map(String::as_str).collect();
        let mut stored = self.stored_entities(&ids).await?;
        let erased = self.erased_among(&ids).await?;

        let mut outcomes = Vec::with_capacity(run.len());
        let mut written: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
        let mut lost: Vec<[String; 5]> = Vec::new();
        let mut logged: Vec<(Topic, Uuid, Change)> = Vec::new();
        for (mutation, first) in run.iter().zip(first_time) {
            let Change::Patch { entity, fields } = &mutation.change else {
                unreachable!("a run holds patches only")
            };
            if !first {
                outcomes.push(self.known_mutation(mutation).await?);
                continue;
            }
            let id = entity.id.to_string();
            if let Err(reason) =
                rules::erasure::check_patch_target(*entity, |who| erased.contains(&who.0.to_string()))
            {
                outcomes.push(self.refuse(mutation, reason).await?);
                continue;
            }
            let kind = kind_name(entity.kind);
            let state = stored.entry((kind.clone(), id.clone())).or_default();
            let mut winners = BTreeMap::new();
            for (field, incoming) in fields {
                let incoming_key = stamp_key(&incoming.stamp);
                let value = to_json(&incoming.value);
                let conflict = |value: &str, stamp: &str| {
                    [
                        kind.clone(),
                        id.clone(),
                        field.clone(),
                        value.to_owned(),
                        stamp.to_owned(),
                    ]
                };
                let current = state.fields.get(field);
                match rules::fields::decide_field(
                    current.map(|(_, stamp)| stamp),
                    state.tombstone.as_ref(),
                    &incoming_key,
                ) {
                    FieldDecision::Unchanged => {}
                    FieldDecision::Lost => lost.push(conflict(&value, &incoming_key)),
                    FieldDecision::Applied => {
                        if let Some((overwritten, overwritten_key)) = current
                            && *overwritten != value
                        {
                            lost.push(conflict(overwritten, overwritten_key));
                        }
                        written.insert(
                            (kind.clone(), id.clone(), field.clone()),
                            (value.clone(), incoming_key.clone()),
                        );
                        state.fields.insert(field.clone(), (value, incoming_key));
                        winners.insert(field.clone(), incoming.clone());
                    }
                }
            }
            if winners.is_empty() && !fields.is_empty() {
                outcomes.push(Outcome::Conflict { canonical: entity.id });
                continue;
            }
            let change = Change::Patch {
                entity: *entity,
                fields: winners,
            };
            logged.push((entity.kind.into(), entity.id, change));
            outcomes.push(Outcome::Applied);
        }

        let upserts: Vec<[&str; 6]> = written
            .iter()
            .map(|((kind, id, field), (value, stamp))| {
                [self.organisation.as_str(), kind, id, field, value, stamp]
            })
            .collect();
        insert_rows(
            self.connection,
            self.dialect,
            "INSERT INTO entity_fields (organisation, kind, id, field, value, stamp)",
            &upserts,
            "ON CONFLICT (organisation, kind, id, field) DO UPDATE SET value = excluded.value, stamp = excluded.stamp",
        )
        .await?;
        let conflicts: Vec<[&str; 7]> = lost
            .iter()
            .map(|[kind, id, field, value, stamp]| {
                [
                    self.organisation.as_str(),
                    kind,
                    id,
                    field,
                    value,
                    stamp,
                    &self.received_at,
                ]
            })
            .collect();
        insert_rows(
            self.connection,
            self.dialect,
            "INSERT INTO conflicts (organisation, kind, id, field, value, stamp, logged_at)",
            &conflicts,
            "",
        )
        .await?;
        self.log_all(&logged).await?;
        Ok(outcomes)
    }

    /// The tombstones and stored fields of the entities with these ids, by (kind, id).
    async fn stored_entities(
        &mut self,
        ids: &[&str],
    ) -> Result<HashMap<(String, String), StoredEntity>, StorageError> {
        let mut entities: HashMap<(String, String), StoredEntity> = HashMap::new();
        for row in self
            .rows_among("SELECT kind, id, stamp FROM tombstones", "id", ids)
            .await?
        {
            entities
                .entry((row.get("kind"), row.get("id")))
                .or_default()
                .tombstone = Some(row.get("stamp"));
        }
        for row in self
            .rows_among(
                "SELECT kind, id, field, value, stamp FROM entity_fields",
                "id",
                ids,
            )
            .await?
        {
            entities
                .entry((row.get("kind"), row.get("id")))
                .or_default()
                .fields
                .insert(row.get("field"), (row.get("value"), row.get("stamp")));
        }
        Ok(entities)
    }

    /// Which of these ids are erased participants.
    async fn erased_among(&mut self, ids: &[&str]) -> Result<HashSet<String>, StorageError> {
        let rows = self
            .rows_among("SELECT participant FROM erased_participants", "participant", ids)
            .await?;
        Ok(rows.iter().map(|row| row.get("participant")).collect())
    }

    /// The rows `select` finds in this organisation whose `column` is one of `ids`.
    async fn rows_among(
        &mut self,
        select: &str,
        column: &str,
        ids: &[&str],
    ) -> Result<Vec<AnyRow>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let query = format!(
            "{select} WHERE organisation = {} AND {column} IN ({})",
            self.dialect.placeholders(1, 1),
            self.dialect.placeholders(2, ids.len())
        );
        Ok(ids
            .iter()
            .fold(sqlx::query(&query).bind(&self.organisation), |query, id| {
                query.bind(*id)
            })
            .fetch_all(&mut *self.connection)
            .await?)
    }

    /// Erasure that really erases: the participant's fields, overwritten values and logged patches
    /// go; linked survey answers are unlinked; attendance stays under the bare id, as counts. It
    /// reaches everyone merged into the participant too (spor-core's `erasure_reach`), and what
    /// becomes of each logged change is spor-core's `scrub`.
    async fn erase(&mut self, participant: ParticipantId) -> Result<(), StorageError> {
        self.erased = true;
        let merges = self.merges().await?;
        let reached =
            rules::erasure::erasure_reach(participant, merges.iter().map(|(merged, into)| (*merged, *into)));
        for person in &reached {
            self.erase_one(*person, &reached).await?;
        }
        Ok(())
    }

    /// Every merge of the organisation, merged → into, read once per push when first needed.
    async fn merges(&mut self) -> Result<&BTreeMap<ParticipantId, ParticipantId>, StorageError> {
        if self.merges.is_none() {
            let rows = sqlx::query(
                "SELECT merged, into_participant FROM participant_merges WHERE organisation = $1",
            )
            .bind(&self.organisation)
            .fetch_all(&mut *self.connection)
            .await?;
            let merges = rows
                .iter()
                .map(|row| {
                    Ok((
                        ParticipantId(parse_uuid(row.get("merged"), "participant id")?),
                        ParticipantId(parse_uuid(row.get("into_participant"), "participant id")?),
                    ))
                })
                .collect::<Result<_, StorageError>>()?;
            self.merges = Some(merges);
        }
        Ok(self.merges.get_or_insert_default())
    }

    async fn erase_one(
        &mut self,
        participant: ParticipantId,
        reached: &BTreeSet<ParticipantId>,
    ) -> Result<(), StorageError> {
        let id = participant.0.to_string();
        let kind = kind_name(EntityKind::Participant);
        sqlx::query("INSERT INTO erased_participants (organisation, participant) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&self.organisation)
            .bind(&id)
            .execute(&mut *self.connection)
            .await?;
        for table in ["entity_fields", "conflicts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE organisation = $1 AND kind = $2 AND id = $3"
            ))
            .bind(&self.organisation)
            .bind(&kind)
            .bind(&id)
            .execute(&mut *self.connection)
            .await?;
        }
        let logged =
            sqlx::query("SELECT seq, topic, change FROM changes WHERE organisation = $1 AND subject = $2")
                .bind(&self.organisation)
                .bind(&id)
                .fetch_all(&mut *self.connection)
                .await?;
        for row in logged {
            let seq: i64 = row.get("seq");
            let change: Change =
                serde_json::from_str(row.get("change")).map_err(|_| StorageError::Corrupt("change"))?;
            match rules::erasure::scrub(&change, reached) {
                Scrub::Keep => {}
                Scrub::Drop => {
                    sqlx::query("DELETE FROM changes WHERE seq = $1")
                        .bind(seq)
                        .execute(&mut *self.connection)
                        .await?;
                }
                Scrub::Rewrite(change) => {
                    // No longer filed under the person: it is nobody's now.
                    let subject = match &change {
                        Change::SurveyResponse { response } => response.id.0.to_string(),
                        _ => id.clone(),
                    };
                    sqlx::query("UPDATE changes SET change = $1, subject = $2 WHERE seq = $3")
                        .bind(to_json(&change))
                        .bind(subject)
                        .bind(seq)
                        .execute(&mut *self.connection)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// `merged` points to `into` from now on: its check-ins move, and where both were checked in at
    /// one occurrence the kept one's stands and the other becomes its alias.
    /// Keeps that `merged` became `into`, as the merge names it.
    async fn record_merge(&mut self, merged: ParticipantId, into: ParticipantId) -> Result<(), StorageError> {
        self.merges_exist = true;
        if let Some(merges) = &mut self.merges {
            merges.insert(merged, into);
        }
        sqlx::query(
            "INSERT INTO participant_merges (organisation, merged, into_participant) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(merged.0.to_string())
        .bind(into.0.to_string())
        .execute(&mut *self.connection)
        .await?;
        Ok(())
    }

    /// Carries out a merge as spor-core decides it; answers the problem when it refuses it (the
    /// person was merged away already).
    async fn merge(
        &mut self,
        merged: ParticipantId,
        into: ParticipantId,
    ) -> Result<Result<(), Problem>, StorageError> {
        let merges = self.merges().await?;
        let kept = match rules::merges::decide_merge(merged, into, |who| merges.get(&who).copied()) {
            Ok(MergeDecision::Join { kept }) => {
                self.record_merge(merged, into).await?;
                kept
            }
            Ok(MergeDecision::Again { kept }) => kept,
            Ok(MergeDecision::AlreadyOne) => return Ok(Ok(())),
            Err(problem) => return Ok(Err(problem)),
        };
        if let Some(erased) = rules::erasure::erased_by_merge(merged, self.is_erased(into).await?) {
            self.erase(erased).await?;
        }
        let moving = sqlx::query(
            "SELECT id, activity, date FROM attendance WHERE organisation = $1 AND participant = $2",
        )
        .bind(&self.organisation)
        .bind(merged.0.to_string())
        .fetch_all(&mut *self.connection)
        .await?;
        for row in moving {
            let check_in = attendance_id(row.get("id"))?;
            let (activity, date): (String, String) = (row.get("activity"), row.get("date"));
            let kept_there: Option<String> = sqlx::query_scalar(
                "SELECT id FROM attendance WHERE organisation = $1 AND participant = $2 AND activity = $3 AND date = $4",
            )
            .bind(&self.organisation)
            .bind(kept.0.to_string())
            .bind(&activity)
            .bind(&date)
            .fetch_optional(&mut *self.connection)
            .await?;
            let kept_there = kept_there.as_deref().map(attendance_id).transpose()?;
            match rules::attendance::merged_check_in(check_in, kept, kept_there) {
                MergedCheckIn::Move { check_in, to } => {
                    sqlx::query("UPDATE attendance SET participant = $1 WHERE organisation = $2 AND id = $3")
                        .bind(to.0.to_string())
                        .bind(&self.organisation)
                        .bind(check_in.0.to_string())
                        .execute(&mut *self.connection)
                        .await?;
                }
                MergedCheckIn::Fold(fold) => self.fold_check_in(fold).await?,
            }
        }
        Ok(Ok(()))
    }

    /// Carries out a fold of one check-in into another: the copy goes, and its id and every alias
    /// of it name the one that stays.
    async fn fold_check_in(&mut self, fold: Fold) -> Result<(), StorageError> {
        let (copy, into) = (fold.copy.0.to_string(), fold.into.0.to_string());
        sqlx::query("DELETE FROM attendance WHERE organisation = $1 AND id = $2")
            .bind(&self.organisation)
            .bind(&copy)
            .execute(&mut *self.connection)
            .await?;
        sqlx::query(
            "UPDATE attendance_aliases SET canonical = $1 WHERE organisation = $2 AND canonical = $3",
        )
        .bind(&into)
        .bind(&self.organisation)
        .bind(&copy)
        .execute(&mut *self.connection)
        .await?;
        sqlx::query(
            "INSERT INTO attendance_aliases (organisation, alias, canonical) VALUES ($1, $2, $3) \
             ON CONFLICT (organisation, alias) DO UPDATE SET canonical = excluded.canonical",
        )
        .bind(&self.organisation)
        .bind(&copy)
        .bind(&into)
        .execute(&mut *self.connection)
        .await?;
        Ok(())
    }
}

/// What is stored of one entity, as a push decides its patches.
#[derive(Default)]
struct StoredEntity {
    /// The stamp of its deletion, if it was deleted.
    tombstone: Option<String>,
    /// Per field: the value (JSON) and its stamp.
    fields: HashMap<String, (String, String)>,
}

/// Deletes the pairing codes that expired by `now`: nothing needs them, and a code not kept cannot
/// be guessed from a copy of the database.
async fn delete_expired_codes(
    connection: &mut AnyConnection,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM pairing_codes WHERE expires_at <= $1")
        .bind(timestamp(now))
        .execute(connection)
        .await?;
    Ok(())
}

/// A stamp as text that sorts as the stamps do: wall time, counter, then device id (all fixed width).
fn stamp_key(stamp: &Hlc) -> String {
    format!("{:020}.{:010}.{}", stamp.wall_ms, stamp.counter, stamp.device.0)
}
