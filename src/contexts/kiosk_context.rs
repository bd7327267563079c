//! When the survey takes the whole screen: kiosk mode (a shared tablet or a handed-over phone that
//! stays in the survey until a volunteer's PIN lets it out; a device paired as a kiosk is always in
//! it) and a single handover (one participant answers, then the phone goes back).
//!
//! The kiosk settings and a handover live in localStorage, so a reload, the back button or a deep
//! link lands in the kiosk or the handed-over survey again. The PIN is kept only as a salted
//! SHA-256, and wrong PINs make the next try wait (spor-core's `kiosk::wait_after`).

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spor_core::access::DeviceRole;
use spor_core::ids::{ActivityId, TemplateId};
use spor_core::survey_session::Handover;

use crate::contexts::sync_context::SyncContext;

const STORAGE_KEY: &str = "spor.kiosk";
const HANDOVER_KEY: &str = "spor.handover";
const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// What a volunteer set when starting the kiosk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KioskSettings {
    pub activity: ActivityId,
    pub template: TemplateId,
    pub salt: String,
    pub pin_hash: String,
    /// Wrong PINs in a row, and until when (ms since the epoch) the next try has to wait.
    #[serde(default)]
    pub misses: u32,
    #[serde(default)]
    pub wait_until_ms: f64,
}

/// A survey handed over on a volunteer's phone: which survey, as the volunteer set it up, and the
/// pseudonym of the participant it is linked to (the only one they see). Kept across a reload; the
/// survey then starts again (answers given so far are not kept anywhere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandedOver {
    pub template: TemplateId,
    pub setup: Handover,
    pub respondent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// 4 to 8 digits.
    Format,
    Wrong,
    /// Too many wrong PINs: the next try waits this many seconds more.
    Wait {
        seconds: u64,
    },
}

#[derive(Clone, Copy)]
pub struct KioskContext {
    settings: RwSignal<Option<KioskSettings>>,
    /// A survey handed over for one response, outside kiosk mode.
    handover: RwSignal<Option<HandedOver>>,
    /// Whether this device was paired as a kiosk (then it is always in kiosk mode).
    kiosk_device: Memo<bool>,
}

fn pin_hash(salt: &str, pin: &str) -> String {
    let digest = Sha256::digest(format!("{salt}:{pin}").as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn valid_pin(pin: &str) -> bool {
    PIN_DIGITS.contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit())
}

impl KioskContext {
    pub fn settings(self) -> ReadSignal<Option<KioskSettings>> {
        self.settings.read_only()
    }

    /// Whether the app shows only the kiosk.
    pub fn active(self) -> bool {
        self.settings.with(Option::is_some) || self.kiosk_device.get()
    }

    pub fn start(self, activity: ActivityId, template: TemplateId, pin: &str) -> Result<(), PinProblem> {
        if !valid_pin(pin) {
            return Err(PinProblem::Format);
        }
        let salt = uuid::Uuid::new_v4().to_string();
        let settings = KioskSettings {
            activity,
            template,
            pin_hash: pin_hash(&salt, pin),
            salt,
            misses: 0,
            wait_until_ms: 0.0,
        };
        // Private browsing may refuse storage: the kiosk then lasts until the page is closed.
        let _ = LocalStorage::set(STORAGE_KEY, &settings);
        self.settings.set(Some(settings));
        Ok(())
    }

    /// Leaves kiosk mode when `pin` is the one it was started with, at `now_ms`. After a few
    /// wrong PINs the next try waits, longer after each miss, also across a reload.
    pub fn leave(self, pin: &str, now_ms: f64) -> Result<(), PinProblem> {
        let Some(mut settings) = self.settings.get_untracked() else {
            return Err(PinProblem::Wrong);
        };
        if now_ms < settings.wait_until_ms {
            return Err(PinProblem::Wait {
                seconds: ((settings.wait_until_ms - now_ms) / 1000.0).ceil() as u64,
            });
        }
        if pin_hash(&settings.salt, pin) == settings.pin_hash {
            LocalStorage::delete(STORAGE_KEY);
            self.settings.set(None);
            return Ok(());
        }
        settings.misses = settings.misses.saturating_add(1);
        let wait = spor_core::kiosk::wait_after(settings.misses);
        settings.wait_until_ms = now_ms + wait.as_millis() as f64;
        let _ = LocalStorage::set(STORAGE_KEY, &settings);
        self.settings.set(Some(settings));
        if wait.is_zero() {
            Err(PinProblem::Wrong)
        } else {
            Err(PinProblem::Wait {
                seconds: wait.as_secs(),
            })
        }
    }

    /// The survey handed over, if one is.
    pub fn handover(self) -> ReadSignal<Option<HandedOver>> {
        self.handover.read_only()
    }

    /// Hands the phone over for one survey: the app shows only the survey until it is given back,
    /// also after a reload.
    pub fn hand_over(self, handed_over: HandedOver) {
        let _ = LocalStorage::set(HANDOVER_KEY, &handed_over);
        self.handover.set(Some(handed_over));
    }

    /// The phone is back with the volunteer.
    pub fn give_back(self) {
        LocalStorage::delete(HANDOVER_KEY);
        self.handover.set(None);
    }
}

/// Leaves kiosk mode and any handover without the PIN: only for a device whose pairing was revoked
/// and wiped.
pub fn forget_kiosk_mode() {
    LocalStorage::delete(STORAGE_KEY);
    LocalStorage::delete(HANDOVER_KEY);
}

pub fn provide_kiosk(sync: SyncContext) -> KioskContext {
    let kiosk_device = Memo::new(move |_| {
        sync.link()
            .with(|link| link.as_ref().is_some_and(|link| link.role == DeviceRole::Kiosk))
    });
    let kiosk = KioskContext {
        settings: RwSignal::new(LocalStorage::get(STORAGE_KEY).ok()),
        handover: RwSignal::new(LocalStorage::get(HANDOVER_KEY).ok()),
        kiosk_device,
    };
    provide_context(kiosk);
    kiosk
}

pub fn use_kiosk() -> KioskContext {
    expect_context::<KioskContext>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_four_to_eight_digits_and_hashed_with_their_salt() {
        for pin in ["1234", "12345678"] {
            assert!(valid_pin(pin), "{pin}");
        }
        for pin in ["123", "123456789", "12a4", "", "12 34"] {
            assert!(!valid_pin(pin), "{pin}");
        }
        assert_eq!(pin_hash("salt", "1234"), pin_hash("salt", "1234"));
        assert_ne!(pin_hash("salt", "1234"), pin_hash("other", "1234"));
        assert_ne!(pin_hash("salt", "1234"), pin_hash("salt", "1235"));
        assert!(!pin_hash("salt", "1234").contains("1234"));
    }
}
