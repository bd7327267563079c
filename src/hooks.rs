//! Browser features wrapped as Leptos hooks, one file each (the leptos-use pattern).

pub mod use_document_title;
pub mod use_idle_timeout;
pub mod use_service_worker;
pub mod use_speech;
pub mod use_stored;
