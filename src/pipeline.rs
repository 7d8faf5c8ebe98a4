//! The whole pipeline in one call, for the CLI, the prompt and the tests: spec file → plan →
//! file set. Writing is left to the caller (`output::write`, `diff` or `check`).
//!
//! A regeneration hands the output stage a [`Generation`] rather than a finished file set:
//! the output stage three-way merges each service's chart files with the tree on disk first,
//! and only then asks `render::helm` for `k8s/<env>/<service>.yaml`, rendered from those
//! charts as they will be on disk. So a hand edit kept in a chart reaches `k8s/` as well.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::output::{self, FileSet, OutputError, RecordedInputs, Source};
use crate::plan::Plan;
use crate::render::helm::{self, ChartFiles};
use crate::render::templates::OverlayError;
use crate::render::{RenderError, Renderer, TemplateSet};
use crate::spec::{self, DefaultsFile, SpecError};

/// What a run needs besides the spec path.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub spec: PathBuf,
    /// A team overlay folder (`--templates`), over the spec's own `templates:` key.
    pub templates: Option<PathBuf>,
    /// An org defaults file (`--defaults`).
    pub defaults: Option<PathBuf>,
    /// The output directory, when there is one: its record supplies the `--templates` and
    /// `--defaults` of the last `generate` when they are not given (see [`resolve`]), and
    /// Compose `build:` contexts are rebased onto it.
    pub out: Option<PathBuf>,
    /// Do not use a remembered overlay folder (`--no-templates`).
    pub no_templates: bool,
    /// Do not use a remembered org defaults file (`--no-defaults`).
    pub no_defaults: bool,
}

/// Fills in the `--templates` and `--defaults` a plain run repeats from the output's record
/// (an explicit flag wins; `--no-templates` / `--no-defaults` drop the remembered one).
/// Recorded paths are relative to the output directory.
pub fn resolve(inputs: &Inputs) -> Result<Inputs, Error> {
    let mut resolved = inputs.clone();
    let Some(out) = &inputs.out else {
        return Ok(resolved);
    };
    let need_templates = inputs.templates.is_none() && !inputs.no_templates;
    let need_defaults = inputs.defaults.is_none() && !inputs.no_defaults;
    if !need_templates && !need_defaults {
        return Ok(resolved);
    }
    let recorded = output::recorded_inputs(out)?;
    let at = |rel: &String| out.join(rel);
    if need_templates {
        resolved.templates = recorded.templates.as_ref().map(at);
    }
    if need_defaults {
        resolved.defaults = recorded.defaults.as_ref().map(at);
    }
    Ok(resolved)
}

/// The flag-level inputs of a resolved run, as the record stores them (relative to `out`).
pub fn recorded_inputs(inputs: &Inputs, out: &Path) -> RecordedInputs {
    RecordedInputs {
        defaults: inputs.defaults.as_ref().map(|p| relative_path(out, p)),
        templates: inputs.templates.as_ref().map(|p| relative_path(out, p)),
    }
}

/// `to` relative to the directory `from` (`/`-separated), through the real locations of both
/// (symbolic links resolved where the paths exist), so that the result works from wherever
/// `from` is used. Falls back to the absolute path when there is no relative one.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from = absolute(from);
    let to = absolute(to);
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    if a.first() != b.first() {
        return to.display().to_string();
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The absolute, symlink-resolved form of `p`; missing trailing components are kept as
/// written, and `.`/`..` among them are resolved lexically.
fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            let mut out = c;
            for name in rest.iter().rev() {
                match name {
                    n if *n == std::ffi::OsStr::new("..") => {
                        out.pop();
                    }
                    n if *n == std::ffi::OsStr::new(".") => {}
                    n => out.push(n),
                }
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return p,
        }
    }
}

/// Compose resolves `build:` contexts against the directory of docker-compose.yml, but the
/// spec's are relative to the spec file: rebase each local context onto the output folder
/// (`./api` in a spec next to `deploy/` becomes `../api`). URLs and absolute paths stay.
fn rebase_build_contexts(plan: &mut Plan, spec: &Path, out: &Path) {
    let spec_dir = spec
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for s in &mut plan.compose.services {
        for b in &mut s.binds {
            // Config files were read from inside the repository: always a relative path.
            let rebased = relative_path(out, &spec_dir.join(&b.source));
            b.source = if rebased.starts_with("../") || rebased.starts_with('/') {
                rebased
            } else {
                format!("./{rebased}")
            };
        }
        let Some(context) = &s.build else { continue };
        let remote = context.contains("://")
            || context.starts_with("git@")
            || context.starts_with("github.com/");
        if remote || Path::new(context).is_absolute() {
            continue;
        }
        s.build = Some(relative_path(out, &spec_dir.join(context)));
    }
}

/// The CLI boundary's error: one variant per stage. [`crate::boundary`] maps each to its exit
/// code and prints it, once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Render(#[from] RenderError),
    #[error("{0}")]
    Overlay(#[from] OverlayError),
    #[error("{0}")]
    Output(#[from] OutputError),
    /// A command line that cannot be followed (an unknown service, a refused answer...).
    #[error("{0}")]
    Usage(String),
    /// `check` found drift, or `generate` left merge conflicts; the report is already printed.
    #[error("{0}")]
    Drift(String),
    /// The user answered no to a confirmation; nothing was written.
    #[error("{0}")]
    Declined(String),
    /// Standard output refused a write (a closed pipe is not an error, see `boundary::Stdout`).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

/// Reads the spec and everything it refers to, and plans it.
///
/// Templates: the embedded tree, under the overlay folder of `--templates` or else of the spec's
/// `templates:` key (relative to the spec file). Defaults, lowest first: built-in < org defaults
/// (`--defaults`, or else the overlay's `defaults:` file) < the spec's `defaults:` < the spec <
/// the environment.
pub fn plan(inputs: &Inputs) -> Result<(Plan, TemplateSet), Error> {
    let file = spec::load(&inputs.spec)?;
    if inputs.templates.is_none() {
        crate::input::check_templates_key(&inputs.spec, &file)?;
    }
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
    let mut plan = crate::plan::build(&file, defaults.as_ref())?;
    if let Some(out) = &inputs.out {
        rebase_build_contexts(&mut plan, &inputs.spec, out);
    }
    Ok((plan, templates))
}

/// The template set of a run: `--templates` wins over the spec's `templates:` key.
pub fn templates(inputs: &Inputs, spec_key: Option<&str>) -> Result<TemplateSet, Error> {
    let dir = inputs
        .templates
        .clone()
        .or_else(|| spec_key.map(|t| crate::input::spec_dir(&inputs.spec).join(t)));
    Ok(match dir {
        Some(d) => TemplateSet::with_overlay(&d)?,
        None => TemplateSet::embedded(),
    })
}

/// Reads, plans and renders: the file set `generate` would write.
pub fn generate(inputs: &Inputs) -> Result<(Plan, FileSet), Error> {
    let (plan, templates) = plan(inputs)?;
    let plan = Arc::new(plan);
    let files = crate::render::render(&plan, &templates)?;
    let plan = Arc::into_inner(plan).expect("rendering keeps no view of the plan");
    Ok((plan, files))
}

/// A regeneration into `out`: unit 0 is every file outside the services' charts, unit `s + 1`
/// the chart of service `s` and, derived from that chart as the output stage will leave it on
/// disk, its `k8s/<env>/<service>.yaml`. Units are rendered when the output stage asks for
/// them, so memory does not grow with the number of services.
pub struct Generation<'a> {
    pub plan: &'a Arc<Plan>,
    templates: &'a TemplateSet,
    renderer: Renderer<'a>,
    out: Option<PathBuf>,
}

impl<'a> Generation<'a> {
    /// What `generate` writes into `inputs.out`, for `output::write`, `check` and `diff`;
    /// `plan` and `templates` as [`plan`] returns them.
    pub fn new(
        plan: &'a Arc<Plan>,
        templates: &'a TemplateSet,
        inputs: &Inputs,
    ) -> Result<Self, Error> {
        Ok(Generation {
            plan,
            templates,
            renderer: Renderer::new(plan, templates)?,
            out: inputs.out.clone(),
        })
    }
}

impl Source for Generation<'_> {
    type Error = Error;

    fn units(&self) -> usize {
        self.renderer.units()
    }

    fn files(&self, unit: usize) -> Result<Cow<'_, FileSet>, Error> {
        Ok(Cow::Owned(self.renderer.render_unit(unit)?))
    }

    fn derive(
        &self,
        unit: usize,
        on_disk: &FileSet,
        edited: &BTreeSet<String>,
    ) -> Result<FileSet, Error> {
        let mut out = FileSet::new();
        if unit == 0 {
            return Ok(out);
        }
        let chart = ChartFiles {
            files: on_disk,
            origins: &self.renderer.origins,
            set: self.templates,
            edited,
            out: self.out.as_deref(),
            check_yaml: self.renderer.check_output || !edited.is_empty(),
        };
        let service = &self.plan.services[unit - 1];
        for (path, text) in helm::service_manifests(self.plan, service, &chart)? {
            out.insert(path, text);
        }
        Ok(out)
    }
}

/// Why a hand edit of `k8s/<env>/<service>.yaml` is drift, and what to do about it.
pub fn derived_edit_reason(path: &str) -> String {
    let chart = path
        .strip_prefix("k8s/")
        .and_then(|rest| rest.split_once('/'))
        .map(|(env, file)| {
            let service = file.strip_suffix(".yaml").unwrap_or(file);
            format!("charts/{service}/ (values.yaml, values-{env}.yaml or templates/)")
        })
        .unwrap_or_else(|| "the chart".to_owned());
    format!(
        "{path} holds a hand edit that the chart does not have: k8s/ is rendered from the chart, so the edit never reaches it. The edit is kept; make it in {chart} instead, then delete {path} and run generate (or run generate --force)"
    )
}

/// An org defaults file: the `defaults:` block of a spec, on its own.
pub fn load_defaults(path: &Path) -> Result<DefaultsFile, Error> {
    let file = path.display().to_string();
    let text = crate::input::read_text(path, spec::MAX_SPEC_BYTES).map_err(|e| {
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
