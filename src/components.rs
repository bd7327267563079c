//! Pieces of the frame and building blocks shared by pages.

pub mod nav_bar;
pub mod page;
pub mod status_chip;
pub mod update_banner;
