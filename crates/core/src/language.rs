//! The two languages Spor speaks, and the number formats that differ between them.

use serde::{Deserialize, Serialize};

/// Danish is the default: Spor is made for Danish organisations. English is complete too.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Da, Language::En];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.tag() == tag)
    }

    /// The language's name in itself, as a language picker shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::Da => "Dansk",
            Language::En => "English",
        }
    }

    /// A weekday's name: "mandag" / "Monday".
    pub fn weekday(self, weekday: chrono::Weekday) -> &'static str {
        const DA: [&str; 7] = [
            "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
        ];
        const EN: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let index = weekday.num_days_from_monday() as usize;
        match self {
            Language::Da => DA[index],
            Language::En => EN[index],
        }
    }

    /// A date as the language writes it short: Danish "24. nov. 2026", English "24 Nov 2026".
    pub fn format_date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self.month_short(date.month0());
        match self {
            Language::Da => format!("{}. {month} {}", date.day(), date.year()),
            Language::En => format!("{} {month} {}", date.day(), date.year()),
        }
    }

    /// A month's short name (`month0` counts from 0): "jan.", "maj", "nov." / "Jan", "May", "Nov".
    pub fn month_short(self, month0: u32) -> &'static str {
        const DA: [&str; 12] = [
            "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
        ];
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let index = (month0 as usize).min(11);
        match self {
            Language::Da => DA[index],
            Language::En => EN[index],
        }
    }

    /// A number with `decimals` decimals and grouped thousands: Danish "1.234,5", English "1,234.5".
    pub fn format_number(self, value: f64, decimals: usize) -> String {
        let (group, point) = match self {
            Language::Da => ('.', ','),
            Language::En => (',', '.'),
        };
        let formatted = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = formatted.split_once('.').unwrap_or((&formatted, ""));
        let mut out = String::with_capacity(formatted.len() + whole.len() / 3 + 1);
        if value < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push(point);
            out.push_str(fraction);
        }
        out
    }

    /// A byte count in the largest unit that keeps it at or above 1 (B, kB, MB, GB; powers of 1000).
    pub fn format_bytes(self, bytes: f64) -> String {
        const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
        let mut value = bytes.max(0.0);
        let mut unit = 0;
        while value >= 1000.0 && unit + 1 < UNITS.len() {
            value /= 1000.0;
            unit += 1;
        }
        let decimals = if unit == 0 || value >= 100.0 { 0 } else { 1 };
        format!("{} {}", self.format_number(value, decimals), UNITS[unit])
    }
}

/// A text in both languages. Every text a participant or coordinator reads exists in both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub da: String,
    pub en: String,
}

impl Texts {
    pub fn new(da: impl Into<String>, en: impl Into<String>) -> Texts {
        Texts {
            da: da.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Da => &self.da,
            Language::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_groups_with_dots_and_uses_a_decimal_comma() {
        assert_eq!(Language::Da.format_number(1234.5, 1), "1.234,5");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(Language::Da.format_date(day), "24. nov. 2026");
        assert_eq!(Language::En.format_date(day), "24 Nov 2026");
        assert_eq!(Language::Da.month_short(4), "maj");
        assert_eq!(Language::Da.format_number(1_234_567.0, 0), "1.234.567");
        assert_eq!(Language::Da.format_number(999.0, 0), "999");
    }

    #[test]
    fn english_groups_with_commas_and_uses_a_decimal_point() {
        assert_eq!(Language::En.format_number(1234.5, 1), "1,234.5");
        assert_eq!(Language::En.format_number(0.25, 2), "0.25");
    }

    #[test]
    fn negative_numbers_keep_their_sign_but_negative_zero_does_not() {
        assert_eq!(Language::Da.format_number(-1234.5, 1), "-1.234,5");
        assert_eq!(Language::Da.format_number(-0.01, 1), "0,0");
    }

    #[test]
    fn bytes_pick_a_readable_unit() {
        assert_eq!(Language::Da.format_bytes(512.0), "512 B");
        assert_eq!(Language::Da.format_bytes(1_500_000.0), "1,5 MB");
        assert_eq!(Language::En.format_bytes(151_000.0), "151 kB");
        assert_eq!(Language::En.format_bytes(2.0e12), "2,000 GB");
    }

    #[test]
    fn tags_round_trip_and_unknown_tags_are_none() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
        }
        assert_eq!(Language::from_tag("sv"), None);
    }
}
