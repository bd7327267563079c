//! Reports: a funder's statusrapport, an annual report, the quality model's self-assessment, made
//! from the device's records, printed or downloaded as a Word file.

pub mod document;
pub mod page;
