//! The sync protocol's wire types (DESIGN.md section 4), shared by the server and the app.
//!
//! Every local change is a [`Mutation`] in the device's outbox. Push sends a batch; the server
//! answers one [`MutationResult`] per mutation, idempotently per mutation id. Pull returns changes
//! after a server-assigned sequence number.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use crate::hlc::Hlc;
use crate::ids::{MutationId, ParticipantId};
use crate::instruments::Instrument;
use crate::survey::{SurveyResponse, SurveyTemplate};
use crate::validation::{Context, Problem};

/// The most mutations one push may carry.
pub const MAX_PUSH_BATCH: usize = 2000;

/// The first push of a sync: small, so that the server has work within milliseconds while the
/// device reads the next, and so that a poor connection starts with a request it can finish.
pub const FIRST_PUSH_BATCH: usize = 250;
/// The fewest mutations a push is cut down to after slow answers.
pub const MIN_PUSH_BATCH: usize = 50;
/// An answer faster than this lets the next push carry twice as many mutations, and one four
/// times faster four times as many...
pub const FAST_PUSH_MS: f64 = 1_000.0;
/// ...and one slower than this halves it: a request must finish well within the app's 30 s limit.
pub const SLOW_PUSH_MS: f64 = 8_000.0;

/// How many mutations the next push of a sync carries, after a push of `last` mutations was
/// answered in `took_ms`: a good connection soon sends few large requests, a poor one small ones.
pub fn next_push_batch(last: usize, took_ms: f64) -> usize {
    if took_ms < FAST_PUSH_MS / 4.0 {
        (last * 4).clamp(MIN_PUSH_BATCH, MAX_PUSH_BATCH)
    } else if took_ms < FAST_PUSH_MS {
        (last * 2).clamp(MIN_PUSH_BATCH, MAX_PUSH_BATCH)
    } else if took_ms > SLOW_PUSH_MS {
        (last / 2).clamp(MIN_PUSH_BATCH, MAX_PUSH_BATCH)
    } else {
        last.clamp(MIN_PUSH_BATCH, MAX_PUSH_BATCH)
    }
}

/// The first retry waits up to this long after a failed sync...
pub const BACKOFF_BASE_MS: u64 = 2_000;
/// ...and no retry waits longer than this.
pub const BACKOFF_CAP_MS: u64 = 5 * 60 * 1000;

/// How long to wait before retry number `attempt` (0 for the first) after failed syncs: "full
/// jitter" exponential backoff, a uniformly random wait up to `min(cap, base * 2^attempt)`, so many
/// devices coming online together do not retry in step. `random` is uniform in [0, 1).
pub fn backoff_ms(attempt: u32, random: f64) -> u64 {
    let ceiling = BACKOFF_BASE_MS
        .saturating_mul(1u64.checked_shl(attempt).unwrap_or(u64::MAX))
        .min(BACKOFF_CAP_MS);
    (ceiling as f64 * random.clamp(0.0, 1.0)) as u64
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    pub id: MutationId,
    pub change: Change,
}

/// One change. Append-only records travel whole; mutable entities travel as stamped fields.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    CheckIn {
        attendance: Attendance,
    },
    AttendanceEvent {
        event: AttendanceEvent,
    },
    Headcount {
        event: HeadcountEvent,
    },
    SurveyResponse {
        response: SurveyResponse,
    },
    /// Changed fields of a mutable entity, each stamped when it was edited.
    Patch {
        entity: EntityRef,
        fields: BTreeMap<String, Stamped>,
    },
    /// A deletion: a tombstone that wins over every write stamped before it.
    Delete {
        entity: EntityRef,
        stamp: Hlc,
    },
    /// Erasure: the participant's personal fields go everywhere; attendance stays as counts and
    /// linked answers are unlinked.
    EraseParticipant {
        participant: ParticipantId,
        stamp: Hlc,
    },
    /// Two participants turned out to be one person: `merged` points to `into` everywhere.
    MergeParticipants {
        merged: ParticipantId,
        into: ParticipantId,
        stamp: Hlc,
    },
}

impl Change {
    /// The checks a server can make from the change alone (`context.today` is the server's date).
    /// A survey response to a built-in instrument is checked against it; one to a custom template
    /// needs that template, which only the receiver's store holds.
    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        if self.stamps().any(|stamp| stamp.wall_ms > Hlc::MAX_WALL_MS) {
            return Err(vec![Problem::StampOutOfRange]);
        }
        match self {
            Change::CheckIn { attendance } => attendance.validate(context),
            Change::Headcount { event } => event.validate(context),
            Change::SurveyResponse { response } => match Instrument::from_template_id(response.template) {
                Some(instrument) => response.validate(instrument.template(), context),
                None => Ok(()),
            },
            Change::MergeParticipants { merged, into, .. } if merged == into => {
                Err(vec![Problem::MergeIntoItself])
            }
            Change::AttendanceEvent { .. }
            | Change::Patch { .. }
            | Change::Delete { .. }
            | Change::EraseParticipant { .. }
            | Change::MergeParticipants { .. } => Ok(()),
        }
    }
}

impl Change {
    /// Every clock stamp the change carries.
    pub(crate) fn stamps(&self) -> impl Iterator<Item = Hlc> + '_ {
        let (single, fields) = match self {
            Change::AttendanceEvent { event } => (Some(event.stamp), None),
            Change::Patch { fields, .. } => (None, Some(fields.values().map(|field| field.stamp))),
            Change::Delete { stamp, .. }
            | Change::EraseParticipant { stamp, .. }
            | Change::MergeParticipants { stamp, .. } => (Some(*stamp), None),
            Change::CheckIn { .. } | Change::Headcount { .. } | Change::SurveyResponse { .. } => (None, None),
        };
        single.into_iter().chain(fields.into_iter().flatten())
    }

    /// A patch carrying every field of `value` (an activity, participant, goal, reflection...) but
    /// its id, each stamped with `stamp`: how a whole record travels as an edit.
    pub fn patch_of<T: Serialize>(entity: EntityRef, value: &T, stamp: Hlc) -> Change {
        let fields = match serde_json::to_value(value).expect("spor-core's records always serialise") {
            serde_json::Value::Object(map) => map
                .into_iter()
                .filter(|(name, _)| name != "id")
                .map(|(name, value)| (name, Stamped { value, stamp }))
                .collect(),
            _ => BTreeMap::new(),
        };
        Change::Patch { entity, fields }
    }

    /// A version of a custom survey template, as the field `v<n>` of its template.
    pub fn template_version(template: &SurveyTemplate, stamp: Hlc) -> Change {
        Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Template,
                id: template.id.0,
            },
            fields: BTreeMap::from([(
                crate::rules::patch::template_version_field(template.version),
                Stamped {
                    value: serde_json::to_value(template).expect("a template always serialises"),
                    stamp,
                },
            )]),
        }
    }

    /// Every clock stamp the change carries, to move.
    pub(crate) fn stamps_mut(&mut self) -> impl Iterator<Item = &mut Hlc> + '_ {
        let (single, fields) = match self {
            Change::AttendanceEvent { event } => (Some(&mut event.stamp), None),
            Change::Patch { fields, .. } => (None, Some(fields.values_mut().map(|field| &mut field.stamp))),
            Change::Delete { stamp, .. }
            | Change::EraseParticipant { stamp, .. }
            | Change::MergeParticipants { stamp, .. } => (Some(stamp), None),
            Change::CheckIn { .. } | Change::Headcount { .. } | Change::SurveyResponse { .. } => (None, None),
        };
        single.into_iter().chain(fields.into_iter().flatten())
    }
}

/// A mutable entity, named by kind and id.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: Uuid,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Organisation,
    Activity,
    Participant,
    Template,
    Goal,
    Reflection,
    SessionLog,
    Theory,
    Story,
    ReportText,
}

/// A field's value with the stamp of the edit that set it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamped {
    pub value: serde_json::Value,
    pub stamp: Hlc,
}

/// `POST /api/v1/sync/push`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// One result per mutation, in the order they were sent.
    pub results: Vec<MutationResult>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutationResult {
    pub id: MutationId,
    pub outcome: Outcome,
}

/// What became of one mutation. Applied and duplicate leave the outbox; rejected goes to the dead
/// letters (and never blocks the rest); a network error or 5xx keeps everything.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    Applied,
    /// Already known: this very mutation (by id) or, for a check-in, the same person at the same
    /// occurrence, whose canonical attendance id is given so the device can re-point its events.
    Duplicate {
        #[serde(default)]
        canonical: Option<Uuid>,
    },
    /// A stamped field lost to a newer write; the winner is kept, the loser goes to the conflict log.
    Conflict {
        canonical: Uuid,
    },
    Rejected {
        reason: RejectReason,
    },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case", deny_unknown_fields)]
pub enum RejectReason {
    /// The record breaks a validation rule.
    Invalid { problems: Vec<Problem> },
    /// This device's role may not make this change (e.g. a kiosk pushing an attendance).
    Forbidden,
    /// It refers to something the server does not know (e.g. a survey template version).
    UnknownReference { what: String },
    /// It carries a stamp more than a day ahead of the receiver's clock: the sending device's clock
    /// is wrong. `latest_ms` is the latest stamp the receiver takes now (ms since the epoch).
    ClockAhead { latest_ms: u64 },
}

/// `GET /api/v1/sync/pull?since=CURSOR&limit=N`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    pub changes: Vec<PulledChange>,
    /// Pass as `since` next time.
    pub cursor: u64,
    /// More changes wait: pull again at once.
    pub has_more: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulledChange {
    /// The server-assigned sequence number of this change.
    pub seq: u64,
    pub change: Change,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::ids::{ActivityId, AttendanceId, DeviceId};
    use chrono::{DateTime, NaiveDate};

    fn device() -> DeviceId {
        DeviceId(Uuid::from_u128(7))
    }

    fn check_in() -> Mutation {
        Mutation {
            id: MutationId(Uuid::from_u128(1)),
            change: Change::CheckIn {
                attendance: Attendance {
                    id: AttendanceId(Uuid::from_u128(2)),
                    participant: ParticipantId(Uuid::from_u128(3)),
                    activity: ActivityId(Uuid::from_u128(4)),
                    date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                    role: Role::Frivillig,
                    recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
                    recorded_by: device(),
                },
            },
        }
    }

    #[test]
    fn a_push_round_trips_through_json() {
        let push = PushRequest {
            mutations: vec![
                check_in(),
                Mutation {
                    id: MutationId(Uuid::from_u128(9)),
                    change: Change::Patch {
                        entity: EntityRef {
                            kind: EntityKind::Activity,
                            id: Uuid::from_u128(4),
                        },
                        fields: BTreeMap::from([(
                            "name".to_owned(),
                            Stamped {
                                value: serde_json::json!("Torsdagscafé"),
                                stamp: Hlc {
                                    wall_ms: 5,
                                    counter: 1,
                                    device: device(),
                                },
                            },
                        )]),
                    },
                },
            ],
        };
        let json = serde_json::to_string(&push).unwrap();
        assert_eq!(serde_json::from_str::<PushRequest>(&json).unwrap(), push);
    }

    #[test]
    fn a_pull_with_every_kind_of_change_round_trips_through_json() {
        let stamp = Hlc {
            wall_ms: 9,
            counter: 0,
            device: device(),
        };
        let entity = EntityRef {
            kind: EntityKind::Goal,
            id: Uuid::from_u128(11),
        };
        let changes = vec![
            check_in().change,
            Change::Delete { entity, stamp },
            Change::EraseParticipant {
                participant: ParticipantId(Uuid::from_u128(3)),
                stamp,
            },
            Change::MergeParticipants {
                merged: ParticipantId(Uuid::from_u128(3)),
                into: ParticipantId(Uuid::from_u128(12)),
                stamp,
            },
        ];
        let pull = PullResponse {
            changes: changes
                .into_iter()
                .enumerate()
                .map(|(seq, change)| PulledChange {
                    seq: seq as u64 + 1,
                    change,
                })
                .collect(),
            cursor: 4,
            has_more: false,
        };
        let json = serde_json::to_string(&pull).unwrap();
        assert_eq!(serde_json::from_str::<PullResponse>(&json).unwrap(), pull);
        let outcomes = [
            Outcome::Applied,
            Outcome::Duplicate { canonical: None },
            Outcome::Conflict {
                canonical: Uuid::from_u128(5),
            },
            Outcome::Rejected {
                reason: RejectReason::Invalid {
                    problems: vec![Problem::NoQuestions],
                },
            },
            Outcome::Rejected {
                reason: RejectReason::UnknownReference {
                    what: "template".into(),
                },
            },
        ];
        for outcome in outcomes {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
        }
    }

    #[test]
    fn outcomes_have_stable_json() {
        let results = vec![
            MutationResult {
                id: MutationId(Uuid::from_u128(1)),
                outcome: Outcome::Duplicate {
                    canonical: Some(Uuid::from_u128(2)),
                },
            },
            MutationResult {
                id: MutationId(Uuid::from_u128(3)),
                outcome: Outcome::Rejected {
                    reason: RejectReason::Forbidden,
                },
            },
        ];
        assert_eq!(
            serde_json::to_value(&results).unwrap(),
            serde_json::json!([
                {"id": "00000000-0000-0000-0000-000000000001",
                 "outcome": {"status": "duplicate", "canonical": "00000000-0000-0000-0000-000000000002"}},
                {"id": "00000000-0000-0000-0000-000000000003",
                 "outcome": {"status": "rejected", "reason": {"reason": "forbidden"}}}
            ])
        );
    }

    #[test]
    fn unknown_change_types_and_unknown_fields_are_errors() {
        let unknown_type =
            r#"{"id": "00000000-0000-0000-0000-000000000001", "change": {"type": "drop_table"}}"#;
        assert!(serde_json::from_str::<Mutation>(unknown_type).is_err());
        let mut json = serde_json::to_value(check_in()).unwrap();
        json["change"]["attendance"]["cpr"] = serde_json::json!("010203-1234");
        assert!(serde_json::from_value::<Mutation>(json).is_err());
    }

    #[test]
    fn changes_are_validated_against_the_receivers_date() {
        let context = Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        };
        assert_eq!(check_in().change.validate(context), Ok(()));
        let mut late = check_in();
        if let Change::CheckIn { attendance } = &mut late.change {
            attendance.date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        }
        assert!(matches!(
            late.change.validate(context).unwrap_err()[..],
            [Problem::FutureDate { .. }]
        ));
        let same = ParticipantId(Uuid::from_u128(3));
        let merge = Change::MergeParticipants {
            merged: same,
            into: same,
            stamp: Hlc::start(device()),
        };
        assert_eq!(merge.validate(context), Err(vec![Problem::MergeIntoItself]));
        let far_future = Change::Delete {
            entity: EntityRef {
                kind: EntityKind::Goal,
                id: Uuid::from_u128(8),
            },
            stamp: Hlc {
                wall_ms: Hlc::MAX_WALL_MS + 1,
                counter: 0,
                device: device(),
            },
        };
        assert_eq!(far_future.validate(context), Err(vec![Problem::StampOutOfRange]));
    }

    #[test]
    fn backoff_grows_from_two_seconds_to_five_minutes_with_full_jitter() {
        assert_eq!(backoff_ms(0, 0.999_999), 1_999);
        assert_eq!(backoff_ms(1, 0.5), 2_000);
        assert_eq!(backoff_ms(3, 0.5), 8_000);
        assert_eq!(backoff_ms(7, 0.999_999), 255_999);
        for attempt in [8, 20, 64, u32::MAX] {
            assert_eq!(
                backoff_ms(attempt, 1.0),
                BACKOFF_CAP_MS,
                "capped at attempt {attempt}"
            );
        }
        assert_eq!(backoff_ms(5, 0.0), 0, "full jitter may retry at once");
    }

    #[test]
    fn pushes_grow_on_a_fast_connection_and_shrink_on_a_slow_one() {
        // A fast connection: 250, 1,000, 2,000, and no further.
        let mut sizes = vec![250];
        for _ in 0..3 {
            sizes.push(next_push_batch(*sizes.last().unwrap(), 40.0));
        }
        assert_eq!(sizes, [250, 1000, 2000, 2000]);
        // A good one doubles: answers within a second.
        assert_eq!(next_push_batch(250, 600.0), 500);
        assert_eq!(next_push_batch(1500, 900.0), 2000);
        // Answers in a few seconds keep the size; slow ones halve it, down to 50.
        assert_eq!(next_push_batch(500, 3_000.0), 500);
        assert_eq!(next_push_batch(2000, 12_000.0), 1000);
        assert_eq!(next_push_batch(80, 20_000.0), 50);
        assert_eq!(next_push_batch(50, 29_000.0), 50);
    }
}
