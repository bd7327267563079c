//! Generated, clearly fictional demo data: a year of an organisation's activities, so a new user (and
//! the benchmarks, and the property tests) can see trends before there is a year of real data, and
//! the documentation loop around them: a theory of change, indicators under its outcomes, the
//! volunteers' hours and the stories they told. Deterministic for a seed.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use uuid::Uuid;

use crate::activity::{Activity, Schedule};
use crate::attendance::{Attendance, HeadcountEvent};
use crate::goal::{Comparison, Goal, GoalMetric};
use crate::ids::{
    ActivityId, AttendanceId, DeviceId, GoalId, HeadcountEventId, OutcomeId, ParticipantId, ResponseId,
    StoryId, TheoryId,
};
use crate::instruments::Instrument;
use crate::language::Language;
use crate::participant::{Consent, Participant};
use crate::role::Role;
use crate::scoring::{Band, Measure};
use crate::session_log::SessionLog;
use crate::story::{Story, StoryKind};
use crate::survey::{AdministrationMode, Answer, QuestionId, SurveyResponse};
use crate::theory::{Outcome, Term, TheoryOfChange};
use crate::trends::{Dataset, Visit};

/// How much to generate. [`DemoSize::YEAR`] is the benchmark's "year of one organisation".
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub activities: usize,
    pub participants: usize,
    pub attendances: usize,
    pub responses: usize,
}

impl DemoSize {
    pub const YEAR: DemoSize = DemoSize {
        activities: 20,
        participants: 1_500,
        attendances: 100_000,
        responses: 20_000,
    };
}

/// The generated records, as a device would hold them.
pub struct Demo {
    pub activities: Vec<Activity>,
    pub participants: Vec<Participant>,
    pub attendance: Vec<Attendance>,
    pub headcounts: Vec<HeadcountEvent>,
    pub responses: Vec<SurveyResponse>,
    /// One per session held: its volunteers and their hours.
    pub session_logs: Vec<SessionLog>,
    /// The organisation's theory of change, which every demo activity shares.
    pub theory: TheoryOfChange,
    /// About one a month per activity, tagged to the theory's outcomes; some marked for reports.
    pub stories: Vec<Story>,
    /// Indicators under the outcomes for the first activity, one followed without a target.
    pub goals: Vec<Goal>,
}

/// The demo activities' usual length.
const DEMO_SESSION_MINUTES: u16 = 120;

impl Demo {
    /// What the trends are computed from (demo check-ins are never withdrawn or changed).
    pub fn dataset(&self) -> Dataset {
        Dataset {
            visits: self
                .attendance
                .iter()
                .map(|attendance| Visit {
                    participant: attendance.participant,
                    activity: attendance.activity,
                    date: attendance.date,
                    role: attendance.role,
                })
                .collect(),
            headcounts: self.headcounts.iter().map(Into::into).collect(),
            responses: self.responses.iter().map(Into::into).collect(),
            templates: Vec::new(),
        }
    }
}

/// SplitMix64: small, fast and good enough for made-up data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn uuid(&mut self) -> Uuid {
        // Shaped as a UUIDv7 so generated ids look like real ones.
        let bits = (u128::from(self.next()) << 64) | u128::from(self.next());
        Uuid::from_u128((bits & !(0xf << 76) & !(0x3 << 62)) | (0x7 << 76) | (0x2 << 62))
    }
}

const ACTIVITY_NAMES: [&str; 10] = [
    "Torsdagscafé",
    "Gåtur",
    "Strikkeklub",
    "Fællesspisning",
    "Værkstedet",
    "Sangkoret",
    "Havelauget",
    "Brætspil",
    "Morgenmad",
    "Cykelholdet",
];
const NICKNAMES: [&str; 16] = [
    "Søren",
    "Åse",
    "Bjørn",
    "Mette",
    "Ali",
    "Karen",
    "Jens",
    "Fatima",
    "Ole",
    "Grete",
    "Mads",
    "Yasmin",
    "Bent",
    "Lone",
    "Ærtebjerg",
    "Inge",
];

/// The demo year up to `today`; the theory of change and the stories are written in `language`.
pub fn generate(size: DemoSize, seed: u64, today: NaiveDate, language: Language) -> Demo {
    let mut random = Random(seed);
    let device = DeviceId(random.uuid());
    let first_day = today - Days::new(364);
    let activities: Vec<Activity> = (0..size.activities)
        .map(|i| Activity {
            id: ActivityId(random.uuid()),
            name: format!("{} (demo {})", ACTIVITY_NAMES[i % ACTIVITY_NAMES.len()], i + 1),
            description: "Eksempeldata / demo data".into(),
            place: String::new(),
            schedule: Some(Schedule {
                weekday: Weekday::try_from((i % 5) as u8).unwrap_or(Weekday::Mon),
                starts_at: None,
                minutes: Some(DEMO_SESSION_MINUTES),
            }),
            roles: Role::ALL.to_vec(),
            archived: false,
            surveys: Vec::new(),
        })
        .collect();
    let participants: Vec<Participant> = (0..size.participants)
        .map(|i| Participant {
            id: ParticipantId(random.uuid()),
            pseudonym: format!("{} {}", NICKNAMES[i % NICKNAMES.len()], i / NICKNAMES.len() + 1),
            birth_decade: None,
            default_role: match random.below(10) {
                0..=5 => Role::Bruger,
                6..=8 => Role::Deltager,
                _ => Role::Frivillig,
            },
            consent: Consent {
                linked_surveys: random.chance(60),
                contact: false,
                named_in_stories: false,
            },
            activities: vec![activities[i % activities.len().max(1)].id],
            erased: false,
            merged_into: None,
        })
        .collect();
    // Every activity meets once a week on its weekday.
    let occurrences: Vec<(ActivityId, NaiveDate)> = activities
        .iter()
        .flat_map(|activity| {
            let weekday = activity.schedule.map_or(Weekday::Mon, |s| s.weekday);
            let offset =
                (7 + weekday.num_days_from_monday() - first_day.weekday().num_days_from_monday()) % 7;
            (0..53)
                .map(move |week| first_day + Days::new(u64::from(offset) + week * 7))
                .filter(move |date| *date <= today)
                .map(move |date| (activity.id, date))
        })
        .collect();
    let recorded_at = |date: NaiveDate| -> DateTime<Utc> {
        date.and_hms_opt(15, 0, 0)
            .map_or(DateTime::UNIX_EPOCH, |time| time.and_utc())
    };
    let regulars: BTreeMap<ActivityId, Vec<usize>> =
        participants
            .iter()
            .enumerate()
            .fold(BTreeMap::new(), |mut regulars, (index, participant)| {
                regulars
                    .entry(participant.activities[0])
                    .or_insert_with(Vec::new)
                    .push(index);
                regulars
            });

    // People come and go as in a real organisation: some were there before the year began, others
    // join during it, a quarter stop coming, and some take a break of two or three months.
    struct Active {
        joined: NaiveDate,
        left: NaiveDate,
        paused: Option<(NaiveDate, NaiveDate)>,
    }
    let active: Vec<Active> = participants
        .iter()
        .map(|_| {
            let joined = first_day - Days::new(120) + Days::new(random.below(440) as u64);
            let left = if random.chance(25) {
                joined + Days::new(60 + random.below(180) as u64)
            } else {
                today
            };
            let paused = random.chance(15).then(|| {
                let from = joined + Days::new(30 + random.below(120) as u64);
                (from, from + Days::new(56 + random.below(42) as u64))
            });
            Active { joined, left, paused }
        })
        .collect();
    let comes = |index: usize, date: NaiveDate| {
        let Active { joined, left, paused } = active[index];
        joined <= date && date <= left && paused.is_none_or(|(from, to)| date < from || to < date)
    };
    let mut attendance = Vec::with_capacity(size.attendances);
    let mut seen = HashSet::new();
    let wanted = size.attendances.min(occurrences.len() * participants.len());
    // Bounded, so a size that cannot be met ends with fewer check-ins rather than never.
    let mut attempts = wanted.saturating_mul(100);
    while attendance.len() < wanted && attempts > 0 {
        attempts -= 1;
        let (activity, date) = occurrences[random.below(occurrences.len())];
        let index = match regulars.get(&activity) {
            Some(regulars) if random.chance(70) => regulars[random.below(regulars.len())],
            _ => random.below(participants.len()),
        };
        let participant = &participants[index];
        if !comes(index, date) || !seen.insert((participant.id, activity, date)) {
            continue;
        }
        // Some people move on from receiving help to taking part, and to volunteering.
        let moved_on = date > first_day + Days::new(180) && index % 5 == 0;
        let role = match (participant.default_role, moved_on) {
            (Role::Bruger, true) => Role::Deltager,
            (Role::Deltager, true) => Role::Frivillig,
            (role, _) => role,
        };
        attendance.push(Attendance {
            id: AttendanceId(random.uuid()),
            participant: participant.id,
            activity,
            date,
            role,
            recorded_at: recorded_at(date),
            recorded_by: device,
        });
    }
    let mut headcounts = Vec::new();
    for &(activity, date) in &occurrences {
        for _ in 0..random.below(7) {
            headcounts.push(HeadcountEvent {
                id: HeadcountEventId(random.uuid()),
                activity,
                date,
                role: Role::ALL[random.below(3)],
                delta: 1,
                recorded_at: recorded_at(date),
                recorded_by: device,
            });
        }
    }
    let mut responses = Vec::with_capacity(size.responses);
    for _ in 0..size.responses {
        let (activity, date) = occurrences[random.below(occurrences.len())];
        let instrument = match random.below(10) {
            0..=3 => Instrument::Who5,
            4..=7 => Instrument::SessionToday,
            8 => Instrument::Ucla3,
            _ => Instrument::Cantril,
        };
        let person = random.below(participants.len());
        let participant = participants[person]
            .consent
            .linked_surveys
            .then_some(participants[person].id);
        // Each person has a baseline; the year nudges it up a little (the activity helps).
        let progress = (date - first_day).num_days() as f64 / 365.0;
        let baseline = (person % 7) as f64 / 6.0;
        let template = instrument.template();
        let answers = template
            .questions
            .iter()
            .filter_map(|question| {
                // Now and then an item is skipped, as real participants do.
                if random.chance(3) {
                    return None;
                }
                let (min, max) = question.kind.scale()?;
                let span = (max - min) as f64;
                let noise = random.below(3) as f64 - 1.0;
                let mut level = baseline * 0.7 + progress * 0.3;
                if matches!(instrument, Instrument::Ucla3) {
                    level = 1.0 - level;
                }
                let value = (min as f64 + (level * span + noise).round()).clamp(min as f64, max as f64) as u8;
                let answer = match &question.kind {
                    crate::survey::QuestionKind::Smiley => Answer::Smiley(value.max(1)),
                    crate::survey::QuestionKind::Agreement => Answer::Agreement(value.max(1)),
                    crate::survey::QuestionKind::Scale { .. } => Answer::Scale(value),
                    crate::survey::QuestionKind::YesNo => Answer::YesNo(value > 0),
                    crate::survey::QuestionKind::SingleChoice { .. } => Answer::Choice(value),
                    crate::survey::QuestionKind::ShortText => return None,
                };
                Some((QuestionId::new(question.id.0.clone()), answer))
            })
            .collect();
        responses.push(SurveyResponse {
            id: ResponseId(random.uuid()),
            template: template.id,
            template_version: template.version,
            activity,
            date,
            participant,
            answers,
            mode: AdministrationMode::SelfCompleted,
            language: Language::Da,
            recorded_at: recorded_at(date),
            recorded_by: device,
        });
    }
    // Logged last, from streams of their own, so the records above stay as they were.
    let session_logs = session_logs(&activities, &attendance, Random(seed ^ 0x5e55_1010));
    let mut told = Random(seed ^ 0x7e11_5700);
    let theory = theory(first_day, language, &mut told);
    let stories = stories(&occurrences, &theory, language, &mut told);
    let goals = activities
        .first()
        .map(|first| goals(first.id, &theory, first_day, today, &mut told))
        .unwrap_or_default();
    Demo {
        activities,
        participants,
        attendance,
        headcounts,
        responses,
        session_logs,
        theory,
        stories,
        goals,
    }
}

/// A text of the demo's documentation in Danish and English.
struct Written(&'static str, &'static str);

impl Written {
    fn get(&self, language: Language) -> String {
        match language {
            Language::Da => self.0,
            Language::En => self.1,
        }
        .to_owned()
    }
}

const OUTCOMES: [(Term, Written); 4] = [
    (
        Term::Short,
        Written(
            "Deltagerne kender nogen at tale med",
            "Participants know someone to talk to",
        ),
    ),
    (
        Term::Short,
        Written(
            "Deltagerne kommer igen og bliver en del af fællesskabet",
            "Participants come again and become part of the community",
        ),
    ),
    (
        Term::Long,
        Written(
            "Deltagerne føler sig mindre ensomme",
            "Participants feel less lonely",
        ),
    ),
    (
        Term::Long,
        Written(
            "Nogle deltagere bliver selv frivillige",
            "Some participants become volunteers themselves",
        ),
    ),
];

/// The organisation's own theory of change, in force from the demo year's first day.
fn theory(first_day: NaiveDate, language: Language, random: &mut Random) -> TheoryOfChange {
    TheoryOfChange {
        id: TheoryId(random.uuid()),
        target_group: Written(
            "Mennesker i lokalområdet, der bor alene eller står uden for fællesskaber, og som har lyst til at mødes med andre.",
            "People in the neighbourhood who live alone or stand outside communities, and who would like to meet others.",
        )
        .get(language),
        activities: Written(
            "Faste, ugentlige aktiviteter drevet af frivillige: café, gåture, værksteder og fællesspisning, hvor alle kan komme uden at melde sig til.",
            "Regular weekly activities run by volunteers: a café, walks, workshops and shared meals, where anyone can come without signing up.",
        )
        .get(language),
        outcomes: OUTCOMES
            .iter()
            .map(|(term, text)| Outcome {
                id: OutcomeId(random.uuid()),
                term: *term,
                text: text.get(language),
            })
            .collect(),
        assumptions: Written(
            "Et fast sted, faste tider og de samme frivillige giver tryghed, så man tør komme igen. Relationer opstår, når man mødes mange gange.",
            "A fixed place, fixed times and the same volunteers make people feel safe enough to come again. Relationships grow from meeting many times.",
        )
        .get(language),
        ..TheoryOfChange::first(None, first_day, language)
    }
}

/// What volunteers tell, by kind and the outcome (by position in `OUTCOMES`) it is a sign of.
const TOLD: [(StoryKind, Option<usize>, Written); 8] = [
    (
        StoryKind::SignOfChange,
        Some(0),
        Written(
            "En deltager, der plejer at sidde for sig selv, satte sig ved det store bord i dag og blev siddende.",
            "A participant who usually sits alone joined the big table today and stayed.",
        ),
    ),
    (
        StoryKind::SignOfChange,
        Some(0),
        Written(
            "To deltagere har aftalt at gå en tur sammen mellem gangene.",
            "Two participants have agreed to go for a walk together between sessions.",
        ),
    ),
    (
        StoryKind::Quote,
        Some(2),
        Written(
            "\"Det er det eneste sted, hvor nogen spørger, hvordan jeg har det.\"",
            "\"It is the only place where someone asks how I am.\"",
        ),
    ),
    (
        StoryKind::Quote,
        Some(1),
        Written(
            "\"Jeg glæder mig hele ugen til at komme her.\"",
            "\"I look forward all week to coming here.\"",
        ),
    ),
    (
        StoryKind::SignOfChange,
        Some(3),
        Written(
            "En deltager spurgte, om hun kunne hjælpe med kaffen næste gang.",
            "A participant asked whether she could help with the coffee next time.",
        ),
    ),
    (
        StoryKind::Situation,
        Some(1),
        Written(
            "En ny deltager kom sammen med sin nabo og blev hele tiden.",
            "A new participant came along with a neighbour and stayed the whole time.",
        ),
    ),
    (
        StoryKind::Situation,
        None,
        Written(
            "Vi var flere end stole i dag; de frivillige hentede flere, og ingen gik igen.",
            "There were more of us than chairs today; the volunteers fetched more, and nobody left.",
        ),
    ),
    (
        StoryKind::SignOfChange,
        Some(2),
        Written(
            "En deltager fortalte, at hun ikke længere går hjem alene efter aftensmaden, men følges med de andre.",
            "A participant said she no longer walks home alone after dinner but goes with the others.",
        ),
    ),
];

/// About one story a month per activity, on a session of that activity. Nobody is named: the demo
/// participants have not said yes to it. About one in twelve is marked usable in reports.
fn stories(
    occurrences: &[(ActivityId, NaiveDate)],
    theory: &TheoryOfChange,
    language: Language,
    random: &mut Random,
) -> Vec<Story> {
    let mut stories = Vec::new();
    for &(activity, date) in occurrences {
        if !random.chance(23) {
            continue;
        }
        let (kind, outcome, text) = &TOLD[random.below(TOLD.len())];
        stories.push(Story {
            id: StoryId(random.uuid()),
            activity,
            date,
            kind: *kind,
            text: text.get(language),
            outcome: outcome.map(|index| theory.outcomes[index].id),
            participant: None,
            usable_in_reports: random.chance(8),
            written_at: date
                .and_hms_opt(16, 0, 0)
                .map_or(DateTime::UNIX_EPOCH, |time| time.and_utc()),
            language,
        });
    }
    stories
}

/// Indicators for one activity over the demo year: counted and told under each outcome, and the
/// volunteers' hours under none.
fn goals(
    activity: ActivityId,
    theory: &TheoryOfChange,
    from: NaiveDate,
    to: NaiveDate,
    random: &mut Random,
) -> Vec<Goal> {
    let outcome = |index: usize| Some(theory.outcomes[index].id);
    let indicators = [
        (
            outcome(0),
            GoalMetric::StoriesTold,
            Comparison::AtLeast,
            Some(6.0),
        ),
        // Followed without a target: how many come again is watched, not aimed at.
        (
            outcome(1),
            GoalMetric::ReturningParticipants,
            Comparison::AtLeast,
            None,
        ),
        (
            outcome(2),
            GoalMetric::BandShare {
                measure: Measure::Ucla3Sum,
                band: Band::SevereLoneliness(true),
            },
            Comparison::AtMost,
            Some(30.0),
        ),
        (
            outcome(3),
            GoalMetric::MovesToVolunteer,
            Comparison::AtLeast,
            Some(3.0),
        ),
        (None, GoalMetric::VolunteerHours, Comparison::AtLeast, Some(300.0)),
    ];
    indicators
        .into_iter()
        .map(|(outcome, metric, comparison, target)| Goal {
            id: GoalId(random.uuid()),
            activity,
            metric,
            comparison,
            target,
            from,
            to,
            outcome,
        })
        .collect()
}

/// A log per session held: the volunteers checked in as frivillig, each staying the usual two
/// hours give or take half an hour.
fn session_logs(activities: &[Activity], attendance: &[Attendance], mut random: Random) -> Vec<SessionLog> {
    let mut volunteers: BTreeMap<(ActivityId, NaiveDate), u32> = BTreeMap::new();
    for check_in in attendance {
        let count = volunteers.entry((check_in.activity, check_in.date)).or_default();
        *count += u32::from(check_in.role == Role::Frivillig);
    }
    volunteers
        .into_iter()
        .filter_map(|((activity, date), count)| {
            let activity = activities.iter().find(|a| a.id == activity)?;
            let mut log = SessionLog::prefilled(activity, date, count);
            let minutes: u32 = (0..count).map(|_| 90 + 15 * random.below(5) as u32).sum();
            log.volunteer_minutes = minutes;
            Some(log)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Context;

    #[test]
    fn the_same_seed_gives_the_same_data_and_every_record_is_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let size = DemoSize {
            activities: 3,
            participants: 40,
            attendances: 500,
            responses: 200,
        };
        let demo = generate(size, 7, today, Language::Da);
        let again = generate(size, 7, today, Language::Da);
        assert_eq!(demo.attendance, again.attendance);
        assert_eq!(demo.attendance.len(), 500);
        assert_eq!(demo.responses.len(), 200);
        let context = Context { today };
        for activity in &demo.activities {
            assert_eq!(activity.validate(), Ok(()));
        }
        for participant in &demo.participants {
            assert_eq!(participant.validate(context), Ok(()));
        }
        for attendance in &demo.attendance {
            assert_eq!(attendance.validate(context), Ok(()));
        }
        assert_eq!(demo.theory.validate(), Ok(()));
        assert_eq!(demo.theory.outcomes.len(), OUTCOMES.len());
        assert!(!demo.stories.is_empty());
        for story in &demo.stories {
            assert_eq!(story.validate(context), Ok(()));
            assert!(
                crate::story::personal_data(&story.text).is_empty(),
                "a demo story looks as if it names someone: {}",
                story.text
            );
        }
        assert!(
            demo.stories.iter().any(|story| story.usable_in_reports),
            "some stories are marked for reports"
        );
        for goal in &demo.goals {
            assert_eq!(goal.validate(), Ok(()));
        }
        assert!(
            demo.goals.iter().any(|goal| goal.target.is_none()),
            "one indicator is followed without a target"
        );
        let english = generate(size, 7, today, Language::En);
        assert_eq!(
            english.attendance, demo.attendance,
            "the language changes only the words"
        );
        assert_ne!(english.theory.target_group, demo.theory.target_group);
        assert!(!demo.session_logs.is_empty());
        for log in &demo.session_logs {
            assert_eq!(log.validate(context), Ok(()));
        }
        for response in &demo.responses {
            let template = Instrument::from_template_id(response.template)
                .unwrap()
                .template();
            assert_eq!(response.validate(template, context), Ok(()));
        }
        let keys: HashSet<_> = demo.attendance.iter().map(Attendance::natural_key).collect();
        assert_eq!(
            keys.len(),
            demo.attendance.len(),
            "one check-in per person and occurrence"
        );
    }
}
