//! The database schema. Each version declares every store; bump [`SCHEMA_VERSION`] for a change and
//! keep data migrations as passes after open (DESIGN.md section 3). A new version only adds stores,
//! indexes and optional fields: a tab still running the version before keeps working on the
//! upgraded database (`Store::reopen`).
//!
//! Version history:
//! 1. `meta`: key-value facts about this device (its id).
//! 2. Attendance: `activities`, `participants`, `attendance` (one per person and occurrence),
//!    `attendance_events`, `headcounts`, and the `outbox` of changes not yet acknowledged by a server.
//! 3. Sync: `dead_letters`, the changes a server refused, with its reasons.
//! 4. Surveys: `responses`, one per submitted survey (indexed per activity, participant and template
//!    version), and `templates`, every version of the organisation's own surveys.
//! 5. Trends: `trend_months`, the packed records of each activity and month, and `trend_stale`, the
//!    months whose records changed since (see `store::trend_months`); `goals` and `reflections`.
//! 6. The documentation loop: `session_logs`, each session's volunteers and hours or its
//!    cancellation; `theories`, every version of every theory of change; `stories`, indexed per
//!    participant so an erasure finds those naming them.

use rexie::{Index, ObjectStore, Rexie, RexieBuilder};
use spor_core::backup::RecordKind;

pub const DATABASE_NAME: &str = "spor";
pub const SCHEMA_VERSION: u32 = 7;

/// Key-value facts about this device; keys are the constants in `store::meta`.
pub const META: &str = "meta";
pub const ACTIVITIES: &str = "activities";
pub const PARTICIPANTS: &str = "participants";
/// Named check-ins; the `natural_key` index makes a second check-in of one person at one occurrence fail.
pub const ATTENDANCE: &str = "attendance";
pub const ATTENDANCE_EVENTS: &str = "attendance_events";
pub const HEADCOUNTS: &str = "headcounts";
/// Every local change, in order (`seq`), until a server has acknowledged it.
pub const OUTBOX: &str = "outbox";
/// Changes a server refused, kept with the reason so a coordinator can see and export them.
pub const DEAD_LETTERS: &str = "dead_letters";
/// Survey responses, each written once, on submit.
pub const RESPONSES: &str = "responses";
/// Custom survey templates, one record per version (the built-in instruments live in spor-core).
pub const TEMPLATES: &str = "templates";
/// Coordinators' goals per activity (`spor_core::goal`).
pub const GOALS: &str = "goals";
/// Coordinators' notes on an occurrence or a period (`spor_core::reflection`).
pub const REFLECTIONS: &str = "reflections";
/// One log per session: its volunteers and their hours, or why it was cancelled
/// (`spor_core::session_log`).
pub const SESSION_LOGS: &str = "session_logs";
/// Theories of change, one record per version (`spor_core::theory`).
pub const THEORIES: &str = "theories";
/// Stories and observations (`spor_core::story`).
pub const STORIES: &str = "stories";
/// The coordinators' words in the reports' sections (`spor_core::report_text`).
pub const REPORT_TEXTS: &str = "report_texts";
/// One packed text per activity and month, keyed `[activity, "YYYY-MM"]`: derived from the records.
pub const TREND_MONTHS: &str = "trend_months";
/// The keys of the `trend_months` whose records changed since they were packed.
pub const TREND_STALE: &str = "trend_stale";

/// The store that holds each kind of record: spor-core's `RecordKind` is the one table that
/// backups, imports, pulls and wipes go by.
pub const fn record_store(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Activity => ACTIVITIES,
        RecordKind::Participant => PARTICIPANTS,
        RecordKind::Attendance => ATTENDANCE,
        RecordKind::AttendanceEvent => ATTENDANCE_EVENTS,
        RecordKind::Headcount => HEADCOUNTS,
        RecordKind::Template => TEMPLATES,
        RecordKind::Response => RESPONSES,
        RecordKind::Goal => GOALS,
        RecordKind::Reflection => REFLECTIONS,
        RecordKind::SessionLog => SESSION_LOGS,
        RecordKind::Theory => THEORIES,
        RecordKind::Story => STORIES,
        RecordKind::ReportText => REPORT_TEXTS,
    }
}

/// Every store that holds records (not the device's own `meta`, `outbox` and `dead_letters`): what a
/// backup carries, a pull may change and a revoked device deletes. In `RecordKind::ALL`'s order.
pub const RECORD_STORES: [&str; RecordKind::ALL.len()] = {
    let mut stores = [""; RecordKind::ALL.len()];
    let mut i = 0;
    while i < stores.len() {
        stores[i] = record_store(RecordKind::ALL[i]);
        i += 1;
    }
    stores
};

/// Every store of this version: what a connection reopened after another tab's upgrade must find.
pub const ALL_STORES: [&str; 18] = [
    META,
    ACTIVITIES,
    PARTICIPANTS,
    ATTENDANCE,
    ATTENDANCE_EVENTS,
    HEADCOUNTS,
    OUTBOX,
    DEAD_LETTERS,
    RESPONSES,
    TEMPLATES,
    GOALS,
    REFLECTIONS,
    SESSION_LOGS,
    THEORIES,
    STORIES,
    REPORT_TEXTS,
    TREND_MONTHS,
    TREND_STALE,
];

/// Index names.
pub const BY_OCCURRENCE: &str = "occurrence";
pub const BY_ACTIVITY: &str = "activity";
pub const BY_PARTICIPANT: &str = "participant";
pub const BY_NATURAL_KEY: &str = "natural_key";
pub const BY_ATTENDANCE: &str = "attendance";
pub const BY_MUTATION: &str = "mutation";
pub const BY_TEMPLATE_VERSION: &str = "template_version";

pub(super) fn builder(name: &str) -> RexieBuilder {
    Rexie::builder(name)
        .version(SCHEMA_VERSION)
        .add_object_store(ObjectStore::new(META))
        .add_object_store(ObjectStore::new(ACTIVITIES).key_path("id"))
        .add_object_store(ObjectStore::new(PARTICIPANTS).key_path("id"))
        .add_object_store(
            ObjectStore::new(ATTENDANCE)
                .key_path("id")
                .add_index(Index::new_array(BY_OCCURRENCE, ["activity", "date"]))
                .add_index(Index::new(BY_ACTIVITY, "activity"))
                .add_index(Index::new(BY_PARTICIPANT, "participant"))
                .add_index(
                    Index::new_array(BY_NATURAL_KEY, ["participant", "activity", "date"]).unique(true),
                ),
        )
        .add_object_store(
            ObjectStore::new(ATTENDANCE_EVENTS)
                .key_path("id")
                .add_index(Index::new(BY_ATTENDANCE, "attendance")),
        )
        .add_object_store(
            ObjectStore::new(HEADCOUNTS)
                .key_path("id")
                .add_index(Index::new_array(BY_OCCURRENCE, ["activity", "date"])),
        )
        .add_object_store(
            ObjectStore::new(OUTBOX)
                .key_path("seq")
                .auto_increment(true)
                .add_index(Index::new(BY_MUTATION, "mutation.id").unique(true)),
        )
        .add_object_store(ObjectStore::new(DEAD_LETTERS).key_path("entry.seq"))
        .add_object_store(
            ObjectStore::new(RESPONSES)
                .key_path("id")
                .add_index(Index::new(BY_ACTIVITY, "activity"))
                .add_index(Index::new(BY_PARTICIPANT, "participant"))
                .add_index(Index::new_array(
                    BY_TEMPLATE_VERSION,
                    ["template", "template_version"],
                )),
        )
        .add_object_store(ObjectStore::new(TEMPLATES).key_path_array(["id", "version"]))
        .add_object_store(ObjectStore::new(GOALS).key_path("id"))
        .add_object_store(ObjectStore::new(REFLECTIONS).key_path("id"))
        .add_object_store(ObjectStore::new(SESSION_LOGS).key_path("id"))
        .add_object_store(ObjectStore::new(THEORIES).key_path("id"))
        .add_object_store(
            ObjectStore::new(STORIES)
                .key_path("id")
                .add_index(Index::new(BY_PARTICIPANT, "participant")),
        )
        .add_object_store(ObjectStore::new(REPORT_TEXTS).key_path("id"))
        .add_object_store(ObjectStore::new(TREND_MONTHS))
        .add_object_store(ObjectStore::new(TREND_STALE))
}
