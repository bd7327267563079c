//! Spor's domain: everything Spor knows about voluntary activities, attendance, surveys and what the
//! numbers mean. Plain types and functions with no I/O, compiled both for the host (server, fast tests)
//! and for wasm32 (the app), so nothing is written twice.

pub mod access;
pub mod activity;
pub mod aggregate;
pub mod attendance;
pub mod backup;
pub mod demo;
pub mod docx;
pub mod export;
pub mod file_head;
pub mod goal;
pub mod hlc;
pub mod ids;
pub mod instruments;
pub mod kiosk;
pub mod language;
pub mod markup;
pub mod measurement_plan;
pub mod month_pack;
pub mod organisation;
pub mod package;
pub mod participant;
pub mod participant_report;
pub mod period;
pub mod privacy_notice;
pub mod protocol;
pub mod reflection;
pub mod register;
pub mod report;
pub mod report_text;
pub mod retention;
pub mod role;
pub mod rules;
pub mod scoring;
pub mod search;
pub mod session_log;
pub mod story;
pub mod suppression;
pub mod survey;
pub mod survey_session;
pub mod sync;
pub mod theory;
pub mod trends;
pub mod validation;
pub mod xlsx;
pub mod zip;

pub use language::{Language, Texts};
pub use role::{Role, RoleCounts};
