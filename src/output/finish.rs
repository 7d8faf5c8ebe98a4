//! After the last unit: refusals, files no longer generated, the record, and chartwright's
//! own files, which together complete the [`Plan`].

use std::collections::BTreeSet;

use super::OutputError;
use super::existing::{self, StateFile};
use super::paths::{self, Disk};
use super::plan::{Builder, Contents, Plan, PlannedWrite, note_change};
use super::state::{
    self, BASE_DIR, GITATTRIBUTES, GITATTRIBUTES_FILE, GITIGNORE, GITIGNORE_FILE,
    LEGACY_STATE_FILE, PENDING_FILE, STATE_FILE, Sha256,
};

impl Builder<'_> {
    /// Everything after the last unit: refusals, orphans, the record and chartwright's own
    /// files.
    pub(super) fn finish(self) -> Result<Plan, OutputError> {
        let Builder {
            root,
            loaded,
            blobs,
            opts,
            mut report,
            base_writes,
            content_writes,
            mut changes,
            spool,
            mode,
            foreign,
            unrecorded,
            mut new_record,
        } = self;
        let force = opts.force;
        let old = &loaded.record;
        let mut content_deletes = Vec::new();
        // Until files no longer generated join it below, the new record lists exactly the
        // generated paths.
        paths::validate_generated(new_record.files.keys().map(String::as_str))?;
        if !foreign.is_empty() {
            return Err(OutputError::ForeignFiles { paths: foreign });
        }
        let mut no_base = new_record.files.keys().filter(|rel| {
            old.files
                .get(*rel)
                .is_some_and(|_| !blobs.valid.contains(&state::base_key(rel)))
        });
        let no_base = no_base
            .next()
            .map(|first| (first.clone(), 1 + no_base.count()));

        // Files generated before and not now. An edited one is kept, and stays recorded (with its
        // base) so that it keeps being reported, and so that generating it again (a service
        // renamed back) merges the edit instead of refusing the file as foreign.
        for (rel, hashes) in &old.files {
            // Only `rel` itself may have joined the new record in this loop.
            if new_record.files.contains_key(rel) {
                continue;
            }
            match root.inspect(rel) {
                Ok(Disk::File { bytes, .. }) => {
                    let key = state::base_key(rel);
                    let edited = !hashes.contains(&Sha256::of(&bytes))
                        && !existing::same_as_base(
                            &root,
                            &state::blob_path(&key),
                            &blobs,
                            &key,
                            &bytes,
                        )?;
                    if edited && !force {
                        report.kept_edited.push(rel.clone());
                        new_record.files.insert(rel.clone(), hashes.clone());
                    } else {
                        if edited {
                            report.overwritten_edits.push(rel.clone());
                        }
                        report.deleted.push(rel.clone());
                        content_deletes.push(rel.clone());
                        note_change(&mut changes, mode, rel, Some(&bytes), None);
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
        let keys: BTreeSet<Sha256> = new_record
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
        if let Some((first, count)) = no_base
            && !loaded.legacy
        {
            record_issues.push(format!(
                "no base copy under {BASE_DIR}/ for {count} recorded file(s), e.g. {first}"
            ));
        }

        let mut meta_writes = Vec::new();
        for (rel, text) in [
            (GITATTRIBUTES_FILE, GITATTRIBUTES),
            (GITIGNORE_FILE, GITIGNORE),
        ] {
            let current = matches!(root.inspect(rel)?, Disk::File { ref bytes, .. } if bytes == text.as_bytes());
            if !current {
                if loaded.exists && !loaded.legacy {
                    record_issues.push(format!("{rel} is missing or changed"));
                }
                meta_writes.push(PlannedWrite {
                    rel: rel.to_owned(),
                    contents: Contents::Inline(text.as_bytes().to_vec()),
                    permissions: None,
                });
            }
        }

        // Compared by hash, so that neither the state read at the start nor the new one is held
        // twice (tens of thousands of lines at monorepo scale).
        let state_current = match loaded.state_file {
            StateFile::Read(hash) => hash == new_record.text_hash(),
            StateFile::Missing => false,
            StateFile::Unreadable => {
                let new_state = new_record.to_text().into_bytes();
                matches!(root.inspect(STATE_FILE)?, Disk::File { ref bytes, .. } if *bytes == new_state)
            }
        };
        let state_write =
            (!state_current || loaded.had_pending || loaded.legacy).then(|| PlannedWrite {
                rel: STATE_FILE.to_owned(),
                contents: Contents::Inline(new_record.to_text().into_bytes()),
                permissions: None,
            });

        if opts.inputs.is_some() && new_record.inputs != old.inputs && loaded.exists {
            note_change(
                &mut changes,
                mode,
                STATE_FILE,
                Some(state::inputs_text(&old.inputs).as_bytes()),
                Some(state::inputs_text(&new_record.inputs).as_bytes()),
            );
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
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        let diff: String = changes.into_iter().map(|(_, text)| text).collect();
        for list in [
            &mut report.created,
            &mut report.updated,
            &mut report.merged,
            &mut report.conflicted,
            &mut report.unchanged,
            &mut report.derived_edits,
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
            diff,
            spool,
            metadata_changes,
            record_issues,
            unrecorded,
            old_record,
            new_record,
            had_pending: loaded.had_pending,
            content_changes,
        })
    }
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
