//! Spec: the user's `chartwright.yaml`, parsed with locations and checked field by field before
//! anything is planned, so that a bad file is reported whole and nothing is written. Rules that
//! span layers (a limit below a request once org defaults are merged) are the plan's: only it
//! sees every layer.

pub mod error;
pub mod image;
mod locate;
pub mod names;
mod parse_error;
pub mod quantity;
mod rules;
mod scalars;
pub mod types;
mod validate;

use std::io::Read;
use std::path::Path;

use serde_saphyr::options::DuplicateKeyPolicy;

pub use error::{Diagnostic, ErrorKind, SpecError};
pub use types::*;

/// The format version this chartwright reads.
pub const SPEC_VERSION: i64 = 1;

/// Larger specs are refused before parsing: a real spec is a few kilobytes, and the limit keeps
/// a hostile file from costing unbounded memory.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// Deepest nesting of mappings and lists read; a real spec needs about eight levels.
pub const MAX_DEPTH: usize = 32;

/// A spec as read from disk, with what error messages need to point into it.
#[derive(Debug)]
pub struct SpecFile {
    pub spec: Spec,
    /// The path as the user gave it, for messages.
    pub file: String,
    pub source_text: String,
}

/// Reads, parses and validates a spec file.
pub fn load(path: &Path) -> Result<SpecFile, SpecError> {
    let file = path.display().to_string();
    let fail = |message: String, kind: ErrorKind| SpecError {
        file: file.clone(),
        source_text: String::new(),
        diagnostics: vec![Diagnostic {
            kind,
            path: String::new(),
            line: 0,
            column: 0,
            message,
            hint: None,
        }],
    };
    let too_big = |len: u64| {
        fail(
            format!(
                "the spec is {len} bytes; chartwright reads specs of at most {MAX_SPEC_BYTES} bytes"
            ),
            ErrorKind::Limit,
        )
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read the spec: {e}"), ErrorKind::Io))?;
    if meta.len() > MAX_SPEC_BYTES as u64 {
        return Err(too_big(meta.len()));
    }
    // The size on disk says nothing for a pipe or a device (`/dev/zero` has none and never
    // ends), so the read itself is bounded too.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SPEC_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read the spec: {e}"), ErrorKind::Io))?;
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(fail(
            format!(
                "the spec is more than {MAX_SPEC_BYTES} bytes; chartwright reads specs of at most {MAX_SPEC_BYTES} bytes"
            ),
            ErrorKind::Limit,
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| fail("the spec is not UTF-8 text".into(), ErrorKind::Syntax))?;
    parse(&file, &text)
}

/// Parses and validates spec text; `file` is only used in messages.
pub fn parse(file: &str, text: &str) -> Result<SpecFile, SpecError> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(SpecError {
            file: file.to_string(),
            source_text: String::new(),
            diagnostics: vec![Diagnostic {
                kind: ErrorKind::Limit,
                path: String::new(),
                line: 0,
                column: 0,
                message: format!(
                    "the spec is {} bytes; the limit is {MAX_SPEC_BYTES}",
                    text.len()
                ),
                hint: None,
            }],
        });
    }
    // YAML takes a lone CR for a line break too (and folds every break in a value to LF): with
    // the breaks normalised first, lines count the same in the parser, in paths and in reports.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let error = |diagnostics: Vec<Diagnostic>| SpecError {
        file: file.to_string(),
        source_text: text.to_string(),
        diagnostics,
    };
    let nothing = |t: &str| t.is_empty() || t.starts_with('#');
    if text.trim_start_matches('\u{feff}').lines().all(|l| {
        let t = l.trim();
        nothing(t)
            || l.starts_with('%')
            || ["---", "..."]
                .iter()
                .any(|m| t.strip_prefix(m).is_some_and(|r| nothing(r.trim_start())))
    }) {
        return Err(error(vec![Diagnostic {
            kind: ErrorKind::Syntax,
            path: String::new(),
            line: 1,
            column: 1,
            message: "the spec is empty".into(),
            hint: Some(
                "start from `chartwright init`, or from examples/quickstart/chartwright.yaml"
                    .into(),
            ),
        }]));
    }
    let mut spec: Spec = serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| error(vec![validate::from_parse_error(&e, text)]))?;
    scalars::spec(&mut spec, text);
    let diagnostics = validate::validate(&spec, text);
    if diagnostics.is_empty() {
        Ok(SpecFile {
            spec,
            file: file.to_string(),
            source_text: text.to_string(),
        })
    } else {
        Err(error(diagnostics))
    }
}

/// An org defaults file as read from disk, with what error messages need to point into it: a
/// rule broken only once its values are layered under a spec is reported in this file when one
/// of them set the losing value.
#[derive(Debug, Clone)]
pub struct DefaultsFile {
    pub defaults: DefaultsSpec,
    pub file: String,
    pub source_text: String,
}

/// Parses an org defaults file (the `defaults:` block of a spec, on its own).
pub fn parse_defaults(file: &str, text: &str) -> Result<DefaultsFile, SpecError> {
    let error = |diagnostics: Vec<Diagnostic>| SpecError {
        file: file.to_string(),
        source_text: text.to_string(),
        diagnostics,
    };
    let mut defaults: DefaultsSpec = serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| error(vec![validate::from_parse_error(&e, text)]))?;
    scalars::defaults(&mut defaults, text);
    let mut diagnostics = validate::validate_defaults(&defaults);
    diagnostics.extend(rules::check_defaults(&defaults, text));
    if diagnostics.is_empty() {
        Ok(DefaultsFile {
            defaults,
            file: file.to_string(),
            source_text: text.to_string(),
        })
    } else {
        Err(error(diagnostics))
    }
}

/// Strict YAML: duplicate keys are errors, aliases are bounded (no "billion laughs"), and only
/// `true`/`false` are booleans, so `NO` stays the string the user meant.
fn parse_options() -> serde_saphyr::Options {
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 10_000;
    aliases.max_replay_stack_depth = 16;
    aliases.max_alias_expansions_per_anchor = 100;
    serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        alias_limits: aliases,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: 200_000,
            max_documents: 1,
        },
    }
}
