//! The repository files a spec names (`config_files:`), read once when the spec is loaded from
//! disk, under the rules of every input (`crate::input`): regular files only, bounded, UTF-8,
//! and inside the spec's repository (a one-line change in a pull request must not mount
//! `~/.ssh/id_ed25519` into a ConfigMap).

use std::path::Path;

use super::{Diagnostic, ErrorKind, SpecError, SpecFile};
use crate::input;

/// A ConfigMap holds at most 1 MiB; one file may not take more.
pub const MAX_CONFIG_FILE_BYTES: usize = 1024 * 1024;

/// Reads every config file of `file` (relative to the spec at `spec`); each problem names the
/// spec file, the line and the field.
pub(super) fn attach(spec: &Path, file: &mut SpecFile) -> Result<(), SpecError> {
    let mut problems = Vec::new();
    let root = input::repository_of(spec).ok();
    let dir = input::spec_dir(spec);
    for (name, svc) in &mut file.checked.services {
        for (i, f) in svc.config_files.iter_mut().enumerate() {
            let at = &f.source;
            let mut fail = |message: String, hint: Option<String>| {
                problems.push(Diagnostic {
                    kind: ErrorKind::Io,
                    path: format!("services.{name}.config_files[{i}].source"),
                    line: u32::try_from(at.referenced.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(at.referenced.column()).unwrap_or(u32::MAX),
                    message,
                    hint,
                })
            };
            let path = dir.join(&at.value);
            let Some(root) = &root else {
                fail("cannot find the folder of the spec".into(), None);
                continue;
            };
            if !input::is_inside(root, &path) {
                fail(
                    format!(
                        "`{}` leads outside the spec's repository ({})",
                        at.value,
                        root.display()
                    ),
                    Some("a config file stays inside the repository (the folder holding `.git` above the spec, or else the spec's folder)".into()),
                );
                continue;
            }
            match input::read_text(&path, MAX_CONFIG_FILE_BYTES) {
                Ok(text) => f.contents = Some(text),
                Err(e) => fail(
                    format!("cannot read config file `{}`: {e}", at.value),
                    Some("config files are named relative to the spec file".into()),
                ),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SpecError {
            file: file.file.clone(),
            source_text: file.source_text.clone(),
            diagnostics: problems,
        })
    }
}
