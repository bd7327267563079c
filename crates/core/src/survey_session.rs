//! One participant answering one survey, screen by screen: the language first, then one question
//! per screen (back, and skip where allowed), then the thank-you. Plain state the survey page
//! renders; nothing is stored until [`SurveySession::finish`] gives the response to write.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, DeviceId, ParticipantId, ResponseId};
use crate::language::Language;
use crate::survey::{AdministrationMode, Answer, Question, SurveyResponse, SurveyTemplate};
use crate::validation::Problem;

/// Where the participant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Dansk or English, per respondent.
    Language,
    /// Question number `n` (from 0) of the template.
    Question(usize),
    /// All questions seen: check and send.
    Review,
}

/// What the volunteer set up before handing over (kept across a reload of a handed-over phone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    pub activity: ActivityId,
    pub date: NaiveDate,
    /// Linked to a participant's pseudonym (with their consent); anonymous when `None`.
    pub participant: Option<ParticipantId>,
    pub mode: AdministrationMode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveySession {
    template: SurveyTemplate,
    handover: Handover,
    language: Language,
    screen: Screen,
    answers: BTreeMap<crate::survey::QuestionId, Answer>,
}

impl SurveySession {
    pub fn new(template: SurveyTemplate, handover: Handover) -> SurveySession {
        SurveySession {
            template,
            handover,
            language: Language::Da,
            screen: Screen::Language,
            answers: BTreeMap::new(),
        }
    }

    pub fn template(&self) -> &SurveyTemplate {
        &self.template
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Whom the answers are linked to, if anyone.
    pub fn participant(&self) -> Option<ParticipantId> {
        self.handover.participant
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The question on screen, if a question is.
    pub fn question(&self) -> Option<&Question> {
        match self.screen {
            Screen::Question(index) => self.template.questions.get(index),
            _ => None,
        }
    }

    pub fn answer_to(&self, question: &Question) -> Option<&Answer> {
        self.answers.get(&question.id)
    }

    /// How many questions there are, and which one is on screen (for the progress dots).
    pub fn progress(&self) -> (usize, Option<usize>) {
        let current = match self.screen {
            Screen::Question(index) => Some(index),
            _ => None,
        };
        (self.template.questions.len(), current)
    }

    pub fn choose_language(&mut self, language: Language) {
        self.language = language;
        self.screen = self.after(None);
    }

    /// Records the answer to the question on screen and moves on.
    pub fn answer(&mut self, answer: Answer) {
        if let Screen::Question(index) = self.screen {
            let id = self.template.questions[index].id.clone();
            self.answers.insert(id, answer);
            self.screen = self.after(Some(index));
        }
    }

    /// Whether the question on screen may be left unanswered: a validated instrument's items may
    /// (the response is then kept without a score); a custom template's required ones may not.
    pub fn may_skip(&self) -> bool {
        self.question().is_some_and(|question| !question.required)
    }

    /// Moves on without an answer (removing one given before), where that is allowed.
    pub fn skip(&mut self) {
        if let (Screen::Question(index), true) = (self.screen, self.may_skip()) {
            let id = self.template.questions[index].id.clone();
            self.answers.remove(&id);
            self.screen = self.after(Some(index));
        }
    }

    pub fn back(&mut self) {
        self.screen = match self.screen {
            Screen::Language | Screen::Question(0) => Screen::Language,
            Screen::Question(index) => Screen::Question(index - 1),
            Screen::Review => match self.template.questions.len() {
                0 => Screen::Language,
                count => Screen::Question(count - 1),
            },
        };
    }

    /// Goes to a question from the review screen, to change its answer.
    pub fn revisit(&mut self, index: usize) {
        if index < self.template.questions.len() {
            self.screen = Screen::Question(index);
        }
    }

    fn after(&self, index: Option<usize>) -> Screen {
        let next = index.map_or(0, |index| index + 1);
        if next < self.template.questions.len() {
            Screen::Question(next)
        } else {
            Screen::Review
        }
    }

    /// The required questions still unanswered, in order.
    pub fn missing(&self) -> Vec<&Question> {
        self.template
            .questions
            .iter()
            .filter(|question| question.required && !self.answers.contains_key(&question.id))
            .collect()
    }

    /// The response to store, once every required question is answered; otherwise which ones are
    /// not (the participant is taken to the first).
    pub fn finish(
        &mut self,
        recorded_at: DateTime<Utc>,
        recorded_by: DeviceId,
    ) -> Result<SurveyResponse, Vec<Problem>> {
        let missing: Vec<Problem> = self
            .missing()
            .into_iter()
            .map(|question| Problem::RequiredUnanswered {
                question: question.id.clone(),
            })
            .collect();
        if let Some(Problem::RequiredUnanswered { question }) = missing.first() {
            if let Some(index) = self.template.questions.iter().position(|q| &q.id == question) {
                self.screen = Screen::Question(index);
            }
            return Err(missing);
        }
        Ok(SurveyResponse {
            id: ResponseId::generate(),
            template: self.template.id,
            template_version: self.template.version,
            activity: self.handover.activity,
            date: self.handover.date,
            participant: self.handover.participant,
            answers: self.answers.clone(),
            mode: self.handover.mode,
            language: self.language,
            recorded_at,
            recorded_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instruments::Instrument;
    use crate::language::Texts;
    use crate::scoring::{NotScored, Score, Scoring, score};
    use crate::survey::{QuestionId, QuestionKind};
    use crate::validation::Context;
    use uuid::Uuid;

    fn handover() -> Handover {
        Handover {
            activity: ActivityId(Uuid::from_u128(1)),
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            participant: None,
            mode: AdministrationMode::ReadAloud,
        }
    }

    fn device() -> DeviceId {
        DeviceId(Uuid::from_u128(2))
    }

    #[test]
    fn a_who5_answered_screen_by_screen_becomes_a_valid_scored_response() {
        let mut session = SurveySession::new(Instrument::Who5.template().clone(), handover());
        assert_eq!(session.screen(), Screen::Language);
        session.choose_language(Language::En);
        for value in [5, 4, 3, 2, 1] {
            assert!(session.question().is_some());
            session.answer(Answer::Choice(value));
        }
        assert_eq!(session.screen(), Screen::Review);
        let response = session.finish(Utc::now(), device()).unwrap();
        assert_eq!(response.language, Language::En);
        assert_eq!(response.mode, AdministrationMode::ReadAloud);
        let context = Context {
            today: handover().date,
        };
        assert_eq!(response.validate(Instrument::Who5.template(), context), Ok(()));
        // Raw 15 of 25, times 4: 60.
        assert_eq!(
            score(Instrument::Who5, &response.answers),
            Scoring::Scored {
                score: Score::Who5 {
                    raw: 15,
                    percentage: 60
                }
            }
        );
    }

    #[test]
    fn back_and_skip_move_between_questions_and_a_skipped_item_leaves_no_score() {
        let mut session = SurveySession::new(Instrument::Who5.template().clone(), handover());
        session.choose_language(Language::Da);
        session.answer(Answer::Choice(3));
        session.back();
        assert_eq!(session.screen(), Screen::Question(0));
        assert_eq!(
            session.answer_to(&session.template().questions[0].clone()),
            Some(&Answer::Choice(3)),
            "going back shows the answer given"
        );
        assert!(
            session.may_skip(),
            "a validated instrument's items may be skipped"
        );
        session.skip();
        for _ in 1..5 {
            session.answer(Answer::Choice(4));
        }
        let response = session.finish(Utc::now(), device()).unwrap();
        assert_eq!(response.answers.len(), 4);
        assert!(matches!(
            score(Instrument::Who5, &response.answers),
            Scoring::NotScored {
                reason: NotScored::Incomplete { .. }
            }
        ));
        session.back();
        assert_eq!(session.screen(), Screen::Question(4));
    }

    #[test]
    fn a_required_question_cannot_be_skipped_and_finishing_without_it_says_which() {
        let template = SurveyTemplate {
            id: crate::ids::TemplateId(Uuid::from_u128(3)),
            version: 2,
            name: Texts::new("Efter caféen", "After the café"),
            instrument: None,
            questions: vec![
                Question {
                    id: QuestionId::new("mood"),
                    text: Texts::new("Hvordan var i dag?", "How was today?"),
                    kind: QuestionKind::Smiley,
                    required: true,
                },
                Question {
                    id: QuestionId::new("again"),
                    text: Texts::new("Kommer du igen?", "Will you come again?"),
                    kind: QuestionKind::YesNo,
                    required: false,
                },
            ],
        };
        let mut session = SurveySession::new(template, handover());
        session.choose_language(Language::Da);
        assert!(!session.may_skip());
        session.skip();
        assert_eq!(
            session.screen(),
            Screen::Question(0),
            "skipping a required question does nothing"
        );
        session.revisit(1);
        session.answer(Answer::YesNo(true));
        assert_eq!(session.screen(), Screen::Review);
        assert_eq!(
            session.finish(Utc::now(), device()),
            Err(vec![Problem::RequiredUnanswered {
                question: QuestionId::new("mood")
            }])
        );
        assert_eq!(
            session.screen(),
            Screen::Question(0),
            "taken to the missing question"
        );
        session.answer(Answer::Smiley(4));
        session.revisit(1);
        session.answer(Answer::YesNo(true));
        let response = session.finish(Utc::now(), device()).unwrap();
        assert_eq!(
            response.template_version, 2,
            "the response keeps the version it answered"
        );
    }
}
