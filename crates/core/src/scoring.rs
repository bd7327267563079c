//! Scores and their interpretation for the validated instruments (../shared/INSTRUMENTS.md).
//!
//! A response with an item skipped or out of range is kept as answered, but gets no score and says
//! which items are missing. ONS4 is the exception by design: its four items are reported one by
//! one, never summed (ONS guidance), so each answered item has its own band.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Language;
use crate::instruments::Instrument;
use crate::survey::{Answer, QuestionId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Scoring {
    Scored {
        score: Score,
    },
    /// Kept as answered, with no score.
    NotScored {
        reason: NotScored,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotScored {
    /// Session questions and custom templates are counts and shares only.
    NotValidated,
    /// Items required for the score were skipped (or held an impossible value).
    Incomplete { missing: Vec<QuestionId> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "instrument", rename_all = "snake_case")]
pub enum Score {
    /// Raw 0-25 and percentage (raw x 4), 0-100.
    Who5 { raw: u8, percentage: u8 },
    /// Sum 3-9, higher is lonelier.
    Ucla3 { sum: u8 },
    /// Each item 0-10 where answered.
    Ons4 {
        satisfaction: Option<u8>,
        worthwhile: Option<u8>,
        happy: Option<u8>,
        anxious: Option<u8>,
    },
    /// Ladder steps 0-10 now and, optionally, in five years.
    Cantril { now: u8, future: Option<u8> },
}

/// Scores `answers` as `instrument` prescribes.
pub fn score(instrument: Instrument, answers: &BTreeMap<QuestionId, Answer>) -> Scoring {
    score_with(instrument, |id| answers.get(id)?.value())
}

/// Scores answers already reduced to their numeric values (as the trends keep them).
pub fn score_values(instrument: Instrument, values: &BTreeMap<QuestionId, i64>) -> Scoring {
    score_with(instrument, |id| values.get(id).copied())
}

fn score_with(instrument: Instrument, answer_value: impl Fn(&QuestionId) -> Option<i64>) -> Scoring {
    let template = instrument.template();
    // An answer counts when it is a number inside its question's scale.
    let value = |id: &str| -> Option<u8> {
        let id = QuestionId::new(id);
        let (min, max) = template.question(&id)?.kind.scale()?;
        let value = answer_value(&id)?;
        (min..=max)
            .contains(&value)
            .then(|| u8::try_from(value).ok())
            .flatten()
    };
    let all = |ids: &[&str]| -> Result<Vec<u8>, NotScored> {
        let missing: Vec<QuestionId> = ids
            .iter()
            .filter(|id| value(id).is_none())
            .map(|id| QuestionId::new(*id))
            .collect();
        if missing.is_empty() {
            Ok(ids.iter().filter_map(|id| value(id)).collect())
        } else {
            Err(NotScored::Incomplete { missing })
        }
    };
    let result = match instrument {
        // WHO-5: all five items required; raw = sum, percentage = raw x 4.
        Instrument::Who5 => all(&["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]).map(|values| {
            let raw: u8 = values.iter().sum();
            Score::Who5 {
                raw,
                percentage: raw * 4,
            }
        }),
        // UCLA-3 / T-ILS: all three items required; sum 3-9.
        Instrument::Ucla3 => all(&["ucla3_1", "ucla3_2", "ucla3_3"]).map(|values| Score::Ucla3 {
            sum: values.iter().sum(),
        }),
        Instrument::Ons4 => {
            let ids = [
                "ons4_satisfaction",
                "ons4_worthwhile",
                "ons4_happy",
                "ons4_anxious",
            ];
            let [satisfaction, worthwhile, happy, anxious] = ids.map(value);
            if [satisfaction, worthwhile, happy, anxious]
                .iter()
                .all(Option::is_none)
            {
                Err(NotScored::Incomplete {
                    missing: ids.map(QuestionId::new).to_vec(),
                })
            } else {
                Ok(Score::Ons4 {
                    satisfaction,
                    worthwhile,
                    happy,
                    anxious,
                })
            }
        }
        // Cantril: "now" is required; "in five years" is optional.
        Instrument::Cantril => all(&["cantril_now"]).map(|now| Score::Cantril {
            now: now[0],
            future: value("cantril_future"),
        }),
        Instrument::SessionToday => Err(NotScored::NotValidated),
    };
    match result {
        Ok(score) => Scoring::Scored { score },
        Err(reason) => Scoring::NotScored { reason },
    }
}

/// Danish practice on the WHO-5 percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who5Band {
    /// 0-35: large risk of depression or stress.
    LargeRisk,
    /// 36-50: risk.
    Risk,
    /// Above 50: no immediate risk.
    NoImmediateRisk,
}

/// ONS thresholds for life satisfaction, worthwhile and happiness (items 1-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ons4Band {
    /// 0-4.
    Low,
    /// 5-6.
    Medium,
    /// 7-8.
    High,
    /// 9-10.
    VeryHigh,
}

/// ONS thresholds for anxiety (item 4), where a high score is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnxietyBand {
    /// 0-1.
    VeryLow,
    /// 2-3.
    Low,
    /// 4-5.
    Medium,
    /// 6-10.
    High,
}

/// Gallup's classification of the Cantril ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CantrilCategory {
    /// Now >= 7 and in five years >= 8.
    Thriving,
    /// Neither thriving nor suffering.
    Struggling,
    /// Now <= 4 and in five years <= 4.
    Suffering,
}

pub fn who5_band(percentage: u8) -> Who5Band {
    match percentage {
        0..=35 => Who5Band::LargeRisk,
        36..=50 => Who5Band::Risk,
        _ => Who5Band::NoImmediateRisk,
    }
}

/// WHO-5 percentage <= 28 suggests likely depression (secondary source, see INSTRUMENTS.md).
pub fn who5_likely_depression(percentage: u8) -> bool {
    percentage <= 28
}

/// A change of at least this many WHO-5 percentage points is meaningful.
pub const WHO5_MEANINGFUL_CHANGE: f64 = 10.0;

/// T-ILS: a UCLA-3 sum of 7 or more shows signs of severe loneliness (Danish national cut-off).
pub fn ucla3_severe_loneliness(sum: u8) -> bool {
    sum >= 7
}

pub fn ons4_band(value: u8) -> Ons4Band {
    match value {
        0..=4 => Ons4Band::Low,
        5..=6 => Ons4Band::Medium,
        7..=8 => Ons4Band::High,
        _ => Ons4Band::VeryHigh,
    }
}

pub fn anxiety_band(value: u8) -> AnxietyBand {
    match value {
        0..=1 => AnxietyBand::VeryLow,
        2..=3 => AnxietyBand::Low,
        4..=5 => AnxietyBand::Medium,
        _ => AnxietyBand::High,
    }
}

/// Needs both ladder items; with only "now" there is no category.
pub fn cantril_category(now: u8, future: u8) -> CantrilCategory {
    if now >= 7 && future >= 8 {
        CantrilCategory::Thriving
    } else if now <= 4 && future <= 4 {
        CantrilCategory::Suffering
    } else {
        CantrilCategory::Struggling
    }
}

impl Who5Band {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Who5Band::LargeRisk, Language::Da) => "Stor risiko for depression eller stress (0-35)",
            (Who5Band::LargeRisk, Language::En) => "Large risk of depression or stress (0-35)",
            (Who5Band::Risk, Language::Da) => "Risiko (36-50)",
            (Who5Band::Risk, Language::En) => "Risk (36-50)",
            (Who5Band::NoImmediateRisk, Language::Da) => "Ingen umiddelbar risiko (over 50)",
            (Who5Band::NoImmediateRisk, Language::En) => "No immediate risk (above 50)",
        }
    }
}

impl Ons4Band {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Ons4Band::Low, Language::Da) => "Lav (0-4)",
            (Ons4Band::Low, Language::En) => "Low (0-4)",
            (Ons4Band::Medium, Language::Da) => "Middel (5-6)",
            (Ons4Band::Medium, Language::En) => "Medium (5-6)",
            (Ons4Band::High, Language::Da) => "Høj (7-8)",
            (Ons4Band::High, Language::En) => "High (7-8)",
            (Ons4Band::VeryHigh, Language::Da) => "Meget høj (9-10)",
            (Ons4Band::VeryHigh, Language::En) => "Very high (9-10)",
        }
    }
}

impl AnxietyBand {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (AnxietyBand::VeryLow, Language::Da) => "Meget lav (0-1)",
            (AnxietyBand::VeryLow, Language::En) => "Very low (0-1)",
            (AnxietyBand::Low, Language::Da) => "Lav (2-3)",
            (AnxietyBand::Low, Language::En) => "Low (2-3)",
            (AnxietyBand::Medium, Language::Da) => "Middel (4-5)",
            (AnxietyBand::Medium, Language::En) => "Medium (4-5)",
            (AnxietyBand::High, Language::Da) => "Høj (6-10)",
            (AnxietyBand::High, Language::En) => "High (6-10)",
        }
    }
}

impl CantrilCategory {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (CantrilCategory::Thriving, Language::Da) => "Trives",
            (CantrilCategory::Thriving, Language::En) => "Thriving",
            (CantrilCategory::Struggling, Language::Da) => "Kæmper",
            (CantrilCategory::Struggling, Language::En) => "Struggling",
            (CantrilCategory::Suffering, Language::Da) => "Lider",
            (CantrilCategory::Suffering, Language::En) => "Suffering",
        }
    }
}

/// A number the trends page follows over time, one per instrument item or score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Who5Percentage,
    Ucla3Sum,
    Ons4Satisfaction,
    Ons4Worthwhile,
    Ons4Happy,
    Ons4Anxious,
    CantrilNow,
}

/// The band a measurement falls in, for "share in each band".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "scale", content = "band", rename_all = "snake_case")]
pub enum Band {
    Who5(Who5Band),
    /// T-ILS: signs of severe loneliness (sum >= 7) or not.
    SevereLoneliness(bool),
    Ons4(Ons4Band),
    Anxiety(AnxietyBand),
    Cantril(CantrilCategory),
}

impl Band {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Band::Who5(band), _) => band.label(language),
            (Band::SevereLoneliness(true), Language::Da) => "Tegn på svær ensomhed (7-9)",
            (Band::SevereLoneliness(true), Language::En) => "Signs of severe loneliness (7-9)",
            (Band::SevereLoneliness(false), Language::Da) => "Ikke tegn på svær ensomhed (3-6)",
            (Band::SevereLoneliness(false), Language::En) => "No signs of severe loneliness (3-6)",
            (Band::Ons4(band), _) => band.label(language),
            (Band::Anxiety(band), _) => band.label(language),
            (Band::Cantril(category), _) => category.label(language),
        }
    }
}

impl Measure {
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Measure::Who5Percentage, Language::Da) => "WHO-5 trivselsindeks (0-100)",
            (Measure::Who5Percentage, Language::En) => "WHO-5 well-being index (0-100)",
            (Measure::Ucla3Sum, Language::Da) => "Ensomhed, T-ILS (3-9, lavere er bedre)",
            (Measure::Ucla3Sum, Language::En) => "Loneliness, T-ILS (3-9, lower is better)",
            (Measure::Ons4Satisfaction, Language::Da) => "Tilfredshed med livet (0-10)",
            (Measure::Ons4Satisfaction, Language::En) => "Life satisfaction (0-10)",
            (Measure::Ons4Worthwhile, Language::Da) => "Meningsfuldt liv (0-10)",
            (Measure::Ons4Worthwhile, Language::En) => "Worthwhile life (0-10)",
            (Measure::Ons4Happy, Language::Da) => "Glad i går (0-10)",
            (Measure::Ons4Happy, Language::En) => "Happy yesterday (0-10)",
            (Measure::Ons4Anxious, Language::Da) => "Bekymret i går (0-10, lavere er bedre)",
            (Measure::Ons4Anxious, Language::En) => "Anxious yesterday (0-10, lower is better)",
            (Measure::CantrilNow, Language::Da) => "Livsstigen nu (0-10)",
            (Measure::CantrilNow, Language::En) => "Life ladder now (0-10)",
        }
    }

    /// The lowest and highest value the measure can take.
    pub fn range(self) -> (f64, f64) {
        match self {
            Measure::Who5Percentage => (0.0, 100.0),
            Measure::Ucla3Sum => (3.0, 9.0),
            _ => (0.0, 10.0),
        }
    }

    /// True when a higher value is better (false for loneliness and anxiety).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Measure::Ucla3Sum | Measure::Ons4Anxious)
    }

    /// The change that counts as meaningful for one person, where the literature gives one.
    pub fn meaningful_change(self) -> Option<f64> {
        (self == Measure::Who5Percentage).then_some(WHO5_MEANINGFUL_CHANGE)
    }

    /// Every band of the measure, in display order.
    pub fn bands(self) -> Vec<Band> {
        match self {
            Measure::Who5Percentage => [Who5Band::LargeRisk, Who5Band::Risk, Who5Band::NoImmediateRisk]
                .map(Band::Who5)
                .to_vec(),
            Measure::Ucla3Sum => vec![Band::SevereLoneliness(true), Band::SevereLoneliness(false)],
            Measure::Ons4Satisfaction | Measure::Ons4Worthwhile | Measure::Ons4Happy => [
                Ons4Band::Low,
                Ons4Band::Medium,
                Ons4Band::High,
                Ons4Band::VeryHigh,
            ]
            .map(Band::Ons4)
            .to_vec(),
            Measure::Ons4Anxious => [
                AnxietyBand::VeryLow,
                AnxietyBand::Low,
                AnxietyBand::Medium,
                AnxietyBand::High,
            ]
            .map(Band::Anxiety)
            .to_vec(),
            Measure::CantrilNow => [
                CantrilCategory::Thriving,
                CantrilCategory::Struggling,
                CantrilCategory::Suffering,
            ]
            .map(Band::Cantril)
            .to_vec(),
        }
    }
}

/// One measurement taken from a score: the measure, its value and its band (when it has one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    pub measure: Measure,
    pub value: f64,
    pub band: Option<Band>,
}

impl Score {
    pub fn measurements(&self) -> Vec<Measurement> {
        let measurement = |measure, value: u8, band| Measurement {
            measure,
            value: f64::from(value),
            band: Some(band),
        };
        match *self {
            Score::Who5 { percentage, .. } => {
                vec![measurement(
                    Measure::Who5Percentage,
                    percentage,
                    Band::Who5(who5_band(percentage)),
                )]
            }
            Score::Ucla3 { sum } => vec![measurement(
                Measure::Ucla3Sum,
                sum,
                Band::SevereLoneliness(ucla3_severe_loneliness(sum)),
            )],
            Score::Ons4 {
                satisfaction,
                worthwhile,
                happy,
                anxious,
            } => [
                (Measure::Ons4Satisfaction, satisfaction),
                (Measure::Ons4Worthwhile, worthwhile),
                (Measure::Ons4Happy, happy),
            ]
            .into_iter()
            .filter_map(|(measure, value)| Some(measurement(measure, value?, Band::Ons4(ons4_band(value?)))))
            .chain(
                anxious.map(|value| {
                    measurement(Measure::Ons4Anxious, value, Band::Anxiety(anxiety_band(value)))
                }),
            )
            .collect(),
            Score::Cantril { now, future } => vec![Measurement {
                measure: Measure::CantrilNow,
                value: f64::from(now),
                band: future.map(|future| Band::Cantril(cantril_category(now, future))),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(pairs: &[(&str, u8)]) -> BTreeMap<QuestionId, Answer> {
        pairs
            .iter()
            .map(|(id, value)| (QuestionId::new(*id), Answer::Choice(*value)))
            .collect()
    }

    fn scales(pairs: &[(&str, u8)]) -> BTreeMap<QuestionId, Answer> {
        pairs
            .iter()
            .map(|(id, value)| (QuestionId::new(*id), Answer::Scale(*value)))
            .collect()
    }

    /// WHO-5 answers summing to `raw`, spread over the five items.
    fn who5_answers(raw: u8) -> BTreeMap<QuestionId, Answer> {
        let items = ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"];
        let values: Vec<(&str, u8)> = items
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, raw / 5 + u8::from((i as u8) < raw % 5)))
            .collect();
        choices(&values)
    }

    fn who5_percentage(raw: u8) -> u8 {
        match score(Instrument::Who5, &who5_answers(raw)) {
            Scoring::Scored {
                score:
                    Score::Who5 {
                        raw: scored,
                        percentage,
                    },
            } => {
                assert_eq!(scored, raw);
                percentage
            }
            other => panic!("raw {raw} did not score: {other:?}"),
        }
    }

    #[test]
    fn who5_percentage_is_raw_times_four_over_the_whole_range() {
        for raw in 0..=25 {
            assert_eq!(who5_percentage(raw), raw * 4);
        }
    }

    #[test]
    fn who5_danish_bands_at_their_boundaries() {
        // Danish practice: 0-35 large risk, 36-50 risk, > 50 no immediate risk.
        assert_eq!(who5_band(who5_percentage(8)), Who5Band::LargeRisk); // 32
        assert_eq!(who5_band(35), Who5Band::LargeRisk);
        assert_eq!(who5_band(who5_percentage(9)), Who5Band::Risk); // 36
        assert_eq!(who5_band(who5_percentage(12)), Who5Band::Risk); // 48
        assert_eq!(who5_band(50), Who5Band::Risk);
        assert_eq!(who5_band(who5_percentage(13)), Who5Band::NoImmediateRisk); // 52
    }

    #[test]
    fn who5_at_or_below_28_suggests_likely_depression() {
        assert!(who5_likely_depression(who5_percentage(7))); // 28
        assert!(!who5_likely_depression(who5_percentage(8))); // 32
    }

    #[test]
    fn who5_needs_all_five_items_and_says_which_are_missing() {
        let mut answers = who5_answers(20);
        answers.remove(&QuestionId::new("who5_3"));
        answers.insert(QuestionId::new("who5_5"), Answer::Choice(9));
        assert_eq!(
            score(Instrument::Who5, &answers),
            Scoring::NotScored {
                reason: NotScored::Incomplete {
                    missing: vec![QuestionId::new("who5_3"), QuestionId::new("who5_5")]
                }
            }
        );
    }

    #[test]
    fn ucla3_sum_and_the_danish_cut_off_of_seven() {
        let sum = |values: [u8; 3]| match score(
            Instrument::Ucla3,
            &choices(&[
                ("ucla3_1", values[0]),
                ("ucla3_2", values[1]),
                ("ucla3_3", values[2]),
            ]),
        ) {
            Scoring::Scored {
                score: Score::Ucla3 { sum },
            } => sum,
            other => panic!("{other:?}"),
        };
        assert_eq!(sum([1, 1, 1]), 3);
        assert_eq!(sum([3, 3, 3]), 9);
        assert!(!ucla3_severe_loneliness(sum([2, 2, 2]))); // 6
        assert!(ucla3_severe_loneliness(sum([3, 2, 2]))); // 7
    }

    #[test]
    fn ucla3_with_an_item_skipped_has_no_score() {
        let answers = choices(&[("ucla3_1", 3), ("ucla3_3", 3)]);
        assert_eq!(
            score(Instrument::Ucla3, &answers),
            Scoring::NotScored {
                reason: NotScored::Incomplete {
                    missing: vec![QuestionId::new("ucla3_2")]
                }
            }
        );
    }

    #[test]
    fn ons4_bands_per_item_with_anxiety_on_its_own_scale() {
        let expected = [
            (4, Ons4Band::Low),
            (5, Ons4Band::Medium),
            (6, Ons4Band::Medium),
            (7, Ons4Band::High),
            (8, Ons4Band::High),
            (9, Ons4Band::VeryHigh),
            (10, Ons4Band::VeryHigh),
            (0, Ons4Band::Low),
        ];
        for (value, band) in expected {
            assert_eq!(ons4_band(value), band, "{value}");
        }
        let anxiety = [
            (0, AnxietyBand::VeryLow),
            (1, AnxietyBand::VeryLow),
            (2, AnxietyBand::Low),
            (3, AnxietyBand::Low),
            (4, AnxietyBand::Medium),
            (5, AnxietyBand::Medium),
            (6, AnxietyBand::High),
            (10, AnxietyBand::High),
        ];
        for (value, band) in anxiety {
            assert_eq!(anxiety_band(value), band, "{value}");
        }
    }

    #[test]
    fn ons4_is_reported_per_item_never_summed() {
        let answers = scales(&[("ons4_satisfaction", 8), ("ons4_anxious", 2)]);
        assert_eq!(
            score(Instrument::Ons4, &answers),
            Scoring::Scored {
                score: Score::Ons4 {
                    satisfaction: Some(8),
                    worthwhile: None,
                    happy: None,
                    anxious: Some(2)
                }
            }
        );
        assert!(matches!(
            score(Instrument::Ons4, &BTreeMap::new()),
            Scoring::NotScored {
                reason: NotScored::Incomplete { .. }
            }
        ));
    }

    #[test]
    fn cantril_categories_follow_gallup() {
        assert_eq!(cantril_category(7, 8), CantrilCategory::Thriving);
        assert_eq!(cantril_category(7, 7), CantrilCategory::Struggling);
        assert_eq!(cantril_category(6, 9), CantrilCategory::Struggling);
        assert_eq!(cantril_category(4, 4), CantrilCategory::Suffering);
        assert_eq!(cantril_category(4, 5), CantrilCategory::Struggling);
        assert_eq!(cantril_category(0, 0), CantrilCategory::Suffering);
    }

    #[test]
    fn cantril_needs_now_and_takes_the_future_when_given() {
        assert_eq!(
            score(Instrument::Cantril, &scales(&[("cantril_now", 6)])),
            Scoring::Scored {
                score: Score::Cantril { now: 6, future: None }
            }
        );
        assert_eq!(
            score(Instrument::Cantril, &scales(&[("cantril_future", 6)])),
            Scoring::NotScored {
                reason: NotScored::Incomplete {
                    missing: vec![QuestionId::new("cantril_now")]
                }
            }
        );
    }

    #[test]
    fn session_questions_are_not_scored() {
        assert_eq!(
            score(Instrument::SessionToday, &BTreeMap::new()),
            Scoring::NotScored {
                reason: NotScored::NotValidated
            }
        );
    }
}
