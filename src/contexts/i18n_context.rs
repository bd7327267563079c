//! The current language: Danish unless the user chose English in Settings, remembered on this
//! device, and mirrored to `<html lang>` so screen readers pronounce the texts right.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::i18n::{Key, Language, Text, fill};
use crate::store::StoreError;
use crate::sync::SyncError;
use spor_core::access::DeviceRole;
use spor_core::sync::RejectReason;

const STORAGE_KEY: &str = "spor.language";

#[derive(Clone, Copy)]
pub struct I18n {
    pub language: ReadSignal<Language>,
    pub set_language: WriteSignal<Language>,
}

impl I18n {
    /// The text for `key` in the current language (tracked: re-renders on a language change).
    pub fn t(self, key: impl Text) -> &'static str {
        key.text(self.language.get())
    }

    /// A view-ready closure for `key`.
    pub fn text(self, key: impl Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The text for `key` with its `{placeholders}` filled in.
    pub fn format(self, key: impl Text, values: &[(&str, &str)]) -> String {
        fill(self.t(key), values)
    }

    /// A failed write or read, told so the user knows that what was saved before is safe.
    pub fn store_error(self, error: &StoreError) -> String {
        store_error_in(error, self.language.get())
    }

    /// A failed sync in plain words, saying whether anything needs doing.
    pub fn sync_error(self, error: &SyncError) -> String {
        sync_error_in(error, self.language.get())
    }

    /// Why the server refused a change.
    pub fn reject_reason(self, reason: &RejectReason) -> String {
        match reason {
            RejectReason::Invalid { problems } => {
                let language = self.language.get();
                let messages: Vec<String> =
                    problems.iter().map(|problem| problem.message(language)).collect();
                messages.join(" ")
            }
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

/// [`I18n::store_error`] in `language`: for a screen in the respondent's language.
pub fn store_error_in(error: &StoreError, language: Language) -> String {
    let detail = error.to_string();
    match error {
        StoreError::QuotaExceeded { .. } => Key::ErrorQuota.text(language).to_owned(),
        StoreError::NotSaved { .. } => Key::ErrorNotSaved.text(language).to_owned(),
        StoreError::Corrupt { .. } => fill(Key::ErrorLoad.text(language), &[("detail", &detail)]),
        StoreError::AlreadyRecorded { .. } | StoreError::Database { .. } => {
            fill(Key::ErrorSave.text(language), &[("detail", &detail)])
        }
        StoreError::Refused { problem } => problem.message(language),
        StoreError::Outdated => Key::ErrorOutdated.text(language).to_owned(),
    }
}

/// [`I18n::sync_error`] in `language`.
pub fn sync_error_in(error: &SyncError, language: Language) -> String {
    let text = |key: Key| key.text(language).to_owned();
    match error {
        SyncError::Network => text(Key::SyncErrorNetwork),
        SyncError::Server { status } => fill(
            Key::SyncErrorServer.text(language),
            &[("status", &status.to_string())],
        ),
        SyncError::Revoked => text(Key::SyncRevoked),
        SyncError::Unauthorized => text(Key::SyncErrorUnauthorized),
        SyncError::UpdateRequired => text(Key::SyncErrorUpdate),
        SyncError::InvalidCode => text(Key::SyncErrorInvalidCode),
        SyncError::CursorGone | SyncError::BadAnswer => text(Key::SyncErrorBadAnswer),
        SyncError::Refused { message, .. } => {
            fill(Key::SyncErrorRefused.text(language), &[("detail", message)])
        }
        SyncError::Store(error) => store_error_in(error, language),
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
