//! Reporting periods: ISO weeks (Monday first, as in Denmark), calendar months and quarters.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Week,
    Month,
    Quarter,
}

/// One period, named by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: NaiveDate,
    pub granularity: Granularity,
}

impl Period {
    pub fn containing(date: NaiveDate, granularity: Granularity) -> Period {
        let start = match granularity {
            Granularity::Week => date
                .checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
                .unwrap_or(NaiveDate::MIN),
            Granularity::Month => date.with_day(1).unwrap_or(date),
            Granularity::Quarter => {
                let first_month = (date.month0() / 3) * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), first_month, 1).unwrap_or(date)
            }
        };
        Period { start, granularity }
    }

    /// The first day of the next period.
    pub fn end(self) -> NaiveDate {
        let next = match self.granularity {
            Granularity::Week => self.start.checked_add_days(Days::new(7)),
            Granularity::Month => self.start.checked_add_months(Months::new(1)),
            Granularity::Quarter => self.start.checked_add_months(Months::new(3)),
        };
        next.unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Period {
        Period {
            start: self.end(),
            granularity: self.granularity,
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end()
    }

    /// The period as a chart's axis names it: "uge 48 2026" / "week 48 2026", "nov. 2026" /
    /// "Nov 2026", "3. kvt. 2026" / "Q3 2026".
    pub fn label(self, language: crate::Language) -> String {
        use crate::Language::{Da, En};
        let year = self.start.year();
        match (self.granularity, language) {
            (Granularity::Week, Da) => format!(
                "uge {} {}",
                self.start.iso_week().week(),
                self.start.iso_week().year()
            ),
            (Granularity::Week, En) => format!(
                "week {} {}",
                self.start.iso_week().week(),
                self.start.iso_week().year()
            ),
            (Granularity::Month, _) => format!("{} {year}", language.month_short(self.start.month0())),
            (Granularity::Quarter, Da) => format!("{}. kvt. {year}", self.start.month0() / 3 + 1),
            (Granularity::Quarter, En) => format!("Q{} {year}", self.start.month0() / 3 + 1),
        }
    }

    /// Every period that overlaps `from..=to`, in order.
    pub fn covering(from: NaiveDate, to: NaiveDate, granularity: Granularity) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut period = Period::containing(from, granularity);
        while period.start <= to && period.start < NaiveDate::MAX {
            periods.push(period);
            period = period.next();
        }
        periods
    }
}

/// The first and last day of calendar `year`, if the calendar reaches it.
pub fn calendar_year(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_calendar_year_runs_from_new_years_day_to_new_years_eve() {
        assert_eq!(calendar_year(2025), Some((date(2025, 1, 1), date(2025, 12, 31))));
        assert_eq!(calendar_year(i32::MAX), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        let period = Period::containing(date(2026, 11, 26), Granularity::Week); // a Thursday
        assert_eq!(period.start, date(2026, 11, 23));
        assert_eq!(period.end(), date(2026, 11, 30));
    }

    #[test]
    fn months_and_quarters_start_on_their_first_day() {
        assert_eq!(
            Period::containing(date(2026, 11, 26), Granularity::Month).start,
            date(2026, 11, 1)
        );
        assert_eq!(
            Period::containing(date(2026, 11, 26), Granularity::Quarter).start,
            date(2026, 10, 1)
        );
        assert_eq!(
            Period::containing(date(2026, 3, 31), Granularity::Quarter).end(),
            date(2026, 4, 1)
        );
    }

    #[test]
    fn dates_at_the_edges_of_the_calendar_do_not_panic() {
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            for granularity in [Granularity::Week, Granularity::Month, Granularity::Quarter] {
                let period = Period::containing(date, granularity);
                assert!(period.end() >= period.start);
            }
        }
    }

    #[test]
    fn periods_are_named_as_each_language_writes_them() {
        use crate::Language::{Da, En};
        let day = date(2026, 11, 26);
        let label = |granularity, language| Period::containing(day, granularity).label(language);
        assert_eq!(label(Granularity::Week, Da), "uge 48 2026");
        assert_eq!(label(Granularity::Week, En), "week 48 2026");
        assert_eq!(label(Granularity::Month, Da), "nov. 2026");
        assert_eq!(label(Granularity::Quarter, Da), "4. kvt. 2026");
        assert_eq!(label(Granularity::Quarter, En), "Q4 2026");
        // 2026 has 53 ISO weeks: its last days are not in week 1 of 2027.
        assert_eq!(
            Period::containing(date(2026, 12, 31), Granularity::Week).label(Da),
            "uge 53 2026"
        );
    }

    #[test]
    fn covering_lists_every_overlapping_period() {
        let months = Period::covering(date(2026, 1, 15), date(2026, 3, 1), Granularity::Month);
        let starts: Vec<_> = months.iter().map(|p| p.start).collect();
        assert_eq!(starts, vec![date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]);
    }
}
