//! Erasures and merges of participants in a push: what an erasure reaches, and merges in order.

use std::collections::{BTreeMap, BTreeSet};

use spor_core::ids::ParticipantId;
use spor_core::rules;
use spor_core::rules::attendance::MergedCheckIn;
use spor_core::rules::erasure::Scrub;
use spor_core::rules::merges::MergeDecision;
use spor_core::sync::{Change, EntityKind};
use spor_core::validation::Problem;
use sqlx::Row;

use super::push::Push;
use super::{attendance_id, kind_name, parse_uuid, to_json};
use crate::storage::StorageError;

impl Push<'_> {
    /// The participant a check-in counts for: whom `participant` is now, through every merge.
    pub(super) async fn current_participant(
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

    pub(super) async fn is_erased(&mut self, participant: ParticipantId) -> Result<bool, StorageError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM erased_participants WHERE organisation = $1 AND participant = $2",
        )
        .bind(&self.organisation)
        .bind(participant.0.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        Ok(found.is_some())
    }

    /// Erasure that really erases: the participant's fields, overwritten values and logged patches
    /// go; linked survey answers are unlinked; stories naming them go; attendance stays under the
    /// bare id, as counts. It
    /// reaches everyone merged into the participant too (spor-core's `erasure_reach`), and what
    /// becomes of each logged change is spor-core's `scrub`.
    pub(super) async fn erase(&mut self, participant: ParticipantId) -> Result<(), StorageError> {
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
    pub(super) async fn merges(&mut self) -> Result<&BTreeMap<ParticipantId, ParticipantId>, StorageError> {
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

    pub(super) async fn erase_one(
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
        self.forget_fields(&kind, &id).await?;
        self.erase_stories_naming(participant).await?;
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

    /// Stories that name `participant` go whole: their fields, their conflicts and every logged
    /// change of them (logged under the story's id), as spor-core's `scrub` drops them elsewhere.
    async fn erase_stories_naming(&mut self, participant: ParticipantId) -> Result<(), StorageError> {
        let kind = kind_name(EntityKind::Story);
        let stories: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM entity_fields WHERE organisation = $1 AND kind = $2 AND field = 'participant' AND value = $3",
        )
        .bind(&self.organisation)
        .bind(&kind)
        .bind(to_json(&participant))
        .fetch_all(&mut *self.connection)
        .await?;
        for story in stories {
            self.forget_fields(&kind, &story).await?;
            sqlx::query("DELETE FROM changes WHERE organisation = $1 AND subject = $2")
                .bind(&self.organisation)
                .bind(&story)
                .execute(&mut *self.connection)
                .await?;
        }
        Ok(())
    }

    /// An entity's stored fields and the values they overwrote (its conflicts) go.
    async fn forget_fields(&mut self, kind: &str, id: &str) -> Result<(), StorageError> {
        for table in ["entity_fields", "conflicts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE organisation = $1 AND kind = $2 AND id = $3"
            ))
            .bind(&self.organisation)
            .bind(kind)
            .bind(id)
            .execute(&mut *self.connection)
            .await?;
        }
        Ok(())
    }

    /// `merged` points to `into` from now on: its check-ins move, and where both were checked in at
    /// one occurrence the kept one's stands and the other becomes its alias.
    /// Keeps that `merged` became `into`, as the merge names it.
    pub(super) async fn record_merge(
        &mut self,
        merged: ParticipantId,
        into: ParticipantId,
    ) -> Result<(), StorageError> {
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
    pub(super) async fn merge(
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
}
