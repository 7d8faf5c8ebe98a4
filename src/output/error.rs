//! One error type for everything the output stage can refuse or fail at.
//!
//! Every variant carries the path it is about, because the person reading the message is
//! usually looking at a CI log with no other way to tell which of a few hundred generated files
//! was the problem. Refusals (foreign files, symlink escapes, collisions) are detected while
//! planning, before anything is written, so seeing one of them means the tree is untouched.

use std::io;
use std::path::PathBuf;

/// Why `write`, `diff` or `check` could not do their job.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A path in the file set is not a safe relative path, or lies inside `.chartwright/`.
    #[error("invalid generated path {path:?}: {reason}")]
    InvalidPath { path: String, reason: &'static str },

    /// Two generated paths need the same name to be both a file and a directory.
    #[error(
        "generated paths collide: {path:?} is a file, but {other:?} needs it to be a directory"
    )]
    PathCollision { path: String, other: String },

    /// Files on disk, at paths chartwright wants to generate, that chartwright did not generate.
    /// They are never overwritten; nothing at all was written.
    #[error(
        "refusing to overwrite {} that chartwright did not generate: {}; move or delete {}, or choose another output directory (if chartwright did generate {} and its record .chartwright/state was lost, `chartwright generate --adopt` takes {} over without changing {})",
        if paths.len() == 1 { "a file" } else { "files" },
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        if paths.len() == 1 { "it" } else { "them" },
        if paths.len() == 1 { "it" } else { "them" },
        if paths.len() == 1 { "it" } else { "them" },
        if paths.len() == 1 { "it" } else { "them" }
    )]
    ForeignFiles { paths: Vec<PathBuf> },

    /// Something that is not a directory sits where a directory is needed.
    #[error("{path} is not a directory, but generated files need to be written inside it")]
    NotADirectory { path: PathBuf },

    /// Something that is not a regular file (a directory, a socket, ...) sits where a generated
    /// file goes.
    #[error("{path} is not a regular file, but a generated file needs to be written there")]
    NotAFile { path: PathBuf },

    /// A path component is a symbolic link that resolves outside the output directory (or
    /// does not resolve at all), so writing there could change files elsewhere.
    #[error(
        "refusing to write through {path}: it is a symbolic link that leads outside the output directory"
    )]
    SymlinkEscape { path: PathBuf },

    /// A path component is a loop of symbolic links: it leads nowhere, and is reported as the
    /// loop it is rather than as an escape.
    #[error(
        "cannot write through {path}: it is a loop of symbolic links (following them leads back to where they start)"
    )]
    SymlinkLoop { path: PathBuf },

    /// `.chartwright/state` (or a format-1 `state.json`) cannot be understood.
    #[error(
        "cannot use chartwright state {path}: {message}\nhint: if a merge or an edit damaged it, run `chartwright generate --adopt`: it rebuilds the record from the tree and keeps every file that differs from the rendering as your edit"
    )]
    CorruptState { path: PathBuf, message: String },

    /// A generated file was edited, and the base copy needed to merge the edit is gone or
    /// does not match `state.json`.
    #[error(
        "cannot merge your edits to {path}: its base copy {base} is missing or does not match .chartwright/state; restore .chartwright/ from version control, run `chartwright generate --adopt` to keep the file as it is (as your edit of the new rendering), or regenerate with --force to overwrite your edits"
    )]
    MissingBase { path: PathBuf, base: PathBuf },

    /// Another chartwright run holds the lock on the output directory.
    #[error(
        "{path} is locked by another chartwright run{}; wait for it to finish and run again (the lock is released when that process exits)",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Locked {
        path: PathBuf,
        holder: Option<String>,
    },

    /// The file system refused an operation.
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The second phase of a write (renaming staged files into place) failed part-way.
    /// Every file is either entirely old or entirely new, and running `generate` again
    /// finishes the job (see the module documentation).
    #[error(
        "write interrupted after {applied} of {total} changes, so the output is partly updated; run generate again to finish: {source}"
    )]
    Interrupted {
        applied: usize,
        total: usize,
        #[source]
        source: Box<OutputError>,
    },
}

impl OutputError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        OutputError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
