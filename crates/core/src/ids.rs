//! Typed ids: every record has a client-generated UUIDv7 (time-ordered, so ids sort by creation), and
//! the type says what it names, so an activity id cannot be passed where a participant id is meant.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7).
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            /// The day (UTC) the record was created, from the time in its UUIDv7 id; none for an
            /// id that tells no time.
            pub fn created_on(&self) -> Option<chrono::NaiveDate> {
                let (seconds, _) = self.0.get_timestamp()?.to_unix();
                chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)
                    .map(|moment| moment.date_naive())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An organisation: the tenant everything belongs to.
    OrganisationId
);
id_type!(ActivityId);
id_type!(ParticipantId);
id_type!(
    /// A named check-in (the canonical one, after natural-key de-duplication).
    AttendanceId
);
id_type!(
    /// An event on an attendance (role change, withdrawal, restore).
    AttendanceEventId
);
id_type!(HeadcountEventId);
id_type!(TemplateId);
id_type!(ResponseId);
id_type!(GoalId);
id_type!(ReflectionId);
id_type!(
    /// One version of a theory of change (`theory`).
    TheoryId
);
id_type!(
    /// An outcome of a theory of change: kept through its revisions.
    OutcomeId
);
id_type!(
    /// A story or observation (`story`).
    StoryId
);
id_type!(
    /// The log of one session (`session_log`): derived from the activity and the date, not generated.
    SessionLogId
);
id_type!(
    /// A coordinator's text in one section of one report (`report_text`): derived from what it is
    /// about, not generated.
    ReportTextId
);
id_type!(
    /// A standard package (`package`): the same through its versions.
    PackageId
);
id_type!(
    /// A device (phone, tablet, laptop browser) that records data.
    DeviceId
);
id_type!(
    /// One change in a device's outbox; the server applies each at most once.
    MutationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid_v7_and_serialise_as_plain_strings() {
        let id = ActivityId::generate();
        assert_eq!(id.0.get_version_num(), 7);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", id.0));
        assert_eq!(serde_json::from_str::<ActivityId>(&json).unwrap(), id);
    }

    #[test]
    fn ids_generated_later_sort_later() {
        let first = ParticipantId::generate();
        let second = ParticipantId::generate();
        assert!(first < second);
    }

    #[test]
    fn a_malformed_id_is_an_error() {
        assert!(serde_json::from_str::<ActivityId>("\"not-a-uuid\"").is_err());
        assert!(serde_json::from_str::<ActivityId>("42").is_err());
    }
}
