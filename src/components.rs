//! Building blocks that two or more features use. A piece only one feature uses lives in that
//! feature's folder.

pub mod activity_select;
pub mod confirm_notice;
pub mod date_field;
pub mod goal_text;
pub mod hold_button;
pub mod outcome;
pub mod page;
pub mod privacy_notice_text;
pub mod problem_list;
pub mod radio_choices;
pub mod story_kinds;
pub mod survey_runner;
