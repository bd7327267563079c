//! Reports: a funder's statusrapport, an annual report, the quality model's self-assessment, made
//! from the device's records with the coordinators' own words per section, printed or downloaded
//! as a Word file.

pub mod document;
pub mod page;
pub mod section_text;
