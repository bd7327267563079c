//! Surveys: the coordinator's setup (which survey is asked when), the template builder, and the
//! kiosk that hands a tablet to participants. The runner itself is shared
//! (`components::survey_runner`): the handover screen and the trends page use it too.

pub mod kiosk_screen;
pub mod page;
pub mod survey_setup;
pub mod template_editor;
pub mod templates_section;
