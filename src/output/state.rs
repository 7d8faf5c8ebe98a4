//! The ownership record, `.chartwright/state.json`, and the base copies beside it.
//!
//! It exists so that regeneration can tell three kinds of file apart without guessing: files
//! chartwright wrote and nobody touched (safe to replace or delete), files it wrote that the
//! user has since edited (merge, never clobber), and files it never wrote (never touch). The
//! hash recorded is always that of the *rendered* text, never of what ended up on disk after a
//! merge: a merged file must keep looking edited, so that the next regeneration merges again
//! instead of silently discarding the user's change.
//!
//! The JSON is byte-for-byte deterministic (fixed key order, no timestamps, trailing newline)
//! because it is committed next to the generated files and must not churn in diffs or make
//! `check` fail between two identical runs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::OutputError;

/// Folder at the top of the output tree that chartwright owns.
pub const STATE_DIR: &str = ".chartwright";
/// Relative path of the state file.
pub const STATE_FILE: &str = ".chartwright/state.json";
/// Relative path of the folder holding the base copy of every generated file.
pub const BASE_DIR: &str = ".chartwright/base";

/// Version of the state file layout; bumped only on incompatible changes.
const FORMAT: u32 = 1;

/// Fields are declared in alphabetical order: serde serializes in declaration order, so this
/// is what keeps the keys sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    pub chartwright_version: String,
    pub files: BTreeMap<String, FileRecord>,
    pub format: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileRecord {
    /// Lowercase hex sha256 of the rendered text (not of the file on disk).
    pub sha256: String,
}

impl State {
    pub fn new(files: BTreeMap<String, FileRecord>) -> Self {
        State {
            chartwright_version: env!("CARGO_PKG_VERSION").to_owned(),
            files,
            format: FORMAT,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).expect("state serializes");
        text.push('\n');
        text.into_bytes()
    }

    pub fn parse(bytes: &[u8], path: &Path) -> Result<Self, OutputError> {
        let corrupt = |message: String| OutputError::CorruptState {
            path: path.to_owned(),
            message,
        };
        let state: State = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
        if state.format != FORMAT {
            return Err(corrupt(format!(
                "state format {} is not supported by chartwright {} (which writes format {FORMAT})",
                state.format,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(state)
    }
}

/// Path of the base copy of the generated file at `rel`.
pub(crate) fn base_path(rel: &str) -> String {
    format!("{BASE_DIR}/{rel}")
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
