//! The coordinators' words in the reports' sections: one record per report and section, saved
//! with a patch of every field and queued in the same transaction, like a reflection.

use spor_core::report_text::ReportText;
use spor_core::sync::{EntityKind, EntityRef};

use super::codec::to_js;
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    pub async fn report_texts(&self) -> Result<Vec<ReportText>, StoreError> {
        self.all(REPORT_TEXTS, "report text").await
    }

    /// Saves `text` and queues it for sync. The caller has validated it.
    pub async fn save_report_text(&self, text: &ReportText) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::ReportText,
            id: text.id.0,
        };
        self.put_with_patch(REPORT_TEXTS, to_js(text), entity, text, "save the report's text")
            .await
            .map(drop)
    }
}
