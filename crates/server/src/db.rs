//! The SQLite storage: one file in the data directory, WAL mode, migrations embedded and run at start.
//!
//! SQLite has one writer at a time; writes take [`Database::writer`] first, so concurrent pushes
//! queue in the server instead of failing with `SQLITE_BUSY`, and each push is one transaction.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use spor_core::access::{DeviceRole, Topic};
use spor_core::attendance::Attendance;
use spor_core::hlc::Hlc;
use spor_core::ids::{DeviceId, OrganisationId, ParticipantId};
use spor_core::instruments::Instrument;
use spor_core::protocol::DeviceInfo;
use spor_core::survey::SurveyTemplate;
use spor_core::sync::{
    Change, EntityKind, EntityRef, Mutation, MutationResult, Outcome, PullResponse, PulledChange,
    RejectReason, Stamped,
};
use spor_core::validation::{Context, Problem};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::error::ServeError;
use crate::storage::{DeviceRecord, NewDevice, NewPairingCode, Paired, PullError, Storage, StorageError};

pub const DATABASE_FILE: &str = "spor.sqlite3";

#[derive(Clone)]
pub struct Database {
    pool: SqlitePool,
    path: Arc<PathBuf>,
    writer: Arc<Mutex<()>>,
}

impl Database {
    /// Opens `spor.sqlite3` in `data_dir`, creating the directory and the file on first start.
    pub async fn open_in(data_dir: &Path) -> Result<Database, ServeError> {
        std::fs::create_dir_all(data_dir).map_err(|source| ServeError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Records cannot be collected again: every commit reaches the disk before it is acknowledged.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // An erased name is overwritten in the file, not just unlinked from it.
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| ServeError::Database {
                path: path.clone(),
                source,
            })?;
        sqlx::migrate!()
            .run(&pool)
            .await
            .map_err(|source| ServeError::Migrate {
                path: path.clone(),
                source,
            })?;
        Ok(Database {
            pool,
            path: Arc::new(path),
            writer: Arc::new(Mutex::new(())),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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

    async fn create_organisation(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OrganisationId, StorageError> {
        let id = OrganisationId(Uuid::now_v7());
        let _writer = self.writer.lock().await;
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)")
            .bind(id.0.to_string())
            .bind(name)
            .bind(timestamp(now))
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    async fn add_pairing_code(&self, code: NewPairingCode) -> Result<(), StorageError> {
        let _writer = self.writer.lock().await;
        sqlx::query(
            "INSERT INTO pairing_codes (code_hash, organisation, role, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(code.code_hash)
        .bind(code.organisation.0.to_string())
        .bind(code.role.as_str())
        .bind(timestamp(code.expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn redeem_pairing_code(
        &self,
        code_hash: &[u8],
        device: NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Option<Paired>, StorageError> {
        let _writer = self.writer.lock().await;
        let mut transaction = self.pool.begin().await?;
        // Used and expired codes are left out by the update itself: one statement, no race.
        let Some(row) = sqlx::query(
            "UPDATE pairing_codes SET used_at = ?1 \
             WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1 \
             RETURNING organisation, role",
        )
        .bind(timestamp(now))
        .bind(code_hash)
        .fetch_optional(&mut *transaction)
        .await?
        else {
            return Ok(None);
        };
        let organisation: String = row.get("organisation");
        let role = DeviceRole::parse(row.get("role")).ok_or(StorageError::Corrupt("device role"))?;
        let organisation_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = ?")
            .bind(&organisation)
            .fetch_one(&mut *transaction)
            .await?;
        sqlx::query(
            "INSERT INTO devices (id, organisation, role, name, secret_hash, paired_at) VALUES (?, ?, ?, ?, ?, ?)",
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

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StorageError> {
        let Some(row) =
            sqlx::query("SELECT organisation, role, secret_hash, revoked_at FROM devices WHERE id = ?")
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
        let _writer = self.writer.lock().await;
        sqlx::query("UPDATE devices SET last_seen_at = ? WHERE id = ?")
            .bind(timestamp(now))
            .bind(id.0.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn devices(&self, organisation: OrganisationId) -> Result<Vec<DeviceInfo>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, name, role, paired_at, last_seen_at, revoked_at FROM devices \
             WHERE organisation = ? ORDER BY paired_at",
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
        let _writer = self.writer.lock().await;
        let revoked = sqlx::query(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND organisation = ?",
        )
        .bind(timestamp(now))
        .bind(device.0.to_string())
        .bind(organisation.0.to_string())
        .execute(&self.pool)
        .await?;
        Ok(revoked.rows_affected() == 1)
    }

    async fn push(
        &self,
        organisation: OrganisationId,
        device: DeviceId,
        mutations: Vec<Mutation>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MutationResult>, StorageError> {
        let _writer = self.writer.lock().await;
        let mut transaction = self.pool.begin().await?;
        let merges_exist: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM participant_merges WHERE organisation = ?)")
                .bind(organisation.0.to_string())
                .fetch_one(&mut *transaction)
                .await?;
        let mut push = Push {
            connection: &mut transaction,
            organisation: organisation.0.to_string(),
            device: device.0.to_string(),
            received_at: timestamp(now),
            merges_exist,
            context: Context {
                today: now.date_naive(),
            },
        };
        let mut results = Vec::with_capacity(mutations.len());
        let erases = mutations
            .iter()
            .any(|mutation| matches!(mutation.change, Change::EraseParticipant { .. }));
        // Runs of check-ins (the bulk of any sync) go in a few multi-row statements; everything
        // else one by one, in order.
        let mut rest = &mutations[..];
        while !rest.is_empty() {
            let run = rest
                .iter()
                .take_while(|mutation| matches!(mutation.change, Change::CheckIn { .. }))
                .count();
            if run > 1 && !push.merges_exist {
                let outcomes = push.apply_check_ins(&rest[..run]).await?;
                results.extend(
                    rest[..run]
                        .iter()
                        .zip(outcomes)
                        .map(|(mutation, outcome)| MutationResult {
                            id: mutation.id,
                            outcome,
                        }),
                );
                rest = &rest[run..];
            } else {
                let outcome = push.apply(&rest[0]).await?;
                results.push(MutationResult {
                    id: rest[0].id,
                    outcome,
                });
                rest = &rest[1..];
            }
        }
        transaction.commit().await?;
        if erases {
            // The write-ahead log still holds the pages as they were before the erasure: copy the
            // erased pages into the database and empty the log.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
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
        let newest: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'changes'")
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
        let query = format!(
            "SELECT seq, change FROM changes \
             WHERE organisation = ? AND seq > ? AND device != ? AND topic IN ({topic_list}) ORDER BY seq LIMIT ?"
        );
        let rows = sqlx::query(&query)
            .bind(organisation.0.to_string())
            .bind(since as i64)
            .bind(device.0.to_string())
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(StorageError::from)?;
        let has_more = rows.len() > limit as usize;
        let changes = rows
            .iter()
            .take(limit as usize)
            .map(|row| {
                let change: String = row.get("change");
                Ok(PulledChange {
                    seq: row.get::<i64, _>("seq") as u64,
                    change: serde_json::from_str(&change).map_err(|_| StorageError::Corrupt("change"))?,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        let cursor = changes.last().map_or(since, |change| change.seq);
        Ok(PullResponse {
            changes,
            cursor,
            has_more,
        })
    }

    async fn backup_to(&self, target: &Path) -> Result<(), StorageError> {
        sqlx::query("VACUUM INTO ?")
            .bind(target.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// One push's transaction: applies mutations one by one and answers each.
struct Push<'a> {
    connection: &'a mut SqliteConnection,
    organisation: String,
    device: String,
    received_at: String,
    /// Whether any participant of the organisation was merged: most never are, and then a check-in
    /// needs no lookup.
    merges_exist: bool,
    /// The server's date, for checking answers against custom templates.
    context: Context,
}

impl Push<'_> {
    /// A run of check-ins, in an organisation without merges: new mutation ids and new attendance
    /// in one statement each, then the change log; the few duplicates take the one-by-one path.
    async fn apply_check_ins(&mut self, run: &[Mutation]) -> Result<Vec<Outcome>, StorageError> {
        let rows =
            |columns: usize| vec![format!("({})", vec!["?"; columns].join(", ")); run.len()].join(", ");
        let query = format!(
            "INSERT INTO mutations (organisation, id, device, received_at) VALUES {} ON CONFLICT DO NOTHING RETURNING id",
            rows(4)
        );
        let mut insert = sqlx::query_scalar::<_, String>(&query);
        for mutation in run {
            insert = insert
                .bind(&self.organisation)
                .bind(mutation.id.0.to_string())
                .bind(&self.device)
                .bind(&self.received_at);
        }
        let first_time: HashSet<String> = insert
            .fetch_all(&mut *self.connection)
            .await?
            .into_iter()
            .collect();
        let fresh: Vec<&Attendance> = run
            .iter()
            .filter(|mutation| first_time.contains(&mutation.id.0.to_string()))
            .filter_map(|mutation| match &mutation.change {
                Change::CheckIn { attendance } => Some(attendance),
                _ => None,
            })
            .collect();
        let mut inserted = HashSet::new();
        if !fresh.is_empty() {
            let query = format!(
                "INSERT INTO attendance (organisation, id, participant, activity, date) VALUES {} \
                 ON CONFLICT DO NOTHING RETURNING id",
                vec!["(?, ?, ?, ?, ?)"; fresh.len()].join(", ")
            );
            let mut insert = sqlx::query_scalar::<_, String>(&query);
            for attendance in &fresh {
                insert = insert
                    .bind(&self.organisation)
                    .bind(attendance.id.0.to_string())
                    .bind(attendance.participant.0.to_string())
                    .bind(attendance.activity.0.to_string())
                    .bind(attendance.date.to_string());
            }
            inserted = insert
                .fetch_all(&mut *self.connection)
                .await?
                .into_iter()
                .collect();
        }
        let logged: Vec<&Attendance> = fresh
            .iter()
            .copied()
            .filter(|attendance| inserted.contains(&attendance.id.0.to_string()))
            .collect();
        if !logged.is_empty() {
            // One row per check-in, in the order they were sent, so pull order follows push order.
            let query = format!(
                "INSERT INTO changes (organisation, topic, subject, change, device, received_at) VALUES {}",
                vec!["(?, ?, ?, ?, ?, ?)"; logged.len()].join(", ")
            );
            let mut insert = sqlx::query(&query);
            for attendance in &logged {
                let change = Change::CheckIn {
                    attendance: (*attendance).clone(),
                };
                insert = insert
                    .bind(&self.organisation)
                    .bind(Topic::Attendance.as_str())
                    .bind(attendance.id.0.to_string())
                    .bind(to_json(&change))
                    .bind(&self.device)
                    .bind(&self.received_at);
            }
            insert.execute(&mut *self.connection).await?;
        }
        let mut outcomes = Vec::with_capacity(run.len());
        for mutation in run {
            let Change::CheckIn { attendance } = &mutation.change else {
                unreachable!("a run holds check-ins only")
            };
            let outcome = if !first_time.contains(&mutation.id.0.to_string()) {
                self.known_mutation(mutation).await?
            } else if inserted.contains(&attendance.id.0.to_string()) {
                Outcome::Applied
            } else {
                self.duplicate_check_in(mutation, attendance).await?
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// The answer to a mutation id seen before: `duplicate`, with the canonical check-in if it had one.
    async fn known_mutation(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
        let canonical: Option<String> =
            sqlx::query_scalar("SELECT canonical FROM mutations WHERE organisation = ? AND id = ?")
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

    /// A check-in of a person already checked in at the occurrence (or the same record again): its
    /// id becomes an alias of the canonical one, and the answer names it.
    async fn duplicate_check_in(
        &mut self,
        mutation: &Mutation,
        attendance: &Attendance,
    ) -> Result<Outcome, StorageError> {
        let canonical = self.canonical_attendance(attendance).await?;
        if canonical != attendance.id.0 {
            sqlx::query(
                "INSERT INTO attendance_aliases (organisation, alias, canonical) VALUES (?, ?, ?) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&self.organisation)
            .bind(attendance.id.0.to_string())
            .bind(canonical.to_string())
            .execute(&mut *self.connection)
            .await?;
        }
        self.remember_canonical(mutation, canonical).await?;
        Ok(Outcome::Duplicate {
            canonical: Some(canonical),
        })
    }

    async fn apply(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
        let first_time = sqlx::query(
            "INSERT INTO mutations (organisation, id, device, received_at) VALUES (?, ?, ?, ?) \
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
            Change::CheckIn { attendance } => {
                let mut attendance = attendance.clone();
                attendance.participant = self.current_participant(attendance.participant).await?;
                let inserted = sqlx::query(
                    "INSERT INTO attendance (organisation, id, participant, activity, date) VALUES (?, ?, ?, ?, ?) \
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
                if inserted {
                    let subject = attendance.id.0;
                    self.log(Topic::Attendance, subject, &Change::CheckIn { attendance })
                        .await?;
                    Outcome::Applied
                } else {
                    self.duplicate_check_in(mutation, &attendance).await?
                }
            }
            Change::AttendanceEvent { event } => {
                if !self.first_record(event.id.0).await? {
                    return Ok(Outcome::Duplicate { canonical: None });
                }
                let mut event = event.clone();
                if let Some(canonical) = self.attendance_alias(event.attendance.0).await? {
                    event.attendance.0 = canonical;
                }
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
                let mut response = response.clone();
                if let Some(participant) = response.participant
                    && self.is_erased(participant).await?
                {
                    response.participant = None;
                }
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
            Change::Patch { entity, fields } => {
                if entity.kind == EntityKind::Participant && self.is_erased(ParticipantId(entity.id)).await? {
                    return self
                        .refuse(
                            mutation,
                            RejectReason::Invalid {
                                problems: vec![Problem::ErasedWithPersonalData],
                            },
                        )
                        .await;
                }
                self.patch(*entity, fields).await?
            }
            Change::Delete { entity, stamp } => {
                sqlx::query(
                    "INSERT INTO tombstones (organisation, kind, id, stamp) VALUES (?, ?, ?, ?) \
                     ON CONFLICT DO UPDATE SET stamp = excluded.stamp WHERE excluded.stamp > tombstones.stamp",
                )
                .bind(&self.organisation)
                .bind(kind_name(entity.kind))
                .bind(entity.id.to_string())
                .bind(stamp_key(stamp))
                .execute(&mut *self.connection)
                .await?;
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
                self.merge(*merged, *into).await?;
                self.merges_exist = true;
                self.log(Topic::Participant, merged.0, &mutation.change).await?;
                Outcome::Applied
            }
        };
        Ok(outcome)
    }

    /// A refused mutation is forgotten, so a retry is refused again with its reason instead of being
    /// answered `duplicate`.
    async fn refuse(&mut self, mutation: &Mutation, reason: RejectReason) -> Result<Outcome, StorageError> {
        sqlx::query("DELETE FROM mutations WHERE organisation = ? AND id = ?")
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(Outcome::Rejected { reason })
    }

    async fn log(&mut self, topic: Topic, subject: Uuid, change: &Change) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO changes (organisation, topic, subject, change, device, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&self.organisation)
        .bind(topic.as_str())
        .bind(subject.to_string())
        .bind(to_json(change))
        .bind(&self.device)
        .bind(&self.received_at)
        .execute(&mut *self.connection)
        .await?;
        Ok(())
    }

    /// False when an append-only record with this id was already received (e.g. the same backup
    /// imported on two devices queues it twice, under two mutation ids).
    async fn first_record(&mut self, id: Uuid) -> Result<bool, StorageError> {
        let inserted = sqlx::query(
            "INSERT INTO changes_records (organisation, id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(id.to_string())
        .execute(&mut *self.connection)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn remember_canonical(&mut self, mutation: &Mutation, canonical: Uuid) -> Result<(), StorageError> {
        sqlx::query("UPDATE mutations SET canonical = ? WHERE organisation = ? AND id = ?")
            .bind(canonical.to_string())
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(())
    }

    async fn canonical_attendance(
        &mut self,
        attendance: &spor_core::attendance::Attendance,
    ) -> Result<Uuid, StorageError> {
        // The same record again (same id), or another check-in of the person at the occurrence.
        let canonical: String = sqlx::query_scalar(
            "SELECT id FROM attendance WHERE organisation = ?1 AND \
             (id = ?2 OR (participant = ?3 AND activity = ?4 AND date = ?5)) \
             ORDER BY id = ?2 DESC LIMIT 1",
        )
        .bind(&self.organisation)
        .bind(attendance.id.0.to_string())
        .bind(attendance.participant.0.to_string())
        .bind(attendance.activity.0.to_string())
        .bind(attendance.date.to_string())
        .fetch_one(&mut *self.connection)
        .await?;
        parse_uuid(&canonical, "attendance id")
    }

    async fn attendance_alias(&mut self, attendance: Uuid) -> Result<Option<Uuid>, StorageError> {
        let canonical: Option<String> = sqlx::query_scalar(
            "SELECT canonical FROM attendance_aliases WHERE organisation = ? AND alias = ?",
        )
        .bind(&self.organisation)
        .bind(attendance.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        canonical
            .as_deref()
            .map(|id| parse_uuid(id, "attendance id"))
            .transpose()
    }

    /// The participant a check-in counts for: the kept one when `participant` was merged away.
    async fn current_participant(
        &mut self,
        participant: ParticipantId,
    ) -> Result<ParticipantId, StorageError> {
        if !self.merges_exist {
            return Ok(participant);
        }
        let into: Option<String> = sqlx::query_scalar(
            "SELECT into_participant FROM participant_merges WHERE organisation = ? AND merged = ?",
        )
        .bind(&self.organisation)
        .bind(participant.0.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        match into {
            Some(into) => Ok(ParticipantId(parse_uuid(&into, "participant id")?)),
            None => Ok(participant),
        }
    }

    async fn is_erased(&mut self, participant: ParticipantId) -> Result<bool, StorageError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM erased_participants WHERE organisation = ? AND participant = ?",
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
            "SELECT value FROM entity_fields WHERE organisation = ? AND kind = ? AND id = ? AND field = ?",
        )
        .bind(&self.organisation)
        .bind(kind_name(EntityKind::Template))
        .bind(template.0.to_string())
        .bind(format!("v{version}"))
        .fetch_optional(&mut *self.connection)
        .await?;
        Ok(value.and_then(|value| serde_json::from_str(&value).ok()))
    }

    /// Per field, the write with the highest stamp wins; the loser goes to the conflict log. Only
    /// the winning fields are logged for pulling, so each field's log is in stamp order.
    async fn patch(
        &mut self,
        entity: EntityRef,
        fields: &BTreeMap<String, Stamped>,
    ) -> Result<Outcome, StorageError> {
        let kind = kind_name(entity.kind);
        let id = entity.id.to_string();
        let tombstone: Option<String> =
            sqlx::query_scalar("SELECT stamp FROM tombstones WHERE organisation = ? AND kind = ? AND id = ?")
                .bind(&self.organisation)
                .bind(&kind)
                .bind(&id)
                .fetch_optional(&mut *self.connection)
                .await?;
        // Every stored field of the entity at once, and every winner in one statement: a sync's
        // first push carries a patch per participant, so statements per field would add up.
        let stored: BTreeMap<String, (String, String)> = sqlx::query(
            "SELECT field, value, stamp FROM entity_fields WHERE organisation = ? AND kind = ? AND id = ?",
        )
        .bind(&self.organisation)
        .bind(&kind)
        .bind(&id)
        .fetch_all(&mut *self.connection)
        .await?
        .into_iter()
        .map(|row| (row.get("field"), (row.get("value"), row.get("stamp"))))
        .collect();
        let mut winners = BTreeMap::new();
        let mut written: Vec<(&str, String, String)> = Vec::new();
        for (field, incoming) in fields {
            let incoming_key = stamp_key(&incoming.stamp);
            let value = to_json(&incoming.value);
            if tombstone.as_ref().is_some_and(|deleted| *deleted >= incoming_key) {
                self.log_conflict(&kind, &id, field, &value, &incoming_key)
                    .await?;
                continue;
            }
            match stored.get(field) {
                Some((_, current_key)) if *current_key == incoming_key => {}
                Some((_, current_key)) if *current_key > incoming_key => {
                    self.log_conflict(&kind, &id, field, &value, &incoming_key)
                        .await?;
                }
                current => {
                    if let Some((overwritten, overwritten_key)) = current
                        && *overwritten != value
                    {
                        self.log_conflict(&kind, &id, field, overwritten, overwritten_key)
                            .await?;
                    }
                    written.push((field, value, incoming_key));
                    winners.insert(field.clone(), incoming.clone());
                }
            }
        }
        if !written.is_empty() {
            let mut upsert = sqlx::QueryBuilder::new(
                "INSERT INTO entity_fields (organisation, kind, id, field, value, stamp) ",
            );
            upsert.push_values(&written, |mut row, (field, value, stamp)| {
                row.push_bind(&self.organisation)
                    .push_bind(&kind)
                    .push_bind(&id)
                    .push_bind(*field)
                    .push_bind(value)
                    .push_bind(stamp);
            });
            upsert.push(" ON CONFLICT DO UPDATE SET value = excluded.value, stamp = excluded.stamp");
            upsert.build().execute(&mut *self.connection).await?;
        }
        if winners.is_empty() && !fields.is_empty() {
            return Ok(Outcome::Conflict { canonical: entity.id });
        }
        let change = Change::Patch {
            entity,
            fields: winners,
        };
        self.log(entity.kind.into(), entity.id, &change).await?;
        Ok(Outcome::Applied)
    }

    async fn log_conflict(
        &mut self,
        kind: &str,
        id: &str,
        field: &str,
        value: &str,
        stamp: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO conflicts (organisation, kind, id, field, value, stamp, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&self.organisation)
        .bind(kind)
        .bind(id)
        .bind(field)
        .bind(value)
        .bind(stamp)
        .bind(&self.received_at)
        .execute(&mut *self.connection)
        .await?;
        Ok(())
    }

    /// Erasure that really erases: the participant's fields, overwritten values and logged patches
    /// go; linked survey answers are unlinked; attendance stays under the bare id, as counts.
    async fn erase(&mut self, participant: ParticipantId) -> Result<(), StorageError> {
        let id = participant.0.to_string();
        let kind = kind_name(EntityKind::Participant);
        sqlx::query("INSERT INTO erased_participants (organisation, participant) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(&self.organisation)
            .bind(&id)
            .execute(&mut *self.connection)
            .await?;
        for table in ["entity_fields", "conflicts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE organisation = ? AND kind = ? AND id = ?"
            ))
            .bind(&self.organisation)
            .bind(&kind)
            .bind(&id)
            .execute(&mut *self.connection)
            .await?;
        }
        let logged =
            sqlx::query("SELECT seq, topic, change FROM changes WHERE organisation = ? AND subject = ?")
                .bind(&self.organisation)
                .bind(&id)
                .fetch_all(&mut *self.connection)
                .await?;
        for row in logged {
            let seq: i64 = row.get("seq");
            let change: Change =
                serde_json::from_str(row.get("change")).map_err(|_| StorageError::Corrupt("change"))?;
            match change {
                Change::Patch { .. } => {
                    sqlx::query("DELETE FROM changes WHERE seq = ?")
                        .bind(seq)
                        .execute(&mut *self.connection)
                        .await?;
                }
                Change::SurveyResponse { mut response } => {
                    response.participant = None;
                    let subject = response.id.0.to_string();
                    sqlx::query("UPDATE changes SET change = ?, subject = ? WHERE seq = ?")
                        .bind(to_json(&Change::SurveyResponse { response }))
                        .bind(subject)
                        .bind(seq)
                        .execute(&mut *self.connection)
                        .await?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `merged` points to `into` from now on: its check-ins move, and where both were checked in at
    /// one occurrence the kept one's stands and the other becomes its alias.
    async fn merge(&mut self, merged: ParticipantId, into: ParticipantId) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO participant_merges (organisation, merged, into_participant) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(merged.0.to_string())
        .bind(into.0.to_string())
        .execute(&mut *self.connection)
        .await?;
        let moving = sqlx::query(
            "SELECT id, activity, date FROM attendance WHERE organisation = ? AND participant = ?",
        )
        .bind(&self.organisation)
        .bind(merged.0.to_string())
        .fetch_all(&mut *self.connection)
        .await?;
        for row in moving {
            let (id, activity, date): (String, String, String) =
                (row.get("id"), row.get("activity"), row.get("date"));
            let kept: Option<String> = sqlx::query_scalar(
                "SELECT id FROM attendance WHERE organisation = ? AND participant = ? AND activity = ? AND date = ?",
            )
            .bind(&self.organisation)
            .bind(into.0.to_string())
            .bind(&activity)
            .bind(&date)
            .fetch_optional(&mut *self.connection)
            .await?;
            match kept {
                Some(kept) => {
                    sqlx::query("DELETE FROM attendance WHERE organisation = ? AND id = ?")
                        .bind(&self.organisation)
                        .bind(&id)
                        .execute(&mut *self.connection)
                        .await?;
                    sqlx::query(
                        "INSERT INTO attendance_aliases (organisation, alias, canonical) VALUES (?, ?, ?) \
                         ON CONFLICT DO UPDATE SET canonical = excluded.canonical",
                    )
                    .bind(&self.organisation)
                    .bind(&id)
                    .bind(&kept)
                    .execute(&mut *self.connection)
                    .await?;
                }
                None => {
                    sqlx::query("UPDATE attendance SET participant = ? WHERE organisation = ? AND id = ?")
                        .bind(into.0.to_string())
                        .bind(&self.organisation)
                        .bind(&id)
                        .execute(&mut *self.connection)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// A stamp as text that sorts as the stamps do: wall time, counter, then device id (all fixed width).
fn stamp_key(stamp: &Hlc) -> String {
    format!("{:020}.{:010}.{}", stamp.wall_ms, stamp.counter, stamp.device.0)
}
