//! The privacy notice participants are shown (GDPR art. 13): what is recorded, why, for how long,
//! who sees it, and how to ask for it or for its erasure. An organisation may write its own
//! (`Organisation::privacy_notice`); until it does, participants are told the standard one here.
//! Paragraphs are separated by a blank line.

use crate::Language;
use crate::validation::{Field, Problem, Problems, limits};

/// The standard notice, in plain words.
pub fn standard(language: Language) -> &'static str {
    match language {
        Language::Da => {
            "Sådan passer vi på dine oplysninger\n\n\
             Hvad vi skriver ned: et kaldenavn eller dine initialer (aldrig dit fulde navn eller \
             CPR-nummer), hvilke dage du kommer, og, hvis du siger ja til det, dine svar på korte \
             spørgeskemaer om, hvordan du har det.\n\n\
             Hvorfor: så foreningen kan se, hvad aktiviteterne betyder for deltagerne, og fortælle \
             det til dem, der støtter os. Tal i rapporter er altid samlet for flere personer, så \
             ingen kan genkendes.\n\n\
             Hvor længe: kun så længe du kommer her. Kommer du ikke mere, sletter vi dit kaldenavn; \
             dit fremmøde tæller så kun med som et antal.\n\n\
             Hvem ser det: foreningens frivillige og koordinatorer, ingen andre. Dine svar på \
             spørgeskemaer ser kun koordinatorerne.\n\n\
             Dine rettigheder: du kan altid spørge, hvad vi har skrevet om dig, og få det udleveret. \
             Du kan når som helst bede om at få det slettet: sig det til en frivillig eller en \
             koordinator. Du kan sige nej til spørgeskemaer, uden at det ændrer noget for dig."
        }
        Language::En => {
            "How we look after your information\n\n\
             What we write down: a nickname or your initials (never your full name or CPR number), \
             the days you come, and, if you say yes to it, your answers to short questionnaires \
             about how you are.\n\n\
             Why: so the organisation can see what its activities mean to the people who come, and \
             tell those who support us. Figures in reports always cover several people, so nobody \
             can be recognised.\n\n\
             For how long: only while you come here. When you no longer come, we erase your \
             nickname; your attendance then counts only as a number.\n\n\
             Who sees it: the organisation's volunteers and coordinators, nobody else. Only the \
             coordinators see your answers to questionnaires.\n\n\
             Your rights: you can always ask what we have written about you and get a copy. You \
             can ask us to erase it at any time: tell a volunteer or a coordinator. You can say no \
             to questionnaires, and nothing changes for you."
        }
    }
}

/// An organisation's own notice: some text, and not too long to read.
pub fn check(notice: &str) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::default();
    problems.required_text(Field::PrivacyNotice, notice, limits::PRIVACY_NOTICE);
    problems.into_result()
}

/// The notice participants are shown: the organisation's own, or the standard one.
pub fn for_participants(own: Option<&str>, language: Language) -> &str {
    own.filter(|text| !text.trim().is_empty())
        .unwrap_or_else(|| standard(language))
}

/// The notice as it is shown and printed: its first paragraph as the heading, and the paragraphs
/// after it.
pub fn heading_and_body(notice: &str) -> (&str, Vec<&str>) {
    let mut paragraphs = paragraphs(notice);
    let heading = paragraphs.next().unwrap_or_default();
    (heading, paragraphs.collect())
}

fn paragraphs(notice: &str) -> impl Iterator<Item = &str> {
    notice
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_notice_says_what_why_how_long_who_and_how_to_ask_in_both_languages() {
        let (danish_heading, danish) = heading_and_body(standard(Language::Da));
        let (english_heading, english) = heading_and_body(standard(Language::En));
        assert_eq!(danish_heading, "Sådan passer vi på dine oplysninger");
        assert_eq!(english_heading, "How we look after your information");
        assert_eq!(danish.len(), english.len(), "the same paragraphs in both");
        for (language, heads) in [
            (
                danish,
                [
                    "Hvad vi skriver ned",
                    "Hvorfor",
                    "Hvor længe",
                    "Hvem ser det",
                    "Dine rettigheder",
                ],
            ),
            (
                english,
                [
                    "What we write down",
                    "Why",
                    "For how long",
                    "Who sees it",
                    "Your rights",
                ],
            ),
        ] {
            assert_eq!(language.len(), heads.len());
            for (paragraph, head) in language.iter().zip(heads) {
                assert!(paragraph.starts_with(head), "{paragraph}");
            }
        }
    }

    #[test]
    fn the_organisations_own_notice_replaces_the_standard_one_unless_it_is_blank() {
        assert_eq!(
            for_participants(Some("Vi gemmer kun kaldenavne."), Language::En),
            "Vi gemmer kun kaldenavne."
        );
        assert_eq!(
            for_participants(Some("  \n"), Language::Da),
            standard(Language::Da)
        );
        assert_eq!(for_participants(None, Language::En), standard(Language::En));
    }
}
