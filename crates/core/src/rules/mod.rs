//! The rulebook of sync (DESIGN.md sections 4 and 7): every rule about what a change may do, decided
//! here once, from the change and the stored state it touches. The server's push and pull, and the
//! app's pull, backup import, merge and erasure, read that state, ask these functions, and carry
//! out what they answer; they decide nothing themselves.
//!
//! - [`admit`]: may this device send this change at all (its role, the change's own validity, its
//!   patch fields, its stamps)? Every refusal is a typed [`RejectReason`].
//! - [`attendance`]: one check-in per person per occurrence; what a duplicate, a pulled copy and a
//!   merge do to check-ins and their events.
//! - [`merges`]: whom a participant is now, through chains of merges; a person is merged away once,
//!   in the order the server takes merges in ([`ordered_by_the_server`]).
//! - [`fields`]: per field, the write with the highest stamp wins; a tombstone wins over older writes.
//! - [`erasure`]: what an erasure reaches (the participant and everyone merged into them).
//! - [`pull`]: what one pull answer holds (a byte budget) and where its cursor goes.
//! - [`patch`]: the fields each kind of mutable record has, their types and limits.

pub mod attendance;
pub mod erasure;
pub mod fields;
pub mod merges;
#[cfg(feature = "model")]
pub mod model;
pub mod patch;
pub mod pull;

use crate::access::DeviceRole;
use crate::hlc::Hlc;
use crate::ids::DeviceId;
use crate::sync::{Change, RejectReason};
use crate::validation::Context;

/// How far ahead of the receiver's clock a stamp may be: a day, as for dates. A stamp further ahead
/// would make its field impossible to change again for as long, and would drag every clock that
/// saw it along.
pub const MAX_CLOCK_LEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// The latest wall time a stamp may carry where the clock reads `now_ms`.
pub fn latest_stamp_ms(now_ms: u64) -> u64 {
    now_ms.saturating_add(MAX_CLOCK_LEAD_MS)
}

/// Whether a device should move its clock to `remote` (seen at `now_ms`): never to a stamp from
/// further ahead than a day.
pub fn may_adopt(remote: Hlc, now_ms: u64) -> bool {
    remote.wall_ms <= latest_stamp_ms(now_ms)
}

/// The change to send again after it was refused as [`RejectReason::ClockAhead`] (`latest_ms` from
/// the refusal) by a device whose clock reads `device_now_ms`: every stamp moved back by how far the
/// device's clock runs ahead of the receiver's (and at least so far that its newest stamp is the
/// receiver's now), so the edit keeps its place among the device's own edits and is taken as made
/// now. A phone used alone with its clock days ahead thus loses none of what it recorded.
pub fn restamp(change: &Change, latest_ms: u64, device_now_ms: u64) -> Change {
    let receiver_now_ms = latest_ms.saturating_sub(MAX_CLOCK_LEAD_MS);
    let newest = change.stamps().map(|stamp| stamp.wall_ms).max().unwrap_or(0);
    let shift = device_now_ms
        .saturating_sub(receiver_now_ms)
        .max(newest.saturating_sub(receiver_now_ms));
    let mut restamped = change.clone();
    for stamp in restamped.stamps_mut() {
        stamp.wall_ms = stamp.wall_ms.saturating_sub(shift);
    }
    restamped
}

/// The device a change came from, as the receiver knows it (its token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sender {
    pub role: DeviceRole,
    pub device: DeviceId,
}

/// Whether `sender` may send `change`, and whether the change itself holds, checked where the
/// clock reads `now_ms` and the date is `context.today`. The role is checked first, so a forbidden
/// change is refused without reading it further.
pub fn admit(sender: Sender, change: &Change, context: Context, now_ms: u64) -> Result<(), RejectReason> {
    if !sender.role.may_push(change) || !vouches_for(sender, change) {
        return Err(RejectReason::Forbidden);
    }
    check(change, context, now_ms)
}

/// A kiosk may send only what it recorded itself, so a kiosk's token cannot pass answers off as
/// another device's (`DeviceRole::sends_only_its_own_answers`).
fn vouches_for(sender: Sender, change: &Change) -> bool {
    match change {
        Change::SurveyResponse { response } if sender.role.sends_only_its_own_answers() => {
            response.recorded_by == sender.device
        }
        _ => true,
    }
}

/// The checks every receiver makes of a change, whoever sent it: its own validity, its patch
/// fields, and its stamps. The app makes them of pulled changes too.
pub fn check(change: &Change, context: Context, now_ms: u64) -> Result<(), RejectReason> {
    let latest_ms = latest_stamp_ms(now_ms);
    if change.stamps().any(|stamp| stamp.wall_ms > latest_ms) {
        return Err(RejectReason::ClockAhead { latest_ms });
    }
    change
        .validate(context)
        .map_err(|problems| RejectReason::Invalid { problems })?;
    if let Change::Patch { entity, fields } = change {
        patch::check_patch(entity.kind, entity.id, fields, &Default::default(), context)
            .map_err(|problems| RejectReason::Invalid { problems })?;
    }
    Ok(())
}

/// Whether a device linked to a server leaves `change` to the server instead of applying it at
/// once: the server passes it back to every device, its sender too, in the one order every device
/// then applies it in. Merges are: which of two coordinators' merges of one person stands depends
/// on their order (see [`merges::decide_merge`]). Everything else converges in any order.
pub fn ordered_by_the_server(change: &Change) -> bool {
    matches!(change, Change::MergeParticipants { .. })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{DateTime, NaiveDate};
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::Language;
    use crate::ids::{ActivityId, DeviceId, ParticipantId, ResponseId, TemplateId};
    use crate::survey::{AdministrationMode, SurveyResponse};
    use crate::sync::{EntityKind, EntityRef, Stamped};
    use crate::validation::Problem;

    const NOW_MS: u64 = 1_765_000_000_000;

    fn context() -> Context {
        Context {
            today: DateTime::from_timestamp_millis(NOW_MS as i64)
                .unwrap()
                .date_naive(),
        }
    }

    fn stamp(wall_ms: u64) -> Hlc {
        Hlc::start(DeviceId(Uuid::from_u128(1))).tick(wall_ms)
    }

    fn participant_patch(name: &str, value: serde_json::Value, wall_ms: u64) -> Change {
        Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Participant,
                id: Uuid::from_u128(5),
            },
            fields: BTreeMap::from([(
                name.to_owned(),
                Stamped {
                    value,
                    stamp: stamp(wall_ms),
                },
            )]),
        }
    }

    fn response(participant: Option<ParticipantId>) -> Change {
        Change::SurveyResponse {
            response: SurveyResponse {
                id: ResponseId(Uuid::from_u128(8)),
                template: TemplateId(Uuid::from_u128(9)),
                template_version: 1,
                activity: ActivityId(Uuid::from_u128(10)),
                date: NaiveDate::from_ymd_opt(2025, 12, 6).unwrap(),
                participant,
                answers: BTreeMap::new(),
                mode: AdministrationMode::SelfCompleted,
                language: Language::Da,
                recorded_at: DateTime::from_timestamp_millis(NOW_MS as i64).unwrap(),
                recorded_by: recorder(),
            },
        }
    }

    /// The device that recorded the test's changes.
    fn recorder() -> DeviceId {
        DeviceId(Uuid::from_u128(1))
    }

    fn sent_by(role: DeviceRole) -> Sender {
        Sender {
            role,
            device: recorder(),
        }
    }

    fn admit_volunteer(change: &Change) -> Result<(), RejectReason> {
        admit(sent_by(DeviceRole::Volunteer), change, context(), NOW_MS)
    }

    fn invalid(problem: Problem) -> Result<(), RejectReason> {
        Err(RejectReason::Invalid {
            problems: vec![problem],
        })
    }

    #[test]
    fn what_a_review_sent_from_a_volunteers_phone_is_refused() {
        let megabyte = "x".repeat(1024 * 1024);
        assert!(matches!(
            admit_volunteer(&participant_patch("pseudonym", json!(megabyte), NOW_MS)),
            Err(RejectReason::Invalid { problems }) if matches!(problems[..], [Problem::TooLarge { .. }])
        ));
        let array: Vec<u32> = (0..200_000).collect();
        assert!(matches!(
            admit_volunteer(&participant_patch("notes", json!(array), NOW_MS)),
            Err(RejectReason::Invalid { problems }) if matches!(problems[..], [Problem::TooLarge { .. }])
        ));
        assert_eq!(
            admit_volunteer(&participant_patch("notes", json!("hej"), NOW_MS)),
            invalid(Problem::UnknownField { name: "notes".into() })
        );
        assert_eq!(
            admit_volunteer(&participant_patch("id", json!(Uuid::from_u128(6)), NOW_MS)),
            invalid(Problem::ReservedField { name: "id".into() })
        );
        // The year 287,000: within what a stamp can hold, but no clock shows it.
        let far = (1u64 << 53) - 1;
        assert_eq!(
            admit_volunteer(&participant_patch("pseudonym", json!("Bo"), far)),
            Err(RejectReason::ClockAhead {
                latest_ms: NOW_MS + MAX_CLOCK_LEAD_MS
            })
        );
    }

    #[test]
    fn a_stamp_up_to_a_day_ahead_is_taken_and_one_beyond_is_refused() {
        let ahead = participant_patch("pseudonym", json!("Bo"), NOW_MS + MAX_CLOCK_LEAD_MS);
        assert_eq!(admit_volunteer(&ahead), Ok(()));
        let beyond = participant_patch("pseudonym", json!("Bo"), NOW_MS + MAX_CLOCK_LEAD_MS + 1);
        assert!(matches!(
            admit_volunteer(&beyond),
            Err(RejectReason::ClockAhead { .. })
        ));
        assert!(may_adopt(stamp(NOW_MS + MAX_CLOCK_LEAD_MS), NOW_MS));
        assert!(!may_adopt(stamp(NOW_MS + MAX_CLOCK_LEAD_MS + 1), NOW_MS));
    }

    #[test]
    fn a_change_refused_for_a_clock_ahead_is_taken_once_restamped_and_keeps_its_order() {
        let three_days = 3 * 24 * 60 * 60 * 1000;
        let device_now = NOW_MS + three_days;
        let first = participant_patch("pseudonym", json!("Bo"), device_now - 60_000);
        let second = participant_patch("pseudonym", json!("Bodil"), device_now - 30_000);
        let Err(RejectReason::ClockAhead { latest_ms }) = admit_volunteer(&first) else {
            panic!("a stamp three days ahead is refused");
        };
        let (first, second) = (
            restamp(&first, latest_ms, device_now),
            restamp(&second, latest_ms, device_now),
        );
        assert_eq!(admit_volunteer(&first), Ok(()));
        assert_eq!(admit_volunteer(&second), Ok(()));
        let stamp_of = |change: &Change| change.stamps().next().unwrap();
        assert!(stamp_of(&first) < stamp_of(&second), "the later edit still wins");
        assert_eq!(stamp_of(&second).wall_ms, NOW_MS - 30_000);
    }

    #[test]
    fn a_kiosk_sends_anonymous_answers_it_recorded_itself_only() {
        let kiosk = |change: &Change| admit(sent_by(DeviceRole::Kiosk), change, context(), NOW_MS);
        assert_eq!(kiosk(&response(None)), Ok(()));
        let another_kiosk = Sender {
            role: DeviceRole::Kiosk,
            device: DeviceId(Uuid::from_u128(2)),
        };
        assert_eq!(
            admit(another_kiosk, &response(None), context(), NOW_MS),
            Err(RejectReason::Forbidden),
            "answers recorded by another device"
        );
        let coordinator = Sender {
            role: DeviceRole::Coordinator,
            device: DeviceId(Uuid::from_u128(2)),
        };
        assert_eq!(
            admit(coordinator, &response(None), context(), NOW_MS),
            Ok(()),
            "a coordinator's phone sends on what others collected (a restored backup)"
        );
        assert_eq!(
            kiosk(&response(Some(ParticipantId(Uuid::from_u128(5))))),
            Err(RejectReason::Forbidden)
        );
        assert_eq!(
            kiosk(&participant_patch("pseudonym", json!("Bo"), NOW_MS)),
            Err(RejectReason::Forbidden)
        );
    }

    #[test]
    fn a_forbidden_change_is_refused_for_its_role_before_anything_else() {
        let template = Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Template,
                id: Uuid::from_u128(9),
            },
            fields: BTreeMap::from([(
                "v1".to_owned(),
                Stamped {
                    value: json!("not a template"),
                    stamp: stamp(NOW_MS),
                },
            )]),
        };
        assert_eq!(admit_volunteer(&template), Err(RejectReason::Forbidden));
        assert_eq!(
            admit(sent_by(DeviceRole::Coordinator), &template, context(), NOW_MS),
            invalid(Problem::WrongFieldValue { name: "v1".into() })
        );
    }
}
