//! Filling the demo database with generated records (`spor_core::demo`).

use rexie::TransactionMode;
use spor_core::demo::Demo;
use spor_core::month_pack::pack_by_month;
use wasm_bindgen::JsValue;

use super::codec::to_js;
use super::schema::*;
use super::transaction::ObjectStore;
use super::trend_months::{PACKS_BUILT, new_revision, pack_bytes, pack_key};
use super::{Store, StoreError};

impl Store {
    /// Writes every demo record and its trend packs in one transaction. Nothing is queued: the
    /// demo database never syncs.
    pub async fn fill_with_demo(&self, demo: &Demo) -> Result<(), StoreError> {
        let action = "create the demo data";
        let stores = [
            ACTIVITIES,
            PARTICIPANTS,
            ATTENDANCE,
            HEADCOUNTS,
            RESPONSES,
            SESSION_LOGS,
            THEORIES,
            STORIES,
            GOALS,
            TREND_MONTHS,
        ];
        let transaction = self
            .transaction(&stores, TransactionMode::ReadWrite, action)
            .await?;
        let store = |name| transaction.store(name);
        let (activities, participants, attendance) =
            (store(ACTIVITIES)?, store(PARTICIPANTS)?, store(ATTENDANCE)?);
        let (headcounts, responses, packs) = (store(HEADCOUNTS)?, store(RESPONSES)?, store(TREND_MONTHS)?);
        let (session_logs, theories, stories, goals) = (
            store(SESSION_LOGS)?,
            store(THEORIES)?,
            store(STORIES)?,
            store(GOALS)?,
        );
        let mut records: Vec<(&ObjectStore, JsValue, Option<JsValue>)> = Vec::new();
        records.extend(demo.activities.iter().map(|r| (&activities, to_js(r), None)));
        records.extend(demo.participants.iter().map(|r| (&participants, to_js(r), None)));
        records.extend(demo.attendance.iter().map(|r| (&attendance, to_js(r), None)));
        records.extend(demo.headcounts.iter().map(|r| (&headcounts, to_js(r), None)));
        records.extend(demo.responses.iter().map(|r| (&responses, to_js(r), None)));
        records.extend(demo.session_logs.iter().map(|r| (&session_logs, to_js(r), None)));
        records.push((&theories, to_js(&demo.theory), None));
        records.extend(demo.stories.iter().map(|r| (&stories, to_js(r), None)));
        records.extend(demo.goals.iter().map(|r| (&goals, to_js(r), None)));
        records.extend(
            pack_by_month(&demo.dataset())
                .into_iter()
                .map(|((activity, month), pack)| {
                    (&packs, pack_bytes(&pack), Some(pack_key(activity, month)))
                }),
        );
        records.push((&packs, new_revision(), Some(PACKS_BUILT.into())));
        // Issued together: one request after another would take minutes for a year.
        futures::future::try_join_all(
            records
                .iter()
                .map(|(store, value, key)| store.put(value, key.as_ref())),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}
