//! Carrying out a plan under the lock: the pending record (made durable while `commit` stages),
//! then `commit`, then the pending record removed; and the clean-up after an interrupted run.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::state::{PENDING_FILE, STATE_FILE};
use super::{Fault, OutputError, WriteReport, commit, plan};

pub(super) fn carry_out(
    plan: plan::Plan,
    fault: Option<Fault>,
    wrote: &mut bool,
) -> Result<WriteReport, OutputError> {
    if !plan.writes_anything() {
        return Ok(plan.report);
    }
    *wrote = true;
    if plan.had_pending {
        sweep_temporaries(&plan);
    }
    // Before the first file is replaced, the union of the old and new record is on disk:
    // whatever a crash leaves, every file is then an old or a new rendering that the record
    // knows, so the next run replaces it instead of taking it for an edit.
    let mut pending = plan.old_record.clone();
    pending.add(&plan.new_record);
    let pending_written = plan.content_changes > 0 || plan.had_pending;
    let write_pending = || {
        if pending_written {
            write_durably(&plan.root.dir, PENDING_FILE, pending.to_text().as_bytes())?;
        }
        Ok(())
    };
    match commit::apply(&plan, fault, write_pending) {
        Ok(()) => {}
        Err(e @ OutputError::Interrupted { .. }) => return Err(e),
        Err(e) => {
            if pending_written && !plan.had_pending {
                let _ = fs::remove_file(plan.root.join(PENDING_FILE));
            }
            *wrote = plan.had_pending;
            return Err(e);
        }
    }
    // Not synced: the state in place is what counts. Should a crash bring the pending record
    // back, the next run merely treats this complete run as interrupted (`check` says so,
    // `generate` tidies up), which costs it nothing; a sync here cost every run a disk flush.
    if pending_written {
        let path = plan.root.join(PENDING_FILE);
        fs::remove_file(&path).map_err(|e| OutputError::io("delete", &path, e))?;
    }
    Ok(plan.report)
}

/// Writes one of chartwright's own files with a temporary, a sync and a rename, made durable
/// before returning (the pending file must be on disk before anything it describes).
fn write_durably(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let target: PathBuf = dir.join(rel);
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    fs::create_dir_all(&parent).map_err(|e| OutputError::io("create directory", &parent, e))?;
    let temp = parent.join(format!(".pending.chartwright-tmp.{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&temp, &target)?;
        sync_dir(&parent)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        OutputError::io("write", &target, e)
    })
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Removes the temporaries a killed run left (`.<name>.chartwright-tmp.<pid>.<n>`) in every
/// directory it could have written to. Only called under the lock, after an interrupted run,
/// so no live process owns them.
fn sweep_temporaries(plan: &plan::Plan) {
    let mut dirs = std::collections::BTreeSet::new();
    let paths = plan
        .old_record
        .files
        .keys()
        .chain(plan.new_record.files.keys())
        .map(String::as_str)
        .chain(plan.writes.iter().map(|w| w.rel.as_str()))
        .chain([STATE_FILE]);
    for rel in paths {
        let path = plan.root.join(rel);
        if let Some(parent) = path.parent() {
            dirs.insert(parent.to_path_buf());
        }
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.')
                && name.contains(".chartwright-tmp.")
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
