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
        let lines: Vec<&str> = self.source_text.lines().collect();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let path = if d.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.path)
            };
            writeln!(f, "error: {path}{}", d.message)?;
            writeln!(f, "  --> {}:{}:{}", self.file, d.line, d.column)?;
            if let Some(text) = d.line.checked_sub(1).and_then(|l| lines.get(l as usize)) {
                let gutter = d.line.to_string().len();
                let shown: String = text.chars().take(160).collect();
                writeln!(f, "{:gutter$} |", "")?;
                writeln!(f, "{} | {shown}", d.line)?;
                let caret_at = (d.column.max(1) as usize - 1).min(shown.chars().count());
                writeln!(f, "{:gutter$} | {:caret_at$}^", "", "")?;
            }
            if let Some(h) = &d.hint {
                writeln!(f, "  = hint: {h}")?;
            }
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "{} error{} in {}",
            n,
            if n == 1 { "" } else { "s" },
            self.file
        )
    }
}
