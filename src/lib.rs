//! The Spor app: a Leptos 0.8 client-side-rendered PWA. See docs/ARCHITECTURE.md for the map.

pub mod app;
pub mod components;
pub mod contexts;
pub mod download;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod store;
pub mod sync;
pub mod user_timing;
