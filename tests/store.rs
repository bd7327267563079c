//! The IndexedDB store in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use spor::store::{SCHEMA_VERSION, Store};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database of its own per test, deleted first in case an earlier run left it behind.
pub async fn fresh_store(name: &str) -> Store {
    Store::delete(name).await.unwrap();
    Store::open(name).await.unwrap()
}

/// Pairs `store` as `role` with an organisation of its own, as pairing with a server does; the link.
pub async fn link(store: &Store, role: spor_core::access::DeviceRole) -> spor::store::ServerLink {
    let link = spor::store::ServerLink {
        device: spor_core::ids::DeviceId::generate(),
        token: "id.secret".into(),
        role,
        organisation: spor_core::ids::OrganisationId::generate(),
        organisation_name: "Café Nord".into(),
        paired_at: chrono::Utc::now(),
    };
    store.save_server_link(&link).await.unwrap();
    link
}

#[wasm_bindgen_test]
async fn device_id_is_created_once_and_survives_reopening() {
    let name = "spor-test-device-id";
    let store = fresh_store(name).await;
    let first = store.device_id().await.unwrap();
    assert_eq!(first.get_version_num(), 7, "device ids are UUIDv7");
    assert_eq!(store.device_id().await.unwrap(), first);
    store.close();

    let reopened = Store::open(name).await.unwrap();
    assert_eq!(reopened.device_id().await.unwrap(), first);
    reopened.close();
    Store::delete(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn two_databases_have_different_device_ids() {
    let a = fresh_store("spor-test-device-a").await;
    let b = fresh_store("spor-test-device-b").await;
    assert_ne!(a.device_id().await.unwrap(), b.device_id().await.unwrap());
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn the_database_opens_at_the_current_schema_version() {
    let name = "spor-test-schema";
    let store = fresh_store(name).await;
    assert_eq!(store.schema_version(), Some(SCHEMA_VERSION));
    store.close();
}

mod attendance {
    use super::fresh_store;
    use chrono::{NaiveDate, Utc};
    use spor::store::StoreError;
    use spor_core::Role;
    use spor_core::activity::{Activity, Occurrence};
    use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
    use spor_core::hlc::Hlc;
    use spor_core::ids::*;
    use spor_core::sync::Change;
    use wasm_bindgen_test::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    pub(super) fn check_in(participant: ParticipantId, activity: ActivityId) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant,
            activity,
            date: today(),
            role: Role::Bruger,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        }
    }

    pub(super) fn occurrence(activity: ActivityId) -> Occurrence {
        Occurrence {
            activity,
            date: today(),
        }
    }

    #[wasm_bindgen_test]
    async fn a_check_in_is_saved_with_its_outbox_entry() {
        let store = fresh_store("spor-test-check-in").await;
        let activity = ActivityId::generate();
        let attendance = check_in(ParticipantId::generate(), activity);
        let mutation = store.check_in(&attendance).await.unwrap();

        let records = store.occurrence_records(occurrence(activity)).await.unwrap();
        assert_eq!(records.attendances, vec![attendance.clone()]);
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].mutation.id, mutation);
        assert_eq!(outbox[0].mutation.change, Change::CheckIn { attendance });
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_failed_write_leaves_neither_the_record_nor_its_outbox_entry() {
        let store = fresh_store("spor-test-atomic").await;
        let activity = ActivityId::generate();
        let person = ParticipantId::generate();
        let first = check_in(person, activity);
        store.check_in(&first).await.unwrap();

        // A second check-in of the same person: the outbox entry is written first, then the record
        // fails on the natural key, and the transaction is aborted as a whole.
        let second = check_in(person, activity);
        let error = store.check_in(&second).await.unwrap_err();
        assert!(matches!(error, StoreError::AlreadyRecorded { .. }), "{error:?}");

        let records = store.occurrence_records(occurrence(activity)).await.unwrap();
        assert_eq!(records.attendances, vec![first]);
        assert_eq!(
            store.outbox().await.unwrap().len(),
            1,
            "the aborted entry is not queued"
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn role_changes_and_withdrawals_are_new_records_and_the_check_in_stays() {
        let store = fresh_store("spor-test-events").await;
        let activity = ActivityId::generate();
        let attendance = check_in(ParticipantId::generate(), activity);
        store.check_in(&attendance).await.unwrap();
        let device = DeviceId::generate();
        for (wall_ms, change) in [
            (
                1,
                AttendanceChange::RoleChanged {
                    role: Role::Frivillig,
                },
            ),
            (2, AttendanceChange::Withdrawn),
        ] {
            let event = AttendanceEvent {
                id: AttendanceEventId::generate(),
                attendance: attendance.id,
                change,
                stamp: Hlc {
                    wall_ms,
                    counter: 0,
                    device,
                },
            };
            store
                .record_attendance_event(&event, attendance.occurrence())
                .await
                .unwrap();
        }
        let records = store.occurrence_records(occurrence(activity)).await.unwrap();
        assert_eq!(
            records.attendances,
            vec![attendance.clone()],
            "the check-in itself is never edited"
        );
        assert_eq!(records.events.len(), 2);
        let state = attendance.state(&records.events);
        assert_eq!(state.role, Role::Frivillig);
        assert!(state.withdrawn);
        assert_eq!(store.outbox().await.unwrap().len(), 3);
        store.close();
    }

    #[wasm_bindgen_test]
    async fn headcounts_are_read_back_per_occurrence() {
        let store = fresh_store("spor-test-headcount").await;
        let activity = ActivityId::generate();
        for (role, delta) in [
            (Role::Bruger, 1),
            (Role::Bruger, 1),
            (Role::Deltager, 1),
            (Role::Bruger, -1),
        ] {
            let event = HeadcountEvent {
                id: HeadcountEventId::generate(),
                activity,
                date: today(),
                role,
                delta,
                recorded_at: Utc::now(),
                recorded_by: DeviceId::generate(),
            };
            store.record_headcount(&event).await.unwrap();
        }
        let other_day = Occurrence {
            activity,
            date: today().pred_opt().unwrap(),
        };
        assert!(
            store
                .occurrence_records(other_day)
                .await
                .unwrap()
                .headcounts
                .is_empty()
        );
        let records = store.occurrence_records(occurrence(activity)).await.unwrap();
        let counts = spor_core::attendance::headcount(occurrence(activity), &records.headcounts);
        assert_eq!((counts.bruger, counts.deltager), (1, 1));
        store.close();
    }

    #[wasm_bindgen_test]
    async fn saving_an_activity_queues_its_fields_with_a_rising_clock() {
        let store = fresh_store("spor-test-activity").await;
        let mut activity = Activity {
            id: ActivityId::generate(),
            name: "Torsdagscafé".into(),
            description: String::new(),
            place: String::new(),
            schedule: None,
            roles: vec![Role::Bruger, Role::Frivillig],
            archived: false,
            surveys: Vec::new(),
        };
        store.save_activity(&activity).await.unwrap();
        activity.name = "Fredagscafé".into();
        store.save_activity(&activity).await.unwrap();
        assert_eq!(store.activities().await.unwrap(), vec![activity]);
        let stamps: Vec<_> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .map(|entry| match entry.mutation.change {
                Change::Patch { fields, .. } => fields["name"].stamp,
                other => panic!("expected a patch, got {other:?}"),
            })
            .collect();
        assert_eq!(stamps.len(), 2);
        assert!(stamps[1] > stamps[0]);
        store.close();
    }
}

mod erasure_and_merge {
    use super::{fresh_store, link};
    use spor::store::StoreError;
    use spor_core::Role;
    use spor_core::ids::{ActivityId, ParticipantId};
    use spor_core::participant::{Consent, Participant};
    use spor_core::sync::Change;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn the_retention_rule_erases_those_not_seen_for_the_period_on_a_coordinators_device_only() {
        use chrono::{NaiveDate, Utc};
        use spor_core::access::DeviceRole;
        use spor_core::attendance::Attendance;
        use spor_core::ids::{AttendanceId, DeviceId};

        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        for role in [DeviceRole::Volunteer, DeviceRole::Coordinator] {
            let store = fresh_store(&format!("spor-test-retention-{}", role.as_str())).await;
            let activity = ActivityId::generate();
            // Registered in January 2023: the time is in their UUIDv7 ids.
            let registered = uuid::Timestamp::from_unix(uuid::NoContext, 1_672_740_000, 0);
            let person = |pseudonym: &str| Participant {
                id: ParticipantId(uuid::Uuid::new_v7(registered)),
                pseudonym: pseudonym.into(),
                birth_decade: None,
                default_role: Role::Bruger,
                consent: Consent::default(),
                activities: vec![activity],
                merged_into: None,
                erased: false,
            };
            let (gone, stays) = (person("Åse"), person("Bent"));
            for (participant, came) in [(&gone, "2024-11-30"), (&stays, "2025-06-01")] {
                store.save_participant(participant).await.unwrap();
                store
                    .check_in(&Attendance {
                        id: AttendanceId::generate(),
                        participant: participant.id,
                        activity,
                        date: day(came),
                        role: Role::Bruger,
                        recorded_at: Utc::now(),
                        recorded_by: DeviceId::generate(),
                    })
                    .await
                    .unwrap();
            }
            link(&store, role).await;
            assert_eq!(
                store.apply_retention(today).await.unwrap(),
                vec![],
                "off by default"
            );
            store.set_retention_months(Some(24)).await.unwrap();
            assert_eq!(store.retention_months().await.unwrap(), Some(24));

            let erased = store.apply_retention(today).await.unwrap();
            let names: Vec<String> = store
                .participants()
                .await
                .unwrap()
                .into_iter()
                .filter(|p| p.is_current())
                .map(|p| p.pseudonym)
                .collect();
            match role {
                DeviceRole::Coordinator => {
                    assert_eq!(erased, vec![gone.id]);
                    assert_eq!(names, vec!["Bent".to_owned()]);
                    assert!(store.outbox().await.unwrap().iter().any(|entry| matches!(
                        entry.mutation.change,
                        Change::EraseParticipant { participant, .. } if participant == gone.id
                    )));
                }
                _ => {
                    assert_eq!(erased, vec![], "a volunteer may not erase");
                    assert_eq!(names.len(), 2);
                }
            }
            store.set_retention_months(None).await.unwrap();
            assert_eq!(store.retention_months().await.unwrap(), None);
            store.close();
        }
    }

    #[wasm_bindgen_test]
    async fn erasing_removes_the_name_everywhere_on_the_device_and_queues_the_erasure() {
        let store = fresh_store("spor-test-erase").await;
        let participant_activity = ActivityId::generate();
        let mut participant = Participant {
            id: ParticipantId::generate(),
            pseudonym: "Søren K".into(),
            birth_decade: Some(1960),
            default_role: Role::Bruger,
            consent: Consent {
                linked_surveys: true,
                contact: true,
                named_in_stories: true,
            },
            activities: vec![participant_activity],
            erased: false,
            merged_into: None,
        };
        store.save_participant(&participant).await.unwrap();
        participant.pseudonym = "Søren Kristensen".into();
        store.save_participant(&participant).await.unwrap();
        // A volunteer's story about him, and one about nobody in particular.
        let story = |participant, text: &str| spor_core::story::Story {
            id: spor_core::ids::StoryId::generate(),
            activity: participant_activity,
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            kind: spor_core::story::StoryKind::Quote,
            text: text.into(),
            outcome: None,
            participant,
            usable_in_reports: false,
            written_at: chrono::Utc::now(),
            language: spor_core::Language::Da,
        };
        store
            .save_story(&story(Some(participant.id), "Søren sagde: her bliver jeg set"))
            .await
            .unwrap();
        let anonymous = story(None, "Der var god stemning ved bordet");
        store.save_story(&anonymous).await.unwrap();

        store.erase_participant(participant.id).await.unwrap();

        assert_eq!(
            store.stories().await.unwrap(),
            [anonymous],
            "his story went with him"
        );
        let stored = store.participants().await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(stored[0].erased && stored[0].pseudonym.is_empty() && stored[0].birth_decade.is_none());
        let outbox = store.outbox().await.unwrap();
        let queued = serde_json::to_string(&outbox).unwrap();
        assert!(
            !queued.contains("Søren"),
            "no queued change still carries the name: {queued}"
        );
        assert!(matches!(
            outbox.last().unwrap().mutation.change,
            Change::EraseParticipant { participant: erased, .. } if erased == participant.id
        ));
        store.close();
    }

    #[wasm_bindgen_test]
    async fn merging_moves_the_check_ins_and_keeps_one_per_occurrence() {
        use chrono::{NaiveDate, Utc};
        use spor_core::activity::Occurrence;
        use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent};
        use spor_core::hlc::Hlc;
        use spor_core::ids::{AttendanceEventId, AttendanceId, DeviceId};

        let store = fresh_store("spor-test-merge").await;
        let cafe = ActivityId::generate();
        let person = |pseudonym: &str| Participant {
            id: ParticipantId::generate(),
            pseudonym: pseudonym.into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: vec![cafe],
            erased: false,
            merged_into: None,
        };
        let (kept, merged) = (person("Søren K"), person("Soren"));
        store.save_participant(&kept).await.unwrap();
        store.save_participant(&merged).await.unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let check_in = |participant: ParticipantId, date| Attendance {
            id: AttendanceId::generate(),
            participant,
            activity: cafe,
            date,
            role: Role::Bruger,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        };
        // Both were checked in on the 19th (two volunteers, two names); only the duplicate came on the 26th.
        let kept_19 = check_in(kept.id, day(19));
        let merged_19 = check_in(merged.id, day(19));
        let merged_26 = check_in(merged.id, day(26));
        for attendance in [&kept_19, &merged_19, &merged_26] {
            store.check_in(attendance).await.unwrap();
        }
        let withdrawal = AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance: merged_19.id,
            change: AttendanceChange::Withdrawn,
            stamp: Hlc {
                wall_ms: 1,
                counter: 0,
                device: DeviceId::generate(),
            },
        };
        store
            .record_attendance_event(&withdrawal, merged_19.occurrence())
            .await
            .unwrap();

        assert_eq!(
            store.merge_participants(merged.id, kept.id).await.unwrap(),
            spor::store::MergeState::Merged,
            "a device used alone merges at once"
        );

        let on = |date| Occurrence { activity: cafe, date };
        let the_19th = store.occurrence_records(on(day(19))).await.unwrap();
        assert_eq!(
            the_19th.attendances,
            vec![kept_19.clone()],
            "the person came once on the 19th"
        );
        // One person, one attendance: what was recorded on either copy counts for the one that
        // stays, as on the server and every other phone, whatever order they heard of it in.
        assert_eq!(
            the_19th.events,
            vec![AttendanceEvent {
                attendance: kept_19.id,
                ..withdrawal
            }],
            "the duplicate's withdrawal counts for the check-in that stays"
        );
        let the_26th = store.occurrence_records(on(day(26))).await.unwrap();
        assert_eq!(the_26th.attendances.len(), 1);
        assert_eq!(the_26th.attendances[0].id, merged_26.id);
        assert_eq!(the_26th.attendances[0].participant, kept.id);

        let stored = store.participants().await.unwrap();
        let current: Vec<_> = stored.iter().filter(|p| p.is_current()).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].id, kept.id);
        let former = stored.iter().find(|p| p.id == merged.id).unwrap();
        assert_eq!(former.merged_into, Some(kept.id));
        assert!(matches!(
            store.outbox().await.unwrap().last().unwrap().mutation.change,
            Change::MergeParticipants { merged: m, into, .. } if m == merged.id && into == kept.id
        ));

        let again = store.merge_participants(merged.id, kept.id).await.unwrap_err();
        assert!(matches!(again, StoreError::Refused { .. }), "{again:?}");
        store.close();
    }
}

mod sync_steps {
    use super::{fresh_store, link};
    use chrono::{NaiveDate, Utc};
    use serde_json::json;
    use spor_core::Role;
    use spor_core::activity::Occurrence;
    use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent};
    use spor_core::hlc::Hlc;
    use spor_core::ids::*;
    use spor_core::participant::{Consent, Participant};
    use spor_core::sync::*;
    use uuid::Uuid;
    use wasm_bindgen_test::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
    }

    fn check_in(participant: ParticipantId, activity: ActivityId) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant,
            activity,
            date: day(),
            role: Role::Bruger,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        }
    }

    fn withdrawal(attendance: AttendanceId) -> AttendanceEvent {
        AttendanceEvent {
            id: AttendanceEventId::generate(),
            attendance,
            change: AttendanceChange::Withdrawn,
            stamp: Hlc::start(DeviceId::generate()),
        }
    }

    fn result(id: MutationId, outcome: Outcome) -> MutationResult {
        MutationResult { id, outcome }
    }

    fn pulled(changes: Vec<Change>, cursor: u64) -> PullResponse {
        PullResponse {
            changes: changes
                .into_iter()
                .enumerate()
                .map(|(seq, change)| PulledChange {
                    seq: seq as u64 + 1,
                    change,
                })
                .collect(),
            cursor,
            has_more: false,
        }
    }

    #[wasm_bindgen_test]
    async fn answers_empty_the_outbox_refusals_become_dead_letters_and_unanswered_changes_wait() {
        let store = fresh_store("spor-test-acknowledge").await;
        let activity = ActivityId::generate();
        let records: Vec<Attendance> = (0..3)
            .map(|_| check_in(ParticipantId::generate(), activity))
            .collect();
        let mut ids = Vec::new();
        for record in &records {
            ids.push(store.check_in(record).await.unwrap());
        }
        let sent = store.outbox_batch(None, 500).await.unwrap();
        assert_eq!(sent.len(), 3);
        let seqs: Vec<u32> = sent.queued().iter().map(|(seq, _)| *seq).collect();
        // The batch after one still on its way: the entries queued after it, in order.
        let after_first = store.outbox_batch(Some(seqs[0]), 500).await.unwrap();
        let later: Vec<_> = after_first.queued().iter().map(|(_, id)| *id).collect();
        assert_eq!(later, ids[1..].to_vec());
        assert_eq!(store.outbox_batch(sent.last_seq(), 500).await.unwrap().len(), 0);
        let refused = RejectReason::Invalid {
            problems: vec![spor_core::validation::Problem::NoQuestions],
        };
        let answered = [
            result(ids[0], Outcome::Applied),
            result(
                ids[1],
                Outcome::Rejected {
                    reason: refused.clone(),
                },
            ),
        ];
        let acknowledged = store.acknowledge(&sent, &answered).await.unwrap();
        assert_eq!((acknowledged.done, acknowledged.refused), (1, 1));

        let waiting = store.outbox().await.unwrap();
        assert_eq!(waiting.len(), 1, "the unanswered change stays queued");
        assert_eq!(waiting[0].mutation.id, ids[2]);
        let letters = store.dead_letters().await.unwrap();
        assert_eq!(letters.len(), 1);
        assert_eq!(letters[0].entry.mutation.id, ids[1]);
        assert_eq!(letters[0].reason, refused);
        let occurrence = Occurrence {
            activity,
            date: day(),
        };
        assert_eq!(
            store
                .occurrence_records(occurrence)
                .await
                .unwrap()
                .attendances
                .len(),
            3,
            "acknowledging never deletes a record"
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_push_carries_the_queued_mutations_as_they_were_stored() {
        let store = fresh_store("spor-test-push-body").await;
        let activity = ActivityId::generate();
        let soren = check_in(ParticipantId::generate(), activity);
        store.check_in(&soren).await.unwrap();
        store
            .record_attendance_event(&withdrawal(soren.id), soren.occurrence())
            .await
            .unwrap();
        store
            .check_in(&check_in(ParticipantId::generate(), activity))
            .await
            .unwrap();
        let queued: Vec<Mutation> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.mutation)
            .collect();
        assert_eq!(queued.len(), 3);

        let batch = store.outbox_batch(None, 500).await.unwrap();
        let body = spor::sync::push_body(&batch).unwrap().text().await.unwrap();
        let request: PushRequest = serde_json::from_str(&body).unwrap();
        assert_eq!(request.mutations, queued);
        // A batch after the last entry is empty, and so is its push.
        let rest = store.outbox_batch(batch.last_seq(), 500).await.unwrap();
        let empty = spor::sync::push_body(&rest).unwrap().text().await.unwrap();
        assert_eq!(serde_json::from_str::<PushRequest>(&empty).unwrap().mutations, []);
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_damaged_outbox_entry_is_reported_and_nothing_is_sent_or_lost() {
        let name = "spor-test-damaged-outbox";
        let store = fresh_store(name).await;
        store
            .check_in(&check_in(ParticipantId::generate(), ActivityId::generate()))
            .await
            .unwrap();
        let raw = rexie::Rexie::builder(name).build().await.unwrap();
        let transaction = raw
            .transaction(&["outbox"], rexie::TransactionMode::ReadWrite)
            .unwrap();
        let damaged =
            js_sys::JSON::parse(r#"{"mutation":{"id":"not an id"},"queued_at":"2026-11-25T12:00:00Z"}"#)
                .unwrap();
        transaction
            .store("outbox")
            .unwrap()
            .put(&damaged, None)
            .await
            .unwrap();
        transaction.done().await.unwrap();
        raw.close();

        let read = store.outbox_batch(None, 500).await;
        assert!(
            matches!(
                read,
                Err(spor::store::StoreError::Corrupt {
                    what: "outbox entry",
                    ..
                })
            ),
            "the batch is refused before anything is sent"
        );
        assert_eq!(store.outbox_count().await.unwrap(), 2, "both entries stay queued");
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_check_in_the_server_already_had_is_repointed_with_its_events() {
        let store = fresh_store("spor-test-canonical").await;
        let activity = ActivityId::generate();
        let local = check_in(ParticipantId::generate(), activity);
        let mutation = store.check_in(&local).await.unwrap();
        let event = withdrawal(local.id);
        store
            .record_attendance_event(&event, local.occurrence())
            .await
            .unwrap();
        let canonical = Uuid::now_v7();
        let sent = store.outbox_batch(None, 1).await.unwrap();
        store
            .acknowledge(
                &sent,
                &[result(
                    mutation,
                    Outcome::Duplicate {
                        canonical: Some(canonical),
                    },
                )],
            )
            .await
            .unwrap();
        let records = store
            .occurrence_records(Occurrence {
                activity,
                date: day(),
            })
            .await
            .unwrap();
        assert_eq!(records.attendances.len(), 1);
        assert_eq!(records.attendances[0].id.0, canonical);
        assert_eq!(records.attendances[0].participant, local.participant);
        assert_eq!(records.events.len(), 1);
        assert_eq!(records.events[0].attendance.0, canonical);
        store.close();
    }

    #[wasm_bindgen_test]
    async fn pulled_changes_are_stored_with_their_cursor_and_never_undo_a_newer_local_edit() {
        let store = fresh_store("spor-test-pull").await;
        let activity = ActivityId::generate();
        let soren = Participant {
            id: ParticipantId::generate(),
            pseudonym: "Søren".into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: vec![activity],
            erased: false,
            merged_into: None,
        };
        // A local edit not yet sent: its stamp is this device's clock now.
        store.save_participant(&soren).await.unwrap();
        let local_checkin = check_in(soren.id, activity);
        store.check_in(&local_checkin).await.unwrap();
        store
            .record_attendance_event(&withdrawal(local_checkin.id), local_checkin.occurrence())
            .await
            .unwrap();

        let other = DeviceId::generate();
        let old_stamp = Hlc {
            wall_ms: 1_000,
            counter: 0,
            device: other,
        };
        let new_activity = Uuid::now_v7();
        let canonical = check_in(soren.id, activity);
        let changes = vec![
            // An older edit from another device loses to the unsent local one...
            Change::Patch {
                entity: EntityRef {
                    kind: EntityKind::Participant,
                    id: soren.id.0,
                },
                fields: [
                    (
                        "pseudonym".to_owned(),
                        Stamped {
                            value: json!("Soren"),
                            stamp: old_stamp,
                        },
                    ),
                    (
                        "default_role".to_owned(),
                        Stamped {
                            value: json!("frivillig"),
                            stamp: old_stamp,
                        },
                    ),
                ]
                .into(),
            },
            // ...a whole new activity arrives...
            Change::Patch {
                entity: EntityRef {
                    kind: EntityKind::Activity,
                    id: new_activity,
                },
                fields: [
                    (
                        "name".to_owned(),
                        Stamped {
                            value: json!("Gåtur"),
                            stamp: old_stamp,
                        },
                    ),
                    (
                        "roles".to_owned(),
                        Stamped {
                            value: json!(["bruger"]),
                            stamp: old_stamp,
                        },
                    ),
                ]
                .into(),
            },
            // ...and another device checked Søren in first: its check-in is the canonical one.
            Change::CheckIn {
                attendance: canonical.clone(),
            },
        ];
        let applied = store.apply_pulled(&pulled(changes.clone(), 42)).await.unwrap();
        assert_eq!(applied, 2, "the activity and the check-in");
        assert_eq!(store.pull_cursor().await.unwrap(), 42);

        let people = store.participants().await.unwrap();
        assert_eq!(people[0].pseudonym, "Søren", "the newer local edit stands");
        assert_eq!(people[0].default_role, Role::Bruger);
        let activities = store.activities().await.unwrap();
        assert!(
            activities
                .iter()
                .any(|a| a.id.0 == new_activity && a.name == "Gåtur")
        );
        let records = store
            .occurrence_records(Occurrence {
                activity,
                date: day(),
            })
            .await
            .unwrap();
        assert_eq!(records.attendances, vec![canonical.clone()]);
        assert_eq!(
            records
                .events
                .iter()
                .map(|event| event.attendance)
                .collect::<Vec<_>>(),
            vec![canonical.id],
            "the local copy's withdrawal counts for the canonical check-in"
        );

        // The same page again (a retried pull) changes nothing.
        assert_eq!(store.apply_pulled(&pulled(changes, 42)).await.unwrap(), 0);

        // A later edit from another device wins.
        let later = Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Participant,
                id: soren.id.0,
            },
            fields: [(
                "default_role".to_owned(),
                Stamped {
                    value: json!("frivillig"),
                    stamp: Hlc {
                        wall_ms: js_sys::Date::now() as u64 + 86_400_000,
                        counter: 0,
                        device: other,
                    },
                },
            )]
            .into(),
        };
        assert_eq!(store.apply_pulled(&pulled(vec![later], 43)).await.unwrap(), 1);
        let people = store.participants().await.unwrap();
        assert_eq!(
            (people[0].pseudonym.as_str(), people[0].default_role),
            ("Søren", Role::Frivillig)
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_pulled_erasure_removes_the_name_and_its_unsent_edits() {
        let store = fresh_store("spor-test-pulled-erasure").await;
        let aase = Participant {
            id: ParticipantId::generate(),
            pseudonym: "Åse".into(),
            birth_decade: Some(1950),
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: vec![],
            erased: false,
            merged_into: None,
        };
        store.save_participant(&aase).await.unwrap();
        let erasure = Change::EraseParticipant {
            participant: aase.id,
            stamp: Hlc::start(DeviceId::generate()),
        };
        store.apply_pulled(&pulled(vec![erasure], 7)).await.unwrap();
        let stored = store.participants().await.unwrap();
        assert!(stored[0].erased && stored[0].pseudonym.is_empty());
        let queued = serde_json::to_string(&store.outbox().await.unwrap()).unwrap();
        assert!(!queued.contains("Åse"), "{queued}");
        assert!(
            !queued.contains("erase_participant"),
            "another device's erasure is not sent back"
        );
        store.close();
    }

    fn named(pseudonym: &str) -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: pseudonym.into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent {
                linked_surveys: true,
                contact: false,
                named_in_stories: false,
            },
            activities: vec![],
            erased: false,
            merged_into: None,
        }
    }

    fn backup_with(participants: Vec<Participant>) -> spor_core::backup::Backup {
        spor_core::backup::Backup {
            participants,
            ..spor_core::backup::Backup::empty(DeviceId::generate(), Utc::now())
        }
    }

    #[wasm_bindgen_test]
    async fn a_device_remembers_an_erasure_of_someone_it_never_held_so_no_backup_brings_them_back() {
        let store = fresh_store("spor-test-erasure-remembered").await;
        let karen = named("Karen B");
        let erasure = Change::EraseParticipant {
            participant: karen.id,
            stamp: Hlc::start(DeviceId::generate()),
        };
        store.apply_pulled(&pulled(vec![erasure], 3)).await.unwrap();
        store
            .import_backup(backup_with(vec![karen.clone()]))
            .await
            .unwrap();
        let everything = serde_json::to_string(&store.export_backup().await.unwrap()).unwrap();
        assert!(!everything.contains("Karen"), "{everything}");
        let queued = serde_json::to_string(&store.outbox().await.unwrap()).unwrap();
        assert!(!queued.contains("Karen"), "{queued}");
        store.close();
    }

    #[wasm_bindgen_test]
    async fn erasing_the_kept_participant_erases_the_merged_one_and_unlinks_their_answers() {
        use spor_core::instruments::Instrument;
        use spor_core::survey::{AdministrationMode, Answer, SurveyResponse};
        let store = fresh_store("spor-test-erasure-merged").await;
        let kept = named("Søren K");
        let merged = named("Sørensen");
        store.save_participant(&kept).await.unwrap();
        store.save_participant(&merged).await.unwrap();
        let template = Instrument::Who5.template();
        let answered = SurveyResponse {
            id: ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity: ActivityId::generate(),
            date: day(),
            participant: Some(merged.id),
            answers: template
                .questions
                .iter()
                .map(|question| (question.id.clone(), Answer::Choice(3)))
                .collect(),
            mode: AdministrationMode::Assisted,
            language: spor_core::Language::Da,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        };
        store.save_response(&answered).await.unwrap();
        store.merge_participants(merged.id, kept.id).await.unwrap();
        store.erase_participant(kept.id).await.unwrap();

        let everything = serde_json::to_string(&store.export_backup().await.unwrap()).unwrap();
        assert!(!everything.contains("Søren"), "{everything}");
        let queued = serde_json::to_string(&store.outbox().await.unwrap()).unwrap();
        assert!(!queued.contains("Søren"), "{queued}");
        let responses = store.responses().await.unwrap();
        assert_eq!(responses.len(), 1);
        assert_eq!(responses[0].participant, None, "the answer stays, unlinked");
        assert!(
            store.outbox().await.unwrap().iter().all(|entry| !matches!(
                &entry.mutation.change,
                Change::SurveyResponse { response } if response.participant.is_some()
            )),
            "the queued answer is unlinked too"
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_pulled_patch_the_rules_refuse_changes_nothing() {
        let store = fresh_store("spor-test-hostile-pull").await;
        let mine = named("Mette");
        store.save_participant(&mine).await.unwrap();
        let stamp = Hlc::start(DeviceId::generate()).tick(js_sys::Date::now() as u64);
        let field = |name: &str, value: serde_json::Value| Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Participant,
                id: mine.id.0,
            },
            fields: [(name.to_owned(), Stamped { value, stamp })].into(),
        };
        let hostile = vec![
            field("id", serde_json::json!(ParticipantId::generate())),
            field("pseudonym", serde_json::json!("x".repeat(500))),
            field("cpr", serde_json::json!("010203-1234")),
        ];
        assert_eq!(store.apply_pulled(&pulled(hostile, 3)).await.unwrap(), 0);
        assert_eq!(store.participants().await.unwrap(), vec![mine]);
        store.close();
    }

    #[wasm_bindgen_test]
    async fn the_privacy_notice_is_pulled_saved_and_queued_and_each_reader_is_remembered() {
        use spor_core::access::DeviceRole;

        let store = fresh_store("spor-test-privacy-notice").await;
        let organisation = link(&store, DeviceRole::Coordinator).await.organisation;
        assert_eq!(
            store.privacy_notice().await.unwrap(),
            None,
            "the standard one until written"
        );

        let notice = |text: serde_json::Value| Change::Patch {
            entity: EntityRef {
                kind: EntityKind::Organisation,
                id: organisation.0,
            },
            fields: [(
                "privacy_notice".to_owned(),
                Stamped {
                    value: text,
                    stamp: Hlc {
                        wall_ms: 1,
                        counter: 0,
                        device: DeviceId::generate(),
                    },
                },
            )]
            .into(),
        };
        store
            .apply_pulled(&pulled(vec![notice(json!("Om dine data\n\nKun kaldenavne."))], 3))
            .await
            .unwrap();
        assert_eq!(
            store.privacy_notice().await.unwrap().as_deref(),
            Some("Om dine data\n\nKun kaldenavne.")
        );
        // One too long for anyone to read is not taken.
        store
            .apply_pulled(&pulled(vec![notice(json!("x".repeat(4001)))], 4))
            .await
            .unwrap();
        assert_eq!(
            store.privacy_notice().await.unwrap().as_deref(),
            Some("Om dine data\n\nKun kaldenavne.")
        );

        store
            .save_privacy_notice(Some("Vores egne ord".into()))
            .await
            .unwrap();
        assert_eq!(
            store.privacy_notice().await.unwrap().as_deref(),
            Some("Vores egne ord")
        );
        let queued = store.outbox().await.unwrap();
        assert!(matches!(
            &queued.last().unwrap().mutation.change,
            Change::Patch { entity, fields }
                if entity.kind == EntityKind::Organisation
                    && entity.id == organisation.0
                    && fields["privacy_notice"].value == json!("Vores egne ord")
        ));
        assert!(
            store.save_privacy_notice(Some("   ".into())).await.is_err(),
            "blank is no notice"
        );
        store.save_privacy_notice(None).await.unwrap();
        assert_eq!(store.privacy_notice().await.unwrap(), None);

        let reader = ParticipantId::generate();
        assert!(!store.notice_shown_to(reader).await.unwrap());
        store.mark_notice_shown(reader).await.unwrap();
        store.mark_notice_shown(reader).await.unwrap();
        assert!(store.notice_shown_to(reader).await.unwrap());
        assert!(!store.notice_shown_to(ParticipantId::generate()).await.unwrap());
        store.close();
    }

    #[wasm_bindgen_test]
    async fn a_linked_coordinator_merges_when_the_server_passes_the_merge_back_and_not_before() {
        use spor::store::MergeState;
        use spor_core::access::DeviceRole;

        let store = fresh_store("spor-test-linked-merge").await;
        link(&store, DeviceRole::Coordinator).await;
        let person = |pseudonym: &str| Participant {
            id: ParticipantId::generate(),
            pseudonym: pseudonym.into(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: Vec::new(),
            merged_into: None,
            erased: false,
        };
        let (soren, soeren, soeren_k) = (person("Soren"), person("Søren"), person("Søren K"));
        for participant in [&soren, &soeren, &soeren_k] {
            store.save_participant(participant).await.unwrap();
        }
        let activity = ActivityId::generate();
        store.check_in(&check_in(soren.id, activity)).await.unwrap();

        // This coordinator merges Soren into Søren K while another, earlier, merged him into Søren.
        assert_eq!(
            store.merge_participants(soren.id, soeren_k.id).await.unwrap(),
            MergeState::AwaitingServer
        );
        let current = |people: Vec<Participant>| people.iter().filter(|p| p.is_current()).count();
        assert_eq!(
            current(store.participants().await.unwrap()),
            3,
            "nothing merged yet"
        );
        let queued = store.outbox().await.unwrap();
        let Change::MergeParticipants { stamp, .. } = queued.last().unwrap().mutation.change else {
            panic!("the merge is queued for the server");
        };

        // The server took the other merge first and refuses this one; it passes the other back.
        let first = Change::MergeParticipants {
            merged: soren.id,
            into: soeren.id,
            stamp,
        };
        store.apply_pulled(&pulled(vec![first], 5)).await.unwrap();
        let people = store.participants().await.unwrap();
        let soren_now = people.iter().find(|p| p.id == soren.id).unwrap();
        assert_eq!(
            soren_now.merged_into,
            Some(soeren.id),
            "the server's order stands"
        );
        let visits = store
            .occurrence_records(Occurrence {
                activity,
                date: day(),
            })
            .await
            .unwrap();
        assert_eq!(visits.attendances[0].participant, soeren.id);
        store.close();
    }
}

mod surveys {
    use super::{fresh_store, link};
    use chrono::{NaiveDate, Utc};
    use spor::store::StoreError;
    use spor_core::Language;
    use spor_core::ids::*;
    use spor_core::instruments::Instrument;
    use spor_core::survey::{AdministrationMode, Answer, SurveyResponse};
    use spor_core::sync::Change;
    use wasm_bindgen_test::*;

    fn who5(values: [u8; 5]) -> SurveyResponse {
        let template = Instrument::Who5.template();
        SurveyResponse {
            id: ResponseId::generate(),
            template: template.id,
            template_version: template.version,
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            participant: None,
            answers: template
                .questions
                .iter()
                .zip(values)
                .map(|(question, value)| (question.id.clone(), Answer::Choice(value)))
                .collect(),
            mode: AdministrationMode::Assisted,
            language: Language::Da,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        }
    }

    #[wasm_bindgen_test]
    async fn a_response_is_written_once_with_its_outbox_entry() {
        let store = fresh_store("spor-test-responses").await;
        let response = who5([5, 4, 3, 2, 1]);
        store.save_response(&response).await.unwrap();
        assert_eq!(store.responses().await.unwrap(), vec![response.clone()]);
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(
            outbox[0].mutation.change,
            Change::SurveyResponse {
                response: response.clone()
            }
        );

        // The same response again (a double tap on "send") changes nothing.
        let again = store.save_response(&response).await.unwrap_err();
        assert!(matches!(again, StoreError::AlreadyRecorded { .. }), "{again:?}");
        assert_eq!(store.responses().await.unwrap().len(), 1);
        assert_eq!(store.outbox().await.unwrap().len(), 1);
        store.close();
    }

    #[wasm_bindgen_test]
    async fn answers_are_signed_with_the_id_the_server_knows_once_paired_even_those_queued_before() {
        use spor_core::access::DeviceRole;

        let store = fresh_store("spor-test-recorder").await;
        let own = DeviceId(store.device_id().await.unwrap());
        assert_eq!(store.recorder_id().await.unwrap(), own);
        let before = SurveyResponse {
            recorded_by: own,
            ..who5([3, 3, 3, 3, 3])
        };
        let collected_elsewhere = who5([2, 2, 2, 2, 2]);
        store.save_response(&before).await.unwrap();
        store.save_response(&collected_elsewhere).await.unwrap();

        let paired_as = link(&store, DeviceRole::Kiosk).await.device;

        assert_eq!(store.recorder_id().await.unwrap(), paired_as);
        let signed: Vec<DeviceId> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .map(|entry| match entry.mutation.change {
                Change::SurveyResponse { response } => response.recorded_by,
                other => panic!("only answers were queued, got {other:?}"),
            })
            .collect();
        assert_eq!(
            signed,
            vec![paired_as, collected_elsewhere.recorded_by],
            "this device's own answers carry its paired id; others' keep theirs"
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn an_answer_and_a_story_leave_a_volunteers_phone_once_the_server_has_them_and_stay_on_a_coordinators()
     {
        use spor_core::access::DeviceRole;
        use spor_core::story::{Story, StoryKind};
        use spor_core::sync::{MutationResult, Outcome};

        for (role, kept) in [(DeviceRole::Volunteer, 0), (DeviceRole::Coordinator, 1)] {
            let store = fresh_store(&format!("spor-test-minimise-{}", role.as_str())).await;
            link(&store, role).await;
            store.save_response(&who5([4, 4, 4, 4, 4])).await.unwrap();
            let story = Story {
                id: spor_core::ids::StoryId::generate(),
                activity: ActivityId::generate(),
                date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
                kind: StoryKind::SignOfChange,
                text: "Hun blev til kaffen bagefter.".into(),
                outcome: None,
                participant: None,
                usable_in_reports: false,
                written_at: Utc::now(),
                language: spor_core::Language::Da,
            };
            store.save_story(&story).await.unwrap();
            assert_eq!(
                (
                    store.responses().await.unwrap().len(),
                    store.stories().await.unwrap().len()
                ),
                (1, 1),
                "kept until the server has them"
            );
            let sent = store.outbox_batch(None, 10).await.unwrap();
            let applied: Vec<MutationResult> = sent
                .queued()
                .iter()
                .map(|(_, id)| MutationResult {
                    id: *id,
                    outcome: Outcome::Applied,
                })
                .collect();
            assert_eq!(applied.len(), 2);
            store.acknowledge(&sent, &applied).await.unwrap();
            assert_eq!(store.responses().await.unwrap().len(), kept, "{role:?}");
            assert_eq!(store.stories().await.unwrap().len(), kept, "{role:?}");
            store.close();
        }
    }

    #[wasm_bindgen_test]
    async fn editing_an_answered_template_keeps_the_old_version_for_its_responses() {
        use spor_core::language::Texts;
        use spor_core::survey::{Question, QuestionId, QuestionKind, SurveyTemplate};

        let store = fresh_store("spor-test-templates").await;
        let question = |id: &str| Question {
            id: QuestionId::new(id),
            text: Texts::new(format!("Spørgsmål {id}"), format!("Question {id}")),
            kind: QuestionKind::Smiley,
            required: true,
        };
        let first = SurveyTemplate::custom(
            Texts::new("Efter caféen", "After the café"),
            vec![question("mood")],
        );
        store.save_template(&first).await.unwrap();
        assert!(!store.template_answered(&first).await.unwrap());
        // Edited before anyone answered: still version 1.
        let unanswered = first
            .revise(
                first.name.clone(),
                vec![question("mood"), question("food")],
                false,
            )
            .unwrap();
        store.save_template(&unanswered).await.unwrap();
        assert_eq!(store.templates().await.unwrap(), vec![unanswered.clone()]);

        let mut response = who5([1, 1, 1, 1, 1]);
        response.template = first.id;
        response.template_version = 1;
        response.answers = [(QuestionId::new("mood"), Answer::Smiley(4))].into();
        store.save_response(&response).await.unwrap();
        assert!(store.template_answered(&unanswered).await.unwrap());

        let second = unanswered
            .revise(unanswered.name.clone(), vec![question("mood")], true)
            .unwrap();
        assert_eq!(second.version, 2);
        store.save_template(&second).await.unwrap();
        assert_eq!(
            store.templates().await.unwrap(),
            vec![second.clone()],
            "the newest version is offered"
        );
        assert_eq!(store.template(first.id).await.unwrap(), Some(second));
        assert_eq!(
            store.responses().await.unwrap()[0].template_version,
            1,
            "the response keeps its version"
        );
        let queued: Vec<String> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|entry| match entry.mutation.change {
                Change::Patch { fields, .. } => Some(fields.into_keys().collect::<Vec<_>>().join(",")),
                _ => None,
            })
            .collect();
        assert_eq!(queued, ["v1", "v1", "v2"]);
        store.close();
    }
}

mod trends {
    use super::fresh_store;
    use chrono::{NaiveDate, Utc};
    use spor_core::Role;
    use spor_core::activity::Occurrence;
    use spor_core::attendance::{Attendance, AttendanceChange, AttendanceEvent, HeadcountEvent};
    use spor_core::backup::{BACKUP_FORMAT, BACKUP_VERSION, Backup};
    use spor_core::demo::{DemoSize, generate};
    use spor_core::hlc::Hlc;
    use spor_core::ids::*;
    use spor_core::organisation::ReportingSettings;
    use spor_core::participant::{Consent, Participant};
    use spor_core::period::Granularity;
    use spor_core::sync::{Change, PullResponse, PulledChange};
    use spor_core::trends::{Query, Trends, Visit};
    use wasm_bindgen_test::*;

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn check_in(participant: ParticipantId, activity: ActivityId, date: NaiveDate) -> Attendance {
        Attendance {
            id: AttendanceId::generate(),
            participant,
            activity,
            date,
            role: Role::Bruger,
            recorded_at: Utc::now(),
            recorded_by: DeviceId::generate(),
        }
    }

    fn participant(pseudonym: &str) -> Participant {
        Participant {
            id: ParticipantId::generate(),
            pseudonym: pseudonym.to_owned(),
            birth_decade: None,
            default_role: Role::Bruger,
            consent: Consent::default(),
            activities: Vec::new(),
            erased: false,
            merged_into: None,
        }
    }

    /// (participant, date, role) of every visit, sorted: what the trends count.
    fn visits(visits: &[Visit]) -> Vec<(ParticipantId, NaiveDate, Role)> {
        let mut seen: Vec<_> = visits
            .iter()
            .map(|visit| (visit.participant, visit.date, visit.role))
            .collect();
        seen.sort();
        seen
    }

    #[wasm_bindgen_test]
    async fn the_trends_follow_every_kind_of_write() {
        let store = fresh_store("spor-test-trend-months").await;
        let activity = ActivityId::generate();
        let [ane, bo, cai, dan] = ["Ane", "Bo", "Cai", "Dan"].map(participant);
        for person in [&ane, &bo, &cai, &dan] {
            store.save_participant(person).await.unwrap();
        }
        let ane_today = check_in(ane.id, activity, date(11, 26));
        let bo_today = check_in(bo.id, activity, date(11, 26));
        let cai_october = check_in(cai.id, activity, date(10, 8));
        for attendance in [&ane_today, &bo_today, &cai_october] {
            store.check_in(attendance).await.unwrap();
        }
        let mut clock = Hlc::start(DeviceId::generate());
        let mut event = |attendance: &Attendance, change| {
            clock = clock.tick(1_764_000_000_000);
            AttendanceEvent {
                id: AttendanceEventId::generate(),
                attendance: attendance.id,
                change,
                stamp: clock,
            }
        };
        let withdraw_bo = event(&bo_today, AttendanceChange::Withdrawn);
        store
            .record_attendance_event(&withdraw_bo, bo_today.occurrence())
            .await
            .unwrap();
        store
            .record_headcount(&HeadcountEvent {
                id: HeadcountEventId::generate(),
                activity,
                date: date(10, 8),
                role: Role::Deltager,
                delta: 1,
                recorded_at: Utc::now(),
                recorded_by: DeviceId::generate(),
            })
            .await
            .unwrap();

        let first = store.trends_dataset().await.unwrap();
        assert_eq!(
            visits(&first.visits),
            visits(&[
                Visit {
                    participant: ane.id,
                    activity,
                    date: date(11, 26),
                    role: Role::Bruger
                },
                Visit {
                    participant: cai.id,
                    activity,
                    date: date(10, 8),
                    role: Role::Bruger
                },
            ]),
            "the withdrawn check-in is not a visit"
        );
        assert_eq!(first.headcounts.len(), 1);

        // Each write after the first read reaches the next one: its month was marked stale.
        let restore_bo = event(&bo_today, AttendanceChange::Restored);
        let promote_ane = event(
            &ane_today,
            AttendanceChange::RoleChanged {
                role: Role::Frivillig,
            },
        );
        for change in [&restore_bo, &promote_ane] {
            let occurrence = Occurrence {
                activity,
                date: date(11, 26),
            };
            store.record_attendance_event(change, occurrence).await.unwrap();
        }
        let dan_september = check_in(dan.id, activity, date(9, 2));
        store
            .apply_pulled(&PullResponse {
                changes: vec![PulledChange {
                    seq: 1,
                    change: Change::CheckIn {
                        attendance: dan_september.clone(),
                    },
                }],
                cursor: 1,
                has_more: false,
            })
            .await
            .unwrap();
        let second = store.trends_dataset().await.unwrap();
        assert_eq!(
            visits(&second.visits),
            visits(&[
                Visit {
                    participant: ane.id,
                    activity,
                    date: date(11, 26),
                    role: Role::Frivillig
                },
                Visit {
                    participant: bo.id,
                    activity,
                    date: date(11, 26),
                    role: Role::Bruger
                },
                Visit {
                    participant: cai.id,
                    activity,
                    date: date(10, 8),
                    role: Role::Bruger
                },
                Visit {
                    participant: dan.id,
                    activity,
                    date: date(9, 2),
                    role: Role::Bruger
                },
            ])
        );

        // Another tab (a second connection) checks someone in: this connection's next read sees it.
        let other_tab = spor::store::Store::open("spor-test-trend-months").await.unwrap();
        other_tab
            .check_in(&check_in(bo.id, activity, date(11, 19)))
            .await
            .unwrap();
        other_tab.close();
        let after_other_tab = store.trends_dataset().await.unwrap();
        assert_eq!(after_other_tab.visits.len(), 5);

        store.merge_participants(dan.id, cai.id).await.unwrap();
        let merged = store.trends_dataset().await.unwrap();
        assert!(
            merged
                .visits
                .iter()
                .any(|v| v.participant == cai.id && v.date == date(9, 2))
                && merged.visits.iter().all(|v| v.participant != dan.id),
            "a merged person's visits count as the kept person's"
        );
        store.close();
    }

    #[wasm_bindgen_test]
    async fn an_imported_year_gives_the_same_figures_as_its_records() {
        let store = fresh_store("spor-test-trend-import").await;
        let today = date(11, 25);
        let size = DemoSize {
            activities: 3,
            participants: 60,
            attendances: 1_500,
            responses: 300,
        };
        let demo = generate(size, 5, today, spor_core::Language::Da);
        let expected = demo.dataset();
        // Read once first, so the import must replace packs that already exist.
        assert!(store.trends_dataset().await.unwrap().visits.is_empty());
        store
            .import_backup(Backup {
                format: BACKUP_FORMAT.to_owned(),
                version: BACKUP_VERSION,
                exported_at: Utc::now(),
                device: DeviceId::generate(),
                activities: demo.activities,
                participants: demo.participants,
                attendance: demo.attendance,
                attendance_events: Vec::new(),
                headcounts: demo.headcounts,
                templates: Vec::new(),
                responses: demo.responses,
                goals: Vec::new(),
                reflections: Vec::new(),
                session_logs: demo.session_logs,
                theories: Vec::new(),
                stories: Vec::new(),
                report_texts: Vec::new(),
            })
            .await
            .unwrap();
        let read = store.trends_dataset().await.unwrap();
        let query = Query {
            from: date(1, 1),
            to: today,
            granularity: Granularity::Month,
            activity: None,
            settings: ReportingSettings::default(),
        };
        assert_eq!(read.visits.len(), 1_500);
        assert_eq!(Trends::compute(&read, &query), Trends::compute(&expected, &query));

        // A pack that cannot be read is rebuilt from the records: text, as an earlier version of
        // the app stored packs, and bytes that are no pack.
        let damaged: [wasm_bindgen::JsValue; 2] = [
            "{\"p\":[],\"v\":[]}".into(),
            js_sys::Uint8Array::from(&[0xff_u8, 0xff, 0xff][..]).into(),
        ];
        for damage in damaged {
            let raw = rexie::Rexie::builder("spor-test-trend-import")
                .build()
                .await
                .unwrap();
            let transaction = raw
                .transaction(&["trend_months"], rexie::TransactionMode::ReadWrite)
                .unwrap();
            let packs = transaction.store("trend_months").unwrap();
            let key = packs.get_all_keys(None, Some(1)).await.unwrap().remove(0);
            packs.put(&damage, Some(&key)).await.unwrap();
            transaction.done().await.unwrap();
            raw.close();
            let repaired = store.trends_dataset().await.unwrap();
            assert_eq!(
                Trends::compute(&repaired, &query),
                Trends::compute(&expected, &query)
            );
        }
        store.close();
    }
}

mod goals {
    use super::fresh_store;
    use chrono::{NaiveDate, Utc};
    use spor_core::goal::{Comparison, Goal, GoalMetric};
    use spor_core::ids::*;
    use spor_core::reflection::Reflection;
    use spor_core::sync::{Change, EntityKind, PullResponse, PulledChange};
    use wasm_bindgen_test::*;

    fn goal(activity: ActivityId) -> Goal {
        Goal {
            id: GoalId::generate(),
            activity,
            metric: GoalMetric::MeanAttendance,
            comparison: Comparison::AtLeast,
            target: Some(12.0),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            outcome: None,
        }
    }

    #[wasm_bindgen_test]
    async fn goals_and_reflections_are_saved_deleted_pulled_and_backed_up_with_their_changes() {
        let store = fresh_store("spor-test-goals").await;
        let activity = ActivityId::generate();
        let twelve = goal(activity);
        store.save_goal(&twelve).await.unwrap();
        let note = Reflection {
            id: ReflectionId::generate(),
            activity,
            from: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            text: "Godt med suppe.".into(),
            written_at: Utc::now(),
        };
        store.save_reflection(&note).await.unwrap();
        assert_eq!(store.goals().await.unwrap(), vec![twelve.clone()]);
        assert_eq!(store.reflections().await.unwrap(), vec![note.clone()]);
        let backup = store.export_backup().await.unwrap();
        assert_eq!((backup.goals.len(), backup.reflections.len()), (1, 1));

        store.delete_goal(&twelve).await.unwrap();
        assert!(store.goals().await.unwrap().is_empty());
        let queued: Vec<_> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .map(|entry| match entry.mutation.change {
                Change::Patch { entity, .. } => ("patch", entity.kind),
                Change::Delete { entity, .. } => ("delete", entity.kind),
                _ => ("other", EntityKind::Organisation),
            })
            .collect();
        assert_eq!(
            queued,
            [
                ("patch", EntityKind::Goal),
                ("patch", EntityKind::Reflection),
                ("delete", EntityKind::Goal)
            ]
        );

        // Another coordinator's goal arrives as a patch of every field.
        let theirs = goal(activity);
        let other_device = fresh_store("spor-test-goals-other").await;
        other_device.save_goal(&theirs).await.unwrap();
        let change = other_device.outbox().await.unwrap().remove(0).mutation.change;
        other_device.close();
        store
            .apply_pulled(&PullResponse {
                changes: vec![PulledChange { seq: 1, change }],
                cursor: 1,
                has_more: false,
            })
            .await
            .unwrap();
        assert_eq!(store.goals().await.unwrap(), vec![theirs]);
        store.close();
    }
}

mod theories {
    use super::fresh_store;
    use chrono::NaiveDate;
    use spor_core::ids::*;
    use spor_core::theory::{self, Outcome, Term, TheoryOfChange};
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn a_revision_is_a_new_version_and_the_old_one_stays() {
        let store = fresh_store("spor-test-theories").await;
        let cafe = ActivityId::generate();
        let first = TheoryOfChange {
            target_group: "Ældre, der bor alene".into(),
            activities: "En ugentlig café".into(),
            outcomes: vec![Outcome {
                id: OutcomeId::generate(),
                term: Term::Short,
                text: "Kender nogen at tale med".into(),
            }],
            ..TheoryOfChange::first(
                Some(cafe),
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                spor_core::Language::Da,
            )
        };
        store.save_theory(&first).await.unwrap();
        let second = first.revision(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        store.save_theory(&second).await.unwrap();
        let stored = store.theories().await.unwrap();
        let versions: Vec<u32> = theory::versions(&stored, Some(cafe))
            .iter()
            .map(|t| t.version)
            .collect();
        assert_eq!(versions, [2, 1]);
        assert_eq!(store.outbox().await.unwrap().len(), 2);
        assert_eq!(store.export_backup().await.unwrap().theories.len(), 2);
        store.close();
    }
}

mod session_logs {
    use super::fresh_store;
    use chrono::NaiveDate;
    use spor_core::activity::Occurrence;
    use spor_core::ids::*;
    use spor_core::session_log::SessionLog;
    use spor_core::sync::{Change, EntityKind, PullResponse, PulledChange};
    use wasm_bindgen_test::*;

    fn log(occurrence: Occurrence, volunteers: u16, minutes: u32) -> SessionLog {
        SessionLog {
            id: SessionLogId::of(occurrence),
            activity: occurrence.activity,
            date: occurrence.date,
            volunteers,
            volunteer_minutes: minutes,
            cancelled: None,
        }
    }

    #[wasm_bindgen_test]
    async fn a_session_has_one_log_whoever_writes_it_and_it_travels_with_the_backup() {
        let store = fresh_store("spor-test-session-logs").await;
        let thursday = Occurrence {
            activity: ActivityId::generate(),
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        };
        assert_eq!(store.session_log(thursday).await.unwrap(), None);
        store.save_session_log(&log(thursday, 2, 240)).await.unwrap();
        store.save_session_log(&log(thursday, 3, 360)).await.unwrap();
        assert_eq!(
            store.session_log(thursday).await.unwrap(),
            Some(log(thursday, 3, 360))
        );
        assert_eq!(
            store.session_logs().await.unwrap().len(),
            1,
            "one log per session"
        );
        let queued: Vec<EntityKind> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|entry| match entry.mutation.change {
                Change::Patch { entity, .. } => Some(entity.kind),
                _ => None,
            })
            .collect();
        assert_eq!(queued, [EntityKind::SessionLog, EntityKind::SessionLog]);
        assert_eq!(
            store.export_backup().await.unwrap().session_logs,
            [log(thursday, 3, 360)]
        );

        // Another phone cancels the same session: its change lands on the same record.
        let other_phone = fresh_store("spor-test-session-logs-other").await;
        let cancelled = SessionLog {
            cancelled: Some("Lokalet var lukket".into()),
            ..log(thursday, 0, 0)
        };
        other_phone.save_session_log(&cancelled).await.unwrap();
        let change = other_phone.outbox().await.unwrap().remove(0).mutation.change;
        other_phone.close();
        store
            .apply_pulled(&PullResponse {
                changes: vec![PulledChange { seq: 1, change }],
                cursor: 1,
                has_more: false,
            })
            .await
            .unwrap();
        assert_eq!(store.session_logs().await.unwrap(), [cancelled]);
        store.close();
    }
}

mod upgrades {
    //! A database made by every earlier schema opens in this version with every record intact, and
    //! a tab still open when a newer version upgrades the database carries on.

    use super::attendance::{check_in, occurrence};
    use super::fresh_store;
    use chrono::NaiveDate;
    use rexie::{Index, ObjectStore, Rexie, RexieBuilder, TransactionMode};
    use serde_json::Value;
    use spor::store::{SCHEMA_VERSION, Store, StoreError};
    use spor_core::Role;
    use spor_core::activity::Occurrence;
    use spor_core::ids::*;
    use spor_core::sync::{Change, RejectReason};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::*;

    /// Records as earlier versions stored them, per store.
    const RECORDS: &str = include_str!("fixtures/store-records.json");

    /// The earlier schemas, each as that version of `src/store/schema.rs` declared it. Version 4
    /// shipped twice: first with responses only, then with templates and a template index.
    #[derive(Debug, Clone, Copy)]
    enum Earlier {
        V1,
        V2,
        V3,
        V4Responses,
        V4Templates,
        V5,
        V6,
    }

    impl Earlier {
        const ALL: [Earlier; 7] = [
            Earlier::V1,
            Earlier::V2,
            Earlier::V3,
            Earlier::V4Responses,
            Earlier::V4Templates,
            Earlier::V5,
            Earlier::V6,
        ];

        fn version(self) -> u32 {
            match self {
                Earlier::V1 => 1,
                Earlier::V2 => 2,
                Earlier::V3 => 3,
                Earlier::V4Responses | Earlier::V4Templates => 4,
                Earlier::V5 => 5,
                Earlier::V6 => 6,
            }
        }

        fn builder(self, name: &str) -> RexieBuilder {
            let mut builder = Rexie::builder(name)
                .version(self.version())
                .add_object_store(ObjectStore::new("meta"));
            if matches!(self, Earlier::V1) {
                return builder;
            }
            builder = builder
                .add_object_store(ObjectStore::new("activities").key_path("id"))
                .add_object_store(ObjectStore::new("participants").key_path("id"))
                .add_object_store(
                    ObjectStore::new("attendance")
                        .key_path("id")
                        .add_index(Index::new_array("occurrence", ["activity", "date"]))
                        .add_index(Index::new("activity", "activity"))
                        .add_index(Index::new("participant", "participant"))
                        .add_index(
                            Index::new_array("natural_key", ["participant", "activity", "date"]).unique(true),
                        ),
                )
                .add_object_store(
                    ObjectStore::new("attendance_events")
                        .key_path("id")
                        .add_index(Index::new("attendance", "attendance")),
                )
                .add_object_store(
                    ObjectStore::new("headcounts")
                        .key_path("id")
                        .add_index(Index::new_array("occurrence", ["activity", "date"])),
                )
                .add_object_store(
                    ObjectStore::new("outbox")
                        .key_path("seq")
                        .auto_increment(true)
                        .add_index(Index::new("mutation", "mutation.id").unique(true)),
                );
            if matches!(self, Earlier::V2) {
                return builder;
            }
            builder = builder.add_object_store(ObjectStore::new("dead_letters").key_path("entry.seq"));
            let responses = ObjectStore::new("responses")
                .key_path("id")
                .add_index(Index::new("activity", "activity"))
                .add_index(Index::new("participant", "participant"));
            builder = match self {
                Earlier::V3 => return builder,
                Earlier::V4Responses => return builder.add_object_store(responses),
                _ => builder
                    .add_object_store(responses.add_index(Index::new_array(
                        "template_version",
                        ["template", "template_version"],
                    )))
                    .add_object_store(ObjectStore::new("templates").key_path_array(["id", "version"])),
            };
            let builder = match self {
                Earlier::V5 | Earlier::V6 => builder
                    .add_object_store(ObjectStore::new("goals").key_path("id"))
                    .add_object_store(ObjectStore::new("reflections").key_path("id"))
                    .add_object_store(ObjectStore::new("trend_months"))
                    .add_object_store(ObjectStore::new("trend_stale")),
                _ => return builder,
            };
            match self {
                Earlier::V6 => builder
                    .add_object_store(ObjectStore::new("session_logs").key_path("id"))
                    .add_object_store(ObjectStore::new("theories").key_path("id"))
                    .add_object_store(
                        ObjectStore::new("stories")
                            .key_path("id")
                            .add_index(Index::new("participant", "participant")),
                    ),
                _ => builder,
            }
        }
    }

    fn fixture() -> Value {
        serde_json::from_str(RECORDS).unwrap()
    }

    fn js(value: &Value) -> JsValue {
        js_sys::JSON::parse(&value.to_string()).unwrap()
    }

    /// Every record of `store`, as plain JSON.
    async fn raw_records(db: &Rexie, store: &str) -> Vec<Value> {
        let transaction = db.transaction(&[store], TransactionMode::ReadOnly).unwrap();
        let values = transaction
            .store(store)
            .unwrap()
            .get_all(None, None)
            .await
            .unwrap();
        values
            .into_iter()
            .map(|value| {
                serde_json::from_str(&String::from(js_sys::JSON::stringify(&value).unwrap())).unwrap()
            })
            .collect()
    }

    async fn seed(db: &Rexie, fixture: &Value) -> Vec<String> {
        let stores = db.store_names();
        let transaction = db.transaction(&stores, TransactionMode::ReadWrite).unwrap();
        for name in &stores {
            let store = transaction.store(name).unwrap();
            for record in fixture[name.as_str()].as_array().unwrap() {
                match name.as_str() {
                    "meta" => store.put(&js(&record[1]), Some(&js(&record[0]))).await.unwrap(),
                    _ => store.put(&js(record), None).await.unwrap(),
                };
            }
        }
        transaction.done().await.unwrap();
        stores
    }

    fn day() -> Occurrence {
        Occurrence {
            activity: ActivityId(uuid::Uuid::parse_str("0190a0b0-0000-7000-8000-00000000a001").unwrap()),
            date: NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
        }
    }

    #[wasm_bindgen_test]
    async fn a_database_of_every_earlier_schema_opens_with_every_record_intact() {
        let fixture = fixture();
        for earlier in Earlier::ALL {
            let name = format!("spor-test-upgrade-{earlier:?}");
            Store::delete(&name).await.unwrap();
            let old = earlier.builder(&name).build().await.unwrap();
            let seeded = seed(&old, &fixture).await;
            old.close();

            let store = Store::open(&name).await.unwrap();
            assert_eq!(store.schema_version(), Some(SCHEMA_VERSION), "{earlier:?}");
            // Every record exactly as the old version stored it.
            let raw = Rexie::builder(&name).build().await.unwrap();
            for name in seeded.iter().filter(|name| *name != "meta") {
                assert_eq!(
                    raw_records(&raw, name).await,
                    fixture[name.as_str()].as_array().unwrap().clone(),
                    "{earlier:?}: {name}"
                );
            }
            raw.close();

            // And read by today's code.
            assert_eq!(
                store.device_id().await.unwrap().to_string(),
                fixture["meta"][0][1].as_str().unwrap(),
                "{earlier:?}"
            );
            if earlier.version() >= 2 {
                let records = store.occurrence_records(day()).await.unwrap();
                assert_eq!(
                    (
                        records.attendances.len(),
                        records.events.len(),
                        records.headcounts.len()
                    ),
                    (2, 1, 1),
                    "{earlier:?}"
                );
                let outbox = store.outbox().await.unwrap();
                assert_eq!(outbox.len(), 2, "{earlier:?}");
                assert!(
                    matches!(&outbox[0].mutation.change, Change::CheckIn { attendance } if attendance.activity == day().activity)
                );
                let trends = store.trends_dataset().await.unwrap();
                let roles: Vec<Role> = trends.visits.iter().map(|visit| visit.role).collect();
                assert!(
                    roles.contains(&Role::Deltager) && roles.contains(&Role::Frivillig),
                    "{earlier:?}: the role change counts"
                );
                assert_eq!(
                    trends.responses.len(),
                    usize::from(earlier.version() >= 4),
                    "{earlier:?}"
                );
            }
            if earlier.version() >= 3 {
                let dead = store.dead_letters().await.unwrap();
                assert!(
                    matches!(dead[..], [ref letter] if letter.reason == RejectReason::Forbidden),
                    "{earlier:?}"
                );
            }
            assert_eq!(
                store.responses().await.unwrap().len(),
                usize::from(earlier.version() >= 4)
            );
            assert_eq!(
                store.templates().await.unwrap().len(),
                usize::from(matches!(
                    earlier,
                    Earlier::V4Templates | Earlier::V5 | Earlier::V6
                ))
            );
            // A theory and a story stored before they knew their language read as Danish.
            if earlier.version() >= 6 {
                let theories = store.theories().await.unwrap();
                let stories = store.stories().await.unwrap();
                assert_eq!(
                    (
                        theories.len(),
                        theories[0].language,
                        stories.len(),
                        stories[0].language
                    ),
                    (1, spor_core::Language::Da, 1, spor_core::Language::Da)
                );
            }
            // The stores added since work too, and so does a new check-in.
            assert!(store.goals().await.unwrap().is_empty());
            assert!(store.session_logs().await.unwrap().is_empty());
            assert!(store.report_texts().await.unwrap().is_empty());
            store
                .check_in(&check_in(ParticipantId::generate(), day().activity))
                .await
                .unwrap();
            store.close();
            Store::delete(&name).await.unwrap();
        }
    }

    /// Opens `name` as a newer version of the app would, in another tab: one version up, adding a
    /// store, and (with `dropping`) removing one this version uses. Fails if an open tab blocks it.
    async fn upgrade_elsewhere(name: &str, dropping: Option<&str>) -> JsValue {
        let drop = dropping
            .map(|store| format!("request.result.deleteObjectStore('{store}');"))
            .unwrap_or_default();
        let script = format!(
            "new Promise((resolve, reject) => {{
                const request = indexedDB.open('{name}', {});
                request.onupgradeneeded = () => {{ request.result.createObjectStore('later'); {drop} }};
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
                request.onblocked = () => reject(new Error('the upgrade was blocked by an open tab'));
            }})",
            SCHEMA_VERSION + 1
        );
        let promise: js_sys::Promise = js_sys::eval(&script).unwrap().unchecked_into();
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap()
    }

    fn close(connection: JsValue) {
        let close: js_sys::Function = js_sys::Reflect::get(&connection, &"close".into())
            .unwrap()
            .unchecked_into();
        close.call0(&connection).unwrap();
    }

    #[wasm_bindgen_test]
    async fn a_tab_still_open_when_a_newer_version_upgrades_carries_on_with_the_upgraded_database() {
        let name = "spor-test-upgrade-open-tab";
        let store = fresh_store(name).await;
        let activity = ActivityId::generate();
        let occurrence = occurrence(activity);
        store
            .check_in(&check_in(ParticipantId::generate(), activity))
            .await
            .unwrap();

        // The newer version's upgrade is not blocked by this tab, and this tab's next write works.
        let newer = upgrade_elsewhere(name, None).await;
        store
            .check_in(&check_in(ParticipantId::generate(), activity))
            .await
            .unwrap();
        assert_eq!(
            store
                .occurrence_records(occurrence)
                .await
                .unwrap()
                .attendances
                .len(),
            2
        );
        assert_eq!(store.schema_version(), Some(SCHEMA_VERSION + 1));
        close(newer);
        store.close();
        Store::delete(name).await.unwrap();

        // A newer version that removed a store this one needs: a clear "reload" error, nothing lost.
        let store = fresh_store(name).await;
        store
            .check_in(&check_in(ParticipantId::generate(), activity))
            .await
            .unwrap();
        let newer = upgrade_elsewhere(name, Some("goals")).await;
        assert_eq!(
            store
                .check_in(&check_in(ParticipantId::generate(), activity))
                .await,
            Err(StoreError::Outdated)
        );
        close(newer);
        let reopened = Rexie::builder(name).build().await.unwrap();
        assert_eq!(raw_records(&reopened, "attendance").await.len(), 1);
        reopened.close();
        store.close();
        Store::delete(name).await.unwrap();
    }
}

/// spor-core's reference scenarios through the real store, with fixed seeds: a phone pulls what
/// three devices made, in pages in the order one server logs them, with a page pulled twice. It
/// ends in the state the reference model reaches, and no erased participant's name is anywhere on
/// it, not in a backup either.
mod reference_scenarios {
    use std::collections::{BTreeMap, BTreeSet};

    use super::fresh_store;
    use chrono::NaiveDate;
    use serde_json::Value;
    use spor::store::Store;
    use spor_core::Role;
    use spor_core::access::DeviceRole;
    use spor_core::activity::Occurrence;
    use spor_core::attendance::Attendance;
    use spor_core::hlc::Hlc;
    use spor_core::ids::{DeviceId, ParticipantId};
    use spor_core::participant::{Consent, Participant};
    use spor_core::rules::model::{self, Made, Replica, View};
    use spor_core::sync::{Change, EntityKind, EntityRef, PullResponse, PulledChange, Stamped};
    use uuid::Uuid;
    use wasm_bindgen_test::*;

    /// Every scenario person as a whole record, written before the scenario's own changes: a
    /// phone stores a participant only once all of its fields have arrived.
    fn people() -> Vec<Change> {
        (0..model::PEOPLE)
            .map(|n| {
                let participant = Participant {
                    id: model::person(n),
                    pseudonym: format!("Person {n}"),
                    birth_decade: None,
                    default_role: Role::Bruger,
                    consent: Consent::default(),
                    activities: vec![model::activity()],
                    erased: false,
                    merged_into: None,
                };
                let stamp = Hlc {
                    wall_ms: model::NOW_MS - 1_000_000,
                    counter: 0,
                    device: DeviceId(Uuid::from_u128(99)),
                };
                let Value::Object(fields) = serde_json::to_value(&participant).unwrap() else {
                    unreachable!("a participant is an object")
                };
                Change::Patch {
                    entity: EntityRef {
                        kind: EntityKind::Participant,
                        id: participant.id.0,
                    },
                    fields: fields
                        .into_iter()
                        .filter(|(name, _)| name != "id" && name != "merged_into")
                        .map(|(name, value)| (name, Stamped { value, stamp }))
                        .collect(),
                }
            })
            .collect()
    }

    fn page(changes: &[Change], first_seq: u64) -> PullResponse {
        PullResponse {
            changes: changes
                .iter()
                .enumerate()
                .map(|(index, change)| PulledChange {
                    seq: first_seq + index as u64,
                    change: change.clone(),
                })
                .collect(),
            cursor: first_seq + changes.len() as u64,
            has_more: true,
        }
    }

    /// Who a stored participant is now: merges followed to their end.
    fn current(people: &[Participant], mut who: ParticipantId) -> ParticipantId {
        for _ in 0..people.len() {
            match people.iter().find(|p| p.id == who).and_then(|p| p.merged_into) {
                Some(into) => who = into,
                None => break,
            }
        }
        who
    }

    /// Per person and day, whether their attendance is withdrawn, as the phone holds it.
    async fn withdrawals(
        store: &Store,
        people: &[Participant],
        seed: u64,
    ) -> BTreeMap<(ParticipantId, NaiveDate), bool> {
        let check_ins: Vec<Attendance> = store.attendance_at(model::activity()).await.unwrap();
        let dates: BTreeSet<NaiveDate> = check_ins.iter().map(|check_in| check_in.date).collect();
        let mut withdrawn = BTreeMap::new();
        for date in dates {
            let records = store
                .occurrence_records(Occurrence {
                    activity: model::activity(),
                    date,
                })
                .await
                .unwrap();
            for check_in in &records.attendances {
                let key = (current(people, check_in.participant), date);
                assert!(
                    withdrawn
                        .insert(key, check_in.state(&records.events).withdrawn)
                        .is_none(),
                    "seed {seed}: {key:?} is checked in twice"
                );
            }
        }
        withdrawn
    }

    #[wasm_bindgen_test]
    async fn a_phone_ends_where_the_reference_model_does_and_keeps_no_erased_name() {
        let (mut erased_somewhere, mut merged_somewhere) = (false, false);
        for seed in 11..31u64 {
            let store = fresh_store(&format!("spor-test-scenario-{seed}")).await;
            let changes = model::changes(&Made::draw(40, seed));
            // The server, as the model has it: the people first, then what the devices made,
            // arriving in some order with repeats and retried drops.
            let mut server = Replica::default();
            for change in people().iter().chain(
                model::delivery(changes.len(), seed)
                    .into_iter()
                    .map(|index| &changes[index]),
            ) {
                server.receive(change, Some(DeviceRole::Coordinator));
            }
            let View {
                fields,
                erased,
                attendance,
            } = server.view();

            let mut seq = 1;
            for (number, chunk) in server.log().chunks(1 + seed as usize % 7).enumerate() {
                store.apply_pulled(&page(chunk, seq)).await.unwrap();
                if number == 2 {
                    // The answer was lost on the way: the same page again.
                    store.apply_pulled(&page(chunk, seq)).await.unwrap();
                }
                seq += chunk.len() as u64;
            }

            let people = store.participants().await.unwrap();
            let here_erased: BTreeSet<ParticipantId> =
                people.iter().filter(|p| p.erased).map(|p| p.id).collect();
            assert_eq!(here_erased, erased, "seed {seed}: who is erased");
            for person in people.iter().filter(|p| !p.erased) {
                let name = &fields[&(
                    EntityRef {
                        kind: EntityKind::Participant,
                        id: person.id.0,
                    },
                    "pseudonym".to_owned(),
                )];
                assert_eq!(
                    Value::from(person.pseudonym.clone()),
                    *name,
                    "seed {seed}: {:?}'s name",
                    person.id
                );
            }
            let expected: BTreeMap<(ParticipantId, NaiveDate), bool> = attendance
                .into_iter()
                .map(|(key, (_, withdrawn))| (key, withdrawn))
                .collect();
            assert_eq!(
                withdrawals(&store, &people, seed).await,
                expected,
                "seed {seed}: attendance"
            );

            let names_ever: BTreeSet<String> = changes
                .iter()
                .filter_map(|change| match change {
                    Change::Patch { entity, fields } if erased.contains(&ParticipantId(entity.id)) => fields
                        .get("pseudonym")
                        .and_then(|field| field.value.as_str().map(str::to_owned)),
                    _ => None,
                })
                .collect();
            let kept_names: BTreeSet<&str> = people.iter().map(|p| p.pseudonym.as_str()).collect();
            let backup = serde_json::to_string(&store.export_backup().await.unwrap()).unwrap();
            for name in &names_ever {
                // A name an erased person once had may be another's name now; only theirs must go.
                if !kept_names.contains(name.as_str()) {
                    assert!(
                        !backup.contains(&format!("\"{name}\"")),
                        "seed {seed}: {name} is in the backup"
                    );
                }
            }
            assert!(
                !people.iter().any(|p| p.erased
                    && !p.pseudonym.is_empty()
                    && kept_names.contains(p.pseudonym.as_str())),
                "seed {seed}: an erased record keeps a name"
            );
            erased_somewhere |= !erased.is_empty();
            merged_somewhere |= people.iter().any(|p| p.merged_into.is_some());
            store.close();
            Store::delete(&format!("spor-test-scenario-{seed}"))
                .await
                .unwrap();
        }
        assert!(
            erased_somewhere && merged_somewhere,
            "the seeds erase and merge someone"
        );
    }
}
