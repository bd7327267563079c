//! Theories of change: one record per version, saved with a patch of every field and queued in
//! the same transaction. A revision is a new record; nothing here changes an older version.

use spor_core::sync::{EntityKind, EntityRef};
use spor_core::theory::TheoryOfChange;

use super::codec::to_js;
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    /// Every version of every theory of change.
    pub async fn theories(&self) -> Result<Vec<TheoryOfChange>, StoreError> {
        self.all(THEORIES, "theory of change").await
    }

    /// Saves a version and queues it for sync. The caller has validated it.
    pub async fn save_theory(&self, theory: &TheoryOfChange) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Theory,
            id: theory.id.0,
        };
        self.put_with_patch(
            THEORIES,
            to_js(theory),
            entity,
            theory,
            "save the theory of change",
        )
        .await
        .map(drop)
    }
}
