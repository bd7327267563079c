//! Patches of mutable records in a push: per field the highest stamp wins, tombstones too.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use spor_core::access::Topic;
use spor_core::rules;
use spor_core::rules::fields::FieldDecision;
use spor_core::sync::{Change, EntityKind, Mutation, Outcome, RejectReason};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::push::Push;
use super::{insert_rows, kind_name, stamp_key, to_json};
use crate::storage::StorageError;

impl Push<'_> {
    /// A run of patches (a sync's first push carries one per participant) in a few statements:
    /// the stored fields and tombstones of every entity in the run are read at once, each patch is
    /// decided in order against them, and the winners, overwritten values and log entries are
    /// written in multi-row statements.
    ///
    /// Per field, the write with the highest stamp wins; the loser goes to the conflict log. Only
    /// the winning fields are logged for pulling, so each field's log is in stamp order.
    pub(super) async fn apply_patches(&mut self, run: &[Mutation]) -> Result<Vec<Outcome>, StorageError> {
        let first_time = self.record_mutations(run).await?;
        let entities: BTreeSet<String> = run
            .iter()
            .filter_map(|mutation| match &mutation.change {
                Change::Patch { entity, .. } => Some(entity.id.to_string()),
                _ => None,
            })
            .collect();
        // The participants the run's stories name: a story about an erased person is refused, and
        // one about a person who has not said yes to being named.
        let named: BTreeSet<String> = run
            .iter()
            .filter_map(|mutation| match &mutation.change {
                Change::Patch { entity, fields } => rules::erasure::story_subject(*entity, fields),
                _ => None,
            })
            .map(|participant| participant.0.to_string())
            .collect();
        let ids: Vec<&str> = entities.iter().chain(&named).map(String::as_str).collect();
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
                rules::erasure::check_patch_target(*entity, fields, |who| erased.contains(&who.0.to_string()))
            {
                outcomes.push(self.refuse(mutation, reason).await?);
                continue;
            }
            if let Some(named) = rules::erasure::story_subject(*entity, fields) {
                let consent = stored
                    .get(&(kind_name(EntityKind::Participant), named.0.to_string()))
                    .and_then(|person| person.fields.get("consent"))
                    .and_then(|(value, _)| serde_json::from_str(value).ok());
                if let Err(problem) = spor_core::story::check_named(consent) {
                    let reason = RejectReason::Invalid {
                        problems: vec![problem],
                    };
                    outcomes.push(self.refuse(mutation, reason).await?);
                    continue;
                }
            }
            let kind = kind_name(entity.kind);
            // Checked against what is stored, earlier patches of this run included.
            let held: serde_json::Map<String, serde_json::Value> = stored
                .get(&(kind.clone(), id.clone()))
                .filter(|_| rules::patch::may_be_locked(entity.kind))
                .map(|state| {
                    state
                        .fields
                        .iter()
                        .filter_map(|(name, (value, _))| {
                            Some((name.clone(), serde_json::from_str(value).ok()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Err(problems) = rules::patch::check_locks(entity.kind, entity.id, fields, &held) {
                outcomes.push(self.refuse(mutation, RejectReason::Invalid { problems }).await?);
                continue;
            }
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
    pub(super) async fn stored_entities(
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
    pub(super) async fn erased_among(&mut self, ids: &[&str]) -> Result<HashSet<String>, StorageError> {
        let rows = self
            .rows_among("SELECT participant FROM erased_participants", "participant", ids)
            .await?;
        Ok(rows.iter().map(|row| row.get("participant")).collect())
    }

    /// The rows `select` finds in this organisation whose `column` is one of `ids`.
    pub(super) async fn rows_among(
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
}

/// What is stored of one entity, as a push decides its patches.
#[derive(Default)]
pub(super) struct StoredEntity {
    /// The stamp of its deletion, if it was deleted.
    pub(super) tombstone: Option<String>,
    /// Per field: the value (JSON) and its stamp.
    pub(super) fields: HashMap<String, (String, String)>,
}
