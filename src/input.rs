//! Reading the files a run is given (the spec, an org defaults file, an overlay's templates and
//! its configuration): only regular files, and never more than a limit.
//!
//! A FIFO would block the read forever, `/dev/zero` never ends, and a socket or a device is not
//! a file anyone means to hand a generator: each is refused by its kind before a byte is read.
//! The file is opened without blocking and judged by the handle's own metadata, so nothing can
//! be swapped in between the check and the read.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Every input is at most this big: a real spec or template is a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, a device, a socket or a directory.
    NotRegular {
        kind: &'static str,
    },
    /// The path is a chain of symbolic links that leads back into itself.
    SymlinkLoop,
    /// More than the limit.
    TooBig {
        limit: usize,
    },
    /// The bytes are not UTF-8; `line` and `column` (1-based, column in characters) are those
    /// of the first byte that is not.
    NotUtf8 {
        line: u32,
        column: u32,
        byte: u8,
        /// The text with the bad bytes replaced, for a snippet.
        lossy: String,
    },
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular { kind } => write!(
                f,
                "it is {kind}, not a regular file; chartwright reads only regular files"
            ),
            ReadError::SymlinkLoop => write!(
                f,
                "it is a loop of symbolic links (following them leads back to where they start)"
            ),
            ReadError::TooBig { limit } => write!(
                f,
                "it is more than {limit} bytes; chartwright reads files of at most {limit} bytes"
            ),
            ReadError::NotUtf8 {
                line, column, byte, ..
            } => write!(
                f,
                "it is not UTF-8 text: the byte 0x{byte:02X} at line {line}, column {column} is not part of a UTF-8 character"
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        if is_loop(&e) {
            ReadError::SymlinkLoop
        } else {
            ReadError::Io(e)
        }
    }
}

/// Whether an error is the operating system's "too many levels of symbolic links".
pub fn is_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The text of a regular file of at most `limit` bytes.
pub fn read_text(path: &Path, limit: usize) -> Result<String, ReadError> {
    text(read_bytes(path, limit)?)
}

/// The bytes of a regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    // Judged by the path first (a socket cannot even be opened), then by the open handle.
    if let Some(kind) = special_kind(&std::fs::metadata(path)?) {
        return Err(ReadError::NotRegular { kind });
    }
    let file = open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = special_kind(&meta) {
        return Err(ReadError::NotRegular { kind });
    }
    if meta.len() > limit as u64 {
        return Err(ReadError::TooBig { limit });
    }
    bounded(file, limit)
}

/// Standard input (`-f -`), read to its end but never past `limit`.
pub fn read_stdin(limit: usize) -> Result<String, ReadError> {
    text(bounded(io::stdin().lock(), limit)?)
}

/// What a file is when it is not a regular file: `Some("a FIFO (named pipe)")`.
pub fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Opens for reading without waiting for a FIFO's writer (a plain open would block until one
/// comes, that is, forever).
fn open(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

fn bounded(reader: impl Read, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::from)?;
    if bytes.len() > limit {
        return Err(ReadError::TooBig { limit });
    }
    Ok(bytes)
}

fn text(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = std::str::from_utf8(&bytes[..at]).expect("valid up to here");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ReadError::NotUtf8 {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            byte: bytes[at],
            lossy: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

/// The repository a spec belongs to: the nearest folder at or above the spec's that holds
/// `.git` (a directory, or the file a worktree or submodule has), found without running git;
/// without one, the spec's own folder. Symbolic links are resolved.
pub fn repository_of(spec: &Path) -> io::Result<std::path::PathBuf> {
    let dir = spec_dir(spec).canonicalize()?;
    Ok(dir
        .ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .unwrap_or(&dir)
        .to_path_buf())
}

/// The folder a spec's relative paths start from (the working directory for `-f -`).
pub fn spec_dir(spec: &Path) -> &Path {
    spec.parent()
        .filter(|p| !p.as_os_str().is_empty() && spec != Path::new("-"))
        .unwrap_or(Path::new("."))
}

/// Whether `path` (symbolic links resolved where it exists, `..` folded where it does not)
/// lies inside `root`.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    let resolved = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => {
            let Ok(cwd) = std::env::current_dir() else {
                return false;
            };
            let mut out = std::path::PathBuf::new();
            for c in cwd.join(path).components() {
                match c {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            out
        }
    };
    resolved.starts_with(root)
}

/// A spec's `templates:` must name a folder inside the spec's repository: a one-line change in
/// a pull request must not copy `~/.ssh` into the output and the CI log. (`--templates`, given
/// by the person running chartwright, may point anywhere.)
pub fn check_templates_key(
    spec: &Path,
    file: &crate::spec::SpecFile,
) -> Result<(), crate::spec::SpecError> {
    use crate::spec::{Diagnostic, ErrorKind, SpecError};
    let Some(key) = &file.spec.templates else {
        return Ok(());
    };
    let value = key.value.as_str();
    let refuse = |message: String, hint: String| SpecError {
        file: file.file.clone(),
        source_text: file.source_text.clone(),
        diagnostics: vec![Diagnostic {
            kind: ErrorKind::Invalid,
            path: "templates".into(),
            line: u32::try_from(key.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(key.referenced.column()).unwrap_or(u32::MAX),
            message,
            hint: Some(hint),
        }],
    };
    let flag = "pass `--templates DIR` on the command line to use a folder elsewhere";
    if Path::new(value).is_absolute() || value.starts_with('/') || value.starts_with('\\') {
        return Err(refuse(
            format!(
                "`templates: {value}` is an absolute path; an overlay is named relative to the spec, inside its repository"
            ),
            format!(
                "move the overlay into the repository and name it relative to the spec, or {flag}"
            ),
        ));
    }
    let root = repository_of(spec).map_err(|e| {
        refuse(
            format!("cannot find the folder of the spec: {e}"),
            flag.to_string(),
        )
    })?;
    if !is_inside(&root, &spec_dir(spec).join(value)) {
        return Err(refuse(
            format!(
                "`templates: {value}` leads outside the spec's repository ({})",
                root.display()
            ),
            format!(
                "an overlay named in a spec stays inside the repository (the folder holding `.git` above the spec, or else the spec's folder); {flag}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located() {
        let e = text(b"a: 1\nb: \xc3\xa9\xff x\n".to_vec()).unwrap_err();
        match e {
            ReadError::NotUtf8 {
                line, column, byte, ..
            } => assert_eq!((line, column, byte), (2, 5, 0xff)),
            other => panic!("{other}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_refused_unread() {
        for (path, kind) in [
            ("/dev/zero", "a character device"),
            ("/dev/null", "a character device"),
            ("/", "a directory"),
        ] {
            match read_text(Path::new(path), 10) {
                Err(ReadError::NotRegular { kind: k }) => assert_eq!(k, kind),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_read_stops_at_the_limit() {
        let r: &[u8] = &[b'x'; 100];
        assert!(matches!(
            bounded(r, 10),
            Err(ReadError::TooBig { limit: 10 })
        ));
        assert_eq!(bounded(r, 100).unwrap().len(), 100);
    }
}
