//! The head of Spor's JSON files (a device backup, a standard package, a member's figures): what
//! kind of file it says it is and the format version that wrote it, checked before anything else
//! is read, so a cut-off, foreign or newer file gets its own clear answer.

use serde::de::DeserializeOwned;

/// Why a file is not one of the kind asked for, before its content is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadProblem {
    /// Not JSON at all, or cut off.
    Unreadable { detail: String },
    /// JSON, but another kind of file (or a damaged one).
    Foreign { detail: String },
    /// Written by a newer format than this Spor reads.
    Newer { version: u32 },
}

/// What kind of file is expected: its `format` and where its version stands.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    pub format: &'static str,
    pub version_field: &'static str,
    pub version: u32,
}

impl FileKind {
    /// Reads `text` as a file of this kind into `T`: JSON, the format named, a version this Spor
    /// reads, and a shape `T` accepts.
    pub fn read<T: DeserializeOwned>(self, text: &str) -> Result<T, HeadProblem> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|error| HeadProblem::Unreadable {
                detail: error.to_string(),
            })?;
        if value.get("format").and_then(|format| format.as_str()) != Some(self.format) {
            return Err(HeadProblem::Foreign {
                detail: format!("no \"format\": \"{}\"", self.format),
            });
        }
        if let Some(version) = value.get(self.version_field).and_then(|version| version.as_u64())
            && version > u64::from(self.version)
        {
            return Err(HeadProblem::Newer {
                version: u32::try_from(version).unwrap_or(u32::MAX),
            });
        }
        serde_json::from_value(value).map_err(|error| HeadProblem::Foreign {
            detail: error.to_string(),
        })
    }
}
