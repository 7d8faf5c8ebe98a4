//! Where the output stage is allowed to look and write.
//!
//! Generated paths come from templates, and the output directory is usually a checkout that
//! other people (and other tools) also write to. So before any byte is written every target
//! path is checked twice: syntactically (no `..`, nothing absolute, nothing inside the folder
//! chartwright keeps its own state in) and against the disk, component by component, using
//! `symlink_metadata` so that a symlink planted in the tree can never redirect a write to
//! somewhere outside it. Links that stay inside the output directory are followed; links that
//! leave it, or dangle, are refused.
//!
//! The checks are not race-free against a concurrent writer changing the tree between
//! planning and writing; they protect against a tree that is already in a bad shape.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::OutputError;
use super::state::STATE_DIR;

/// Rejects file-set paths that could escape the output directory or clash with chartwright's
/// own bookkeeping, and pairs of paths that need one name to be both file and directory.
pub(crate) fn validate_generated<'a>(
    paths: impl Iterator<Item = &'a str>,
) -> Result<(), OutputError> {
    let all: std::collections::BTreeSet<&str> = paths.collect();
    for &path in &all {
        validate_syntax(path)?;
        if path == STATE_DIR || path.starts_with(&format!("{STATE_DIR}/")) {
            return Err(OutputError::InvalidPath {
                path: path.to_owned(),
                reason: "the .chartwright folder is reserved for chartwright's own state",
            });
        }
    }
    // Paths arrive sorted, and "a" sorts before every "a/..." path, but not necessarily
    // directly before it ("a-b" and "a.b" sort in between), so compare against each prefix.
    for path in &all {
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            let prefix = &path[..end];
            if all.contains(prefix) {
                return Err(OutputError::PathCollision {
                    path: prefix.to_owned(),
                    other: (*path).to_owned(),
                });
            }
            end += 1;
        }
    }
    Ok(())
}

/// The shape every relative path handled by the output stage must have: what `FileSet`
/// documents, enforced rather than trusted.
pub(crate) fn validate_syntax(path: &str) -> Result<(), OutputError> {
    let invalid = |reason| {
        Err(OutputError::InvalidPath {
            path: path.to_owned(),
            reason,
        })
    };
    if path.is_empty() {
        return invalid("it is empty");
    }
    if path.starts_with('/') {
        return invalid("it is absolute");
    }
    if path.contains('\\') || path.contains('\0') {
        return invalid("it contains a backslash or NUL byte");
    }
    for component in path.split('/') {
        match component {
            "" => return invalid("it has an empty component"),
            "." | ".." => return invalid("it contains a '.' or '..' component"),
            _ => {}
        }
    }
    Ok(())
}

/// The output directory, plus its canonical form against which symlink targets are compared.
pub(crate) struct Root {
    pub dir: PathBuf,
    canonical: PathBuf,
    /// Directories (relative, `/`-separated) already found to be real directories inside the
    /// root: a plan inspects tens of thousands of files in a few hundred folders, and checking
    /// every component of every path again cost a `lstat` each.
    checked_dirs: RefCell<HashSet<String>>,
}

impl Root {
    /// Resolves `out_dir` without creating it. A missing directory is fine (it is created on
    /// write); a file, or a file among its missing ancestors, is not.
    pub fn new(out_dir: &Path) -> Result<Self, OutputError> {
        let dir = if out_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            out_dir.to_owned()
        };
        // Walk up to the nearest ancestor that exists; it must be a directory.
        let mut existing = dir.as_path();
        let mut missing = Vec::new();
        loop {
            match fs::metadata(existing) {
                Ok(meta) if meta.is_dir() => break,
                Ok(_) => {
                    return Err(OutputError::NotADirectory {
                        path: existing.to_owned(),
                    });
                }
                // ENOTDIR: some ancestor is a file; keep walking up to name it.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    missing.push(existing.file_name().map(ToOwned::to_owned));
                    existing = match existing.parent() {
                        Some(p) if !p.as_os_str().is_empty() => p,
                        _ => Path::new("."),
                    };
                }
                Err(e) => return Err(OutputError::io("inspect", existing, e)),
            }
        }
        let mut canonical = fs::canonicalize(existing)
            .map_err(|e| OutputError::io("resolve the path of", existing, e))?;
        for name in missing.into_iter().rev() {
            match name {
                Some(name) => canonical.push(name),
                // `foo/..` with `foo` missing: refuse rather than guess.
                None => {
                    return Err(OutputError::NotADirectory { path: dir });
                }
            }
        }
        Ok(Root {
            dir,
            canonical,
            checked_dirs: RefCell::default(),
        })
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        let mut p = self.dir.clone();
        p.extend(rel.split('/'));
        p
    }

    /// What is on disk at `rel`, checking every component on the way.
    pub fn inspect(&self, rel: &str) -> Result<Disk, OutputError> {
        let components: Vec<&str> = rel.split('/').collect();
        let mut cur = self.dir.clone();
        // The folders already checked are skipped (see `checked_dirs`).
        let mut skip = 0;
        if let Some((dir, _)) = rel.rsplit_once('/')
            && self.checked_dirs.borrow().contains(dir)
        {
            skip = components.len() - 1;
            cur.extend(&components[..skip]);
        }
        for (i, component) in components.iter().enumerate().skip(skip) {
            cur.push(component);
            let last = i + 1 == components.len();
            let meta = match fs::symlink_metadata(&cur) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Disk::Missing),
                Err(e) => return Err(OutputError::io("inspect", &cur, e)),
            };
            let meta = if meta.file_type().is_symlink() {
                match fs::canonicalize(&cur) {
                    Ok(target) if target.starts_with(&self.canonical) => {
                        fs::metadata(&cur).map_err(|e| OutputError::io("inspect", &cur, e))?
                    }
                    Err(e) if crate::input::is_loop(&e) => {
                        return Err(OutputError::SymlinkLoop { path: cur });
                    }
                    _ => return Err(OutputError::SymlinkEscape { path: cur }),
                }
            } else {
                meta
            };
            if !last {
                if !meta.is_dir() {
                    return Err(OutputError::NotADirectory { path: cur });
                }
                self.checked_dirs
                    .borrow_mut()
                    .insert(components[..=i].join("/"));
            } else if !meta.is_file() {
                return Err(OutputError::NotAFile { path: cur });
            }
        }
        // One open for the contents and the mode.
        let read = || -> io::Result<(Vec<u8>, fs::Permissions)> {
            let mut file = fs::File::open(&cur)?;
            let permissions = file.metadata()?.permissions();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            Ok((bytes, permissions))
        };
        let (bytes, permissions) = read().map_err(|e| OutputError::io("read", &cur, e))?;
        Ok(Disk::File { bytes, permissions })
    }

    /// Every regular file or symlink below the directory `rel` (relative to the root), without
    /// following links. Used to find stray files in chartwright's own base folder.
    pub fn list_files(&self, rel: &str) -> Result<Vec<String>, OutputError> {
        let mut out = Vec::new();
        match self.inspect_dir(rel)? {
            true => self.walk(rel, &mut out)?,
            false => return Ok(out),
        }
        out.sort();
        Ok(out)
    }

    /// Whether the directory `rel` exists, with the same component checks as `inspect`.
    pub fn inspect_dir(&self, rel: &str) -> Result<bool, OutputError> {
        let mut cur = self.dir.clone();
        for component in rel.split('/') {
            cur.push(component);
            let meta = match fs::symlink_metadata(&cur) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
                Err(e) => return Err(OutputError::io("inspect", &cur, e)),
            };
            if meta.file_type().is_symlink() {
                match fs::canonicalize(&cur) {
                    Ok(target) if target.starts_with(&self.canonical) => {}
                    Err(e) if crate::input::is_loop(&e) => {
                        return Err(OutputError::SymlinkLoop { path: cur });
                    }
                    _ => return Err(OutputError::SymlinkEscape { path: cur }),
                }
            }
            if !fs::metadata(&cur).is_ok_and(|m| m.is_dir()) {
                return Err(OutputError::NotADirectory { path: cur });
            }
        }
        Ok(true)
    }

    fn walk(&self, rel: &str, out: &mut Vec<String>) -> Result<(), OutputError> {
        let dir = self.join(rel);
        let entries = fs::read_dir(&dir).map_err(|e| OutputError::io("list", &dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| OutputError::io("list", &dir, e))?;
            let Some(name) = entry.file_name().to_str().map(ToOwned::to_owned) else {
                // Not UTF-8, so never something chartwright wrote. Treating it as stray
                // would mean deleting it by a lossy name, which could hit the wrong file.
                continue;
            };
            let child = format!("{rel}/{name}");
            let kind = entry
                .file_type()
                .map_err(|e| OutputError::io("inspect", entry.path(), e))?;
            if kind.is_dir() {
                self.walk(&child, out)?;
            } else {
                out.push(child);
            }
        }
        Ok(())
    }
}

/// What `Root::inspect` found.
pub(crate) enum Disk {
    Missing,
    File {
        bytes: Vec<u8>,
        permissions: fs::Permissions,
    },
}
