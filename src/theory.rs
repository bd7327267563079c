//! Theory of change: each activity's (or the organisation's) forandringsteori, versioned, written
//! step by step and drawn as a diagram.

pub mod diagram;
pub mod page;
pub mod theory_form;
