//! The device backup: one JSON file with everything a device holds, for organisations without a
//! server. Importing merges: it adds what the device lacks, never overwrites what it has, and an
//! erasure always wins (an erased name never comes back from an old backup).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::{DeviceRole, Topic};
use crate::activity::Activity;
use crate::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use crate::export::Records;
use crate::file_head::{FileKind, HeadProblem};
use crate::goal::Goal;
use crate::hlc::Hlc;
use crate::ids::{AttendanceId, DeviceId, ParticipantId};
use crate::language::Language;
use crate::participant::Participant;
use crate::reflection::Reflection;
use crate::report_text::ReportText;
use crate::session_log::SessionLog;
use crate::story::Story;
use crate::survey::{SurveyResponse, SurveyTemplate, Templates};
use crate::sync::{Change, EntityKind, EntityRef};
use crate::theory::TheoryOfChange;
use crate::validation::{Context, Problem};

pub const BACKUP_FORMAT: &str = "spor-backup";
pub const BACKUP_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always [`BACKUP_FORMAT`]: tells a Spor backup from any other JSON file.
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub device: DeviceId,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub attendance: Vec<Attendance>,
    #[serde(default)]
    pub attendance_events: Vec<AttendanceEvent>,
    #[serde(default)]
    pub headcounts: Vec<HeadcountEvent>,
    /// Every version of the organisation's own survey templates.
    #[serde(default)]
    pub templates: Vec<SurveyTemplate>,
    #[serde(default)]
    pub responses: Vec<SurveyResponse>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub reflections: Vec<Reflection>,
    /// Since version 2.
    #[serde(default)]
    pub session_logs: Vec<SessionLog>,
    /// Since version 2: every version of every theory of change.
    #[serde(default)]
    pub theories: Vec<TheoryOfChange>,
    /// Since version 2.
    #[serde(default)]
    pub stories: Vec<Story>,
    /// Since version 3: the coordinators' words in the reports' sections.
    #[serde(default)]
    pub report_texts: Vec<ReportText>,
}

/// Why a file cannot be imported. Nothing is changed when any of these is found.
#[derive(Debug, Clone, PartialEq)]
pub enum BackupError {
    /// Not JSON at all, or cut off.
    Unreadable { detail: String },
    /// JSON, but not a Spor backup (another program's file, or a damaged one).
    NotABackup { detail: String },
    /// Made by a newer Spor than this one.
    NewerVersion { version: u32 },
    /// A Spor backup with records that break the rules (e.g. tampered with).
    InvalidRecords { problems: Vec<Problem> },
}

impl From<HeadProblem> for BackupError {
    fn from(problem: HeadProblem) -> BackupError {
        match problem {
            HeadProblem::Unreadable { detail } => BackupError::Unreadable { detail },
            HeadProblem::Foreign { detail } => BackupError::NotABackup { detail },
            HeadProblem::Newer { version } => BackupError::NewerVersion { version },
        }
    }
}

impl BackupError {
    pub fn message(&self, language: Language) -> String {
        match (self, language) {
            (BackupError::Unreadable { detail }, Language::Da) => {
                format!("Filen kan ikke læses som en sikkerhedskopi; måske er den ufuldstændig ({detail}).")
            }
            (BackupError::Unreadable { detail }, Language::En) => {
                format!("The file cannot be read as a backup; it may be incomplete ({detail}).")
            }
            (BackupError::NotABackup { detail }, Language::Da) => {
                format!("Filen er ikke en sikkerhedskopi fra Spor ({detail}).")
            }
            (BackupError::NotABackup { detail }, Language::En) => {
                format!("The file is not a Spor backup ({detail}).")
            }
            (BackupError::NewerVersion { version }, Language::Da) => {
                format!(
                    "Sikkerhedskopien er lavet af en nyere udgave af Spor (format {version}). Opdatér appen først."
                )
            }
            (BackupError::NewerVersion { version }, Language::En) => {
                format!("The backup was made by a newer Spor (format {version}). Update the app first.")
            }
            (BackupError::InvalidRecords { problems }, language) => {
                let first = problems.first().map(|p| p.message(language)).unwrap_or_default();
                match language {
                    Language::Da => format!("Sikkerhedskopien har {} fejl, fx: {first}", problems.len()),
                    Language::En => format!("The backup has {} errors, for example: {first}", problems.len()),
                }
            }
        }
    }
}

impl Backup {
    /// A backup of nothing, from `device` at `exported_at`.
    pub fn empty(device: DeviceId, exported_at: DateTime<Utc>) -> Backup {
        Backup {
            format: BACKUP_FORMAT.to_owned(),
            version: BACKUP_VERSION,
            exported_at,
            device,
            activities: Vec::new(),
            participants: Vec::new(),
            attendance: Vec::new(),
            attendance_events: Vec::new(),
            headcounts: Vec::new(),
            templates: Vec::new(),
            responses: Vec::new(),
            goals: Vec::new(),
            reflections: Vec::new(),
            session_logs: Vec::new(),
            theories: Vec::new(),
            stories: Vec::new(),
            report_texts: Vec::new(),
        }
    }

    /// The records the exports read (funders' tables, a participant's own report).
    pub fn records(&self) -> Records<'_> {
        Records {
            activities: &self.activities,
            templates: &self.templates,
            attendance: &self.attendance,
            events: &self.attendance_events,
            headcounts: &self.headcounts,
            responses: &self.responses,
            stories: &self.stories,
        }
    }

    /// What a device with `role` puts in its backup: only what that role may pull from the
    /// organisation (a volunteer's backup holds no survey answers and no reflections), so a backup
    /// file never holds more than the phone may show.
    pub fn for_role(mut self, role: DeviceRole) -> Backup {
        let may = |topic| role.may_pull(topic);
        if !may(Topic::Activity) {
            self.activities.clear();
        }
        if !may(Topic::Participant) {
            self.participants.clear();
        }
        if !may(Topic::Attendance) {
            self.attendance.clear();
            self.attendance_events.clear();
        }
        if !may(Topic::Headcount) {
            self.headcounts.clear();
        }
        if !may(Topic::Template) {
            self.templates.clear();
        }
        if !may(Topic::SurveyResponse) {
            self.responses.clear();
        }
        if !may(Topic::Goal) {
            self.goals.clear();
        }
        if !may(Topic::Reflection) {
            self.reflections.clear();
        }
        if !may(Topic::SessionLog) {
            self.session_logs.clear();
        }
        if !may(Topic::Theory) {
            self.theories.clear();
        }
        if !may(Topic::Story) {
            self.stories.clear();
        }
        if !may(Topic::ReportText) {
            self.report_texts.clear();
        }
        self
    }

    /// Reads and checks a backup file: the format, the version, and every record's rules.
    pub fn parse(text: &str, context: Context) -> Result<Backup, BackupError> {
        let kind = FileKind {
            format: BACKUP_FORMAT,
            version_field: "version",
            version: BACKUP_VERSION,
        };
        let backup: Backup = kind.read(text)?;
        let mut problems = Vec::new();
        let mut collect =
            |result: Result<(), Vec<Problem>>| problems.extend(result.err().unwrap_or_default());
        backup.activities.iter().for_each(|a| collect(a.validate()));
        backup
            .participants
            .iter()
            .for_each(|p| collect(p.validate(context)));
        backup
            .attendance
            .iter()
            .for_each(|a| collect(a.validate(context)));
        backup
            .headcounts
            .iter()
            .for_each(|h| collect(h.validate(context)));
        backup.templates.iter().for_each(|t| collect(t.validate()));
        backup.goals.iter().for_each(|g| collect(g.validate()));
        backup.reflections.iter().for_each(|r| collect(r.validate()));
        backup
            .session_logs
            .iter()
            .for_each(|l| collect(l.validate(context)));
        backup.theories.iter().for_each(|t| collect(t.validate()));
        backup.stories.iter().for_each(|s| collect(s.validate(context)));
        backup.report_texts.iter().for_each(|t| collect(t.validate()));
        // Each answer against the template version it names: a built-in, or one in the backup.
        for response in &backup.responses {
            let template =
                Templates::new(&backup.templates).version(response.template, response.template_version);
            match template {
                Some(template) => collect(response.validate(template, context)),
                None => collect(Err(vec![Problem::WrongTemplateVersion {
                    expected: 0,
                    found: response.template_version,
                }])),
            }
        }
        if problems.is_empty() {
            Ok(backup)
        } else {
            Err(BackupError::InvalidRecords { problems })
        }
    }

    /// The stamp for fields taken from this backup: its export time, so that any edit made after
    /// the export, anywhere, wins over it.
    pub fn stamp(&self) -> Hlc {
        Hlc {
            wall_ms: u64::try_from(self.exported_at.timestamp_millis()).unwrap_or(0),
            counter: 0,
            device: self.device,
        }
    }
}

/// The kinds of record a device keeps and a backup carries, in the backup's order: the one table
/// that backups, imports, pulls and wipes go by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Activity,
    Participant,
    Attendance,
    AttendanceEvent,
    Headcount,
    Template,
    Response,
    Goal,
    Reflection,
    SessionLog,
    Theory,
    Story,
    ReportText,
}

impl RecordKind {
    pub const ALL: [RecordKind; 13] = [
        RecordKind::Activity,
        RecordKind::Participant,
        RecordKind::Attendance,
        RecordKind::AttendanceEvent,
        RecordKind::Headcount,
        RecordKind::Template,
        RecordKind::Response,
        RecordKind::Goal,
        RecordKind::Reflection,
        RecordKind::SessionLog,
        RecordKind::Theory,
        RecordKind::Story,
        RecordKind::ReportText,
    ];

    /// The backup file's field holding this kind's records.
    pub fn backup_field(self) -> &'static str {
        match self {
            RecordKind::Activity => "activities",
            RecordKind::Participant => "participants",
            RecordKind::Attendance => "attendance",
            RecordKind::AttendanceEvent => "attendance_events",
            RecordKind::Headcount => "headcounts",
            RecordKind::Template => "templates",
            RecordKind::Response => "responses",
            RecordKind::Goal => "goals",
            RecordKind::Reflection => "reflections",
            RecordKind::SessionLog => "session_logs",
            RecordKind::Theory => "theories",
            RecordKind::Story => "stories",
            RecordKind::ReportText => "report_texts",
        }
    }

    /// One record of this kind, as a failure to read it names it.
    pub fn what(self) -> &'static str {
        match self {
            RecordKind::Activity => "activity",
            RecordKind::Participant => "participant",
            RecordKind::Attendance => "attendance",
            RecordKind::AttendanceEvent => "attendance event",
            RecordKind::Headcount => "headcount",
            RecordKind::Template => "survey",
            RecordKind::Response => "survey response",
            RecordKind::Goal => "goal",
            RecordKind::Reflection => "reflection",
            RecordKind::SessionLog => "session log",
            RecordKind::Theory => "theory of change",
            RecordKind::Story => "story",
            RecordKind::ReportText => "report text",
        }
    }

    /// The kind whose records a patch of `entity` edits field by field, when one record holds the
    /// whole entity. A template's versions and the organisation's fields are kept otherwise.
    pub fn patched(entity: EntityKind) -> Option<RecordKind> {
        match entity {
            EntityKind::Activity => Some(RecordKind::Activity),
            EntityKind::Participant => Some(RecordKind::Participant),
            EntityKind::Goal => Some(RecordKind::Goal),
            EntityKind::Reflection => Some(RecordKind::Reflection),
            EntityKind::SessionLog => Some(RecordKind::SessionLog),
            EntityKind::Theory => Some(RecordKind::Theory),
            EntityKind::Story => Some(RecordKind::Story),
            EntityKind::ReportText => Some(RecordKind::ReportText),
            EntityKind::Organisation | EntityKind::Template => None,
        }
    }
}

/// One record an import adds, with the change that carries it to a server.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedRecord {
    pub kind: RecordKind,
    pub record: serde_json::Value,
    pub change: Change,
}

/// What importing a backup adds to a device, decided against what the device already holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPlan {
    pub activities: Vec<Activity>,
    pub participants: Vec<Participant>,
    /// Participants the device holds by name but the backup holds erased: erasure wins.
    pub erase: Vec<ParticipantId>,
    pub attendance: Vec<Attendance>,
    pub attendance_events: Vec<AttendanceEvent>,
    pub headcounts: Vec<HeadcountEvent>,
    pub templates: Vec<SurveyTemplate>,
    pub responses: Vec<SurveyResponse>,
    pub goals: Vec<Goal>,
    pub reflections: Vec<Reflection>,
    pub session_logs: Vec<SessionLog>,
    pub theories: Vec<TheoryOfChange>,
    pub stories: Vec<Story>,
    pub report_texts: Vec<ReportText>,
}

impl ImportPlan {
    /// Merges `backup` into `existing` (what the device holds, in the same shape).
    pub fn new(backup: Backup, existing: &Backup) -> ImportPlan {
        let known_activities: HashSet<_> = existing.activities.iter().map(|a| a.id).collect();
        let known_participants: HashMap<_, _> = existing.participants.iter().map(|p| (p.id, p)).collect();
        let mut canonical_by_key: HashMap<_, AttendanceId> = existing
            .attendance
            .iter()
            .map(|a| (a.natural_key(), a.id))
            .collect();
        let mut canonical: HashMap<AttendanceId, AttendanceId> =
            existing.attendance.iter().map(|a| (a.id, a.id)).collect();
        let known_events: HashSet<_> = existing.attendance_events.iter().map(|e| e.id).collect();
        let known_headcounts: HashSet<_> = existing.headcounts.iter().map(|h| h.id).collect();
        let known_templates: HashSet<_> = existing.templates.iter().map(|t| (t.id, t.version)).collect();
        let known_responses: HashSet<_> = existing.responses.iter().map(|r| r.id).collect();
        let known_goals: HashSet<_> = existing.goals.iter().map(|g| g.id).collect();
        let known_reflections: HashSet<_> = existing.reflections.iter().map(|r| r.id).collect();
        let known_logs: HashSet<_> = existing.session_logs.iter().map(|l| l.id).collect();
        let known_theories: HashSet<_> = existing.theories.iter().map(|t| t.id).collect();
        let known_stories: HashSet<_> = existing.stories.iter().map(|s| s.id).collect();
        let known_texts: HashSet<_> = existing.report_texts.iter().map(|t| t.id).collect();
        let erased: HashSet<ParticipantId> = existing
            .participants
            .iter()
            .chain(&backup.participants)
            .filter(|p| p.erased)
            .map(|p| p.id)
            .collect();

        let mut plan = ImportPlan {
            activities: backup
                .activities
                .into_iter()
                .filter(|a| !known_activities.contains(&a.id))
                .collect(),
            ..ImportPlan::default()
        };
        for participant in backup.participants {
            match known_participants.get(&participant.id) {
                None => plan.participants.push(participant),
                Some(local) if participant.erased && !local.erased => plan.erase.push(participant.id),
                Some(_) => {}
            }
        }
        for attendance in backup.attendance {
            if canonical.contains_key(&attendance.id) {
                continue;
            }
            match canonical_by_key.get(&attendance.natural_key()) {
                // The same person at the same occurrence: the device's own check-in stays canonical.
                Some(&local) => {
                    canonical.insert(attendance.id, local);
                }
                None => {
                    canonical_by_key.insert(attendance.natural_key(), attendance.id);
                    canonical.insert(attendance.id, attendance.id);
                    plan.attendance.push(attendance);
                }
            }
        }
        plan.attendance_events = backup
            .attendance_events
            .into_iter()
            .filter(|event| !known_events.contains(&event.id))
            .filter_map(|mut event| {
                event.attendance = *canonical.get(&event.attendance)?;
                Some(event)
            })
            .collect();
        plan.headcounts = backup
            .headcounts
            .into_iter()
            .filter(|h| !known_headcounts.contains(&h.id))
            .collect();
        plan.templates = backup
            .templates
            .into_iter()
            .filter(|t| !known_templates.contains(&(t.id, t.version)))
            .collect();
        plan.responses = backup
            .responses
            .into_iter()
            .filter(|r| !known_responses.contains(&r.id))
            .map(|mut response| {
                // An erased person's answers stay only unlinked.
                if response.participant.is_some_and(|p| erased.contains(&p)) {
                    response.participant = None;
                }
                response
            })
            .collect();
        plan.goals = backup
            .goals
            .into_iter()
            .filter(|g| !known_goals.contains(&g.id))
            .collect();
        plan.reflections = backup
            .reflections
            .into_iter()
            .filter(|r| !known_reflections.contains(&r.id))
            .collect();
        plan.session_logs = backup
            .session_logs
            .into_iter()
            .filter(|l| !known_logs.contains(&l.id))
            .collect();
        plan.theories = backup
            .theories
            .into_iter()
            .filter(|t| !known_theories.contains(&t.id))
            .collect();
        // A story about someone erased goes with them.
        plan.stories = backup
            .stories
            .into_iter()
            .filter(|s| !known_stories.contains(&s.id))
            .filter(|s| s.participant.is_none_or(|p| !erased.contains(&p)))
            .collect();
        plan.report_texts = backup
            .report_texts
            .into_iter()
            .filter(|t| !known_texts.contains(&t.id))
            .collect();
        plan
    }

    /// Every record the import adds, in the backup's order, each with its change: a check-in,
    /// event, count or answer as itself; an activity, participant, goal, reflection or session log as a patch
    /// of every field; a template version as its template's field `v<n>`. Edits are stamped with
    /// `stamp` (the backup's export time), so later edits elsewhere win.
    pub fn added(&self, stamp: Hlc) -> Vec<AddedRecord> {
        fn added<T: Serialize>(kind: RecordKind, record: &T, change: Change) -> AddedRecord {
            AddedRecord {
                kind,
                record: serde_json::to_value(record).expect("spor-core's records always serialise"),
                change,
            }
        }
        fn entity(kind: EntityKind, id: uuid::Uuid) -> EntityRef {
            EntityRef { kind, id }
        }
        let activities = self.activities.iter().map(|a| {
            let change = Change::patch_of(entity(EntityKind::Activity, a.id.0), a, stamp);
            added(RecordKind::Activity, a, change)
        });
        let participants = self.participants.iter().map(|p| {
            let change = Change::patch_of(entity(EntityKind::Participant, p.id.0), p, stamp);
            added(RecordKind::Participant, p, change)
        });
        let attendance = self.attendance.iter().map(|a| {
            added(
                RecordKind::Attendance,
                a,
                Change::CheckIn {
                    attendance: a.clone(),
                },
            )
        });
        let events = self.attendance_events.iter().map(|e| {
            added(
                RecordKind::AttendanceEvent,
                e,
                Change::AttendanceEvent { event: e.clone() },
            )
        });
        let headcounts = self
            .headcounts
            .iter()
            .map(|h| added(RecordKind::Headcount, h, Change::Headcount { event: h.clone() }));
        let templates = self
            .templates
            .iter()
            .map(|t| added(RecordKind::Template, t, Change::template_version(t, stamp)));
        let responses = self.responses.iter().map(|r| {
            added(
                RecordKind::Response,
                r,
                Change::SurveyResponse { response: r.clone() },
            )
        });
        let goals = self.goals.iter().map(|g| {
            let change = Change::patch_of(entity(EntityKind::Goal, g.id.0), g, stamp);
            added(RecordKind::Goal, g, change)
        });
        let reflections = self.reflections.iter().map(|r| {
            let change = Change::patch_of(entity(EntityKind::Reflection, r.id.0), r, stamp);
            added(RecordKind::Reflection, r, change)
        });
        let session_logs = self.session_logs.iter().map(|l| {
            let change = Change::patch_of(entity(EntityKind::SessionLog, l.id.0), l, stamp);
            added(RecordKind::SessionLog, l, change)
        });
        let theories = self.theories.iter().map(|t| {
            let change = Change::patch_of(entity(EntityKind::Theory, t.id.0), t, stamp);
            added(RecordKind::Theory, t, change)
        });
        let stories = self.stories.iter().map(|s| {
            let change = Change::patch_of(entity(EntityKind::Story, s.id.0), s, stamp);
            added(RecordKind::Story, s, change)
        });
        let report_texts = self.report_texts.iter().map(|t| {
            let change = Change::patch_of(entity(EntityKind::ReportText, t.id.0), t, stamp);
            added(RecordKind::ReportText, t, change)
        });
        activities
            .chain(participants)
            .chain(attendance)
            .chain(events)
            .chain(headcounts)
            .chain(templates)
            .chain(responses)
            .chain(goals)
            .chain(reflections)
            .chain(session_logs)
            .chain(theories)
            .chain(stories)
            .chain(report_texts)
            .collect()
    }

    /// How many records the import adds or erases.
    pub fn len(&self) -> usize {
        self.activities.len()
            + self.participants.len()
            + self.erase.len()
            + self.attendance.len()
            + self.attendance_events.len()
            + self.headcounts.len()
            + self.templates.len()
            + self.responses.len()
            + self.goals.len()
            + self.reflections.len()
            + self.session_logs.len()
            + self.theories.len()
            + self.stories.len()
            + self.report_texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::attendance::AttendanceChange;
    use crate::ids::{ActivityId, AttendanceEventId};
    use crate::instruments::Instrument;
    use crate::participant::Consent;
    use chrono::NaiveDate;

    fn context() -> Context {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        }
    }

    fn empty() -> Backup {
        Backup::empty(
            DeviceId::generate(),
            DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        )
    }

    fn person(name: &str) -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: name.into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: vec![],
            erased: false,
            merged_into: None,
        }
    }

    fn attend(participant: ParticipantId, activity: ActivityId) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant,
            activity,
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            role: Role::Bruger,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }
    }

    #[test]
    fn foreign_truncated_and_newer_files_are_refused_with_the_reason() {
        let backup = empty();
        let json = serde_json::to_string(&backup).unwrap();
        assert!(matches!(
            Backup::parse(&json[..json.len() / 2], context()),
            Err(BackupError::Unreadable { .. })
        ));
        assert!(matches!(
            Backup::parse(r#"{"name": "Excel export"}"#, context()),
            Err(BackupError::NotABackup { .. })
        ));
        let current = format!("\"version\":{BACKUP_VERSION}");
        let next = BACKUP_VERSION + 1;
        let newer = json.replace(&current, &format!("\"version\":{next}"));
        assert_eq!(
            Backup::parse(&newer, context()),
            Err(BackupError::NewerVersion { version: next })
        );
        assert_eq!(Backup::parse(&json, context()), Ok(backup));
    }

    #[test]
    fn a_version_1_file_without_session_logs_still_reads() {
        let mut backup = empty();
        backup.version = 1;
        let mut json: serde_json::Value = serde_json::to_value(&backup).unwrap();
        json.as_object_mut().unwrap().remove("session_logs");
        let read = Backup::parse(&json.to_string(), context()).unwrap();
        assert_eq!(read.version, 1);
        assert!(read.session_logs.is_empty());
    }

    #[test]
    fn a_reports_text_travels_once_as_a_patch_and_stays_with_coordinators() {
        use crate::access::DeviceRole;
        use crate::report::{ReportShape, Section};
        use crate::report_text::ReportPart;
        let text = ReportText::new(
            ReportPart {
                shape: ReportShape::AnnualReport,
                activity: None,
                from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
                section: Section::Reflections,
            },
            "Vi lærte at spørge deltagerne først.".into(),
        );
        let mut backup = empty();
        backup.report_texts.push(text.clone());
        let parsed = Backup::parse(&serde_json::to_string(&backup).unwrap(), context()).unwrap();
        let plan = ImportPlan::new(parsed.clone(), &empty());
        let added = plan.added(backup.stamp());
        assert!(matches!(
            &added[..],
            [AddedRecord { kind: RecordKind::ReportText, change: Change::Patch { entity, .. }, .. }]
                if entity.kind == EntityKind::ReportText && entity.id == text.id.0
        ));
        assert!(ImportPlan::new(parsed.clone(), &parsed).is_empty(), "once");
        assert!(parsed.for_role(DeviceRole::Volunteer).report_texts.is_empty());
    }

    #[test]
    fn a_tampered_record_is_refused_with_its_problem_in_danish() {
        let mut backup = empty();
        backup.participants.push(person(&"x".repeat(200)));
        let error = Backup::parse(&serde_json::to_string(&backup).unwrap(), context()).unwrap_err();
        assert_eq!(
            error.message(Language::Da),
            "Sikkerhedskopien har 1 fejl, fx: Kaldenavnet er for langt: 200 tegn, højst 40."
        );
    }

    #[test]
    fn goals_and_reflections_travel_once_and_an_impossible_goal_is_refused() {
        use crate::goal::{Comparison, GoalMetric};
        use crate::ids::{GoalId, ReflectionId};
        let goal = Goal {
            id: GoalId::generate(),
            activity: ActivityId::generate(),
            metric: GoalMetric::NewParticipantsPercent,
            comparison: Comparison::AtLeast,
            target: Some(20.0),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            outcome: None,
        };
        let reflection = Reflection {
            id: ReflectionId::generate(),
            activity: goal.activity,
            from: goal.from,
            to: goal.to,
            text: "Flere nye kom, da vi flyttede til torsdag.".into(),
            written_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        };
        let mut backup = empty();
        backup.goals.push(goal.clone());
        backup.reflections.push(reflection.clone());
        let text = serde_json::to_string(&backup).unwrap();
        let parsed = Backup::parse(&text, context()).unwrap();
        assert_eq!(ImportPlan::new(parsed.clone(), &empty()).len(), 2);
        assert!(
            ImportPlan::new(parsed.clone(), &parsed).is_empty(),
            "imported once"
        );

        backup.goals[0].target = Some(120.0);
        let error = Backup::parse(&serde_json::to_string(&backup).unwrap(), context()).unwrap_err();
        assert!(matches!(error, BackupError::InvalidRecords { .. }));
    }

    #[test]
    fn import_adds_what_is_missing_and_never_overwrites() {
        let activity = ActivityId::generate();
        let soren = person("Søren");
        let mut renamed = soren.clone();
        renamed.pseudonym = "Old name".into();
        let mut existing = empty();
        existing.participants.push(soren.clone());
        let mut backup = empty();
        let aase = person("Åse");
        backup.participants = vec![renamed, aase.clone()];
        backup.attendance = vec![attend(aase.id, activity)];
        let plan = ImportPlan::new(backup, &existing);
        assert_eq!(plan.participants, vec![aase]);
        assert_eq!(plan.attendance.len(), 1);
        assert_eq!(plan.len(), 2);
    }

    #[test]
    fn an_erasure_wins_in_both_directions() {
        let soren = person("Søren");
        let mut erased = soren.clone();
        erased.erase();

        let mut holds_name = empty();
        holds_name.participants.push(soren.clone());
        let mut backup = empty();
        backup.participants.push(erased.clone());
        assert_eq!(ImportPlan::new(backup, &holds_name).erase, vec![soren.id]);

        let mut holds_erased = empty();
        holds_erased.participants.push(erased);
        let mut old_backup = empty();
        old_backup.participants.push(soren);
        assert!(
            ImportPlan::new(old_backup, &holds_erased).is_empty(),
            "an erased name never comes back"
        );
    }

    #[test]
    fn the_same_check_in_from_another_device_keeps_the_local_one_and_moves_its_events() {
        let activity = ActivityId::generate();
        let soren = person("Søren");
        let local = attend(soren.id, activity);
        let other = attend(soren.id, activity);
        let mut existing = empty();
        existing.attendance.push(local.clone());
        let mut backup = empty();
        backup.attendance.push(other.clone());
        backup.attendance_events.push(AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance: other.id,
            change: AttendanceChange::Withdrawn,
            stamp: backup.stamp(),
        });
        let plan = ImportPlan::new(backup, &existing);
        assert!(plan.attendance.is_empty());
        assert_eq!(plan.attendance_events.len(), 1);
        assert_eq!(plan.attendance_events[0].attendance, local.id);
    }

    #[test]
    fn a_backup_holds_only_what_the_devices_role_may_pull() {
        use crate::ids::ReflectionId;
        let activity = ActivityId::generate();
        let soren = person("Søren");
        let mut backup = empty();
        backup.attendance.push(attend(soren.id, activity));
        backup.participants.push(soren);
        let template = Instrument::Who5.template();
        backup.responses.push(SurveyResponse {
            id: crate::ids::ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity,
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            participant: None,
            answers: Default::default(),
            mode: Default::default(),
            language: Language::Da,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        });
        backup.reflections.push(Reflection {
            id: ReflectionId::generate(),
            activity,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            text: "Flere kom.".into(),
            written_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        });

        assert_eq!(backup.clone().for_role(DeviceRole::Coordinator), backup);
        let volunteer = backup.clone().for_role(DeviceRole::Volunteer);
        assert_eq!(volunteer.participants, backup.participants);
        assert_eq!(volunteer.attendance, backup.attendance);
        assert!(
            volunteer.responses.is_empty(),
            "no answers in a volunteer's backup"
        );
        assert!(volunteer.reflections.is_empty());
        let kiosk = backup.clone().for_role(DeviceRole::Kiosk);
        assert!(kiosk.participants.is_empty() && kiosk.attendance.is_empty() && kiosk.responses.is_empty());
    }

    #[test]
    fn a_tampered_answer_outside_its_scale_is_refused_with_a_message() {
        let template = Instrument::Who5.template();
        let mut response = SurveyResponse {
            id: crate::ids::ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            participant: None,
            answers: template
                .questions
                .iter()
                .map(|q| (q.id.clone(), crate::survey::Answer::Choice(3)))
                .collect(),
            mode: Default::default(),
            language: Language::Da,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        };
        let mut backup = empty();
        backup.responses.push(response.clone());
        let text = serde_json::to_string(&backup).unwrap();
        assert_eq!(
            Backup::parse(&text, context()).unwrap().responses,
            vec![response.clone()]
        );

        response
            .answers
            .insert(template.questions[0].id.clone(), crate::survey::Answer::Choice(9));
        backup.responses = vec![response];
        let error = Backup::parse(&serde_json::to_string(&backup).unwrap(), context()).unwrap_err();
        assert!(matches!(
            &error,
            BackupError::InvalidRecords { problems } if matches!(problems[..], [Problem::AnswerOutOfScale { value: 9, .. }])
        ));
        assert!(
            error
                .message(Language::Da)
                .starts_with("Sikkerhedskopien har 1 fejl")
        );
    }

    #[test]
    fn every_record_kind_has_its_field_in_the_backup_file() {
        let file = serde_json::to_value(empty()).unwrap();
        let mut fields: Vec<&str> = file
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|field| !["format", "version", "exported_at", "device"].contains(field))
            .collect();
        let mut kinds: Vec<&str> = RecordKind::ALL.iter().map(|kind| kind.backup_field()).collect();
        fields.sort_unstable();
        kinds.sort_unstable();
        assert_eq!(fields, kinds);
    }

    #[test]
    fn an_import_adds_each_record_with_the_change_that_carries_it_stamped_with_the_export_time() {
        use crate::goal::{Comparison, GoalMetric};
        use crate::ids::{GoalId, HeadcountEventId};
        use crate::language::Texts;
        let demo = crate::demo::generate(
            crate::demo::DemoSize::YEAR,
            7,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            crate::Language::Da,
        );
        let mut backup = empty();
        backup.activities = demo.activities[..1].to_vec();
        backup.participants = vec![person("Åse")];
        backup.attendance = vec![attend(backup.participants[0].id, backup.activities[0].id)];
        backup.headcounts = vec![HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity: backup.activities[0].id,
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            role: Role::Deltager,
            delta: 1,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }];
        backup.templates = vec![SurveyTemplate::custom(
            Texts::new("Efter caféen", "After the café"),
            vec![],
        )];
        backup.responses = demo.responses[..1].to_vec();
        backup.goals = vec![Goal {
            id: GoalId::generate(),
            activity: backup.activities[0].id,
            metric: GoalMetric::NewParticipantsPercent,
            comparison: Comparison::AtLeast,
            target: Some(20.0),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            outcome: None,
        }];
        let stamp = backup.stamp();
        let plan = ImportPlan::new(backup.clone(), &empty());
        let added = plan.added(stamp);
        let kinds: Vec<RecordKind> = added.iter().map(|record| record.kind).collect();
        assert_eq!(
            kinds,
            [
                RecordKind::Activity,
                RecordKind::Participant,
                RecordKind::Attendance,
                RecordKind::Headcount,
                RecordKind::Template,
                RecordKind::Response,
                RecordKind::Goal,
            ]
        );
        // Each record as the backup had it.
        assert_eq!(
            added[1].record,
            serde_json::to_value(&backup.participants[0]).unwrap()
        );
        // A whole record travels as a patch of every field but its id, stamped with the export time.
        let Change::Patch { entity, fields } = &added[0].change else {
            panic!("an activity travels as a patch");
        };
        assert_eq!(
            (entity.kind, entity.id),
            (EntityKind::Activity, backup.activities[0].id.0)
        );
        assert!(!fields.contains_key("id") && fields.contains_key("name"));
        assert!(fields.values().all(|field| field.stamp == stamp));
        assert_eq!(
            added[2].change,
            Change::CheckIn {
                attendance: backup.attendance[0].clone()
            }
        );
        // A template version travels as its template's field v1.
        let Change::Patch { entity, fields } = &added[4].change else {
            panic!("a template version travels as a patch");
        };
        assert_eq!(entity.kind, EntityKind::Template);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["v1"]);
        assert_eq!(
            added[5].change,
            Change::SurveyResponse {
                response: backup.responses[0].clone()
            }
        );
    }
}
