//! Making written files and renames durable in a few waits on the disk rather than one per
//! file (see `commit`, which decides what must be on disk before what).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Up to this many files (or directories) are made durable one by one, each with its own
/// `fsync`, issued from [`SYNC_THREADS`] threads at once so that the disk's latency is paid
/// about once rather than once per file; above it, one `syncfs(2)` of the whole file system
/// (Linux), which costs one pass however many files there are. `syncfs` also writes back
/// every other program's pending writes to that file system and waits for them: on a machine
/// where builds are writing it measured 20 ms to 1.2 s for the quickstart, against a few
/// milliseconds of `fsync`s of its 83 files.
pub(super) const SYNC_ONE_BY_ONE_MAX: usize = 512;

/// Threads issuing `fsync`s at once: they wait on the disk, not on the CPU.
const SYNC_THREADS: usize = 16;

type SyncError = (PathBuf, io::Error);

/// Makes `files` (on the file system of `root`) durable.
pub(super) fn sync_files(root: &Path, files: &[&Path]) -> Result<(), SyncError> {
    if files.len() <= SYNC_ONE_BY_ONE_MAX || !HAS_SYNCFS {
        return sync_each(files);
    }
    syncfs(root).map_err(|e| (root.to_path_buf(), e))
}

/// Makes the renames into, and deletions from, `dirs` durable (an `fsync` of each directory,
/// or one `syncfs`, as for the temporaries). A directory that no longer exists (emptied and
/// removed after a rename into it) has nothing left to make durable.
pub(super) fn sync_dirs(root: &Path, dirs: &[PathBuf]) -> Result<(), SyncError> {
    if dirs.len() <= SYNC_ONE_BY_ONE_MAX || !HAS_SYNCFS {
        let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        return sync_each(&dirs);
    }
    syncfs(root).map_err(|e| (root.to_path_buf(), e))
}

/// `fsync` of each path (files or directories; a missing one is skipped), from up to
/// [`SYNC_THREADS`] threads.
fn sync_each(paths: &[&Path]) -> Result<(), SyncError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<(), SyncError> {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = paths.get(i) else {
                return Ok(());
            };
            match sync_path(path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err((path.to_path_buf(), e)),
                Ok(()) => {}
            }
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..paths.len().min(SYNC_THREADS))
            .map(|_| scope.spawn(work))
            .collect();
        let mine = work();
        helpers
            .into_iter()
            .map(|h| h.join().expect("a panic aborts the process"))
            .fold(mine, Result::and)
    })
}

const HAS_SYNCFS: bool = cfg!(any(target_os = "linux", target_os = "android"));

#[cfg(any(target_os = "linux", target_os = "android"))]
fn syncfs(dir: &Path) -> io::Result<()> {
    rustix::fs::syncfs(File::open(dir)?).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn syncfs(_dir: &Path) -> io::Result<()> {
    unreachable!("only called where HAS_SYNCFS")
}

/// `fsync` of a file, or of a directory (its entries) where the platform can open one.
#[cfg(unix)]
pub(super) fn sync_path(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

#[cfg(not(unix))]
pub(super) fn sync_path(path: &Path) -> io::Result<()> {
    match File::open(path) {
        Ok(f) if f.metadata()?.is_file() => f.sync_all(),
        _ => Ok(()),
    }
}
