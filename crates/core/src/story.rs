//! Stories and observations: what a volunteer noticed at a session (a sign of change, a quote, a
//! situation), the told half of the documentation beside the counted. A story may be tagged to
//! one of the activity's outcomes, and may name a participant only where that participant has
//! said yes to it. A coordinator marks the ones usable in reports.
//!
//! Stories are free text about vulnerable people, so the app warns when one looks as if it holds
//! a full name, a phone number or a CPR number; and a story naming a participant is erased with
//! them, everywhere.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, OutcomeId, ParticipantId, StoryId};
use crate::language::Language;
use crate::participant::{Consent, Participant};
use crate::validation::{Context, Field, Problem, Problems, limits};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub id: StoryId,
    pub activity: ActivityId,
    /// The session it is from.
    pub date: NaiveDate,
    pub kind: StoryKind,
    pub text: String,
    /// The outcome of the activity's theory of change it is a sign of.
    pub outcome: Option<OutcomeId>,
    /// The participant it is about, only with their consent (`Consent::named_in_stories`).
    pub participant: Option<ParticipantId>,
    /// Marked by a coordinator as fit to quote in a report.
    pub usable_in_reports: bool,
    pub written_at: DateTime<Utc>,
    /// The language it is written in (the writer's app language), so a screen reader reads it in
    /// that language whatever language the app is shown in.
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryKind {
    /// Something that has changed for someone.
    SignOfChange,
    /// Something someone said, in their words.
    Quote,
    /// A situation worth remembering.
    Situation,
}

impl StoryKind {
    pub const ALL: [StoryKind; 3] = [StoryKind::SignOfChange, StoryKind::Quote, StoryKind::Situation];
}

/// What a story's text looks as if it holds that should not be written about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalData {
    CprNumber,
    PhoneNumber,
    FullName,
}

impl Story {
    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::Story, &self.text, limits::STORY);
        problems.date_not_in_future(self.date, context);
        problems.into_result()
    }

    /// Whether the story may name `participant`: only one who is current and has said yes.
    pub fn may_name(participant: &Participant) -> bool {
        participant.is_current() && check_named(Some(participant.consent)).is_ok()
    }
}

/// Checks that a story naming a participant arrives where that participant said yes: `consent`
/// is their consent as the receiver holds it, `None` where it holds none (then nobody has said yes
/// there). The app offers only those who said yes; this is the same rule at the server.
pub fn check_named(consent: Option<Consent>) -> Result<(), Problem> {
    if consent.is_some_and(|consent| consent.named_in_stories) {
        Ok(())
    } else {
        Err(Problem::NamedWithoutConsent)
    }
}

/// What `text` looks as if it holds: a CPR number (six digits, an optional dash, four digits), a
/// phone number (eight digits, in groups or not, with or without +45) or a full name (two or more
/// capitalised words in a row, not at the start of a sentence). A warning, not a refusal: the
/// writer knows whether "Café Nord" is a name.
pub fn personal_data(text: &str) -> Vec<PersonalData> {
    let mut found = Vec::new();
    let digits = digit_runs(text);
    if digits.iter().any(|run| is_cpr(run)) {
        found.push(PersonalData::CprNumber);
    }
    if digits.iter().any(|run| !is_cpr(run) && is_phone(run)) {
        found.push(PersonalData::PhoneNumber);
    }
    if has_full_name(text) {
        found.push(PersonalData::FullName);
    }
    found
}

/// Runs of digits, read across the spaces, dashes and dots people put in numbers (a dash kept,
/// so a CPR number's place of it can be checked), e.g. "12 34 56 78" as "12345678".
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(char::is_ascii_digit);
        match c {
            '0'..='9' => run.push(c),
            '-' if !run.is_empty() && next_is_digit => run.push('-'),
            ' ' | '.' if !run.is_empty() && next_is_digit => {}
            '+' if run.is_empty() && next_is_digit => {}
            _ => {
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn is_cpr(run: &str) -> bool {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    let dash_at_six = run.find('-').is_none_or(|at| at == 6);
    digits.len() == 10 && dash_at_six && {
        let (day, month) = (&digits[0..2], &digits[2..4]);
        matches!(day.parse::<u8>(), Ok(1..=31)) && matches!(month.parse::<u8>(), Ok(1..=12))
    }
}

fn is_phone(run: &str) -> bool {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    let local = digits
        .strip_prefix("45")
        .filter(|rest| rest.len() == 8)
        .unwrap_or(&digits);
    local.len() == 8 && local.starts_with(|c: char| ('2'..='9').contains(&c))
}

/// Two capitalised words in a row within one sentence ("Karen Hansen"); a one-letter initial
/// ("K.") is no name, and a sentence's first word joins a name only with the next one.
fn has_full_name(text: &str) -> bool {
    let mut previous_capitalised = false;
    for word in text.split_whitespace() {
        let letters = word.trim_matches(|c: char| !c.is_alphabetic());
        let mut chars = letters.chars();
        let capitalised = chars.next().is_some_and(char::is_uppercase)
            && letters.chars().count() >= 2
            && chars.all(char::is_lowercase);
        if capitalised && previous_capitalised {
            return true;
        }
        let ends_sentence = word.ends_with(['.', '!', '?', ':', ';', '"', '»']);
        previous_capitalised = capitalised && !ends_sentence;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_cpr_number_a_phone_number_and_a_full_name_are_noticed() {
        assert_eq!(
            personal_data("Hun gav mig 010203-1234 til papirerne"),
            [PersonalData::CprNumber]
        );
        assert_eq!(personal_data("cpr 0102031234"), [PersonalData::CprNumber]);
        for phone in [
            "ring på 20 30 40 50",
            "tlf. 20304050",
            "+45 20 30 40 50",
            "nr. 2030-4050",
        ] {
            assert_eq!(personal_data(phone), [PersonalData::PhoneNumber], "{phone}");
        }
        assert_eq!(
            personal_data("I dag talte Karen Hansen med de andre."),
            [PersonalData::FullName]
        );
        assert_eq!(personal_data("Karen Hansen kom igen."), [PersonalData::FullName]);
    }

    #[test]
    fn ordinary_observations_raise_no_warning() {
        for text in [
            "K. fortalte, at hun nu går til gymnastik om tirsdagen.",
            "Der kom 12 i dag, og 3 af dem var nye.",
            "Han sagde: \"Her bliver jeg set.\" Det var første gang.",
            "Vi spillede banko kl. 14.30 i 2 timer.",
            "Mødtes i Kulturhuset. Kaffe og kage.",
        ] {
            assert_eq!(personal_data(text), [], "{text}");
        }
    }

    #[test]
    fn a_story_names_only_a_current_participant_who_said_yes() {
        let mut person = Participant::erased(ParticipantId(Uuid::from_u128(1)));
        person.erased = false;
        person.pseudonym = "K".into();
        assert!(!Story::may_name(&person));
        person.consent = Consent {
            named_in_stories: true,
            ..Consent::default()
        };
        assert!(Story::may_name(&person));
        person.erased = true;
        assert!(!Story::may_name(&person));
    }

    #[test]
    fn a_story_arrives_naming_only_someone_who_said_yes_there() {
        let yes = Consent {
            named_in_stories: true,
            ..Consent::default()
        };
        assert_eq!(check_named(Some(yes)), Ok(()));
        assert_eq!(
            check_named(Some(Consent::default())),
            Err(Problem::NamedWithoutConsent)
        );
        assert_eq!(check_named(None), Err(Problem::NamedWithoutConsent));
    }

    #[test]
    fn an_empty_story_from_the_future_has_two_problems() {
        let story = Story {
            id: StoryId::generate(),
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            kind: StoryKind::Quote,
            text: " ".into(),
            outcome: None,
            participant: None,
            usable_in_reports: false,
            written_at: DateTime::UNIX_EPOCH,
            language: Language::Da,
        };
        let context = Context {
            today: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        };
        assert_eq!(story.validate(context).unwrap_err().len(), 2);
    }
}
