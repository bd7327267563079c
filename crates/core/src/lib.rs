//! Spor's domain: everything Spor knows about voluntary activities, attendance, surveys and what the
//! numbers mean. Plain types and functions with no I/O, compiled both for the host (server, fast tests)
//! and for wasm32 (the app), so nothing is written twice.

pub mod language;
pub mod protocol;
pub mod role;
pub mod search;

pub use language::Language;
pub use role::Role;
