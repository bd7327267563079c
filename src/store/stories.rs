//! Stories and observations: saved with a patch of every field and queued in the same
//! transaction; erased with the participant they name (`store::erasure`).

use spor_core::story::Story;
use spor_core::sync::{EntityKind, EntityRef};

use super::codec::to_js;
use super::schema::*;
use super::{Store, StoreError};

impl Store {
    pub async fn stories(&self) -> Result<Vec<Story>, StoreError> {
        self.all(STORIES, "story").await
    }

    /// Saves `story` and queues it for sync. The caller has validated it.
    pub async fn save_story(&self, story: &Story) -> Result<(), StoreError> {
        let entity = EntityRef {
            kind: EntityKind::Story,
            id: story.id.0,
        };
        self.put_with_patch(STORIES, to_js(story), entity, story, "save the story")
            .await
            .map(drop)
    }
}
