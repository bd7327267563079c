//! One activity's trend records of one calendar month, packed small. A device keeps one pack per
//! activity and month beside the records, so the trends page reads a year as a few hundred short
//! texts instead of 100,000 separate records (reading those alone takes about a second in a phone's
//! browser).
//!
//! A pack holds only what the figures use: each participant once (visits and responses point at
//! them by position), the day of the month, roles, net anonymous counts, and numeric answers.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, ParticipantId, ResponseId, TemplateId};
use crate::role::Role;
use crate::survey::QuestionId;
use crate::trends::{Answered, Dataset, Headcount, Visit};

/// The first day of the month `date` is in: the month part of a pack's key.
pub fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Every activity and month of `data` with its pack.
pub fn pack_by_month(data: &Dataset) -> BTreeMap<(ActivityId, NaiveDate), MonthPack> {
    type Records<'a> = (Vec<&'a Visit>, Vec<&'a Headcount>, Vec<&'a Answered>);
    let mut months: BTreeMap<(ActivityId, NaiveDate), Records> = BTreeMap::new();
    for visit in &data.visits {
        months
            .entry((visit.activity, month_of(visit.date)))
            .or_default()
            .0
            .push(visit);
    }
    for headcount in &data.headcounts {
        months
            .entry((headcount.activity, month_of(headcount.date)))
            .or_default()
            .1
            .push(headcount);
    }
    for response in &data.responses {
        months
            .entry((response.activity, month_of(response.date)))
            .or_default()
            .2
            .push(response);
    }
    months
        .into_iter()
        .map(|(key, (visits, headcounts, responses))| (key, MonthPack::pack(visits, headcounts, responses)))
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthPack {
    people: Vec<ParticipantId>,
    /// (person, day of month, role at the visit)
    visits: Vec<(u32, u8, Role)>,
    /// (day of month, role, net count of the taps)
    headcounts: Vec<(u8, Role, i32)>,
    responses: Vec<PackedResponse>,
}

/// (id, person if linked, day of month, template, version, recorded at in ms, numeric answers)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PackedResponse(
    ResponseId,
    Option<u32>,
    u8,
    TemplateId,
    u32,
    i64,
    BTreeMap<QuestionId, i64>,
);

impl MonthPack {
    /// Packs one activity's records of one month (the caller picks them by the pack's key).
    pub fn pack<'a>(
        visits: impl IntoIterator<Item = &'a Visit>,
        headcounts: impl IntoIterator<Item = &'a Headcount>,
        responses: impl IntoIterator<Item = &'a Answered>,
    ) -> MonthPack {
        let mut pack = MonthPack::default();
        let mut positions: HashMap<ParticipantId, u32> = HashMap::new();
        let mut person = |participant: ParticipantId, people: &mut Vec<ParticipantId>| {
            *positions.entry(participant).or_insert_with(|| {
                people.push(participant);
                u32::try_from(people.len() - 1).unwrap_or(u32::MAX)
            })
        };
        for visit in visits {
            let position = person(visit.participant, &mut pack.people);
            pack.visits.push((position, day(visit.date), visit.role));
        }
        let mut net: BTreeMap<(u8, Role), i32> = BTreeMap::new();
        for headcount in headcounts {
            *net.entry((day(headcount.date), headcount.role)).or_default() += headcount.delta;
        }
        pack.headcounts = net
            .into_iter()
            .map(|((day, role), count)| (day, role, count))
            .collect();
        for response in responses {
            let linked = response
                .participant
                .map(|participant| person(participant, &mut pack.people));
            pack.responses.push(PackedResponse(
                response.id,
                linked,
                day(response.date),
                response.template,
                response.template_version,
                response.recorded_at.timestamp_millis(),
                response.values.clone(),
            ));
        }
        pack
    }

    pub fn is_empty(&self) -> bool {
        self.visits.is_empty() && self.headcounts.is_empty() && self.responses.is_empty()
    }

    /// Adds the pack's records to `dataset`, as the records of `activity` in the month starting on
    /// `month`. A position or day that does not fit (a damaged pack) leaves that record out.
    pub fn unpack_into(&self, activity: ActivityId, month: NaiveDate, dataset: &mut Dataset) {
        let date = |day: u8| month.with_day(u32::from(day));
        let person = |position: u32| self.people.get(position as usize).copied();
        dataset
            .visits
            .extend(self.visits.iter().filter_map(|&(position, day, role)| {
                Some(Visit {
                    participant: person(position)?,
                    activity,
                    date: date(day)?,
                    role,
                })
            }));
        dataset
            .headcounts
            .extend(self.headcounts.iter().filter_map(|&(day, role, delta)| {
                Some(Headcount {
                    activity,
                    date: date(day)?,
                    role,
                    delta,
                })
            }));
        dataset.responses.extend(self.responses.iter().filter_map(
            |PackedResponse(id, linked, day, template, version, recorded_at, values)| {
                let participant = match linked {
                    Some(position) => Some(person(*position)?),
                    None => None,
                };
                Some(Answered {
                    id: *id,
                    template: *template,
                    template_version: *version,
                    activity,
                    date: date(*day)?,
                    participant,
                    recorded_at: DateTime::from_timestamp_millis(*recorded_at)?,
                    values: values.clone(),
                })
            },
        ));
    }
}

fn day(date: NaiveDate) -> u8 {
    // A day of the month is 1-31.
    date.day() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};
    use crate::organisation::ReportingSettings;
    use crate::period::Granularity;
    use crate::trends::{Query, Trends};

    /// The dataset split into packs per activity and month, then read back as the page would.
    fn through_packs(data: &Dataset) -> Dataset {
        let mut unpacked = Dataset {
            templates: data.templates.clone(),
            ..Dataset::default()
        };
        for ((activity, month), pack) in pack_by_month(data) {
            let text = serde_json::to_string(&pack).unwrap();
            let read: MonthPack = serde_json::from_str(&text).unwrap();
            read.unpack_into(activity, month, &mut unpacked);
        }
        unpacked
    }

    #[test]
    fn every_trend_figure_is_the_same_read_from_packs() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let size = DemoSize {
            activities: 4,
            participants: 120,
            attendances: 3_000,
            responses: 800,
        };
        let data = generate(size, 11, today).dataset();
        let packed = through_packs(&data);
        assert_eq!(packed.visits.len(), data.visits.len());
        for granularity in [Granularity::Week, Granularity::Month, Granularity::Quarter] {
            let query = Query {
                from: today - chrono::Days::new(364),
                to: today,
                granularity,
                activity: None,
                settings: ReportingSettings::default(),
            };
            assert_eq!(
                Trends::compute(&packed, &query),
                Trends::compute(&data, &query),
                "{granularity:?}"
            );
        }
    }

    #[test]
    fn a_pack_keeps_each_person_once_and_nets_the_anonymous_taps() {
        let activity = ActivityId::generate();
        let someone = ParticipantId::generate();
        let on = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
        let visits = [Visit {
            participant: someone,
            activity,
            date: on,
            role: Role::Frivillig,
        }];
        let tap = |delta| Headcount {
            activity,
            date: on,
            role: Role::Bruger,
            delta,
        };
        let pack = MonthPack::pack(&visits, &[tap(1), tap(1), tap(-1)], &[]);
        assert_eq!(pack.people, vec![someone]);
        assert_eq!(pack.headcounts, vec![(12, Role::Bruger, 1)]);
        let mut read = Dataset::default();
        pack.unpack_into(activity, month_of(on), &mut read);
        assert_eq!(read.visits, visits);
        assert!(MonthPack::default().is_empty() && !pack.is_empty());
    }
}
