//! The decision for one generated path: compare the file on disk with the record and the new
//! rendering, and say whether it is created, replaced, merged, kept or refused.

use super::OutputError;
use super::existing;
use super::merge::{Kind, Outcome, merge_outcome};
use super::paths::{self, Disk};
use super::plan::{Builder, PlannedWrite, keep};
use super::state::{self, Sha256};

impl Builder<'_> {
    /// Decides one generated path. Returns the file as the run leaves it when that keeps a
    /// hand edit (merged or untouched), `None` when it will hold the rendering (or a conflict,
    /// or nothing because the run refuses).
    pub(super) fn decide(&mut self, rel: &str, new: &str) -> Result<Option<Vec<u8>>, OutputError> {
        paths::validate_syntax(rel)?;
        // The new record is the list of generated paths (files no longer generated join it
        // only after the last unit).
        if self.new_record.files.contains_key(rel) {
            return Err(OutputError::InvalidPath {
                path: rel.to_owned(),
                reason: "two generated files have this path",
            });
        }
        let (root, blobs, loaded) = (&self.root, &self.blobs, &self.loaded);
        let (force, adopt) = (self.opts.force, self.opts.adopt);
        let new = new.as_bytes();
        let new_hash = Sha256::of(new);
        let recorded = loaded.record.files.get(rel);
        self.new_record.insert(rel, new_hash);
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
        // The rendering's place in the spool, shared by the base copy and the file.
        let mut kept_new = None;
        if !base_current {
            let contents = keep(&mut self.spool, new)?;
            kept_new = Some(contents.clone());
            self.base_writes.push(PlannedWrite {
                rel: base_rel.clone(),
                contents,
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
                        self.unrecorded.push(rel.to_owned());
                    }
                    Outcome::Keep {
                        conflicted: false,
                        edited: None,
                    }
                } else if let Some(recorded) = recorded {
                    let edited = !recorded.contains(&Sha256::of(&bytes))
                        && !existing::same_as_base(root, &base_rel, blobs, &key, &bytes)?;
                    if !edited {
                        Outcome::write(new, bytes, permissions, Kind::Updated)
                    } else if force {
                        Outcome::write(new, bytes, permissions, Kind::Overwritten)
                    } else {
                        let bases = existing::load_bases(root, rel, blobs, loaded.legacy)?;
                        if bases.is_empty() && adopt {
                            self.report.adopted_edits.push(rel.to_owned());
                            Outcome::Keep {
                                conflicted: false,
                                edited: Some(bytes),
                            }
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
                    self.report.adopted_edits.push(rel.to_owned());
                    Outcome::Keep {
                        conflicted: false,
                        edited: Some(bytes),
                    }
                } else {
                    self.foreign.push(root.join(rel));
                    return Ok(None);
                }
            }
        };

        match outcome {
            Outcome::Keep { conflicted, edited } => {
                if conflicted {
                    self.report.conflicted.push(rel.to_owned());
                } else {
                    self.report.unchanged.push(rel.to_owned());
                }
                Ok(edited.filter(|_| !conflicted))
            }
            Outcome::Write {
                contents,
                old,
                permissions,
                kind,
            } => {
                self.change(rel, old.as_deref(), Some(&contents));
                let kept = match kept_new {
                    Some(k) if contents == new => k,
                    _ => keep(&mut self.spool, &contents)?,
                };
                self.content_writes.push(PlannedWrite {
                    rel: rel.to_owned(),
                    contents: kept,
                    permissions,
                });
                let report = &mut self.report;
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
                Ok(matches!(kind, Kind::Merged).then_some(contents))
            }
        }
    }
}
