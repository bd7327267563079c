//! The numbers behind the charts: small cases worked out by hand, and properties over generated data.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate};
use proptest::prelude::*;
use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
use spor_core::demo::{DemoSize, generate};
use spor_core::goal::{Comparison, Goal, GoalMetric};
use spor_core::hlc::Hlc;
use spor_core::ids::{
    ActivityId, AttendanceEventId, AttendanceId, DeviceId, GoalId, HeadcountEventId, ParticipantId,
    ResponseId,
};
use spor_core::instruments::Instrument;
use spor_core::organisation::ReportingSettings;
use spor_core::period::Granularity;
use spor_core::scoring::{Band, Measure, Who5Band};
use spor_core::session_log::SessionLog;
use spor_core::suppression::Suppressible;
use spor_core::survey::{AdministrationMode, Answer, QuestionId, SurveyResponse};
use spor_core::trends::*;
use spor_core::{Language, Role};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cafe() -> ActivityId {
    ActivityId(uuid::Uuid::from_u128(1))
}

fn person(n: u128) -> ParticipantId {
    ParticipantId(uuid::Uuid::from_u128(1000 + n))
}

fn visit(n: u128, on: NaiveDate, role: Role) -> Visit {
    Visit {
        participant: person(n),
        activity: cafe(),
        date: on,
        role,
    }
}

fn query(from: NaiveDate, to: NaiveDate, granularity: Granularity) -> Query {
    Query {
        from,
        to,
        granularity,
        activity: Some(cafe()),
        settings: ReportingSettings::default(),
    }
}

/// A WHO-5 response whose raw score is `raw` (0-25).
fn who5(raw: u8, on: NaiveDate, linked: Option<u128>, id: u128) -> Answered {
    let answers: BTreeMap<QuestionId, Answer> = (1..=5)
        .map(|item| {
            let value = raw / 5 + u8::from(item <= raw % 5);
            (QuestionId::new(format!("who5_{item}")), Answer::Choice(value))
        })
        .collect();
    response(Instrument::Who5, answers, on, linked, id)
}

fn response(
    instrument: Instrument,
    answers: BTreeMap<QuestionId, Answer>,
    on: NaiveDate,
    linked: Option<u128>,
    id: u128,
) -> Answered {
    Answered::from(&SurveyResponse {
        id: ResponseId(uuid::Uuid::from_u128(id)),
        template: instrument.template_id(),
        template_version: 1,
        activity: cafe(),
        date: on,
        participant: linked.map(person),
        answers,
        mode: AdministrationMode::SelfCompleted,
        language: Language::Da,
        recorded_at: DateTime::from_timestamp(1_760_000_000 + id as i64, 0).unwrap(),
        recorded_by: DeviceId(uuid::Uuid::from_u128(9)),
    })
}

#[test]
fn new_returning_and_back_after_absence_per_month() {
    let data = Dataset {
        visits: vec![
            visit(3, date(2025, 12, 20), Role::Bruger), // before the range: C is not new in January
            visit(1, date(2026, 1, 5), Role::Bruger),
            visit(1, date(2026, 1, 12), Role::Bruger),
            visit(3, date(2026, 1, 20), Role::Bruger),
            visit(1, date(2026, 2, 2), Role::Bruger),
            visit(2, date(2026, 2, 9), Role::Deltager),
            visit(1, date(2026, 5, 1), Role::Frivillig), // 88 days after 2 February: back after absence
        ],
        ..Dataset::default()
    };
    let rows = participation(
        &data,
        &query(date(2026, 1, 1), date(2026, 5, 31), Granularity::Month),
    );
    let summary: Vec<_> = rows
        .iter()
        .map(|r| (r.unique, r.new, r.returning, r.back_after_absence))
        .collect();
    assert_eq!(
        summary,
        vec![
            (2, 1, 1, 0),
            (2, 1, 1, 0),
            (0, 0, 0, 0),
            (0, 0, 0, 0),
            (1, 0, 0, 1)
        ]
    );

    let moves = role_moves(
        &data,
        &query(date(2026, 1, 1), date(2026, 5, 31), Granularity::Month),
    );
    assert_eq!(
        moves,
        vec![RoleMove {
            from: Role::Bruger,
            to: Role::Frivillig,
            people: 1
        }]
    );
}

#[test]
fn an_occurrence_counts_named_and_anonymous_people_by_role() {
    let day = date(2026, 11, 26);
    let tap = |role, delta| {
        Headcount::from(&HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity: cafe(),
            date: day,
            role,
            delta,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        })
    };
    let data = Dataset {
        visits: vec![visit(1, day, Role::Bruger), visit(2, day, Role::Frivillig)],
        headcounts: vec![
            tap(Role::Bruger, 1),
            tap(Role::Deltager, 1),
            tap(Role::Deltager, -1),
            tap(Role::Deltager, 1),
        ],
        ..Dataset::default()
    };
    let rows = attendance_per_occurrence(&data, &query(day, day, Granularity::Week));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.named.bruger, row.named.deltager, row.named.frivillig),
        (1, 0, 1)
    );
    assert_eq!(
        (
            row.anonymous.bruger,
            row.anonymous.deltager,
            row.anonymous.frivillig
        ),
        (1, 1, 0)
    );
    assert_eq!(row.total(), 4);
}

#[test]
fn who5_figures_stay_hidden_until_five_people_answered() {
    let day = date(2026, 11, 10);
    let q = query(date(2026, 11, 1), date(2026, 11, 30), Granularity::Month);
    let mut data = Dataset::default();
    for (i, raw) in [10, 12, 15, 20].into_iter().enumerate() {
        data.responses.push(who5(raw, day, None, i as u128));
    }
    let stats = measure_stats(&data, &q);
    assert_eq!(stats.len(), 1);
    assert!(stats[0].people.is_hidden() && stats[0].mean.is_hidden() && stats[0].ci95.is_hidden());

    data.responses.push(who5(25, day, None, 99));
    let stats = measure_stats(&data, &q);
    assert_eq!(stats[0].people, Suppressible::Shown(5));
    // Percentages 40, 48, 60, 80 and 100.
    assert_eq!(stats[0].mean, Suppressible::Shown(65.6));
    let (low, high) = stats[0].ci95.shown().unwrap();
    assert!(low < 65.6 && 65.6 < high);
    assert!(
        stats[0].bands.iter().all(|(_, cell)| cell.is_hidden()),
        "each band holds fewer than 5"
    );
}

#[test]
fn band_shares_hide_small_bands_and_their_complement() {
    let day = date(2026, 11, 10);
    let mut data = Dataset::default();
    for i in 0..6 {
        data.responses.push(who5(10, day, None, i)); // 40: risk
        data.responses.push(who5(20, day, None, 100 + i)); // 80: no immediate risk
    }
    // A linked person answering twice in the month counts once, with the latest answer.
    data.responses.push(who5(0, date(2026, 11, 2), Some(1), 500));
    data.responses.push(who5(20, date(2026, 11, 20), Some(1), 501));
    let stats = measure_stats(
        &data,
        &query(date(2026, 11, 1), date(2026, 11, 30), Granularity::Month),
    );
    assert_eq!(stats[0].people, Suppressible::Shown(13));
    let bands: Vec<_> = stats[0]
        .bands
        .iter()
        .map(|(band, cell)| (*band, cell.shown().map(|s| s.count)))
        .collect();
    assert_eq!(
        bands,
        vec![
            (Band::Who5(Who5Band::LargeRisk), None),
            (Band::Who5(Who5Band::Risk), None),
            (Band::Who5(Who5Band::NoImmediateRisk), Some(7)),
        ]
    );
}

#[test]
fn paired_change_uses_only_linked_people_first_against_latest() {
    let mut data = Dataset::default();
    // WHO-5 percentage changes of +12, +12, +4, -16 and +20 points.
    for (person, (before, after)) in [(5, 8), (10, 13), (12, 13), (20, 16), (5, 10)]
        .into_iter()
        .enumerate()
    {
        let person = person as u128;
        data.responses
            .push(who5(before, date(2026, 1, 10), Some(person), person * 10));
        data.responses
            .push(who5(after, date(2026, 6, 10), Some(person), person * 10 + 1));
    }
    data.responses.push(who5(0, date(2026, 1, 10), None, 900));
    data.responses.push(who5(25, date(2026, 6, 10), None, 901));
    let change = paired_change(
        &data,
        &query(date(2026, 1, 1), date(2026, 12, 31), Granularity::Quarter),
        Measure::Who5Percentage,
    );
    assert_eq!(change.people, Suppressible::Shown(5));
    assert!((change.mean_change.shown().unwrap() - 6.4).abs() < 1e-9);
    // Improved 3, unchanged 1, worsened 1: every cell under 5, so all hidden.
    assert!(change.improved.is_hidden() && change.unchanged.is_hidden() && change.worsened.is_hidden());
}

#[test]
fn session_answers_are_counts_and_shares_with_small_cells_hidden() {
    let mut data = Dataset::default();
    for (i, value) in [5, 5, 5, 5, 5, 4].into_iter().enumerate() {
        let answers = BTreeMap::from([(QuestionId::new("today_again"), Answer::Smiley(value))]);
        data.responses.push(response(
            Instrument::SessionToday,
            answers,
            date(2026, 11, 5),
            None,
            i as u128,
        ));
    }
    let shares = session_shares(
        &data,
        &query(date(2026, 11, 1), date(2026, 11, 30), Granularity::Month),
    );
    assert_eq!(shares.len(), 1);
    assert_eq!(shares[0].question, QuestionId::new("today_again"));
    assert_eq!(shares[0].people, Suppressible::Shown(6));
    let values: Vec<i64> = shares[0].answers.iter().map(|(value, _)| *value).collect();
    assert_eq!(values, vec![1, 2, 3, 4, 5]);
    // "5" alone would be 6 - 1: with the one "4" hidden, "5" must go too.
    assert!(shares[0].answers.iter().all(|(_, cell)| cell.is_hidden()));
}

/// The café, meeting on Thursdays for `minutes`.
fn thursday_cafe(minutes: u16) -> spor_core::activity::Activity {
    spor_core::activity::Activity {
        id: cafe(),
        name: "Torsdagscafé".into(),
        description: String::new(),
        place: String::new(),
        schedule: Some(spor_core::activity::Schedule {
            weekday: chrono::Weekday::Thu,
            starts_at: None,
            minutes: Some(minutes),
        }),
        roles: Role::ALL.to_vec(),
        archived: false,
        surveys: Vec::new(),
    }
}

/// "At least `target`" at the café over the first quarter of 2026.
fn goal(metric: GoalMetric, target: f64) -> Goal {
    Goal {
        id: GoalId::generate(),
        activity: cafe(),
        metric,
        comparison: Comparison::AtLeast,
        target: Some(target),
        from: date(2026, 1, 1),
        to: date(2026, 3, 31),
        outcome: None,
    }
}

#[test]
fn goals_are_met_not_met_or_lack_data() {
    let day = date(2026, 3, 5);
    let data = Dataset {
        visits: (0..4).map(|n| visit(n, day, Role::Bruger)).collect(),
        ..Dataset::default()
    };
    let settings = ReportingSettings::default();
    assert_eq!(
        goal_status(
            &goal(GoalMetric::MeanAttendance, 3.0),
            &data,
            SessionsAndStories::default(),
            settings
        ),
        GoalStatus::Met(4.0)
    );
    assert_eq!(
        goal_status(
            &goal(GoalMetric::MeanAttendance, 12.0),
            &data,
            SessionsAndStories::default(),
            settings
        ),
        GoalStatus::NotMet(4.0)
    );
    assert_eq!(
        goal_status(
            &goal(GoalMetric::NewParticipantsPercent, 20.0),
            &data,
            SessionsAndStories::default(),
            settings
        ),
        GoalStatus::Met(100.0)
    );
    let who5_goal = goal(
        GoalMetric::MeasureMean {
            measure: Measure::Who5Percentage,
        },
        50.0,
    );
    assert_eq!(
        goal_status(&who5_goal, &data, SessionsAndStories::default(), settings),
        GoalStatus::NotEnoughData
    );
    // Two of the four move on to volunteer in March; one other goes the other way.
    let moving = Dataset {
        visits: [
            visit(0, date(2026, 1, 8), Role::Bruger),
            visit(0, date(2026, 3, 12), Role::Frivillig),
            visit(1, date(2026, 2, 5), Role::Deltager),
            visit(1, date(2026, 3, 19), Role::Frivillig),
            visit(2, date(2026, 1, 8), Role::Frivillig),
            visit(2, date(2026, 3, 12), Role::Bruger),
            visit(3, date(2026, 3, 12), Role::Frivillig),
        ]
        .into(),
        ..Dataset::default()
    };
    assert_eq!(
        goal_status(
            &goal(GoalMetric::MovesToVolunteer, 2.0),
            &moving,
            SessionsAndStories::default(),
            settings
        ),
        GoalStatus::Met(2.0)
    );
    let mut later = goal(GoalMetric::MeanAttendance, 3.0);
    later.from = date(2026, 4, 1);
    later.to = date(2026, 6, 30);
    assert_eq!(
        goal_status(&later, &data, SessionsAndStories::default(), settings),
        GoalStatus::NotEnoughData
    );
}

#[test]
fn indicators_count_volunteer_hours_and_the_stories_told_under_their_outcome() {
    use spor_core::ids::{OutcomeId, StoryId};
    use spor_core::story::{Story, StoryKind};
    let cafe_activity = thursday_cafe(120);
    // Two sessions in the quarter: 3 and 2 volunteers for 2 hours, 10 hours; one cancelled; one
    // in April, outside the goal's period.
    let logs = [
        SessionLog::prefilled(&cafe_activity, date(2026, 1, 8), 3),
        SessionLog::prefilled(&cafe_activity, date(2026, 2, 5), 2),
        SessionLog {
            cancelled: Some("Sne".into()),
            ..SessionLog::prefilled(&cafe_activity, date(2026, 2, 12), 2)
        },
        SessionLog::prefilled(&cafe_activity, date(2026, 4, 2), 9),
    ];
    let knows_someone = OutcomeId(uuid::Uuid::from_u128(41));
    let less_lonely = OutcomeId(uuid::Uuid::from_u128(42));
    let story = |on: NaiveDate, outcome: Option<OutcomeId>| Story {
        id: StoryId::generate(),
        activity: cafe(),
        date: on,
        kind: StoryKind::SignOfChange,
        text: "Noget ændrede sig".into(),
        outcome,
        participant: None,
        usable_in_reports: false,
        written_at: DateTime::UNIX_EPOCH,
        language: Language::Da,
    };
    let stories = [
        story(date(2026, 1, 8), Some(knows_someone)),
        story(date(2026, 2, 5), Some(knows_someone)),
        story(date(2026, 2, 5), Some(less_lonely)),
        story(date(2026, 3, 5), None),
        story(date(2026, 5, 7), Some(knows_someone)),
    ];
    let beside = SessionsAndStories {
        session_logs: &logs,
        stories: &stories,
    };
    let data = Dataset::default();
    let settings = ReportingSettings::default();
    assert_eq!(
        goal_status(&goal(GoalMetric::VolunteerHours, 8.0), &data, beside, settings),
        GoalStatus::Met(10.0)
    );
    let under = |outcome| Goal {
        outcome,
        ..goal(GoalMetric::StoriesTold, 3.0)
    };
    assert_eq!(
        goal_status(&under(Some(knows_someone)), &data, beside, settings),
        GoalStatus::NotMet(2.0)
    );
    assert_eq!(
        goal_status(&under(None), &data, beside, settings),
        GoalStatus::Met(4.0),
        "a goal under no outcome counts every story of the activity"
    );
    assert_eq!(
        goal_status(
            &goal(GoalMetric::VolunteerHours, 1.0),
            &data,
            SessionsAndStories::default(),
            settings
        ),
        GoalStatus::NotEnoughData,
        "no session logged, no hours to tell"
    );
}

#[test]
fn indicators_count_people_coming_again_a_bands_share_and_the_change_per_person() {
    let settings = ReportingSettings::default();
    assert_eq!(
        settings.absence_gap_weeks, 8,
        "the case below counts on an eight-week gap"
    );
    // In the first quarter: 1 comes again after four weeks, 2 after five months (back after a
    // break), 3 and 4 for the first time ever, 5 only outside it.
    let comings = Dataset {
        visits: vec![
            visit(1, date(2025, 12, 10), Role::Bruger),
            visit(1, date(2026, 1, 7), Role::Bruger),
            visit(2, date(2025, 9, 1), Role::Bruger),
            visit(2, date(2026, 2, 4), Role::Bruger),
            visit(3, date(2026, 1, 14), Role::Bruger),
            visit(4, date(2026, 1, 14), Role::Bruger),
            visit(4, date(2026, 2, 11), Role::Bruger),
            visit(5, date(2025, 11, 5), Role::Bruger),
            visit(5, date(2026, 4, 1), Role::Bruger),
        ],
        ..Dataset::default()
    };
    let status =
        |goal: &Goal, data: &Dataset| goal_status(goal, data, SessionsAndStories::default(), settings);
    assert_eq!(
        status(&goal(GoalMetric::ReturningParticipants, 2.0), &comings),
        GoalStatus::Met(2.0)
    );
    assert_eq!(
        status(&goal(GoalMetric::BackAfterBreak, 2.0), &comings),
        GoalStatus::NotMet(1.0)
    );

    // WHO-5 in January and March. Latest: 10, 11, 12, 20, 21 at large risk (20 %); 13 at risk
    // (40 %); 14, 15, 16, 17 not (60 %): 5 of 10 at large risk. Answered twice: 10 went 40 -> 20,
    // 11 and 12 stayed at 20, 13 went 20 -> 40, 14 went 20 -> 60: changes -20, 0, 0, 20, 40.
    let (january, march) = (date(2026, 1, 14), date(2026, 3, 11));
    let answers = [
        (10, Some(10), 5),
        (11, Some(5), 5),
        (12, Some(5), 5),
        (13, Some(5), 10),
        (14, Some(5), 15),
        (20, None, 5),
        (21, None, 5),
        (15, None, 15),
        (16, None, 15),
        (17, None, 15),
    ];
    let surveyed = |left_out: u128| Dataset {
        responses: answers
            .iter()
            .filter(|(who, _, _)| *who != left_out)
            .flat_map(|&(who, first, latest)| {
                let first = first.map(|raw| who5(raw, january, Some(who), who * 10));
                first
                    .into_iter()
                    .chain([who5(latest, march, Some(who), who * 10 + 1)])
            })
            .collect(),
        ..Dataset::default()
    };
    let large_risk_share = Goal {
        comparison: Comparison::AtMost,
        ..goal(
            GoalMetric::BandShare {
                measure: Measure::Who5Percentage,
                band: Band::Who5(Who5Band::LargeRisk),
            },
            40.0,
        )
    };
    assert_eq!(status(&large_risk_share, &surveyed(0)), GoalStatus::NotMet(50.0));
    assert_eq!(
        status(&large_risk_share, &surveyed(21)),
        GoalStatus::NotEnoughData,
        "four at large risk is under the threshold, and so is the rest beside it"
    );
    let change = goal(
        GoalMetric::PairedChange {
            measure: Measure::Who5Percentage,
        },
        5.0,
    );
    assert_eq!(status(&change, &surveyed(0)), GoalStatus::Met(8.0));
    assert_eq!(
        status(&change, &surveyed(14)),
        GoalStatus::NotEnoughData,
        "four people answering twice are too few to show"
    );
    let followed = Goal {
        target: None,
        ..change
    };
    assert_eq!(status(&followed, &surveyed(0)), GoalStatus::Followed(8.0));
}

fn shown_cells_are_safe<T>(
    cells: &[(T, Suppressible<spor_core::suppression::Share>)],
    threshold: u32,
) -> bool {
    let hidden = cells.iter().filter(|(_, cell)| cell.is_hidden()).count();
    let shown_ok = cells
        .iter()
        .all(|(_, cell)| cell.shown().is_none_or(|share| share.count >= threshold));
    shown_ok && (hidden != 1 || cells.len() == 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_figure_adds_up_and_none_under_the_threshold_leaves_unsuppressed(
        seed in any::<u64>(),
        threshold in 3u32..8,
        granularity in prop::sample::select(vec![Granularity::Week, Granularity::Month, Granularity::Quarter]),
    ) {
        let today = date(2026, 11, 25);
        let demo = generate(DemoSize { activities: 3, participants: 60, attendances: 1_500, responses: 400 }, seed, today, Language::Da);
        let query = Query {
            from: date(2026, 2, 1),
            to: today,
            granularity,
            activity: None,
            settings: ReportingSettings { suppression_threshold: threshold, absence_gap_weeks: 8 },
        };
        let trends = Trends::compute(&demo.dataset(), &query);

        // Role counts add up to the totals, per period.
        for row in &trends.roles {
            let total: u32 = trends.attendance.iter()
                .filter(|o| row.period.contains(o.occurrence.date))
                .map(OccurrenceAttendance::total)
                .sum();
            prop_assert_eq!(row.named.total() + row.anonymous.total(), total);
        }
        // New, returning and back after absence make up the distinct participants.
        for row in &trends.participation {
            prop_assert_eq!(row.new + row.returning + row.back_after_absence, row.unique);
        }
        // Survey figures: nothing under the threshold shown, nothing derivable from the rest.
        for stats in &trends.measures {
            prop_assert_eq!(stats.people.is_hidden(), stats.mean.is_hidden());
            prop_assert!(stats.people.shown().is_none_or(|n| n >= threshold));
            prop_assert!(shown_cells_are_safe(&stats.bands, threshold));
        }
        for shares in &trends.session {
            prop_assert!(shares.people.shown().is_none_or(|n| n >= threshold));
            prop_assert!(shown_cells_are_safe(&shares.answers, threshold));
        }
        for change in &trends.paired {
            prop_assert!(change.people.shown().is_none_or(|n| n >= threshold));
            let cells = [((), change.improved), ((), change.unchanged), ((), change.worsened)];
            prop_assert!(shown_cells_are_safe(&cells, threshold));
        }
    }
}

#[test]
fn records_dated_at_the_edges_of_the_calendar_do_not_panic() {
    let data = Dataset {
        visits: vec![
            visit(1, NaiveDate::MIN, Role::Bruger),
            visit(1, NaiveDate::MAX, Role::Bruger),
            visit(2, NaiveDate::MAX, Role::Deltager),
        ],
        responses: vec![
            who5(20, NaiveDate::MIN, Some(1), 1),
            who5(20, NaiveDate::MAX, Some(1), 2),
        ],
        ..Dataset::default()
    };
    for granularity in [Granularity::Week, Granularity::Month, Granularity::Quarter] {
        let everything = query(
            NaiveDate::MAX - chrono::Days::new(400),
            NaiveDate::MAX,
            granularity,
        );
        let trends = Trends::compute(&data, &everything);
        assert_eq!(trends.attendance.len(), 1);
        let from_the_start = query(
            NaiveDate::MIN,
            NaiveDate::MIN + chrono::Days::new(400),
            granularity,
        );
        assert_eq!(Trends::compute(&data, &from_the_start).attendance.len(), 1);
    }
}

#[test]
fn withdrawn_check_ins_are_not_visits_and_role_changes_are() {
    let day = date(2026, 11, 26);
    let device = DeviceId(uuid::Uuid::from_u128(9));
    let check_in = |n: u128| Attendance {
        id: AttendanceId(uuid::Uuid::from_u128(n)),
        participant: person(n),
        activity: cafe(),
        date: day,
        role: Role::Bruger,
        recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        recorded_by: device,
    };
    let mut clock = Hlc::start(device);
    let mut event = |n: u128, change| {
        clock = clock.tick(1_764_000_000_000);
        AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance: AttendanceId(uuid::Uuid::from_u128(n)),
            change,
            stamp: clock,
        }
    };
    let events = [
        event(1, AttendanceChange::Withdrawn),
        event(
            2,
            AttendanceChange::RoleChanged {
                role: Role::Frivillig,
            },
        ),
        event(3, AttendanceChange::Withdrawn),
        event(3, AttendanceChange::Restored),
    ];
    let visits = Visit::from_records(&[check_in(1), check_in(2), check_in(3)], &events);
    assert_eq!(
        visits,
        vec![visit(2, day, Role::Frivillig), visit(3, day, Role::Bruger)]
    );
}

#[test]
fn key_figures_count_sessions_people_and_newcomers_and_hide_few_responses() {
    let data = Dataset {
        visits: vec![
            visit(1, date(2025, 12, 4), Role::Bruger), // before the range: 1 is not new
            visit(1, date(2026, 1, 8), Role::Bruger),
            visit(2, date(2026, 1, 8), Role::Deltager),
            visit(2, date(2026, 1, 15), Role::Deltager),
        ],
        headcounts: vec![Headcount {
            activity: cafe(),
            date: date(2026, 1, 15),
            role: Role::Bruger,
            delta: 3,
        }],
        responses: (0..4).map(|i| who5(20, date(2026, 1, 8), None, i)).collect(),
        templates: vec![],
    };
    let query = query(date(2026, 1, 1), date(2026, 1, 31), Granularity::Month);
    let trends = Trends::compute(&data, &query);
    assert_eq!(
        trends.key_figures,
        KeyFigures {
            sessions: 2,
            attendances: 6,
            anonymous: 3,
            participants: 2,
            new_participants: 1,
            responses: Suppressible::Hidden,
        }
    );
}

#[test]
fn a_goal_on_people_is_followed_from_its_start_to_the_end_of_each_period() {
    // Two came in January, one of them again in February with a newcomer, and one who had come
    // before the goal started: different participants since 1 January grow 2, 4.
    let data = Dataset {
        visits: vec![
            visit(1, date(2025, 12, 4), Role::Bruger),
            visit(2, date(2026, 1, 8), Role::Bruger),
            visit(3, date(2026, 1, 15), Role::Bruger),
            visit(3, date(2026, 2, 5), Role::Bruger),
            visit(4, date(2026, 2, 5), Role::Bruger),
            visit(1, date(2026, 2, 12), Role::Bruger),
        ],
        ..Dataset::default()
    };
    let settings = ReportingSettings::default();
    let unique = goal(GoalMetric::UniqueParticipants, 5.0);
    let progress = goal_progress(&unique, &data, Granularity::Month, date(2026, 2, 20), settings);
    let months: Vec<u32> = progress.iter().map(|(period, _)| period.start.month()).collect();
    assert_eq!(months, vec![1, 2], "until the shown range ends, not the goal's");
    assert_eq!(progress[0].1, Some(2.0));
    assert_eq!(progress[1].1, Some(4.0));

    // New ones: 2 of 2 in January; by February 3 of 4 (person 1 came before the goal).
    let share = goal(GoalMetric::NewParticipantsPercent, 50.0);
    let progress = goal_progress(&share, &data, Granularity::Month, date(2026, 12, 31), settings);
    let values: Vec<Option<f64>> = progress.iter().map(|(_, value)| *value).collect();
    assert_eq!(values, vec![Some(100.0), Some(75.0), Some(75.0)]);
    // Followed to its end, it is the goal's status.
    assert_eq!(
        goal_status(&share, &data, SessionsAndStories::default(), settings),
        GoalStatus::Met(75.0)
    );

    // Nobody yet: a share is not 0 %, it is nothing.
    let mut later = share.clone();
    later.from = date(2026, 6, 1);
    later.to = date(2026, 6, 30);
    assert_eq!(
        goal_progress(&later, &data, Granularity::Month, date(2026, 12, 31), settings),
        vec![(
            spor_core::period::Period::containing(date(2026, 6, 1), Granularity::Month),
            None
        )]
    );
    assert!(
        goal_progress(
            &goal(GoalMetric::MeanAttendance, 3.0),
            &data,
            Granularity::Month,
            date(2026, 12, 31),
            settings
        )
        .is_empty()
    );
}

#[test]
fn attendance_per_period_is_the_mean_per_session_held_by_role_and_anonymous() {
    let anonymous = |on: NaiveDate, delta| {
        Headcount::from(&HeadcountEvent {
            id: HeadcountEventId::generate(),
            activity: cafe(),
            date: on,
            role: Role::Deltager,
            delta,
            recorded_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            recorded_by: DeviceId::generate(),
        })
    };
    // January: two sessions; 3 brugere and 1 frivillig named, 3 anonymous. February: none.
    // March: one session with one frivillig.
    let data = Dataset {
        visits: vec![
            visit(1, date(2026, 1, 5), Role::Bruger),
            visit(2, date(2026, 1, 5), Role::Bruger),
            visit(3, date(2026, 1, 5), Role::Frivillig),
            visit(1, date(2026, 1, 12), Role::Bruger),
            visit(3, date(2026, 3, 2), Role::Frivillig),
        ],
        headcounts: vec![anonymous(date(2026, 1, 5), 2), anonymous(date(2026, 1, 12), 1)],
        ..Dataset::default()
    };
    let q = query(date(2026, 1, 1), date(2026, 3, 31), Granularity::Month);
    let trends = Trends::compute(&data, &q);
    let rows: Vec<_> = trends
        .attendance_per_period()
        .iter()
        .map(|row| (row.sessions, row.named, row.anonymous))
        .collect();
    assert_eq!(
        rows,
        vec![
            (2, [1.5, 0.0, 0.5], 1.5),
            (0, [0.0, 0.0, 0.0], 0.0),
            (1, [0.0, 0.0, 1.0], 0.0),
        ]
    );
    // The role mix of January: 3 of 7 brugere, 3 of 7 deltagere (anonymous), 1 of 7 frivillig.
    let january = trends.roles[0].shares();
    assert!((january[0] - 3.0 / 7.0).abs() < 1e-12);
    assert!((january[1] - 3.0 / 7.0).abs() < 1e-12);
    assert!((january[2] - 1.0 / 7.0).abs() < 1e-12);
    assert_eq!(trends.roles[1].shares(), [0.0, 0.0, 0.0]);
}

#[test]
fn measure_and_question_series_line_up_with_the_periods_and_an_empty_period_counts_zero() {
    let mut data = Dataset::default();
    // WHO-5 in January from five people in each band (raw 5, 9 and 15: 20, 36 and 60 %), none in
    // February.
    for (id, raw) in [5, 9, 15].into_iter().flat_map(|raw| [raw; 5]).enumerate() {
        data.responses.push(who5(raw, date(2026, 1, 7), None, id as u128));
    }
    // "Would you come again?": five answers of each value in February, none in January.
    for (id, value) in (1..=5).flat_map(|value| [value; 5]).enumerate() {
        let answers = BTreeMap::from([(QuestionId::new("today_again"), Answer::Smiley(value))]);
        data.responses.push(response(
            Instrument::SessionToday,
            answers,
            date(2026, 2, 4),
            None,
            100 + id as u128,
        ));
    }
    let q = query(date(2026, 1, 1), date(2026, 2, 28), Granularity::Month);
    let trends = Trends::compute(&data, &q);
    assert_eq!(trends.periods().len(), 2);

    let measures = trends.measure_series();
    assert_eq!(measures.len(), 1);
    let who5 = &measures[0];
    assert_eq!(who5.measure, Measure::Who5Percentage);
    assert!(who5.per_period[0].is_some() && who5.per_period[1].is_none());
    // A third with no immediate risk in January; February has nobody, so 0, not hidden.
    let bands = Measure::Who5Percentage.bands();
    let no_risk = bands
        .iter()
        .position(|band| *band == Band::Who5(Who5Band::NoImmediateRisk))
        .unwrap();
    let january = who5.band_share(0, no_risk).shown().unwrap();
    assert_eq!((january.count, january.share), (5, 1.0 / 3.0));
    assert_eq!(who5.band_share(1, no_risk).shown().unwrap().count, 0);

    let questions = trends.question_series();
    assert_eq!(questions.len(), 1);
    let again = &questions[0];
    assert_eq!(again.question, QuestionId::new("today_again"));
    assert_eq!(again.values, vec![1, 2, 3, 4, 5]);
    assert!(again.per_period[0].is_none());
    assert_eq!(again.share(0, 4).shown().unwrap().count, 0);
    let five = again.share(1, 4).shown().unwrap();
    assert_eq!((five.count, five.share), (5, 0.2));
}

#[test]
fn sessions_per_participant_counts_each_occurrence_once_in_bands_with_small_cells_hidden() {
    let monday = |week: u64| date(2026, 1, 5) + chrono::Days::new(7 * week);
    let mut visits = Vec::new();
    // Six people came once, five three times, five five times and four twelve times.
    let groups: [(u128, u128, u64); 4] = [(0, 6, 1), (6, 11, 3), (11, 16, 5), (16, 20, 12)];
    for (first, end, times) in groups {
        for person in first..end {
            for week in 0..times {
                visits.push(visit(person, monday(week), Role::Bruger));
            }
        }
    }
    // A second check-in of one person at one occurrence (two phones offline) is one session.
    visits.push(visit(0, monday(0), Role::Bruger));
    let data = Dataset {
        visits,
        ..Dataset::default()
    };
    let bands = sessions_per_participant(
        &data,
        &query(date(2026, 1, 1), date(2026, 3, 31), Granularity::Month),
    );
    let shown: Vec<(SessionsBand, Option<u32>)> = bands
        .iter()
        .map(|(band, cell)| (*band, cell.shown().map(|share| share.count)))
        .collect();
    // Four with ten or more is under the threshold; one hidden cell alone could be worked out
    // from the total, so its pair in the table (four to nine) is hidden with it.
    assert_eq!(
        shown,
        vec![
            (SessionsBand::Once, Some(6)),
            (SessionsBand::TwoOrThree, Some(5)),
            (SessionsBand::FourToNine, None),
            (SessionsBand::TenOrMore, None),
        ]
    );
    assert_eq!(bands[0].1.shown().unwrap().share, 6.0 / 20.0);
}

#[test]
fn delivery_counts_planned_sessions_held_and_those_held_off_the_plan() {
    use spor_core::activity::{Activity, Schedule};
    let activity = |id: u128, schedule: Option<chrono::Weekday>, archived: bool| Activity {
        // Ids that tell no creation time: planned from the start of the range.
        id: ActivityId(uuid::Uuid::from_u128(id)),
        name: format!("activity {id}"),
        description: String::new(),
        place: String::new(),
        schedule: schedule.map(|weekday| Schedule {
            weekday,
            starts_at: None,
            minutes: Some(120),
        }),
        roles: Role::ALL.to_vec(),
        archived,
        surveys: Vec::new(),
    };
    // The café (id 1) meets on Thursdays: in January 2026 the 1st, 8th, 15th, 22nd and 29th.
    let cafe_activity = activity(1, Some(chrono::Weekday::Thu), false);
    let walk = activity(2, None, false);
    let closed = activity(3, Some(chrono::Weekday::Mon), true);
    let at = |activity: &Activity, on: NaiveDate| Visit {
        participant: person(1),
        activity: activity.id,
        date: on,
        role: Role::Bruger,
    };
    let data = Dataset {
        visits: vec![
            at(&cafe_activity, date(2026, 1, 1)),
            at(&cafe_activity, date(2026, 1, 8)),
            at(&cafe_activity, date(2026, 1, 22)),
            // A Monday the café met as well, and the walk, which has no schedule: off the plan.
            at(&cafe_activity, date(2026, 1, 12)),
            at(&walk, date(2026, 1, 20)),
            // An archived activity plans nothing and counts nothing.
            at(&closed, date(2026, 1, 5)),
        ],
        ..Dataset::default()
    };
    let activities = [cafe_activity.clone(), walk.clone(), closed];
    let mut q = query(date(2026, 1, 1), date(2026, 1, 31), Granularity::Month);
    q.activity = None;
    let trends = Trends::compute(&data, &q);
    assert_eq!(
        trends.delivery(&activities, &[], &q),
        Some(Delivery {
            planned: 5,
            held: 3,
            extra: 2,
            cancelled: 0,
        })
    );

    // The 15th was cancelled for illness; the 8th was logged cancelled but people came anyway,
    // so it stays held; a cancelled Monday was never planned.
    let cancelled = |on: NaiveDate| SessionLog {
        cancelled: Some("Sygdom".into()),
        ..SessionLog::prefilled(&cafe_activity, on, 0)
    };
    let logs = [
        cancelled(date(2026, 1, 15)),
        cancelled(date(2026, 1, 8)),
        cancelled(date(2026, 1, 19)),
    ];
    assert_eq!(
        trends.delivery(&activities, &logs, &q),
        Some(Delivery {
            planned: 5,
            held: 3,
            extra: 2,
            cancelled: 1,
        })
    );
    let listed: Vec<NaiveDate> = cancellations(&logs, &q).iter().map(|log| log.date).collect();
    assert_eq!(listed, [date(2026, 1, 8), date(2026, 1, 15), date(2026, 1, 19)]);

    q.activity = Some(walk.id);
    assert_eq!(
        Trends::compute(&data, &q).delivery(&activities, &logs, &q),
        None,
        "the walk plans nothing"
    );
    assert!(
        cancellations(&logs, &q).is_empty(),
        "the café's cancellations are not the walk's"
    );
}

#[test]
fn volunteer_hours_add_up_per_period_from_the_sessions_held() {
    let cafe_activity = thursday_cafe(150);
    let held = |on: NaiveDate, volunteers: u32| SessionLog::prefilled(&cafe_activity, on, volunteers);
    let logs = [
        // January: 3 x 150 + 2 x 150 minutes = 12.5 hours at two sessions with 5 volunteers.
        held(date(2026, 1, 8), 3),
        held(date(2026, 1, 22), 2),
        // February: one session of 4 volunteers whose hours were typed in: 7 hours.
        SessionLog {
            volunteer_minutes: 420,
            ..held(date(2026, 2, 5), 4)
        },
        // A cancelled session gives no hours, and March is outside the range.
        SessionLog {
            cancelled: Some("Lokalet var lukket".into()),
            ..held(date(2026, 2, 12), 2)
        },
        held(date(2026, 3, 5), 9),
    ];
    let q = query(date(2026, 1, 1), date(2026, 2, 28), Granularity::Month);
    let effort = volunteer_effort(&logs, &q);
    let figures: Vec<(u32, u32, f64)> = effort
        .iter()
        .map(|period| (period.sessions, period.volunteers, period.hours()))
        .collect();
    assert_eq!(figures, [(2, 5, 12.5), (1, 4, 7.0)]);
}
