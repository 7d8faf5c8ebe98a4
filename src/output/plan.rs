//! Deciding, for every path, what a regeneration would do, without touching the disk.
//!
//! `write`, `diff` and `check` all start here, which is what makes them agree: `diff` prints
//! the plan, `check` asks whether the plan is empty, `write` carries it out. Computing the
//! whole plan first is also what lets a write refuse (foreign file, symlink escape, missing
//! merge base) before a single byte has changed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::Permissions;
use std::path::Path;

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

use super::paths::{self, Disk, Root};
use super::state::{self, BASE_DIR, FileRecord, STATE_FILE, State};
use super::{FileSet, OutputError, WriteReport};

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
    /// Generated files to write, then base copies; the state file is kept apart because it
    /// must be renamed into place last.
    pub writes: Vec<PlannedWrite>,
    pub state_write: Option<PlannedWrite>,
    /// Generated files to delete, then base copies to delete.
    pub deletes: Vec<String>,
    pub report: WriteReport,
    /// User-visible changes in path order, for `diff` and `check`.
    pub changes: Vec<Change>,
    /// Paths under `.chartwright/` that would be written or deleted.
    pub metadata_changes: Vec<String>,
}

impl Plan {
    pub fn is_noop(&self) -> bool {
        self.writes.is_empty()
            && self.state_write.is_none()
            && self.deletes.is_empty()
            && self.report.conflicted.is_empty()
    }
}

pub(crate) fn plan(files: &FileSet, out_dir: &Path, force: bool) -> Result<Plan, OutputError> {
    paths::validate_generated(files.paths())?;
    let root = Root::new(out_dir)?;
    let old_state = load_state(&root)?;
    let old_files = old_state
        .as_ref()
        .map(|s| s.files.clone())
        .unwrap_or_default();
    for rel in old_files.keys() {
        paths::validate_syntax(rel).map_err(|e| OutputError::CorruptState {
            path: root.join(STATE_FILE),
            message: e.to_string(),
        })?;
    }

    let mut report = WriteReport::default();
    let mut content_writes = Vec::new();
    let mut base_writes = Vec::new();
    let mut content_deletes = Vec::new();
    let mut base_deletes = Vec::new();
    let mut changes = Vec::new();
    let mut foreign = Vec::new();
    let mut new_records = BTreeMap::new();

    for (rel, new) in files.iter() {
        let new = new.as_bytes();
        let new_hash = state::sha256_hex(new);
        let recorded = old_files.get(rel).map(|r| r.sha256.as_str());
        new_records.insert(
            rel.to_owned(),
            FileRecord {
                sha256: new_hash.clone(),
            },
        );

        let outcome = match root.inspect(rel)? {
            Disk::Missing => Outcome::Write {
                contents: new.to_vec(),
                old: None,
                permissions: None,
                kind: Kind::Created,
            },
            Disk::File { bytes, permissions } => {
                let same = bytes == new;
                let edited = || recorded != Some(state::sha256_hex(&bytes).as_str());
                if same && recorded.is_none() {
                    // Byte-identical to what we would write: adopting it changes nothing on
                    // disk, and it is how an interrupted first write recovers (see mod docs).
                    Outcome::Keep { conflicted: false }
                } else if recorded.is_none() {
                    foreign.push(root.join(rel));
                    continue;
                } else if same {
                    Outcome::Keep { conflicted: false }
                } else if !edited() {
                    Outcome::write(new, bytes, permissions, Kind::Updated)
                } else if force {
                    Outcome::write(new, bytes, permissions, Kind::Overwritten)
                } else {
                    let base = load_base(&root, rel, recorded, &new_hash)?;
                    match merge(&base, &bytes, new) {
                        Ok(merged) if merged == bytes => Outcome::Keep {
                            conflicted: has_conflict_markers(&merged),
                        },
                        Ok(merged) => {
                            let kind = if has_conflict_markers(&merged) {
                                Kind::Conflicted
                            } else {
                                Kind::Merged
                            };
                            Outcome::write(&merged, bytes, permissions, kind)
                        }
                        Err(conflict) => {
                            Outcome::write(&conflict, bytes, permissions, Kind::Conflicted)
                        }
                    }
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

        // The base copy always holds the latest rendering.
        let base_rel = state::base_path(rel);
        let base_current = match root.inspect(&base_rel)? {
            Disk::File { bytes, .. } => bytes == new,
            Disk::Missing => false,
        };
        if !base_current {
            base_writes.push(PlannedWrite {
                rel: base_rel,
                contents: new.to_vec(),
                permissions: None,
            });
        }
    }

    if !foreign.is_empty() {
        return Err(OutputError::ForeignFiles { paths: foreign });
    }

    // Files generated last time and not this time.
    for (rel, record) in &old_files {
        if files.get(rel).is_some() {
            continue;
        }
        match root.inspect(rel) {
            Ok(Disk::File { bytes, .. }) => {
                let edited = state::sha256_hex(&bytes) != record.sha256;
                if edited && !force {
                    report.kept_edited.push(rel.clone());
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

    // Anything in the base folder that is not the base of a file generated now: bases of
    // removed files, and strays. The folder is chartwright's, so nothing else belongs there.
    for base_rel in root.list_files(BASE_DIR)? {
        let generated = &base_rel[BASE_DIR.len() + 1..];
        if files.get(generated).is_none() {
            base_deletes.push(base_rel);
        }
    }

    let new_state = State::new(new_records).to_bytes();
    let state_current = matches!(
        root.inspect(STATE_FILE)?,
        Disk::File { ref bytes, .. } if *bytes == new_state
    );
    let state_write = (!state_current).then(|| PlannedWrite {
        rel: STATE_FILE.to_owned(),
        contents: new_state,
        permissions: None,
    });

    let mut metadata_changes: Vec<String> = base_writes
        .iter()
        .map(|w| w.rel.clone())
        .chain(base_deletes.iter().cloned())
        .chain(state_write.iter().map(|w| w.rel.clone()))
        .collect();
    metadata_changes.sort();
    changes.sort_by(|a, b| a.rel.cmp(&b.rel));
    for list in [
        &mut report.deleted,
        &mut report.kept_edited,
        &mut report.overwritten_edits,
    ] {
        list.sort();
    }

    let mut writes = content_writes;
    writes.extend(base_writes);
    let mut deletes = content_deletes;
    deletes.extend(base_deletes);
    Ok(Plan {
        root,
        writes,
        state_write,
        deletes,
        report,
        changes,
        metadata_changes,
    })
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

fn load_state(root: &Root) -> Result<Option<State>, OutputError> {
    match root.inspect(STATE_FILE)? {
        Disk::Missing => Ok(None),
        Disk::File { bytes, .. } => State::parse(&bytes, &root.join(STATE_FILE)).map(Some),
    }
}

/// The base for merging an edited file. It must be what the state says was rendered last
/// time; a base already equal to the new rendering is accepted too, because that is what an
/// interrupted write leaves behind (bases are renamed into place before the state file), and
/// merging against it keeps the disk content as it is, which is right in that case.
fn load_base(
    root: &Root,
    rel: &str,
    recorded: Option<&str>,
    new_hash: &str,
) -> Result<Vec<u8>, OutputError> {
    let base_rel = state::base_path(rel);
    let missing = || OutputError::MissingBase {
        path: root.join(rel),
        base: root.join(&base_rel),
    };
    match root.inspect(&base_rel) {
        Ok(Disk::File { bytes, .. }) => {
            let hash = state::sha256_hex(&bytes);
            if Some(hash.as_str()) == recorded || hash == new_hash {
                Ok(bytes)
            } else {
                Err(missing())
            }
        }
        Ok(Disk::Missing) | Err(OutputError::NotAFile { .. }) => Err(missing()),
        Err(e) => Err(e),
    }
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

/// Paths that the plan mentions, for reporting which user files `check` found drifted.
pub(crate) fn drifted(plan: &Plan) -> Vec<String> {
    let r = &plan.report;
    let set: BTreeSet<String> = r
        .created
        .iter()
        .chain(&r.updated)
        .chain(&r.merged)
        .chain(&r.conflicted)
        .chain(&r.deleted)
        .chain(&plan.metadata_changes)
        .cloned()
        .collect();
    set.into_iter().collect()
}
