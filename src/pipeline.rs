//! The whole pipeline in one call, for the CLI, the prompt and the tests: spec file → plan →
//! file set. Writing is left to the caller (`output::write`, `diff` or `check`).

use std::path::{Path, PathBuf};

use crate::output::{FileSet, OutputError};
use crate::plan::Plan;
use crate::render::templates::OverlayError;
use crate::render::{RenderError, TemplateSet};
use crate::spec::{self, DefaultsFile, SpecError};

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
    #[error("{0}")]
    Overlay(#[from] OverlayError),
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
///
/// Templates: the embedded tree, under the overlay folder of `--templates` or else of the spec's
/// `templates:` key (relative to the spec file). Defaults, lowest first: built-in < org defaults
/// (`--defaults`, or else the overlay's `defaults:` file) < the spec's `defaults:` < the spec <
/// the environment.
pub fn plan(inputs: &Inputs) -> Result<(Plan, TemplateSet), Error> {
    let file = spec::load(&inputs.spec)?;
    let templates = templates(
        inputs,
        file.spec.templates.as_ref().map(|t| t.value.as_str()),
    )?;
    let org = inputs
        .defaults
        .clone()
        .or_else(|| templates.overlay.as_ref().and_then(|o| o.defaults.clone()));
    let defaults = match &org {
        Some(p) => Some(load_defaults(p)?),
        None => None,
    };
    let plan = crate::plan::build(&file, defaults.as_ref())?;
    Ok((plan, templates))
}

/// The template set of a run: `--templates` wins over the spec's `templates:` key.
pub fn templates(inputs: &Inputs, spec_key: Option<&str>) -> Result<TemplateSet, Error> {
    let dir = inputs.templates.clone().or_else(|| {
        spec_key.map(|t| {
            let base = inputs
                .spec
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            base.join(t)
        })
    });
    Ok(match dir {
        Some(d) => TemplateSet::with_overlay(&d)?,
        None => TemplateSet::embedded(),
    })
}

/// Reads, plans and renders: the file set `generate` would write.
pub fn generate(inputs: &Inputs) -> Result<(Plan, FileSet), Error> {
    let (plan, templates) = plan(inputs)?;
    let files = crate::render::render(&plan, &templates)?;
    Ok((plan, files))
}

/// An org defaults file: the `defaults:` block of a spec, on its own.
pub fn load_defaults(path: &Path) -> Result<DefaultsFile, Error> {
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
