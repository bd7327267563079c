//! The standard page's words: its texts are `locales/standard/*.json` (`crate::i18n::standard`),
//! loaded with the page's part; what an action ends in keeps both languages.

use spor_core::{Language, Texts};

/// The page's texts, by their key in `locales/standard/*.json`.
pub use crate::i18n::standard::Key as Say;

/// What an action on the page ended in, in both languages.
pub type Said = Result<Texts, Texts>;

/// Both languages' words for what went wrong, from a message made in one language at a time.
pub fn failed(message: impl Fn(Language) -> String) -> Texts {
    Texts::new(message(Language::Da), message(Language::En))
}
