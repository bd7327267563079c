//! A push: one transaction per push, in which each mutation is decided by spor-core's rules and
//! carried out, and the change log written for pulling.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use spor_core::access::Topic;
use spor_core::ids::{DeviceId, OrganisationId, ParticipantId};
use spor_core::instruments::Instrument;
use spor_core::rules;
use spor_core::rules::fields::FieldDecision;
use spor_core::survey::SurveyTemplate;
use spor_core::sync::{Change, EntityKind, Mutation, MutationResult, Outcome, RejectReason};
use spor_core::validation::Context;
use sqlx::{AnyConnection, Connection};
use uuid::Uuid;

use super::{
    Backend, Database, Dialect, EVERY_DEVICE, insert_returning_ids, insert_rows, kind_name, parse_uuid,
    stamp_key, timestamp, to_json,
};
use crate::storage::StorageError;

pub(super) async fn push(
    db: &Database,
    organisation: OrganisationId,
    device: DeviceId,
    mutations: Vec<Mutation>,
    now: DateTime<Utc>,
) -> Result<Vec<MutationResult>, StorageError> {
    let mut writer = db.writer().await?;
    let mut transaction = writer.begin().await?;
    if let Backend::Postgres { .. } = &*db.backend {
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
        dialect: db.dialect(),
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
        let scrub = match &*db.backend {
            // The write-ahead log still holds the pages as they were before the erasure: copy
            // the erased pages into the database and empty the log.
            Backend::Sqlite { .. } => "PRAGMA wal_checkpoint(TRUNCATE)",
            // Deleted rows stay in the table files until a vacuum removes them.
            Backend::Postgres { .. } => "VACUUM entity_fields, conflicts, changes",
        };
        sqlx::raw_sql(scrub).execute(&db.pool).await?;
    }
    Ok(results)
}

/// One push's transaction: applies mutations one by one and answers each.
pub(super) struct Push<'a> {
    pub(super) connection: &'a mut AnyConnection,
    pub(super) organisation: String,
    pub(super) device: String,
    pub(super) received_at: String,
    /// Whether any participant of the organisation was merged: most never are, and then a check-in
    /// needs no lookup.
    pub(super) merges_exist: bool,
    /// The organisation's merges, once read (see `merges`).
    pub(super) merges: Option<BTreeMap<ParticipantId, ParticipantId>>,
    /// The server's date, for checking answers against custom templates.
    pub(super) context: Context,
    pub(super) dialect: Dialect,
    /// Whether this push erased anyone (by an erasure, or a merge into someone erased): the
    /// database is then scrubbed of the old pages once the push is committed.
    pub(super) erased: bool,
}

impl Push<'_> {
    /// Records the ids of `run` as received: per mutation, whether this is the first time its id
    /// is seen (a repeat inside the run is not).
    pub(super) async fn record_mutations(&mut self, run: &[Mutation]) -> Result<Vec<bool>, StorageError> {
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
    pub(super) async fn known_mutation(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
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

    pub(super) async fn apply(&mut self, mutation: &Mutation) -> Result<Outcome, StorageError> {
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
    pub(super) async fn refuse(
        &mut self,
        mutation: &Mutation,
        reason: RejectReason,
    ) -> Result<Outcome, StorageError> {
        sqlx::query("DELETE FROM mutations WHERE organisation = $1 AND id = $2")
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(Outcome::Rejected { reason })
    }

    /// Logs changes for pulling, in this order (so pull order follows push order).
    pub(super) async fn log_all(&mut self, changes: &[(Topic, Uuid, Change)]) -> Result<(), StorageError> {
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

    pub(super) async fn log(
        &mut self,
        topic: Topic,
        subject: Uuid,
        change: &Change,
    ) -> Result<(), StorageError> {
        self.log_all(&[(topic, subject, change.clone())]).await
    }

    /// False when an append-only record with this id was already received (e.g. the same backup
    /// imported on two devices queues it twice, under two mutation ids).
    pub(super) async fn first_record(&mut self, id: Uuid) -> Result<bool, StorageError> {
        let inserted = sqlx::query(
            "INSERT INTO changes_records (organisation, id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&self.organisation)
        .bind(id.to_string())
        .execute(&mut *self.connection)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    pub(super) async fn remember_canonical(
        &mut self,
        mutation: &Mutation,
        canonical: Uuid,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE mutations SET canonical = $1 WHERE organisation = $2 AND id = $3")
            .bind(canonical.to_string())
            .bind(&self.organisation)
            .bind(mutation.id.0.to_string())
            .execute(&mut *self.connection)
            .await?;
        Ok(())
    }

    /// A version of a custom template, as it was synced (the field `v<version>` of the template).
    pub(super) async fn template_version(
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
        .bind(spor_core::rules::patch::template_version_field(version))
        .fetch_optional(&mut *self.connection)
        .await?;
        Ok(value.and_then(|value| serde_json::from_str(&value).ok()))
    }
}
