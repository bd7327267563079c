//! Validation problems: every check returns all the problems it finds (not just the first), as typed
//! values the app shows in Danish or English and the server returns in its answers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Language;
use crate::survey::QuestionId;

/// Limits on text fields, in characters after trimming.
pub mod limits {
    /// A nickname or initials: short on purpose (data minimisation; never a full name or CPR number).
    pub const PSEUDONYM: usize = 40;
    pub const NAME: usize = 80;
    pub const PLACE: usize = 120;
    pub const DESCRIPTION: usize = 1000;
    pub const QUESTION_TEXT: usize = 300;
    pub const CHOICE_LABEL: usize = 80;
    pub const SHORT_TEXT_ANSWER: usize = 500;
    pub const REFLECTION: usize = 4000;
    pub const PRIVACY_NOTICE: usize = 4000;
    pub const CANCEL_REASON: usize = 300;
    /// Each text of a theory of change: a short paragraph.
    pub const THEORY_TEXT: usize = 1000;
    /// An outcome: one short sentence, readable in a box of the diagram.
    pub const OUTCOME: usize = 200;
    /// A story or observation: a few paragraphs.
    pub const STORY: usize = 2000;
    /// A coordinator's words in one section of a report.
    pub const REPORT_TEXT: usize = 4000;
    pub const QUESTIONS_PER_TEMPLATE: usize = 40;
    pub const CHOICES_PER_QUESTION: usize = 12;
}

/// The text field a problem is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    OrganisationName,
    Pseudonym,
    ActivityName,
    Description,
    Place,
    TemplateName,
    QuestionText,
    ChoiceLabel,
    TextAnswer,
    Reflection,
    PrivacyNotice,
    CancelReason,
    ReportText,
    TargetGroup,
    TheoryActivities,
    Assumptions,
    Outcome,
    Story,
    PackageName,
    Publisher,
    MemberName,
}

impl Field {
    fn name(self, language: Language) -> &'static str {
        match (self, language) {
            (Field::PrivacyNotice, Language::Da) => "Privatlivserklæringen",
            (Field::PrivacyNotice, Language::En) => "The privacy notice",
            (Field::CancelReason, Language::Da) => "Grunden til aflysningen",
            (Field::CancelReason, Language::En) => "The reason for the cancellation",
            (Field::ReportText, Language::Da) => "Teksten i rapporten",
            (Field::ReportText, Language::En) => "The report's text",
            (Field::TargetGroup, Language::Da) => "Målgruppen",
            (Field::TargetGroup, Language::En) => "The target group",
            (Field::TheoryActivities, Language::Da) => "Det, I gør",
            (Field::TheoryActivities, Language::En) => "What you do",
            (Field::Assumptions, Language::Da) => "Antagelserne",
            (Field::Assumptions, Language::En) => "The assumptions",
            (Field::Outcome, Language::Da) => "En forandring",
            (Field::Outcome, Language::En) => "An outcome",
            (Field::PackageName, Language::Da) => "Pakkens navn",
            (Field::PackageName, Language::En) => "The package's name",
            (Field::Publisher, Language::Da) => "Udgiveren",
            (Field::Publisher, Language::En) => "The publisher",
            (Field::MemberName, Language::Da) => "Medlemmets navn",
            (Field::MemberName, Language::En) => "The member's name",
            (Field::Story, Language::Da) => "Fortællingen",
            (Field::Story, Language::En) => "The story",
            (Field::OrganisationName, Language::Da) => "Organisationens navn",
            (Field::OrganisationName, Language::En) => "The organisation's name",
            (Field::Pseudonym, Language::Da) => "Kaldenavnet",
            (Field::Pseudonym, Language::En) => "The nickname",
            (Field::ActivityName, Language::Da) => "Aktivitetens navn",
            (Field::ActivityName, Language::En) => "The activity's name",
            (Field::Description, Language::Da) => "Beskrivelsen",
            (Field::Description, Language::En) => "The description",
            (Field::Place, Language::Da) => "Stedet",
            (Field::Place, Language::En) => "The place",
            (Field::TemplateName, Language::Da) => "Spørgeskemaets navn",
            (Field::TemplateName, Language::En) => "The survey's name",
            (Field::QuestionText, Language::Da) => "Spørgsmålets tekst",
            (Field::QuestionText, Language::En) => "The question's text",
            (Field::ChoiceLabel, Language::Da) => "Svarmuligheden",
            (Field::ChoiceLabel, Language::En) => "The answer option",
            (Field::TextAnswer, Language::Da) => "Svaret",
            (Field::TextAnswer, Language::En) => "The answer",
            (Field::Reflection, Language::Da) => "Refleksionen",
            (Field::Reflection, Language::En) => "The reflection",
        }
    }
}

/// One thing wrong with a record.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Empty {
        field: Field,
    },
    TooLong {
        field: Field,
        max: usize,
        length: usize,
    },
    /// A date later than tomorrow (Danish local dates run ahead of UTC, so tomorrow is allowed).
    FutureDate {
        date: NaiveDate,
        latest: NaiveDate,
    },
    /// An activity must have at least one role in use.
    NoRoles,
    DuplicateRole,
    /// Birth-year bands are decades (1950 = born 1950-1959), not later than the current decade.
    InvalidBirthYearBand {
        decade: u16,
    },
    /// An erased participant keeps no personal data.
    ErasedWithPersonalData,
    /// A participant cannot be merged into themself.
    MergeIntoItself,
    /// A clock stamp beyond what any device's clock can show (and what JavaScript can hold).
    StampOutOfRange,
    /// Erased or already merged participants cannot take part in a merge.
    MergeOfFormerParticipant,
    /// A headcount event is +1 or -1.
    InvalidHeadcountDelta {
        delta: i32,
    },
    NoQuestions,
    TooManyQuestions {
        max: usize,
        count: usize,
    },
    DuplicateQuestionId {
        question: QuestionId,
    },
    MissingTranslation {
        field: Field,
        language: Language,
    },
    TooFewChoices {
        question: QuestionId,
    },
    TooManyChoices {
        question: QuestionId,
        max: usize,
    },
    DuplicateChoiceValue {
        question: QuestionId,
        value: u8,
    },
    /// A built-in instrument's questions cannot be changed.
    BuiltInChanged,
    /// The response names a template version other than the one it is checked against.
    WrongTemplateVersion {
        expected: u32,
        found: u32,
    },
    UnknownQuestion {
        question: QuestionId,
    },
    WrongAnswerKind {
        question: QuestionId,
    },
    AnswerOutOfScale {
        question: QuestionId,
        value: i64,
        min: i64,
        max: i64,
    },
    RequiredUnanswered {
        question: QuestionId,
    },
    /// A goal's target that no data could ever meet (e.g. a share above 100 %).
    ImpossibleTarget {
        target: f64,
        min: f64,
        max: f64,
    },
    /// A goal on a band's share names a band the measure does not have.
    BandOfAnotherMeasure,
    /// A suppression threshold so low that figures about one or two people would show.
    ThresholdTooLow {
        threshold: u32,
        min: u32,
    },
    /// A period that ends before it starts.
    EmptyPeriod {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A change names a field its kind of record does not have.
    UnknownField {
        name: String,
    },
    /// A change names a field no change may set this way (`id`, a merge's or an erasure's mark).
    ReservedField {
        name: String,
    },
    /// A field's value is not of the field's type.
    WrongFieldValue {
        name: String,
    },
    /// A change larger than its kind may be, in bytes of JSON.
    TooLarge {
        max: usize,
        size: usize,
    },
    /// An activity's usual length outside one minute to a day.
    SessionLength {
        minutes: u16,
        max: u16,
    },
    /// A theory of change needs at least one outcome to follow.
    NoOutcomes,
    TooManyOutcomes {
        max: usize,
    },
    DuplicateOutcome,
    /// A version number below 1 or beyond any revision anybody made.
    VersionOutOfRange {
        max: u32,
    },
    /// A story names a participant who has not said yes to being named.
    NamedWithoutConsent,
    /// A session log whose id is not the one of its activity and date.
    NotTheSessionsLog,
    /// A report's text under the id of another report or section.
    NotTheReportsText,
    /// A revision of a theory that follows a standard changes or drops one of the standard's core
    /// outcomes (a member adds its own beside them, it does not change them).
    CoreOutcomeChanged,
    /// A standard's indicator under an outcome its theory does not have.
    IndicatorOutsideTheory,
    /// A standard names the same indicator twice.
    DuplicateIndicator,
    /// Figures sent to an umbrella without the coordinator's consent for exactly their period.
    ConsentForAnotherPeriod,
    /// Figures addressed to the organisation that sends them.
    SentToItself,
    TooManyVolunteers {
        max: u16,
    },
    /// More volunteer hours than the volunteers have in a day.
    TooManyVolunteerHours {
        volunteers: u16,
        max_hours: u32,
    },
}

impl Problem {
    /// The problem in words for the user.
    pub fn message(&self, language: Language) -> String {
        use Language::{Da, En};
        match (self, language) {
            (Problem::Empty { field }, Da) => format!("{} må ikke være tomt.", field.name(Da)),
            (Problem::Empty { field }, En) => format!("{} cannot be empty.", field.name(En)),
            (Problem::TooLong { field, max, length }, Da) => {
                format!("{} er for langt: {length} tegn, højst {max}.", field.name(Da))
            }
            (Problem::TooLong { field, max, length }, En) => {
                format!(
                    "{} is too long: {length} characters, at most {max}.",
                    field.name(En)
                )
            }
            (Problem::FutureDate { date, latest }, Da) => {
                format!("Datoen {date} ligger i fremtiden; den seneste mulige er {latest}.")
            }
            (Problem::FutureDate { date, latest }, En) => {
                format!("The date {date} is in the future; the latest possible is {latest}.")
            }
            (Problem::NoRoles, Da) => "Vælg mindst én rolle, som aktiviteten bruger.".into(),
            (Problem::NoRoles, En) => "Choose at least one role the activity uses.".into(),
            (Problem::DuplicateRole, Da) => "En rolle står der to gange.".into(),
            (Problem::DuplicateRole, En) => "A role is listed twice.".into(),
            (Problem::InvalidBirthYearBand { decade }, Da) => {
                format!("{decade} er ikke et gyldigt årti for fødselsår.")
            }
            (Problem::InvalidBirthYearBand { decade }, En) => {
                format!("{decade} is not a valid birth decade.")
            }
            (Problem::ErasedWithPersonalData, Da) => "En slettet deltager må ikke have persondata.".into(),
            (Problem::ErasedWithPersonalData, En) => {
                "An erased participant cannot keep personal data.".into()
            }
            (Problem::StampOutOfRange, Da) => "Ændringens tidsstempel er ugyldigt.".into(),
            (Problem::StampOutOfRange, En) => "The change's time stamp is invalid.".into(),
            (Problem::MergeIntoItself, Da) => "Vælg en anden deltager at lægge sammen med.".into(),
            (Problem::MergeIntoItself, En) => "Choose another participant to merge with.".into(),
            (Problem::MergeOfFormerParticipant, Da) => {
                "En slettet eller allerede sammenlagt deltager kan ikke lægges sammen.".into()
            }
            (Problem::MergeOfFormerParticipant, En) => {
                "An erased or already merged participant cannot be merged.".into()
            }
            (Problem::InvalidHeadcountDelta { delta }, Da) => {
                format!("En optælling ændres med +1 eller -1, ikke {delta}.")
            }
            (Problem::InvalidHeadcountDelta { delta }, En) => {
                format!("A headcount changes by +1 or -1, not {delta}.")
            }
            (Problem::NoQuestions, Da) => "Spørgeskemaet har ingen spørgsmål.".into(),
            (Problem::NoQuestions, En) => "The survey has no questions.".into(),
            (Problem::TooManyQuestions { max, count }, Da) => {
                format!("Spørgeskemaet har {count} spørgsmål; højst {max}.")
            }
            (Problem::TooManyQuestions { max, count }, En) => {
                format!("The survey has {count} questions; at most {max}.")
            }
            (Problem::DuplicateQuestionId { question }, Da) => {
                format!("Spørgsmålet \"{question}\" står der to gange.")
            }
            (Problem::DuplicateQuestionId { question }, En) => {
                format!("The question \"{question}\" appears twice.")
            }
            (Problem::MissingTranslation { field, language }, Da) => format!(
                "{} mangler på {}.",
                field.name(Da),
                if *language == Da { "dansk" } else { "engelsk" }
            ),
            (Problem::MissingTranslation { field, language }, En) => format!(
                "{} is missing in {}.",
                field.name(En),
                if *language == Da { "Danish" } else { "English" }
            ),
            (Problem::TooFewChoices { question }, Da) => {
                format!("Spørgsmålet \"{question}\" skal have mindst to svarmuligheder.")
            }
            (Problem::TooFewChoices { question }, En) => {
                format!("The question \"{question}\" needs at least two answer options.")
            }
            (Problem::TooManyChoices { question, max }, Da) => {
                format!("Spørgsmålet \"{question}\" har for mange svarmuligheder; højst {max}.")
            }
            (Problem::TooManyChoices { question, max }, En) => {
                format!("The question \"{question}\" has too many answer options; at most {max}.")
            }
            (Problem::DuplicateChoiceValue { question, value }, Da) => {
                format!("Spørgsmålet \"{question}\" har værdien {value} to gange.")
            }
            (Problem::DuplicateChoiceValue { question, value }, En) => {
                format!("The question \"{question}\" has the value {value} twice.")
            }
            (Problem::BuiltInChanged, Da) => {
                "Et valideret spørgeskema kan ikke ændres. Lav en kopi i stedet.".into()
            }
            (Problem::BuiltInChanged, En) => {
                "A validated survey cannot be changed. Make a copy instead.".into()
            }
            (Problem::WrongTemplateVersion { expected, found }, Da) => {
                format!("Svaret hører til version {found} af spørgeskemaet, ikke version {expected}.")
            }
            (Problem::WrongTemplateVersion { expected, found }, En) => {
                format!("The response belongs to version {found} of the survey, not version {expected}.")
            }
            (Problem::UnknownQuestion { question }, Da) => {
                format!("Der er svaret på \"{question}\", som ikke er i denne version af spørgeskemaet.")
            }
            (Problem::UnknownQuestion { question }, En) => {
                format!("\"{question}\" was answered but is not in this version of the survey.")
            }
            (Problem::WrongAnswerKind { question }, Da) => {
                format!("Svaret på \"{question}\" passer ikke til spørgsmålets type.")
            }
            (Problem::WrongAnswerKind { question }, En) => {
                format!("The answer to \"{question}\" does not fit the question's kind.")
            }
            (
                Problem::AnswerOutOfScale {
                    question,
                    value,
                    min,
                    max,
                },
                Da,
            ) => {
                format!("Svaret {value} på \"{question}\" ligger uden for skalaen {min}-{max}.")
            }
            (
                Problem::AnswerOutOfScale {
                    question,
                    value,
                    min,
                    max,
                },
                En,
            ) => {
                format!("The answer {value} to \"{question}\" is outside the scale {min}-{max}.")
            }
            (Problem::RequiredUnanswered { question }, Da) => {
                format!("Spørgsmålet \"{question}\" skal besvares.")
            }
            (Problem::RequiredUnanswered { question }, En) => {
                format!("The question \"{question}\" must be answered.")
            }
            (Problem::ImpossibleTarget { target, min, max }, Da) => {
                format!("Målet {target} kan ikke nås: det skal ligge mellem {min} og {max}.")
            }
            (Problem::ImpossibleTarget { target, min, max }, En) => {
                format!("The target {target} cannot be reached: it must lie between {min} and {max}.")
            }
            (Problem::BandOfAnotherMeasure, Da) => {
                "Det valgte interval hører ikke til det valgte mål.".to_owned()
            }
            (Problem::BandOfAnotherMeasure, En) => {
                "The chosen band does not belong to the chosen measure.".to_owned()
            }
            (Problem::ThresholdTooLow { threshold, min }, Da) => {
                format!("Grænsen for små grupper skal være mindst {min}, ikke {threshold}.")
            }
            (Problem::ThresholdTooLow { threshold, min }, En) => {
                format!("The small-group threshold must be at least {min}, not {threshold}.")
            }
            (Problem::EmptyPeriod { from, to }, Da) => {
                format!("Perioden slutter ({to}) før den begynder ({from}).")
            }
            (Problem::EmptyPeriod { from, to }, En) => {
                format!("The period ends ({to}) before it begins ({from}).")
            }
            (Problem::UnknownField { name }, Da) => format!("Feltet \"{name}\" findes ikke."),
            (Problem::UnknownField { name }, En) => format!("There is no field \"{name}\"."),
            (Problem::ReservedField { name }, Da) => {
                format!("Feltet \"{name}\" kan ikke ændres på denne måde.")
            }
            (Problem::ReservedField { name }, En) => {
                format!("The field \"{name}\" cannot be changed this way.")
            }
            (Problem::WrongFieldValue { name }, Da) => {
                format!("Feltet \"{name}\" har en værdi af forkert type.")
            }
            (Problem::WrongFieldValue { name }, En) => {
                format!("The field \"{name}\" holds a value of the wrong type.")
            }
            (Problem::TooLarge { max, size }, Da) => {
                format!("Ændringen er for stor: {size} byte, højst {max}.")
            }
            (Problem::TooLarge { max, size }, En) => {
                format!("The change is too large: {size} bytes, at most {max}.")
            }
            (Problem::SessionLength { minutes, max }, Da) => {
                format!("En gang varer fra 1 til {max} minutter, ikke {minutes}.")
            }
            (Problem::SessionLength { minutes, max }, En) => {
                format!("A session lasts from 1 to {max} minutes, not {minutes}.")
            }
            (Problem::NoOutcomes, Da) => "Skriv mindst én forandring, I vil følge.".into(),
            (Problem::NoOutcomes, En) => "Write at least one outcome to follow.".into(),
            (Problem::TooManyOutcomes { max }, Da) => {
                format!("Højst {max} forandringer; vælg dem, der betyder mest.")
            }
            (Problem::TooManyOutcomes { max }, En) => {
                format!("At most {max} outcomes; choose those that matter most.")
            }
            (Problem::DuplicateOutcome, Da) => "En forandring står der to gange.".into(),
            (Problem::DuplicateOutcome, En) => "An outcome is listed twice.".into(),
            (Problem::VersionOutOfRange { max }, Da) => format!("Versionen skal ligge mellem 1 og {max}."),
            (Problem::VersionOutOfRange { max }, En) => format!("The version must lie between 1 and {max}."),
            (Problem::NamedWithoutConsent, Da) => {
                "Fortællingen nævner en deltager, der ikke har sagt ja til at blive nævnt.".into()
            }
            (Problem::NamedWithoutConsent, En) => {
                "The story names a participant who has not said yes to being named.".into()
            }
            (Problem::NotTheSessionsLog, Da) => "Loggen hører ikke til den gang, den nævner.".into(),
            (Problem::NotTheSessionsLog, En) => "The log does not belong to the session it names.".into(),
            (Problem::NotTheReportsText, Da) => "Teksten hører ikke til den rapport, den nævner.".into(),
            (Problem::NotTheReportsText, En) => "The text does not belong to the report it names.".into(),
            (Problem::CoreOutcomeChanged, Da) => {
                "De fælles forandringer fra standarden kan ikke ændres eller fjernes; tilføj jeres egne ved siden af.".into()
            }
            (Problem::CoreOutcomeChanged, En) => {
                "The standard's shared outcomes cannot be changed or removed; add your own beside them.".into()
            }
            (Problem::IndicatorOutsideTheory, Da) => {
                "En indikator hører til en forandring, som forandringsteorien ikke har.".into()
            }
            (Problem::IndicatorOutsideTheory, En) => {
                "An indicator belongs to an outcome the theory of change does not have.".into()
            }
            (Problem::DuplicateIndicator, Da) => "En indikator står der to gange.".into(),
            (Problem::DuplicateIndicator, En) => "An indicator is listed twice.".into(),
            (Problem::ConsentForAnotherPeriod, Da) => {
                "Samtykket gælder ikke netop den periode, tallene dækker.".into()
            }
            (Problem::ConsentForAnotherPeriod, En) => {
                "The consent is not for exactly the period the figures cover.".into()
            }
            (Problem::SentToItself, Da) => "Tallene er sendt til jeres egen organisation.".into(),
            (Problem::SentToItself, En) => "The figures are addressed to your own organisation.".into(),
            (Problem::TooManyVolunteers { max }, Da) => format!("Højst {max} frivillige ved én gang."),
            (Problem::TooManyVolunteers { max }, En) => format!("At most {max} volunteers at one session."),
            (
                Problem::TooManyVolunteerHours {
                    volunteers,
                    max_hours,
                },
                Da,
            ) => {
                format!("{volunteers} frivillige kan højst give {max_hours} timer på en dag.")
            }
            (
                Problem::TooManyVolunteerHours {
                    volunteers,
                    max_hours,
                },
                En,
            ) => {
                format!("{volunteers} volunteers can give at most {max_hours} hours in a day.")
            }
        }
    }
}

/// What a check needs to know about the world; core has no clock.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Today's date where the record is checked (the device's local date, or the server's UTC date).
    pub today: NaiveDate,
}

impl Context {
    /// The latest date a record may carry: tomorrow, because Danish local dates run ahead of UTC.
    pub fn latest_date(self) -> NaiveDate {
        self.today.succ_opt().unwrap_or(self.today)
    }

    /// The context for a record its device made at `recorded_at`: the record's date is in the
    /// future only when it is later than the day after both today here and the day it was recorded
    /// there. A device whose clock runs days ahead dates its records ahead too, and that is no
    /// reason to refuse them: the record keeps the device's time, the server its own.
    pub fn for_record_made_at(self, recorded_at: DateTime<Utc>) -> Context {
        Context {
            today: self.today.max(recorded_at.date_naive()),
        }
    }
}

/// Collects problems while a record is checked.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// A required text: not empty after trimming, and within `max` characters.
    pub fn required_text(&mut self, field: Field, text: &str, max: usize) {
        if text.trim().is_empty() {
            self.push(Problem::Empty { field });
        } else {
            self.optional_text(field, text, max);
        }
    }

    /// An optional text: within `max` characters.
    pub fn optional_text(&mut self, field: Field, text: &str, max: usize) {
        let length = text.trim().chars().count();
        if length > max {
            self.push(Problem::TooLong { field, max, length });
        }
    }

    pub fn date_not_in_future(&mut self, date: NaiveDate, context: Context) {
        let latest = context.latest_date();
        if date > latest {
            self.push(Problem::FutureDate { date, latest });
        }
    }

    /// A period must not end before it starts.
    pub fn period(&mut self, from: NaiveDate, to: NaiveDate) {
        if to < from {
            self.push(Problem::EmptyPeriod { from, to });
        }
    }

    pub fn into_result(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        }
    }

    #[test]
    fn tomorrow_is_allowed_but_the_day_after_is_the_future() {
        let mut problems = Problems::default();
        problems.date_not_in_future(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), context());
        assert!(problems.into_result().is_ok());

        let mut problems = Problems::default();
        problems.date_not_in_future(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), context());
        assert_eq!(
            problems.into_result().unwrap_err(),
            vec![Problem::FutureDate {
                date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                latest: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            }]
        );
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let mut problems = Problems::default();
        problems.required_text(
            Field::Pseudonym,
            &"ø".repeat(limits::PSEUDONYM),
            limits::PSEUDONYM,
        );
        assert!(
            problems.into_result().is_ok(),
            "40 'ø' are 80 bytes but 40 characters"
        );
    }

    #[test]
    fn whitespace_only_is_empty() {
        let mut problems = Problems::default();
        problems.required_text(Field::Pseudonym, "  \t ", limits::PSEUDONYM);
        assert_eq!(
            problems.into_result().unwrap_err(),
            vec![Problem::Empty {
                field: Field::Pseudonym
            }]
        );
    }

    #[test]
    fn messages_exist_in_both_languages_and_name_the_field() {
        let problem = Problem::TooLong {
            field: Field::Pseudonym,
            max: 40,
            length: 200,
        };
        assert_eq!(
            problem.message(Language::Da),
            "Kaldenavnet er for langt: 200 tegn, højst 40."
        );
        assert_eq!(
            problem.message(Language::En),
            "The nickname is too long: 200 characters, at most 40."
        );
    }
}
