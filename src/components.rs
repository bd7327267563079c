//! Pieces of the frame and building blocks shared by pages.

pub mod activity_form;
pub mod backup_section;
pub mod chart_frame;
pub mod confirm_notice;
pub mod demo_section;
pub mod devices_section;
pub mod export_section;
pub mod headcount_counter;
pub mod kiosk_screen;
pub mod mean_chart;
pub mod nav_bar;
pub mod new_person_form;
pub mod occurrence_summary;
pub mod page;
pub mod participant_item;
pub mod roster_row;
pub mod stacked_bars;
pub mod status_chip;
pub mod survey_runner;
pub mod survey_setup;
pub mod sync_section;
pub mod template_editor;
pub mod templates_section;
pub mod undo_snackbar;
pub mod update_banner;
