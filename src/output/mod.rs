//! Output: the rendered file set written atomically, diffed against the tree on disk, or
//! checked.
//!
//! Generated trees are committed and then regenerated, often in CI, often after someone has
//! hand-edited a file, sometimes on two branches at once. So the output stage treats the
//! output directory as shared: it records what it generated (`.chartwright/state`, plus the
//! last rendering of every file under `.chartwright/base/`), replaces only files nobody
//! edited, three-way merges the ones that were edited (like copier), refuses to overwrite
//! files it never wrote, and never deletes an edited file. Everything it will do is decided
//! before anything is written, so a refusal leaves the tree untouched, and `diff` and `check`
//! report exactly what `write` would do.
//!
//! # Regeneration rules
//!
//! For each generated path, comparing the file on disk with the record and the new rendering:
//!
//! | on disk | outcome |
//! | --- | --- |
//! | missing | created |
//! | identical to the new rendering | unchanged (recorded if it was not; `check` counts a missing record as drift) |
//! | a recorded rendering (any of its hashes), or equal to its base copy | updated |
//! | edited | three-way merged against its base copy: merged, unchanged, or conflicted (git-style markers written, listed in the report); with `force`, overwritten |
//! | not recorded, and different | refused: [`OutputError::ForeignFiles`], nothing written; with `adopt`, kept as it is and treated as an edit of the rendering from then on |
//!
//! Previously generated paths that are no longer generated are deleted when unedited (or with
//! `force`); edited ones are kept, reported on every run, and stay recorded (with their base
//! copy), so that generating the path again, as when a renamed service is renamed back, merges
//! the edit instead of refusing the file. Files chartwright never generated and that are not
//! in the way are never read, written or deleted.
//!
//! # Derived files
//!
//! A [`Source`] hands the files over unit by unit (a service's chart, say), and a unit may
//! have files derived from its own (`k8s/<env>/<service>.yaml`, rendered from the chart). The
//! planner decides a unit's own files first and then asks for the derived ones, handing over
//! those files as the run will leave them, kept hand edits included: an edit in the chart
//! therefore reaches the derived file by the same run. An edit of a derived file cannot reach
//! its sources; it is kept like any edit, listed in [`WriteReport::derived_edits`], and it is
//! drift for `check`.
//!
//! # Concurrent and interrupted runs
//!
//! `write` holds an exclusive lock on `.chartwright/lock` (a `flock`-style lock the kernel
//! drops when the process dies); a second run fails at once with [`OutputError::Locked`],
//! and `check`/`diff` take it shared. Before the first file is replaced, `write` puts the
//! union of the old and new record in `.chartwright/pending` (made durable); it is removed
//! after the new state is in place. A run killed in between therefore leaves every file either
//! an old or a new rendering that the record knows: the next `generate` (with either spec)
//! replaces such files instead of taking them for edits, and removes the killed run's
//! temporaries; until then `check` reports drift ("interrupted").
//!
//! # State format
//!
//! `.chartwright/state` (format 2) is text: three `#` header lines (format, chartwright
//! version, a pointer to `--adopt`), `#defaults <path>` and `#templates <path>` for the
//! remembered `--defaults` and `--templates` (relative to the output directory), then one
//! `<sha256>  <path>` line per generated file, sorted by path (the layout `sha256sum -c`
//! reads). The hash is that of the rendered text, even when a merge put something else on
//! disk, so a merged file keeps counting as edited. `.chartwright/.gitattributes` asks git to
//! merge the state with its built-in `union` driver: two branches never conflict on it, and a
//! path may then be listed with several hashes, any of which counts as chartwright's. Base
//! copies are `.chartwright/base/<2 hex>/<sha256 of the path>`, modified in place, so git
//! merges them like the files. Everything under `.chartwright/` except `lock` is meant to be
//! committed. A format-1 tree (`state.json`, base copies at their output paths) is read and
//! converted by the next `write`; a lost or damaged state is rebuilt with
//! [`WriteOptions::adopt`].
//!
//! `check` is in sync when no user-visible file would change, nothing conflicts, no kept edit
//! waits for a decision, and the record is complete (no interrupted run, no format-1 layout,
//! every generated file recorded with a base copy, the same remembered inputs). What `write`
//! may still tidy without it being drift: superseded hashes a git merge left, the version in
//! the header, stray files in the base folder.
//!
//! Exit codes are the CLI's business; the intended mapping is: `write` → 0, or 1 when
//! [`WriteReport::conflicted`] is non-empty; `check` → 0 in sync, 1 drifted;
//! [`OutputError::Locked`], [`OutputError::Io`] and [`OutputError::Interrupted`] → 3; any
//! other [`OutputError`] → 2.

mod commit;
mod decide;
mod diff;
mod durable;
mod error;
mod existing;
mod fileset;
mod finish;
mod lock;
mod merge;
mod paths;
mod plan;
mod source;
mod spool;
mod state;
mod write;

use std::path::Path;

use serde::Serialize;

pub use error::OutputError;
pub use fileset::FileSet;
pub use source::Source;
pub use state::{
    BASE_DIR, FORMAT, GITATTRIBUTES_FILE, LEGACY_STATE_FILE, LOCK_FILE, PENDING_FILE,
    RecordedInputs, STATE_FILE,
};

#[doc(hidden)]
pub use commit::Fault;

/// How `write` treats files the user has edited, and what it records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace edited generated files with the new rendering instead of merging, and delete
    /// edited files that are no longer generated. Each such file is listed in
    /// [`WriteReport::overwritten_edits`]. Files chartwright never generated are still refused.
    pub force: bool,
    /// Rebuild a lost or damaged record from the tree: a file at a generated path that equals
    /// the rendering is adopted; one that differs (and has no usable record or base) is kept
    /// exactly as it is and from then on treated as the user's edit of the rendering
    /// ([`WriteReport::adopted_edits`]). Unreadable lines of the state are skipped.
    pub adopt: bool,
    /// The inputs to remember in the state (paths relative to the output directory); `None`
    /// keeps whatever the state already remembers.
    pub inputs: Option<RecordedInputs>,
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
    /// Files no longer generated but left in place because they were edited. They stay in
    /// the record (so they keep being reported, `check` fails on them, and generating the same
    /// path again merges the edit) until you delete them or `force` does.
    pub kept_edited: Vec<String>,
    /// Files left as they were: identical to the rendering, or edited in a way the new
    /// rendering does not affect.
    pub unchanged: Vec<String>,
    /// Edited files whose edits `force` discarded: a subset of `updated` and `deleted`.
    pub overwritten_edits: Vec<String>,
    /// Files `adopt` found different from the rendering with no record to tell why: left
    /// exactly as they were and treated as your edits from now on (a subset of `unchanged`).
    /// Delete one and run `generate` to take the rendering instead.
    pub adopted_edits: Vec<String>,
    /// Edited files that are derived from other generated files (`k8s/<env>/<service>.yaml`,
    /// rendered from the service's chart): the edit is kept, but it cannot reach the files the
    /// derived one comes from, so the two outputs disagree. `check` counts them as drift.
    /// Make the edit in the sources (the chart) instead, then delete this file and regenerate.
    pub derived_edits: Vec<String>,
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
    /// Files under `.chartwright/` that would be written or deleted (not diffed; the blob
    /// store appears once, as `.chartwright/base/`).
    pub metadata_changes: Vec<String>,
}

/// Whether the output directory is exactly what `generate` would produce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub in_sync: bool,
    /// Sorted user-visible paths `generate` would create, change, delete or leave
    /// conflicted, edited files no longer generated, generated files missing from the record,
    /// and `.chartwright/state` when the record itself is out of date (see `record`). User
    /// edits that merge cleanly and are unaffected by the new rendering are not drift; nor is
    /// tidying the record (base blobs, hashes a git merge left behind).
    pub drifted: Vec<String>,
    /// Uncoloured unified diff of the drifted generated files.
    pub diff: String,
    /// Why the record under `.chartwright/` is out of date, one sentence each (an interrupted
    /// run, an old layout, unrecorded files, changed inputs).
    pub record: Vec<String>,
    /// Hand edits of derived files (`k8s/<env>/<service>.yaml`) that cannot reach the files
    /// they are rendered from (the chart); see [`WriteReport::derived_edits`]. Drift.
    pub derived_edits: Vec<String>,
}

/// Writes `files` into `out_dir` (created if missing), applying the regeneration rules in the
/// module documentation. Conflicts are not errors: check [`WriteReport::has_conflicts`].
///
/// Holds the exclusive lock on `out_dir` throughout ([`OutputError::Locked`] if another run
/// has it). Every file is replaced atomically (temporary file in the same directory, made
/// durable, renamed; the syncs are issued together, see `commit`). On `Err` nothing was written,
/// with one exception:
/// [`OutputError::Interrupted`], when a rename failed after others succeeded. Each file is then
/// either old or new, `.chartwright/pending` says which renderings may be on disk, and running
/// `write` again completes the job.
pub fn write<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    opts: &WriteOptions,
) -> Result<WriteReport, S::Error> {
    write_with_fault(source, out_dir, opts, None)
}

/// `write`, failing on purpose at `fault`: for tests of the atomicity guarantees.
#[doc(hidden)]
pub fn write_with_fault<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    opts: &WriteOptions,
    fault: Option<Fault>,
) -> Result<WriteReport, S::Error> {
    // A .chartwright that leads elsewhere is refused before the lock creates anything (bad
    // generated paths are refused by the plan, and the lock then removes what it created).
    paths::Root::new(out_dir)?.inspect_dir(state::STATE_DIR)?;
    let lock = lock::Lock::exclusive(out_dir)?;
    let mut wrote = false;
    let result = plan::plan(source, out_dir, opts, plan::Mode::Write)
        .and_then(|plan| Ok(write::carry_out(plan, fault, &mut wrote)?));
    lock.release(wrote);
    result
}

/// The inputs the last `generate` into `out_dir` remembered, for a plain run to repeat.
/// Ambiguous inputs (two branches' records merged) are an error asking for a flag.
pub fn recorded_inputs(out_dir: &Path) -> Result<RecordedInputs, OutputError> {
    let root = paths::Root::new(out_dir)?;
    for rel in [STATE_FILE, PENDING_FILE] {
        let bytes = match root.inspect(rel)? {
            paths::Disk::File { bytes, .. } => bytes,
            paths::Disk::Missing => continue,
        };
        let record = state::Record::parse(&String::from_utf8_lossy(&bytes), &root.join(rel), true)?;
        if !record.ambiguous_inputs.is_empty() {
            return Err(OutputError::CorruptState {
                path: root.join(rel),
                message: format!(
                    "it remembers different inputs ({}), probably from a merge of two branches; choose with --defaults / --templates (or --no-defaults / --no-templates)",
                    record.ambiguous_inputs.join("; ")
                ),
            });
        }
        return Ok(record.inputs);
    }
    Ok(RecordedInputs::default())
}

/// What `write` without `force` would change, as unified diffs; ANSI red/green only when
/// `color` is set. Reads only.
pub fn diff<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    color: bool,
) -> Result<DiffReport, S::Error> {
    diff_with(source, out_dir, color, &WriteOptions::default())
}

/// `diff` with the options `generate` would use (the inputs it would record, `adopt`).
pub fn diff_with<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    color: bool,
    opts: &WriteOptions,
) -> Result<DiffReport, S::Error> {
    paths::Root::new(out_dir)?.inspect_dir(state::STATE_DIR)?;
    let _lock = lock::Lock::shared(out_dir)?;
    let plan = plan::plan(source, out_dir, opts, plan::Mode::Diff { color })?;
    Ok(DiffReport {
        diff: plan.diff,
        metadata_changes: plan.metadata_changes,
        summary: plan.report,
    })
}

/// Whether `write` without `force` would leave every user-visible file as it is, report no
/// conflict or kept edit, and find its record complete. Reads only. Errors (a foreign file in
/// the way, say) mean `write` would fail too.
pub fn check<S: Source + ?Sized>(source: &S, out_dir: &Path) -> Result<CheckReport, S::Error> {
    check_with(source, out_dir, &WriteOptions::default())
}

/// `check` against the inputs `generate` would record (`opts.inputs`).
pub fn check_with<S: Source + ?Sized>(
    source: &S,
    out_dir: &Path,
    opts: &WriteOptions,
) -> Result<CheckReport, S::Error> {
    paths::Root::new(out_dir)?.inspect_dir(state::STATE_DIR)?;
    let _lock = lock::Lock::shared(out_dir)?;
    let opts = WriteOptions {
        force: false,
        ..opts.clone()
    };
    let plan = plan::plan(source, out_dir, &opts, plan::Mode::Diff { color: false })?;
    Ok(CheckReport {
        in_sync: plan.is_noop(),
        drifted: plan::drifted(&plan),
        record: plan.record_issues.clone(),
        derived_edits: plan.report.derived_edits.clone(),
        diff: plan.diff,
    })
}
