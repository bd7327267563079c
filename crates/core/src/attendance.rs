//! Named check-ins and anonymous headcounts. Both are append-only: nothing is edited or deleted;
//! corrections and undo are new events, so two phones offline can never lose each other's taps.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::Occurrence;
use crate::hlc::Hlc;
use crate::ids::{ActivityId, AttendanceEventId, AttendanceId, DeviceId, HeadcountEventId, ParticipantId};
use crate::role::{Role, RoleCounts};
use crate::validation::{Context, Problem, Problems};

/// A named check-in: this participant came to this activity on this date, in this role.
///
/// Its natural key is (participant, activity, date): when two devices check the same person in, the
/// server keeps one canonical attendance and answers the other `duplicate` with the canonical id.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    pub id: AttendanceId,
    pub participant: ParticipantId,
    pub activity: ActivityId,
    /// The local date of the occurrence.
    pub date: NaiveDate,
    /// The role at check-in; later changes are [`AttendanceEvent`]s.
    pub role: Role,
    /// The recording device's clock, kept as it was even when that clock is wrong.
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: DeviceId,
}

impl Attendance {
    pub fn natural_key(&self) -> (ParticipantId, ActivityId, NaiveDate) {
        (self.participant, self.activity, self.date)
    }

    pub fn occurrence(&self) -> Occurrence {
        Occurrence {
            activity: self.activity,
            date: self.date,
        }
    }

    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.date_not_in_future(self.date, context.for_record_made_at(self.recorded_at));
        problems.into_result()
    }
}

/// A later change to an attendance: the corrections (`RoleChanged` supersedes the role) and the undo
/// (`Withdrawn`, reversed by `Restored`). Never de-duplicated: each is a deliberate act.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEvent {
    pub id: AttendanceEventId,
    pub attendance: AttendanceId,
    pub change: AttendanceChange,
    /// Orders the events of one attendance across devices.
    pub stamp: Hlc,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AttendanceChange {
    RoleChanged { role: Role },
    Withdrawn,
    Restored,
}

/// What an attendance currently says, after its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendanceState {
    pub role: Role,
    pub withdrawn: bool,
}

impl Attendance {
    /// The current state: the latest role change (by stamp) sets the role, the latest withdrawal or
    /// restore sets whether it counts. Events of other attendances are ignored.
    pub fn state<'a>(&self, events: impl IntoIterator<Item = &'a AttendanceEvent>) -> AttendanceState {
        let mut latest_role: Option<(&Hlc, Role)> = None;
        let mut latest_presence: Option<(&Hlc, bool)> = None;
        for event in events.into_iter().filter(|event| event.attendance == self.id) {
            match event.change {
                AttendanceChange::RoleChanged { role } => {
                    if latest_role.is_none_or(|(stamp, _)| event.stamp > *stamp) {
                        latest_role = Some((&event.stamp, role));
                    }
                }
                AttendanceChange::Withdrawn | AttendanceChange::Restored => {
                    let withdrawn = event.change == AttendanceChange::Withdrawn;
                    if latest_presence.is_none_or(|(stamp, _)| event.stamp > *stamp) {
                        latest_presence = Some((&event.stamp, withdrawn));
                    }
                }
            }
        }
        AttendanceState {
            role: latest_role.map_or(self.role, |(_, role)| role),
            withdrawn: latest_presence.is_some_and(|(_, withdrawn)| withdrawn),
        }
    }
}

/// Anonymous attendance: +1 or -1 for a role at an occurrence, for people who do not want to be named.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadcountEvent {
    pub id: HeadcountEventId,
    pub activity: ActivityId,
    pub date: NaiveDate,
    pub role: Role,
    /// +1 or -1.
    pub delta: i32,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: DeviceId,
}

impl HeadcountEvent {
    pub fn occurrence(&self) -> Occurrence {
        Occurrence {
            activity: self.activity,
            date: self.date,
        }
    }

    pub fn validate(&self, context: Context) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if self.delta != 1 && self.delta != -1 {
            problems.push(Problem::InvalidHeadcountDelta { delta: self.delta });
        }
        problems.date_not_in_future(self.date, context.for_record_made_at(self.recorded_at));
        problems.into_result()
    }
}

/// The anonymous count per role at one occurrence. A role never goes below zero, even when two
/// devices both took away the same guest.
pub fn headcount<'a>(
    occurrence: Occurrence,
    events: impl IntoIterator<Item = &'a HeadcountEvent>,
) -> RoleCounts {
    let mut sums = [0i64; 3];
    for event in events
        .into_iter()
        .filter(|event| event.occurrence() == occurrence)
    {
        sums[Role::ALL.iter().position(|role| *role == event.role).unwrap_or(0)] += i64::from(event.delta);
    }
    let mut counts = RoleCounts::default();
    for (role, sum) in Role::ALL.into_iter().zip(sums) {
        counts.add(role, u32::try_from(sum.max(0)).unwrap_or(u32::MAX));
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn device(n: u128) -> DeviceId {
        DeviceId(Uuid::from_u128(n))
    }

    fn stamp(wall_ms: u64, device_number: u128) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: device(device_number),
        }
    }

    fn check_in() -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant: ParticipantId::generate(),
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            role: Role::Bruger,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: device(1),
        }
    }

    fn event(attendance: &Attendance, change: AttendanceChange, stamp: Hlc) -> AttendanceEvent {
        AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance: attendance.id,
            change,
            stamp,
        }
    }

    #[test]
    fn without_events_the_check_in_stands() {
        let attendance = check_in();
        assert_eq!(
            attendance.state([]),
            AttendanceState {
                role: Role::Bruger,
                withdrawn: false
            }
        );
    }

    #[test]
    fn the_latest_stamp_wins_whatever_order_the_events_arrive_in() {
        let attendance = check_in();
        let events = [
            event(
                &attendance,
                AttendanceChange::RoleChanged {
                    role: Role::Frivillig,
                },
                stamp(30, 1),
            ),
            event(
                &attendance,
                AttendanceChange::RoleChanged { role: Role::Deltager },
                stamp(20, 2),
            ),
            event(&attendance, AttendanceChange::Withdrawn, stamp(10, 1)),
            event(&attendance, AttendanceChange::Restored, stamp(40, 2)),
        ];
        let expected = AttendanceState {
            role: Role::Frivillig,
            withdrawn: false,
        };
        assert_eq!(attendance.state(&events), expected);
        let mut reversed = events.clone();
        reversed.reverse();
        assert_eq!(attendance.state(&reversed), expected);
    }

    #[test]
    fn undo_is_a_withdrawal_and_other_attendances_events_do_not_count() {
        let attendance = check_in();
        let other = check_in();
        let events = [
            event(&attendance, AttendanceChange::Withdrawn, stamp(10, 1)),
            event(&other, AttendanceChange::Restored, stamp(20, 1)),
        ];
        assert!(attendance.state(&events).withdrawn);
    }

    #[test]
    fn headcounts_sum_per_role_and_never_go_negative() {
        let attendance = check_in();
        let occurrence = attendance.occurrence();
        let tap = |role, delta| HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity: occurrence.activity,
            date: occurrence.date,
            role,
            delta,
            recorded_at: attendance.recorded_at,
            recorded_by: device(1),
        };
        let events = [
            tap(Role::Bruger, 1),
            tap(Role::Bruger, 1),
            tap(Role::Bruger, -1),
            tap(Role::Frivillig, -1),
            tap(Role::Frivillig, -1),
            tap(Role::Deltager, 1),
        ];
        let counts = headcount(occurrence, &events);
        assert_eq!((counts.bruger, counts.deltager, counts.frivillig), (1, 1, 0));
        assert_eq!(counts.total(), 2);
    }

    #[test]
    fn a_device_clock_running_days_ahead_is_no_reason_to_refuse_its_check_in() {
        let server = Context {
            today: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        };
        let ahead = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        // Made at noon on the device's 8 December, while the server's clock says 5 December.
        let mut attendance = Attendance {
            date: ahead,
            recorded_at: ahead.and_hms_opt(11, 0, 0).unwrap().and_utc(),
            ..check_in()
        };
        assert_eq!(attendance.validate(server), Ok(()));

        // A date later than the day after the device's own clock is the future wherever it is checked.
        attendance.date = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        assert_eq!(
            attendance.validate(server),
            Err(vec![Problem::FutureDate {
                date: attendance.date,
                latest: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            }])
        );
        // Recorded by a device whose clock is right, the same date is the future, as before.
        attendance.date = ahead;
        attendance.recorded_at = server.today.and_hms_opt(11, 0, 0).unwrap().and_utc();
        assert!(attendance.validate(server).is_err());
    }

    #[test]
    fn a_headcount_changes_by_one() {
        let attendance = check_in();
        let context = Context {
            today: attendance.date,
        };
        let event = HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity: attendance.activity,
            date: attendance.date,
            role: Role::Bruger,
            delta: 5,
            recorded_at: attendance.recorded_at,
            recorded_by: device(1),
        };
        assert_eq!(
            event.validate(context).unwrap_err(),
            vec![Problem::InvalidHeadcountDelta { delta: 5 }]
        );
    }
}
