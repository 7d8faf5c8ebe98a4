//! Three-way merges of a hand-edited generated file with its new rendering, and how the result
//! is classified (kept, merged, conflicted).

use std::fs::Permissions;

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

/// Three-way merges `ours` (the file on disk) with the new rendering. After a git merge or an
/// interrupted run a file can have several recorded renderings; the edit was most likely made
/// against the one it differs from least, so bases are tried in that order, and the first
/// clean merge wins.
pub(super) fn merge_outcome(
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
                        edited: Some(ours),
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

pub(super) enum Kind {
    Created,
    Updated,
    Overwritten,
    Merged,
    Conflicted,
}

pub(super) enum Outcome {
    /// The file stays as it is; `edited` holds it when it differs from the rendering.
    Keep {
        conflicted: bool,
        edited: Option<Vec<u8>>,
    },
    Write {
        contents: Vec<u8>,
        old: Option<Vec<u8>>,
        permissions: Option<Permissions>,
        kind: Kind,
    },
}

impl Outcome {
    pub(super) fn write(
        contents: &[u8],
        old: Vec<u8>,
        permissions: Permissions,
        kind: Kind,
    ) -> Self {
        Outcome::Write {
            contents: contents.to_vec(),
            old: Some(old),
            permissions: Some(permissions),
            kind,
        }
    }
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
pub(super) fn has_conflict_markers(text: &[u8]) -> bool {
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
