//! Exports: what a funder's spreadsheet gets, read back the way a spreadsheet reads it.

use chrono::{DateTime, NaiveDate, Utc};
use spor_core::Language;
use spor_core::Role;
use spor_core::activity::Activity;
use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
use spor_core::export::{Cell, Export, Records, Selection, Separator, Table};
use spor_core::hlc::Hlc;
use spor_core::ids::*;
use spor_core::instruments::Instrument;
use spor_core::survey::{AdministrationMode, Answer, SurveyResponse};

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_764_000_000, 0).unwrap()
}

fn activity(name: &str) -> Activity {
    Activity {
        id: ActivityId::generate(),
        name: name.to_owned(),
        description: String::new(),
        place: String::new(),
        schedule: None,
        roles: Role::ALL.to_vec(),
        archived: false,
        surveys: Vec::new(),
    }
}

fn check_in(participant: ParticipantId, activity: ActivityId, on: NaiveDate) -> Attendance {
    Attendance {
        id: AttendanceId::generate(),
        participant,
        activity,
        date: on,
        role: Role::Bruger,
        recorded_at: at(),
        recorded_by: DeviceId::generate(),
    }
}

fn who5(activity: ActivityId, participant: Option<ParticipantId>, on: NaiveDate) -> SurveyResponse {
    let template = Instrument::Who5.template();
    SurveyResponse {
        id: ResponseId::generate(),
        template: template.id,
        template_version: template.version,
        activity,
        date: on,
        participant,
        answers: template
            .questions
            .iter()
            .map(|question| (question.id.clone(), Answer::Choice(3)))
            .collect(),
        mode: AdministrationMode::SelfCompleted,
        language: Language::Da,
        recorded_at: at(),
        recorded_by: DeviceId::generate(),
    }
}

fn selection(language: Language) -> Selection {
    Selection {
        from: date(1, 1),
        to: date(12, 31),
        activity: None,
        language,
        suppression_threshold: 5,
    }
}

/// Reads CSV as a spreadsheet does: fields split on the separator, quotes honoured.
fn parse(csv: &str, separator: char) -> Vec<Vec<String>> {
    let text = csv.strip_prefix('\u{feff}').expect("a byte order mark first");
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (c, false) if c == separator => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn attendance_rows_hold_every_visit_and_anonymous_count_and_no_name() {
    let cafe = activity("Torsdagscafé");
    let (soren, ase) = (ParticipantId::generate(), ParticipantId::generate());
    let attendance = vec![
        check_in(soren, cafe.id, date(3, 5)),
        check_in(ase, cafe.id, date(3, 5)),
        check_in(soren, cafe.id, date(3, 12)),
    ];
    let withdrawn = AttendanceEvent {
        id: AttendanceEventId::generate(),
        attendance: attendance[1].id,
        change: AttendanceChange::Withdrawn,
        stamp: Hlc::start(DeviceId::generate()).tick(1),
    };
    let tap = |delta| HeadcountEvent {
        id: HeadcountEventId::generate(),
        activity: cafe.id,
        date: date(3, 5),
        role: Role::Deltager,
        delta,
        recorded_at: at(),
        recorded_by: DeviceId::generate(),
    };
    let headcounts = vec![tap(1), tap(1), tap(-1)];
    let records = Records {
        activities: std::slice::from_ref(&cafe),
        templates: &[],
        attendance: &attendance,
        events: &[withdrawn],
        headcounts: &headcounts,
        responses: &[],
        stories: &[],
    };
    let export = Export::new(&records, &selection(Language::Da));
    let csv = export.attendance.to_csv(Separator::Semicolon);
    let rows = parse(&csv, ';');
    assert_eq!(rows[0], ["Dato", "Aktivitet", "Deltager", "Rolle", "Antal"]);
    assert_eq!(
        rows[1..],
        [
            ["2026-03-05", "Torsdagscafé", "D0001", "Bruger", "1"],
            ["2026-03-05", "Torsdagscafé", "", "Deltager", "1"],
            ["2026-03-12", "Torsdagscafé", "D0001", "Bruger", "1"],
        ]
    );
    let total: u32 = rows[1..].iter().map(|row| row[4].parse::<u32>().unwrap()).sum();
    assert_eq!(total, 3, "the withdrawn check-in is not counted");
}

#[test]
fn a_survey_answered_by_fewer_than_five_people_is_left_out() {
    let cafe = activity("Café");
    let few: Vec<SurveyResponse> = (0..4).map(|_| who5(cafe.id, None, date(4, 1))).collect();
    let records = Records {
        activities: std::slice::from_ref(&cafe),
        templates: &[],
        attendance: &[],
        events: &[],
        headcounts: &[],
        responses: &few,
        stories: &[],
    };
    let export = Export::new(&records, &selection(Language::En));
    assert!(export.responses.rows.is_empty());
    assert_eq!(export.withheld_surveys, ["WHO-5 Well-Being Index"]);

    let mut enough = few.clone();
    let linked = ParticipantId::generate();
    enough.push(who5(cafe.id, Some(linked), date(4, 2)));
    let records = Records {
        responses: &enough,
        ..records
    };
    let export = Export::new(&records, &selection(Language::En));
    assert_eq!(export.responses.rows.len(), 5);
    assert!(export.withheld_surveys.is_empty());
    // All five items answered 3: raw 15, percentage 60.
    assert_eq!(export.responses.rows[0][6], Cell::Number(60.0));
    assert_eq!(export.responses.rows[4][4], Cell::Text("D0001".into()));
    assert_eq!(
        export.responses.header[7..],
        ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]
    );
}

#[test]
fn csv_quotes_separators_defuses_formulas_and_writes_decimals_for_its_spreadsheet() {
    let table = Table {
        name: "Test".into(),
        header: vec!["a".into(), "b".into(), "c".into()],
        rows: vec![vec![
            Cell::Text("=HYPERLINK(\"http://x\";\"y\")".into()),
            Cell::Text("Café; hygge".into()),
            Cell::Number(1234.5),
        ]],
    };
    let danish = parse(&table.to_csv(Separator::Semicolon), ';');
    assert_eq!(
        danish[1],
        ["'=HYPERLINK(\"http://x\";\"y\")", "Café; hygge", "1234,50"]
    );
    let english = parse(&table.to_csv(Separator::Comma), ',');
    assert_eq!(
        english[1],
        ["'=HYPERLINK(\"http://x\";\"y\")", "Café; hygge", "1234.50"]
    );
}
