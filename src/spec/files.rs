//! The repository files a spec names (`config_files:`, an override's `env_file:`), read once
//! when the spec is loaded from disk, under the rules of every input (`crate::input`): regular
//! files only, bounded, UTF-8, and inside the spec's repository (a one-line change in a pull
//! request must not mount `~/.ssh/id_ed25519` into a ConfigMap).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::names::{check_env_name, looks_secret};
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
            match parse_env_file(&at.value, &text, secrets) {
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

/// `NAME=value` lines; blank lines and `#` comments are skipped, one pair of matching quotes
/// around a value is dropped. Every problem is reported with the file's own line.
/// `secrets`: the service's secret names, which a plain variable may not shadow.
fn parse_env_file(
    name: &str,
    text: &str,
    secrets: &[String],
) -> Result<BTreeMap<String, String>, Vec<String>> {
    let mut vars = BTreeMap::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", n + 1);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            problems.push(format!("{at}: `{line}` is not `NAME=value`"));
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        let value = [('"', '"'), ('\'', '\'')]
            .iter()
            .find_map(|(a, b)| {
                value
                    .strip_prefix(*a)
                    .and_then(|v| v.strip_suffix(*b))
                    .filter(|_| value.len() >= 2)
            })
            .unwrap_or(value);
        if let Err(m) = check_env_name(key) {
            problems.push(format!("{at}: {m}"));
        } else if looks_secret(key) && !value.is_empty() {
            problems.push(format!(
                "{at}: `{key}` looks like a secret but has a plaintext value; an env file is non-secret configuration (list `{key}` under the service's `secrets:` instead)"
            ));
        } else if secrets.iter().any(|s| s == key) {
            problems.push(format!(
                "{at}: `{key}` is a secret of this service; an env file may not set it"
            ));
        } else if vars.insert(key.to_string(), value.to_string()).is_some() {
            problems.push(format!("{at}: `{key}` is set twice"));
        }
    }
    if problems.is_empty() {
        Ok(vars)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_read_like_compose_ones_and_refuse_secrets() {
        let vars = parse_env_file(
            "p.env",
            "# prod\nLOG_LEVEL=warn\n\nREGION=\"eu west\"\nEMPTY=\n",
            &[],
        )
        .unwrap();
        assert_eq!(vars["LOG_LEVEL"], "warn");
        assert_eq!(vars["REGION"], "eu west");
        assert_eq!(vars["EMPTY"], "");
        let errors = parse_env_file(
            "p.env",
            "API_TOKEN=abc\nnot a line\nA=1\nA=2\nJWT=x\n",
            &["JWT".to_string()],
        )
        .unwrap_err();
        assert!(errors[0].starts_with("p.env:1: `API_TOKEN` looks like a secret"));
        assert!(errors[1].starts_with("p.env:2:"));
        assert!(errors[2].starts_with("p.env:4: `A` is set twice"));
        assert!(errors[3].contains("is a secret of this service"));
    }
}
