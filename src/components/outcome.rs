//! How the UI does what a user asks for, and tells what it ended in.
//!
//! Everything a user starts that writes or talks to the server (save, erase, import, pair, ...)
//! runs through [`act`] (or [`attempt`], where success shows itself): a future that returns an
//! [`Outcome`], what happened, not yet put into words. [`OutcomeMessage`] and [`FailureMessage`]
//! put it into words where it is shown, in the language on screen then. Failures travel with `?`:
//! a [`StoreError`], [`SyncError`], [`BackupError`] or spor-core's problems become a [`Failure`].
//! A failed read shows through an `ErrorBoundary` with [`ReadFailure`], or, on the first screen,
//! with [`StoreFailure`].

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spor_core::backup::BackupError;
use spor_core::validation::Problem;

use crate::contexts::i18n_context::{I18n, store_error_in, sync_error_in, use_i18n};
use crate::i18n::{Key, Language, Text, fill};
use crate::store::StoreError;
use crate::sync::SyncError;

/// What an action ended in.
pub type Outcome = Result<Done, Failure>;

/// What to say when an action worked: texts and the values of their `{placeholders}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    said: Vec<(Said, Vec<(&'static str, String)>)>,
}

/// A text of any locale table, in both languages (a lazily loaded part's too).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Said {
    da: &'static str,
    en: &'static str,
}

impl Done {
    pub fn new(key: impl Text) -> Done {
        Done::with(key, &[])
    }

    pub fn with(key: impl Text, values: &[(&'static str, &str)]) -> Done {
        let values = values
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect();
        let said = Said {
            da: key.text(Language::Da),
            en: key.text(Language::En),
        };
        Done {
            said: vec![(said, values)],
        }
    }

    /// `self`, followed by `more`.
    pub fn and(mut self, more: Done) -> Done {
        self.said.extend(more.said);
        self
    }

    /// What to say, in `language`.
    pub fn text(&self, language: Language) -> String {
        let texts: Vec<String> = self
            .said
            .iter()
            .map(|(said, values)| {
                let values: Vec<(&str, &str)> = values
                    .iter()
                    .map(|(name, value)| (*name, value.as_str()))
                    .collect();
                let text = match language {
                    Language::Da => said.da,
                    Language::En => said.en,
                };
                fill(text, &values)
            })
            .collect();
        texts.join(" ")
    }
}

/// Why an action did not happen. Nothing stored before is lost by any of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The store could not do it.
    Store(StoreError),
    /// The server or the network could not do it.
    Sync(SyncError),
    /// spor-core's rules refuse the input (a nickname too long, ...).
    Refused(Vec<Problem>),
    /// A file that is not a Spor backup, or not one this version can load.
    Backup(BackupError),
    /// A reason of the app's own: a text and the values of its placeholders.
    Other(Done),
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        Failure::Store(error)
    }
}

impl From<SyncError> for Failure {
    fn from(error: SyncError) -> Failure {
        Failure::Sync(error)
    }
}

impl From<BackupError> for Failure {
    fn from(error: BackupError) -> Failure {
        Failure::Backup(error)
    }
}

impl From<Vec<Problem>> for Failure {
    fn from(problems: Vec<Problem>) -> Failure {
        Failure::Refused(problems)
    }
}

impl Failure {
    /// Why, in `language`.
    pub fn text(&self, language: Language) -> String {
        match self {
            Failure::Store(error) => store_error_in(error, language),
            Failure::Sync(error) => sync_error_in(error, language),
            Failure::Refused(problems) => problems
                .iter()
                .map(|problem| problem.message(language))
                .collect::<Vec<_>>()
                .join(" "),
            Failure::Backup(error) => error.message(language),
            Failure::Other(reason) => reason.text(language),
        }
    }
}

impl I18n {
    /// An outcome in words, in the current language (tracked).
    pub fn outcome(self, outcome: &Outcome) -> String {
        match outcome {
            Ok(done) => done.text(self.language.get()),
            Err(failure) => failure.text(self.language.get()),
        }
    }

    /// A failure in words, in the current language (tracked).
    pub fn failure(self, failure: &Failure) -> String {
        failure.text(self.language.get())
    }
}

/// Runs `work` in the background (IndexedDB's futures are not `Send`) and puts what it ended in,
/// in `outcome`, for an [`OutcomeMessage`]. `work` changes what is shown only after its writes
/// have committed, with `try_set` (its section may be gone by then).
pub fn act(outcome: RwSignal<Option<Outcome>>, work: impl Future<Output = Outcome> + 'static) {
    spawn_local(async move {
        let ended = work.await;
        outcome.try_set(Some(ended));
    });
}

/// [`act`] for work whose success shows itself (a check-in appears in the list): only a failure
/// is put in `failure`, for a [`FailureMessage`]; a success clears it.
pub fn attempt(
    failure: RwSignal<Option<Failure>>,
    work: impl Future<Output = Result<(), Failure>> + 'static,
) {
    spawn_local(async move {
        let ended = work.await;
        failure.try_set(ended.err());
    });
}

/// The outcome of the last action in a section, read out by screen readers. A failure is shown as
/// an error, never by colour alone: the text says what happened.
#[component]
pub fn OutcomeMessage(#[prop(into)] outcome: Signal<Option<Outcome>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p
            role="status"
            class="status-message"
            data-testid=testid
            class:error=move || outcome.with(|outcome| matches!(outcome, Some(Err(_))))
        >
            {move || outcome.with(|outcome| outcome.as_ref().map(|outcome| i18n.outcome(outcome)))}
        </p>
    }
}

/// A failure alone (an action whose success shows itself), shown as an alert.
#[component]
pub fn FailureMessage(#[prop(into)] failure: Signal<Option<Failure>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p role="alert" class="error">
            {move || failure.with(|failure| failure.as_ref().map(|failure| i18n.failure(failure)))}
        </p>
    }
}

/// A read from the store that failed, shown in its place where no `ErrorBoundary` is wanted (the
/// Today page: the first screen's download pays for every generic view).
#[component]
pub fn StoreFailure(error: StoreError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{move || i18n.store_error(&error)}</p> }
}

/// What an `ErrorBoundary` round a read from the store shows when the read failed: the reason in
/// the user's language, and that what is stored is safe.
#[component]
pub fn ReadFailure(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|(_, error)| match error.downcast_ref::<StoreError>() {
                    Some(error) => i18n.store_error(error),
                    None => i18n.format(Key::ErrorStoreUnavailable, &[("detail", &error.to_string())]),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    view! { <p class="error" role="alert">{text}</p> }
}

#[cfg(test)]
mod tests {
    use spor_core::validation::Field;

    use super::*;

    #[test]
    fn what_worked_is_said_in_the_language_asked_for_and_parts_follow_one_another() {
        let saved = Done::new(Key::GoalsSaved).and(Done::with(Key::ExportWithheld, &[("surveys", "WHO-5")]));
        assert_eq!(
            saved.text(Language::Da),
            "Målet er gemt. Udeladt, fordi færre end 5 har svaret: WHO-5."
        );
        assert_eq!(
            saved.text(Language::En),
            "The goal is saved. Left out because fewer than 5 answered: WHO-5."
        );
    }

    #[test]
    fn a_failure_says_why_in_either_language_and_that_nothing_stored_is_lost() {
        let full = Failure::from(StoreError::QuotaExceeded {
            action: "save the goal",
        });
        assert!(
            full.text(Language::Da)
                .starts_with("Enhedens lager er fuldt, så det blev ikke gemt.")
        );
        assert!(
            full.text(Language::En)
                .contains("Everything already registered is kept.")
        );
        let refused = Failure::from(vec![
            Problem::Empty {
                field: Field::ActivityName,
            },
            Problem::TooLong {
                field: Field::Pseudonym,
                max: 40,
                length: 41,
            },
        ]);
        let english = refused.text(Language::En);
        assert!(
            english.ends_with("is too long: 41 characters, at most 40."),
            "{english}"
        );
        assert!(english.contains("cannot be empty."), "{english}");
    }
}
