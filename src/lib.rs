//! The Spor app: a Leptos 0.8 client-side-rendered PWA. See docs/ARCHITECTURE.md for the map.
//!
//! One folder per feature (`today`, `survey`, `trends`, `activities`, `settings`) and the
//! `frame` around them; `app.rs` holds the routes. Under them: `components` (pieces two or more
//! features use), `contexts` (app-wide state), `hooks`, `store` (IndexedDB) and `sync`.

pub mod activities;
pub mod app;
pub mod components;
pub mod contexts;
pub mod download;
pub mod frame;
pub mod hooks;
pub mod i18n;
pub mod report;
pub mod settings;
pub mod standard;
pub mod store;
pub mod survey;
pub mod sync;
pub mod theory;
pub mod today;
pub mod trends;
pub mod user_timing;
