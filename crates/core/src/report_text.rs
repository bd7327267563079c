//! A coordinator's own words beside a report's figures: one text per report (its shape, activity
//! or all, and period) and section, saved and synced like a reflection. Its id is named by what it
//! is about, so two coordinators writing the same section of the same report edit one record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{ActivityId, ReportTextId};
use crate::report::{Report, ReportShape, Section};
use crate::validation::{Field, Problem, Problems, limits};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportText {
    pub id: ReportTextId,
    pub shape: ReportShape,
    /// `None`: the report of all activities.
    pub activity: Option<ActivityId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub section: Section,
    pub text: String,
    pub written_at: DateTime<Utc>,
}

/// Which report and which section of it a text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportPart {
    pub shape: ReportShape,
    pub activity: Option<ActivityId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub section: Section,
}

impl Report<'_> {
    /// Which part of this report `section` is: what a coordinator's text for it belongs to.
    pub fn part(&self, section: Section) -> ReportPart {
        ReportPart {
            shape: self.shape,
            activity: self.activity,
            from: self.from,
            to: self.to,
            section,
        }
    }
}

/// The namespace of report texts' name-based ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x5b0f_7e3a_4c21_4d8e_9a61_2f0c_7d3e_a915);

impl ReportTextId {
    /// The one id of the text of `part`: a name-based UUID (v5) of what it is about.
    pub fn of(part: ReportPart) -> ReportTextId {
        let activity = part.activity.map(|id| id.to_string()).unwrap_or_default();
        let name = format!(
            "{}/{activity}/{}/{}/{}",
            part.shape.slug(),
            part.from,
            part.to,
            part.section.slug()
        );
        ReportTextId(Uuid::new_v5(&NAMESPACE, name.as_bytes()))
    }
}

impl ReportText {
    /// The text of `part`, written now.
    pub fn new(part: ReportPart, text: String) -> ReportText {
        ReportText {
            id: ReportTextId::of(part),
            shape: part.shape,
            activity: part.activity,
            from: part.from,
            to: part.to,
            section: part.section,
            text,
            written_at: Utc::now(),
        }
    }

    pub fn part(&self) -> ReportPart {
        ReportPart {
            shape: self.shape,
            activity: self.activity,
            from: self.from,
            to: self.to,
            section: self.section,
        }
    }

    /// An empty text is allowed: it is how a coordinator clears what they wrote.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        if self.id != ReportTextId::of(self.part()) {
            problems.push(Problem::NotTheReportsText);
        }
        problems.optional_text(Field::ReportText, &self.text, limits::REPORT_TEXT);
        problems.period(self.from, self.to);
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(section: Section) -> ReportPart {
        ReportPart {
            shape: ReportShape::StatusReport,
            activity: Some(ActivityId(Uuid::from_u128(1))),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            section,
        }
    }

    #[test]
    fn a_texts_id_is_named_by_what_it_is_about_as_devices_already_hold_it() {
        // The name devices have written since the first release: a change to how dates are
        // written would split one text into two.
        let name = "statusrapport/00000000-0000-0000-0000-000000000001/2026-01-01/2026-06-30/results";
        assert_eq!(
            ReportTextId::of(part(Section::Results)),
            ReportTextId(Uuid::new_v5(&NAMESPACE, name.as_bytes()))
        );
    }

    #[test]
    fn one_text_per_report_and_section_whoever_writes_it() {
        let here = ReportText::new(part(Section::Delivery), "Sne i februar.".into());
        let there = ReportText::new(part(Section::Delivery), "To aflysninger.".into());
        assert_eq!(here.id, there.id);
        assert_ne!(here.id, ReportText::new(part(Section::Reach), String::new()).id);
        let all = ReportPart {
            activity: None,
            ..part(Section::Delivery)
        };
        assert_ne!(here.id, ReportTextId::of(all));
        let annual = ReportPart {
            shape: ReportShape::AnnualReport,
            ..part(Section::Delivery)
        };
        assert_ne!(here.id, ReportTextId::of(annual));
        assert_eq!(here.validate(), Ok(()));
        assert_eq!(
            ReportText::new(part(Section::Results), String::new()).validate(),
            Ok(())
        );
    }

    #[test]
    fn a_text_under_another_reports_id_or_too_long_is_refused() {
        let mut moved = ReportText::new(part(Section::Delivery), "Sne.".into());
        moved.section = Section::Volunteers;
        assert_eq!(moved.validate(), Err(vec![Problem::NotTheReportsText]));
        let long = ReportText::new(part(Section::Reach), "x".repeat(limits::REPORT_TEXT + 1));
        assert!(matches!(
            long.validate().unwrap_err()[..],
            [Problem::TooLong {
                field: Field::ReportText,
                ..
            }]
        ));
    }
}
