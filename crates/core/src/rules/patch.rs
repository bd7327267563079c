//! Typed, bounded patches: which fields each kind of mutable record has, what their values must be,
//! and how large one patch may be. A patch is checked as the record it makes: the receiver's
//! stored fields (or a known-good sample where it holds none) with the patch's fields laid over
//! them must deserialise into the record type and pass that record's own `validate()`, so the
//! limits here are the records' limits, never written a second time.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Weekday};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::Role;
use crate::activity::{Activity, Rhythm, Schedule, SurveyPlan};
use crate::goal::{Comparison, Goal, GoalMetric};
use crate::ids::{
    ActivityId, GoalId, OrganisationId, OutcomeId, ParticipantId, ReflectionId, ReportTextId, SessionLogId,
    StoryId, TemplateId, TheoryId,
};
use crate::language::Language;
use crate::organisation::{Organisation, ReportingSettings};
use crate::participant::Participant;
use crate::reflection::Reflection;
use crate::report::{ReportShape, Section};
use crate::report_text::ReportText;
use crate::session_log::SessionLog;
use crate::story::{Story, StoryKind};
use crate::survey::SurveyTemplate;
use crate::sync::{EntityKind, Stamped};
use crate::theory::{Outcome, Term, TheoryOfChange};
use crate::validation::{Context, Problem};

/// The most bytes (as JSON) a patch of an activity, participant, goal, reflection or the
/// organisation may carry: every text at its limit fits several times over.
pub const MAX_PATCH_BYTES: usize = 64 * 1024;
/// The most bytes one template version may take: 40 questions of 300 characters with 12 choices
/// each, in two languages, fit with room to spare.
pub const MAX_TEMPLATE_VERSION_BYTES: usize = 256 * 1024;
/// Template versions are numbered from 1; a number beyond this is no edit anybody made.
pub const MAX_TEMPLATE_VERSION: u32 = 10_000;

/// Names no patch may set: the id is the entity's, and a merge or an erasure is a change of its own.
const RESERVED: [&str; 2] = ["id", "merged_into"];

/// The fields a patch of `kind` may carry (a template's are its versions, `v1`, `v2`, ...).
pub fn field_names(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Organisation => &["name", "reporting", "privacy_notice"],
        EntityKind::Activity => &[
            "name",
            "description",
            "place",
            "schedule",
            "roles",
            "archived",
            "surveys",
        ],
        EntityKind::Participant => &[
            "pseudonym",
            "birth_decade",
            "default_role",
            "consent",
            "activities",
            "erased",
        ],
        EntityKind::Goal => &[
            "activity",
            "metric",
            "comparison",
            "target",
            "from",
            "to",
            "outcome",
        ],
        EntityKind::Reflection => &["activity", "from", "to", "text", "written_at"],
        EntityKind::SessionLog => &["activity", "date", "volunteers", "volunteer_minutes", "cancelled"],
        EntityKind::Theory => &[
            "activity",
            "version",
            "in_force_from",
            "target_group",
            "activities",
            "outcomes",
            "assumptions",
            "language",
            "standard",
        ],
        EntityKind::Story => &[
            "activity",
            "date",
            "kind",
            "text",
            "outcome",
            "participant",
            "usable_in_reports",
            "written_at",
            "language",
        ],
        EntityKind::ReportText => &["shape", "activity", "from", "to", "section", "text", "written_at"],
        EntityKind::Template => &[],
    }
}

/// The version a template's field carries: `v3` is version 3.
pub fn template_version_of(field: &str) -> Option<u32> {
    let digits = field.strip_prefix('v')?;
    if digits.starts_with('0') || digits.len() > 5 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits
        .parse()
        .ok()
        .filter(|version| (1..=MAX_TEMPLATE_VERSION).contains(version))
}

/// The field a template version travels in.
pub fn template_version_field(version: u32) -> String {
    format!("v{version}")
}

/// Checks a patch of `kind` with id `id`, laid over `stored` (the fields the receiver holds of
/// that entity; empty when it holds none). Every problem found is returned.
pub fn check_patch(
    kind: EntityKind,
    id: Uuid,
    fields: &BTreeMap<String, Stamped>,
    stored: &Map<String, Value>,
    context: Context,
) -> Result<(), Vec<Problem>> {
    let size = fields
        .values()
        .map(|field| json_size(&field.value))
        .sum::<usize>();
    let max = match kind {
        EntityKind::Template => MAX_TEMPLATE_VERSION_BYTES * fields.len().max(1),
        _ => MAX_PATCH_BYTES,
    };
    if size > max {
        return Err(vec![Problem::TooLarge { max, size }]);
    }
    if kind == EntityKind::Template {
        return check_template_versions(id, fields);
    }
    let mut problems = Vec::new();
    for (name, field) in fields {
        if RESERVED.contains(&name.as_str()) || (name == "erased" && field.value != Value::Bool(false)) {
            problems.push(Problem::ReservedField { name: name.clone() });
        } else if !field_names(kind).contains(&name.as_str()) {
            problems.push(Problem::UnknownField { name: name.clone() });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (record, patched) = made(kind, id, fields, stored);
    check_locks_of(kind, &record, &patched)?;
    match validate_record(kind, patched, context) {
        // It does not deserialise: name each field whose value is not of its type.
        Err(problems) if problems.is_empty() => {
            let wrong: Vec<Problem> = fields
                .iter()
                .filter(|(name, field)| {
                    let mut alone = record.clone();
                    alone.insert((*name).clone(), field.value.clone());
                    validate_record(kind, alone, context).is_err_and(|problems| problems.is_empty())
                })
                .map(|(name, _)| Problem::WrongFieldValue { name: name.clone() })
                .collect();
            Err(wrong)
        }
        checked => checked,
    }
}

/// The record the receiver holds (its stored fields over a known-good sample) and the record the
/// patch makes of it.
fn made(
    kind: EntityKind,
    id: Uuid,
    fields: &BTreeMap<String, Stamped>,
    stored: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut record = sample(kind, id);
    record.extend(
        stored
            .iter()
            .filter(|(name, _)| field_names(kind).contains(&name.as_str()))
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    let mut patched = record.clone();
    patched.extend(
        fields
            .iter()
            .map(|(name, field)| (name.clone(), field.value.clone())),
    );
    (record, patched)
}

/// What no patch may do to a record the receiver holds, however valid the record it makes: a
/// theory that follows a standard keeps the standard and its core outcomes as the package wrote
/// them (`package::check_revision`). Only an adoption changes them, and it writes a new version.
/// The server checks this against what it stores, the app against what it holds when it pulls.
pub fn check_locks(
    kind: EntityKind,
    id: Uuid,
    fields: &BTreeMap<String, Stamped>,
    stored: &Map<String, Value>,
) -> Result<(), Vec<Problem>> {
    let (record, patched) = made(kind, id, fields, stored);
    check_locks_of(kind, &record, &patched)
}

/// Whether records of `kind` can hold a lock [`check_locks`] checks, so a receiver reads what it
/// stores of them only then.
pub fn may_be_locked(kind: EntityKind) -> bool {
    kind == EntityKind::Theory
}

fn check_locks_of(
    kind: EntityKind,
    record: &Map<String, Value>,
    patched: &Map<String, Value>,
) -> Result<(), Vec<Problem>> {
    if !may_be_locked(kind) {
        return Ok(());
    }
    let theory =
        |record: &Map<String, Value>| serde_json::from_value::<TheoryOfChange>(Value::Object(record.clone()));
    // A record that does not read as a theory is refused by its own validation instead.
    match (theory(record), theory(patched)) {
        (Ok(held), Ok(next)) => crate::package::check_revision(&held, &next).map_err(|problem| vec![problem]),
        _ => Ok(()),
    }
}

/// A template version is written once, whole: its field names its version, and its value is that
/// very version of this template, a custom one that passes the builder's checks.
fn check_template_versions(id: Uuid, fields: &BTreeMap<String, Stamped>) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    for (name, field) in fields {
        let Some(version) = template_version_of(name) else {
            problems.push(Problem::UnknownField { name: name.clone() });
            continue;
        };
        if json_size(&field.value) > MAX_TEMPLATE_VERSION_BYTES {
            problems.push(Problem::TooLarge {
                max: MAX_TEMPLATE_VERSION_BYTES,
                size: json_size(&field.value),
            });
            continue;
        }
        match serde_json::from_value::<SurveyTemplate>(field.value.clone()) {
            Err(_) => problems.push(Problem::WrongFieldValue { name: name.clone() }),
            Ok(template) if template.id != TemplateId(id) || template.version != version => {
                problems.push(Problem::WrongFieldValue { name: name.clone() })
            }
            Ok(template) if template.instrument.is_some() => problems.push(Problem::BuiltInChanged),
            Ok(template) => {
                if let Err(found) = template.validate() {
                    problems.extend(found);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `record` as its kind: `Err(vec![])` when it does not deserialise, else its own validation.
fn validate_record(
    kind: EntityKind,
    record: Map<String, Value>,
    context: Context,
) -> Result<(), Vec<Problem>> {
    fn parse<T: DeserializeOwned>(record: Map<String, Value>) -> Result<T, Vec<Problem>> {
        serde_json::from_value(Value::Object(record)).map_err(|_| Vec::new())
    }
    match kind {
        EntityKind::Organisation => parse::<Organisation>(record)?.validate(),
        EntityKind::Activity => parse::<Activity>(record)?.validate(),
        EntityKind::Participant => parse::<Participant>(record)?.validate(context),
        EntityKind::Goal => parse::<Goal>(record)?.validate(),
        EntityKind::Reflection => parse::<Reflection>(record)?.validate(),
        EntityKind::SessionLog => parse::<SessionLog>(record)?.validate(context),
        EntityKind::Theory => parse::<TheoryOfChange>(record)?.validate(),
        EntityKind::Story => parse::<Story>(record)?.validate(context),
        EntityKind::ReportText => parse::<ReportText>(record)?.validate(),
        EntityKind::Template => Err(Vec::new()),
    }
}

/// The bytes `value` takes as JSON, counted without writing them anywhere.
fn json_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).map_or(usize::MAX, |()| count.0)
}

/// A valid record of `kind` with every field set, under which a patch's fields are tried. Its
/// periods span all dates, so a patch of one end of a period is judged on that end alone.
fn sample(kind: EntityKind, id: Uuid) -> Map<String, Value> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
    let latest = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");
    let activity = ActivityId(Uuid::nil());
    let value = match kind {
        EntityKind::Organisation => serde_json::to_value(Organisation {
            id: OrganisationId(id),
            name: "-".into(),
            reporting: ReportingSettings::default(),
            privacy_notice: Some("-".into()),
        }),
        EntityKind::Activity => serde_json::to_value(Activity {
            id: ActivityId(id),
            name: "-".into(),
            description: String::new(),
            place: String::new(),
            schedule: Some(Schedule {
                weekday: Weekday::Mon,
                starts_at: None,
                minutes: Some(60),
            }),
            roles: vec![Role::Bruger],
            archived: false,
            surveys: vec![SurveyPlan {
                template: TemplateId(Uuid::nil()),
                rhythm: Rhythm::Time,
            }],
        }),
        EntityKind::Participant => serde_json::to_value(Participant {
            pseudonym: "-".into(),
            erased: false,
            ..Participant::erased(ParticipantId(id))
        }),
        EntityKind::Goal => serde_json::to_value(Goal {
            id: GoalId(id),
            activity,
            metric: GoalMetric::MeanAttendance,
            comparison: Comparison::AtLeast,
            target: Some(0.0),
            from: earliest,
            to: latest,
            outcome: Some(OutcomeId(Uuid::nil())),
        }),
        EntityKind::Reflection => serde_json::to_value(Reflection {
            id: ReflectionId(id),
            activity,
            from: earliest,
            to: latest,
            text: "-".into(),
            written_at: DateTime::UNIX_EPOCH,
        }),
        // No sample can match the id, which is derived from the activity and date: a log's first
        // patch carries both (the app sends every field), or it is refused as another session's.
        EntityKind::SessionLog => serde_json::to_value(SessionLog {
            id: SessionLogId(id),
            activity,
            date: earliest,
            volunteers: crate::session_log::MAX_VOLUNTEERS,
            volunteer_minutes: 0,
            cancelled: Some("-".into()),
        }),
        EntityKind::Theory => serde_json::to_value(TheoryOfChange {
            target_group: "-".into(),
            activities: "-".into(),
            outcomes: vec![Outcome {
                id: OutcomeId(Uuid::nil()),
                term: Term::Short,
                text: "-".into(),
            }],
            assumptions: "-".into(),
            id: TheoryId(id),
            ..TheoryOfChange::first(Some(activity), earliest, Language::Da)
        }),
        EntityKind::Story => serde_json::to_value(Story {
            id: StoryId(id),
            activity,
            date: earliest,
            kind: StoryKind::SignOfChange,
            text: "-".into(),
            outcome: Some(OutcomeId(Uuid::nil())),
            participant: Some(ParticipantId(Uuid::nil())),
            usable_in_reports: false,
            written_at: DateTime::UNIX_EPOCH,
            language: Language::Da,
        }),
        EntityKind::ReportText => serde_json::to_value(ReportText {
            id: ReportTextId(id),
            shape: ReportShape::StatusReport,
            activity: Some(activity),
            from: earliest,
            to: latest,
            section: Section::Delivery,
            text: String::new(),
            written_at: DateTime::UNIX_EPOCH,
        }),
        EntityKind::Template => Ok(Value::Object(Map::new())),
    };
    match value.expect("sample records serialise") {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Texts;
    use crate::hlc::Hlc;
    use crate::ids::DeviceId;
    use crate::survey::{Question, QuestionKind};
    use crate::validation::{Field, limits};
    use serde_json::json;

    fn context() -> Context {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        }
    }

    fn stamped(value: Value) -> Stamped {
        Stamped {
            value,
            stamp: Hlc::start(DeviceId(Uuid::from_u128(1))).tick(1_765_000_000_000),
        }
    }

    fn fields(pairs: &[(&str, Value)]) -> BTreeMap<String, Stamped> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), stamped(value.clone())))
            .collect()
    }

    fn check(kind: EntityKind, pairs: &[(&str, Value)]) -> Result<(), Vec<Problem>> {
        check_patch(kind, Uuid::from_u128(9), &fields(pairs), &Map::new(), context())
    }

    #[test]
    fn the_field_lists_are_the_records_own_fields() {
        for kind in [
            EntityKind::Organisation,
            EntityKind::Activity,
            EntityKind::Participant,
            EntityKind::Goal,
            EntityKind::Reflection,
            EntityKind::SessionLog,
            EntityKind::Theory,
            EntityKind::Story,
            EntityKind::ReportText,
        ] {
            let record = sample(kind, Uuid::nil());
            let mut names: Vec<&str> = record.keys().map(String::as_str).collect();
            names.retain(|name| *name != "id");
            names.sort_unstable();
            let mut listed = field_names(kind).to_vec();
            listed.sort_unstable();
            assert_eq!(names, listed, "{kind:?}");
        }
    }

    #[test]
    fn a_participant_saved_by_the_app_passes() {
        let participant = json!({"pseudonym": "Søren K", "birth_decade": 1960, "default_role": "deltager",
            "consent": {"linked_surveys": true, "contact": false}, "activities": [], "erased": false});
        let pairs: Vec<(&str, Value)> = participant
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone()))
            .collect();
        assert_eq!(check(EntityKind::Participant, &pairs), Ok(()));
    }

    #[test]
    fn a_pseudonym_over_its_limit_is_refused_with_the_records_own_problem() {
        let long = "x".repeat(limits::PSEUDONYM + 1);
        assert_eq!(
            check(EntityKind::Participant, &[("pseudonym", json!(long))]),
            Err(vec![Problem::TooLong {
                field: Field::Pseudonym,
                max: limits::PSEUDONYM,
                length: limits::PSEUDONYM + 1
            }])
        );
    }

    #[test]
    fn a_megabyte_value_is_refused_before_it_is_read() {
        let huge = "x".repeat(1024 * 1024);
        assert!(matches!(
            check(EntityKind::Participant, &[("pseudonym", json!(huge))]).unwrap_err()[..],
            [Problem::TooLarge {
                max: MAX_PATCH_BYTES,
                ..
            }]
        ));
    }

    #[test]
    fn unknown_and_reserved_names_are_refused() {
        assert_eq!(
            check(EntityKind::Activity, &[("cpr", json!("010203-1234"))]),
            Err(vec![Problem::UnknownField { name: "cpr".into() }])
        );
        for name in ["id", "merged_into"] {
            assert_eq!(
                check(EntityKind::Participant, &[(name, json!(Uuid::nil()))]),
                Err(vec![Problem::ReservedField { name: name.into() }])
            );
        }
        assert_eq!(
            check(EntityKind::Participant, &[("erased", json!(true))]),
            Err(vec![Problem::ReservedField {
                name: "erased".into()
            }]),
            "an erasure is a change of its own, which reaches every copy"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named() {
        assert_eq!(
            check(
                EntityKind::Activity,
                &[("roles", json!(["bruger"])), ("archived", json!([1, 2, 3]))]
            ),
            Err(vec![Problem::WrongFieldValue {
                name: "archived".into()
            }])
        );
    }

    #[test]
    fn the_record_after_the_patch_must_validate() {
        assert_eq!(
            check(EntityKind::Activity, &[("roles", json!([]))]),
            Err(vec![Problem::NoRoles])
        );
        let mut stored = Map::new();
        stored.insert("from".into(), json!("2026-06-01"));
        assert_eq!(
            check_patch(
                EntityKind::Goal,
                Uuid::nil(),
                &fields(&[("to", json!("2026-01-31"))]),
                &stored,
                context()
            ),
            Err(vec![Problem::EmptyPeriod {
                from: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
            }])
        );
    }

    fn template(id: Uuid, version: u32) -> SurveyTemplate {
        let mut template = SurveyTemplate::custom(
            Texts::new("Dagens spørgsmål", "Today's questions"),
            vec![Question {
                id: crate::survey::QuestionId("q1".into()),
                text: Texts::new("Hvordan var det?", "How was it?"),
                kind: QuestionKind::Smiley,
                required: false,
            }],
        );
        template.id = TemplateId(id);
        template.version = version;
        template
    }

    #[test]
    fn a_template_version_travels_whole_under_its_own_number() {
        let id = Uuid::from_u128(9);
        let good = serde_json::to_value(template(id, 2)).unwrap();
        assert_eq!(check(EntityKind::Template, &[("v2", good.clone())]), Ok(()));
        assert_eq!(
            check(EntityKind::Template, &[("v3", good.clone())]),
            Err(vec![Problem::WrongFieldValue { name: "v3".into() }])
        );
        for name in ["v0", "v01", "name", "v99999999"] {
            assert_eq!(
                check(EntityKind::Template, &[(name, good.clone())]),
                Err(vec![Problem::UnknownField { name: name.into() }])
            );
        }
        let other = serde_json::to_value(template(Uuid::from_u128(10), 2)).unwrap();
        assert!(check(EntityKind::Template, &[("v2", other)]).is_err());
        let mut long = template(id, 2);
        long.name = Texts::new("x".repeat(MAX_TEMPLATE_VERSION_BYTES), "x");
        assert!(matches!(
            check(
                EntityKind::Template,
                &[("v2", serde_json::to_value(long).unwrap())]
            )
            .unwrap_err()[..],
            [Problem::TooLarge { .. }]
        ));
    }

    #[test]
    fn a_session_log_is_checked_against_the_session_its_id_names() {
        use crate::activity::Occurrence;
        let occurrence = Occurrence {
            activity: ActivityId(Uuid::from_u128(7)),
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        };
        let id = SessionLogId::of(occurrence).0;
        let whole = [
            ("activity", json!(occurrence.activity)),
            ("date", json!("2026-12-03")),
            ("volunteers", json!(3)),
            ("volunteer_minutes", json!(360)),
            ("cancelled", Value::Null),
        ];
        let check_log = |pairs: &[(&str, Value)], stored: &Map<String, Value>| {
            check_patch(EntityKind::SessionLog, id, &fields(pairs), stored, context())
        };
        assert_eq!(check_log(&whole, &Map::new()), Ok(()));
        // Hours alone, for a log nobody holds: the session is unknown, so it is refused.
        assert_eq!(
            check_log(&whole[3..4], &Map::new()),
            Err(vec![Problem::NotTheSessionsLog])
        );
        let stored: Map<String, Value> = whole.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect();
        assert_eq!(check_log(&[("volunteer_minutes", json!(240))], &stored), Ok(()));
        // Moving a log to another day would make two logs of one session.
        assert_eq!(
            check_log(&[("date", json!("2026-11-26"))], &stored),
            Err(vec![Problem::NotTheSessionsLog])
        );
        assert_eq!(
            check_log(&[("volunteer_minutes", json!(3 * 24 * 60 + 1))], &stored),
            Err(vec![Problem::TooManyVolunteerHours {
                volunteers: 3,
                max_hours: 72
            }])
        );
        assert_eq!(
            check_log(&[("recorded_by", json!("someone"))], &stored),
            Err(vec![Problem::UnknownField {
                name: "recorded_by".into()
            }])
        );
    }

    #[test]
    fn a_theory_of_change_is_checked_as_the_version_it_makes() {
        let outcome = |n: u128| json!({"id": Uuid::from_u128(n), "term": "short", "text": "Kender nogen"});
        let whole = |outcomes: Vec<Value>| {
            vec![
                ("activity", Value::Null),
                ("version", json!(1)),
                ("in_force_from", json!("2026-12-01")),
                ("target_group", json!("Ældre, der bor alene")),
                ("activities", json!("En ugentlig café")),
                ("outcomes", Value::Array(outcomes)),
                ("assumptions", json!("")),
            ]
        };
        assert_eq!(check(EntityKind::Theory, &whole(vec![outcome(1)])), Ok(()));
        let many = (0..=crate::theory::MAX_OUTCOMES as u128).map(outcome).collect();
        assert_eq!(
            check(EntityKind::Theory, &whole(many)),
            Err(vec![Problem::TooManyOutcomes {
                max: crate::theory::MAX_OUTCOMES
            }])
        );
        assert_eq!(
            check(EntityKind::Theory, &[("version", json!(0))]),
            Err(vec![Problem::VersionOutOfRange {
                max: crate::theory::MAX_VERSION
            }])
        );
    }
}
