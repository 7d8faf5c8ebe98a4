//! Output: the rendered file set written atomically, diffed against the tree on disk, or
//! checked.
//!
//! Generated trees are committed and then regenerated, often in CI, often after someone has
//! hand-edited a file. So the output stage treats the output directory as shared: it records
//! what it generated (`.chartwright/state.json`, plus the last rendering of every file under
//! `.chartwright/base/`), replaces only files nobody edited, three-way merges the ones that
//! were edited (like copier), refuses to overwrite files it never wrote, and never deletes an
//! edited file. Everything it will do is decided before anything is written, so a refusal
//! leaves the tree untouched, and `diff` and `check` report exactly what `write` would do.
//!
//! Exit codes are the CLI's business; the intended mapping is: `write` → 0, or 1 when
//! [`WriteReport::conflicted`] is non-empty; `check` → 0 in sync, 1 drifted; any
//! [`OutputError`] → 2.

mod commit;
mod diff;
mod error;
mod fileset;
mod paths;
mod plan;
mod state;

use std::path::Path;

use serde::Serialize;

pub use error::OutputError;
pub use fileset::FileSet;
pub use state::{BASE_DIR, STATE_FILE};

#[doc(hidden)]
pub use commit::Fault;

/// How `write` treats files the user has edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace edited generated files with the new rendering instead of merging, and delete
    /// edited files that are no longer generated. Each such file is listed in
    /// [`WriteReport::overwritten_edits`]. Files chartwright never generated are still refused.
    pub force: bool,
}

/// What `write` did (or, inside a [`DiffReport`], would do), one list of generated paths per
/// outcome, each sorted. Every generated path is in exactly one of `created`, `updated`,
/// `merged`, `conflicted` and `unchanged`; every previously generated path that is no longer
/// generated and still on disk is in `deleted` or `kept_edited`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WriteReport {
    /// New files, including generated files the user had deleted.
    pub created: Vec<String>,
    /// Files replaced by the new rendering: unedited ones, and edited ones under `force`.
    pub updated: Vec<String>,
    /// Edited files whose edits were merged cleanly with the new rendering.
    pub merged: Vec<String>,
    /// Edited files where the merge conflicted: they now hold git-style conflict markers
    /// (`<<<<<<< ours` = your file, `>>>>>>> theirs` = new rendering). Files still holding
    /// unresolved markers from an earlier run are listed here again.
    pub conflicted: Vec<String>,
    /// Files no longer generated, deleted because they were unedited (or because of `force`).
    pub deleted: Vec<String>,
    /// Files no longer generated but left in place because they were edited. Chartwright
    /// forgets them: from now on they are the user's files.
    pub kept_edited: Vec<String>,
    /// Files left as they were: identical to the rendering, or edited in a way the new
    /// rendering does not affect.
    pub unchanged: Vec<String>,
    /// Edited files whose edits `force` discarded: a subset of `updated` and `deleted`.
    pub overwritten_edits: Vec<String>,
}

impl WriteReport {
    /// Whether any file needs its conflicts resolved by hand.
    pub fn has_conflicts(&self) -> bool {
        !self.conflicted.is_empty()
    }
}

/// What `generate` would change, for review before writing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Unified diffs (`--- a/path` / `+++ b/path`) of every generated file that would be
    /// created, changed or removed, in path order; empty when nothing would change.
    pub diff: String,
    /// What `write` would report.
    pub summary: WriteReport,
    /// Paths under `.chartwright/` that would be written or deleted (not diffed).
    pub metadata_changes: Vec<String>,
}

/// Whether the output directory is exactly what `generate` would produce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub in_sync: bool,
    /// Sorted paths `generate` would create, change, delete or leave conflicted, including
    /// chartwright's own files under `.chartwright/`. User edits that merge cleanly and are
    /// unaffected by the new rendering are not drift.
    pub drifted: Vec<String>,
    /// Uncoloured unified diff of the drifted generated files.
    pub diff: String,
}

/// Writes `files` into `out_dir` (created if missing), applying the regeneration rules in the
/// module documentation. On `Err` nothing was written, except for [`OutputError::Interrupted`].
/// Conflicts are not errors: check [`WriteReport::has_conflicts`].
pub fn write(
    files: &FileSet,
    out_dir: &Path,
    opts: &WriteOptions,
) -> Result<WriteReport, OutputError> {
    write_with_fault(files, out_dir, opts, None)
}

/// `write`, failing on purpose at `fault`: for tests of the atomicity guarantees.
#[doc(hidden)]
pub fn write_with_fault(
    files: &FileSet,
    out_dir: &Path,
    opts: &WriteOptions,
    fault: Option<Fault>,
) -> Result<WriteReport, OutputError> {
    let plan = plan::plan(files, out_dir, opts.force)?;
    commit::apply(&plan, fault)?;
    Ok(plan.report)
}

/// What `write` without `force` would change, as unified diffs; ANSI red/green only when
/// `color` is set. Reads only.
pub fn diff(files: &FileSet, out_dir: &Path, color: bool) -> Result<DiffReport, OutputError> {
    let plan = plan::plan(files, out_dir, false)?;
    Ok(DiffReport {
        diff: diff::render(&plan.changes, color),
        metadata_changes: plan.metadata_changes,
        summary: plan.report,
    })
}

/// Whether `write` without `force` would leave `out_dir` byte-for-byte as it is and report no
/// conflicts. Reads only. Errors (a foreign file in the way, say) mean `write` would fail too.
pub fn check(files: &FileSet, out_dir: &Path) -> Result<CheckReport, OutputError> {
    let plan = plan::plan(files, out_dir, false)?;
    Ok(CheckReport {
        in_sync: plan.is_noop(),
        drifted: plan::drifted(&plan),
        diff: diff::render(&plan.changes, false),
    })
}
