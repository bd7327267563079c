//! Settings: sync and pairing with the devices list, backup, retention, the privacy notice and
//! the demo year.

pub mod backup_section;
pub mod demo_section;
pub mod devices_section;
pub mod page;
pub mod privacy_notice_section;
pub mod qr_code;
pub mod retention_section;
pub mod sync_section;
