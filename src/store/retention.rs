//! The retention period a coordinator chose on this device, and the erasures it makes
//! (spor-core's `retention`).

use chrono::NaiveDate;
use rexie::TransactionMode;
use spor_core::attendance::Attendance;
use spor_core::ids::ParticipantId;
use spor_core::retention;

use super::codec::to_js;
use super::schema::{ATTENDANCE, META, PARTICIPANTS};
use super::{Store, StoreError};

/// Months a participant not seen is kept; absent while the rule is off.
const RETENTION_MONTHS: &str = "retention_months";

impl Store {
    /// The retention period in months, or `None` while it is off (the default).
    pub async fn retention_months(&self) -> Result<Option<u32>, StoreError> {
        self.meta_value(RETENTION_MONTHS, "retention period").await
    }

    /// Turns the retention rule on with `months`, or off.
    pub async fn set_retention_months(&self, months: Option<u32>) -> Result<(), StoreError> {
        let action = "save the retention period";
        let transaction = self
            .transaction(&[META], TransactionMode::ReadWrite, action)
            .await?;
        let meta = transaction.store(META)?;
        match months {
            Some(months) => meta
                .put(&to_js(&months), Some(&RETENTION_MONTHS.into()))
                .await
                .map(drop),
            None => meta.delete(RETENTION_MONTHS.into()).await,
        }?;
        transaction.commit().await
    }

    /// At the app's start: where the rule is on and this device may erase (a coordinator's, or one
    /// used alone), erases the participants past the period; answers whom it erased.
    pub async fn apply_retention(&self, today: NaiveDate) -> Result<Vec<ParticipantId>, StoreError> {
        // Off (the default) costs one read at start.
        let Some(months) = self.retention_months().await? else {
            return Ok(Vec::new());
        };
        let may_erase = self
            .server_link()
            .await?
            .is_none_or(|link| link.role.may_merge_and_erase());
        if !may_erase {
            return Ok(Vec::new());
        }
        self.erase_past_retention(months, today).await
    }

    /// Erases every participant not seen for more than `months` before `today`, each as an
    /// ordinary erasure queued for sync; answers whom it erased.
    pub async fn erase_past_retention(
        &self,
        months: u32,
        today: NaiveDate,
    ) -> Result<Vec<ParticipantId>, StoreError> {
        let participants = self.all(PARTICIPANTS, "participant").await?;
        let check_ins: Vec<Attendance> = self.all(ATTENDANCE, "attendance").await?;
        let past = retention::past_period(
            &participants,
            check_ins
                .iter()
                .map(|check_in| (check_in.participant, check_in.date)),
            months,
            today,
        );
        for participant in &past {
            self.erase_participant(*participant).await?;
        }
        Ok(past)
    }
}
