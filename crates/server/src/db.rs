//! The storage on SQL: SQLite (one file in the data directory, WAL mode; the default) or
//! PostgreSQL (for larger deployments). Both run the same statements through sqlx's `Any` driver;
//! what differs (connecting, migrations, locking, the newest sequence number, scrubbing after an
//! erasure, backups) is decided by [`Backend`].
//!
//! SQLite has one writer at a time; its writes take the backend's writer lock first, so concurrent
//! pushes queue in the server instead of failing with `SQLITE_BUSY`. PostgreSQL takes a lock per
//! organisation for each push instead, which also keeps an organisation's change log in commit
//! order, so a pull never passes a change that commits later with a lower sequence number.

use std::collections::HashSet;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use spor_core::access::Topic;
use spor_core::aggregate::{Received, Sending};
use spor_core::hlc::Hlc;
use spor_core::ids::{AttendanceId, DeviceId, OrganisationId};
use spor_core::protocol::{DeviceInfo, OpenPairingCode};
use spor_core::sync::{EntityKind, Mutation, MutationResult, PullResponse};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Executor, Row};
use tokio::sync::{Mutex, MutexGuard};
use uuid::Uuid;

use crate::error::ServeError;
use crate::storage::{DeviceRecord, NewDevice, NewPairingCode, Paired, PullError, Storage, StorageError};

mod aggregates;
mod attendance;
mod devices;
mod participants;
mod patches;
mod pull;
mod push;

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
        devices::organisations(self).await
    }

    async fn privacy_notice(
        &self,
        organisation: OrganisationId,
    ) -> Result<Option<(String, Option<String>)>, StorageError> {
        devices::privacy_notice(self, organisation).await
    }

    async fn create_organisation(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OrganisationId, StorageError> {
        devices::create_organisation(self, name, now).await
    }

    async fn add_pairing_code(&self, code: NewPairingCode) -> Result<(), StorageError> {
        devices::add_pairing_code(self, code).await
    }

    async fn redeem_pairing_code(
        &self,
        typed_code: &str,
        device: NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Option<Paired>, StorageError> {
        devices::redeem_pairing_code(self, typed_code, device, now).await
    }

    async fn open_pairing_codes(
        &self,
        organisation: OrganisationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<OpenPairingCode>, StorageError> {
        devices::open_pairing_codes(self, organisation, now).await
    }

    async fn cancel_pairing_code(
        &self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<bool, StorageError> {
        devices::cancel_pairing_code(self, organisation, id).await
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StorageError> {
        devices::device(self, id).await
    }

    async fn touch_device(&self, id: DeviceId, now: DateTime<Utc>) -> Result<(), StorageError> {
        devices::touch_device(self, id, now).await
    }

    async fn devices(&self, organisation: OrganisationId) -> Result<Vec<DeviceInfo>, StorageError> {
        devices::devices(self, organisation).await
    }

    async fn revoke_device(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        devices::revoke_device(self, organisation, device, now).await
    }

    async fn push(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        mutations: Vec<Mutation>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, StorageError> {
        push::push(self, organisation, device, mutations, now).await
    }

    async fn keep_figures(
        &self,
        from: OrganisationId,
        by: DeviceId,
        sending: &Sending,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        aggregates::keep(self, from, by, sending, now).await
    }

    async fn received_figures(&self, to: OrganisationId) -> Result<Vec<Received>, StorageError> {
        aggregates::received(self, to).await
    }

    async fn pull(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        topics: &[Topic],
        since: u64,
        limit: u32,
    ) -> Result<PullResponse, PullError> {
        pull::pull(self, organisation, device, topics, since, limit).await
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

/// A stamp as text that sorts as the stamps do: wall time, counter, then device id (all fixed width).
fn stamp_key(stamp: &Hlc) -> String {
    format!("{:020}.{:010}.{}", stamp.wall_ms, stamp.counter, stamp.device.0)
}
