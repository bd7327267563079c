//! What Spor holds about one participant, for the participant (GDPR art. 15): their record, every
//! visit, the survey answers linked to them and the stories naming them, as a plain text a person can read. Nobody else
//! appears in it: other people's visits and answers, and anonymous answers, are left out.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::export::Records;
use crate::language::Language;
use crate::participant::Participant;
use crate::survey::{Answer, QuestionKind, Templates};

/// The report for `participant` from `records`, in `language`, dated `printed_on`.
pub fn participant_report(
    participant: &Participant,
    records: &Records,
    language: Language,
    printed_on: NaiveDate,
) -> String {
    let say = |da: &'static str, en: &'static str| match language {
        Language::Da => da,
        Language::En => en,
    };
    let yes_no = |yes: bool| if yes { say("ja", "yes") } else { say("nej", "no") };
    let activity_name = |id| {
        records
            .activities
            .iter()
            .find(|activity| activity.id == id)
            .map_or("–", |activity| activity.name.as_str())
    };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} {}\n{} {}\n",
        say("Det, Spor har registreret om", "What Spor holds about"),
        participant.pseudonym,
        say("Udskrevet", "Printed"),
        printed_on.format("%d.%m.%Y"),
    );
    let rosters: Vec<&str> = participant
        .activities
        .iter()
        .map(|id| activity_name(*id))
        .collect();
    let decade = match (participant.birth_decade, language) {
        (None, _) => say("ikke oplyst", "not given").to_owned(),
        (Some(decade), Language::Da) => format!("{decade}'erne"),
        (Some(decade), Language::En) => format!("the {decade}s"),
    };
    let _ = writeln!(
        text,
        "{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n",
        say("Kaldenavn", "Nickname"),
        participant.pseudonym,
        say("Rolle", "Role"),
        participant.default_role.label(language),
        say("Fødselsårti", "Decade of birth"),
        decade,
        say("Aktiviteter", "Activities"),
        rosters.join(", "),
        say(
            "Svar må knyttes til kaldenavnet",
            "Answers may be linked to the nickname"
        ),
        yes_no(participant.consent.linked_surveys),
        say("Må kontaktes", "May be contacted"),
        yes_no(participant.consent.contact),
        say("Må nævnes i fortællinger", "May be named in stories"),
        yes_no(participant.consent.named_in_stories),
    );

    let mut visits: Vec<_> = records
        .attendance
        .iter()
        .filter(|check_in| check_in.participant == participant.id)
        .collect();
    visits.sort_by_key(|check_in| check_in.date);
    let _ = writeln!(text, "{} ({})", say("Fremmøde", "Attendance"), visits.len());
    for check_in in visits {
        let state = check_in.state(records.events);
        let _ = writeln!(
            text,
            "- {} · {} · {}{}",
            check_in.date.format("%d.%m.%Y"),
            activity_name(check_in.activity),
            state.role.label(language),
            if state.withdrawn {
                say(" · trukket tilbage", " · withdrawn")
            } else {
                ""
            },
        );
    }

    let mut answered: Vec<_> = records
        .responses
        .iter()
        .filter(|response| response.participant == Some(participant.id))
        .collect();
    answered.sort_by_key(|response| response.date);
    let _ = writeln!(
        text,
        "\n{} ({})",
        say(
            "Spørgeskemasvar knyttet til kaldenavnet",
            "Survey answers linked to the nickname"
        ),
        answered.len()
    );
    for response in answered {
        let template =
            Templates::new(records.templates).version(response.template, response.template_version);
        let _ = writeln!(
            text,
            "- {} · {} · {}",
            response.date.format("%d.%m.%Y"),
            template.map_or("–", |template| template.name.get(language)),
            activity_name(response.activity),
        );
        for (question, answer) in &response.answers {
            let asked = template.and_then(|template| template.questions.iter().find(|q| &q.id == question));
            let wording = asked.map_or(question.0.as_str(), |asked| asked.text.get(language));
            let _ = writeln!(
                text,
                "    {wording}: {}",
                answer_text(answer, asked.map(|asked| &asked.kind), language)
            );
        }
    }

    let mut told: Vec<_> = records
        .stories
        .iter()
        .filter(|story| story.participant == Some(participant.id))
        .collect();
    told.sort_by_key(|story| story.date);
    let _ = writeln!(
        text,
        "\n{} ({})",
        say(
            "Fortællinger, der nævner kaldenavnet",
            "Stories naming the nickname"
        ),
        told.len()
    );
    for story in told {
        let _ = writeln!(
            text,
            "- {} · {}\n    «{}»",
            story.date.format("%d.%m.%Y"),
            activity_name(story.activity),
            story.text,
        );
    }
    text
}

fn answer_text(answer: &Answer, kind: Option<&QuestionKind>, language: Language) -> String {
    match (answer, kind) {
        (Answer::Choice(value), Some(QuestionKind::SingleChoice { choices })) => {
            choices.iter().find(|choice| choice.value == *value).map_or_else(
                || value.to_string(),
                |choice| choice.label.get(language).to_owned(),
            )
        }
        (Answer::YesNo(yes), _) => match (yes, language) {
            (true, Language::Da) => "ja".to_owned(),
            (false, Language::Da) => "nej".to_owned(),
            (true, Language::En) => "yes".to_owned(),
            (false, Language::En) => "no".to_owned(),
        },
        (Answer::Smiley(value) | Answer::Agreement(value), _) => format!("{value}/5"),
        (Answer::Scale(value), _) => format!("{value}/10"),
        (Answer::Choice(value), _) => value.to_string(),
        (Answer::Text(text), _) => format!("«{text}»"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::Role;
    use crate::activity::Activity;
    use crate::attendance::Attendance;
    use crate::ids::{ActivityId, AttendanceId, DeviceId, ParticipantId, ResponseId};
    use crate::instruments::Instrument;
    use crate::participant::Consent;
    use crate::survey::{AdministrationMode, SurveyResponse};

    fn person(name: &str, activity: ActivityId) -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: name.into(),
            birth_decade: Some(1960),
            default_role: Role::Bruger,
            consent: Consent {
                linked_surveys: true,
                contact: false,
                named_in_stories: false,
            },
            activities: vec![activity],
            erased: false,
            merged_into: None,
        }
    }

    fn visit(who: &Participant, activity: ActivityId, day: u32) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant: who.id,
            activity,
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            role: Role::Bruger,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }
    }

    fn who5(who: Option<&Participant>, activity: ActivityId, value: u8) -> SurveyResponse {
        let template = Instrument::Who5.template();
        SurveyResponse {
            id: ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity,
            date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            participant: who.map(|who| who.id),
            answers: template
                .questions
                .iter()
                .map(|question| (question.id.clone(), Answer::Choice(value)))
                .collect(),
            mode: AdministrationMode::SelfCompleted,
            language: Language::Da,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }
    }

    #[test]
    fn the_report_holds_the_persons_visits_and_linked_answers_and_nobody_elses() {
        let cafe = Activity {
            id: ActivityId::generate(),
            name: "Strikkeklub".into(),
            description: String::new(),
            place: String::new(),
            schedule: None,
            roles: vec![Role::Bruger],
            archived: false,
            surveys: Vec::new(),
        };
        let soren = person("Søren", cafe.id);
        let aase = person("Åse", cafe.id);
        let attendance = vec![
            visit(&soren, cafe.id, 12),
            visit(&aase, cafe.id, 14),
            visit(&soren, cafe.id, 19),
        ];
        let responses = vec![
            who5(Some(&soren), cafe.id, 5),
            who5(Some(&aase), cafe.id, 1),
            who5(None, cafe.id, 2),
        ];
        let story = |who: &Participant, text: &str| crate::story::Story {
            id: crate::ids::StoryId::generate(),
            activity: cafe.id,
            date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            kind: crate::story::StoryKind::Quote,
            text: text.into(),
            outcome: None,
            participant: Some(who.id),
            usable_in_reports: false,
            written_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            language: crate::Language::Da,
        };
        let stories = [
            story(&soren, "Her bliver jeg set"),
            story(&aase, "Jeg strikker igen"),
        ];
        let records = Records {
            activities: std::slice::from_ref(&cafe),
            templates: &[],
            attendance: &attendance,
            events: &[],
            headcounts: &[],
            responses: &responses,
            stories: &stories,
        };
        let report = participant_report(
            &soren,
            &records,
            Language::Da,
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        );

        assert!(
            report.starts_with("Det, Spor har registreret om Søren"),
            "{report}"
        );
        assert!(report.contains("Fødselsårti: 1960'erne"), "{report}");
        assert!(report.contains("Fremmøde (2)"), "{report}");
        assert!(report.contains("- 12.11.2026 · Strikkeklub · Bruger"), "{report}");
        assert!(report.contains("- 19.11.2026 · Strikkeklub · Bruger"), "{report}");
        assert!(!report.contains("14.11.2026"), "Åse's visit: {report}");
        assert!(!report.contains("Åse"), "{report}");
        assert!(
            report.contains("Fortællinger, der nævner kaldenavnet (1)\n- 19.11.2026 · Strikkeklub\n    «Her bliver jeg set»"),
            "{report}"
        );
        assert!(!report.contains("strikker igen"), "Åse's story: {report}");
        assert!(
            report.contains("Spørgeskemasvar knyttet til kaldenavnet (1)"),
            "{report}"
        );
        let who5 = Instrument::Who5.template();
        let best = match &who5.questions[0].kind {
            QuestionKind::SingleChoice { choices } => {
                choices.iter().find(|c| c.value == 5).unwrap().label.da.clone()
            }
            other => panic!("WHO-5 asks with choices, not {other:?}"),
        };
        assert_eq!(
            report.matches(&format!(": {best}")).count(),
            who5.questions.len(),
            "{report}"
        );

        let english = participant_report(
            &soren,
            &records,
            Language::En,
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        );
        assert!(english.starts_with("What Spor holds about Søren"), "{english}");
        assert!(english.contains("Decade of birth: the 1960s"), "{english}");
    }
}
