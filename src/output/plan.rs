//! Deciding, for every path, what a regeneration would do, without touching the disk.
//!
//! `write`, `diff` and `check` all start here, which is what makes them agree: `diff` prints
//! the plan, `check` asks whether the plan is empty, `write` carries it out. Computing the
//! whole plan first is also what lets a write refuse (foreign file, symlink escape, missing
//! merge base) before a single byte has changed.

use std::collections::BTreeSet;
use std::fs::Permissions;
use std::path::{Path, PathBuf};

use super::OutputError;
use super::diff;
use super::existing::{self, Blobs, Loaded};
use super::paths::Root;
use super::spool::{Blob, Spool};
use super::state::{Record, STATE_DIR, STATE_FILE};
use super::{FileSet, Source, WriteOptions, WriteReport};

/// One file to be replaced or created with new contents.
pub(crate) struct PlannedWrite {
    pub rel: String,
    pub contents: Contents,
    /// Mode of the file being replaced, kept so a user's `chmod` survives regeneration.
    pub permissions: Option<Permissions>,
}

/// What a planned write puts in its file.
#[derive(Clone)]
pub(crate) enum Contents {
    /// chartwright's own small files (the state, its `.gitattributes`).
    Inline(Vec<u8>),
    /// A generated file or base copy, kept in the spool until it is staged.
    Spooled(Blob),
    /// Not kept: the plan is for `check` or `diff`, which write nothing.
    Dropped,
}

/// A change to a user-visible file, for rendering its diff.
pub(crate) struct Change<'a> {
    pub rel: &'a str,
    pub old: Option<&'a [u8]>,
    pub new: Option<&'a [u8]>,
}

/// What a plan is for: `write` keeps the contents it decides on (in the spool), `check` and
/// `diff` keep only the diff text (coloured or not).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Diff { color: bool },
}

pub(crate) struct Plan {
    pub root: Root,
    /// Generated files first, then their base copies (so that after a crash an edited file
    /// that was not replaced yet still has the base it was edited against), then
    /// chartwright's small metadata files; the state file is kept apart because it must be
    /// renamed into place last.
    pub writes: Vec<PlannedWrite>,
    pub state_write: Option<PlannedWrite>,
    /// Generated files to delete, then base copies of files no longer recorded and the
    /// format-1 record.
    pub deletes: Vec<String>,
    pub report: WriteReport,
    /// The unified diff of every user-visible change, in path order (`Mode::Diff` only).
    pub diff: String,
    /// Where the contents of `writes` wait to be staged.
    pub spool: Spool,
    /// Files under `.chartwright/` that would be written or deleted (the blob store as one
    /// entry, `.chartwright/base/`).
    pub metadata_changes: Vec<String>,
    /// Why the record itself is out of date in a way that matters (see `check`).
    pub record_issues: Vec<String>,
    /// Generated files on disk that are equal to the rendering but not recorded.
    pub unrecorded: Vec<String>,
    /// The record before this run (state, format-1 record and pending lines together) and the
    /// one this run writes: `write` puts their union in the pending file while it works.
    pub old_record: Record,
    pub new_record: Record,
    /// An interrupted run's pending file is present.
    pub had_pending: bool,
    /// Number of generated files and orphans whose contents change on disk.
    pub content_changes: usize,
}

impl Plan {
    /// Whether the tree is what `generate` makes it, as far as anyone can see: no generated
    /// file would change, nothing conflicts or waits for a decision (a kept edit of a file no
    /// longer generated), and the record is complete. Tidying the record (dropping hashes a
    /// git merge left behind, unreferenced blobs, the version in the header) is not drift.
    pub fn is_noop(&self) -> bool {
        self.content_changes == 0
            && self.report.conflicted.is_empty()
            && self.report.kept_edited.is_empty()
            && self.report.derived_edits.is_empty()
            && self.record_issues.is_empty()
    }

    /// Whether `write` has anything at all to do on disk.
    pub fn writes_anything(&self) -> bool {
        !self.writes.is_empty() || self.state_write.is_some() || !self.deletes.is_empty()
    }
}

/// Everything decided so far, path by path.
pub(super) struct Builder<'a> {
    pub(super) root: Root,
    pub(super) loaded: Loaded,
    pub(super) blobs: Blobs,
    pub(super) opts: &'a WriteOptions,
    pub(super) report: WriteReport,
    pub(super) base_writes: Vec<PlannedWrite>,
    pub(super) content_writes: Vec<PlannedWrite>,
    /// Diff text per changed path, sorted when the plan is finished.
    pub(super) changes: Vec<(String, String)>,
    pub(super) spool: Spool,
    pub(super) mode: Mode,
    pub(super) foreign: Vec<PathBuf>,
    pub(super) unrecorded: Vec<String>,
    pub(super) new_record: Record,
}

pub(crate) fn plan<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    opts: &WriteOptions,
    mode: Mode,
) -> Result<Plan, S::Error> {
    let root = Root::new(out_dir)?;
    // `write` holds the lock, whose folder therefore exists.
    let spool = match mode {
        Mode::Write => Spool::create(&root.join(STATE_DIR))?,
        Mode::Diff { .. } => Spool::none(),
    };
    let loaded = existing::load_record(&root, opts.adopt)?;
    let blobs = existing::list_blobs(&root)?;
    let mut b = Builder {
        root,
        loaded,
        blobs,
        opts,
        report: WriteReport::default(),
        base_writes: Vec::new(),
        content_writes: Vec::new(),
        changes: Vec::new(),
        spool,
        mode,
        foreign: Vec::new(),
        unrecorded: Vec::new(),
        new_record: Record::default(),
    };
    for unit in 0..source.units() {
        let files = source.files(unit)?;
        let mut on_disk = FileSet::new();
        let mut edited = BTreeSet::new();
        for (rel, new) in files.iter() {
            match b.decide(rel, new)? {
                Some(kept) => {
                    edited.insert(rel.to_owned());
                    on_disk.insert(rel, String::from_utf8_lossy(&kept).into_owned());
                }
                None => on_disk.insert(rel, new),
            }
        }
        let derived = source.derive(unit, &on_disk, &edited)?;
        drop(on_disk);
        for (rel, new) in derived.iter() {
            if b.decide(rel, new)?.is_some() {
                b.report.derived_edits.push(rel.to_owned());
            }
        }
    }
    Ok(b.finish()?)
}

impl Builder<'_> {
    /// Notes a user-visible change: its diff, when the plan is for one.
    pub(super) fn change(&mut self, rel: &str, old: Option<&[u8]>, new: Option<&[u8]>) {
        note_change(&mut self.changes, self.mode, rel, old, new);
    }
}

/// Keeps `bytes` for a write (in the spool), or nothing when the plan writes nothing.
pub(super) fn keep(spool: &mut Spool, bytes: &[u8]) -> Result<Contents, OutputError> {
    Ok(match spool.put(bytes)? {
        Some(blob) => Contents::Spooled(blob),
        None => Contents::Dropped,
    })
}

/// The diff of one change, rendered at once so that no file's contents outlive its decision.
pub(super) fn note_change(
    changes: &mut Vec<(String, String)>,
    mode: Mode,
    rel: &str,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
) {
    if let Mode::Diff { color } = mode {
        let text = diff::render(&[Change { rel, old, new }], color);
        changes.push((rel.to_owned(), text));
    }
}

/// User-visible paths `check` reports: files `generate` would create, change, delete or
/// leave conflicted, kept edits of files no longer generated, generated files missing from the
/// record, and the state file itself when the record needs more than tidying.
pub(crate) fn drifted(plan: &Plan) -> Vec<String> {
    let r = &plan.report;
    let mut set: BTreeSet<String> = r
        .created
        .iter()
        .chain(&r.updated)
        .chain(&r.merged)
        .chain(&r.conflicted)
        .chain(&r.deleted)
        .chain(&r.kept_edited)
        .chain(&r.derived_edits)
        .chain(&plan.unrecorded)
        .cloned()
        .collect();
    if plan.record_issues.len() > usize::from(!plan.unrecorded.is_empty()) {
        set.insert(STATE_FILE.to_owned());
    }
    set.into_iter().collect()
}
