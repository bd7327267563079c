//! A coordinator's short note: what worked, what we change.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, ReflectionId};
use crate::validation::{Field, Problem, Problems, limits};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reflection {
    pub id: ReflectionId,
    pub activity: ActivityId,
    /// The day or period the note is about, both days included (one day for an occurrence).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub text: String,
    pub written_at: DateTime<Utc>,
}

impl Reflection {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Problems::default();
        problems.required_text(Field::Reflection, &self.text, limits::REFLECTION);
        problems.period(self.from, self.to);
        problems.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_note_about_a_backwards_period_has_two_problems() {
        let reflection = Reflection {
            id: ReflectionId::generate(),
            activity: ActivityId::generate(),
            from: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            text: "   ".into(),
            written_at: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        };
        assert_eq!(reflection.validate().unwrap_err().len(), 2);
    }
}
