//! How long a participant who no longer comes is kept (GDPR art. 5(1)(e), storage limitation). Off
//! by default: an organisation chooses a period, and a coordinator's device erases the participants
//! not seen for that long, as ordinary erasures that sync to every device.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::ids::ParticipantId;
use crate::participant::Participant;

/// The periods offered, in months.
pub const PERIODS: [u32; 3] = [12, 24, 36];

/// The participants not seen for more than `months` before `today`: current participants whose
/// last check-in, or their registration when they were never checked in (the time in their UUIDv7
/// id), lies before that. Someone whose registration cannot be told and who was never checked in
/// is kept: nothing says they are past the period.
pub fn past_period(
    participants: &[Participant],
    check_ins: impl IntoIterator<Item = (ParticipantId, NaiveDate)>,
    months: u32,
    today: NaiveDate,
) -> Vec<ParticipantId> {
    let Some(limit) = today.checked_sub_months(Months::new(months)) else {
        return Vec::new();
    };
    let mut last_seen: BTreeMap<ParticipantId, NaiveDate> = BTreeMap::new();
    for (participant, date) in check_ins {
        let seen = last_seen.entry(participant).or_insert(date);
        *seen = (*seen).max(date);
    }
    participants
        .iter()
        .filter(|participant| participant.is_current())
        .filter(|participant| {
            let seen = [
                last_seen.get(&participant.id).copied(),
                participant.id.created_on(),
            ]
            .into_iter()
            .flatten()
            .max();
            seen.is_some_and(|seen| seen < limit)
        })
        .map(|participant| participant.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use uuid::{Timestamp, Uuid};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A participant registered on `registered` (an id made then), or with an id that tells no time.
    fn person(registered: Option<&str>, pseudonym: &str) -> Participant {
        let id = match registered {
            Some(date) => {
                let seconds = day(date).and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp() as u64;
                Uuid::new_v7(Timestamp::from_unix(uuid::NoContext, seconds, 0))
            }
            None => Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001),
        };
        Participant {
            pseudonym: pseudonym.into(),
            merged_into: None,
            ..Participant::merged_away(ParticipantId(id), ParticipantId(Uuid::nil()))
        }
    }

    #[test]
    fn exactly_those_not_seen_for_the_period_are_past_it() {
        let today = day("2026-12-07");
        let came_long_ago = person(Some("2023-01-10"), "Åse");
        let came_last_year = person(Some("2023-01-10"), "Bent");
        let never_came = person(Some("2024-06-01"), "Carla");
        let new_this_month = person(Some("2026-12-01"), "Dorte");
        let unknown_registration = person(None, "Eva");
        let mut merged = person(Some("2023-01-10"), "Finn");
        merged.merged_into = Some(came_last_year.id);
        let mut erased = person(Some("2023-01-10"), "");
        erased.erase();
        let everyone = [
            came_long_ago.clone(),
            came_last_year.clone(),
            never_came.clone(),
            new_this_month,
            unknown_registration,
            merged,
            erased,
        ];
        let check_ins = [
            (came_long_ago.id, day("2023-02-01")),
            (came_long_ago.id, day("2024-11-30")),
            (came_last_year.id, day("2023-02-01")),
            (came_last_year.id, day("2025-12-08")),
        ];

        assert_eq!(
            past_period(&everyone, check_ins, 24, today),
            vec![came_long_ago.id, never_came.id]
        );
        // Bent was last seen on 2025-12-08, inside the year before 2026-12-07: he stays.
        assert_eq!(
            past_period(&everyone, check_ins, 12, today),
            vec![came_long_ago.id, never_came.id]
        );
        assert_eq!(
            past_period(&everyone, check_ins, 36, today),
            Vec::<ParticipantId>::new()
        );
    }

    #[test]
    fn the_period_ends_on_the_same_day_of_the_month() {
        let today = day("2026-12-07");
        let seen = person(Some("2020-01-01"), "Åse");
        let on_the_limit = [(seen.id, day("2024-12-07"))];
        assert!(past_period(std::slice::from_ref(&seen), on_the_limit, 24, today).is_empty());
        let a_day_before = [(seen.id, day("2024-12-06"))];
        assert_eq!(
            past_period(std::slice::from_ref(&seen), a_day_before, 24, today),
            vec![seen.id]
        );
    }
}
