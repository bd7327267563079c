//! The frame around every page: the header's navigation and sync status, the banners (update,
//! revoked phone, clock) and the page for an unknown address.

pub mod clock_warning;
pub mod nav_bar;
pub mod not_found;
pub mod revoked_banner;
pub mod status_chip;
pub mod update_banner;
