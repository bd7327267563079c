//! Texts in Danish and English. The texts live in `locales/*.json`; build.rs turns them into the
//! [`Key`] enum, so a mistyped key does not compile and a missing translation fails the build.
//! Components get the current language through `contexts::i18n_context`.

pub use spor_core::Language;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

/// A key of any of the locale tables.
pub trait Text: Copy + Send + Sync + 'static {
    fn text(self, language: Language) -> &'static str;
}

impl Text for Key {
    fn text(self, language: Language) -> &'static str {
        Key::text(self, language)
    }
}

/// The locale tables of the lazily loaded parts (`locales/<part>/*.json`), each downloaded with
/// its part rather than with the first screen.
macro_rules! part_texts {
    ($($part:ident),* $(,)?) => {
        $(
            pub mod $part {
                use super::Language;
                include!(concat!(env!("OUT_DIR"), "/i18n_", stringify!($part), ".rs"));
            }

            impl Text for $part::Key {
                fn text(self, language: Language) -> &'static str {
                    $part::Key::text(self, language)
                }
            }
        )*
    };
}

part_texts!(activities, report, settings, standard, survey, theory, trends);

/// `key`'s text in both languages with its `{placeholders}` filled in: what a message made now
/// keeps, so it reads in whichever language is on screen when it is shown.
pub fn in_both(key: impl Text, values: &[(&str, &str)]) -> spor_core::Texts {
    spor_core::Texts::new(
        fill(key.text(Language::Da), values),
        fill(key.text(Language::En), values),
    )
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
