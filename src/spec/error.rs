//! The spec boundary's one error type: every problem of a file at once, each with its field
//! path, line and column, rendered with the offending source line.

use std::fmt;

use serde::Serialize;

/// What went wrong, by kind, so tests and `--format json` can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The file is not YAML, or not the shape of a spec (wrong type, missing field).
    Syntax,
    UnknownField,
    DuplicateKey,
    /// A value of the right type that breaks a rule (a name, an image, a quantity…).
    Invalid,
    /// A name that points at nothing (`depends_on`, `overrides`, a probe port).
    Reference,
    Cycle,
    /// A value that must never be in a spec (a plaintext secret).
    Secret,
    /// The file exceeds a size, alias or nesting limit.
    Limit,
    /// The file could not be read.
    Io,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    /// Dotted field path, e.g. `services.api.image`; empty for the document itself.
    pub path: String,
    /// 1-based; 0 when the problem has no single place (an empty file).
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: Option<String>,
}

/// All the problems found in one spec file.
#[derive(Debug, Clone)]
pub struct SpecError {
    pub file: String,
    pub source_text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl std::error::Error for SpecError {}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            let path = if d.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.path)
            };
            let message = format!("{path}{}", d.message);
            let shown = crate::snippet::located(&crate::snippet::Located {
                message: &message,
                file: &self.file,
                source: Some(&self.source_text),
                line: d.line as usize,
                column: d.column as usize,
                hint: d.hint.as_deref(),
                redact_from: redact_from(d, &self.source_text),
            });
            writeln!(f, "{shown}")?;
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "{} error{} in {}",
            n,
            if n == 1 { "" } else { "s" },
            printable(&self.file)
        )
    }
}

/// Where a plaintext secret's value starts on the diagnostic's line, so that the report shows
/// the line without it: at the value itself (`DB_PASSWORD: hunter2`), or after the name of a
/// `secrets:` entry written `NAME: value`.
fn redact_from(d: &Diagnostic, text: &str) -> Option<usize> {
    if d.kind != ErrorKind::Secret {
        return None;
    }
    let column = d.column.max(1) as usize;
    if !d.path.ends_with(']') {
        return Some(column);
    }
    let line = text.lines().nth((d.line as usize).checked_sub(1)?)?;
    let rest: Vec<char> = line.chars().skip(column - 1).collect();
    let colon = rest
        .iter()
        .enumerate()
        .position(|(i, c)| *c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace()))
        .map_or(0, |i| i + 1);
    let spaces = rest[colon..]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count();
    Some(column + colon + spaces)
}

pub use crate::snippet::printable;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_contains_no_control_characters() {
        let e = SpecError {
            file: "x\u{1b}.yaml".into(),
            source_text: "app: \"\\e[2J\"\n".into(),
            diagnostics: vec![Diagnostic {
                kind: ErrorKind::Invalid,
                path: "app".into(),
                line: 1,
                column: 6,
                message: "`\u{1b}[2J` is not a DNS label".into(),
                hint: Some("\u{1b}]0;title\u{7}".into()),
            }],
        };
        let shown = e.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
    }
}
