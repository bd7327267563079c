//! Session logs: each session's volunteers and hours, or its cancellation. One record per session
//! (its id is derived from the activity and date), saved with a patch of every field so that two
//! phones logging the same session end with the latest value of each field.

use spor_core::activity::Occurrence;
use spor_core::ids::SessionLogId;
use spor_core::session_log::SessionLog;
use spor_core::sync::{EntityKind, EntityRef};

use super::codec::{from_js, to_js};
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    pub async fn session_logs(&self) -> Result<Vec<SessionLog>, StoreError> {
        self.all(SESSION_LOGS, "session log").await
    }

    /// The log of `occurrence`, if anyone has written it here or it has been pulled.
    pub async fn session_log(&self, occurrence: Occurrence) -> Result<Option<SessionLog>, StoreError> {
        let action = "read the session's log";
        let transaction = self
            .transaction(&[SESSION_LOGS], rexie::TransactionMode::ReadOnly, action)
            .await?;
        let key = SessionLogId::of(occurrence).to_string().into();
        match transaction.store(SESSION_LOGS)?.get(key).await? {
            Some(value) => from_js(value, "session log").map(Some),
            None => Ok(None),
        }
    }

    /// Saves `log` and queues it for sync in one transaction. The caller has validated it.
    pub async fn save_session_log(&self, log: &SessionLog) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::SessionLog,
            id: log.id.0,
        };
        self.put_with_patch(SESSION_LOGS, to_js(log), entity, log, "save the session's log")
            .await
            .map(drop)
    }
}
