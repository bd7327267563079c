//! The register of one occurrence, as the Today page shows it: who is checked in and in which role,
//! the roster in the order a volunteer wants it, and the day's summary. Plain data and methods; the
//! page only draws them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::activity::Occurrence;
use crate::attendance::{Attendance, AttendanceEvent, AttendanceState, HeadcountEvent, headcount};
use crate::ids::{AttendanceId, ParticipantId};
use crate::participant::Participant;
use crate::role::{Role, RoleCounts};
use crate::search;

/// Everything recorded at one occurrence, plus when each person was first and last seen at the activity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub occurrence: Option<Occurrence>,
    pub attendances: Vec<Attendance>,
    pub events: Vec<AttendanceEvent>,
    pub headcounts: Vec<HeadcountEvent>,
    /// Each participant's first and latest date at this activity (any occurrence).
    pub seen: HashMap<ParticipantId, (NaiveDate, NaiveDate)>,
}

/// A person's check-in at this occurrence as it currently stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedIn {
    pub attendance: AttendanceId,
    pub role: Role,
    pub withdrawn: bool,
}

/// What one tap on a person in the roster does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tap {
    /// Not here yet: a new check-in.
    CheckIn,
    /// Checked in and then undone: the check-in is restored, not written twice.
    Restore(AttendanceId),
    /// Already checked in: a second tap changes nothing.
    AlreadyCheckedIn,
}

/// The role a person is checked in with: their usual role if the activity uses it, else the
/// activity's first role.
pub fn check_in_role(activity_roles: &[Role], usual: Role) -> Role {
    if activity_roles.contains(&usual) {
        usual
    } else {
        activity_roles.first().copied().unwrap_or(usual)
    }
}

/// The role chip's next role: the one after `current` among the activity's roles, round again
/// after the last. `None` when the activity has no other role to give.
pub fn next_role(activity_roles: &[Role], current: Role) -> Option<Role> {
    let next = match activity_roles.iter().position(|role| *role == current) {
        Some(i) => activity_roles.get((i + 1) % activity_roles.len()).copied(),
        None => activity_roles.first().copied(),
    };
    next.filter(|role| *role != current)
}

/// The day's figures: the organisation's own everyday counts, never suppressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: u32,
    pub named: u32,
    pub anonymous: u32,
    pub by_role: RoleCounts,
    /// Named people whose first time at the activity is this occurrence.
    pub new_today: u32,
}

impl Register {
    /// Builds the register of `occurrence` from its records and every check-in at the activity.
    pub fn new(
        occurrence: Occurrence,
        attendances: Vec<Attendance>,
        events: Vec<AttendanceEvent>,
        headcounts: Vec<HeadcountEvent>,
        activity_history: &[Attendance],
    ) -> Register {
        let mut register = Register {
            occurrence: Some(occurrence),
            attendances: Vec::new(),
            events,
            headcounts,
            seen: HashMap::new(),
        };
        for attendance in activity_history.iter().chain(&attendances) {
            register.note_seen(attendance.participant, attendance.date);
        }
        register.attendances = attendances;
        register
    }

    /// Widens the participant's first-to-latest span at the activity to include `date`.
    fn note_seen(&mut self, participant: ParticipantId, date: NaiveDate) {
        self.seen
            .entry(participant)
            .and_modify(|(first, last)| {
                *first = (*first).min(date);
                *last = (*last).max(date);
            })
            .or_insert((date, date));
    }

    pub fn checked_in(&self, participant: ParticipantId) -> Option<CheckedIn> {
        let attendance = self.attendances.iter().find(|a| a.participant == participant)?;
        let AttendanceState { role, withdrawn } = attendance.state(&self.events);
        Some(CheckedIn {
            attendance: attendance.id,
            role,
            withdrawn,
        })
    }

    /// What a tap on `participant` does now.
    pub fn tap(&self, participant: ParticipantId) -> Tap {
        match self.checked_in(participant) {
            None => Tap::CheckIn,
            Some(checked_in) if checked_in.withdrawn => Tap::Restore(checked_in.attendance),
            Some(_) => Tap::AlreadyCheckedIn,
        }
    }

    /// Whether the anonymous count in `role` may change by `delta`: it never goes below zero.
    pub fn can_count(&self, role: Role, delta: i32) -> bool {
        delta >= 0 || i64::from(self.anonymous().get(role)) + i64::from(delta) >= 0
    }

    /// Adds a check-in that has just been saved.
    pub fn add_check_in(&mut self, attendance: Attendance) {
        self.note_seen(attendance.participant, attendance.date);
        self.attendances.push(attendance);
    }

    /// The anonymous count per role.
    pub fn anonymous(&self) -> RoleCounts {
        self.occurrence
            .map(|occurrence| headcount(occurrence, &self.headcounts))
            .unwrap_or_default()
    }

    pub fn summary(&self) -> Summary {
        let mut by_role = RoleCounts::default();
        let mut named = 0;
        let mut new_today = 0;
        for attendance in &self.attendances {
            let state = attendance.state(&self.events);
            if state.withdrawn {
                continue;
            }
            named += 1;
            by_role.add(state.role, 1);
            if self
                .seen
                .get(&attendance.participant)
                .is_some_and(|(first, _)| *first == attendance.date)
            {
                new_today += 1;
            }
        }
        let anonymous = self.anonymous();
        Summary {
            total: named + anonymous.total(),
            named,
            anonymous: anonymous.total(),
            by_role: by_role + anonymous,
            new_today,
        }
    }

    /// The people to show: the activity's roster and anyone checked in here, matching `query`
    /// (Danish-aware fold), most recently seen first, then by name. Erased people are left out.
    pub fn roster<'a>(&self, participants: &'a [Participant], query: &str) -> Vec<&'a Participant> {
        let activity = self.occurrence.map(|occurrence| occurrence.activity);
        let mut rows: Vec<&Participant> = participants
            .iter()
            .filter(|p| p.is_current())
            .filter(|p| {
                activity.is_some_and(|activity| p.activities.contains(&activity))
                    || self.checked_in(p.id).is_some()
            })
            .filter(|p| search::matches(&p.pseudonym, query))
            .collect();
        // The sort key is computed once per person: folding inside the comparison would allocate
        // on every one of the n log n comparisons, on every keystroke.
        rows.sort_by_cached_key(|p| {
            let last_seen = self.seen.get(&p.id).map(|(_, last)| *last);
            (std::cmp::Reverse(last_seen), search::fold(&p.pseudonym))
        });
        rows
    }

    /// Another person on the activity whose pseudonym folds to the same text as `pseudonym`.
    pub fn same_pseudonym<'a>(
        &self,
        participants: &'a [Participant],
        pseudonym: &str,
    ) -> Option<&'a Participant> {
        let activity = self.occurrence.map(|occurrence| occurrence.activity)?;
        participants
            .iter()
            .filter(|p| p.is_current() && p.activities.contains(&activity))
            .find(|p| search::same_name(&p.pseudonym, pseudonym))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::AttendanceChange;
    use crate::hlc::Hlc;
    use crate::ids::{ActivityId, AttendanceEventId, DeviceId, HeadcountEventId};
    use crate::participant::Consent;
    use chrono::DateTime;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn person(name: &str, activity: ActivityId) -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: name.into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: vec![activity],
            erased: false,
            merged_into: None,
        }
    }

    fn attend(participant: &Participant, activity: ActivityId, date: NaiveDate, role: Role) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant: participant.id,
            activity,
            date,
            role,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        }
    }

    #[test]
    fn the_roster_puts_the_most_recently_seen_first_and_folds_the_search() {
        let activity = ActivityId::generate();
        let soren = person("Søren", activity);
        let aase = person("Åse", activity);
        let bent = person("Bent", activity);
        let elsewhere = person("Karen", ActivityId::generate());
        let history = vec![
            attend(&soren, activity, day(5), Role::Bruger),
            attend(&aase, activity, day(19), Role::Bruger),
        ];
        let occurrence = Occurrence {
            activity,
            date: day(26),
        };
        let register = Register::new(occurrence, vec![], vec![], vec![], &history);
        let people = vec![soren.clone(), aase.clone(), bent.clone(), elsewhere];
        let names = |rows: Vec<&Participant>| rows.iter().map(|p| p.pseudonym.clone()).collect::<Vec<_>>();
        assert_eq!(names(register.roster(&people, "")), ["Åse", "Søren", "Bent"]);
        assert_eq!(names(register.roster(&people, "soren")), ["Søren"]);
        assert_eq!(names(register.roster(&people, "aa")), ["Åse"]);
    }

    #[test]
    fn the_summary_counts_named_anonymous_roles_and_newcomers_but_not_withdrawn() {
        let activity = ActivityId::generate();
        let occurrence = Occurrence {
            activity,
            date: day(26),
        };
        let regular = person("Søren", activity);
        let newcomer = person("Mette", activity);
        let undone = person("Bent", activity);
        let history = vec![attend(&regular, activity, day(19), Role::Bruger)];
        let today = vec![
            attend(&regular, activity, day(26), Role::Bruger),
            attend(&newcomer, activity, day(26), Role::Deltager),
            attend(&undone, activity, day(26), Role::Bruger),
        ];
        let stamp = Hlc {
            wall_ms: 1,
            counter: 0,
            device: DeviceId::generate(),
        };
        let events = vec![
            AttendanceEvent {
                id: AttendanceEventId::generate(),
                attendance: today[2].id,
                change: AttendanceChange::Withdrawn,
                stamp,
            },
            AttendanceEvent {
                id: AttendanceEventId::generate(),
                attendance: today[0].id,
                change: AttendanceChange::RoleChanged {
                    role: Role::Frivillig,
                },
                stamp,
            },
        ];
        let guest = |role| HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity,
            date: day(26),
            role,
            delta: 1,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        };
        let headcounts = vec![guest(Role::Bruger), guest(Role::Bruger)];
        let register = Register::new(occurrence, today, events, headcounts, &history);
        let summary = register.summary();
        assert_eq!(summary.named, 2);
        assert_eq!(summary.anonymous, 2);
        assert_eq!(summary.total, 4);
        assert_eq!(
            (
                summary.by_role.bruger,
                summary.by_role.deltager,
                summary.by_role.frivillig
            ),
            (2, 1, 1)
        );
        assert_eq!(
            summary.new_today, 1,
            "Mette is new; Søren came last week; Bent was withdrawn"
        );
        assert_eq!(
            register.checked_in(regular.id).map(|c| c.role),
            Some(Role::Frivillig)
        );
        assert!(register.checked_in(undone.id).unwrap().withdrawn);
    }

    #[test]
    fn a_second_soren_on_the_activity_is_spotted_whatever_the_spelling() {
        let activity = ActivityId::generate();
        let soren = person("Søren", activity);
        let register = Register::new(
            Occurrence {
                activity,
                date: day(26),
            },
            vec![],
            vec![],
            vec![],
            &[],
        );
        let people = vec![soren.clone()];
        assert_eq!(
            register.same_pseudonym(&people, " SØREN ").map(|p| p.id),
            Some(soren.id)
        );
        assert_eq!(
            register.same_pseudonym(&people, "Soeren").map(|p| p.id),
            Some(soren.id)
        );
        assert_eq!(
            register.same_pseudonym(&people, "soren").map(|p| p.id),
            Some(soren.id)
        );
        assert!(register.same_pseudonym(&people, "Søs").is_none());
    }

    #[test]
    fn a_person_is_checked_in_in_their_usual_role_when_the_activity_uses_it() {
        let all = [Role::Bruger, Role::Deltager, Role::Frivillig];
        assert_eq!(check_in_role(&all, Role::Frivillig), Role::Frivillig);
        // A café without volunteers' check-ins: the usual volunteer comes in as the first role.
        assert_eq!(
            check_in_role(&[Role::Deltager, Role::Bruger], Role::Frivillig),
            Role::Deltager
        );
        assert_eq!(check_in_role(&[], Role::Frivillig), Role::Frivillig);
    }

    #[test]
    fn the_role_chip_goes_round_the_activitys_roles_and_stays_when_there_is_no_other() {
        let all = [Role::Bruger, Role::Deltager, Role::Frivillig];
        assert_eq!(next_role(&all, Role::Bruger), Some(Role::Deltager));
        assert_eq!(next_role(&all, Role::Frivillig), Some(Role::Bruger));
        // A role the activity no longer uses moves to its first one.
        assert_eq!(
            next_role(&[Role::Deltager, Role::Frivillig], Role::Bruger),
            Some(Role::Deltager)
        );
        assert_eq!(next_role(&[Role::Bruger], Role::Bruger), None);
        assert_eq!(next_role(&[], Role::Bruger), None);
    }

    #[test]
    fn a_tap_checks_in_restores_an_undone_check_in_and_never_checks_in_twice() {
        let activity = ActivityId::generate();
        let occurrence = Occurrence {
            activity,
            date: day(26),
        };
        let here = person("Søren", activity);
        let undone = person("Bent", activity);
        let away = person("Mette", activity);
        let today = vec![
            attend(&here, activity, day(26), Role::Bruger),
            attend(&undone, activity, day(26), Role::Bruger),
        ];
        let withdrawal = AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance: today[1].id,
            change: AttendanceChange::Withdrawn,
            stamp: Hlc {
                wall_ms: 1,
                counter: 0,
                device: DeviceId::generate(),
            },
        };
        let undone_attendance = today[1].id;
        let register = Register::new(occurrence, today, vec![withdrawal], vec![], &[]);
        assert_eq!(register.tap(here.id), Tap::AlreadyCheckedIn);
        assert_eq!(register.tap(undone.id), Tap::Restore(undone_attendance));
        assert_eq!(register.tap(away.id), Tap::CheckIn);
    }

    #[test]
    fn the_anonymous_count_never_goes_below_zero() {
        let activity = ActivityId::generate();
        let occurrence = Occurrence {
            activity,
            date: day(26),
        };
        let guest = HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity,
            date: day(26),
            role: Role::Deltager,
            delta: 1,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        };
        let register = Register::new(occurrence, vec![], vec![], vec![guest], &[]);
        assert!(register.can_count(Role::Deltager, -1));
        assert!(!register.can_count(Role::Bruger, -1));
        assert!(register.can_count(Role::Bruger, 1));
    }

    #[test]
    fn a_newcomer_is_on_the_activitys_roster_in_the_role_they_came_in_with_nothing_consented() {
        let activity = ActivityId::generate();
        let newcomer = Participant::newcomer("  Mette  ", Role::Deltager, activity);
        assert_eq!(newcomer.pseudonym, "Mette");
        assert_eq!(newcomer.default_role, Role::Deltager);
        assert_eq!(newcomer.activities, vec![activity]);
        assert_eq!(newcomer.consent, Consent::default());
        assert!(newcomer.is_current());
        assert_ne!(
            newcomer.id,
            Participant::newcomer("Mette", Role::Deltager, activity).id
        );
    }
}
