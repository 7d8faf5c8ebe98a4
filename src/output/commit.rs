//! Carrying out a plan so that an error never leaves a half-written file, and an error found
//! early leaves no trace at all.
//!
//! Phase one (staging) creates any missing directories and writes every new file to a
//! temporary file next to its target, then makes them all durable at once (see
//! [`durable::sync_files`]). Any error here removes the temporaries and the directories it created,
//! so the tree is exactly as before: this is where a full disk, an unwritable directory or a
//! read-only file system shows up.
//!
//! Phase two (commit) renames the temporaries into place (generated files, then base copies),
//! deletes what is no longer generated, makes those renames and deletions durable at once, and
//! renames the state file last. Each rename is atomic, and only a temporary whose contents are
//! already on disk is ever renamed, so every file is either old or new, never torn, even after
//! a power cut.
//!
//! Durability costs a few waits on the disk per run, not one per file: a sequential `fsync`
//! per file (and per directory) made system time dominate large runs (issue 17: 48,011 files,
//! 6.4 s of system time). A small run `fsync`s each file and directory from many threads at
//! once, so the disk's latency is paid about once per step; a large one makes each step one
//! `syncfs` (see [`durable::SYNC_ONE_BY_ONE_MAX`]). Files that are unchanged are never staged, so they
//! are neither rewritten nor synced. What phase two cannot promise is all-or-nothing across
//! files. It does promise that re-running `generate` finishes the job, because the state file,
//! still describing the previous run, makes every already-replaced file look like an edit whose
//! three-way merge is a no-op, and a created file identical to the rendering is adopted rather
//! than refused as foreign.
//!
//! A process killed during phase one leaves `.<name>.chartwright-tmp.*` files behind; they are
//! never read and are safe to delete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::paths::Root;
use super::plan::{Contents, Plan, PlannedWrite};
use super::state::STATE_DIR;
use super::{OutputError, durable};

/// Where to inject a failure, for tests of the guarantees above.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fail while staging the n-th temporary file (0-based), after it has been created.
    Stage(usize),
    /// Fail before the n-th commit step (0-based): renames, then deletions, then the state
    /// file.
    Commit(usize),
    /// Stop dead before the n-th commit step, as a killed process would: no clean-up at all,
    /// temporaries and the pending record left behind.
    Crash(usize),
}

struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

/// Carries out `plan`. `before_renames` runs on a thread of its own while phase one stages
/// and syncs, and must have succeeded (made durable whatever it writes) before the first
/// rename: the pending record, which so costs no sync latency of its own.
pub(crate) fn apply(
    plan: &Plan,
    fault: Option<Fault>,
    before_renames: impl FnOnce() -> Result<(), OutputError> + Send,
) -> Result<(), OutputError> {
    let mut created_dirs = Vec::new();
    let mut staged = Vec::new();
    let result = std::thread::scope(|scope| {
        let before = scope.spawn(before_renames);
        let staging = stage_all(plan, fault, &mut created_dirs, &mut staged);
        let before = before.join().expect("a panic aborts the process");
        staging.and(before)
    });
    if let Err(e) = result {
        for s in &staged {
            let _ = fs::remove_file(&s.temp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    commit_staged(plan, fault, &created_dirs, staged)
}

/// Phase one: every temporary written and durable, with the directories created for them.
fn stage_all(
    plan: &Plan,
    fault: Option<Fault>,
    created_dirs: &mut Vec<PathBuf>,
    staged: &mut Vec<Staged>,
) -> Result<(), OutputError> {
    let all_writes = plan.writes.iter().chain(plan.state_write.as_ref());
    if !plan.writes.is_empty() || plan.state_write.is_some() {
        create_dir_all(&plan.root.dir, created_dirs)?;
    }
    let mut buf = Vec::new();
    for (i, write) in all_writes.enumerate() {
        let bytes = match &write.contents {
            Contents::Inline(bytes) => bytes.as_slice(),
            Contents::Spooled(blob) => {
                plan.spool
                    .read(*blob, &mut buf)
                    .map_err(|e| OutputError::io("read", "the spool file", e))?;
                buf.as_slice()
            }
            Contents::Dropped => unreachable!("a plan for writing keeps its contents"),
        };
        staged.push(stage(&plan.root, write, bytes, created_dirs)?);
        if fault == Some(Fault::Stage(i)) {
            let dir = staged
                .last()
                .map(|s: &Staged| s.temp.clone())
                .unwrap_or_default();
            return Err(OutputError::io("write", dir, injected()));
        }
    }
    // Every temporary's data on disk before any rename can make it visible under its real
    // name. (The directories created for them are made durable with the renames.)
    if !staged.is_empty() {
        let temps: Vec<&Path> = staged.iter().map(|s| s.temp.as_path()).collect();
        durable::sync_files(&plan.root.dir, &temps)
            .map_err(|(path, e)| OutputError::io("sync", path, e))?;
    }
    Ok(())
}

/// Phase two: the renames, the deletions and the state file, each step made durable before
/// the next depends on it.
fn commit_staged(
    plan: &Plan,
    fault: Option<Fault>,
    created_dirs: &[PathBuf],
    mut staged: Vec<Staged>,
) -> Result<(), OutputError> {
    let total = staged.len() + plan.deletes.len();
    let mut step = 0;
    let interrupted = |step: usize, source: OutputError| OutputError::Interrupted {
        applied: step,
        total,
        source: Box::new(source),
    };
    // New directories only survive a crash once their parents are synced too.
    let mut touched_dirs: Vec<PathBuf> = created_dirs.iter().map(|d| parent(d)).collect();
    let state_staged = plan
        .state_write
        .as_ref()
        .map(|_| staged.pop().expect("staged"));

    let crash = |step: usize| {
        (fault == Some(Fault::Crash(step))).then(|| {
            interrupted(
                step,
                OutputError::io(
                    "commit",
                    &plan.root.dir,
                    io::Error::other("simulated crash"),
                ),
            )
        })
    };
    let mut pending = staged.iter();
    for s in pending.by_ref() {
        if let Some(e) = crash(step) {
            return Err(e);
        }
        let failed = if fault == Some(Fault::Commit(step)) {
            Some(OutputError::io("rename into place", &s.target, injected()))
        } else {
            fs::rename(&s.temp, &s.target)
                .err()
                .map(|e| OutputError::io("rename into place", &s.target, e))
        };
        if let Some(e) = failed {
            let _ = fs::remove_file(&s.temp);
            for rest in pending.chain(state_staged.as_ref()) {
                let _ = fs::remove_file(&rest.temp);
            }
            return Err(interrupted(step, e));
        }
        touched_dirs.push(parent(&s.target));
        step += 1;
    }

    for rel in &plan.deletes {
        if let Some(e) = crash(step) {
            return Err(e);
        }
        let path = plan.root.join(rel);
        let failed = if fault == Some(Fault::Commit(step)) {
            Some(injected())
        } else {
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Some(e),
                _ => None,
            }
        };
        if let Some(e) = failed {
            if let Some(s) = &state_staged {
                let _ = fs::remove_file(&s.temp);
            }
            return Err(interrupted(step, OutputError::io("delete", path, e)));
        }
        remove_empty_parents(&plan.root, rel, &mut touched_dirs);
        step += 1;
    }

    // The renames and deletions durable before the state file says they happened.
    touched_dirs.sort();
    touched_dirs.dedup();
    durable::sync_dirs(&plan.root.dir, &touched_dirs)
        .map_err(|(dir, e)| interrupted(step, OutputError::io("sync", dir, e)))?;

    if let Some(e) = crash(step) {
        return Err(e);
    }
    if let Some(s) = state_staged {
        let failed = if fault == Some(Fault::Commit(step)) {
            Some(injected())
        } else {
            fs::rename(&s.temp, &s.target).err()
        };
        if let Some(e) = failed {
            let _ = fs::remove_file(&s.temp);
            return Err(interrupted(
                step,
                OutputError::io("rename into place", &s.target, e),
            ));
        }
        let dir = plan.root.dir.join(STATE_DIR);
        durable::sync_path(&dir).map_err(|e| interrupted(step, OutputError::io("sync", dir, e)))?;
    }
    Ok(())
}

fn injected() -> io::Error {
    io::Error::other("injected failure")
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Creates `dir` and its missing ancestors, remembering each one created so that a failed
/// staging phase can remove them again.
fn create_dir_all(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), OutputError> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(p) = cur {
        if p.as_os_str().is_empty() || p.is_dir() {
            break;
        }
        missing.push(p.to_path_buf());
        cur = p.parent();
    }
    for p in missing.into_iter().rev() {
        match fs::create_dir(&p) {
            Ok(()) => created.push(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && p.is_dir() => {}
            Err(e) => {
                let e = if e.kind() == io::ErrorKind::AlreadyExists {
                    OutputError::NotADirectory { path: p }
                } else {
                    OutputError::io("create directory", p, e)
                };
                return Err(e);
            }
        }
    }
    Ok(())
}

fn stage(
    root: &Root,
    write: &PlannedWrite,
    bytes: &[u8],
    created_dirs: &mut Vec<PathBuf>,
) -> Result<Staged, OutputError> {
    let target = root.join(&write.rel);
    let dir = parent(&target);
    create_dir_all(&dir, created_dirs)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temp, mut file) = create_temp(&dir, &name)?;
    let staged = Staged { temp, target };
    let result = (|| {
        file.write_all(bytes)?;
        if let Some(permissions) = &write.permissions {
            file.set_permissions(permissions.clone())?;
        }
        // Not synced here: `sync_staged` makes every temporary durable in one call.
        Ok(())
    })();
    match result {
        Ok(()) => Ok(staged),
        Err(e) => {
            let _ = fs::remove_file(&staged.temp);
            Err(OutputError::io("write", &staged.temp, e))
        }
    }
}

fn create_temp(dir: &Path, name: &str) -> Result<(PathBuf, File), OutputError> {
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let temp = dir.join(format!(".{name}.chartwright-tmp.{pid}.{attempt}"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(OutputError::io("create a temporary file in", dir, e)),
        }
    }
}

/// Removes directories left empty by deleting `rel`, up to (not including) the root. Only
/// empty directories can be removed, so nothing the user put there is at risk; failures are
/// ignored because an empty directory left behind is harmless.
fn remove_empty_parents(root: &Root, rel: &str, touched: &mut Vec<PathBuf>) {
    let mut components: Vec<&str> = rel.split('/').collect();
    components.pop();
    while !components.is_empty() {
        let dir = root.join(&components.join("/"));
        if fs::remove_dir(&dir).is_err() {
            touched.push(dir);
            return;
        }
        components.pop();
    }
    touched.push(root.dir.clone());
}
