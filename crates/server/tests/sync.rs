//! Sync against a real spor-server on 127.0.0.1 (a free port): pairing, push and pull,
//! authorisation per role and organisation, and the error paths. Every test runs twice, on a
//! temporary SQLite file and on a new PostgreSQL database (`on_both_storages!` at the end).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::json;
use spor_core::Language;
use spor_core::Role;
use spor_core::access::DeviceRole;
use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
use spor_core::hlc::Hlc;
use spor_core::ids::*;
use spor_core::instruments::Instrument;
use spor_core::protocol::{PROTOCOL_HEADER, PairResponse, PairingCodeResponse};
use spor_core::survey::{AdministrationMode, Answer, SurveyResponse};
use spor_core::sync::*;
use spor_core::validation::Problem;
use spor_server::rate_limit::RateLimit;
use spor_server::storage::Storage;
use spor_server::{AppState, Settings, bind, create_organisation, router};
use uuid::Uuid;

#[path = "support/storage.rs"]
mod storage;

use storage::{Backend, Location, TestStorage};

/// A server on a free loopback port, stopped when dropped.
struct Server {
    url: String,
    storage: TestStorage,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

async fn start_with(backend: Backend, rate_limit: RateLimit) -> Server {
    let storage = storage::open(backend).await;
    let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = router(
        AppState::new(storage.db.clone(), Settings::new(&url), rate_limit),
        None,
    );
    let (shutdown, stopped) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        spor_server::serve_on(listener, app, None, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Server {
        url,
        storage,
        shutdown: Some(shutdown),
    }
}

async fn start(backend: Backend) -> Server {
    start_with(backend, RateLimit::default()).await
}

/// A paired device talking to the server.
#[derive(Clone)]
struct Phone {
    url: String,
    token: String,
    paired: PairResponse,
    http: reqwest::Client,
}

fn client() -> reqwest::Client {
    // reqwest's TLS (unused here, over plain loopback HTTP) needs a crypto provider chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn pair(server: &Server, code: &str) -> reqwest::Response {
    client()
        .post(format!("{}/api/v1/pair", server.url))
        .header(PROTOCOL_HEADER, "1")
        .json(&json!({"code": code, "device_name": "Telefon"}))
        .send()
        .await
        .unwrap()
}

impl Server {
    /// A new organisation and its first coordinator's phone.
    async fn organisation(&self, name: &str) -> Phone {
        let (_, code) = create_organisation(&self.storage.db, name).await.unwrap();
        self.phone(&code).await
    }

    async fn phone(&self, code: &str) -> Phone {
        let response = pair(self, code).await;
        assert_eq!(response.status(), StatusCode::OK);
        let paired: PairResponse = response.json().await.unwrap();
        Phone {
            url: self.url.clone(),
            token: paired.token.clone(),
            paired,
            http: client(),
        }
    }
}

impl Phone {
    fn device(&self) -> DeviceId {
        self.paired.device
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/api/v1{path}", self.url))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(&self.token)
    }

    async fn push_raw(&self, mutations: &[Mutation]) -> reqwest::Response {
        self.request(reqwest::Method::POST, "/sync/push")
            .json(&PushRequest {
                mutations: mutations.to_vec(),
            })
            .send()
            .await
            .unwrap()
    }

    async fn push(&self, mutations: &[Mutation]) -> Vec<Outcome> {
        let response = self.push_raw(mutations).await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
        let pushed: PushResponse = response.json().await.unwrap();
        assert_eq!(
            pushed.results.iter().map(|r| r.id).collect::<Vec<_>>(),
            mutations.iter().map(|m| m.id).collect::<Vec<_>>(),
            "one result per mutation, in order"
        );
        pushed.results.into_iter().map(|result| result.outcome).collect()
    }

    /// Every change this phone may see, pulling until `has_more` is false, in pages of `limit`.
    async fn pull_all(&self, limit: u32) -> Vec<Change> {
        let mut since = 0;
        let mut changes = Vec::new();
        loop {
            let response = self
                .request(
                    reqwest::Method::GET,
                    &format!("/sync/pull?since={since}&limit={limit}"),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let page: PullResponse = response.json().await.unwrap();
            assert!(page.changes.len() <= limit as usize);
            changes.extend(page.changes.into_iter().map(|pulled| pulled.change));
            since = page.cursor;
            if !page.has_more {
                return changes;
            }
        }
    }

    /// Another device of this phone's organisation, paired with `role` by a code this phone made.
    async fn another(&self, server: &Server, role: DeviceRole) -> Phone {
        server.phone(&self.code_for(role).await.code).await
    }

    /// Another coordinator's device of the same organisation, to see what the server holds.
    async fn reader(&self, server: &Server) -> Phone {
        server
            .phone(&self.code_for(DeviceRole::Coordinator).await.code)
            .await
    }

    async fn code_for(&self, role: DeviceRole) -> PairingCodeResponse {
        let response = self
            .request(reqwest::Method::POST, "/pairing-codes")
            .json(&json!({"role": role}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

fn mutation(change: Change) -> Mutation {
    Mutation {
        id: MutationId(Uuid::now_v7()),
        change,
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn check_in(participant: ParticipantId, activity: ActivityId, device: DeviceId) -> Change {
    Change::CheckIn {
        attendance: Attendance {
            id: AttendanceId(Uuid::now_v7()),
            participant,
            activity,
            date: today(),
            role: Role::Bruger,
            recorded_at: Utc::now(),
            recorded_by: device,
        },
    }
}

fn headcount(activity: ActivityId, delta: i32) -> Change {
    Change::Headcount {
        event: HeadcountEvent {
            id: HeadcountEventId(Uuid::now_v7()),
            activity,
            date: today(),
            role: Role::Deltager,
            delta,
            recorded_at: Utc::now(),
            recorded_by: DeviceId(Uuid::now_v7()),
        },
    }
}

fn stamp(wall_ms: u64, device: DeviceId) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        device,
    }
}

fn patch(kind: EntityKind, id: Uuid, field: &str, value: serde_json::Value, stamp: Hlc) -> Change {
    Change::Patch {
        entity: EntityRef { kind, id },
        fields: [(field.to_owned(), Stamped { value, stamp })].into(),
    }
}

fn who5_response(activity: ActivityId, participant: Option<ParticipantId>) -> Change {
    who5_response_by(activity, participant, DeviceId(Uuid::now_v7()))
}

fn who5_response_by(
    activity: ActivityId,
    participant: Option<ParticipantId>,
    recorded_by: DeviceId,
) -> Change {
    let template = Instrument::Who5.template();
    Change::SurveyResponse {
        response: SurveyResponse {
            id: ResponseId(Uuid::now_v7()),
            template: template.id,
            template_version: template.version,
            activity,
            date: today(),
            participant,
            answers: template
                .questions
                .iter()
                .map(|question| (question.id.clone(), Answer::Choice(3)))
                .collect(),
            mode: AdministrationMode::default(),
            language: Language::Da,
            recorded_at: Utc::now(),
            recorded_by,
        },
    }
}

async fn a_retried_batch_is_applied_once(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let activity = ActivityId(Uuid::now_v7());
    let batch: Vec<Mutation> = (0..5)
        .map(|_| mutation(check_in(ParticipantId(Uuid::now_v7()), activity, phone.device())))
        .chain([mutation(headcount(activity, 1))])
        .collect();
    assert!(phone.push(&batch).await.iter().all(|o| *o == Outcome::Applied));
    // The answer was lost on the way back: the phone sends the same batch again.
    assert!(
        phone
            .push(&batch)
            .await
            .iter()
            .all(|o| matches!(o, Outcome::Duplicate { .. }))
    );
    assert_eq!(
        phone.reader(&server).await.pull_all(1000).await.len(),
        6,
        "each record once"
    );
    assert!(
        phone.pull_all(1000).await.is_empty(),
        "a device is not sent its own changes back"
    );
}

async fn the_same_person_checked_in_on_two_phones_becomes_one_attendance(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let (soren, cafe) = (ParticipantId(Uuid::now_v7()), ActivityId(Uuid::now_v7()));

    let first = mutation(check_in(soren, cafe, coordinator.device()));
    let second = mutation(check_in(soren, cafe, volunteer.device()));
    let Change::CheckIn {
        attendance: canonical,
    } = &first.change
    else {
        unreachable!()
    };
    let Change::CheckIn {
        attendance: duplicate,
    } = &second.change
    else {
        unreachable!()
    };
    assert_eq!(
        coordinator.push(std::slice::from_ref(&first)).await,
        [Outcome::Applied]
    );
    assert_eq!(
        volunteer.push(std::slice::from_ref(&second)).await,
        [Outcome::Duplicate {
            canonical: Some(canonical.id.0)
        }]
    );
    // The volunteer's phone withdrew its own (duplicate) check-in before it synced: the event is
    // re-pointed to the canonical attendance.
    let withdrawal = mutation(Change::AttendanceEvent {
        event: AttendanceEvent {
            id: AttendanceEventId(Uuid::now_v7()),
            attendance: duplicate.id,
            change: AttendanceChange::Withdrawn,
            stamp: stamp(1, volunteer.device()),
        },
    });
    assert_eq!(volunteer.push(&[withdrawal]).await, [Outcome::Applied]);
    // A retry of the duplicate names the same canonical attendance again.
    assert_eq!(
        volunteer.push(&[second]).await,
        [Outcome::Duplicate {
            canonical: Some(canonical.id.0)
        }]
    );

    let seen = coordinator.reader(&server).await.pull_all(1000).await;
    let check_ins: Vec<_> = seen
        .iter()
        .filter(|c| matches!(c, Change::CheckIn { .. }))
        .collect();
    assert_eq!(check_ins.len(), 1);
    assert!(seen.iter().any(|change| matches!(
        change,
        Change::AttendanceEvent { event } if event.attendance == canonical.id
    )));
    // Each phone is sent what the other recorded: the volunteer the canonical check-in, the
    // coordinator the volunteer's withdrawal, re-pointed to it.
    assert_eq!(
        volunteer.pull_all(1000).await,
        [Change::CheckIn {
            attendance: canonical.clone()
        }]
    );
    assert!(matches!(
        &coordinator.pull_all(1000).await[..],
        [Change::AttendanceEvent { event }] if event.attendance == canonical.id
    ));
}

async fn one_invalid_mutation_is_rejected_and_the_rest_of_the_batch_applies(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let activity = ActivityId(Uuid::now_v7());
    let mut bad_count = mutation(headcount(activity, 1));
    if let Change::Headcount { event } = &mut bad_count.change {
        event.delta = 7;
    }
    let mut far_future = mutation(check_in(ParticipantId(Uuid::now_v7()), activity, phone.device()));
    if let Change::CheckIn { attendance } = &mut far_future.change {
        attendance.date = today() + chrono::Days::new(30);
    }
    let good = mutation(headcount(activity, 1));
    let outcomes = phone.push(&[bad_count, good, far_future]).await;
    assert!(
        matches!(&outcomes[0], Outcome::Rejected { reason: RejectReason::Invalid { problems } }
        if problems == &[spor_core::validation::Problem::InvalidHeadcountDelta { delta: 7 }])
    );
    assert_eq!(outcomes[1], Outcome::Applied);
    assert!(matches!(
        &outcomes[2],
        Outcome::Rejected {
            reason: RejectReason::Invalid { .. }
        }
    ));
    assert_eq!(phone.reader(&server).await.pull_all(1000).await.len(), 1);
}

async fn fields_keep_the_newest_write_whatever_the_order_of_arrival(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let activity = Uuid::now_v7();
    let newer = mutation(patch(
        EntityKind::Activity,
        activity,
        "name",
        json!("Torsdagscafé"),
        stamp(20, coordinator.device()),
    ));
    let older = mutation(patch(
        EntityKind::Activity,
        activity,
        "name",
        json!("Cafe"),
        stamp(10, volunteer.device()),
    ));
    assert_eq!(coordinator.push(&[newer]).await, [Outcome::Applied]);
    assert_eq!(
        volunteer.push(&[older]).await,
        [Outcome::Conflict { canonical: activity }]
    );
    let names: Vec<_> = volunteer
        .pull_all(1000)
        .await
        .into_iter()
        .filter_map(|change| match change {
            Change::Patch { fields, .. } => fields.get("name").map(|f| f.value.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, [json!("Torsdagscafé")]);
}

async fn a_batch_of_patches_is_decided_in_order_as_if_sent_one_by_one(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let device = coordinator.device();
    let cafe = Uuid::now_v7();
    let (kept, erased) = (Uuid::now_v7(), Uuid::now_v7());
    coordinator
        .push(&[mutation(Change::EraseParticipant {
            participant: ParticipantId(erased),
            stamp: stamp(1, device),
        })])
        .await;
    let pseudonym = mutation(patch(
        EntityKind::Participant,
        kept,
        "pseudonym",
        json!("Åse"),
        stamp(5, device),
    ));
    let batch = [
        mutation(patch(
            EntityKind::Activity,
            cafe,
            "name",
            json!("Torsdagscafé"),
            stamp(20, device),
        )),
        // Older than the write before it in the same batch.
        mutation(patch(
            EntityKind::Activity,
            cafe,
            "name",
            json!("Cafe"),
            stamp(10, device),
        )),
        pseudonym.clone(),
        // The same mutation again, inside the batch.
        pseudonym,
        mutation(patch(
            EntityKind::Participant,
            erased,
            "pseudonym",
            json!("Bjørn"),
            stamp(6, device),
        )),
        mutation(patch(
            EntityKind::Activity,
            cafe,
            "place",
            json!("Kælderen"),
            stamp(30, device),
        )),
    ];
    assert_eq!(
        coordinator.push(&batch).await,
        [
            Outcome::Applied,
            Outcome::Conflict { canonical: cafe },
            Outcome::Applied,
            Outcome::Duplicate { canonical: None },
            Outcome::Rejected {
                reason: RejectReason::Invalid {
                    problems: vec![spor_core::validation::Problem::ErasedWithPersonalData]
                }
            },
            Outcome::Applied,
        ]
    );
    let pulled = coordinator.reader(&server).await.pull_all(1000).await;
    let field_values = |entity: Uuid, field: &str| -> Vec<serde_json::Value> {
        pulled
            .iter()
            .filter_map(|change| match change {
                Change::Patch {
                    entity: patched,
                    fields,
                } if patched.id == entity => fields.get(field).map(|stamped| stamped.value.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(field_values(cafe, "name"), [json!("Torsdagscafé")]);
    assert_eq!(field_values(cafe, "place"), [json!("Kælderen")]);
    assert_eq!(field_values(kept, "pseudonym"), [json!("Åse")]);
    assert!(field_values(erased, "pseudonym").is_empty());
}

async fn pulls_page_through_everything_with_a_cursor(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let activity = ActivityId(Uuid::now_v7());
    let batch: Vec<Mutation> = (0..25).map(|_| mutation(headcount(activity, 1))).collect();
    phone.push(&batch).await;
    assert_eq!(phone.reader(&server).await.pull_all(7).await.len(), 25);
    let response = phone
        .request(reqwest::Method::GET, "/sync/pull?since=999999")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::GONE,
        "a cursor from another server"
    );
}

async fn erasing_a_participant_removes_the_name_from_the_server_and_every_later_pull(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let soren = ParticipantId(Uuid::now_v7());
    let cafe = ActivityId(Uuid::now_v7());
    let name = mutation(patch(
        EntityKind::Participant,
        soren.0,
        "pseudonym",
        json!("Søren K"),
        stamp(5, coordinator.device()),
    ));
    let linked = mutation(who5_response(cafe, Some(soren)));
    let came = mutation(check_in(soren, cafe, coordinator.device()));
    // A volunteer's story about him, naming him (he said yes), goes with him too.
    let story = |text: &str, wall_ms: u64| {
        let story = spor_core::story::Story {
            id: StoryId(Uuid::now_v7()),
            activity: cafe,
            date: today(),
            kind: spor_core::story::StoryKind::Quote,
            text: text.to_owned(),
            outcome: None,
            participant: Some(soren),
            usable_in_reports: false,
            written_at: Utc::now(),
            language: spor_core::Language::Da,
        };
        let entity = EntityRef {
            kind: EntityKind::Story,
            id: story.id.0,
        };
        mutation(Change::patch_of(
            entity,
            &story,
            stamp(wall_ms, coordinator.device()),
        ))
    };
    // Named only once he has said yes: the server checks it as the app does.
    let refused = coordinator.push(&[story("Søren smilede", 5)]).await;
    assert_eq!(
        refused,
        [Outcome::Rejected {
            reason: RejectReason::Invalid {
                problems: vec![Problem::NamedWithoutConsent]
            }
        }]
    );
    let yes = mutation(patch(
        EntityKind::Participant,
        soren.0,
        "consent",
        json!({"linked_surveys": true, "contact": false, "named_in_stories": true}),
        stamp(5, coordinator.device()),
    ));
    let told = story("Søren sagde: her bliver jeg set", 5);
    assert_eq!(
        coordinator.push(&[name, yes, linked, came, told]).await,
        [const { Outcome::Applied }; 5]
    );
    let erase = mutation(Change::EraseParticipant {
        participant: soren,
        stamp: stamp(6, coordinator.device()),
    });
    assert_eq!(coordinator.push(&[erase]).await, [Outcome::Applied]);

    let pulled = coordinator.reader(&server).await.pull_all(1000).await;
    let text = serde_json::to_string(&pulled).unwrap();
    assert!(!text.contains("Søren"), "{text}");
    assert!(
        pulled
            .iter()
            .any(|c| matches!(c, Change::SurveyResponse { response } if response.participant.is_none()))
    );
    assert!(
        pulled.iter().any(|c| matches!(c, Change::CheckIn { .. })),
        "attendance stays as counts"
    );
    // A phone that had not heard of the erasure cannot bring the name back.
    let late = mutation(patch(
        EntityKind::Participant,
        soren.0,
        "pseudonym",
        json!("Søren K"),
        stamp(9, coordinator.device()),
    ));
    assert!(matches!(
        &coordinator.push(&[late]).await[0],
        Outcome::Rejected { .. }
    ));
    let late_story = story("Søren kom igen", 9);
    assert_eq!(
        coordinator.push(&[late_story]).await,
        [Outcome::Rejected {
            reason: RejectReason::Invalid {
                problems: vec![Problem::ErasedWithPersonalData]
            }
        }]
    );
    assert!(
        !coordinator
            .reader(&server)
            .await
            .pull_all(1000)
            .await
            .iter()
            .any(|change| matches!(change, Change::Patch { entity, .. } if entity.kind == EntityKind::Story)),
        "no story about him is left"
    );
    server.storage.db.close().await;
    match &server.storage.location {
        // SQLite: not a byte of the name is left in the file or its write-ahead log.
        Location::SqliteDir(dir) => {
            let database = dir.join(spor_server::db::DATABASE_FILE);
            let wal = database.with_extension("sqlite3-wal");
            for file in [database, wal] {
                let bytes = std::fs::read(&file).unwrap_or_default();
                assert!(
                    !bytes.windows("Søren".len()).any(|w| w == "Søren".as_bytes()),
                    "the name is in {}",
                    file.display()
                );
            }
        }
        // PostgreSQL: no row of any table holds the name.
        Location::PostgresUrl(url) => {
            let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
                .await
                .unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(&mut connection)
            .await
            .unwrap();
            assert!(tables.contains(&"entity_fields".to_owned()), "{tables:?}");
            for table in tables {
                let holding: i64 = sqlx::query_scalar(&format!(
                    "SELECT count(*) FROM {table} AS stored WHERE stored::text LIKE '%Søren%'"
                ))
                .fetch_one(&mut connection)
                .await
                .unwrap();
                assert_eq!(holding, 0, "rows of {table} hold the name");
            }
        }
    }
}

async fn each_role_pushes_and_pulls_only_what_it_may(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let kiosk = coordinator.another(&server, DeviceRole::Kiosk).await;
    let cafe = ActivityId(Uuid::now_v7());
    let activity_name = mutation(patch(
        EntityKind::Activity,
        cafe.0,
        "name",
        json!("Café"),
        stamp(1, coordinator.device()),
    ));
    let answer = mutation(who5_response_by(cafe, None, kiosk.device()));
    let someone_elses = mutation(who5_response_by(cafe, None, coordinator.device()));
    let person = ParticipantId(Uuid::now_v7());
    coordinator
        .push(&[
            activity_name,
            mutation(check_in(person, cafe, coordinator.device())),
        ])
        .await;

    // The kiosk sends survey responses it recorded itself only.
    let outcomes = kiosk
        .push(&[
            answer.clone(),
            someone_elses,
            mutation(check_in(person, cafe, kiosk.device())),
            mutation(headcount(cafe, 1)),
        ])
        .await;
    assert_eq!(outcomes[0], Outcome::Applied);
    for refused in &outcomes[1..] {
        assert_eq!(
            *refused,
            Outcome::Rejected {
                reason: RejectReason::Forbidden
            }
        );
    }
    // ... and reads only activities (and templates).
    let kiosk_sees = kiosk.pull_all(1000).await;
    assert_eq!(kiosk_sees.len(), 1);
    assert!(matches!(kiosk_sees[0], Change::Patch { entity, .. } if entity.kind == EntityKind::Activity));

    // The volunteer never sees survey answers; the coordinator sees everything.
    let volunteer_sees = volunteer.pull_all(1000).await;
    assert!(
        !volunteer_sees
            .iter()
            .any(|c| matches!(c, Change::SurveyResponse { .. }))
    );
    assert_eq!(volunteer_sees.len(), 2);
    assert!(matches!(
        &coordinator.pull_all(1000).await[..],
        [Change::SurveyResponse { .. }]
    ));

    // Only coordinators manage devices.
    for phone in [&volunteer, &kiosk] {
        for (method, path) in [
            (reqwest::Method::GET, "/devices".to_owned()),
            (
                reqwest::Method::POST,
                format!("/devices/{}/revoke", coordinator.device()),
            ),
        ] {
            let response = phone.request(method, &path).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let response = phone
            .request(reqwest::Method::POST, "/pairing-codes")
            .json(&json!({"role": "coordinator"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

async fn one_organisation_never_reads_or_writes_anothers_data(backend: Backend) {
    let server = start(backend).await;
    let a = server.organisation("Forening A").await;
    let b = server.organisation("Forening B").await;
    let cafe = ActivityId(Uuid::now_v7());
    let record = mutation(check_in(ParticipantId(Uuid::now_v7()), cafe, a.device()));
    assert_eq!(a.push(std::slice::from_ref(&record)).await, [Outcome::Applied]);

    assert!(b.pull_all(1000).await.is_empty(), "B reads nothing of A's");
    // The same mutation id in B is B's own: it neither reveals nor touches A's record.
    assert_eq!(b.push(std::slice::from_ref(&record)).await, [Outcome::Applied]);
    assert_eq!(a.reader(&server).await.pull_all(1000).await.len(), 1);
    // A's devices are not B's to see or revoke.
    let devices: Vec<spor_core::protocol::DeviceInfo> = b
        .request(reqwest::Method::GET, "/devices")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(devices.iter().map(|d| d.id).collect::<Vec<_>>(), [b.device()]);
    assert!(
        b.pull_all(1000).await.is_empty(),
        "B's pull holds nothing of A's either"
    );
    let response = b
        .request(reqwest::Method::POST, &format!("/devices/{}/revoke", a.device()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        a.request(reqwest::Method::GET, "/devices")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

async fn pairing_codes_work_once_and_revoked_devices_are_told_so(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let code = coordinator.code_for(DeviceRole::Volunteer).await;
    assert!(code.link.starts_with(&server.url) && code.link.ends_with(&code.code));
    let volunteer = server.phone(&code.code.to_lowercase()).await;
    assert_eq!(volunteer.paired.role, DeviceRole::Volunteer);
    assert_eq!(volunteer.paired.organisation_name, "Café Nord");

    let replayed = pair(&server, &code.code).await;
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = replayed.json().await.unwrap();
    assert_eq!(body["error"], "invalid_pairing_code");

    let response = coordinator
        .request(
            reqwest::Method::POST,
            &format!("/devices/{}/revoke", volunteer.device()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let refused = volunteer
        .push_raw(&[mutation(headcount(ActivityId(Uuid::now_v7()), 1))])
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "device_revoked");

    // A forged token: the right device id with another secret.
    let forged = Phone {
        token: format!("{}.{}", coordinator.device().0, "A".repeat(43)),
        ..coordinator.clone()
    };
    assert_eq!(
        forged
            .request(reqwest::Method::GET, "/sync/pull")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let anonymous = client()
        .get(format!("{}/api/v1/sync/pull", server.url))
        .header(PROTOCOL_HEADER, "1")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn old_protocols_big_batches_and_floods_get_their_own_answers(backend: Backend) {
    let server = start_with(
        backend,
        RateLimit {
            burst: 5,
            per_second: 0.5,
        },
    )
    .await;
    let phone = server.organisation("Café Nord").await;

    let old = phone
        .http
        .get(format!("{}/api/v1/sync/pull", phone.url))
        .header(PROTOCOL_HEADER, "0")
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UPGRADE_REQUIRED);

    let too_many: Vec<Mutation> = (0..MAX_PUSH_BATCH + 1)
        .map(|_| mutation(headcount(ActivityId(Uuid::now_v7()), 1)))
        .collect();
    let response = phone.push_raw(&too_many).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&MAX_PUSH_BATCH.to_string())
    );

    let huge = "x".repeat(spor_server::api::MAX_BODY_BYTES + 1);
    let response = phone
        .request(reqwest::Method::POST, "/sync/push")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let mut limited = None;
    for _ in 0..10 {
        let response = phone
            .request(reqwest::Method::GET, "/sync/pull")
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("the flood is limited");
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
}

async fn malformed_requests_get_json_errors_and_change_nothing(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let activity = ActivityId(Uuid::now_v7());
    phone.push(&[mutation(headcount(activity, 1))]).await;
    let bodies: [&[u8]; 6] = [
        b"{",
        b"[]",
        br#"{"mutations": "all"}"#,
        br#"{"mutations": [], "drop": true}"#,
        br#"{"mutations": [{"id": "x", "change": {"type": "drop_table"}}]}"#,
        b"\xff\xfe{}",
    ];
    for body in bodies {
        let response = phone
            .request(reqwest::Method::POST, "/sync/push")
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_client_error(),
            "{:?}: {}",
            String::from_utf8_lossy(body),
            response.status()
        );
        let error: spor_core::protocol::ApiError = response.json().await.unwrap();
        assert!(!error.message.is_empty());
    }
    let response = phone
        .request(reqwest::Method::GET, "/sync/pull?since=-4")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        phone.reader(&server).await.pull_all(1000).await.len(),
        1,
        "nothing changed"
    );
}

/// Checks `instance` against the named schema of the OpenAPI document.
fn conforms(document: &serde_json::Value, schema: &str, instance: &serde_json::Value) {
    let root = json!({
        "$ref": format!("#/components/schemas/{schema}"),
        "components": document["components"],
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| error.to_string())
        .collect();
    assert!(errors.is_empty(), "{schema}: {errors:?}\n{instance}");
}

async fn the_openapi_document_describes_every_route_and_what_it_really_answers(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let document: serde_json::Value = client()
        .get(format!("{}/api/v1/openapi.json", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));

    // Every documented operation is routed (the router's fallbacks answer 404 and 405).
    let paths = document["paths"].as_object().unwrap();
    let mut operations = Vec::new();
    for (path, methods) in paths {
        for method in methods.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
            let concrete = path.replace("{id}", &coordinator.device().0.to_string());
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = coordinator
                .http
                .request(method, format!("{}{concrete}", server.url))
                .header(PROTOCOL_HEADER, "1")
                .bearer_auth(&coordinator.token)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            // A handler may answer 404 for a resource it does not hold, never with the fallback's code.
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED && body["error"] != "not_found",
                "{concrete}: {status} {body}"
            );
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "GET /api/v1/aggregates",
            "GET /api/v1/devices",
            "GET /api/v1/health",
            "GET /api/v1/pairing-codes",
            "GET /api/v1/sync/pull",
            "POST /api/v1/aggregates",
            "POST /api/v1/devices/{id}/revoke",
            "POST /api/v1/pair",
            "POST /api/v1/pairing-codes",
            "POST /api/v1/pairing-codes/{id}/cancel",
            "POST /api/v1/sync/push",
        ]
    );

    // Real answers conform to their documented schemas.
    let activity = ActivityId(Uuid::now_v7());
    let batch = [
        mutation(check_in(
            ParticipantId(Uuid::now_v7()),
            activity,
            coordinator.device(),
        )),
        mutation(headcount(activity, 1)),
        mutation(patch(
            EntityKind::Activity,
            activity.0,
            "name",
            json!("Café"),
            stamp(3, coordinator.device()),
        )),
        mutation(who5_response(activity, None)),
    ];
    conforms(
        &document,
        "PushRequest",
        &serde_json::to_value(PushRequest {
            mutations: batch.to_vec(),
        })
        .unwrap(),
    );
    let pushed: serde_json::Value = coordinator.push_raw(&batch).await.json().await.unwrap();
    conforms(&document, "PushResponse", &pushed);
    let pulled: serde_json::Value = coordinator
        .request(reqwest::Method::GET, "/sync/pull")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    conforms(&document, "PullResponse", &pulled);
    let code: serde_json::Value = coordinator
        .request(reqwest::Method::POST, "/pairing-codes")
        .json(&json!({"role": "kiosk"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    conforms(&document, "PairingCodeResponse", &code);
    let paired: serde_json::Value = pair(&server, code["code"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    conforms(&document, "PairResponse", &paired);
    let devices: serde_json::Value = coordinator
        .request(reqwest::Method::GET, "/devices")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for device in devices.as_array().unwrap() {
        conforms(&document, "DeviceInfo", device);
    }
    let refused: serde_json::Value = pair(&server, "0000-0000").await.json().await.unwrap();
    conforms(&document, "ApiError", &refused);
    // And the schema is strict enough to catch a wrong answer.
    let root = json!({"$ref": "#/components/schemas/PushResponse", "components": document["components"]});
    let validator = jsonschema::validator_for(&root).unwrap();
    assert!(!validator.is_valid(&json!({"results": [{"id": "x", "outcome": {"status": "maybe"}}]})));

    // What the server refuses, the document refuses too: a patch of a field its kind does not
    // have, a headcount of 9, a stamp past what a clock can say, a change with a member of its own.
    let root = json!({"$ref": "#/components/schemas/PushRequest", "components": document["components"]});
    let request_schema = jsonschema::validator_for(&root).unwrap();
    let body = |change: Change| {
        serde_json::to_value(PushRequest {
            mutations: vec![mutation(change)],
        })
        .unwrap()
    };
    let nickname = body(patch(
        EntityKind::Participant,
        Uuid::now_v7(),
        "nickname",
        json!("Bo"),
        stamp(3, coordinator.device()),
    ));
    let nine = body(headcount(activity, 9));
    let mut far_ahead = body(patch(
        EntityKind::Activity,
        activity.0,
        "name",
        json!("Café"),
        stamp(3, coordinator.device()),
    ));
    far_ahead["mutations"][0]["change"]["fields"]["name"]["stamp"]["wall_ms"] = json!(1u64 << 60);
    let mut extra_member = body(headcount(activity, 1));
    extra_member["mutations"][0]["change"]["note"] = json!("hi");
    for (refused, what) in [
        (&nickname, "an unknown field"),
        (&nine, "a headcount of 9"),
        (&far_ahead, "a stamp past 2^53"),
        (&extra_member, "an unknown member"),
    ] {
        assert!(
            !request_schema.is_valid(refused),
            "the document lets {what} through"
        );
        let answer = coordinator
            .request(reqwest::Method::POST, "/sync/push")
            .json(refused)
            .send()
            .await
            .unwrap();
        let refused_by_server = if answer.status() == StatusCode::OK {
            let answer: PushResponse = answer.json().await.unwrap();
            matches!(answer.results[0].outcome, Outcome::Rejected { .. })
        } else {
            answer.status() == StatusCode::UNPROCESSABLE_ENTITY
        };
        assert!(refused_by_server, "the server takes {what}");
    }
}

async fn answers_to_a_custom_template_are_checked_against_the_version_they_name(backend: Backend) {
    use spor_core::language::Texts;
    use spor_core::survey::{Question, QuestionId, QuestionKind, SurveyTemplate};

    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let template = SurveyTemplate::custom(
        Texts::new("Efter caféen", "After the café"),
        vec![Question {
            id: QuestionId::new("q1"),
            text: Texts::new("Hvordan var i dag?", "How was today?"),
            kind: QuestionKind::Smiley,
            required: true,
        }],
    );
    let answer = |value: u8, version: u32| {
        let Change::SurveyResponse { mut response } = who5_response(ActivityId(Uuid::now_v7()), None) else {
            unreachable!()
        };
        response.template = template.id;
        response.template_version = version;
        response.answers = [(QuestionId::new("q1"), Answer::Smiley(value))].into();
        mutation(Change::SurveyResponse { response })
    };
    // Before the template reached the server: unknown.
    assert!(matches!(
        &phone.push(&[answer(4, 1)]).await[0],
        Outcome::Rejected {
            reason: RejectReason::UnknownReference { .. }
        }
    ));
    let version = mutation(patch(
        EntityKind::Template,
        template.id.0,
        "v1",
        serde_json::to_value(&template).unwrap(),
        stamp(1, phone.device()),
    ));
    let outcomes = phone
        .push(&[version, answer(4, 1), answer(9, 1), answer(4, 2)])
        .await;
    assert_eq!(outcomes[0], Outcome::Applied);
    assert_eq!(outcomes[1], Outcome::Applied);
    assert!(matches!(
        &outcomes[2],
        Outcome::Rejected { reason: RejectReason::Invalid { problems } }
            if matches!(problems[..], [spor_core::validation::Problem::AnswerOutOfScale { value: 9, .. }])
    ));
    assert!(matches!(
        &outcomes[3],
        Outcome::Rejected {
            reason: RejectReason::UnknownReference { .. }
        }
    ));
}

async fn a_batch_of_check_ins_with_duplicates_inside_and_before_it_keeps_one_per_person(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let cafe = ActivityId(Uuid::now_v7());
    let (soren, aase, ali) = (
        ParticipantId(Uuid::now_v7()),
        ParticipantId(Uuid::now_v7()),
        ParticipantId(Uuid::now_v7()),
    );
    let earlier = mutation(check_in(ali, cafe, phone.device()));
    assert_eq!(
        phone.push(std::slice::from_ref(&earlier)).await,
        [Outcome::Applied]
    );
    let id_of = |mutation: &Mutation| match &mutation.change {
        Change::CheckIn { attendance } => attendance.id.0,
        _ => unreachable!(),
    };
    let aase_came = mutation(check_in(aase, cafe, phone.device()));
    // The same record queued twice under two mutation ids (a backup imported twice).
    let aase_again = Mutation {
        id: MutationId(Uuid::now_v7()),
        ..aase_came.clone()
    };
    let batch = [
        mutation(check_in(soren, cafe, phone.device())),
        aase_came.clone(),
        mutation(check_in(soren, cafe, phone.device())),
        mutation(check_in(ali, cafe, phone.device())),
        // The very same mutation again.
        aase_came,
        aase_again,
    ];
    assert_eq!(
        phone.push(&batch).await,
        [
            Outcome::Applied,
            Outcome::Applied,
            Outcome::Duplicate {
                canonical: Some(id_of(&batch[0]))
            },
            Outcome::Duplicate {
                canonical: Some(id_of(&earlier))
            },
            Outcome::Duplicate { canonical: None },
            Outcome::Duplicate {
                canonical: Some(id_of(&batch[1]))
            },
        ]
    );
    let held = phone.reader(&server).await.pull_all(1000).await;
    assert_eq!(held.len(), 3, "Ali, Søren and Åse once each");
    assert_eq!(
        held.iter()
            .map(|change| match change {
                Change::CheckIn { attendance } => attendance.id.0,
                _ => unreachable!(),
            })
            .collect::<Vec<_>>(),
        [id_of(&earlier), id_of(&batch[0]), id_of(&batch[1])],
        "in the order they were pushed"
    );
}

async fn a_device_whose_clock_runs_days_ahead_keeps_every_record(backend: Backend) {
    let server = start(backend).await;
    let phone = server.organisation("Café Nord").await;
    let cafe = ActivityId(Uuid::now_v7());
    // The phone's clock says three days from now: its records carry its date and its time.
    let device_now = Utc::now() + chrono::Days::new(3);
    let device_today = device_now.date_naive();
    let mut changes = [
        check_in(ParticipantId(Uuid::now_v7()), cafe, phone.device()),
        headcount(cafe, 1),
        who5_response(cafe, None),
    ];
    for change in &mut changes {
        let (date, recorded_at) = match change {
            Change::CheckIn { attendance } => (&mut attendance.date, &mut attendance.recorded_at),
            Change::Headcount { event } => (&mut event.date, &mut event.recorded_at),
            Change::SurveyResponse { response } => (&mut response.date, &mut response.recorded_at),
            _ => unreachable!(),
        };
        *date = device_today;
        *recorded_at = device_now;
    }
    let mutations = changes.map(mutation);
    let before_push = Utc::now();
    assert_eq!(phone.push(&mutations).await, vec![Outcome::Applied; 3]);
    let after_push = Utc::now();

    // Nothing was changed to suit the server's clock; the server keeps its own receive time beside.
    let pulled = phone.reader(&server).await.pull_all(100).await;
    assert_eq!(pulled, mutations.map(|mutation| mutation.change));
    let received = received_times(&server.storage).await;
    assert_eq!(received.len(), 3);
    for time in received {
        assert!(
            before_push - chrono::Duration::seconds(1) <= time && time <= after_push,
            "{time}"
        );
    }
}

/// Every status a route really answers (errors included) is documented for its operation.
async fn every_status_a_route_answers_is_in_the_openapi_document(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let other = coordinator.another(&server, DeviceRole::Kiosk).await;
    let document: serde_json::Value = client()
        .get(format!("{}/api/v1/openapi.json", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let http = client();
    let url = |path: &str| format!("{}/api/v1{path}", server.url);
    let revoke_other = format!("/devices/{}/revoke", other.device().0);
    let revoke_unknown = format!("/devices/{}/revoke", Uuid::now_v7());
    let revoke_self = format!("/devices/{}/revoke", coordinator.device().0);
    let too_large = vec![b' '; spor_server::api::MAX_BODY_BYTES + 1];
    let too_many: Vec<Mutation> = (0..=MAX_PUSH_BATCH)
        .map(|_| mutation(headcount(ActivityId(Uuid::now_v7()), 1)))
        .collect();
    // (operation as documented, request): one request for each answer a route gives.
    let mut requests: Vec<(&str, &str, reqwest::RequestBuilder)> = Vec::new();
    let authed = [
        ("post", "/pairing-codes", "/pairing-codes"),
        ("get", "/devices", "/devices"),
        ("post", "/devices/{id}/revoke", revoke_unknown.as_str()),
        ("post", "/sync/push", "/sync/push"),
        ("get", "/sync/pull", "/sync/pull"),
    ];
    for (method, operation, path) in authed {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let bare = || http.request(method.clone(), url(path));
        requests.push((
            operation,
            "missing protocol",
            bare().bearer_auth(&coordinator.token),
        ));
        requests.push((
            operation,
            "old protocol",
            bare()
                .header(PROTOCOL_HEADER, "0")
                .bearer_auth(&coordinator.token),
        ));
        requests.push((operation, "no token", bare().header(PROTOCOL_HEADER, "1")));
        requests.push((operation, "volunteer", volunteer.request(method.clone(), path)));
    }
    for (operation, path) in [
        ("/pairing-codes", "/pairing-codes"),
        ("/sync/push", "/sync/push"),
        ("/pair", "/pair"),
    ] {
        let post = || coordinator.request(reqwest::Method::POST, path);
        requests.push((
            operation,
            "not json",
            post().header("content-type", "text/plain").body("{}"),
        ));
        requests.push((operation, "wrong shape", post().json(&json!({"unknown": 1}))));
        requests.push((
            operation,
            "malformed",
            post().header("content-type", "application/json").body("{"),
        ));
        requests.push((
            operation,
            "too large",
            post()
                .header("content-type", "application/json")
                .body(too_large.clone()),
        ));
    }
    requests.extend([
        (
            "/pairing-codes",
            "ok",
            coordinator
                .request(reqwest::Method::POST, "/pairing-codes")
                .json(&json!({"role": "kiosk"})),
        ),
        (
            "/devices",
            "ok",
            coordinator.request(reqwest::Method::GET, "/devices"),
        ),
        (
            "/devices/{id}/revoke",
            "self",
            coordinator.request(reqwest::Method::POST, &revoke_self),
        ),
        (
            "/devices/{id}/revoke",
            "ok",
            coordinator.request(reqwest::Method::POST, &revoke_other),
        ),
        (
            "/sync/push",
            "too many",
            coordinator
                .request(reqwest::Method::POST, "/sync/push")
                .json(&PushRequest { mutations: too_many }),
        ),
        (
            "/sync/pull",
            "ok",
            coordinator.request(reqwest::Method::GET, "/sync/pull"),
        ),
        (
            "/sync/pull",
            "bad query",
            coordinator.request(reqwest::Method::GET, "/sync/pull?since=x"),
        ),
        (
            "/sync/pull",
            "gone cursor",
            coordinator.request(reqwest::Method::GET, "/sync/pull?since=99999999"),
        ),
        (
            "/pair",
            "bad code",
            http.post(url("/pair"))
                .header(PROTOCOL_HEADER, "1")
                .json(&json!({"code": "0000-0000"})),
        ),
        (
            "/pair",
            "old protocol",
            http.post(url("/pair"))
                .header(PROTOCOL_HEADER, "0")
                .json(&json!({"code": "0000-0000"})),
        ),
        ("/health", "ok", http.get(url("/health"))),
    ]);
    let mut answered = std::collections::BTreeSet::new();
    for (operation, what, request) in requests {
        let status = request.send().await.unwrap().status().as_u16();
        answered.insert((operation, status));
        let method = if ["/devices", "/sync/pull", "/health"].contains(&operation) {
            "get"
        } else {
            "post"
        };
        let documented = &document["paths"][format!("/api/v1{operation}")][method]["responses"];
        assert!(
            documented.get(status.to_string()).is_some(),
            "{method} {operation} ({what}) answered {status}, which its document does not list: {documented}"
        );
    }
    // Floods: every route answers 429 at its limit, and says so.
    let flooded = start_with(
        backend,
        RateLimit {
            burst: 2,
            per_second: 0.001,
        },
    )
    .await;
    let phone = flooded.organisation("Café Syd").await;
    for (method, operation) in [
        ("get", "/health"),
        ("post", "/pair"),
        ("get", "/devices"),
        ("post", "/pairing-codes"),
        ("post", "/devices/{id}/revoke"),
        ("post", "/sync/push"),
        ("get", "/sync/pull"),
    ] {
        let path = operation.replace("{id}", &Uuid::now_v7().to_string());
        let mut last = 0;
        for _ in 0..4 {
            let request = phone
                .request(
                    reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &path,
                )
                .json(&json!({}));
            last = request.send().await.unwrap().status().as_u16();
        }
        assert_eq!(last, 429, "{operation}");
        assert!(
            document["paths"][format!("/api/v1{operation}")][method]["responses"]
                .get("429")
                .is_some(),
            "{operation} does not document 429"
        );
    }
    assert!(answered.len() > 25, "{answered:?}");
}

/// spor-core's reference scenarios through the real server, with fixed seeds: three coordinators'
/// phones push what they made, each change by its maker, in a delivery order with repeats and
/// retried drops. A fourth phone pulls everything; what it pulls, decided by a model replica, is
/// the state the model's own server replica reaches from another order, and no erased
/// participant's name is pulled.
async fn the_reference_scenarios_end_the_same_through_the_real_server(backend: Backend) {
    use spor_core::rules::model::{self, Made, Replica};
    let (mut erased, mut merges, mut named, mut attended) = (0, 0, 0, 0);
    for seed in 11..21u64 {
        let server = start(backend).await;
        let coordinator = server.organisation("Café Nord").await;
        let mut phones = vec![coordinator.clone()];
        for _ in 1..model::DEVICES {
            phones.push(coordinator.another(&server, DeviceRole::Coordinator).await);
        }
        let made = Made::draw(40, seed);
        let changes = model::changes(&made);
        let mutations: Vec<Mutation> = changes
            .iter()
            .enumerate()
            .map(|(index, change)| Mutation {
                id: MutationId(Uuid::from_u128(u128::from(seed) << 64 | index as u128)),
                change: change.clone(),
            })
            .collect();
        for index in model::delivery(mutations.len(), seed) {
            let maker = &phones[index % phones.len()];
            maker.push(std::slice::from_ref(&mutations[index])).await;
        }

        // The order the server took the changes in: which of two merges of one person stands
        // depends on it (everything else would end the same in any order).
        let mut expected = Replica::default();
        for index in model::delivery(changes.len(), seed) {
            expected.receive(&changes[index], Some(DeviceRole::Coordinator));
        }
        let expected = expected.view();
        let pulled = coordinator.reader(&server).await.pull_all(1000).await;
        let mut phone = Replica::default();
        for change in &pulled {
            phone.receive(change, None);
        }
        assert_eq!(phone.view(), expected, "seed {seed}");
        erased += expected.erased.len();
        merges += pulled
            .iter()
            .filter(|change| matches!(change, Change::MergeParticipants { .. }))
            .count();
        named += expected.fields.len();
        attended += expected.attendance.len();
        for erased in &expected.erased {
            assert!(
                !pulled.iter().any(|change| matches!(
                    change,
                    Change::Patch { entity, .. } if entity.kind == EntityKind::Participant && entity.id == erased.0
                )),
                "seed {seed}: a patch of the erased {erased:?} is still pulled"
            );
        }
    }
    // The seeds make scenarios with something of each kind to decide.
    assert!(
        erased > 0 && merges > 0 && named > 0 && attended > 0,
        "erased {erased}, merges {merges}, fields {named}, attendances {attended}"
    );
}

/// A lost coordinator's phone: once it is revoked, no code it made pairs, used or not.
async fn codes_made_by_a_revoked_device_do_not_pair(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let lost = coordinator.another(&server, DeviceRole::Coordinator).await;
    let made_before = lost.code_for(DeviceRole::Volunteer).await.code;
    let revoked = coordinator
        .request(
            reqwest::Method::POST,
            &format!("/devices/{}/revoke", lost.device().0),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    let answer = pair(&server, &made_before).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    // The coordinator who revoked it still makes codes that pair.
    let code = coordinator.code_for(DeviceRole::Volunteer).await.code;
    assert_eq!(pair(&server, &code).await.status(), StatusCode::OK);
}

/// A coordinator sees the codes that could still pair (never the codes themselves) and cancels
/// one, which then pairs nobody; other roles see none.
async fn a_coordinator_lists_open_codes_and_cancels_one(backend: Backend) {
    use spor_core::protocol::OpenPairingCode;

    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let for_kiosk = coordinator.code_for(DeviceRole::Kiosk).await;
    let for_volunteer = coordinator.code_for(DeviceRole::Volunteer).await;
    let open = |phone: &Phone| phone.request(reqwest::Method::GET, "/pairing-codes").send();

    let listed: Vec<OpenPairingCode> = open(&coordinator).await.unwrap().json().await.unwrap();
    let roles: Vec<DeviceRole> = listed.iter().map(|code| code.role).collect();
    assert_eq!(roles.len(), 2, "{listed:?}");
    assert!(roles.contains(&DeviceRole::Kiosk) && roles.contains(&DeviceRole::Volunteer));
    let text = serde_json::to_string(&listed).unwrap();
    assert!(
        !text.contains(&for_kiosk.code) && !text.contains(&for_volunteer.code),
        "{text}"
    );
    assert_eq!(open(&volunteer).await.unwrap().status(), StatusCode::FORBIDDEN);

    let kiosk_code = listed.iter().find(|code| code.role == DeviceRole::Kiosk).unwrap();
    let cancelled = coordinator
        .request(
            reqwest::Method::POST,
            &format!("/pairing-codes/{}/cancel", kiosk_code.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    let after: Vec<OpenPairingCode> = cancelled.json().await.unwrap();
    assert_eq!(
        after.iter().map(|code| code.role).collect::<Vec<_>>(),
        [DeviceRole::Volunteer]
    );
    assert_eq!(
        pair(&server, &for_kiosk.code).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(pair(&server, &for_volunteer.code).await.status(), StatusCode::OK);
    let again = coordinator
        .request(
            reqwest::Method::POST,
            &format!("/pairing-codes/{}/cancel", kiosk_code.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let none: Vec<OpenPairingCode> = open(&coordinator).await.unwrap().json().await.unwrap();
    assert!(none.is_empty(), "a used code is not open: {none:?}");
}

/// A copy of the database does not give codes away: used and expired codes are gone, and the open
/// one is kept only as a hash with a salt of its own.
async fn pairing_codes_are_kept_salted_and_only_while_open(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let used = coordinator.code_for(DeviceRole::Volunteer).await.code;
    assert_eq!(pair(&server, &used).await.status(), StatusCode::OK);
    let (expired, stored) = spor_server::auth::issue_pairing_code(
        server.storage.db.organisations().await.unwrap()[0].0,
        DeviceRole::Volunteer,
        Utc::now() - chrono::TimeDelta::minutes(1),
        None,
    );
    server.storage.db.add_pairing_code(stored).await.unwrap();
    let open = coordinator.code_for(DeviceRole::Kiosk).await.code;

    assert_eq!(
        pair(&server, &used).await.status(),
        StatusCode::BAD_REQUEST,
        "a code pairs once"
    );
    assert_eq!(pair(&server, &expired).await.status(), StatusCode::BAD_REQUEST);
    let mut database = database(&server.storage).await;
    let kept: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM pairing_codes")
        .fetch_all(&mut database)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "only the open code is kept");
    let plain = spor_server::auth::hash(open.replace('-', "").as_bytes());
    assert_ne!(kept[0], plain, "the open code is not kept as its plain hash");
    assert_eq!(pair(&server, &open).await.status(), StatusCode::OK);
}

/// Pairing attempts, unknown tokens and health checks are limited per client address: one client's
/// guessing slows that client alone.
async fn requests_without_a_device_are_limited_per_client_address(backend: Backend) {
    let server = start_with(
        backend,
        RateLimit {
            burst: 3,
            per_second: 0.001,
        },
    )
    .await;
    let coordinator = server.organisation("Café Nord").await;
    let code = coordinator.code_for(DeviceRole::Volunteer).await.code;
    let http = client();
    let from = |address: &str, request: reqwest::RequestBuilder| {
        request
            .header(PROTOCOL_HEADER, "1")
            .header("x-forwarded-for", address)
    };
    let guess = |address: &'static str| {
        from(address, http.post(format!("{}/api/v1/pair", server.url))).json(&json!({"code": "0000-0000"}))
    };
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(guess("203.0.113.5").send().await.unwrap().status());
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let health = from("203.0.113.5", http.get(format!("{}/api/v1/health", server.url)));
    assert_eq!(
        health.send().await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // Another client pairs as if nothing happened.
    let other = from("198.51.100.7", http.post(format!("{}/api/v1/pair", server.url)))
        .json(&json!({"code": code, "device_name": "Telefon"}));
    assert_eq!(other.send().await.unwrap().status(), StatusCode::OK);

    // Unknown tokens count against their address too.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let unknown = from(
            "203.0.113.9",
            http.get(format!("{}/api/v1/sync/pull", server.url)),
        )
        .bearer_auth(format!("{}.not-a-secret", Uuid::now_v7()));
        statuses.push(unknown.send().await.unwrap().status());
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // The paired device, from the same address as the guesser, is not held up by it.
    let synced = from(
        "203.0.113.9",
        coordinator.request(reqwest::Method::GET, "/sync/pull"),
    );
    assert_eq!(synced.send().await.unwrap().status(), StatusCode::OK);
}

/// While one organisation's device floods push and pull far past its limit, another organisation's
/// sync answers every request.
async fn one_devices_flood_does_not_stall_another_organisations_sync(backend: Backend) {
    let server = start(backend).await;
    let flooder = server.organisation("Café Nord").await;
    let other = server.organisation("Café Syd").await;
    let cafe = ActivityId(Uuid::now_v7());
    let flood: Vec<_> = (0..400)
        .map(|index| {
            let flooder = flooder.clone();
            tokio::spawn(async move {
                if index % 2 == 0 {
                    flooder.request(reqwest::Method::GET, "/sync/pull").send().await
                } else {
                    flooder.push_raw(&[mutation(headcount(cafe, 1))]).await;
                    flooder.request(reqwest::Method::GET, "/health").send().await
                }
            })
        })
        .collect();
    for _ in 0..20 {
        let pushed = other.push(&[mutation(headcount(cafe, 1))]).await;
        assert_eq!(pushed, [Outcome::Applied]);
        let pulled = other
            .request(reqwest::Method::GET, "/sync/pull")
            .send()
            .await
            .unwrap();
        assert_eq!(pulled.status(), StatusCode::OK);
    }
    let mut limited = 0;
    for request in flood {
        if let Ok(Ok(response)) = request.await {
            limited += usize::from(response.status() == StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert!(limited > 0, "the flood reached its limit");
}

/// A client that never finishes its request's headers is disconnected, not waited for.
async fn a_client_that_never_finishes_its_headers_is_disconnected(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start(backend).await;
    let address = server.url.trim_start_matches("http://");
    let mut connection = tokio::net::TcpStream::connect(address).await.unwrap();
    connection
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: spor\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        spor_server::HEADER_READ_TIMEOUT * 3,
        connection.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the connection is still open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

/// The changes a review sent from a paired volunteer's phone (and a kiosk's), all once answered
/// `applied`: each is refused with its reason, and nothing of them is stored or pulled.
async fn hostile_changes_are_refused_with_their_reason_and_nothing_is_stored(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let kiosk = coordinator.another(&server, DeviceRole::Kiosk).await;
    let now_ms = Utc::now().timestamp_millis() as u64;
    let person = Uuid::now_v7();
    let field = |name: &str, value: serde_json::Value, wall_ms: u64| {
        mutation(patch(
            EntityKind::Participant,
            person,
            name,
            value,
            stamp(wall_ms, volunteer.device()),
        ))
    };
    let invalid = |outcome: &Outcome| match outcome {
        Outcome::Rejected {
            reason: RejectReason::Invalid { problems },
        } => problems.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };

    let megabyte = field("pseudonym", json!("x".repeat(1024 * 1024)), now_ms);
    let problems = invalid(&volunteer.push(&[megabyte]).await[0]);
    assert!(
        matches!(problems[..], [spor_core::validation::Problem::TooLarge { .. }]),
        "{problems:?}"
    );

    let array: Vec<u32> = (0..200_000).collect();
    let unknown = field("notes", json!(array), now_ms);
    let problems = invalid(&volunteer.push(&[unknown]).await[0]);
    assert!(
        matches!(problems[..], [spor_core::validation::Problem::TooLarge { .. }]),
        "{problems:?}"
    );

    let outcomes = volunteer
        .push(&[
            field("notes", json!("hej"), now_ms),
            field("id", json!(Uuid::now_v7()), now_ms),
        ])
        .await;
    assert_eq!(
        invalid(&outcomes[0]),
        [spor_core::validation::Problem::UnknownField { name: "notes".into() }]
    );
    assert_eq!(
        invalid(&outcomes[1]),
        [spor_core::validation::Problem::ReservedField { name: "id".into() }]
    );

    let a_year_ahead = now_ms + 365 * 24 * 60 * 60 * 1000;
    let outcomes = volunteer
        .push(&[field("pseudonym", json!("Bo"), a_year_ahead)])
        .await;
    assert!(
        matches!(&outcomes[0], Outcome::Rejected { reason: RejectReason::ClockAhead { latest_ms } } if *latest_ms < a_year_ahead),
        "{outcomes:?}"
    );

    let template = spor_core::survey::SurveyTemplate::custom(
        spor_core::Texts::new("Dagens spørgsmål", "Today's questions"),
        Instrument::Who5.template().questions.clone(),
    );
    let version = mutation(patch(
        EntityKind::Template,
        template.id.0,
        "v1",
        serde_json::to_value(&template).unwrap(),
        stamp(now_ms, volunteer.device()),
    ));
    assert_eq!(
        volunteer.push(&[version]).await,
        [Outcome::Rejected {
            reason: RejectReason::Forbidden
        }]
    );
    let linked = mutation(who5_response_by(
        ActivityId(Uuid::now_v7()),
        Some(ParticipantId(person)),
        kiosk.device(),
    ));
    assert_eq!(
        kiosk.push(&[linked]).await,
        [Outcome::Rejected {
            reason: RejectReason::Forbidden
        }]
    );

    assert_eq!(
        coordinator.reader(&server).await.pull_all(1000).await,
        Vec::<Change>::new(),
        "nothing refused was stored"
    );
}

/// A volunteer's log of a session reaches the coordinator; a log under another session's id, more
/// hours than its volunteers have, or a log from a kiosk is refused and nothing of it is kept.
async fn a_session_log_reaches_the_coordinator_and_a_harmful_one_is_refused(backend: Backend) {
    use spor_core::activity::Occurrence;
    use spor_core::session_log::SessionLog;
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let kiosk = coordinator.another(&server, DeviceRole::Kiosk).await;
    let now_ms = Utc::now().timestamp_millis() as u64;
    let occurrence = Occurrence {
        activity: ActivityId(Uuid::now_v7()),
        date: today(),
    };
    let log = SessionLog {
        id: SessionLogId::of(occurrence),
        activity: occurrence.activity,
        date: occurrence.date,
        volunteers: 3,
        volunteer_minutes: 450,
        cancelled: None,
    };
    let sent = |log: &SessionLog, by: DeviceId| {
        let entity = EntityRef {
            kind: EntityKind::SessionLog,
            id: log.id.0,
        };
        mutation(Change::patch_of(entity, log, stamp(now_ms, by)))
    };
    let refused_for = |outcome: &Outcome| match outcome {
        Outcome::Rejected {
            reason: RejectReason::Invalid { problems },
        } => problems.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };

    let elsewhere = SessionLog {
        date: today() - chrono::Days::new(7),
        ..log.clone()
    };
    let too_long = SessionLog {
        id: SessionLogId::of(Occurrence {
            activity: occurrence.activity,
            date: today() - chrono::Days::new(14),
        }),
        date: today() - chrono::Days::new(14),
        volunteer_minutes: 3 * 24 * 60 + 1,
        ..log.clone()
    };
    let outcomes = volunteer
        .push(&[
            sent(&elsewhere, volunteer.device()),
            sent(&too_long, volunteer.device()),
        ])
        .await;
    assert_eq!(refused_for(&outcomes[0]), [Problem::NotTheSessionsLog]);
    assert_eq!(
        refused_for(&outcomes[1]),
        [Problem::TooManyVolunteerHours {
            volunteers: 3,
            max_hours: 72
        }]
    );
    assert_eq!(
        kiosk.push(&[sent(&log, kiosk.device())]).await,
        [Outcome::Rejected {
            reason: RejectReason::Forbidden
        }]
    );
    assert_eq!(
        coordinator.reader(&server).await.pull_all(1000).await,
        Vec::<Change>::new(),
        "nothing refused was stored"
    );

    assert_eq!(
        volunteer.push(&[sent(&log, volunteer.device())]).await,
        [Outcome::Applied]
    );
    let pulled = coordinator.reader(&server).await.pull_all(1000).await;
    let [Change::Patch { entity, fields }] = &pulled[..] else {
        panic!("one patch, got {pulled:?}");
    };
    assert_eq!(entity.id, log.id.0);
    assert_eq!(fields["volunteer_minutes"].value, json!(450));
    assert_eq!(fields["cancelled"].value, serde_json::Value::Null);
}

/// A theory that follows an umbrella's standard keeps its core outcomes and the standard whatever
/// a synced patch says (an old app, or a hand-made request): the server holds the patch against
/// what it stores, earlier patches of the same push included. Outcomes of the member's own go in.
async fn a_theory_that_follows_a_standard_keeps_its_core_whatever_a_patch_says(backend: Backend) {
    use spor_core::package::Standard;
    use spor_core::theory::{Outcome as TheoryOutcome, Term, TheoryOfChange};
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let device = coordinator.device();
    let outcome = |term, text: &str| TheoryOutcome {
        id: OutcomeId(Uuid::now_v7()),
        term,
        text: text.into(),
    };
    let core = outcome(Term::Short, "Deltagerne kender nogen at tale med");
    let theory = TheoryOfChange {
        target_group: "Ældre, der bor alene".into(),
        activities: "En ugentlig café".into(),
        outcomes: vec![core.clone()],
        standard: Some(Standard {
            package: PackageId(Uuid::now_v7()),
            name: "Fælles café".into(),
            version: 1,
            publisher: "Paraplyen".into(),
            core_outcomes: vec![core.id],
            indicators: Vec::new(),
            report: Vec::new(),
            inbox: None,
        }),
        ..TheoryOfChange::first(Some(ActivityId(Uuid::now_v7())), today(), Language::Da)
    };
    let entity = EntityRef {
        kind: EntityKind::Theory,
        id: theory.id.0,
    };
    let own = outcome(Term::Long, "Bruger kommunens tilbud");
    let reworded = TheoryOutcome {
        text: "Noget andet".into(),
        ..core.clone()
    };
    let outcomes = |outcomes: &[&TheoryOutcome], wall_ms: u64| {
        mutation(patch(
            EntityKind::Theory,
            theory.id.0,
            "outcomes",
            serde_json::to_value(outcomes).unwrap(),
            stamp(wall_ms, device),
        ))
    };
    let locked = Outcome::Rejected {
        reason: RejectReason::Invalid {
            problems: vec![Problem::CoreOutcomeChanged],
        },
    };
    // Written and then reworded in one push: the second is held against the first.
    let results = coordinator
        .push(&[
            mutation(Change::patch_of(entity, &theory, stamp(5, device))),
            outcomes(&[&reworded], 6),
            outcomes(&[&own], 7),
            mutation(patch(
                EntityKind::Theory,
                theory.id.0,
                "standard",
                serde_json::Value::Null,
                stamp(8, device),
            )),
            outcomes(&[&core, &own], 9),
        ])
        .await;
    assert_eq!(
        results,
        [
            Outcome::Applied,
            locked.clone(),
            locked.clone(),
            locked,
            Outcome::Applied
        ]
    );
    let pulled = coordinator.reader(&server).await.pull_all(1000).await;
    let last_outcomes = pulled
        .iter()
        .filter_map(|change| match change {
            Change::Patch { entity, fields } if entity.id == theory.id.0 => fields.get("outcomes"),
            _ => None,
        })
        .next_back()
        .map(|field| field.value.clone());
    assert_eq!(last_outcomes, Some(serde_json::to_value([&core, &own]).unwrap()));
}

/// A coordinator's text in a section of a report reaches the other coordinators' devices; a
/// volunteer's is refused, as is one under another section's id, and a volunteer pulls none.
async fn a_reports_text_reaches_the_other_coordinator_and_no_volunteer(backend: Backend) {
    use spor_core::report::{ReportShape, Section};
    use spor_core::report_text::{ReportPart, ReportText};
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let now_ms = Utc::now().timestamp_millis() as u64;
    let text = ReportText::new(
        ReportPart {
            shape: ReportShape::StatusReport,
            activity: None,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            section: Section::Delivery,
        },
        "To gange aflyst på grund af sne.".into(),
    );
    let sent = |text: &ReportText, by: DeviceId| {
        let entity = EntityRef {
            kind: EntityKind::ReportText,
            id: text.id.0,
        };
        mutation(Change::patch_of(entity, text, stamp(now_ms, by)))
    };
    assert_eq!(
        volunteer.push(&[sent(&text, volunteer.device())]).await,
        [Outcome::Rejected {
            reason: RejectReason::Forbidden
        }]
    );
    let moved = ReportText {
        section: Section::Volunteers,
        ..text.clone()
    };
    assert_eq!(
        coordinator.push(&[sent(&moved, coordinator.device())]).await,
        [Outcome::Rejected {
            reason: RejectReason::Invalid {
                problems: vec![Problem::NotTheReportsText]
            }
        }]
    );
    assert_eq!(
        coordinator.push(&[sent(&text, coordinator.device())]).await,
        [Outcome::Applied]
    );
    let pulled = coordinator.reader(&server).await.pull_all(1000).await;
    let [Change::Patch { entity, fields }] = &pulled[..] else {
        panic!("one patch, got {pulled:?}");
    };
    assert_eq!(entity.id, text.id.0);
    assert_eq!(fields["text"].value, json!("To gange aflyst på grund af sne."));
    assert_eq!(volunteer.pull_all(1000).await, Vec::<Change>::new());
}

/// Figures for an umbrella on the same server: only a coordinator sends them, only with consent for
/// exactly their period, only figures Spor could have written (no survey mean over two people),
/// and only the umbrella reads them; a second sending of the period replaces the first.
async fn a_members_figures_reach_its_umbrella_after_consent_and_no_one_else(backend: Backend) {
    use spor_core::aggregate::{Aggregate, Consent, Figure, FigureValue, Received, Sending};
    use spor_core::goal::GoalMetric;
    use spor_core::scoring::Measure;
    let server = start(backend).await;
    let umbrella = server.organisation("Landsforeningen").await;
    let member = server.organisation("Mødrehjælpen Vest").await;
    let stranger = server.organisation("Café Nord").await;
    let volunteer = member.another(&server, DeviceRole::Volunteer).await;
    let (from, to) = (
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
    );
    let figures = |people: u32, who5: FigureValue| Aggregate {
        format: "spor-aggregate".into(),
        format_version: 1,
        package: PackageId(Uuid::from_u128(0xfe11e)),
        package_name: "Fællesskab mod ensomhed".into(),
        package_version: 1,
        member: "Mødrehjælpen Vest".into(),
        from,
        to,
        threshold: 5,
        figures: vec![
            Figure {
                indicator: GoalId(Uuid::from_u128(1)),
                metric: GoalMetric::UniqueParticipants,
                value: FigureValue::People { count: people },
            },
            Figure {
                indicator: GoalId(Uuid::from_u128(2)),
                metric: GoalMetric::MeasureMean {
                    measure: Measure::Who5Percentage,
                },
                value: who5,
            },
        ],
    };
    let consent = Consent {
        from,
        to,
        given_at: Utc::now(),
    };
    let sending = |aggregate: Aggregate, to_organisation: OrganisationId, consent: Consent| Sending {
        to: to_organisation,
        aggregate,
        consent,
    };
    let send = |phone: &Phone, body: &Sending| {
        phone
            .request(reqwest::Method::POST, "/aggregates")
            .json(body)
            .send()
    };
    let umbrella_id = umbrella.paired.organisation;
    let good = sending(figures(12, FigureValue::Hidden), umbrella_id, consent);

    assert_eq!(
        send(&volunteer, &good).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let other_period = Consent {
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        ..consent
    };
    let refused = send(
        &member,
        &sending(figures(12, FigureValue::Hidden), umbrella_id, other_period),
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said: serde_json::Value = refused.json().await.unwrap();
    assert!(said["message"].as_str().unwrap().contains("consent"), "{said}");
    // Well-formed but harmful: a WHO-5 mean over two people, which Spor hides.
    let two_people = FigureValue::Rate { value: 40.0, over: 2 };
    let harmful = sending(figures(12, two_people), umbrella_id, consent);
    assert_eq!(
        send(&member, &harmful).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let to_itself = sending(
        figures(12, FigureValue::Hidden),
        member.paired.organisation,
        consent,
    );
    assert_eq!(
        send(&member, &to_itself).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let nowhere = sending(
        figures(12, FigureValue::Hidden),
        OrganisationId(Uuid::from_u128(404)),
        consent,
    );
    assert_eq!(
        send(&member, &nowhere).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let huge = Sending {
        aggregate: Aggregate {
            package_name: "x".repeat(70 * 1024),
            ..good.aggregate.clone()
        },
        ..good.clone()
    };
    assert_eq!(
        send(&member, &huge).await.unwrap().status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let read = |phone: &Phone| phone.request(reqwest::Method::GET, "/aggregates").send();
    let nothing: Vec<Received> = read(&umbrella).await.unwrap().json().await.unwrap();
    assert_eq!(nothing, Vec::<Received>::new(), "nothing refused was kept");

    assert_eq!(send(&member, &good).await.unwrap().status(), StatusCode::OK);
    let again = sending(
        figures(14, FigureValue::Rate { value: 61.5, over: 9 }),
        umbrella_id,
        consent,
    );
    assert_eq!(send(&member, &again).await.unwrap().status(), StatusCode::OK);
    let received: Vec<Received> = read(&umbrella).await.unwrap().json().await.unwrap();
    assert_eq!(
        received.len(),
        1,
        "the second sending of the period replaced the first"
    );
    assert_eq!(received[0].from, "Mødrehjælpen Vest");
    assert_eq!(received[0].aggregate, again.aggregate);
    assert_eq!((received[0].consent.from, received[0].consent.to), (from, to));

    let strangers: Vec<Received> = read(&stranger).await.unwrap().json().await.unwrap();
    assert_eq!(strangers, Vec::<Received>::new());
    assert_eq!(read(&volunteer).await.unwrap().status(), StatusCode::FORBIDDEN);
}

/// A kiosk pulls only activities and templates: after 1,000 check-ins its empty pull returns a
/// cursor past them, so it never scans them again.
async fn a_pull_moves_the_cursor_past_what_the_device_may_not_see(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let kiosk = coordinator.another(&server, DeviceRole::Kiosk).await;
    let cafe = ActivityId(Uuid::now_v7());
    let check_ins: Vec<Mutation> = (0..1000)
        .map(|_| {
            mutation(check_in(
                ParticipantId(Uuid::now_v7()),
                cafe,
                coordinator.device(),
            ))
        })
        .collect();
    coordinator.push(&check_ins).await;
    let page: PullResponse = kiosk
        .request(reqwest::Method::GET, "/sync/pull?since=0")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page.changes.is_empty());
    assert!(!page.has_more);
    let all: PullResponse = coordinator
        .reader(&server)
        .await
        .request(reqwest::Method::GET, "/sync/pull?since=0&limit=1000")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last_check_in = all.changes.iter().map(|change| change.seq).max().unwrap();
    assert!(page.cursor >= last_check_in, "{} < {last_check_in}", page.cursor);
}

/// An answer stops adding changes at spor-core's byte budget and says more waits.
async fn a_pull_answer_never_exceeds_its_byte_budget(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let text = |n: usize| spor_core::Texts::new("å".repeat(n), "a".repeat(n));
    let questions: Vec<spor_core::survey::Question> = (0
        ..spor_core::validation::limits::QUESTIONS_PER_TEMPLATE)
        .map(|index| spor_core::survey::Question {
            id: spor_core::survey::QuestionId(format!("q{index}")),
            text: text(spor_core::validation::limits::QUESTION_TEXT),
            kind: spor_core::survey::QuestionKind::SingleChoice {
                choices: (0..spor_core::validation::limits::CHOICES_PER_QUESTION as u8)
                    .map(|value| spor_core::survey::Choice {
                        value,
                        label: text(spor_core::validation::limits::CHOICE_LABEL),
                    })
                    .collect(),
            },
            required: false,
        })
        .collect();
    let template = spor_core::survey::SurveyTemplate::custom(text(10), questions);
    // About 100 KB a version: 30 of them are three pushes and more than one pull's budget.
    let versions: Vec<Mutation> = (1..=30)
        .map(|version| {
            let mut revised = template.clone();
            revised.version = version;
            mutation(patch(
                EntityKind::Template,
                template.id.0,
                &format!("v{version}"),
                serde_json::to_value(&revised).unwrap(),
                stamp(u64::from(version), coordinator.device()),
            ))
        })
        .collect();
    for pushing in versions.chunks(10) {
        let pushed = coordinator.push(pushing).await;
        assert!(
            pushed.iter().all(|outcome| *outcome == Outcome::Applied),
            "{pushed:?}"
        );
    }
    let reader = coordinator.reader(&server).await;
    let (mut since, mut pages, mut pulled) = (0, 0, 0);
    loop {
        let body = reader
            .request(reqwest::Method::GET, &format!("/sync/pull?since={since}"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let page: PullResponse = serde_json::from_slice(&body).unwrap();
        let change_bytes: usize = page
            .changes
            .iter()
            .map(|pulled| serde_json::to_string(&pulled.change).unwrap().len())
            .sum();
        assert!(
            change_bytes <= spor_core::rules::pull::PULL_BYTE_BUDGET,
            "a page of {change_bytes} bytes"
        );
        pulled += page.changes.len();
        pages += 1;
        since = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(pulled, 30, "every version arrives, over several answers");
    assert!(pages > 1, "the budget split the versions into {pages} answers");
}

/// Erasing a participant erases everyone merged into them, also when the merge comes later.
async fn an_erasure_reaches_the_participants_merged_into_the_erased_one(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let device = coordinator.device();
    let [kept, merged, late] = [(); 3].map(|_| ParticipantId(Uuid::now_v7()));
    let name = |person: ParticipantId, pseudonym: &str, wall: u64| {
        mutation(patch(
            EntityKind::Participant,
            person.0,
            "pseudonym",
            json!(pseudonym),
            stamp(wall, device),
        ))
    };
    coordinator
        .push(&[
            name(kept, "Søren K", 1),
            name(merged, "Sørensen", 2),
            name(late, "Karsten", 3),
            mutation(Change::MergeParticipants {
                merged,
                into: kept,
                stamp: stamp(4, device),
            }),
            mutation(Change::EraseParticipant {
                participant: kept,
                stamp: stamp(5, device),
            }),
            mutation(Change::MergeParticipants {
                merged: late,
                into: kept,
                stamp: stamp(6, device),
            }),
        ])
        .await;
    let pulled = serde_json::to_string(&coordinator.reader(&server).await.pull_all(1000).await).unwrap();
    for pseudonym in ["Søren K", "Sørensen", "Karsten"] {
        assert!(!pulled.contains(pseudonym), "{pseudonym} in {pulled}");
    }
    let again = coordinator.push(&[name(merged, "Sørensen", 9)]).await;
    assert!(matches!(again[0], Outcome::Rejected { .. }), "{again:?}");
}

/// Two coordinators merge one person into two different people: the server keeps the merge it took
/// first, refuses the other with its reason, and passes the merge back to every device, the one
/// that sent it too, so each applies merges in the server's order.
async fn a_person_is_merged_away_once_and_every_device_hears_the_merge(backend: Backend) {
    let server = start(backend).await;
    let first = server.organisation("Café Nord").await;
    let second = first.another(&server, DeviceRole::Coordinator).await;
    let [soren, soeren, soeren_k] = [(); 3].map(|_| ParticipantId(Uuid::now_v7()));
    let merge = |merged, into, by: &Phone| {
        mutation(Change::MergeParticipants {
            merged,
            into,
            stamp: stamp(5, by.device()),
        })
    };
    let name = mutation(patch(
        EntityKind::Participant,
        soren.0,
        "pseudonym",
        json!("Soren"),
        stamp(1, first.device()),
    ));
    assert_eq!(
        first.push(&[name, merge(soren, soeren, &first)]).await,
        vec![Outcome::Applied, Outcome::Applied]
    );
    let refused = second.push(&[merge(soren, soeren_k, &second)]).await;
    assert_eq!(
        refused,
        vec![Outcome::Rejected {
            reason: RejectReason::Invalid {
                problems: vec![Problem::MergeOfFormerParticipant]
            }
        }]
    );

    for (phone, who) in [(&first, "its sender"), (&second, "the other coordinator")] {
        let pulled = phone.pull_all(100).await;
        let merges: Vec<_> = pulled
            .iter()
            .filter_map(|change| match change {
                Change::MergeParticipants { merged, into, .. } => Some((*merged, *into)),
                _ => None,
            })
            .collect();
        assert_eq!(merges, vec![(soren, soeren)], "what {who} pulls");
        // Only merges come back to their sender: its own edits it has already.
        let edits = pulled
            .iter()
            .filter(|change| matches!(change, Change::Patch { .. }))
            .count();
        assert_eq!(
            edits,
            usize::from(phone.device() != first.device()),
            "edits {who} pulls"
        );
    }
}

/// The page the privacy poster's QR code opens: the standard notice (Danish, or English for an
/// English browser) until a coordinator writes the organisation's own, which every visitor then
/// reads, as text (never markup). Nobody else may change it, and an unknown organisation has none.
async fn the_privacy_page_shows_the_organisations_notice_to_anyone(backend: Backend) {
    let server = start(backend).await;
    let coordinator = server.organisation("Café Nord").await;
    let volunteer = coordinator.another(&server, DeviceRole::Volunteer).await;
    let organisation = coordinator.paired.organisation;
    let page = |language: &'static str| {
        let url = format!("{}/privacy/{organisation}", server.url);
        async move {
            let response = client()
                .get(url)
                .header("Accept-Language", language)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
            response.text().await.unwrap()
        }
    };
    let danish = page("da-DK,da;q=0.9").await;
    assert!(
        danish.contains("<h1>Sådan passer vi på dine oplysninger</h1>"),
        "{danish}"
    );
    assert!(danish.contains("Café Nord"));
    let english = page("en-GB,en;q=0.9,da;q=0.5").await;
    assert!(
        english.contains("<h1>How we look after your information</h1>"),
        "{english}"
    );

    let notice = |text: &str, by: &Phone| {
        mutation(patch(
            EntityKind::Organisation,
            organisation.0,
            "privacy_notice",
            json!(text),
            stamp(1, by.device()),
        ))
    };
    let own = "Om dine data\n\nVi skriver kun kaldenavne ned. Spørg <Eva> om sletning.";
    assert!(matches!(
        volunteer.push(&[notice("Alt må deles", &volunteer)]).await[..],
        [Outcome::Rejected {
            reason: RejectReason::Forbidden
        }]
    ));
    assert!(matches!(
        coordinator.push(&[notice(&"x".repeat(4001), &coordinator)]).await[..],
        [Outcome::Rejected { .. }]
    ));
    assert_eq!(
        coordinator.push(&[notice(own, &coordinator)]).await,
        vec![Outcome::Applied]
    );
    for language in ["da", "en"] {
        let shown = page(language).await;
        assert!(shown.contains("<h1>Om dine data</h1>"), "{shown}");
        assert!(shown.contains("<p>Vi skriver kun kaldenavne ned. Spørg &lt;Eva&gt; om sletning.</p>"));
        assert!(!shown.contains("Alt må deles"));
    }

    for unknown in [Uuid::now_v7().to_string(), "not-an-id".to_owned()] {
        let response = client()
            .get(format!("{}/privacy/{unknown}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

/// A read-only look straight into the server's database.
async fn database(storage: &TestStorage) -> sqlx::AnyConnection {
    let url = match &storage.location {
        Location::SqliteDir(dir) => format!(
            "sqlite://{}?mode=ro",
            dir.join(spor_server::db::DATABASE_FILE).display()
        ),
        Location::PostgresUrl(url) => url.clone(),
    };
    <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap()
}

/// The server's receive time of every change it holds, read straight from its database.
async fn received_times(storage: &TestStorage) -> Vec<chrono::DateTime<Utc>> {
    let mut connection = database(storage).await;
    let times: Vec<String> = sqlx::query_scalar("SELECT received_at FROM changes ORDER BY seq")
        .fetch_all(&mut connection)
        .await
        .unwrap();
    times
        .iter()
        .map(|time| chrono::DateTime::parse_from_rfc3339(time).unwrap().to_utc())
        .collect()
}

/// Runs each named test as `sqlite::<name>` and `postgres::<name>`.
macro_rules! on_both_storages {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $test() {
                super::$test(super::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $test() {
                super::$test(super::Backend::Postgres).await
            })*
        }
    };
}

on_both_storages!(
    a_batch_of_patches_is_decided_in_order_as_if_sent_one_by_one,
    a_retried_batch_is_applied_once,
    the_same_person_checked_in_on_two_phones_becomes_one_attendance,
    one_invalid_mutation_is_rejected_and_the_rest_of_the_batch_applies,
    fields_keep_the_newest_write_whatever_the_order_of_arrival,
    pulls_page_through_everything_with_a_cursor,
    erasing_a_participant_removes_the_name_from_the_server_and_every_later_pull,
    each_role_pushes_and_pulls_only_what_it_may,
    one_organisation_never_reads_or_writes_anothers_data,
    pairing_codes_work_once_and_revoked_devices_are_told_so,
    old_protocols_big_batches_and_floods_get_their_own_answers,
    malformed_requests_get_json_errors_and_change_nothing,
    the_openapi_document_describes_every_route_and_what_it_really_answers,
    answers_to_a_custom_template_are_checked_against_the_version_they_name,
    a_batch_of_check_ins_with_duplicates_inside_and_before_it_keeps_one_per_person,
    a_device_whose_clock_runs_days_ahead_keeps_every_record,
    hostile_changes_are_refused_with_their_reason_and_nothing_is_stored,
    a_session_log_reaches_the_coordinator_and_a_harmful_one_is_refused,
    a_reports_text_reaches_the_other_coordinator_and_no_volunteer,
    a_theory_that_follows_a_standard_keeps_its_core_whatever_a_patch_says,
    a_members_figures_reach_its_umbrella_after_consent_and_no_one_else,
    a_pull_moves_the_cursor_past_what_the_device_may_not_see,
    a_pull_answer_never_exceeds_its_byte_budget,
    an_erasure_reaches_the_participants_merged_into_the_erased_one,
    every_status_a_route_answers_is_in_the_openapi_document,
    requests_without_a_device_are_limited_per_client_address,
    one_devices_flood_does_not_stall_another_organisations_sync,
    the_reference_scenarios_end_the_same_through_the_real_server,
    codes_made_by_a_revoked_device_do_not_pair,
    pairing_codes_are_kept_salted_and_only_while_open,
    a_coordinator_lists_open_codes_and_cancels_one,
    a_person_is_merged_away_once_and_every_device_hears_the_merge,
    the_privacy_page_shows_the_organisations_notice_to_anyone,
);

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected_by_the_server() {
    a_client_that_never_finishes_its_headers_is_disconnected(Backend::Sqlite).await
}
