//! The files a Compose service names: its `env_file:` entries and its bind-mounted files.
//!
//! An env file the spec can read as it is (one file, inside the repository, plain `NAME=value`
//! lines that neither look secret nor need Compose's interpolation, no name that `environment:`
//! also sets) stays the one source: every environment's override names it. Any other is
//! carried line by line under the same rules as `environment:` (plain values to `env`,
//! secret-looking names to `secrets` without their value), with Compose's precedence: later
//! files over earlier ones, `environment:` over all. A bind-mounted file of the repository
//! becomes a config file; anything else bind-mounted is listed with the reason.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::vars::interpolate;
use super::{Plan, as_str, env};
use crate::init::draft::{EnvFileDraft, ServiceDraft};
use crate::input::{self, ReadError};
use crate::spec::env_file::{self, EnvLine};
use crate::spec::names::looks_secret;

/// Where the files a Compose file names are found, and where the spec will name them from.
#[derive(Debug, Clone)]
pub struct Places {
    /// The Compose file's folder: its relative paths start here.
    pub compose_dir: PathBuf,
    /// The folder of the spec being written: its `source`s and `env_file`s start here.
    pub spec_dir: PathBuf,
    /// The spec's repository (the folder holding `.git`), which every file must stay inside.
    pub repo: PathBuf,
}

impl Places {
    /// For the Compose file `compose` and the spec to be written at `spec`.
    pub fn new(compose: &Path, spec: &Path) -> Places {
        let dir = |p: Option<&Path>| match p {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let spec_dir = dir(spec.parent());
        Places {
            compose_dir: dir(compose.parent()),
            repo: input::repository_of(spec).unwrap_or_else(|_| spec_dir.clone()),
            spec_dir,
        }
    }

    /// `path` (found from the Compose file) as the spec names it.
    fn from_spec(&self, path: &Path) -> String {
        crate::pipeline::relative_path(&self.spec_dir, path)
    }
}

/// A path for the report, without `./` steps.
fn shown(p: &Path) -> String {
    let clean: PathBuf = p
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    clean.display().to_string()
}

/// Why a file cannot be read, in words for the report.
fn unreadable(e: &ReadError, limit_words: &str) -> String {
    match e {
        ReadError::TooBig { .. } => format!("larger than {limit_words}"),
        ReadError::NotUtf8 { .. } => "not UTF-8 text (a binary file?)".into(),
        other => other.to_string(),
    }
}

/// `env_file:` as (path as written, required).
fn env_file_list(v: &Value) -> Vec<(String, bool)> {
    let one = |i: &Value| match i {
        Value::Object(m) => m.get("path").and_then(as_str).map(|p| {
            let required = m
                .get("required")
                .and_then(as_str)
                .is_none_or(|r| r != "false");
            (p, required)
        }),
        other => as_str(other).map(|p| (p, true)),
    };
    match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

/// One env file that was read.
struct Read {
    written: String,
    path: PathBuf,
    text: String,
    lines: Vec<EnvLine>,
}

/// A service's `environment:` and `env_file:`, into `s` (its `env`, `secrets`, `env_file`).
pub(super) fn environment(svc: &Value, plan: &Plan, s: &mut ServiceDraft) {
    let environment = svc.get("environment").map(env::entries).unwrap_or_default();
    let mut read = Vec::new();
    for (written, required) in svc.get("env_file").map(env_file_list).unwrap_or_default() {
        let i = interpolate(&written, plan.vars);
        let what = format!("env_file `{written}`");
        if !i.resolved() {
            s.not_carried.push(format!(
                "{what} (`${{{}}}` has no value in the file or .env)",
                i.unresolved.join("}`, `${")
            ));
            continue;
        }
        let Some(places) = plan.places else {
            s.not_carried.push(format!(
                "{what} (not read: the Compose file was given as text)"
            ));
            continue;
        };
        let path = places.compose_dir.join(&i.text);
        let text = match input::read_text(&path, input::MAX_INPUT_BYTES) {
            Ok(t) => t,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                s.not_carried.push(if required {
                    format!(
                        "{what} (not found at {}: `docker compose` refuses to start without it; the import went on without its variables: create it and import again, or set them under `env:` and `secrets:`)",
                        shown(&path)
                    )
                } else {
                    format!(
                        "{what} (optional, `required: false`, and not found at {})",
                        shown(&path)
                    )
                });
                continue;
            }
            Err(e) => {
                s.not_carried.push(format!(
                    "{what} (cannot read {}: {})",
                    shown(&path),
                    unreadable(&e, "4 MiB")
                ));
                continue;
            }
        };
        let mut lines = Vec::new();
        for l in env_file::lines(&text) {
            match l {
                Ok(l) => lines.push(l),
                Err((n, m)) => s.not_carried.push(format!("{what} line {n}: {m}")),
            }
        }
        read.push(Read {
            written,
            path,
            text,
            lines,
        });
    }
    // The one file the spec can name instead of copying it.
    if let ([only], Some(places)) = (read.as_slice(), plan.places) {
        let sorted = env::sort(&entries_value(&environment, &[]), plan.vars);
        match referable(only, places, &environment, &sorted.secrets) {
            Ok(()) => {
                apply(s, sorted);
                let what = match only.lines.len() {
                    0 => "stays the source of what it will set (it sets nothing yet)".to_string(),
                    n => format!("stays the source of its {n} variable(s)"),
                };
                s.notes.push(format!(
                    "env_file `{}` {what}: every environment's override names it (`env_file:` under `environments.<env>.overrides.{}`)",
                    only.written, s.name
                ));
                s.env_file = Some(EnvFileDraft {
                    path: places.from_spec(&only.path),
                    vars: only
                        .lines
                        .iter()
                        .map(|l| (l.name.clone(), l.value.clone().unwrap_or_default()))
                        .collect(),
                });
                return;
            }
            Err(why) => s.notes.push(format!(
                "env_file `{}`: its variables are copied below ({why})",
                only.written
            )),
        }
    }
    if read.len() > 1 {
        s.notes.push(format!(
            "env_file {}: their variables are copied below, later files over earlier ones",
            read.iter()
                .map(|r| format!("`{}`", r.written))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let files: Vec<&EnvLine> = read.iter().flat_map(|r| &r.lines).collect();
    let sorted = env::sort(&entries_value(&environment, &files), plan.vars);
    apply(s, sorted);
}

fn apply(s: &mut ServiceDraft, sorted: env::Sorted) {
    s.env = sorted.env;
    s.secrets = sorted.secrets;
    s.notes.extend(sorted.warnings);
    s.not_carried.extend(sorted.dropped);
}

/// The variables a service is started with, as Compose merges them: env files in order (a later
/// one wins), then `environment:` over all; as an `environment:` list for [`env::sort`]. A
/// single-quoted value is literal, so its `$` is escaped from interpolation.
fn entries_value(environment: &[(String, Option<String>)], files: &[&EnvLine]) -> Value {
    let mut merged: Vec<(String, Option<String>)> = Vec::new();
    let from_files = files.iter().map(|l| {
        let v = l.value.as_ref().map(|v| {
            if l.interpolated() {
                v.clone()
            } else {
                v.replace('$', "$$")
            }
        });
        (l.name.clone(), v)
    });
    for (k, v) in from_files.chain(environment.iter().cloned()) {
        match merged.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    Value::Array(
        merged
            .into_iter()
            .map(|(k, v)| Value::String(v.map_or(k.clone(), |v| format!("{k}={v}"))))
            .collect(),
    )
}

/// Whether the spec can name `f` as it is (an override's `env_file:` reads plain `NAME=value`
/// lines literally, and wins over the service's `env`); the reason when not.
fn referable(
    f: &Read,
    places: &Places,
    environment: &[(String, Option<String>)],
    secrets: &[String],
) -> Result<(), String> {
    if !input::is_inside(&places.repo, &f.path) {
        return Err(format!(
            "it is outside the repository ({})",
            places.repo.display()
        ));
    }
    env_file::parse(&f.written, &f.text, secrets).map_err(|p| {
        format!(
            "the spec's env_file would refuse it: {}",
            p.first().cloned().unwrap_or_default()
        )
    })?;
    for l in &f.lines {
        let v = l.value.as_deref().unwrap_or_default();
        if l.interpolated() && v.contains('$') {
            return Err(format!(
                "`{}` uses Compose interpolation, which the spec's env_file does not",
                l.name
            ));
        }
        if looks_secret(&l.name) || l.name.ends_with("_FILE") || env::credentials_in_url(v) {
            return Err(format!("`{}` is a secret", l.name));
        }
        if environment.iter().any(|(k, _)| *k == l.name) {
            return Err(format!(
                "`environment:` also sets `{}`, and wins over the file",
                l.name
            ));
        }
    }
    Ok(())
}

/// What a service's `volumes:` entry is, when it is not a named volume.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Bind {
    /// An anonymous volume or something else that is no bind mount.
    NotBind,
    /// A file of the repository: its source as the spec names it, where it is mounted, whether
    /// Compose mounted it writable, and its size.
    File {
        source: String,
        target: String,
        read_write: bool,
        bytes: usize,
    },
    /// A bind mount that cannot be a config file, and why.
    Refused(String),
}

/// A `volumes:` entry as a bind mount: `./x.conf:/etc/x.conf[:ro]` or `{type: bind, source,
/// target, read_only}`.
pub(super) fn bind(v: &Value, plan: &Plan) -> Bind {
    let (source, target, read_only) = match v {
        Value::Object(m) => {
            if m.get("type").and_then(as_str).as_deref() != Some("bind") {
                return Bind::NotBind;
            }
            let ro = m
                .get("read_only")
                .and_then(as_str)
                .is_some_and(|r| r == "true");
            (
                m.get("source").and_then(as_str).unwrap_or_default(),
                m.get("target").and_then(as_str).unwrap_or_default(),
                ro,
            )
        }
        other => {
            let text = as_str(other).unwrap_or_default();
            let i = interpolate(&text, plan.vars);
            if !i.resolved() {
                return Bind::Refused(format!(
                    "`${{{}}}` has no value in the file or .env",
                    i.unresolved.join("}`, `${")
                ));
            }
            let mut parts = i.text.splitn(3, ':');
            let (Some(source), Some(target)) = (parts.next(), parts.next()) else {
                return Bind::NotBind;
            };
            if !source.starts_with(['.', '/', '~']) {
                return Bind::NotBind;
            }
            let ro = parts
                .next()
                .is_some_and(|mode| mode.split(',').any(|o| o == "ro" || o == "readonly"));
            (source.to_string(), target.to_string(), ro)
        }
    };
    let i = interpolate(&source, plan.vars);
    if !i.resolved() {
        return Bind::Refused(format!(
            "`${{{}}}` has no value in the file or .env",
            i.unresolved.join("}`, `${")
        ));
    }
    let source = i.text;
    let target = interpolate(&target, plan.vars).text;
    if source.ends_with("docker.sock") || target.ends_with("docker.sock") {
        return Bind::Refused(
            "the Docker socket: a pod has no Docker engine to talk to, and a container holding it controls the host".into(),
        );
    }
    if source.starts_with('~') {
        return Bind::Refused(
            "a path in the home folder of whoever runs Compose, not a file of the repository"
                .into(),
        );
    }
    if !target.starts_with('/') {
        return Bind::Refused(format!("the target `{target}` is not an absolute path"));
    }
    let Some(places) = plan.places else {
        return Bind::Refused("not read: the Compose file was given as text".into());
    };
    let path = places.compose_dir.join(&source);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(_) => {
            return Bind::Refused(format!(
                "not found at {}: Compose creates a missing source as an empty directory; a config file is an existing file of the repository",
                shown(&path)
            ));
        }
    };
    if meta.is_dir() {
        return Bind::Refused(
            "a directory: mount it as a volume, or list its files under `config_files:` one by one"
                .into(),
        );
    }
    if !input::is_inside(&places.repo, &path) {
        return Bind::Refused(format!(
            "outside the repository ({}): config files are the repository's own files",
            places.repo.display()
        ));
    }
    let limit = crate::spec::MAX_CONFIG_FILE_BYTES;
    match input::read_text(&path, limit) {
        Ok(text) => Bind::File {
            source: places.from_spec(&path),
            target: target.trim_end_matches('/').to_string(),
            read_write: !read_only,
            bytes: text.len(),
        },
        Err(e) => Bind::Refused(format!(
            "{}: a config file is a text file of at most 1 MiB (a ConfigMap)",
            unreadable(&e, "1 MiB")
        )),
    }
}
