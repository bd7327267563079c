//! A push body as a device sends it: decoding and validating any bytes never panics, and what
//! decodes writes back and reads again as the same request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spor_core::sync::PushRequest;
use spor_core::validation::Context;

fuzz_target!(|bytes: &[u8]| {
    let Ok(push) = serde_json::from_slice::<PushRequest>(bytes) else {
        return;
    };
    let context = Context {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("a real date"),
    };
    for mutation in &push.mutations {
        let _ = mutation.change.validate(context);
    }
    let written = serde_json::to_vec(&push).expect("a decoded push encodes");
    let again: PushRequest = serde_json::from_slice(&written).expect("an encoded push decodes");
    assert_eq!(again, push);
});
