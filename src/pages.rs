//! One module per routed page; `app.rs` holds the routes.

pub mod activities;
pub mod not_found;
pub mod settings;
pub mod survey;
pub mod today;
pub mod trends;
