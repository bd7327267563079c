use thiserror::Error;
use wasm_bindgen::JsCast;

/// What went wrong in the store, with the action that failed. The app shows these in the user's
/// language; the English text here is for developers and the console.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum StoreError {
    /// The device's storage is full: nothing new can be saved, nothing already saved is lost.
    #[error("storage is full: could not {action}")]
    QuotaExceeded { action: &'static str },
    /// The browser refused to commit the write (in practice because the disk is full; it does not
    /// say why). Nothing of the write is stored, nothing stored before is lost.
    #[error("the browser did not store it: could not {action}")]
    NotSaved { action: &'static str },
    /// The record is already there (e.g. a second tap on a person already checked in).
    #[error("already recorded: could not {action}")]
    AlreadyRecorded { action: &'static str },
    #[error("could not {action}: {detail}")]
    Database { action: &'static str, detail: String },
    #[error("the stored {what} is unreadable: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// A newer version of the app, open in another tab, changed the database beyond what this one
    /// knows: the page must be reloaded (nothing is lost; the newer version has it all).
    #[error("the database was changed by a newer version of the app")]
    Outdated,
    /// The change breaks a rule of the domain (e.g. merging a person into themself).
    #[error("refused: {problem:?}")]
    Refused { problem: spor_core::validation::Problem },
}

impl StoreError {
    /// Wraps a rexie error with the action that failed, for `map_err`.
    pub(crate) fn database(action: &'static str) -> impl FnOnce(rexie::Error) -> StoreError {
        move |error| match dom_exception_name(&error).as_deref() {
            Some("QuotaExceededError") => StoreError::QuotaExceeded { action },
            Some("ConstraintError") => StoreError::AlreadyRecorded { action },
            _ => StoreError::Database {
                action,
                detail: describe(&error),
            },
        }
    }

    pub(crate) fn corrupt(what: &'static str) -> impl FnOnce(serde_json::Error) -> StoreError {
        move |error| StoreError::Corrupt {
            what,
            detail: error.to_string(),
        }
    }
}

/// The name of the DOMException behind an IndexedDB failure (`ConstraintError`, `QuotaExceededError`, ...).
fn dom_exception_name(error: &rexie::Error) -> Option<String> {
    let rexie::Error::IdbError(inner) = error else {
        return None;
    };
    match inner {
        idb::Error::DomException(exception) => Some(exception.name()),
        idb::Error::AddFailed(value)
        | idb::Error::UpdateFailed(value)
        | idb::Error::TransactionAbortError(value)
        | idb::Error::TransactionCommitError(value) => value
            .dyn_ref::<web_sys::DomException>()
            .map(web_sys::DomException::name),
        _ => None,
    }
}

/// rexie's own message is only "idb error"; the useful part is the IndexedDB error inside it.
fn describe(error: &rexie::Error) -> String {
    match error {
        rexie::Error::IdbError(inner) => inner.to_string(),
        other => other.to_string(),
    }
}
