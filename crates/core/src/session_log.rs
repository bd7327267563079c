//! The log of one session of an activity: how many volunteers ran it and their hours, or that it
//! was cancelled and why. Funders ask for the volunteers' effort and for the sessions held against
//! those planned; attendance alone tells neither.
//!
//! A session has one log, whoever writes it: its id is derived from the activity and the date, so
//! two offline phones logging the same Thursday edit the same record, field by field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::activity::{Activity, Occurrence};
use crate::ids::{ActivityId, SessionLogId};
use crate::validation::{Context, Field, Problem, Problems, limits};

/// More volunteers than this at one session is a typing slip, not a session.
pub const MAX_VOLUNTEERS: u16 = 200;
/// One volunteer gives at most a day to one session.
pub const MAX_MINUTES_PER_VOLUNTEER: u32 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionLog {
    pub id: SessionLogId,
    pub activity: ActivityId,
    pub date: NaiveDate,
    /// The volunteers who ran the session (frivillige, whether checked in or not).
    pub volunteers: u16,
    /// Their time together, in minutes.
    pub volunteer_minutes: u32,
    /// Why the session did not take place; `None` for a session held. Always written (as `null`
    /// too), so that taking a cancellation back travels as an edit.
    pub cancelled: Option<String>,
}

impl SessionLogId {
    /// The one id of the log of `occurrence`: a name-based UUID (v5) in the activity's namespace.
    pub fn of(occurrence: Occurrence) -> SessionLogId {
        SessionLogId(Uuid::new_v5(
            &occurrence.activity.0,
            // "YYYY-MM-DD", as chrono writes a date (its `format` machinery is kept out of the
            // first screen).
            occurrence.date.to_string().as_bytes(),
        ))
    }
}

impl SessionLog {
    /// A log of a session held, prefilled as the Today page offers it: the volunteers checked in
    /// as frivillig, each for the activity's usual length (no hours when it has none).
    pub fn prefilled(activity: &Activity, date: NaiveDate, checked_in_volunteers: u32) -> SessionLog {
        let volunteers = u16::try_from(checked_in_volunteers)
            .unwrap_or(MAX_VOLUNTEERS)
            .min(MAX_VOLUNTEERS);
        let usual = activity
            .schedule
            .and_then(|schedule| schedule.minutes)
            .map_or(0, u32::from);
        SessionLog {
            id: SessionLogId::of(Occurrence {
                activity: activity.id,
                date,
            }),
            activity: activity.id,
            date,
            volunteers,
            volunteer_minutes: u32::from(volunteers) * usual,
            cancelled: None,
        }
    }

    pub fn occurrence(&self) -> Occurrence {
        Occurrence {
            activity: self.activity,
            date: self.date,
        }
    }

    /// Whether the session was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_some()
    }

    /// The volunteers' hours, as a figure to show.
    pub fn hours(&self) -> f64 {
        f64::from(self.volunteer_minutes) / 60.0
    }

    /// Every problem with the log. A cancellation may be logged ahead (the café closes for
    /// Christmas), but hours only for a session that has been.
    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if self.id != SessionLogId::of(self.occurrence()) {
            problems.push(Problem::NotTheSessionsLog);
        }
        if self.volunteers > MAX_VOLUNTEERS {
            problems.push(Problem::TooManyVolunteers { max: MAX_VOLUNTEERS });
        }
        let most = u32::from(self.volunteers) * MAX_MINUTES_PER_VOLUNTEER;
        if self.volunteer_minutes > most {
            problems.push(Problem::TooManyVolunteerHours {
                volunteers: self.volunteers,
                max_hours: most / 60,
            });
        }
        if self.volunteers > 0 || self.volunteer_minutes > 0 {
            problems.date_not_in_future(self.date, context);
        }
        if let Some(reason) = &self.cancelled {
            problems.required_text(Field::CancelReason, reason, limits::CANCEL_REASON);
        }
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveTime, Weekday};

    use super::*;
    use crate::Role;
    use crate::activity::Schedule;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn context() -> Context {
        Context { today: day(12, 7) }
    }

    fn cafe(minutes: Option<u16>) -> Activity {
        Activity {
            id: ActivityId(Uuid::from_u128(7)),
            name: "Torsdagscafé".into(),
            description: String::new(),
            place: String::new(),
            schedule: Some(Schedule {
                weekday: Weekday::Thu,
                starts_at: NaiveTime::from_hms_opt(14, 0, 0),
                minutes,
            }),
            roles: vec![Role::Bruger, Role::Frivillig],
            archived: false,
            surveys: Vec::new(),
        }
    }

    #[test]
    fn two_phones_logging_the_same_session_name_the_same_record() {
        let cafe = cafe(None);
        let one = SessionLog::prefilled(&cafe, day(12, 3), 2);
        let other = SessionLog::prefilled(&cafe, day(12, 3), 5);
        assert_eq!(one.id, other.id);
        assert_ne!(one.id, SessionLog::prefilled(&cafe, day(11, 26), 2).id);
        let mut elsewhere = cafe.clone();
        elsewhere.id = ActivityId(Uuid::from_u128(8));
        assert_ne!(one.id, SessionLog::prefilled(&elsewhere, day(12, 3), 2).id);
    }

    #[test]
    fn the_prefill_gives_each_checked_in_volunteer_the_usual_length() {
        let log = SessionLog::prefilled(&cafe(Some(150)), day(12, 3), 3);
        assert_eq!((log.volunteers, log.volunteer_minutes), (3, 450));
        assert_eq!(log.hours(), 7.5);
        assert_eq!(log.validate(context()), Ok(()));
        let unknown_length = SessionLog::prefilled(&cafe(None), day(12, 3), 3);
        assert_eq!(
            (unknown_length.volunteers, unknown_length.volunteer_minutes),
            (3, 0)
        );
    }

    #[test]
    fn a_sessions_log_is_named_by_its_activity_and_date_as_devices_already_hold_it() {
        // Two phones logging one session offline write one record only if they name it alike,
        // in every release: the activity's namespace and the date as "YYYY-MM-DD".
        let activity = ActivityId(uuid::Uuid::from_u128(7));
        assert_eq!(
            SessionLogId::of(Occurrence {
                activity,
                date: day(3, 2),
            }),
            SessionLogId(uuid::Uuid::new_v5(&activity.0, b"2026-03-02"))
        );
    }

    #[test]
    fn a_log_under_another_sessions_id_is_refused() {
        let mut log = SessionLog::prefilled(&cafe(Some(120)), day(12, 3), 2);
        log.date = day(11, 26);
        assert_eq!(log.validate(context()), Err(vec![Problem::NotTheSessionsLog]));
    }

    #[test]
    fn more_hours_than_the_volunteers_have_in_a_day_are_refused() {
        let mut log = SessionLog::prefilled(&cafe(None), day(12, 3), 2);
        log.volunteer_minutes = 2 * 24 * 60;
        assert_eq!(log.validate(context()), Ok(()));
        log.volunteer_minutes += 1;
        assert_eq!(
            log.validate(context()),
            Err(vec![Problem::TooManyVolunteerHours {
                volunteers: 2,
                max_hours: 48
            }])
        );
        log.volunteers = MAX_VOLUNTEERS + 1;
        log.volunteer_minutes = 0;
        assert_eq!(
            log.validate(context()),
            Err(vec![Problem::TooManyVolunteers { max: MAX_VOLUNTEERS }])
        );
    }

    #[test]
    fn a_cancellation_may_be_logged_ahead_with_a_reason_but_hours_may_not() {
        let mut christmas = SessionLog::prefilled(&cafe(None), day(12, 24), 0);
        christmas.cancelled = Some("Juleferie".into());
        assert_eq!(christmas.validate(context()), Ok(()));
        christmas.cancelled = Some("  ".into());
        assert_eq!(
            christmas.validate(context()),
            Err(vec![Problem::Empty {
                field: Field::CancelReason
            }])
        );
        let ahead = SessionLog::prefilled(&cafe(Some(60)), day(12, 24), 2);
        assert!(matches!(
            ahead.validate(context()).unwrap_err().as_slice(),
            [Problem::FutureDate { .. }]
        ));
    }
}
