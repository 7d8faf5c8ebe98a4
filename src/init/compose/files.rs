//! The files a Compose service names, found from the Compose file and named from the spec:
//! its bind-mounted files here (a file of the repository becomes a config file; anything else
//! bind-mounted is listed with the reason), its env files in `env_files`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::vars::interpolate;
use super::{Plan, as_str};
use crate::input::{self, ReadError};

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
    pub(super) fn named_from_spec(&self, path: &Path) -> String {
        crate::pipeline::relative_path(&self.spec_dir, path)
    }
}

/// A path for the report, without `./` steps.
pub(super) fn shown(p: &Path) -> String {
    let clean: PathBuf = p
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    clean.display().to_string()
}

/// Why a file cannot be read, in words for the report.
pub(super) fn unreadable(e: &ReadError, limit_words: &str) -> String {
    match e {
        ReadError::TooBig { .. } => format!("larger than {limit_words}"),
        ReadError::NotUtf8 { .. } => "not UTF-8 text (a binary file?)".into(),
        other => other.to_string(),
    }
}

/// What a service's `volumes:` entry is, when it is not a named volume.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Bind {
    /// An anonymous volume or something else that is no bind mount.
    Other,
    /// Files of the repository: a bind-mounted file, or each file of a small bind-mounted
    /// directory.
    Files {
        files: Vec<Mounted>,
        /// Whether Compose mounted it writable (a config file is read-only).
        read_write: bool,
        /// Whether Compose mounted a whole directory (now file by file).
        directory: bool,
    },
    /// A bind mount that cannot be a config file, and why.
    Refused(String),
}

/// One repository file a bind mount carries: its source as the spec names it, where it is
/// mounted, and its size.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Mounted {
    pub source: String,
    pub target: String,
    pub bytes: usize,
}

/// A directory of at most this many text files (and no folder) is mounted file by file.
pub const MAX_DIRECTORY_FILES: usize = 8;

/// A `volumes:` entry as a bind mount: `./x.conf:/etc/x.conf[:ro]` or `{type: bind, source,
/// target, read_only}`.
pub(super) fn bind(v: &Value, plan: &Plan) -> Bind {
    let (source, target, read_only) = match v {
        Value::Object(m) => {
            if m.get("type").and_then(as_str).as_deref() != Some("bind") {
                return Bind::Other;
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
                return Bind::Other;
            };
            if !source.starts_with(['.', '/', '~']) {
                return Bind::Other;
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
    let target = target.trim_end_matches('/').to_string();
    let files = if meta.is_dir() {
        match directory(&path, &target, places) {
            Ok(files) => files,
            Err(why) => return Bind::Refused(why),
        }
    } else {
        match file(&path, target, places) {
            Ok(f) => vec![f],
            Err(why) => return Bind::Refused(why),
        }
    };
    Bind::Files {
        files,
        read_write: !read_only,
        directory: meta.is_dir(),
    }
}

/// A repository file mounted at `target`, or why it cannot be a config file.
fn file(path: &Path, target: String, places: &Places) -> Result<Mounted, String> {
    if !input::is_inside(&places.repo, path) {
        return Err(format!(
            "outside the repository ({}): config files are the repository's own files",
            places.repo.display()
        ));
    }
    match input::read_text(path, crate::spec::MAX_CONFIG_FILE_BYTES) {
        Ok(text) => Ok(Mounted {
            source: places.named_from_spec(path),
            target,
            bytes: text.len(),
        }),
        Err(e) => Err(format!(
            "{}: a config file is a text file of at most 1 MiB (a ConfigMap)",
            unreadable(&e, "1 MiB")
        )),
    }
}

/// The files of a small directory (a few text files, no folder), each mounted under `target`
/// by its name, in name order; why not, otherwise.
fn directory(path: &Path, target: &str, places: &Places) -> Result<Vec<Mounted>, String> {
    let whole = "mount it as a volume, or list its files under `config_files:`";
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(path).map_err(|e| format!("a directory that cannot be read: {e}"))? {
        let e = e.map_err(|e| format!("a directory that cannot be read: {e}"))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() {
            return Err(format!(
                "a directory with folders in it (`{name}`): {whole}"
            ));
        }
        entries.push((name, e.path()));
    }
    if entries.is_empty() {
        return Err(format!("an empty directory: {whole}"));
    }
    if entries.len() > MAX_DIRECTORY_FILES {
        return Err(format!(
            "a directory of {} files (more than {MAX_DIRECTORY_FILES}): {whole}",
            entries.len()
        ));
    }
    entries.sort();
    entries
        .into_iter()
        .map(|(name, p)| {
            file(&p, format!("{target}/{name}"), places)
                .map_err(|why| format!("a directory whose `{name}` is {why}"))
        })
        .collect()
}
