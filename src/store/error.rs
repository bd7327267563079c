use thiserror::Error;

/// What went wrong in the store, with the action that failed. The app shows these in the user's
/// language; the English text here is for developers and the console.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum StoreError {
    #[error("could not {action}: {detail}")]
    Database { action: &'static str, detail: String },
    #[error("the stored {what} is unreadable: {detail}")]
    Corrupt { what: &'static str, detail: String },
}

impl StoreError {
    /// Wraps a rexie error with the action that failed, for `map_err`.
    pub(crate) fn database(action: &'static str) -> impl FnOnce(rexie::Error) -> StoreError {
        move |error| StoreError::Database {
            action,
            detail: describe(&error),
        }
    }
}

/// rexie's own message is only "idb error"; the useful part is the IndexedDB error inside it.
fn describe(error: &rexie::Error) -> String {
    match error {
        rexie::Error::IdbError(inner) => inner.to_string(),
        other => other.to_string(),
    }
}
