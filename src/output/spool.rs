//! Where a write keeps the contents it has decided on until every file is decided.
//!
//! A write must refuse (a foreign file, a symlink escape, a missing base) before a single byte
//! of the tree changes, so nothing can be staged until the last unit is decided; but holding
//! every new file in memory until then made peak memory grow with the number of services
//! (486 MB for 1,000). So each content is appended to the spool, an anonymous file on the
//! output's own file system (`O_TMPFILE` in `.chartwright/`: it has no name, is never visible
//! in the tree, and vanishes with the process), and read back, one file at a time, when it is
//! staged. The page cache, not the process, holds it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::OutputError;

/// A region of the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Blob {
    offset: u64,
    len: u64,
}

pub(crate) struct Spool {
    file: Option<File>,
    len: u64,
}

impl Spool {
    /// For planning only (`check`, `diff`): contents are not kept.
    pub fn none() -> Self {
        Spool { file: None, len: 0 }
    }

    /// A spool in `dir`, which must exist.
    pub fn create(dir: &Path) -> Result<Self, OutputError> {
        let file = anonymous(dir).map_err(|e| OutputError::io("create a spool file in", dir, e))?;
        Ok(Spool {
            file: Some(file),
            len: 0,
        })
    }

    /// Appends `bytes`; `None` when planning only.
    pub fn put(&mut self, bytes: &[u8]) -> Result<Option<Blob>, OutputError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(None);
        };
        file.write_all(bytes)
            .map_err(|e| OutputError::io("write", "the spool file", e))?;
        let blob = Blob {
            offset: self.len,
            len: bytes.len() as u64,
        };
        self.len += blob.len;
        Ok(Some(blob))
    }

    /// The bytes of `blob`, into `buf` (replacing what it held).
    pub fn read(&self, blob: Blob, buf: &mut Vec<u8>) -> io::Result<()> {
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("nothing was spooled"))?;
        buf.clear();
        buf.resize(blob.len as usize, 0);
        read_at(file, buf, blob.offset)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)?;
    f.seek(SeekFrom::End(0))?;
    Ok(())
}

/// A file without a name in `dir`: `O_TMPFILE` where the file system has it, else a file
/// created under a unique name and unlinked at once.
fn anonymous(dir: &Path) -> io::Result<File> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{Mode, OFlags};
        if let Ok(fd) = rustix::fs::open(
            dir,
            OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        ) {
            return Ok(File::from(fd));
        }
    }
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let path = dir.join(format!(".spool.chartwright-tmp.{pid}.{attempt}"));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                // Unix lets an open file lose its name; elsewhere it is removed with the
                // temporaries of an interrupted run.
                let _ = std::fs::remove_file(&path);
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free name for a spool file"))
}
