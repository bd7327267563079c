//! Survey templates (versioned lists of questions), answers and responses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, DeviceId, ParticipantId, ResponseId, TemplateId};
use crate::instruments::Instrument;
use crate::language::{Language, Texts};
use crate::validation::{Context, Field, Problem, Problems, limits};

/// A question's key within its template, stable across versions (e.g. `who5_1`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub String);

impl QuestionId {
    pub fn new(id: impl Into<String>) -> QuestionId {
        QuestionId(id.into())
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A versioned list of questions. Editing a template that has responses makes a new version; old
/// responses keep theirs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyTemplate {
    pub id: TemplateId,
    pub version: u32,
    pub name: Texts,
    /// Set for the built-in instruments; `None` for a coordinator's own template.
    #[serde(default)]
    pub instrument: Option<Instrument>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: QuestionId,
    pub text: Texts,
    pub kind: QuestionKind,
    /// Only a custom template's questions can be required; a validated instrument's items may be
    /// skipped (the response is then kept without a score).
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// Five faces, 1 (very sad) to 5 (very happy).
    Smiley,
    /// 1 (strongly disagree) to 5 (strongly agree).
    Agreement,
    /// 0 to 10 with words at the ends.
    Scale {
        low: Texts,
        high: Texts,
    },
    YesNo,
    /// One of a list of labelled options, each with the value that scoring uses.
    SingleChoice {
        choices: Vec<Choice>,
    },
    /// A short free text.
    ShortText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: u8,
    pub label: Texts,
}

/// One answer; its kind must match its question's.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Smiley(u8),
    Agreement(u8),
    Scale(u8),
    YesNo(bool),
    Choice(u8),
    Text(String),
}

impl Answer {
    /// The numeric value scoring and means use; `None` for free text.
    pub fn value(&self) -> Option<i64> {
        match self {
            Answer::Smiley(value)
            | Answer::Agreement(value)
            | Answer::Scale(value)
            | Answer::Choice(value) => Some(i64::from(*value)),
            Answer::YesNo(yes) => Some(i64::from(*yes)),
            Answer::Text(_) => None,
        }
    }
}

/// How the participant answered: recorded because it can change the answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdministrationMode {
    /// The participant read and answered alone.
    #[default]
    #[serde(rename = "self")]
    SelfCompleted,
    /// The device read the questions aloud.
    ReadAloud,
    /// A volunteer helped.
    Assisted,
}

/// A participant's answers to one version of one template, written once, on submit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponse {
    pub id: ResponseId,
    pub template: TemplateId,
    pub template_version: u32,
    pub activity: ActivityId,
    pub date: NaiveDate,
    /// Anonymous unless a volunteer linked it to the participant's pseudonym (with consent).
    #[serde(default)]
    pub participant: Option<ParticipantId>,
    pub answers: BTreeMap<QuestionId, Answer>,
    #[serde(default)]
    pub mode: AdministrationMode,
    pub language: Language,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: DeviceId,
}

/// A kind of question without its details (labels, choices): what a survey builder offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionShape {
    Smiley,
    Agreement,
    Scale,
    YesNo,
    SingleChoice,
    ShortText,
}

impl QuestionShape {
    pub const ALL: [QuestionShape; 6] = [
        QuestionShape::Smiley,
        QuestionShape::Agreement,
        QuestionShape::Scale,
        QuestionShape::YesNo,
        QuestionShape::SingleChoice,
        QuestionShape::ShortText,
    ];
}

impl QuestionKind {
    pub fn shape(&self) -> QuestionShape {
        match self {
            QuestionKind::Smiley => QuestionShape::Smiley,
            QuestionKind::Agreement => QuestionShape::Agreement,
            QuestionKind::Scale { .. } => QuestionShape::Scale,
            QuestionKind::YesNo => QuestionShape::YesNo,
            QuestionKind::SingleChoice { .. } => QuestionShape::SingleChoice,
            QuestionKind::ShortText => QuestionShape::ShortText,
        }
    }

    /// The inclusive range of numeric answers, for the numeric kinds.
    pub fn scale(&self) -> Option<(i64, i64)> {
        match self {
            QuestionKind::Smiley | QuestionKind::Agreement => Some((1, 5)),
            QuestionKind::Scale { .. } => Some((0, 10)),
            QuestionKind::YesNo => Some((0, 1)),
            QuestionKind::SingleChoice { choices } => {
                let values = choices.iter().map(|choice| i64::from(choice.value));
                Some((values.clone().min()?, values.max()?))
            }
            QuestionKind::ShortText => None,
        }
    }

    /// Checks one answer against this kind; `None` when it fits.
    fn check(&self, question: &QuestionId, answer: &Answer) -> Option<Problem> {
        let out_of_scale = |value: u8, min: i64, max: i64| {
            let value = i64::from(value);
            (value < min || value > max).then(|| Problem::AnswerOutOfScale {
                question: question.clone(),
                value,
                min,
                max,
            })
        };
        match (self, answer) {
            (QuestionKind::Smiley, Answer::Smiley(value))
            | (QuestionKind::Agreement, Answer::Agreement(value)) => out_of_scale(*value, 1, 5),
            (QuestionKind::Scale { .. }, Answer::Scale(value)) => out_of_scale(*value, 0, 10),
            (QuestionKind::YesNo, Answer::YesNo(_)) => None,
            (QuestionKind::SingleChoice { choices }, Answer::Choice(value)) => {
                if choices.iter().any(|choice| choice.value == *value) {
                    None
                } else {
                    let (min, max) = self.scale().unwrap_or((0, 0));
                    Some(Problem::AnswerOutOfScale {
                        question: question.clone(),
                        value: i64::from(*value),
                        min,
                        max,
                    })
                }
            }
            (QuestionKind::ShortText, Answer::Text(text)) => {
                let length = text.trim().chars().count();
                (length > limits::SHORT_TEXT_ANSWER).then_some(Problem::TooLong {
                    field: Field::TextAnswer,
                    max: limits::SHORT_TEXT_ANSWER,
                    length,
                })
            }
            _ => Some(Problem::WrongAnswerKind {
                question: question.clone(),
            }),
        }
    }
}

impl SurveyTemplate {
    /// Validated instruments give scores; everything else is counts and shares only.
    pub fn is_validated(&self) -> bool {
        self.instrument.is_some_and(Instrument::is_validated)
    }

    /// A new custom template: version 1, not an instrument.
    pub fn custom(name: Texts, questions: Vec<Question>) -> SurveyTemplate {
        SurveyTemplate {
            id: TemplateId::generate(),
            version: 1,
            name,
            instrument: None,
            questions,
        }
    }

    /// This template as edited: a new version when responses to the current one exist (they keep
    /// theirs), the same version otherwise. Built-in instruments cannot be edited.
    pub fn revise(
        &self,
        name: Texts,
        questions: Vec<Question>,
        answered: bool,
    ) -> Result<SurveyTemplate, Problem> {
        if self.instrument.is_some() {
            return Err(Problem::BuiltInChanged);
        }
        Ok(SurveyTemplate {
            id: self.id,
            version: if answered { self.version + 1 } else { self.version },
            name,
            instrument: None,
            questions,
        })
    }

    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.questions.iter().find(|question| &question.id == id)
    }

    /// Whether the template can be saved: questions present, ids unique, every text in both
    /// languages, choices sensible, and a built-in instrument exactly as shipped.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if let Some(instrument) = self.instrument
            && self != instrument.template()
        {
            problems.push(Problem::BuiltInChanged);
        }
        both_languages(&mut problems, Field::TemplateName, &self.name, limits::NAME);
        if self.questions.is_empty() {
            problems.push(Problem::NoQuestions);
        }
        if self.questions.len() > limits::QUESTIONS_PER_TEMPLATE {
            problems.push(Problem::TooManyQuestions {
                max: limits::QUESTIONS_PER_TEMPLATE,
                count: self.questions.len(),
            });
        }
        let mut seen = BTreeSet::new();
        for question in &self.questions {
            if !seen.insert(&question.id) {
                problems.push(Problem::DuplicateQuestionId {
                    question: question.id.clone(),
                });
            }
            both_languages(
                &mut problems,
                Field::QuestionText,
                &question.text,
                limits::QUESTION_TEXT,
            );
            match &question.kind {
                QuestionKind::Scale { low, high } => {
                    both_languages(&mut problems, Field::ChoiceLabel, low, limits::CHOICE_LABEL);
                    both_languages(&mut problems, Field::ChoiceLabel, high, limits::CHOICE_LABEL);
                }
                QuestionKind::SingleChoice { choices } => {
                    check_choices(&mut problems, &question.id, choices);
                }
                _ => {}
            }
        }
        problems.into_result()
    }
}

fn both_languages(problems: &mut Problems, field: Field, texts: &Texts, max: usize) {
    for language in Language::ALL {
        let text = texts.get(language);
        if text.trim().is_empty() {
            problems.push(Problem::MissingTranslation { field, language });
        } else {
            problems.optional_text(field, text, max);
        }
    }
}

fn check_choices(problems: &mut Problems, question: &QuestionId, choices: &[Choice]) {
    if choices.len() < 2 {
        problems.push(Problem::TooFewChoices {
            question: question.clone(),
        });
    }
    if choices.len() > limits::CHOICES_PER_QUESTION {
        problems.push(Problem::TooManyChoices {
            question: question.clone(),
            max: limits::CHOICES_PER_QUESTION,
        });
    }
    let mut values = BTreeSet::new();
    for choice in choices {
        if !values.insert(choice.value) {
            problems.push(Problem::DuplicateChoiceValue {
                question: question.clone(),
                value: choice.value,
            });
        }
        both_languages(problems, Field::ChoiceLabel, &choice.label, limits::CHOICE_LABEL);
    }
}

/// Every template a response may name: the built-in instruments and the organisation's own
/// versions. The one lookup of "a built-in, else the organisation's own".
#[derive(Debug, Clone, Copy)]
pub struct Templates<'a> {
    own: &'a [SurveyTemplate],
}

impl<'a> Templates<'a> {
    pub fn new(own: &'a [SurveyTemplate]) -> Templates<'a> {
        Templates { own }
    }

    /// The version a response was given in. A built-in has one version: its own.
    pub fn version(&self, id: TemplateId, version: u32) -> Option<&'a SurveyTemplate> {
        match Instrument::from_template_id(id) {
            Some(instrument) => Some(instrument.template()),
            None => self.own.iter().find(|t| t.id == id && t.version == version),
        }
    }

    /// The template as asked now: a built-in, or the newest version of the organisation's own.
    pub fn newest(&self, id: TemplateId) -> Option<&'a SurveyTemplate> {
        match Instrument::from_template_id(id) {
            Some(instrument) => Some(instrument.template()),
            None => self.own.iter().filter(|t| t.id == id).max_by_key(|t| t.version),
        }
    }
}

impl SurveyResponse {
    /// Checks the response against the template version it names: every answer to a question of
    /// that version, of the right kind and within its scale; required questions answered; the date
    /// not in the future.
    pub fn validate(&self, template: &SurveyTemplate, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if self.template_version != template.version || self.template != template.id {
            problems.push(Problem::WrongTemplateVersion {
                expected: template.version,
                found: self.template_version,
            });
            return problems.into_result();
        }
        problems.date_not_in_future(self.date, context.for_record_made_at(self.recorded_at));
        for (question_id, answer) in &self.answers {
            match template.question(question_id) {
                None => problems.push(Problem::UnknownQuestion {
                    question: question_id.clone(),
                }),
                Some(question) => {
                    if let Some(problem) = question.kind.check(question_id, answer) {
                        problems.push(problem);
                    }
                }
            }
        }
        for question in template.questions.iter().filter(|question| question.required) {
            if !self.answers.contains_key(&question.id) {
                problems.push(Problem::RequiredUnanswered {
                    question: question.id.clone(),
                });
            }
        }
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, kind: QuestionKind, required: bool) -> Question {
        Question {
            id: QuestionId::new(id),
            text: Texts::new(format!("Spørgsmål {id}"), format!("Question {id}")),
            kind,
            required,
        }
    }

    fn custom() -> SurveyTemplate {
        SurveyTemplate {
            id: TemplateId::generate(),
            version: 1,
            name: Texts::new("Efter caféen", "After the café"),
            instrument: None,
            questions: vec![
                question("mood", QuestionKind::Smiley, true),
                question("again", QuestionKind::YesNo, false),
                question(
                    "score",
                    QuestionKind::Scale {
                        low: Texts::new("Slet ikke", "Not at all"),
                        high: Texts::new("Helt", "Completely"),
                    },
                    false,
                ),
                question("words", QuestionKind::ShortText, false),
            ],
        }
    }

    fn response(template: &SurveyTemplate, answers: Vec<(&str, Answer)>) -> SurveyResponse {
        SurveyResponse {
            id: ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            participant: None,
            answers: answers
                .into_iter()
                .map(|(id, answer)| (QuestionId::new(id), answer))
                .collect(),
            mode: AdministrationMode::SelfCompleted,
            language: Language::Da,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }
    }

    fn context() -> Context {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        }
    }

    #[test]
    fn a_complete_response_is_valid() {
        let template = custom();
        let answers = vec![
            ("mood", Answer::Smiley(4)),
            ("again", Answer::YesNo(true)),
            ("score", Answer::Scale(10)),
            ("words", Answer::Text("Hyggeligt".into())),
        ];
        assert_eq!(
            response(&template, answers).validate(&template, context()),
            Ok(())
        );
    }

    #[test]
    fn every_wrong_answer_is_reported() {
        let template = custom();
        let answers = vec![
            ("again", Answer::Smiley(3)),
            ("score", Answer::Scale(11)),
            ("nope", Answer::YesNo(false)),
            ("words", Answer::Text("x".repeat(501))),
        ];
        let problems = response(&template, answers)
            .validate(&template, context())
            .unwrap_err();
        assert_eq!(
            problems,
            vec![
                Problem::WrongAnswerKind {
                    question: QuestionId::new("again")
                },
                Problem::UnknownQuestion {
                    question: QuestionId::new("nope")
                },
                Problem::AnswerOutOfScale {
                    question: QuestionId::new("score"),
                    value: 11,
                    min: 0,
                    max: 10
                },
                Problem::TooLong {
                    field: Field::TextAnswer,
                    max: limits::SHORT_TEXT_ANSWER,
                    length: 501
                },
                Problem::RequiredUnanswered {
                    question: QuestionId::new("mood")
                },
            ]
        );
    }

    #[test]
    fn a_smiley_of_zero_or_six_is_outside_its_scale() {
        let template = custom();
        for value in [0, 6] {
            let problems = response(&template, vec![("mood", Answer::Smiley(value))])
                .validate(&template, context())
                .unwrap_err();
            assert_eq!(
                problems,
                vec![Problem::AnswerOutOfScale {
                    question: QuestionId::new("mood"),
                    value: i64::from(value),
                    min: 1,
                    max: 5
                }]
            );
        }
    }

    #[test]
    fn a_response_to_another_version_is_refused() {
        let template = custom();
        let mut answered = response(&template, vec![("mood", Answer::Smiley(3))]);
        answered.template_version = 2;
        assert_eq!(
            answered.validate(&template, context()).unwrap_err(),
            vec![Problem::WrongTemplateVersion {
                expected: 1,
                found: 2
            }]
        );
    }

    #[test]
    fn a_template_without_questions_or_with_gaps_cannot_be_saved() {
        let mut template = custom();
        template.questions.clear();
        template.name.en.clear();
        assert_eq!(
            template.validate().unwrap_err(),
            vec![
                Problem::MissingTranslation {
                    field: Field::TemplateName,
                    language: Language::En
                },
                Problem::NoQuestions
            ]
        );
    }

    #[test]
    fn duplicate_question_ids_and_bad_choices_are_reported() {
        let mut template = custom();
        template
            .questions
            .push(question("mood", QuestionKind::Agreement, false));
        template.questions.push(question(
            "pick",
            QuestionKind::SingleChoice {
                choices: vec![
                    Choice {
                        value: 1,
                        label: Texts::new("Ja", ""),
                    },
                    Choice {
                        value: 1,
                        label: Texts::new("Nej", "No"),
                    },
                ],
            },
            false,
        ));
        assert_eq!(
            template.validate().unwrap_err(),
            vec![
                Problem::DuplicateQuestionId {
                    question: QuestionId::new("mood")
                },
                Problem::MissingTranslation {
                    field: Field::ChoiceLabel,
                    language: Language::En
                },
                Problem::DuplicateChoiceValue {
                    question: QuestionId::new("pick"),
                    value: 1
                },
            ]
        );
    }

    #[test]
    fn answers_have_stable_json() {
        let json = serde_json::to_value(Answer::Smiley(4)).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "smiley", "value": 4}));
        let mode = serde_json::to_value(AdministrationMode::SelfCompleted).unwrap();
        assert_eq!(mode, serde_json::json!("self"));
    }

    #[test]
    fn editing_an_answered_template_makes_a_new_version_and_built_ins_cannot_be_edited() {
        let first = SurveyTemplate::custom(custom().name, custom().questions);
        assert_eq!(first.version, 1);
        let mut questions = first.questions.clone();
        questions.pop();
        let unanswered = first
            .revise(first.name.clone(), questions.clone(), false)
            .unwrap();
        assert_eq!((unanswered.id, unanswered.version), (first.id, 1));
        let answered = first.revise(first.name.clone(), questions, true).unwrap();
        assert_eq!((answered.id, answered.version), (first.id, 2));
        assert_eq!(answered.questions.len(), 3);
        let who5 = Instrument::Who5.template();
        assert_eq!(
            who5.revise(who5.name.clone(), Vec::new(), true),
            Err(Problem::BuiltInChanged)
        );
    }

    #[test]
    fn a_template_is_a_built_in_else_the_organisations_own_in_the_version_asked() {
        let first = custom();
        let second = SurveyTemplate {
            version: 2,
            name: Texts::new("Efter caféen (ny)", "After the café (new)"),
            ..first.clone()
        };
        let own = [second.clone(), first.clone()];
        let templates = Templates::new(&own);
        assert_eq!(templates.newest(first.id), Some(&second));
        assert_eq!(templates.version(first.id, 1), Some(&first));
        assert_eq!(templates.version(first.id, 3), None);
        assert_eq!(templates.newest(TemplateId::generate()), None);
        // A built-in is found whatever the organisation holds, in its one version.
        let who5 = Instrument::Who5.template_id();
        assert_eq!(templates.newest(who5), Some(Instrument::Who5.template()));
        assert_eq!(templates.version(who5, 7), Some(Instrument::Who5.template()));
    }
}
