//! One `generate` at a time per output directory.
//!
//! Without it, two runs into the same folder delete each other's temporary files and leave a
//! tree that belongs to neither spec (issue 16). The lock is an advisory `flock`-style lock
//! (`std::fs::File::lock`) on `.chartwright/lock`: the kernel releases it when its holder exits
//! for any reason, so a crashed run can never leave a stale lock behind. A second run does not
//! wait: it fails at once with an error naming the lock file and the holder's process id, which
//! is predictable in CI and lets a person decide. `check` and `diff` take the lock shared, so
//! they never read a tree half-way through a write, and never wait for each other.
//!
//! The lock file stays (git-ignored by `.chartwright/.gitignore`); its contents name the
//! holder while it is held and are emptied on release. When a run had to create the output
//! directory or `.chartwright/` just to lock it and then wrote nothing (a refusal, a failed
//! staging), it removes what it created, so a refused run leaves no trace. Another process may
//! have opened that file just before it was removed, so after locking, a run checks that the
//! path still names the file it locked, and tries again if not.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::OutputError;
use super::state::{LOCK_FILE, STATE_DIR};

/// A held lock; released when dropped.
pub(crate) struct Lock {
    file: Option<File>,
    path: PathBuf,
    /// Directories created to hold the lock file, outermost first.
    created: Vec<PathBuf>,
    exclusive: bool,
}

impl Lock {
    /// The exclusive lock of a writing run, creating `.chartwright/lock` (and the folders to
    /// hold it) when missing.
    pub fn exclusive(out_dir: &Path) -> Result<Lock, OutputError> {
        let path = out_dir.join(LOCK_FILE);
        let mut created = Vec::new();
        create_dirs(&out_dir.join(STATE_DIR), &mut created)?;
        for _ in 0..100 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| OutputError::io("open the lock file", &path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(held(&path, file)),
                Err(TryLockError::Error(e)) => {
                    return Err(OutputError::io("lock", &path, e));
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            let mut lock = Lock {
                file: Some(file),
                path,
                created,
                exclusive: true,
            };
            lock.write_holder();
            return Ok(lock);
        }
        Err(OutputError::io(
            "lock",
            &path,
            io::Error::other("the lock file keeps being replaced"),
        ))
    }

    /// A shared lock for a reading run, if the output has a lock file at all (a folder no
    /// `generate` has written has nothing to protect, and reading must not create files).
    pub fn shared(out_dir: &Path) -> Result<Option<Lock>, OutputError> {
        let path = out_dir.join(LOCK_FILE);
        for _ in 0..100 {
            let file = match File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(None),
                Err(e) => return Err(OutputError::io("open the lock file", &path, e)),
            };
            match file.try_lock_shared() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(held(&path, file)),
                Err(TryLockError::Error(e)) => return Err(OutputError::io("lock", &path, e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            return Ok(Some(Lock {
                file: Some(file),
                path,
                created: Vec::new(),
                exclusive: false,
            }));
        }
        Ok(None)
    }

    fn write_holder(&mut self) {
        if let Some(f) = self.file.as_mut() {
            // Best effort: the holder's name only improves the message a second run prints.
            let _ = f.set_len(0);
            let _ = f.rewind();
            let _ = writeln!(f, "pid {} (chartwright generate)", std::process::id());
        }
    }

    /// Releases the lock; when the run wrote nothing and created the lock's folders itself,
    /// removes the lock file and those folders first (while still holding the lock).
    pub fn release(mut self, wrote_anything: bool) {
        if self.exclusive && !wrote_anything && !self.created.is_empty() {
            let _ = fs::remove_file(&self.path);
            for dir in self.created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
        self.release_file();
    }

    fn release_file(&mut self) {
        if let Some(f) = self.file.take() {
            if self.exclusive {
                let _ = f.set_len(0);
            }
            let _ = f.unlock();
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        self.release_file();
    }
}

fn held(path: &Path, mut file: File) -> OutputError {
    let mut holder = String::new();
    let _ = file.read_to_string(&mut holder);
    let holder = holder.trim();
    OutputError::Locked {
        path: path.to_owned(),
        holder: (!holder.is_empty()).then(|| holder.to_owned()),
    }
}

fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), OutputError> {
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
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(OutputError::NotADirectory { path: p });
            }
            Err(e) => return Err(OutputError::io("create directory", p, e)),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}
