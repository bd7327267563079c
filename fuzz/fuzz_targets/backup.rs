//! A backup file as a user loads it: any text is read as a backup or refused with a reason, never
//! a panic; what is accepted passes every record's rules again, and has a message for each refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spor_core::Language;
use spor_core::backup::Backup;
use spor_core::validation::Context;

fuzz_target!(|text: &str| {
    let context = Context {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("a real date"),
    };
    match Backup::parse(text, context) {
        Ok(backup) => {
            let again = serde_json::to_string(&backup).expect("an accepted backup encodes");
            assert!(
                Backup::parse(&again, context).is_ok(),
                "an accepted backup, written again, is refused"
            );
        }
        Err(refusal) => {
            assert!(!refusal.message(Language::Da).is_empty() && !refusal.message(Language::En).is_empty());
        }
    }
});
