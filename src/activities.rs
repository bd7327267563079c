//! Activities: creating and editing activities, and the people on their rosters (rename, merge,
//! consent, export and erasure of a participant).

pub mod activity_form;
pub mod measurement_plan;
pub mod page;
pub mod participant_item;
