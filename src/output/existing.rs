//! What the output directory already records: the state, a format-1 record, an interrupted
//! run's pending lines, and the base copies the three-way merge reads.

use std::collections::BTreeSet;

use super::OutputError;
use super::paths::{Disk, Root};
use super::state::{self, BASE_DIR, LEGACY_STATE_FILE, PENDING_FILE, Record, STATE_FILE, Sha256};

/// What the output directory records, from whichever of the state, the format-1 record and
/// an interrupted run's pending file exist.
pub(super) struct Loaded {
    pub record: Record,
    /// The state file as it was read: its hash, or why there is none.
    pub state_file: StateFile,
    /// A record of any kind exists.
    pub exists: bool,
    pub legacy: bool,
    pub had_pending: bool,
}

pub(super) fn load_record(root: &Root, lenient: bool) -> Result<Loaded, OutputError> {
    let mut loaded = Loaded {
        record: Record::default(),
        state_file: StateFile::Missing,
        exists: false,
        legacy: false,
        had_pending: false,
    };
    let mut unreadable = false;
    let mut read = |rel: &str| -> Result<Option<Vec<u8>>, OutputError> {
        match root.inspect(rel) {
            Ok(Disk::File { bytes, .. }) => Ok(Some(bytes)),
            Ok(Disk::Missing) => Ok(None),
            Err(_) if lenient => {
                unreadable |= rel == STATE_FILE;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    };
    if let Some(bytes) = read(STATE_FILE)? {
        loaded.exists = true;
        loaded.state_file = StateFile::Read(Sha256::of(&bytes));
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
    if unreadable {
        loaded.state_file = StateFile::Unreadable;
    }
    Ok(loaded)
}

/// What `load_record` found at `.chartwright/state`.
pub(super) enum StateFile {
    Missing,
    /// Its SHA-256: `finish` compares the new record's without reading the file again.
    Read(Sha256),
    /// Not readable (`--adopt` goes on without it).
    Unreadable,
}

/// The base store's contents: the well-named base copies (by path key) and everything else
/// below it (`strays`: format-1 base copies, files nobody should have put there).
pub(super) struct Blobs {
    pub valid: BTreeSet<Sha256>,
    pub strays: Vec<String>,
}

pub(super) fn list_blobs(root: &Root) -> Result<Blobs, OutputError> {
    let mut blobs = Blobs {
        valid: BTreeSet::new(),
        strays: Vec::new(),
    };
    for rel in root.list_files(BASE_DIR)? {
        match state::blob_hash(&rel) {
            Some(key) => {
                blobs.valid.insert(key);
            }
            None => blobs.strays.push(rel),
        }
    }
    Ok(blobs)
}

/// Whether `bytes` equal the base copy: after a git merge of two branches' renderings of a
/// shared file, the file and its base copy were merged alike, and neither hash is recorded.
pub(super) fn same_as_base(
    root: &Root,
    base_rel: &str,
    blobs: &Blobs,
    key: &Sha256,
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
pub(super) fn load_bases(
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
