//! A common standard with room for local variation: an umbrella publishes a standard package, its
//! members adopt it for an activity (the core locked, their own beside it) and follow its newer
//! versions, and send back the core indicators' figures, which the umbrella compares side by side.

pub mod adopt_section;
pub mod comparison_section;
pub mod figures_section;
pub mod page;
pub mod publish_section;
pub mod words;
