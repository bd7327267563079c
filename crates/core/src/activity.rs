use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::Role;
use crate::ids::{ActivityId, TemplateId};
use crate::validation::{Field, Problem, Problems, limits};

/// The longest a session can usually last: a day.
pub const MAX_SESSION_MINUTES: u16 = 24 * 60;

/// Something an organisation does regularly: a weekly café, a walk, a workshop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: ActivityId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// The roles attendees can have here, in the order the app offers them.
    pub roles: Vec<Role>,
    #[serde(default)]
    pub archived: bool,
    /// The surveys used here and how often to ask; the Today page turns them into a gentle prompt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surveys: Vec<SurveyPlan>,
}

/// A survey attached to an activity, with its suggested rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyPlan {
    pub template: TemplateId,
    pub rhythm: Rhythm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rhythm {
    /// Each time the activity takes place (e.g. the session questions).
    Time,
    /// Every so many weeks (e.g. WHO-5 every 4).
    Weeks { weeks: u8 },
}

impl SurveyPlan {
    /// Whether to suggest this survey on `date`, given when it was last answered at the activity.
    pub fn is_due(&self, date: NaiveDate, last_answered: Option<NaiveDate>) -> bool {
        match (self.rhythm, last_answered) {
            (_, None) => true,
            (Rhythm::Time, Some(last)) => last < date,
            (Rhythm::Weeks { weeks }, Some(last)) => (date - last).num_days() >= 7 * i64::from(weeks),
        }
    }
}

/// When an activity usually happens; the Today page picks the activity scheduled today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub weekday: Weekday,
    #[serde(default)]
    pub starts_at: Option<NaiveTime>,
    /// How long a session usually lasts, in minutes: the volunteers' hours are prefilled from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u16>,
}

impl Activity {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::ActivityName, &self.name, limits::NAME);
        problems.optional_text(Field::Description, &self.description, limits::DESCRIPTION);
        problems.optional_text(Field::Place, &self.place, limits::PLACE);
        if self.roles.is_empty() {
            problems.push(Problem::NoRoles);
        }
        let mut roles = self.roles.clone();
        roles.sort();
        roles.dedup();
        if roles.len() != self.roles.len() {
            problems.push(Problem::DuplicateRole);
        }
        if let Some(minutes) = self.schedule.and_then(|schedule| schedule.minutes)
            && !(1..=MAX_SESSION_MINUTES).contains(&minutes)
        {
            problems.push(Problem::SessionLength {
                minutes,
                max: MAX_SESSION_MINUTES,
            });
        }
        problems.into_result()
    }

    /// True when the activity is scheduled on `date`'s weekday.
    pub fn is_scheduled_on(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.schedule
            .is_some_and(|schedule| schedule.weekday == date.weekday())
    }

    /// The days from `from` to `to` (both included) the schedule plans a session on: its weekday
    /// each week, from the day the activity was created. None without a schedule.
    pub fn planned_dates(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let Some(schedule) = self.schedule else {
            return Vec::new();
        };
        let start = self.id.created_on().map_or(from, |created| created.max(from));
        let first = start
            .iter_days()
            .take(7)
            .find(|day| chrono::Datelike::weekday(day) == schedule.weekday);
        first
            .into_iter()
            .flat_map(|first| first.iter_weeks())
            .take_while(|day| *day <= to)
            .collect()
    }
}

/// One date of one activity. Never stored on its own: it is the key (activity, local date), so two
/// offline phones cannot create two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Occurrence {
    pub activity: ActivityId,
    pub date: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cafe() -> Activity {
        Activity {
            id: ActivityId::generate(),
            name: "Torsdagscafé".into(),
            description: String::new(),
            place: "Kulturhuset".into(),
            schedule: Some(Schedule {
                weekday: Weekday::Thu,
                starts_at: NaiveTime::from_hms_opt(14, 0, 0),
                minutes: Some(150),
            }),
            roles: vec![Role::Bruger, Role::Frivillig],
            archived: false,
            surveys: Vec::new(),
        }
    }

    #[test]
    fn a_sensible_activity_is_valid() {
        assert_eq!(cafe().validate(), Ok(()));
    }

    #[test]
    fn a_session_lasts_from_a_minute_to_a_day() {
        let lasting = |minutes| {
            let mut activity = cafe();
            activity.schedule = activity.schedule.map(|schedule| Schedule {
                minutes: Some(minutes),
                ..schedule
            });
            activity.validate()
        };
        assert_eq!(lasting(1), Ok(()));
        assert_eq!(lasting(MAX_SESSION_MINUTES), Ok(()));
        for minutes in [0, MAX_SESSION_MINUTES + 1] {
            assert_eq!(
                lasting(minutes),
                Err(vec![Problem::SessionLength {
                    minutes,
                    max: MAX_SESSION_MINUTES
                }])
            );
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let activity = Activity {
            name: " ".into(),
            place: "x".repeat(limits::PLACE + 1),
            roles: vec![],
            ..cafe()
        };
        let problems = activity.validate().unwrap_err();
        assert_eq!(
            problems,
            vec![
                Problem::Empty {
                    field: Field::ActivityName
                },
                Problem::TooLong {
                    field: Field::Place,
                    max: limits::PLACE,
                    length: limits::PLACE + 1
                },
                Problem::NoRoles,
            ]
        );
    }

    #[test]
    fn a_role_listed_twice_is_a_problem() {
        let activity = Activity {
            roles: vec![Role::Bruger, Role::Bruger],
            ..cafe()
        };
        assert_eq!(activity.validate().unwrap_err(), vec![Problem::DuplicateRole]);
    }

    #[test]
    fn the_schedule_says_which_weekday_it_runs() {
        let thursday = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(cafe().is_scheduled_on(thursday));
        assert!(!cafe().is_scheduled_on(thursday.succ_opt().unwrap()));
    }

    #[test]
    fn a_plan_is_due_by_its_rhythm_from_the_last_answer() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let every_time = SurveyPlan {
            template: TemplateId::generate(),
            rhythm: Rhythm::Time,
        };
        assert!(every_time.is_due(day(26), None));
        assert!(every_time.is_due(day(26), Some(day(19))));
        assert!(
            !every_time.is_due(day(26), Some(day(26))),
            "already answered today"
        );
        let four_weekly = SurveyPlan {
            rhythm: Rhythm::Weeks { weeks: 4 },
            ..every_time
        };
        assert!(!four_weekly.is_due(day(26), Some(day(1))), "25 days");
        assert!(four_weekly.is_due(day(29), Some(day(1))), "28 days");
    }

    #[test]
    fn a_schedule_plans_its_weekday_each_week_from_the_day_the_activity_was_created() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        // Created on Wednesday 14 January 2026 (the time in its UUIDv7 id).
        let created = day(14).and_hms_opt(10, 0, 0).unwrap().and_utc().timestamp() as u64;
        let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, created, 0));
        let cafe = Activity {
            id: ActivityId(id),
            ..cafe()
        };
        assert_eq!(
            cafe.planned_dates(day(1), day(31)),
            vec![day(15), day(22), day(29)]
        );
        assert_eq!(cafe.planned_dates(day(16), day(28)), vec![day(22)]);
        let unscheduled = Activity {
            schedule: None,
            ..cafe
        };
        assert!(unscheduled.planned_dates(day(1), day(31)).is_empty());
    }
}
