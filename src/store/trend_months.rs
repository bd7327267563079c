//! The trends page's month packs (`spor_core::month_pack`): one per activity and calendar month.
//!
//! Every write of a record the trends use marks its month stale in the same transaction. Reading
//! the trends first repacks the stale months from their records, then reads only the packs, so a
//! year of 100,000 check-ins is a few hundred short byte arrays. A device whose packs were never built
//! (an upgrade from schema 4, a backup import) builds them all once.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use rexie::{KeyRange, TransactionMode};
use spor_core::attendance::{Attendance, AttendanceEvent, HeadcountEvent};
use spor_core::ids::ActivityId;
use spor_core::month_pack::{MonthPack, month_of, pack_by_month};
use spor_core::survey::SurveyResponse;
use spor_core::trends::{Dataset, Visit};
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{from_js_all, only};
use super::schema::*;
use super::transaction::ObjectStore;
use super::{Store, StoreError};

/// A key in `trend_months` (a text, so no month's key can be it) set once every month has a pack;
/// unset, the next read packs everything. Its value is the packs' revision, new with every repack,
/// so a connection that read them before knows whether they changed. Kept with the packs rather
/// than in `meta`, so reading the trends waits for no transaction on `meta`.
pub(super) const PACKS_BUILT: &str = "built";

/// A new revision of the packs.
pub(super) fn new_revision() -> JsValue {
    uuid::Uuid::new_v4().to_string().into()
}

/// The packs as this connection last read them: reused while their revision and the templates are
/// the same, so coming back to the trends page reads two small values instead of a year.
pub(super) struct TrendsCache {
    revision: String,
    dataset: Arc<Dataset>,
}

/// What reading the packs found.
enum Packs {
    /// Read and unpacked, at this revision.
    Read(String, Dataset),
    /// The revision this connection has cached.
    Unchanged,
    /// Some month is stale, or the packs were never built.
    NeedRepacking,
}

/// A pack's key: the activity and the month as "YYYY-MM" (the first day's "YYYY-MM-DD" without
/// its day: chrono's `format` machinery stays out of the first screen).
pub(super) fn pack_key(activity: ActivityId, month: NaiveDate) -> JsValue {
    let first_day = month.to_string();
    let month = first_day
        .rsplit_once('-')
        .map_or(first_day.as_str(), |(month, _)| month);
    js_sys::Array::of2(&activity.to_string().into(), &month.into()).into()
}

fn parse_pack_key(key: &JsValue) -> Option<(ActivityId, NaiveDate)> {
    let parts = js_sys::Array::from(key);
    let activity = ActivityId(parts.get(0).as_string()?.parse().ok()?);
    let month = format!("{}-01", parts.get(1).as_string()?).parse().ok()?;
    Some((activity, month))
}

/// The months a transaction's writes touched.
#[derive(Debug, Default)]
pub(super) struct StaleMonths(BTreeSet<(ActivityId, NaiveDate)>);

impl StaleMonths {
    pub fn add(&mut self, activity: ActivityId, date: NaiveDate) {
        self.0.insert((activity, month_of(date)));
    }

    /// Marks them in `stale` (the `trend_stale` store of the caller's transaction).
    pub async fn mark(&self, stale: &ObjectStore) -> Result<(), StoreError> {
        let keys: Vec<JsValue> = self
            .0
            .iter()
            .map(|&(activity, month)| pack_key(activity, month))
            .collect();
        let marked = JsValue::TRUE;
        futures::future::try_join_all(keys.iter().map(|key| stale.put(&marked, Some(key)))).await?;
        Ok(())
    }
}

/// Marks one month stale: the request to issue beside a single record's write.
pub(super) async fn mark_stale(
    stale: &ObjectStore,
    activity: ActivityId,
    date: NaiveDate,
) -> Result<JsValue, StoreError> {
    let key = pack_key(activity, month_of(date));
    stale.put(&JsValue::TRUE, Some(&key)).await
}

/// The key range of one activity's records in one month, on an `[activity, date]` index.
fn month_range(activity: ActivityId, month: NaiveDate, action: &'static str) -> Result<KeyRange, StoreError> {
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    let bound = |date: NaiveDate| -> JsValue {
        js_sys::Array::of2(&activity.to_string().into(), &date.to_string().into()).into()
    };
    KeyRange::bound(&bound(month), &bound(next), Some(false), Some(true))
        .map_err(|error| StoreError::database(action)(error.into()))
}

impl Store {
    /// Every record the trends are computed from, and the organisation's own templates.
    pub async fn trends_dataset(&self) -> Result<Arc<Dataset>, StoreError> {
        let cached = self
            .trends_cache
            .borrow()
            .as_ref()
            .map(|cache| cache.revision.clone());
        let found = match self.read_packs(cached.as_deref()).await {
            Ok(Packs::NeedRepacking) => {
                self.repack_stale_months().await?;
                self.read_packs(None).await?
            }
            // Packs are derived from the records: one that cannot be read (damaged, or written by
            // another version of the app) is rebuilt from them, once.
            Err(StoreError::Corrupt { .. }) => {
                self.forget_packs().await?;
                self.repack_stale_months().await?;
                self.read_packs(None).await?
            }
            found => found?,
        };
        let templates = self.templates().await?;
        let cache = &mut *self.trends_cache.borrow_mut();
        let dataset = match (found, cache.take()) {
            (Packs::Read(revision, dataset), _) => TrendsCache {
                revision,
                dataset: Arc::new(Dataset { templates, ..dataset }),
            },
            (_, Some(cached)) if cached.dataset.templates == templates => cached,
            (_, Some(TrendsCache { revision, dataset })) => TrendsCache {
                revision,
                dataset: Arc::new(Dataset {
                    templates,
                    ..Arc::unwrap_or_clone(dataset)
                }),
            },
            (_, None) => TrendsCache {
                revision: String::new(),
                dataset: Arc::new(Dataset {
                    templates,
                    ..Dataset::default()
                }),
            },
        };
        let shared = dataset.dataset.clone();
        *cache = Some(dataset);
        Ok(shared)
    }

    /// Every pack's records, unless they are at the `cached` revision or some pack must be rebuilt
    /// first. One read-only transaction, which waits for no writer and commits nothing; the year
    /// itself is read only when its revision is new here.
    async fn read_packs(&self, cached: Option<&str>) -> Result<Packs, StoreError> {
        let action = "read the trends";
        let transaction = self
            .transaction(&[TREND_STALE, TREND_MONTHS], TransactionMode::ReadOnly, action)
            .await?;
        let store = |name| transaction.store(name);
        let (stale, packs) = (store(TREND_STALE)?, store(TREND_MONTHS)?);
        let (revision, stale) =
            futures::future::try_join(packs.get(PACKS_BUILT.into()), stale.count(None)).await?;
        let Some(revision) = revision.and_then(|value| value.as_string()) else {
            return Ok(Packs::NeedRepacking);
        };
        if stale > 0 {
            return Ok(Packs::NeedRepacking);
        }
        if cached == Some(revision.as_str()) {
            return Ok(Packs::Unchanged);
        }
        let (keys, values) =
            futures::future::try_join(packs.get_all_keys(None, None), packs.get_all(None, None)).await?;
        let mut dataset = Dataset::default();
        for (key, value) in keys.iter().zip(values) {
            if key.as_string().as_deref() == Some(PACKS_BUILT) {
                continue;
            }
            let corrupt = |detail: String| StoreError::Corrupt {
                what: "trend month",
                detail,
            };
            let (activity, month) =
                parse_pack_key(key).ok_or_else(|| corrupt(format!("a key that is no month: {key:?}")))?;
            let bytes = value
                .dyn_into::<js_sys::Uint8Array>()
                .map_err(|_| corrupt("a pack that is no bytes".to_owned()))?;
            let pack = MonthPack::from_bytes(&bytes.to_vec()).map_err(|error| corrupt(error.to_string()))?;
            pack.unpack_into(activity, month, &mut dataset);
        }
        Ok(Packs::Read(revision, dataset))
    }

    /// Marks every pack for rebuilding from the records on the next read.
    async fn forget_packs(&self) -> Result<(), StoreError> {
        let action = "rebuild the trends";
        let transaction = self
            .transaction(&[TREND_MONTHS], TransactionMode::ReadWrite, action)
            .await?;
        transaction
            .store(TREND_MONTHS)?
            .delete(PACKS_BUILT.into())
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Rebuilds the packs of the months marked stale (or all of them, when they were never built).
    async fn repack_stale_months(&self) -> Result<(), StoreError> {
        let action = "bring the trends up to date";
        let transaction = self
            .transaction(
                &[
                    ATTENDANCE,
                    ATTENDANCE_EVENTS,
                    HEADCOUNTS,
                    RESPONSES,
                    TREND_MONTHS,
                    TREND_STALE,
                ],
                TransactionMode::ReadWrite,
                action,
            )
            .await?;
        let store = |name| transaction.store(name);
        let (attendance, events, headcounts, responses) = (
            store(ATTENDANCE)?,
            store(ATTENDANCE_EVENTS)?,
            store(HEADCOUNTS)?,
            store(RESPONSES)?,
        );
        let (packs, stale) = (store(TREND_MONTHS)?, store(TREND_STALE)?);
        let built = packs
            .get(PACKS_BUILT.into())
            .await?
            .is_some_and(|value| !value.is_undefined());
        if !built {
            let (attendance, events, headcounts, responses) = futures::future::try_join4(
                attendance.get_all(None, None),
                events.get_all(None, None),
                headcounts.get_all(None, None),
                responses.get_all(None, None),
            )
            .await?;
            let dataset = dataset_of(
                &from_js_all(attendance, "attendance")?,
                &from_js_all(events, "attendance event")?,
                &from_js_all(headcounts, "headcount")?,
                &from_js_all(responses, "survey response")?,
            );
            futures::future::try_join(packs.clear(), stale.clear()).await?;
            let written: Vec<(JsValue, JsValue)> = pack_by_month(&dataset)
                .into_iter()
                .map(|((activity, month), pack)| (pack_key(activity, month), pack_bytes(&pack)))
                .collect();
            futures::future::try_join_all(written.iter().map(|(key, pack)| packs.put(pack, Some(key))))
                .await?;
        } else {
            let months = stale.get_all_keys(None, None).await?;
            let by_occurrence = |store: &ObjectStore| store.index(BY_OCCURRENCE);
            let (attendance_by_month, headcounts_by_month) =
                (by_occurrence(&attendance)?, by_occurrence(&headcounts)?);
            let responses_by_activity = responses.index(BY_ACTIVITY)?;
            let events_by_attendance = events.index(BY_ATTENDANCE)?;
            for key in &months {
                let Some((activity, month)) = parse_pack_key(key) else {
                    continue;
                };
                let range = month_range(activity, month, action)?;
                let (checked_in, counted, answered) = futures::future::try_join3(
                    attendance_by_month.get_all(Some(range.clone()), None),
                    headcounts_by_month.get_all(Some(range), None),
                    responses_by_activity.get_all(Some(only(&activity.to_string().into(), action)?), None),
                )
                .await?;
                let checked_in: Vec<Attendance> = from_js_all(checked_in, "attendance")?;
                let ranges = checked_in
                    .iter()
                    .map(|record| only(&record.id.to_string().into(), action))
                    .collect::<Result<Vec<_>, _>>()?;
                let events = futures::future::try_join_all(
                    ranges
                        .into_iter()
                        .map(|range| events_by_attendance.get_all(Some(range), None)),
                )
                .await?;
                let answered: Vec<SurveyResponse> = from_js_all(answered, "survey response")?;
                let dataset = dataset_of(
                    &checked_in,
                    &from_js_all(events.into_iter().flatten().collect(), "attendance event")?,
                    &from_js_all(counted, "headcount")?,
                    &answered
                        .into_iter()
                        .filter(|response| month_of(response.date) == month)
                        .collect::<Vec<_>>(),
                );
                let pack = pack_by_month(&dataset).remove(&(activity, month));
                match pack {
                    Some(pack) => packs.put(&pack_bytes(&pack), Some(key)).await,
                    None => packs.delete(key.clone()).await.map(|()| JsValue::UNDEFINED),
                }?;
            }
            if !months.is_empty() {
                stale.clear().await?;
            }
        }
        packs.put(&new_revision(), Some(&PACKS_BUILT.into())).await?;
        transaction.commit().await?;
        Ok(())
    }
}

fn dataset_of(
    attendance: &[Attendance],
    events: &[AttendanceEvent],
    headcounts: &[HeadcountEvent],
    responses: &[SurveyResponse],
) -> Dataset {
    Dataset {
        visits: Visit::from_records(attendance, events),
        headcounts: headcounts.iter().map(Into::into).collect(),
        responses: responses.iter().map(Into::into).collect(),
        templates: Vec::new(),
    }
}

pub(super) fn pack_bytes(pack: &MonthPack) -> JsValue {
    js_sys::Uint8Array::from(pack.to_bytes().as_slice()).into()
}
