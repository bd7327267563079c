//! Check-ins and their events in a push: one per person per occurrence, duplicates folded.

use spor_core::access::Topic;
use spor_core::attendance::Attendance;
use spor_core::ids::{AttendanceId, ParticipantId};
use spor_core::rules;
use spor_core::rules::attendance::{ArrivingCheckIn, Fold};
use spor_core::sync::{Change, Mutation, Outcome};
use sqlx::Row;
use uuid::Uuid;

use super::push::Push;
use super::{attendance_id, insert_returning_ids, to_json};
use crate::storage::StorageError;

impl Push<'_> {
    /// A run of check-ins, in an organisation without merges: new mutation ids and new attendance
    /// in one statement each, then the change log; the few duplicates take the one-by-one path.
    /// The attendance table's unique keys read what is stored for the whole run at once: a row
    /// inserted is a check-in spor-core would store (nothing stored under its id or natural key).
    pub(super) async fn apply_check_ins(&mut self, run: &[Mutation]) -> Result<Vec<Outcome>, StorageError> {
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

    /// Decides a check-in by spor-core's rule from what is stored, and carries it out: stored and
    /// logged, or (already stored under its id or natural key) answered `duplicate` with the
    /// canonical id, its own id an alias of it.
    pub(super) async fn check_in(
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

    /// Events logged for `alias` before it was found a duplicate (an event can overtake its
    /// check-in, as when the check-in was refused once for its clock) go to the end of the log
    /// aimed at `canonical`, as spor-core's rule has it, so phones that never held the alias
    /// count them. They keep the device that sent them.
    pub(super) async fn reaim_logged_events(
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
    pub(super) async fn stored_check_in(
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
    pub(super) async fn attendance_alias(
        &mut self,
        attendance: Uuid,
    ) -> Result<Option<AttendanceId>, StorageError> {
        let canonical: Option<String> = sqlx::query_scalar(
            "SELECT canonical FROM attendance_aliases WHERE organisation = $1 AND alias = $2",
        )
        .bind(&self.organisation)
        .bind(attendance.to_string())
        .fetch_optional(&mut *self.connection)
        .await?;
        canonical.as_deref().map(attendance_id).transpose()
    }

    /// Carries out a fold of one check-in into another: the copy goes, and its id and every alias
    /// of it name the one that stays.
    pub(super) async fn fold_check_in(&mut self, fold: Fold) -> Result<(), StorageError> {
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
