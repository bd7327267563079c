//! Decoding never panics and never accepts what it should not: today's wire format stays readable
//! (a fixture written by hand), and arbitrary or mangled JSON gives errors, not crashes.

use proptest::prelude::*;
use serde_json::Value;
use spor_core::activity::Activity;
use spor_core::goal::Goal;
use spor_core::organisation::Organisation;
use spor_core::participant::Participant;
use spor_core::reflection::Reflection;
use spor_core::survey::{SurveyResponse, SurveyTemplate};
use spor_core::sync::{Change, PullResponse, PushRequest, PushResponse};
use spor_core::validation::Context;

const PUSH_V1: &str = include_str!("fixtures/push-v1.json");

#[test]
fn a_push_written_by_protocol_v1_stays_readable() {
    let push: PushRequest = serde_json::from_str(PUSH_V1).unwrap();
    let kinds: Vec<&str> = push
        .mutations
        .iter()
        .map(|mutation| match &mutation.change {
            Change::CheckIn { .. } => "check_in",
            Change::AttendanceEvent { .. } => "attendance_event",
            Change::Headcount { .. } => "headcount",
            Change::SurveyResponse { .. } => "survey_response",
            Change::Patch { .. } => "patch",
            Change::Delete { .. } => "delete",
            Change::EraseParticipant { .. } => "erase_participant",
            Change::MergeParticipants { .. } => "merge_participants",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "check_in",
            "attendance_event",
            "headcount",
            "survey_response",
            "patch",
            "erase_participant"
        ]
    );
    // Written again and read back, it is the same document.
    let again: PushRequest = serde_json::from_str(&serde_json::to_string(&push).unwrap()).unwrap();
    assert_eq!(again, push);
}

/// Decodes `json` as every wire and record type; any of them may fail, none may panic. What decodes
/// is validated too, which must not panic either.
fn decode_everything(json: &str) {
    let context = Context {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    };
    let _ = serde_json::from_str::<PushRequest>(json);
    let _ = serde_json::from_str::<PushResponse>(json);
    let _ = serde_json::from_str::<PullResponse>(json);
    if let Ok(template) = serde_json::from_str::<SurveyTemplate>(json) {
        let _ = template.validate();
    }
    if let Ok(response) = serde_json::from_str::<SurveyResponse>(json) {
        for instrument in spor_core::instruments::Instrument::ALL {
            let _ = response.validate(instrument.template(), context);
            let _ = spor_core::scoring::score(instrument, &response.answers);
        }
    }
    if let Ok(participant) = serde_json::from_str::<Participant>(json) {
        let _ = participant.validate(context);
    }
    if let Ok(activity) = serde_json::from_str::<Activity>(json) {
        let _ = activity.validate();
    }
    if let Ok(goal) = serde_json::from_str::<Goal>(json) {
        let _ = goal.validate();
    }
    if let Ok(reflection) = serde_json::from_str::<Reflection>(json) {
        let _ = reflection.validate();
    }
    if let Ok(organisation) = serde_json::from_str::<Organisation>(json) {
        let _ = organisation.validate();
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["bruger", "da", "check_in", "2026-11-26", "who5_1", "choice"])
            .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "id",
                    "type",
                    "change",
                    "mutations",
                    "answers",
                    "kind",
                    "value",
                    "role",
                    "date"
                ])
                .prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Replaces the leaf at the `pick`-th position of a depth-first walk with `replacement`.
fn mangle(value: &mut Value, pick: &mut usize, replacement: &Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| mangle(item, pick, replacement)),
        Value::Object(map) => map.values_mut().for_each(|item| mangle(item, pick, replacement)),
        leaf => {
            if *pick == 0 {
                *leaf = replacement.clone();
            }
            *pick = pick.wrapping_sub(1);
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics_a_decoder(json in arbitrary_json()) {
        decode_everything(&json.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics_a_decoder(text in ".{0,200}") {
        decode_everything(&text);
    }

    #[test]
    fn a_mangled_real_push_never_panics(pick in 0usize..80, replacement in arbitrary_json()) {
        let mut push: Value = serde_json::from_str(PUSH_V1).unwrap();
        let mut position = pick;
        mangle(&mut push, &mut position, &replacement);
        decode_everything(&push.to_string());
        for mutation in push["mutations"].as_array().into_iter().flatten() {
            decode_everything(&mutation["change"].to_string());
            for record in ["attendance", "event", "response"] {
                decode_everything(&mutation["change"][record].to_string());
            }
        }
    }
}
