//! Spec: the user's `chartwright.yaml`, parsed with locations and checked field by field before
//! anything is planned, so that a bad file is reported whole and nothing is written. Rules that
//! span layers (a limit below a request once org defaults are merged) are the plan's: only it
//! sees every layer.

pub mod checked;
pub mod env_file;
pub mod error;
mod files;
pub mod image;
mod locate;
pub mod names;
mod parse_error;
pub mod quantity;
mod rules;
mod scalars;
pub mod types;
mod unknown_keys;
mod validate;

use std::path::Path;

use serde_saphyr::options::DuplicateKeyPolicy;

pub use error::{Diagnostic, ErrorKind, SpecError};
pub use files::MAX_CONFIG_FILE_BYTES;
pub use parse_error::parse_yaml;
pub use rules::Planned;
pub use types::*;

/// The format version this chartwright reads.
pub const SPEC_VERSION: i64 = 1;

/// Larger specs are refused before parsing: a real spec is a few kilobytes, and the limit keeps
/// a hostile file from costing unbounded memory.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// Replica counts (and autoscaling bounds) a spec may ask for; more is taken for a typo. The
/// interactive prompt asks within the same range.
pub const REPLICAS: std::ops::RangeInclusive<i64> = 1..=1000;

/// Deepest nesting of mappings and lists read; a real spec needs about eight levels.
pub const MAX_DEPTH: usize = 32;

/// A spec as read from disk, with what error messages need to point into it.
#[derive(Debug)]
pub struct SpecFile {
    /// What the user wrote, with places (for messages and tools).
    pub spec: Spec,
    /// The same, typed and checked: what the plan reads.
    pub checked: checked::Checked,
    /// The path as the user gave it, for messages.
    pub file: String,
    pub source_text: String,
}

/// Reads, parses and validates a spec file; `-` is standard input.
pub fn load(path: &Path) -> Result<SpecFile, SpecError> {
    use crate::input::{self, ReadError};
    let stdin = path == Path::new("-");
    let file = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let read = if stdin {
        input::read_stdin(MAX_SPEC_BYTES)
    } else {
        input::read_text(path, MAX_SPEC_BYTES)
    };
    let fail =
        |kind: ErrorKind, line: u32, column: u32, message: String, source: String| SpecError {
            file: file.clone(),
            source_text: source,
            diagnostics: vec![Diagnostic {
                kind,
                path: String::new(),
                line,
                column,
                message,
                hint: None,
            }],
        };
    match read {
        Ok(text) => parse_at(path, &file, &text),
        Err(e @ ReadError::TooBig { .. }) => Err(fail(
            ErrorKind::Limit,
            0,
            0,
            format!("the spec is too big: {e}"),
            String::new(),
        )),
        Err(ReadError::NotUtf8 {
            line,
            column,
            byte,
            lossy,
        }) => Err(fail(
            ErrorKind::Syntax,
            line,
            column,
            format!(
                "the spec is not UTF-8 text: the byte 0x{byte:02X} here is not part of a UTF-8 character"
            ),
            lossy,
        )),
        Err(e) => Err(fail(
            ErrorKind::Io,
            0,
            0,
            format!("cannot read the spec: {e}"),
            String::new(),
        )),
    }
}

/// Parses and validates spec text as the file at `path` (named `file` in messages), reading the
/// repository files it names relative to it: what `load` does once it has the text, and what
/// `init` checks before it writes the spec there.
pub fn parse_at(path: &Path, file: &str, text: &str) -> Result<SpecFile, SpecError> {
    let mut parsed = parse(file, text)?;
    files::attach(path, &mut parsed)?;
    Ok(parsed)
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
    let unknown = unknown_keys::find(text, unknown_keys::Root::Spec, parse_options());
    let mut spec: Spec = serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| error(with_unknown(unknown.clone(), &e, text)))?;
    scalars::spec(&mut spec, text);
    let mut diagnostics = validate::validate(&spec, text);
    merge(&mut diagnostics, unknown);
    if diagnostics.is_empty() {
        let checked = checked::spec(&spec).map_err(error)?;
        Ok(SpecFile {
            checked,
            spec,
            file: file.to_string(),
            source_text: text.to_string(),
        })
    } else {
        Err(error(diagnostics))
    }
}

/// The rules that must see what the plan decides (the namespace of an environment that names
/// none, the variables a dependency injects). The plan calls this before it builds and hands
/// its decisions in, so the rules use the plan's own names while `spec` never reads `plan`.
pub fn check_planned(file: &SpecFile, planned: &Planned) -> Result<(), SpecError> {
    let diagnostics = rules::check_planned(&file.spec, &file.source_text, &file.checked, planned);
    if diagnostics.is_empty() {
        return Ok(());
    }
    Err(SpecError {
        file: file.file.clone(),
        source_text: file.source_text.clone(),
        diagnostics,
    })
}

/// An org defaults file as read from disk, with what error messages need to point into it: a
/// rule broken only once its values are layered under a spec is reported in this file when one
/// of them set the losing value.
#[derive(Debug, Clone)]
pub struct DefaultsFile {
    pub defaults: DefaultsSpec,
    /// The same, typed and checked: what the plan reads.
    pub checked: checked::Defaults,
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
    let unknown = unknown_keys::find(text, unknown_keys::Root::Defaults, parse_options());
    let mut defaults: DefaultsSpec = serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| error(with_unknown(unknown.clone(), &e, text)))?;
    scalars::defaults(&mut defaults, text);
    let mut diagnostics = validate::validate_defaults(&defaults);
    diagnostics.extend(rules::check_defaults(&defaults, text));
    merge(&mut diagnostics, unknown);
    if diagnostics.is_empty() {
        Ok(DefaultsFile {
            checked: checked::defaults(&defaults).map_err(error)?,
            defaults,
            file: file.to_string(),
            source_text: text.to_string(),
        })
    } else {
        Err(error(diagnostics))
    }
}

/// The unknown keys and the parser's error. A field the parser found missing is left out when
/// an unknown key of the same mapping most likely meant it: the misspelt key (`imgae`) is the
/// mistake, and its hint names the field.
fn with_unknown(
    unknown: Vec<unknown_keys::UnknownKey>,
    e: &serde_saphyr::Error,
    text: &str,
) -> Vec<Diagnostic> {
    let parsed = validate::from_parse_error(e, text);
    let explained = parse_error::missing_field(e).is_some_and(|field| {
        let missing = if parsed.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", parsed.path)
        };
        unknown
            .iter()
            .any(|u| u.meant.as_deref() == Some(missing.as_str()))
    });
    let mut out: Vec<Diagnostic> = unknown.into_iter().map(|u| u.diagnostic).collect();
    if !explained {
        out.push(parsed);
    }
    out.sort_by_key(|d| (d.line, d.column));
    out
}

/// Adds the unknown-key diagnostics to validation's, in the order of the file. A complaint about
/// a field that is absent (`services.api.ports` empty) is left out when an unknown key most
/// likely meant that field (`prots`).
fn merge(diagnostics: &mut Vec<Diagnostic>, unknown: Vec<unknown_keys::UnknownKey>) {
    if unknown.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !unknown
            .iter()
            .any(|u| u.meant.as_deref() == Some(d.path.as_str()))
    });
    diagnostics.extend(unknown.into_iter().map(|u| u.diagnostic));
    diagnostics.sort_by_key(|d| (d.line, d.column));
}

/// Strict YAML: duplicate keys are errors, aliases are bounded (no "billion laughs"), and only
/// `true`/`false` are booleans, so `NO` stays the string the user meant. Comments are read past,
/// not kept: kept, the parser buffers at most 96 of them while it looks ahead, and a spec that
/// `init` wrote from a real Compose file lists hundreds of lines it could not carry.
fn parse_options() -> serde_saphyr::Options {
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 10_000;
    aliases.max_replay_stack_depth = 16;
    aliases.max_alias_expansions_per_anchor = 100;
    serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        emit_comments: false,
        alias_limits: aliases,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: 200_000,
            max_documents: 1,
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_comment_block_is_only_a_comment() {
        // `init` lists what it could not carry as comments above a service: a real Compose
        // file gives hundreds of lines, and the parser must not give up looking ahead past them.
        let mut text = String::from(
            "version: 1\napp: acme\nenvironments:\n  dev: { replicas: 1 }\nservices:\n",
        );
        for i in 0..200 {
            text.push_str(&format!("  #   - environment `V{i}` (not carried)\n"));
        }
        text.push_str(
            "  api:\n    image: acme/api:1.0.0\n    ports:\n      - { name: http, port: 8080 }\n",
        );
        super::parse("chartwright.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    }
}
