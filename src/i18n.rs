//! Texts in Danish and English. The texts live in `locales/*.json`; build.rs turns them into the
//! [`Key`] enum, so a mistyped key does not compile and a missing translation fails the build.
//! Components get the current language through `contexts::i18n_context`.

pub use spor_core::Language;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

impl Key {
    pub fn text(self, language: Language) -> &'static str {
        match language {
            Language::Da => DA[self as usize],
            Language::En => EN[self as usize],
        }
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_text_in_both_languages() {
        assert_eq!(Key::NavToday.text(Language::Da), "I dag");
        assert_eq!(Key::NavToday.text(Language::En), "Today");
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        let text = fill(Key::NotFoundBody.text(Language::En), &[("path", "/nope")]);
        assert_eq!(text, "There is no page at /nope.");
    }
}
