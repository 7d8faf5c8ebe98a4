//! The ownership record under `.chartwright/`: which files chartwright generated (one line per
//! file, the hash of its rendering), the inputs the last run used, and the store of base copies
//! the three-way merge needs.
//!
//! It exists so that regeneration can tell three kinds of file apart without guessing: files
//! chartwright wrote and nobody touched (safe to replace or delete), files it wrote that the
//! user has since edited (merge, never clobber), and files it never wrote (never touch). The
//! hash recorded is always that of the *rendered* text, never of what ended up on disk after a
//! merge: a merged file must keep looking edited, so that the next regeneration merges again
//! instead of silently discarding the user's change.
//!
//! The record is committed next to the generated files, so it is shaped for git:
//!
//! - `.chartwright/state` is plain text, one `<sha256>  <path>` line per file (the layout
//!   `sha256sum` reads), sorted by path, after a few `#` header lines. Two branches that
//!   regenerate different services change different lines. `.chartwright/.gitattributes` asks
//!   git to merge it with its built-in `union` driver, so even adjacent or same-line changes
//!   merge without a conflict: the result may list a path more than once, and any of its hashes
//!   counts as chartwright's rendering (see [`Record::files`]).
//! - Base copies (the last rendering of each file, for the three-way merge) live at
//!   `.chartwright/base/<2 hex>/<sha256 of the path>`: no scanner takes them for a chart or a
//!   Compose file. They are named by path rather than by contents so that a regeneration
//!   modifies them in place and git merges them like the files themselves; content-addressed
//!   blobs are deleted and added on every change, which git's rename detection turned into
//!   rename/rename conflicts whenever two branches changed a shared file
//!   (docker-compose.yml). Deduplication would have saved little (51 distinct renderings of
//!   53 files for the shop example).
//!
//! Everything written here is byte-for-byte deterministic (sorted, no timestamps), so that two
//! identical runs leave identical bytes.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::OutputError;
pub(crate) use super::hash::{Hashes, Sha256, TextHasher, base_key, blob_hash, blob_path};

/// Folder at the top of the output tree that chartwright owns.
pub const STATE_DIR: &str = ".chartwright";
/// Relative path of the record of generated files.
pub const STATE_FILE: &str = ".chartwright/state";
/// Relative path of the folder holding the base copies, one blob per distinct rendering.
pub const BASE_DIR: &str = ".chartwright/base";
/// Written before the first file of a run is replaced and removed after the state: while it
/// exists, a run was interrupted, and its lines are renderings that may already be on disk.
pub const PENDING_FILE: &str = ".chartwright/pending";
/// The lock file (see `lock`); local, never committed.
pub const LOCK_FILE: &str = ".chartwright/lock";
/// Asks git to merge the state line by line (built-in `union` driver, no set-up needed).
pub const GITATTRIBUTES_FILE: &str = ".chartwright/.gitattributes";
/// Keeps the lock file out of commits.
pub const GITIGNORE_FILE: &str = ".chartwright/.gitignore";
/// The record of chartwright 0.1 (format 1): one JSON document, and full base copies under
/// `.chartwright/base/<path>`. Read, and converted by the next `generate`.
pub const LEGACY_STATE_FILE: &str = ".chartwright/state.json";

/// Version of the state layout; bumped only on incompatible changes. Format 1 was the JSON
/// document of [`LEGACY_STATE_FILE`].
pub const FORMAT: u32 = 2;

pub(crate) const GITATTRIBUTES: &str = "# Written by chartwright: merge its record of generated files line by line, so that\n# branches that regenerate different files never conflict on it.\nstate merge=union\npending merge=union\n";
pub(crate) const GITIGNORE: &str =
    "# Written by chartwright: the lock of a running generate is local.\n/lock\n";

/// The inputs besides the spec that a run used, as paths relative to the output directory
/// (`/`-separated), so that a plain `generate` or `check` repeats them (Copier's answers file
/// is the model).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedInputs {
    /// The org defaults file (`--defaults`).
    pub defaults: Option<String>,
    /// The team template overlay folder (`--templates`).
    pub templates: Option<String>,
}

/// What `.chartwright/state` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Record {
    /// Generated path → hashes of renderings chartwright wrote there. One hash after a
    /// `generate`; several after git merged two branches' records (or after an interrupted
    /// run, with the pending lines): a file equal to any of them is unedited.
    pub files: BTreeMap<String, Hashes>,
    pub inputs: RecordedInputs,
    /// Inputs that appear more than once with different values (two branches that used
    /// different defaults files, merged): the caller must choose with a flag.
    pub ambiguous_inputs: Vec<String>,
}

impl Record {
    /// The text of `.chartwright/state`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out);
        out
    }

    /// The hash of [`Record::to_text`], computed without holding the text: whether the state
    /// on disk is current is known without a second copy of it (issue 17).
    pub fn text_hash(&self) -> Sha256 {
        let mut hasher = TextHasher::default();
        self.write_text(&mut hasher);
        hasher.finish()
    }

    fn write_text(&self, out: &mut impl std::fmt::Write) {
        write_header(out, &self.inputs);
        for (path, hashes) in &self.files {
            write_lines(out, path, hashes.iter());
        }
    }

    /// Records `hash` for `path`, beside any hash it already has.
    pub fn insert(&mut self, path: &str, hash: Sha256) {
        match self.files.get_mut(path) {
            Some(hashes) => hashes.insert(hash),
            None => {
                self.files.insert(path.to_owned(), Hashes::one(hash));
            }
        }
    }

    /// The text of the union of `self` and `other` (every hash of either, `self`'s inputs),
    /// written without building the union: the pending record of a run.
    pub fn union_text(&self, other: &Record) -> String {
        let mut out = String::new();
        write_header(&mut out, &self.inputs);
        let (mut a, mut b) = (self.files.iter().peekable(), other.files.iter().peekable());
        loop {
            let order = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((pa, _)), Some((pb, _))) => pa.cmp(pb),
            };
            let (path, hashes) = match order {
                Ordering::Less => a.next().expect("peeked"),
                Ordering::Greater => b.next().expect("peeked"),
                Ordering::Equal => {
                    let ((path, mine), (_, theirs)) = a.next().zip(b.next()).expect("peeked");
                    let mut both = mine.clone();
                    theirs.iter().for_each(|h| both.insert(*h));
                    write_lines(&mut out, path, both.iter());
                    continue;
                }
            };
            write_lines(&mut out, path, hashes.iter());
        }
        out
    }

    /// Parses the state file. With `lenient` (for `--adopt`), lines that cannot be understood
    /// (git conflict markers, a truncated line) are skipped instead of refused; conflict
    /// markers thereby become a union of both sides, which is what the merge driver would have
    /// produced.
    pub fn parse(text: &str, path: &Path, lenient: bool) -> Result<Self, OutputError> {
        let mut record = Record::default();
        let mut defaults = BTreeSet::new();
        let mut templates = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let bad = |message: String| OutputError::CorruptState {
                path: path.to_owned(),
                message: format!("line {}: {message}", i + 1),
            };
            let result = (|| {
                if line.is_empty() {
                    return Ok(());
                }
                if let Some(rest) = line.strip_prefix("# chartwright state, format ") {
                    let format: u32 = rest
                        .split(',')
                        .next()
                        .and_then(|f| f.trim().parse().ok())
                        .ok_or_else(|| bad(format!("unreadable header {line:?}")))?;
                    if format != FORMAT {
                        return Err(bad(format!(
                            "state format {format} is not supported by chartwright {} (which writes format {FORMAT})",
                            env!("CARGO_PKG_VERSION")
                        )));
                    }
                    return Ok(());
                }
                if let Some(rest) = line.strip_prefix("#defaults ") {
                    defaults.insert(rest.to_owned());
                    return Ok(());
                }
                if let Some(rest) = line.strip_prefix("#templates ") {
                    templates.insert(rest.to_owned());
                    return Ok(());
                }
                if line.starts_with('#') {
                    return Ok(());
                }
                for marker in ["<<<<<<<", "=======", ">>>>>>>", "|||||||"] {
                    if line.starts_with(marker) {
                        return Err(bad(
                            "git conflict marker: the record was merged without chartwright's .gitattributes".to_owned(),
                        ));
                    }
                }
                let (hash, file) = line
                    .split_once("  ")
                    .and_then(|(h, f)| Some((Sha256::parse(h)?, f)))
                    .filter(|(_, f)| !f.is_empty())
                    .ok_or_else(|| bad(format!("expected `<sha256>  <path>`, found {line:?}")))?;
                super::paths::validate_syntax(file).map_err(|e| bad(e.to_string()))?;
                record.insert(file, hash);
                Ok(())
            })();
            match result {
                Err(_) if lenient => {}
                Err(e) => return Err(e),
                Ok(()) => {}
            }
        }
        for (name, values, slot) in [
            ("defaults", defaults, &mut record.inputs.defaults),
            ("templates", templates, &mut record.inputs.templates),
        ] {
            if values.len() > 1 {
                record.ambiguous_inputs.push(format!(
                    "{name}: {}",
                    values.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            *slot = values.into_iter().next();
        }
        Ok(record)
    }

    /// Reads the format-1 JSON document, `{"files": {"<path>": {"sha256": "<hex>"}}, ...}`.
    pub fn parse_legacy(bytes: &[u8], path: &Path) -> Result<Self, OutputError> {
        #[derive(serde::Deserialize)]
        struct Legacy {
            files: BTreeMap<String, LegacyFile>,
            format: u32,
        }
        #[derive(serde::Deserialize)]
        struct LegacyFile {
            sha256: String,
        }
        let corrupt = |message: String| OutputError::CorruptState {
            path: path.to_owned(),
            message,
        };
        let legacy: Legacy = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
        if legacy.format != 1 {
            return Err(corrupt(format!(
                "state format {} is not supported by chartwright {}",
                legacy.format,
                env!("CARGO_PKG_VERSION")
            )));
        }
        let mut record = Record::default();
        for (file, f) in legacy.files {
            super::paths::validate_syntax(&file).map_err(|e| corrupt(e.to_string()))?;
            let Some(hash) = Sha256::parse(&f.sha256) else {
                return Err(corrupt(format!("{file}: {:?} is not a sha256", f.sha256)));
            };
            record.insert(&file, hash);
        }
        Ok(record)
    }

    pub fn add(&mut self, other: &Record) {
        for (path, hashes) in &other.files {
            for hash in hashes.iter() {
                self.insert(path, *hash);
            }
        }
    }
}

/// The `#` lines a state (or pending) file starts with.
fn write_header(out: &mut impl std::fmt::Write, inputs: &RecordedInputs) {
    let _ = write!(
        out,
        "# chartwright state, format {FORMAT}, written by chartwright {}\n# One line per generated file: sha256 of chartwright's rendering, two spaces, path.\n# Merged by git line by line (.gitattributes); if it is lost or damaged, run `chartwright generate --adopt`.\n{}",
        env!("CARGO_PKG_VERSION"),
        inputs_text(inputs)
    );
}

/// One `<sha256>  <path>` line per hash.
fn write_lines<'a>(
    out: &mut impl std::fmt::Write,
    path: &str,
    hashes: impl Iterator<Item = &'a Sha256>,
) {
    for hash in hashes {
        let _ = writeln!(out, "{hash}  {path}");
    }
}

/// The header lines naming the remembered inputs (also what `diff` shows when they change).
pub(crate) fn inputs_text(inputs: &RecordedInputs) -> String {
    let mut out = String::new();
    if let Some(d) = &inputs.defaults {
        let _ = writeln!(out, "#defaults {d}");
    }
    if let Some(t) = &inputs.templates {
        let _ = writeln!(out, "#templates {t}");
    }
    out
}

/// Path of a format-1 base copy.
pub(crate) fn legacy_base_path(rel: &str) -> String {
    format!("{BASE_DIR}/{rel}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(c: char) -> String {
        std::iter::repeat_n(c, 64).collect()
    }

    #[test]
    fn text_round_trips_and_is_sorted_by_path() {
        let mut r = Record::default();
        r.insert("b.yaml", Sha256::parse(&h('b')).unwrap());
        r.insert("a b.yaml", Sha256::parse(&h('a')).unwrap());
        r.inputs.defaults = Some("../org.yaml".into());
        let text = r.to_text();
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                format!("{}  a b.yaml", h('a')),
                format!("{}  b.yaml", h('b'))
            ]
        );
        assert_eq!(Record::parse(&text, Path::new("s"), false).unwrap(), r);
    }

    #[test]
    fn a_union_merge_gives_several_hashes_and_conflicting_inputs_are_ambiguous() {
        let text = format!(
            "#defaults a.yaml\n#defaults b.yaml\n{}  x\n{}  x\n",
            h('1'),
            h('2')
        );
        let r = Record::parse(&text, Path::new("s"), false).unwrap();
        assert_eq!(r.files["x"].len(), 2);
        assert_eq!(r.ambiguous_inputs, ["defaults: a.yaml, b.yaml"]);
    }

    #[test]
    fn damage_names_the_line_and_lenient_parsing_skips_it() {
        let text = format!("{}  ok\n<<<<<<< ours\nnot a line\n", h('1'));
        let err = Record::parse(&text, Path::new("s"), false).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let r = Record::parse(&text, Path::new("s"), true).unwrap();
        assert_eq!(r.files.len(), 1);
    }

    #[test]
    fn the_union_text_is_the_text_of_the_union() {
        let parse = |t: &str| Record::parse(t, Path::new("s"), false).unwrap();
        let old = parse(&format!(
            "#defaults a.yaml\n{}  a\n{}  b\n{}  b\n{}  d\n",
            h('1'),
            h('2'),
            h('3'),
            h('4')
        ));
        let new = parse(&format!("{}  b\n{}  b\n{}  c\n", h('3'), h('5'), h('6')));
        let mut union = old.clone();
        union.add(&new);
        assert_eq!(old.union_text(&new), union.to_text());
        assert_eq!(union.files["b"].len(), 3);
        assert!(union.to_text().contains("#defaults a.yaml"));
    }
}
