//! The current language: Danish unless the user chose English in Settings, remembered on this
//! device, and mirrored to `<html lang>` so screen readers pronounce the texts right.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::i18n::{Key, Language, fill};
use crate::store::StoreError;
use crate::sync::SyncError;
use spor_core::access::DeviceRole;
use spor_core::sync::RejectReason;
use spor_core::validation::Problem;

const STORAGE_KEY: &str = "spor.language";

#[derive(Clone, Copy)]
pub struct I18n {
    pub language: ReadSignal<Language>,
    pub set_language: WriteSignal<Language>,
}

impl I18n {
    /// The text for `key` in the current language (tracked: re-renders on a language change).
    pub fn t(self, key: Key) -> &'static str {
        key.text(self.language.get())
    }

    /// A view-ready closure for `key`.
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The text for `key` with its `{placeholders}` filled in.
    pub fn format(self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.t(key), values)
    }

    /// Validation problems from spor-core, in the current language.
    pub fn problem_messages(self, problems: &[Problem]) -> Vec<String> {
        let language = self.language.get_untracked();
        problems.iter().map(|problem| problem.message(language)).collect()
    }

    /// A failed write or read, told so the user knows that what was saved before is safe.
    pub fn store_error(self, error: &StoreError) -> String {
        match error {
            StoreError::QuotaExceeded { .. } => self.t(Key::ErrorQuota).to_owned(),
            StoreError::NotSaved { .. } => self.t(Key::ErrorNotSaved).to_owned(),
            StoreError::Corrupt { .. } => self.format(Key::ErrorLoad, &[("detail", &error.to_string())]),
            StoreError::AlreadyRecorded { .. } | StoreError::Database { .. } => {
                self.format(Key::ErrorSave, &[("detail", &error.to_string())])
            }
            StoreError::Refused { problem } => problem.message(self.language.get_untracked()),
            StoreError::Outdated => self.t(Key::ErrorOutdated).to_owned(),
        }
    }

    /// A failed sync in plain words, saying whether anything needs doing.
    pub fn sync_error(self, error: &SyncError) -> String {
        match error {
            SyncError::Network => self.t(Key::SyncErrorNetwork).to_owned(),
            SyncError::Server { status } => {
                self.format(Key::SyncErrorServer, &[("status", &status.to_string())])
            }
            SyncError::Revoked => self.t(Key::SyncRevoked).to_owned(),
            SyncError::Unauthorized => self.t(Key::SyncErrorUnauthorized).to_owned(),
            SyncError::UpdateRequired => self.t(Key::SyncErrorUpdate).to_owned(),
            SyncError::InvalidCode => self.t(Key::SyncErrorInvalidCode).to_owned(),
            SyncError::CursorGone | SyncError::BadAnswer => self.t(Key::SyncErrorBadAnswer).to_owned(),
            SyncError::Refused { message, .. } => self.format(Key::SyncErrorRefused, &[("detail", message)]),
            SyncError::Store(error) => self.store_error(error),
        }
    }

    /// Why the server refused a change.
    pub fn reject_reason(self, reason: &RejectReason) -> String {
        match reason {
            RejectReason::Invalid { problems } => self.problem_messages(problems).join(" "),
            RejectReason::Forbidden => self.t(Key::SyncReasonForbidden).to_owned(),
            RejectReason::UnknownReference { what } => self.format(Key::SyncReasonUnknown, &[("what", what)]),
            RejectReason::ClockAhead { .. } => self.t(Key::SyncReasonClockAhead).to_owned(),
        }
    }

    pub fn device_role(self, role: DeviceRole) -> &'static str {
        self.t(match role {
            DeviceRole::Coordinator => Key::SyncRoleCoordinator,
            DeviceRole::Volunteer => Key::SyncRoleVolunteer,
            DeviceRole::Kiosk => Key::SyncRoleKiosk,
        })
    }
}

pub fn provide_i18n() -> I18n {
    let remembered = LocalStorage::get::<String>(STORAGE_KEY)
        .ok()
        .and_then(|tag| Language::from_tag(&tag))
        .unwrap_or_default();
    let (language, set_language) = signal(remembered);
    Effect::new(move |_| {
        let language = language.get();
        if let Some(html) = document().document_element() {
            // Failing to set the attribute only affects pronunciation; nothing to recover.
            let _ = html.set_attribute("lang", language.tag());
        }
        // Private browsing may refuse storage: the choice then lasts for this visit only.
        let _ = LocalStorage::set(STORAGE_KEY, language.tag());
    });
    let i18n = I18n {
        language,
        set_language,
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
