use serde::{Deserialize, Serialize};

use crate::ids::OrganisationId;
use crate::privacy_notice;
use crate::validation::{Field, Problem, Problems, limits};

/// The tenant: everything belongs to exactly one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    #[serde(default)]
    pub reporting: ReportingSettings,
    /// What participants are told about their data, in the organisation's words; absent, they are
    /// told [`crate::privacy_notice::standard`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_notice: Option<String>,
}

/// How reports treat small groups and absences; a coordinator may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingSettings {
    /// Survey figures over fewer distinct people than this are hidden ("fewer than 5"), with their
    /// complementary cell.
    pub suppression_threshold: u32,
    /// A participant whose previous attendance is longer ago than this counts as "back after absence".
    pub absence_gap_weeks: u32,
}

impl Default for ReportingSettings {
    fn default() -> Self {
        ReportingSettings {
            suppression_threshold: 5,
            absence_gap_weeks: 8,
        }
    }
}

/// Thresholds below this would show figures about one or two people: not allowed.
pub const MIN_SUPPRESSION_THRESHOLD: u32 = 3;

impl Organisation {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::OrganisationName, &self.name, limits::NAME);
        if let Some(Err(found)) = self.privacy_notice.as_deref().map(privacy_notice::check) {
            found.into_iter().for_each(|problem| problems.push(problem));
        }
        let threshold = self.reporting.suppression_threshold;
        if threshold < MIN_SUPPRESSION_THRESHOLD {
            problems.push(Problem::ThresholdTooLow {
                threshold,
                min: MIN_SUPPRESSION_THRESHOLD,
            });
        }
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_five_people_and_eight_weeks() {
        let organisation: Organisation =
            serde_json::from_str(r#"{"id": "0190a0b0-0000-7000-8000-000000000001", "name": "Café Lyset"}"#)
                .unwrap();
        assert_eq!(organisation.reporting, ReportingSettings::default());
        assert_eq!(organisation.reporting.suppression_threshold, 5);
        assert_eq!(organisation.reporting.absence_gap_weeks, 8);
        assert_eq!(organisation.validate(), Ok(()));
    }

    #[test]
    fn a_threshold_that_would_show_single_people_is_refused() {
        let organisation = Organisation {
            id: OrganisationId::generate(),
            name: "Café Lyset".into(),
            reporting: ReportingSettings {
                suppression_threshold: 1,
                absence_gap_weeks: 8,
            },
            privacy_notice: None,
        };
        assert_eq!(
            organisation.validate().unwrap_err(),
            vec![Problem::ThresholdTooLow { threshold: 1, min: 3 }]
        );
    }
}
