//! The database schema. Each version declares every store; bump [`SCHEMA_VERSION`] for a change and
//! keep data migrations as passes after open (DESIGN.md section 3).
//!
//! Version history:
//! 1. `meta`: key-value settings of this device (its id).

use rexie::{ObjectStore, Rexie, RexieBuilder};

pub const DATABASE_NAME: &str = "spor";
pub const SCHEMA_VERSION: u32 = 1;

/// Key-value facts about this device; keys are the constants in `store::meta`.
pub const META: &str = "meta";

pub(super) fn builder(name: &str) -> RexieBuilder {
    Rexie::builder(name)
        .version(SCHEMA_VERSION)
        .add_object_store(ObjectStore::new(META))
}
