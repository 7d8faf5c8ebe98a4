//! The repository files a spec names (`config_files:`, an override's `env_file:`), read once
//! when the spec is loaded from disk, under the rules of every input (`crate::input`): regular
//! files only, bounded, UTF-8, and inside the spec's repository (a one-line change in a pull
//! request must not mount `~/.ssh/id_ed25519` into a ConfigMap).

use std::path::{Path, PathBuf};

use super::{Diagnostic, ErrorKind, S, SpecError, SpecFile};
use crate::input;

/// A ConfigMap holds at most 1 MiB; one file may not take more.
pub const MAX_CONFIG_FILE_BYTES: usize = 1024 * 1024;

/// Reads the files of one spec, collecting every problem.
struct Reader {
    root: Option<PathBuf>,
    dir: PathBuf,
    problems: Vec<Diagnostic>,
}

impl Reader {
    fn fail(&mut self, path: &str, at: &S<String>, message: String, hint: Option<String>) {
        self.problems.push(Diagnostic {
            kind: ErrorKind::Io,
            path: path.to_string(),
            line: u32::try_from(at.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.referenced.column()).unwrap_or(u32::MAX),
            message,
            hint,
        });
    }

    /// The text of the file `at` names (relative to the spec), if it may be read.
    fn read(&mut self, path: &str, at: &S<String>, what: &str) -> Option<String> {
        let file = self.dir.join(&at.value);
        let Some(root) = self.root.clone() else {
            self.fail(path, at, "cannot find the folder of the spec".into(), None);
            return None;
        };
        if !input::is_inside(&root, &file) {
            self.fail(
                path,
                at,
                format!(
                    "`{}` leads outside the spec's repository ({})",
                    at.value,
                    root.display()
                ),
                Some(format!("{what} stays inside the repository (the folder holding `.git` above the spec, or else the spec's folder)")),
            );
            return None;
        }
        match input::read_text(&file, MAX_CONFIG_FILE_BYTES) {
            Ok(text) => Some(text),
            Err(e) => {
                self.fail(
                    path,
                    at,
                    format!("cannot read {what} `{}`: {e}", at.value),
                    Some(format!("{what} is named relative to the spec file")),
                );
                None
            }
        }
    }
}

/// Reads every config file and env file of `file` (relative to the spec at `spec`); each
/// problem names the spec file, the line and the field.
pub(super) fn attach(spec: &Path, file: &mut SpecFile) -> Result<(), SpecError> {
    let mut r = Reader {
        root: input::repository_of(spec).ok(),
        dir: input::spec_dir(spec).to_path_buf(),
        problems: Vec::new(),
    };
    for (name, svc) in &mut file.checked.services {
        for (i, f) in svc.config_files.iter_mut().enumerate() {
            let path = format!("services.{name}.config_files[{i}].source");
            f.contents = r.read(&path, &f.source.clone(), "a config file");
        }
    }
    let services = &file.checked.services;
    for (env, e) in file.checked.environments.iter_mut().flatten() {
        for (svc, o) in &mut e.overrides {
            let secrets = services
                .get(svc)
                .map(|s| s.secrets.as_slice())
                .unwrap_or_default();
            let Some((at, read)) = &mut o.env_file else {
                continue;
            };
            let path = format!("environments.{env}.overrides.{svc}.env_file");
            let Some(text) = r.read(&path, &at.clone(), "an env file") else {
                continue;
            };
            match super::env_file::parse(&at.value, &text, secrets) {
                Ok(vars) => {
                    // `env:` of the override wins over the file.
                    let mut merged = vars;
                    merged.extend(std::mem::take(&mut o.env));
                    o.env = merged;
                    *read = true;
                }
                Err(messages) => {
                    let at = at.clone();
                    for m in messages {
                        r.fail(&path, &at, m, None);
                    }
                }
            }
        }
    }
    if r.problems.is_empty() {
        Ok(())
    } else {
        Err(SpecError {
            file: file.file.clone(),
            source_text: file.source_text.clone(),
            diagnostics: r.problems,
        })
    }
}
