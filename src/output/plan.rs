//! Deciding, for every path, what a regeneration would do, without touching the disk.
//!
//! `write`, `diff` and `check` all start here, which is what makes them agree: `diff` prints
//! the plan, `check` asks whether the plan is empty, `write` carries it out. Computing the
//! whole plan first is also what lets a write refuse (foreign file, symlink escape, missing
//! merge base) before a single byte has changed.

use std::collections::BTreeSet;
use std::fs::Permissions;
use std::path::Path;

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

use super::paths::{self, Disk, Root};
use super::state::{
    self, BASE_DIR, GITATTRIBUTES, GITATTRIBUTES_FILE, GITIGNORE, GITIGNORE_FILE,
    LEGACY_STATE_FILE, PENDING_FILE, Record, STATE_FILE,
};
use super::{FileSet, OutputError, WriteOptions, WriteReport};

/// One file to be replaced or created with new contents.
pub(crate) struct PlannedWrite {
    pub rel: String,
    pub contents: Vec<u8>,
    /// Mode of the file being replaced, kept so a user's `chmod` survives regeneration.
    pub permissions: Option<Permissions>,
}

/// A change to a user-visible file, kept for rendering diffs.
pub(crate) struct Change {
    pub rel: String,
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
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
    /// User-visible changes in path order, for `diff` and `check`.
    pub changes: Vec<Change>,
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
            && self.record_issues.is_empty()
    }

    /// Whether `write` has anything at all to do on disk.
    pub fn writes_anything(&self) -> bool {
        !self.writes.is_empty() || self.state_write.is_some() || !self.deletes.is_empty()
    }
}

pub(crate) fn plan(
    files: &FileSet,
    out_dir: &Path,
    opts: &WriteOptions,
) -> Result<Plan, OutputError> {
    let force = opts.force;
    let adopt = opts.adopt;
    paths::validate_generated(files.paths())?;
    let root = Root::new(out_dir)?;
    let loaded = load_record(&root, adopt)?;
    let old = &loaded.record;

    let mut report = WriteReport::default();
    let mut base_writes = Vec::new();
    let mut content_writes = Vec::new();
    let mut content_deletes = Vec::new();
    let mut changes = Vec::new();
    let mut foreign = Vec::new();
    let mut unrecorded = Vec::new();
    let mut new_record = Record::default();
    let blobs = list_blobs(&root)?;

    for (rel, new) in files.iter() {
        let new = new.as_bytes();
        let new_hash = state::sha256_hex(new);
        let recorded = old.files.get(rel);
        new_record
            .files
            .entry(rel.to_owned())
            .or_default()
            .insert(new_hash.clone());
        // The base copy always holds the latest rendering. One recorded hash equal to the
        // rendering means it already does; otherwise (a crash, a git merge, a first run) it
        // is read and compared.
        let key = state::base_key(rel);
        let base_rel = state::blob_path(&key);
        let base_current = blobs.valid.contains(&key)
            && match recorded {
                Some(r) if r.len() == 1 && r.contains(&new_hash) => true,
                _ => {
                    matches!(root.inspect(&base_rel)?, Disk::File { ref bytes, .. } if bytes == new)
                }
            };
        if !base_current {
            base_writes.push(PlannedWrite {
                rel: base_rel.clone(),
                contents: new.to_vec(),
                permissions: None,
            });
        }

        let outcome = match root.inspect(rel)? {
            Disk::Missing => Outcome::Write {
                contents: new.to_vec(),
                old: None,
                permissions: None,
                kind: Kind::Created,
            },
            Disk::File { bytes, permissions } => {
                if bytes == new {
                    // Byte-identical to what we would write: adopting it changes nothing on
                    // disk. Not recorded yet means the record is incomplete (drift for
                    // `check`), never an edit.
                    if recorded.is_none() {
                        unrecorded.push(rel.to_owned());
                    }
                    Outcome::Keep { conflicted: false }
                } else if let Some(recorded) = recorded {
                    let edited = !recorded.contains(&state::sha256_hex(&bytes))
                        && !same_as_base(&root, &base_rel, &blobs, &key, &bytes)?;
                    if !edited {
                        Outcome::write(new, bytes, permissions, Kind::Updated)
                    } else if force {
                        Outcome::write(new, bytes, permissions, Kind::Overwritten)
                    } else {
                        let bases = load_bases(&root, rel, &blobs, loaded.legacy)?;
                        if bases.is_empty() && adopt {
                            report.adopted_edits.push(rel.to_owned());
                            Outcome::Keep { conflicted: false }
                        } else if bases.is_empty() {
                            return Err(OutputError::MissingBase {
                                path: root.join(rel),
                                base: root.join(&base_rel),
                            });
                        } else {
                            merge_outcome(&bases, bytes, new, permissions)
                        }
                    }
                } else if adopt {
                    // Not known to be chartwright's, and different: kept exactly as it is
                    // and, from now on, treated as the user's edit of this rendering.
                    report.adopted_edits.push(rel.to_owned());
                    Outcome::Keep { conflicted: false }
                } else {
                    foreign.push(root.join(rel));
                    continue;
                }
            }
        };

        match outcome {
            Outcome::Keep { conflicted } => {
                if conflicted {
                    report.conflicted.push(rel.to_owned());
                } else {
                    report.unchanged.push(rel.to_owned());
                }
            }
            Outcome::Write {
                contents,
                old,
                permissions,
                kind,
            } => {
                let list = match kind {
                    Kind::Created => &mut report.created,
                    Kind::Updated => &mut report.updated,
                    Kind::Overwritten => {
                        report.overwritten_edits.push(rel.to_owned());
                        &mut report.updated
                    }
                    Kind::Merged => &mut report.merged,
                    Kind::Conflicted => &mut report.conflicted,
                };
                list.push(rel.to_owned());
                changes.push(Change {
                    rel: rel.to_owned(),
                    old,
                    new: Some(contents.clone()),
                });
                content_writes.push(PlannedWrite {
                    rel: rel.to_owned(),
                    contents,
                    permissions,
                });
            }
        }
    }

    if !foreign.is_empty() {
        return Err(OutputError::ForeignFiles { paths: foreign });
    }

    // Files generated before and not now. An edited one is kept, and stays recorded (with its
    // base) so that it keeps being reported, and so that generating it again (a service
    // renamed back) merges the edit instead of refusing the file as foreign.
    for (rel, hashes) in &old.files {
        if files.get(rel).is_some() {
            continue;
        }
        match root.inspect(rel) {
            Ok(Disk::File { bytes, .. }) => {
                let key = state::base_key(rel);
                let edited = !hashes.contains(&state::sha256_hex(&bytes))
                    && !same_as_base(&root, &state::blob_path(&key), &blobs, &key, &bytes)?;
                if edited && !force {
                    report.kept_edited.push(rel.clone());
                    new_record.files.insert(rel.clone(), hashes.clone());
                } else {
                    if edited {
                        report.overwritten_edits.push(rel.clone());
                    }
                    report.deleted.push(rel.clone());
                    content_deletes.push(rel.clone());
                    changes.push(Change {
                        rel: rel.clone(),
                        old: Some(bytes),
                        new: None,
                    });
                }
            }
            // Already gone, or replaced by something that is no longer ours to delete.
            Ok(Disk::Missing) | Err(OutputError::NotAFile { .. }) => {}
            Err(OutputError::NotADirectory { .. }) => {}
            Err(e) => return Err(e),
        }
    }

    new_record.inputs = opts.inputs.clone().unwrap_or_else(|| old.inputs.clone());

    // Base copies of paths no longer recorded, and anything else in the base folder
    // (format-1 base copies, strays): the folder is chartwright's, so nothing else belongs
    // there. Base copies are named by their path, not their contents: a regeneration modifies
    // them in place, so git merges them like the files themselves. (Content-addressed blobs
    // are deleted and added on every change, which git's rename detection pairs into
    // rename/rename conflicts when two branches change a shared file such as
    // docker-compose.yml.)
    let keys: BTreeSet<String> = new_record
        .files
        .keys()
        .map(|p| state::base_key(p))
        .collect();
    let mut store_deletes: Vec<String> = blobs.strays.clone();
    for key in &blobs.valid {
        if !keys.contains(key) {
            store_deletes.push(state::blob_path(key));
        }
    }
    if loaded.legacy {
        store_deletes.push(LEGACY_STATE_FILE.to_owned());
    }

    let mut record_issues = Vec::new();
    if loaded.had_pending {
        record_issues.push(format!(
            "an earlier generate was interrupted before it finished ({PENDING_FILE} is present)"
        ));
    }
    if loaded.legacy {
        record_issues.push(format!(
            "the record is in chartwright 0.1's layout ({LEGACY_STATE_FILE} and full base copies), which generate converts"
        ));
    }
    if !unrecorded.is_empty() {
        record_issues.push(format!(
            "generated files not recorded in {STATE_FILE}: {}",
            unrecorded.join(", ")
        ));
    }
    if let Some(inputs) = &opts.inputs
        && *inputs != old.inputs
        && loaded.exists
    {
        record_issues.push(format!(
            "the remembered inputs change from [{}] to [{}]",
            describe(&old.inputs),
            describe(inputs)
        ));
    }
    if opts.inputs.is_none() && !old.ambiguous_inputs.is_empty() {
        record_issues.push(format!(
            "the record names different inputs ({}), probably from a merge: choose with --defaults / --templates",
            old.ambiguous_inputs.join("; ")
        ));
    }
    let no_base: Vec<&str> = files
        .paths()
        .filter(|rel| {
            old.files
                .get(*rel)
                .is_some_and(|_| !blobs.valid.contains(&state::base_key(rel)))
        })
        .collect();
    if !no_base.is_empty() && !loaded.legacy {
        record_issues.push(format!(
            "no base copy under {BASE_DIR}/ for {} recorded file(s), e.g. {}",
            no_base.len(),
            no_base[0]
        ));
    }

    let mut meta_writes = Vec::new();
    for (rel, text) in [
        (GITATTRIBUTES_FILE, GITATTRIBUTES),
        (GITIGNORE_FILE, GITIGNORE),
    ] {
        let current =
            matches!(root.inspect(rel)?, Disk::File { ref bytes, .. } if bytes == text.as_bytes());
        if !current {
            if loaded.exists && !loaded.legacy {
                record_issues.push(format!("{rel} is missing or changed"));
            }
            meta_writes.push(PlannedWrite {
                rel: rel.to_owned(),
                contents: text.as_bytes().to_vec(),
                permissions: None,
            });
        }
    }

    let new_state = new_record.to_text().into_bytes();
    let state_current = matches!(
        root.inspect(STATE_FILE)?,
        Disk::File { ref bytes, .. } if *bytes == new_state
    );
    let state_write =
        (!state_current || loaded.had_pending || loaded.legacy).then(|| PlannedWrite {
            rel: STATE_FILE.to_owned(),
            contents: new_state,
            permissions: None,
        });

    if opts.inputs.is_some() && new_record.inputs != old.inputs && loaded.exists {
        changes.push(Change {
            rel: STATE_FILE.to_owned(),
            old: Some(state::inputs_text(&old.inputs).into_bytes()),
            new: Some(state::inputs_text(&new_record.inputs).into_bytes()),
        });
    }

    let mut metadata_changes: Vec<String> = meta_writes
        .iter()
        .map(|w| w.rel.clone())
        .chain(state_write.iter().map(|w| w.rel.clone()))
        .collect();
    if loaded.legacy {
        metadata_changes.push(LEGACY_STATE_FILE.to_owned());
    }
    if loaded.had_pending {
        metadata_changes.push(PENDING_FILE.to_owned());
    }
    if !base_writes.is_empty() || !store_deletes.is_empty() {
        metadata_changes.push(format!("{BASE_DIR}/"));
    }
    metadata_changes.sort();
    metadata_changes.dedup();
    changes.sort_by(|a, b| a.rel.cmp(&b.rel));
    for list in [
        &mut report.deleted,
        &mut report.kept_edited,
        &mut report.overwritten_edits,
        &mut report.adopted_edits,
    ] {
        list.sort();
    }

    let content_changes = content_writes.len() + content_deletes.len();
    let mut writes = content_writes;
    writes.extend(base_writes);
    writes.extend(meta_writes);
    let mut deletes = content_deletes;
    deletes.extend(store_deletes);
    let mut old_record = loaded.record;
    old_record.inputs = new_record.inputs.clone();
    Ok(Plan {
        root,
        writes,
        state_write,
        deletes,
        report,
        changes,
        metadata_changes,
        record_issues,
        unrecorded,
        old_record,
        new_record,
        had_pending: loaded.had_pending,
        content_changes,
    })
}

fn describe(inputs: &state::RecordedInputs) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &inputs.defaults {
        parts.push(format!("defaults {d}"));
    }
    if let Some(t) = &inputs.templates {
        parts.push(format!("templates {t}"));
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Three-way merges `ours` (the file on disk) with the new rendering. After a git merge or an
/// interrupted run a file can have several recorded renderings; the edit was most likely made
/// against the one it differs from least, so bases are tried in that order, and the first
/// clean merge wins.
fn merge_outcome(
    bases: &[Vec<u8>],
    ours: Vec<u8>,
    new: &[u8],
    permissions: Permissions,
) -> Outcome {
    let mut ordered: Vec<(usize, &Vec<u8>)> =
        bases.iter().map(|b| (changed_lines(b, &ours), b)).collect();
    ordered.sort_by_key(|(distance, _)| *distance);
    let mut first_conflict = None;
    for (_, base) in ordered {
        match merge(base, &ours, new) {
            Ok(merged) if has_conflict_markers(&merged) && merged != ours => {
                first_conflict.get_or_insert(merged);
            }
            Ok(merged) => {
                return if merged == ours {
                    Outcome::Keep {
                        conflicted: has_conflict_markers(&merged),
                    }
                } else if merged == new {
                    // The edit is already part of the new rendering: nothing of it is left to
                    // keep, so this is a plain update.
                    Outcome::write(&merged, ours, permissions, Kind::Updated)
                } else {
                    Outcome::write(&merged, ours, permissions, Kind::Merged)
                };
            }
            Err(conflict) => {
                first_conflict.get_or_insert(conflict);
            }
        }
    }
    let conflict = first_conflict.expect("at least one base");
    Outcome::write(&conflict, ours, permissions, Kind::Conflicted)
}

enum Kind {
    Created,
    Updated,
    Overwritten,
    Merged,
    Conflicted,
}

enum Outcome {
    Keep {
        conflicted: bool,
    },
    Write {
        contents: Vec<u8>,
        old: Option<Vec<u8>>,
        permissions: Option<Permissions>,
        kind: Kind,
    },
}

impl Outcome {
    fn write(contents: &[u8], old: Vec<u8>, permissions: Permissions, kind: Kind) -> Self {
        Outcome::Write {
            contents: contents.to_vec(),
            old: Some(old),
            permissions: Some(permissions),
            kind,
        }
    }
}

/// What the output directory records, from whichever of the state, the format-1 record and
/// an interrupted run's pending file exist.
struct Loaded {
    record: Record,
    /// A record of any kind exists.
    exists: bool,
    legacy: bool,
    had_pending: bool,
}

fn load_record(root: &Root, lenient: bool) -> Result<Loaded, OutputError> {
    let mut loaded = Loaded {
        record: Record::default(),
        exists: false,
        legacy: false,
        had_pending: false,
    };
    let read = |rel: &str| -> Result<Option<Vec<u8>>, OutputError> {
        match root.inspect(rel) {
            Ok(Disk::File { bytes, .. }) => Ok(Some(bytes)),
            Ok(Disk::Missing) => Ok(None),
            Err(_) if lenient => Ok(None),
            Err(e) => Err(e),
        }
    };
    if let Some(bytes) = read(STATE_FILE)? {
        loaded.exists = true;
        let text = String::from_utf8_lossy(&bytes);
        match Record::parse(&text, &root.join(STATE_FILE), lenient) {
            Ok(r) => loaded.record = r,
            Err(_) if lenient => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(bytes) = read(LEGACY_STATE_FILE)? {
        loaded.exists = true;
        loaded.legacy = true;
        match Record::parse_legacy(&bytes, &root.join(LEGACY_STATE_FILE)) {
            Ok(r) => loaded.record.add(&r),
            Err(_) if lenient => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(bytes) = read(PENDING_FILE)? {
        loaded.had_pending = true;
        let text = String::from_utf8_lossy(&bytes);
        match Record::parse(&text, &root.join(PENDING_FILE), true) {
            Ok(r) => {
                loaded.record.add(&r);
                if !loaded.exists {
                    loaded.record.inputs = r.inputs;
                }
            }
            Err(_) if lenient => {}
            Err(e) => return Err(e),
        }
        loaded.exists = true;
    }
    Ok(loaded)
}

/// The base store's contents: the well-named base copies (by path key) and everything else
/// below it (`strays`: format-1 base copies, files nobody should have put there).
struct Blobs {
    valid: BTreeSet<String>,
    strays: Vec<String>,
}

fn list_blobs(root: &Root) -> Result<Blobs, OutputError> {
    let mut blobs = Blobs {
        valid: BTreeSet::new(),
        strays: Vec::new(),
    };
    for rel in root.list_files(BASE_DIR)? {
        match state::blob_hash(&rel) {
            Some(key) => {
                blobs.valid.insert(key.to_owned());
            }
            None => blobs.strays.push(rel),
        }
    }
    Ok(blobs)
}

/// Whether `bytes` equal the base copy: after a git merge of two branches' renderings of a
/// shared file, the file and its base copy were merged alike, and neither hash is recorded.
fn same_as_base(
    root: &Root,
    base_rel: &str,
    blobs: &Blobs,
    key: &str,
    bytes: &[u8],
) -> Result<bool, OutputError> {
    if !blobs.valid.contains(key) {
        return Ok(false);
    }
    match root.inspect(base_rel) {
        Ok(Disk::File { bytes: base, .. }) => Ok(base == bytes),
        Ok(Disk::Missing) | Err(OutputError::NotAFile { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The base an edited file is merged against: its base copy, or the format-1 base copy when
/// converting an old record.
fn load_bases(
    root: &Root,
    rel: &str,
    blobs: &Blobs,
    legacy: bool,
) -> Result<Vec<Vec<u8>>, OutputError> {
    let mut out = Vec::new();
    let key = state::base_key(rel);
    let mut candidates = Vec::new();
    if blobs.valid.contains(&key) {
        candidates.push(state::blob_path(&key));
    }
    if legacy {
        candidates.push(state::legacy_base_path(rel));
    }
    for base_rel in candidates {
        match root.inspect(&base_rel) {
            Ok(Disk::File { bytes, .. }) => {
                if !out.contains(&bytes) {
                    out.push(bytes);
                }
            }
            Ok(Disk::Missing) | Err(OutputError::NotAFile { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn changed_lines(a: &[u8], b: &[u8]) -> usize {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    // diffy, the crate that draws the diffs and merges: one diff engine.
    diffy::create_patch(a.as_ref(), b.as_ref())
        .hunks()
        .iter()
        .flat_map(|h| h.lines())
        .filter(|l| !matches!(l, diffy::Line::Context(_)))
        .count()
}

/// Three-way merge with git's conflict layout (`<<<<<<< ours` is the file on disk,
/// `>>>>>>> theirs` the new rendering), so editors and people recognise the markers.
fn merge(base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let mut options = MergeOptions::new();
    options
        .set_conflict_style(ConflictStyle::Merge)
        .set_incomplete_hunk_style(IncompleteHunkStyle::Git);
    options.merge_bytes(base, ours, theirs)
}

/// A file whose conflict has not been resolved yet. The new rendering is recorded as the base
/// even for a conflicted file (so that a resolution is not re-conflicted against stale text);
/// that means the next merge would keep the markers as a "user edit", so they are looked for
/// explicitly and the file keeps being reported as conflicted until they are gone.
fn has_conflict_markers(text: &[u8]) -> bool {
    let mut open = false;
    let mut separator = false;
    for line in text.split(|&b| b == b'\n') {
        if line.starts_with(b"<<<<<<< ") || line == b"<<<<<<<" {
            open = true;
        } else if open && (line == b"=======" || line == b"=======\r") {
            separator = true;
        } else if separator && (line.starts_with(b">>>>>>> ") || line == b">>>>>>>") {
            return true;
        }
    }
    false
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
        .chain(&plan.unrecorded)
        .cloned()
        .collect();
    if plan.record_issues.len() > usize::from(!plan.unrecorded.is_empty()) {
        set.insert(STATE_FILE.to_owned());
    }
    set.into_iter().collect()
}
