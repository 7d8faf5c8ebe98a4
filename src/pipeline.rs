//! The whole pipeline in one call, for the CLI, the prompt and the tests: spec file → plan →
//! file set. Writing is left to the caller (`output::write`, `diff` or `check`).

use std::path::{Path, PathBuf};

use crate::output::{FileSet, OutputError};
use crate::plan::Plan;
use crate::render::{RenderError, TemplateSet};
use crate::spec::{self, DefaultsSpec, SpecError};

/// What a run needs besides the spec path.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub spec: PathBuf,
    /// A team overlay folder (`--templates`), over the spec's own `templates:` key.
    pub templates: Option<PathBuf>,
    /// An org defaults file (`--defaults`).
    pub defaults: Option<PathBuf>,
}

/// The CLI boundary's error: one variant per stage, each mapped to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Render(#[from] RenderError),
    #[error("error: {0}")]
    Output(#[from] OutputError),
    #[error("error: {0}")]
    Usage(String),
}

impl Error {
    /// 2 for anything the user can fix in their input, 3 for the file system.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Output(
                OutputError::Io { .. }
                | OutputError::Interrupted { .. }
                | OutputError::NotADirectory { .. },
            ) => 3,
            _ => 2,
        }
    }
}

/// Reads the spec and everything it refers to, and plans it.
pub fn plan(inputs: &Inputs) -> Result<(Plan, TemplateSet), Error> {
    let file = spec::load(&inputs.spec)?;
    let defaults = match &inputs.defaults {
        Some(p) => Some(load_defaults(p)?),
        None => None,
    };
    let plan = crate::plan::build(&file.spec, defaults.as_ref());
    Ok((plan, TemplateSet::embedded()))
}

/// Reads, plans and renders: the file set `generate` would write.
pub fn generate(inputs: &Inputs) -> Result<(Plan, FileSet), Error> {
    let (plan, templates) = plan(inputs)?;
    let files = crate::render::render(&plan, &templates)?;
    Ok((plan, files))
}

/// An org defaults file: the `defaults:` block of a spec, on its own.
pub fn load_defaults(path: &Path) -> Result<DefaultsSpec, Error> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Spec(SpecError {
            file: file.clone(),
            source_text: String::new(),
            diagnostics: vec![spec::Diagnostic {
                kind: spec::ErrorKind::Io,
                path: String::new(),
                line: 0,
                column: 0,
                message: format!("cannot read the defaults file: {e}"),
                hint: None,
            }],
        })
    })?;
    spec::parse_defaults(&file, &text).map_err(Error::Spec)
}
