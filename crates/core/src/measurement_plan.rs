//! An activity's measurement plan: which surveys are asked there and how often (its survey plans),
//! and what that asks of the participants and the volunteers, so that a coordinator can keep the
//! documentation in proportion to the activity, as the Danish guidance's principles ask.
//!
//! The times are estimates, and say so: a question takes about [`SECONDS_PER_QUESTION`] to answer
//! (WHO-5's five take about a minute), handing a phone over for a survey and taking it back takes
//! a volunteer about [`HANDOVER_SECONDS`], and an activity meets once a week (a schedule is a
//! weekday; one without a schedule is counted the same).

use crate::activity::{Activity, Rhythm};
use crate::survey::{SurveyTemplate, Templates};

pub const SECONDS_PER_QUESTION: f64 = 12.0;
pub const HANDOVER_SECONDS: f64 = 60.0;
/// Weeks in a month, on average.
const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// One survey of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSurvey<'a> {
    pub template: &'a SurveyTemplate,
    pub rhythm: Rhythm,
    /// How many times a month a participant who comes every time is asked it.
    pub per_month: f64,
}

/// What an activity's survey plans ask, per participant who comes every week.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementPlan<'a> {
    pub surveys: Vec<PlannedSurvey<'a>>,
    /// Minutes a participant spends answering, each month.
    pub participant_minutes: f64,
    /// Minutes a volunteer spends handing the phone over and back for one participant, each month.
    pub volunteer_minutes: f64,
}

impl<'a> MeasurementPlan<'a> {
    /// The plan of `activity`, its surveys found in `templates`. A plan naming a survey that no
    /// longer exists leaves it out.
    pub fn of(activity: &Activity, templates: Templates<'a>) -> MeasurementPlan<'a> {
        let surveys: Vec<PlannedSurvey<'a>> = activity
            .surveys
            .iter()
            .filter_map(|plan| {
                let per_month = match plan.rhythm {
                    Rhythm::Time => WEEKS_PER_MONTH,
                    Rhythm::Weeks { weeks } => WEEKS_PER_MONTH / f64::from(weeks.max(1)),
                };
                Some(PlannedSurvey {
                    template: templates.newest(plan.template)?,
                    rhythm: plan.rhythm,
                    per_month,
                })
            })
            .collect();
        let answering: f64 = surveys
            .iter()
            .map(|survey| survey.template.questions.len() as f64 * SECONDS_PER_QUESTION * survey.per_month)
            .sum();
        let handing_over: f64 = surveys
            .iter()
            .map(|survey| HANDOVER_SECONDS * survey.per_month)
            .sum();
        MeasurementPlan {
            surveys,
            participant_minutes: answering / 60.0,
            volunteer_minutes: handing_over / 60.0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.surveys.is_empty()
    }
}

/// Minutes as a person would say them: whole minutes, and at least one where there are any.
pub fn about_minutes(minutes: f64) -> u32 {
    if minutes <= 0.0 {
        0
    } else {
        (minutes.round() as u32).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::activity::SurveyPlan;
    use crate::ids::{ActivityId, TemplateId};
    use crate::instruments::Instrument;

    fn cafe(surveys: Vec<SurveyPlan>) -> Activity {
        Activity {
            id: ActivityId::generate(),
            name: "Torsdagscafé".into(),
            description: String::new(),
            place: String::new(),
            schedule: None,
            roles: Role::ALL.to_vec(),
            archived: false,
            surveys,
        }
    }

    #[test]
    fn who5_every_four_weeks_and_the_session_questions_every_time_come_to_about_four_minutes_a_month() {
        let activity = cafe(vec![
            SurveyPlan {
                template: Instrument::Who5.template_id(),
                rhythm: Rhythm::Weeks { weeks: 4 },
            },
            SurveyPlan {
                template: Instrument::SessionToday.template_id(),
                rhythm: Rhythm::Time,
            },
            // A survey deleted since: left out, not counted.
            SurveyPlan {
                template: TemplateId::generate(),
                rhythm: Rhythm::Time,
            },
        ]);
        let plan = MeasurementPlan::of(&activity, Templates::new(&[]));
        assert_eq!(plan.surveys.len(), 2);
        // WHO-5: 5 questions x 12 s x 52/12/4 a month = 65 s. The three session questions:
        // 3 x 12 s x 52/12 a month = 156 s. In all 221 s, about 3.7 minutes.
        assert!((plan.participant_minutes - 221.0 / 60.0).abs() < 1e-9);
        // Handing over: 60 s x (52/48 + 52/12) a month = 325 s.
        assert!((plan.volunteer_minutes - 325.0 / 60.0).abs() < 1e-9);
        assert_eq!(about_minutes(plan.participant_minutes), 4);
        assert_eq!(about_minutes(plan.volunteer_minutes), 5);
    }

    #[test]
    fn an_activity_without_surveys_asks_nothing_and_a_moment_is_at_least_a_minute() {
        let plan = MeasurementPlan::of(&cafe(Vec::new()), Templates::new(&[]));
        assert!(plan.is_empty());
        assert_eq!(about_minutes(plan.participant_minutes), 0);
        assert_eq!(about_minutes(0.2), 1);
    }
}
