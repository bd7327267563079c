//! App-wide state, each provided once at the app root by its `provide_*` function.

pub mod connectivity_context;
pub mod i18n_context;
pub mod kiosk_context;
pub mod sync_context;
