//! Mutable records travel as stamped fields (DESIGN.md section 4): per field, the write with the
//! highest stamp wins, ties broken by the device id inside the stamp, so every receiver ends with
//! the same value whatever order the writes arrive in. A deletion's tombstone wins over every
//! write stamped at or before it.
//!
//! The decision is generic over how a receiver holds its stamps ([`crate::hlc::Hlc`] in the app,
//! a text key that sorts the same way in the server's database).

/// What becomes of one incoming field write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDecision {
    /// Newer than what the field holds: it holds this write now (what it replaced, if different,
    /// belongs in the conflict log).
    Applied,
    /// The field already holds this very write.
    Unchanged,
    /// Older than the field's write or its record's tombstone: it belongs in the conflict log.
    Lost,
}

/// Decides one incoming write stamped `incoming` of a field whose current write is stamped
/// `current`, in a record deleted at `tombstone`.
pub fn decide_field<S: Ord>(current: Option<&S>, tombstone: Option<&S>, incoming: &S) -> FieldDecision {
    if tombstone.is_some_and(|deleted| deleted >= incoming) {
        return FieldDecision::Lost;
    }
    match current {
        Some(current) if current == incoming => FieldDecision::Unchanged,
        Some(current) if current > incoming => FieldDecision::Lost,
        _ => FieldDecision::Applied,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::hlc::Hlc;
    use crate::ids::DeviceId;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn stamp(wall_ms: u64, device: u8) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId(Uuid::from_u128(u128::from(device) + 1)),
        }
    }

    #[test]
    fn the_newer_write_wins_and_the_older_is_lost() {
        assert_eq!(decide_field(None, None, &stamp(10, 0)), FieldDecision::Applied);
        assert_eq!(
            decide_field(Some(&stamp(10, 0)), None, &stamp(20, 1)),
            FieldDecision::Applied
        );
        assert_eq!(
            decide_field(Some(&stamp(20, 1)), None, &stamp(15, 2)),
            FieldDecision::Lost
        );
        assert_eq!(
            decide_field(Some(&stamp(20, 1)), None, &stamp(20, 1)),
            FieldDecision::Unchanged
        );
        // The same moment on two devices: the device id decides, the same way everywhere.
        assert_eq!(
            decide_field(Some(&stamp(20, 2)), None, &stamp(20, 1)),
            FieldDecision::Lost
        );
    }

    #[test]
    fn a_tombstone_wins_over_writes_stamped_before_it() {
        assert_eq!(
            decide_field(None, Some(&stamp(30, 0)), &stamp(30, 0)),
            FieldDecision::Lost
        );
        assert_eq!(
            decide_field(None, Some(&stamp(30, 0)), &stamp(29, 5)),
            FieldDecision::Lost
        );
        assert_eq!(
            decide_field(None, Some(&stamp(30, 0)), &stamp(31, 0)),
            FieldDecision::Applied
        );
    }

    proptest! {
        /// Per-field last-writer-wins gives the same result in any order and with any repeats.
        #[test]
        fn field_decisions_are_commutative_and_idempotent(
            writes in prop::collection::vec((0usize..3, 0i64..100, 0u64..20, 0u8..3), 1..30),
            seed in any::<u64>(),
        ) {
            // Two writes with one stamp are one write: a stamp is unique to its edit.
            let mut unique: BTreeMap<(usize, Hlc), i64> = BTreeMap::new();
            for (field, value, wall, device) in writes {
                unique.entry((field, stamp(wall, device))).or_insert(value);
            }
            let writes: Vec<(usize, Hlc, i64)> = unique.into_iter().map(|((f, s), v)| (f, s, v)).collect();
            let apply = |order: &[(usize, Hlc, i64)]| {
                let mut held: BTreeMap<usize, (Hlc, i64)> = BTreeMap::new();
                for (field, stamp, value) in order {
                    if decide_field(held.get(field).map(|(s, _)| s), None, stamp) == FieldDecision::Applied {
                        held.insert(*field, (*stamp, *value));
                    }
                }
                held
            };
            let mut shuffled: Vec<_> = writes.iter().chain(writes.iter()).cloned().collect();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            prop_assert_eq!(apply(&writes), apply(&shuffled));
        }
    }
}
