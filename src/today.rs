//! Today: the volunteer's register for an occurrence. One tap checks a person in; anonymous
//! people are counted by role. `register_context` is the page's controller.

pub mod headcount_counter;
pub mod new_person_form;
pub mod occurrence_summary;
pub mod page;
pub mod register_context;
pub mod roster_row;
pub mod session_log_card;
pub mod story_card;
pub mod undo_snackbar;
