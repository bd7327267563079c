//! The standard page's words: its texts are `locales/standard/*.json` (`crate::i18n::standard`),
//! loaded with the page's part; what an action ends in keeps both languages.

use spor_core::validation::Problem;
use spor_core::{Language, Texts};

use crate::components::outcome::Failure;

/// The page's texts, by their key in `locales/standard/*.json`.
pub use crate::i18n::standard::Key as Say;

/// What an action on the page ended in, in both languages.
pub type Said = Result<Texts, Texts>;

/// Both languages' words, from a message made in one language at a time (spor-core's errors and
/// problems, dates in each language's format).
pub fn in_each_language(message: impl Fn(Language) -> String) -> Texts {
    Texts::new(message(Language::Da), message(Language::En))
}

/// spor-core's problems with something the user made, worded as everywhere else in the app.
pub fn refused(problems: Vec<Problem>) -> Texts {
    let failure = Failure::Refused(problems);
    in_each_language(|language| failure.text(language))
}
