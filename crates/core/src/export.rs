//! Exports for funders and spreadsheets: one row per attendance and one row per survey response,
//! over a chosen period and activity.
//!
//! People appear as numbers that hold only within one file ("D0001"), never by pseudonym, and
//! free-text answers stay on the device (they can name people). The responses to a survey answered
//! by fewer distinct people than the suppression threshold are left out, as the trends hide them.
//! CSV comes as Danish Excel opens it without questions: UTF-8 with a byte order mark, semicolons
//! and decimal commas (or commas and decimal points, for other spreadsheets).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::Language;
use crate::activity::Activity;
use crate::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use crate::ids::{ActivityId, ParticipantId, TemplateId};
use crate::instruments::Instrument;
use crate::scoring::{Scoring, score};
use crate::story::Story;
use crate::survey::{AdministrationMode, QuestionId, SurveyResponse, SurveyTemplate, Templates};
use crate::trends::Visit;

/// Everything an export may draw on: the device's records as they are stored.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub activities: &'a [Activity],
    /// The organisation's own templates, every version (the built-ins are known without them).
    pub templates: &'a [SurveyTemplate],
    pub attendance: &'a [Attendance],
    pub events: &'a [AttendanceEvent],
    pub headcounts: &'a [HeadcountEvent],
    pub responses: &'a [SurveyResponse],
    /// Stories and observations (in a participant's own report, those naming them).
    pub stories: &'a [Story],
}

/// What to export: a date range (both days included) and, optionally, one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub activity: Option<ActivityId>,
    pub language: Language,
    pub suppression_threshold: u32,
}

impl Selection {
    fn includes(&self, activity: ActivityId, date: NaiveDate) -> bool {
        self.activity.is_none_or(|wanted| wanted == activity) && self.from <= date && date <= self.to
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

/// One sheet of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The two tables of an export, and the surveys left out for having too few respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub attendance: Table,
    pub responses: Table,
    pub withheld_surveys: Vec<String>,
}

fn texts(language: Language, da: &str, en: &str) -> String {
    match language {
        Language::Da => da,
        Language::En => en,
    }
    .to_owned()
}

impl Export {
    pub fn new(records: &Records, selection: &Selection) -> Export {
        let language = selection.language;
        let activity_name: HashMap<ActivityId, &str> = records
            .activities
            .iter()
            .map(|activity| (activity.id, activity.name.as_str()))
            .collect();
        let name_of =
            |activity: ActivityId| Cell::Text(activity_name.get(&activity).copied().unwrap_or("").to_owned());

        let mut visits: Vec<Visit> = Visit::from_records(records.attendance, records.events)
            .into_iter()
            .filter(|visit| selection.includes(visit.activity, visit.date))
            .collect();
        visits.sort_by_key(|visit| (visit.date, visit.activity, visit.participant));
        let mut anonymous: BTreeMap<(NaiveDate, ActivityId, crate::Role), i64> = BTreeMap::new();
        for event in records
            .headcounts
            .iter()
            .filter(|event| selection.includes(event.activity, event.date))
        {
            *anonymous
                .entry((event.date, event.activity, event.role))
                .or_default() += i64::from(event.delta);
        }

        let templates = Templates::new(records.templates);
        let mut responses: Vec<&SurveyResponse> = records
            .responses
            .iter()
            .filter(|response| selection.includes(response.activity, response.date))
            .collect();
        responses.sort_by_key(|response| (response.date, response.recorded_at));
        // Distinct respondents per survey: a linked person once, each anonymous answer alone.
        let mut respondents: BTreeMap<TemplateId, BTreeSet<uuid::Uuid>> = BTreeMap::new();
        for response in &responses {
            let who = response
                .participant
                .map_or(response.id.0, |participant| participant.0);
            respondents.entry(response.template).or_default().insert(who);
        }
        let too_few: BTreeSet<TemplateId> = respondents
            .iter()
            .filter(|(_, people)| people.len() < selection.suppression_threshold as usize)
            .map(|(template, _)| *template)
            .collect();
        let withheld_surveys = too_few
            .iter()
            .filter_map(|template| templates.newest(*template))
            .map(|template| template.name.get(language).to_owned())
            .collect();
        responses.retain(|response| !too_few.contains(&response.template));

        // People as numbers, in order of first appearance, the same in both tables.
        let mut numbers: HashMap<ParticipantId, usize> = HashMap::new();
        let mut number = |participant: ParticipantId| {
            let next = numbers.len() + 1;
            let number = *numbers.entry(participant).or_insert(next);
            Cell::Text(format!("D{number:04}"))
        };

        let mut attendance_rows: Vec<(NaiveDate, ActivityId, Vec<Cell>)> = visits
            .iter()
            .map(|visit| {
                (
                    visit.date,
                    visit.activity,
                    vec![
                        Cell::Date(visit.date),
                        name_of(visit.activity),
                        number(visit.participant),
                        Cell::Text(visit.role.label(language).to_owned()),
                        Cell::Number(1.0),
                    ],
                )
            })
            .collect();
        attendance_rows.extend(anonymous.into_iter().filter(|(_, count)| *count > 0).map(
            |((date, activity, role), count)| {
                (
                    date,
                    activity,
                    vec![
                        Cell::Date(date),
                        name_of(activity),
                        Cell::Empty,
                        Cell::Text(role.label(language).to_owned()),
                        Cell::Number(count as f64),
                    ],
                )
            },
        ));
        // Stable: within an occurrence the named rows come before its anonymous counts.
        attendance_rows.sort_by_key(|(date, activity, _)| (*date, *activity));
        let attendance = Table {
            name: texts(language, "Fremmøde", "Attendance"),
            header: vec![
                texts(language, "Dato", "Date"),
                texts(language, "Aktivitet", "Activity"),
                texts(language, "Deltager", "Participant"),
                texts(language, "Rolle", "Role"),
                texts(language, "Antal", "Count"),
            ],
            rows: attendance_rows.into_iter().map(|(_, _, row)| row).collect(),
        };

        // One column per numeric question of the surveys in the file, in the surveys' own order.
        let mut questions: Vec<QuestionId> = Vec::new();
        for response in &responses {
            if let Some(template) = templates.version(response.template, response.template_version) {
                for question in &template.questions {
                    if question.kind.scale().is_some() && !questions.contains(&question.id) {
                        questions.push(question.id.clone());
                    }
                }
            }
        }
        let mut header = vec![
            texts(language, "Dato", "Date"),
            texts(language, "Aktivitet", "Activity"),
            texts(language, "Spørgeskema", "Survey"),
            texts(language, "Version", "Version"),
            texts(language, "Deltager", "Participant"),
            texts(language, "Besvarelse", "Answered"),
            texts(language, "Score", "Score"),
        ];
        header.extend(questions.iter().map(|question| question.0.clone()));
        let rows = responses
            .iter()
            .map(|response| {
                let template = templates.version(response.template, response.template_version);
                let mut row = vec![
                    Cell::Date(response.date),
                    name_of(response.activity),
                    Cell::Text(template.map_or(String::new(), |t| t.name.get(language).to_owned())),
                    Cell::Number(f64::from(response.template_version)),
                    response.participant.map_or(Cell::Empty, &mut number),
                    Cell::Text(mode_label(response.mode, language)),
                    main_score(response),
                ];
                row.extend(questions.iter().map(|question| {
                    response
                        .answers
                        .get(question)
                        .and_then(|answer| answer.value())
                        .map_or(Cell::Empty, |value| Cell::Number(value as f64))
                }));
                row
            })
            .collect();
        let responses = Table {
            name: texts(language, "Besvarelser", "Responses"),
            header,
            rows,
        };
        Export {
            attendance,
            responses,
            withheld_surveys,
        }
    }
}

fn mode_label(mode: AdministrationMode, language: Language) -> String {
    match mode {
        AdministrationMode::SelfCompleted => texts(language, "Selv", "Self"),
        AdministrationMode::ReadAloud => texts(language, "Læst op", "Read aloud"),
        AdministrationMode::Assisted => texts(language, "Med hjælp", "Assisted"),
    }
}

/// A validated instrument's headline number (WHO-5 0-100, T-ILS 3-9, ...), when it could be scored.
fn main_score(response: &SurveyResponse) -> Cell {
    Instrument::from_template_id(response.template)
        .filter(|instrument| instrument.is_validated())
        .and_then(|instrument| match score(instrument, &response.answers) {
            Scoring::Scored { score } => score.measurements().first().map(|m| Cell::Number(m.value)),
            Scoring::NotScored { .. } => None,
        })
        .unwrap_or(Cell::Empty)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// Danish Excel: `;` between fields, `,` in decimals.
    Semicolon,
    /// Most other spreadsheets: `,` between fields, `.` in decimals.
    Comma,
}

impl Table {
    /// The table as CSV: a byte order mark (so Excel reads UTF-8), a header row, CRLF line ends.
    pub fn to_csv(&self, separator: Separator) -> String {
        let between = match separator {
            Separator::Semicolon => ';',
            Separator::Comma => ',',
        };
        let mut csv = String::from('\u{feff}');
        let mut line = |cells: Vec<String>| {
            let quoted: Vec<String> = cells.iter().map(|cell| quote(cell, between)).collect();
            csv.push_str(&quoted.join(&between.to_string()));
            csv.push_str("\r\n");
        };
        line(self.header.clone());
        for row in &self.rows {
            line(
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(text) => defuse_formula(text),
                        Cell::Number(value) => decimal(*value, separator),
                        Cell::Date(date) => date.to_string(),
                        Cell::Empty => String::new(),
                    })
                    .collect(),
            );
        }
        csv
    }
}

/// A number without thousands separators (a spreadsheet would read Danish "1.234" as 1,234 or
/// as text), with the separator's decimal mark.
fn decimal(value: f64, separator: Separator) -> String {
    if value.fract() == 0.0 {
        return format!("{value:.0}");
    }
    let plain = format!("{value:.2}");
    match separator {
        Separator::Semicolon => plain.replace('.', ","),
        Separator::Comma => plain,
    }
}

/// A field in quotes when it holds the separator, a quote or a line break (quotes doubled).
fn quote(field: &str, separator: char) -> String {
    if field.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Text a spreadsheet would run as a formula ("=HYPERLINK(...)", typed as an activity name) is
/// prefixed with an apostrophe, so it shows as the text it is.
fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
