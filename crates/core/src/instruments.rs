//! The built-in instruments. Their texts, licences and citations live in `data/instruments/*.json`
//! (the WHO-5 file carries its CC BY-NC-SA 3.0 IGO notice); this module turns them into templates.
//! Scoring is in `scoring.rs`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::TemplateId;
use crate::language::Texts;
use crate::survey::{Question, QuestionId, QuestionKind, SurveyTemplate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// WHO-5 Well-Being Index.
    Who5,
    /// UCLA 3-item loneliness scale in the Danish T-ILS wording.
    Ucla3,
    /// ONS4 personal wellbeing, four items reported one by one.
    Ons4,
    /// Cantril's ladder, now and (optionally) in five years.
    Cantril,
    /// "Hvordan var i dag?": session questions, not validated.
    SessionToday,
}

/// Where an instrument comes from and under what terms: shown wherever the instrument is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The published reference, as cited (none for Spor's own questions).
    pub citation: Option<String>,
    /// The licence, told in each language.
    pub licence: Option<Texts>,
    /// Which texts come from which source, and which are Spor's own translation.
    pub provenance: Texts,
}

/// The shape of a `data/instruments/*.json` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentData {
    name: Texts,
    instruction: Texts,
    source: Source,
    items: Vec<ItemData>,
    answers: QuestionKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemData {
    id: String,
    text: Texts,
    /// An item that differs from the instrument's answer kind (e.g. a yes/no among smileys).
    #[serde(default)]
    kind: Option<QuestionKind>,
}

impl Instrument {
    pub const ALL: [Instrument; 5] = [
        Instrument::Who5,
        Instrument::Ucla3,
        Instrument::Ons4,
        Instrument::Cantril,
        Instrument::SessionToday,
    ];

    /// Validated instruments have a score; the session questions are counts and shares only.
    pub fn is_validated(self) -> bool {
        self != Instrument::SessionToday
    }

    /// The fixed template id of the built-in, the same on every device.
    pub fn template_id(self) -> TemplateId {
        let number = Instrument::ALL.iter().position(|i| *i == self).unwrap_or(0) as u128 + 1;
        // A fixed UUIDv8 ("custom") per instrument: 5b0f... marks Spor's built-ins.
        TemplateId(Uuid::from_u128(
            0x5b0f_0000_0000_8000_8000_0000_0000_0000 | number,
        ))
    }

    fn data(self) -> &'static InstrumentData {
        static DATA: OnceLock<Vec<InstrumentData>> = OnceLock::new();
        let all = DATA.get_or_init(|| {
            [
                include_str!("../data/instruments/who5.json"),
                include_str!("../data/instruments/ucla3.json"),
                include_str!("../data/instruments/ons4.json"),
                include_str!("../data/instruments/cantril.json"),
                include_str!("../data/instruments/session_today.json"),
            ]
            .into_iter()
            // The files ship inside the crate and a test parses each one.
            .map(|json| serde_json::from_str(json).expect("a shipped instrument file is valid"))
            .collect()
        });
        &all[Instrument::ALL.iter().position(|i| *i == self).unwrap_or(0)]
    }

    pub fn name(self) -> &'static Texts {
        &self.data().name
    }

    pub fn instruction(self) -> &'static Texts {
        &self.data().instruction
    }

    pub fn source(self) -> &'static Source {
        &self.data().source
    }

    /// The instrument as a survey template (version 1; built-ins never change), built once.
    pub fn template(self) -> &'static SurveyTemplate {
        static TEMPLATES: OnceLock<Vec<SurveyTemplate>> = OnceLock::new();
        let all = TEMPLATES.get_or_init(|| {
            Instrument::ALL
                .into_iter()
                .map(Instrument::build_template)
                .collect()
        });
        &all[Instrument::ALL.iter().position(|i| *i == self).unwrap_or(0)]
    }

    fn build_template(self) -> SurveyTemplate {
        let data = self.data();
        SurveyTemplate {
            id: self.template_id(),
            version: 1,
            name: data.name.clone(),
            instrument: Some(self),
            questions: data
                .items
                .iter()
                .map(|item| Question {
                    id: QuestionId::new(&item.id),
                    text: item.text.clone(),
                    kind: item.kind.clone().unwrap_or_else(|| data.answers.clone()),
                    required: false,
                })
                .collect(),
        }
    }

    /// The built-in whose fixed template id this is.
    pub fn from_template_id(id: TemplateId) -> Option<Instrument> {
        Instrument::ALL
            .into_iter()
            .find(|instrument| instrument.template_id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn every_built_in_parses_and_is_a_valid_template_in_both_languages() {
        for instrument in Instrument::ALL {
            let template = instrument.template();
            assert_eq!(template.validate(), Ok(()), "{instrument:?}");
            assert!(!instrument.instruction().da.is_empty() && !instrument.instruction().en.is_empty());
            assert_eq!(Instrument::from_template_id(template.id), Some(instrument));
        }
    }

    #[test]
    fn who5_carries_its_licence_and_the_who_citation() {
        let source = Instrument::Who5.source();
        let licence = source.licence.as_ref().unwrap();
        assert!(licence.en.starts_with("CC BY-NC-SA 3.0 IGO (non-commercial use"));
        assert!(
            licence
                .da
                .starts_with("CC BY-NC-SA 3.0 IGO (kun ikke-kommerciel brug")
        );
        assert!(source.citation.as_deref().unwrap().starts_with(
            "World Health Organization. The World Health Organization-Five Well-Being Index (WHO-5). \
             Geneva: WHO; 2024."
        ));
        assert!(source.provenance.en.contains("not made by WHO"));
    }

    #[test]
    fn who5_has_five_items_answered_zero_to_five() {
        let template = Instrument::Who5.template();
        assert_eq!(template.questions.len(), 5);
        for question in &template.questions {
            assert_eq!(question.kind.scale(), Some((0, 5)));
            assert!(question.text.get(Language::Da).starts_with("I de sidste 2 uger"));
            assert!(
                !question.required,
                "items of a validated instrument may be skipped"
            );
        }
    }

    #[test]
    fn the_session_questions_cite_nothing_and_say_what_they_are_in_each_language() {
        let source = Instrument::SessionToday.source();
        assert_eq!(source.citation, None);
        assert_eq!(source.licence, None);
        assert!(source.provenance.da.contains("Spørgsmålene er Spors egne"));
        assert!(source.provenance.en.contains("The questions are Spor's own"));
    }

    #[test]
    fn only_the_session_questions_are_not_validated() {
        for instrument in Instrument::ALL {
            assert_eq!(
                instrument.template().is_validated(),
                instrument != Instrument::SessionToday
            );
        }
    }

    #[test]
    fn a_changed_built_in_cannot_be_saved() {
        let mut template = Instrument::Ucla3.template().clone();
        template.questions.pop();
        assert!(
            template
                .validate()
                .unwrap_err()
                .contains(&crate::validation::Problem::BuiltInChanged)
        );
    }

    #[test]
    fn built_in_template_ids_are_fixed_and_distinct() {
        let ids: std::collections::BTreeSet<_> = Instrument::ALL.iter().map(|i| i.template_id()).collect();
        assert_eq!(ids.len(), Instrument::ALL.len());
        assert_eq!(
            Instrument::Who5.template_id().to_string(),
            "5b0f0000-0000-8000-8000-000000000001"
        );
    }
}
