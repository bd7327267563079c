//! A model-based test of spor-core's rulebook (`rules`), on the reference model `rules::model`:
//! changes made on several devices are delivered to a server replica and to each device's replica
//! in random orders, with repeats and with drops that are retried later; merges reach phones only
//! through the server's log, in its order. Each replica decides every change with the rulebook
//! alone. At the end every replica holds the same state, and no erased participant's pseudonym is
//! anywhere.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::json;
use spor_core::access::DeviceRole;
use spor_core::rules::model::{
    DEVICES, Made, PEOPLE, Replica, changes, delivery, linked_phone_order, patch, person, stamp,
};
use spor_core::sync::Change;

fn made() -> impl Strategy<Value = Made> {
    prop_oneof![
        4 => (0..PEOPLE, 0u8..4, 0..DEVICES, 0u64..40).prop_map(|(person, name, device, wall)| Made::Name { person, name, device, wall }),
        3 => (0..PEOPLE, 1u32..4, 0..DEVICES).prop_map(|(person, day, device)| Made::CheckIn { person, day, device }),
        2 => (0usize..20, 0..DEVICES, 0u64..40).prop_map(|(check_in, device, wall)| Made::Withdraw { check_in, device, wall }),
        1 => (0..PEOPLE, 0..PEOPLE, 0u64..40).prop_map(|(merged, into, wall)| Made::Merge { merged, into, wall }),
        1 => (0..PEOPLE, 0u64..40).prop_map(|(person, wall)| Made::Erase { person, wall }),
        1 => (0..PEOPLE, 0u64..40).prop_map(|(person, wall)| Made::Delete { person, wall }),
        1 => (0u8..3, 0..PEOPLE).prop_map(|(kind, person)| Made::Hostile { kind, person }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_replica_ends_with_the_same_state_and_no_erased_name(
        made in prop::collection::vec(made(), 1..40),
        seeds in prop::collection::vec(any::<u64>(), 4),
    ) {
        let changes = changes(&made);
        let mut server = Replica::default();
        for index in delivery(changes.len(), seeds[0]) {
            server.receive(&changes[index], Some(DeviceRole::Coordinator));
        }
        let expected = server.view();
        // What the server passes on brings a phone that hears only that to the same state.
        let mut listener = Replica::default();
        for logged in server.log() {
            listener.receive(logged, None);
        }
        prop_assert_eq!(&listener.view(), &expected, "a phone pulling the server's log differs");
        for (number, seed) in seeds[1..].iter().enumerate() {
            let mut phone = Replica::default();
            for change in linked_phone_order(&changes, &server, *seed) {
                phone.receive(&change, None);
            }
            prop_assert_eq!(&phone.view(), &expected, "device {} differs from the server", number);
        }
        for erased in &expected.erased {
            prop_assert!(
                !expected.fields.keys().any(|(of, _)| of.id == erased.0),
                "the erased {:?} keeps a field", erased
            );
        }
        prop_assert!(
            !expected.fields.keys().any(|(_, name)| name == "id" || name == "nickname"),
            "a hostile field was stored"
        );
        prop_assert!(
            !expected.fields.values().any(|value| *value == json!("Eva")),
            "a change stamped years ahead was stored"
        );
    }
}

#[test]
fn a_merge_after_the_erasure_of_the_one_kept_erases_the_merged_one_in_any_order() {
    let name = |who: u128, pseudonym: &str| patch(person(who), "pseudonym", json!(pseudonym), stamp(1, 0));
    let merge = Change::MergeParticipants {
        merged: person(1),
        into: person(0),
        stamp: stamp(3, 0),
    };
    let erase = Change::EraseParticipant {
        participant: person(0),
        stamp: stamp(2, 0),
    };
    let orders = [
        vec![name(0, "Åse"), name(1, "Bent"), merge.clone(), erase.clone()],
        vec![name(1, "Bent"), erase.clone(), name(0, "Åse"), merge.clone()],
        vec![erase, merge, name(1, "Bent"), name(0, "Åse")],
    ];
    for order in orders {
        let mut replica = Replica::default();
        for change in &order {
            replica.receive(change, None);
        }
        let view = replica.view();
        assert_eq!(view.erased, BTreeSet::from([person(0), person(1)]));
        assert!(view.fields.is_empty(), "{:?}", view.fields);
    }
}

#[test]
fn two_coordinators_merging_one_person_into_two_people_end_alike_on_every_phone() {
    // Soren (1) has a check-in; one coordinator merges him into Søren K. (3), another, offline, into
    // Søren (2), a third merges Søren into Soren, and a late phone checks Soren in on another day.
    // The server takes them in the order they reach it.
    let check_ins = changes(&[
        Made::CheckIn {
            person: 1,
            day: 1,
            device: 1,
        },
        Made::CheckIn {
            person: 1,
            day: 2,
            device: 2,
        },
    ]);
    let merge = |merged: u128, into: u128, wall: u64| Change::MergeParticipants {
        merged: person(merged),
        into: person(into),
        stamp: stamp(wall, 0),
    };
    let made = [
        check_ins[0].clone(),
        merge(1, 3, 5),
        merge(1, 2, 4),
        merge(2, 1, 6),
        check_ins[1].clone(),
    ];
    let mut server = Replica::default();
    for change in &made {
        server.receive(change, Some(DeviceRole::Coordinator));
    }
    let expected = server.view();
    assert_eq!(
        expected
            .attendance
            .keys()
            .map(|(who, _)| *who)
            .collect::<Vec<_>>(),
        vec![person(3), person(3)],
        "the first merge the server took stands"
    );
    for seed in 1..40 {
        let mut phone = Replica::default();
        for change in linked_phone_order(&made, &server, seed) {
            phone.receive(&change, None);
        }
        assert_eq!(phone.view(), expected, "seed {seed}");
    }
}
