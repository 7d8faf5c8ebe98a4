//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chartwright::output::FileSet;
use chartwright::pipeline::{self, Inputs};

pub fn fileset(files: &[(&str, &str)]) -> FileSet {
    let mut set = FileSet::new();
    for (path, contents) in files {
        set.insert(*path, *contents);
    }
    set
}

/// Every entry below `dir`, without following links: files with their bytes, directories as
/// `"<dir>"`, symlinks as `"-> target"`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, "", &mut out);
    }
    out
}

fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let target = fs::read_link(entry.path()).unwrap();
            out.insert(rel, format!("-> {}", target.display()).into_bytes());
        } else if kind.is_dir() {
            out.insert(rel.clone(), b"<dir>".to_vec());
            walk(&entry.path(), &format!("{rel}/"), out);
        } else {
            out.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
}

pub fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

pub fn put(dir: &Path, rel: &str, contents: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

pub fn state(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(dir, ".chartwright/state.json")).unwrap()
}

pub fn recorded_hash(dir: &Path, rel: &str) -> String {
    state(dir)["files"][rel]["sha256"]
        .as_str()
        .unwrap_or_else(|| panic!("{rel} not in state"))
        .to_owned()
}

pub fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub const V1: &str = "name: web\nimage: web:1\nreplicas: 1\nport: 80\nlabels:\n  app: web\n";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every bundled example spec, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("chartwright.yaml"))
        .filter(|p| p.exists())
        .collect();
    out.sort();
    out
}

pub fn generate(spec: &Path) -> FileSet {
    let inputs = Inputs {
        spec: spec.to_path_buf(),
        ..Default::default()
    };
    match pipeline::generate(&inputs) {
        Ok((_, files)) => files,
        Err(e) => panic!("{}: {e}", spec.display()),
    }
}

/// Renders a spec given as text (written to a temp dir first).
pub fn generate_text(text: &str) -> FileSet {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chartwright.yaml");
    std::fs::write(&spec, text).unwrap();
    generate(&spec)
}

/// All files of a set joined under headers: one snapshot holds a whole example.
pub fn joined(files: &FileSet) -> String {
    let mut out = String::new();
    for (path, text) in files.iter() {
        out.push_str(&format!("=== {path} ===\n{text}"));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Strings that YAML 1.1 (go-yaml in Helm), Go templates, Jinja and Compose would otherwise
/// reinterpret: every output must hand them back verbatim.
pub const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "NO",
    "y",
    "0755",
    "1e3",
    ".inf",
    "~",
    "null",
    "true",
    "",
    "a: b",
    "x # y",
    "'quoted'",
    "\"dq\"",
    "back\\slash",
    "line\nbreak",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "---",
    "{{ .Values.x }}",
    "{% if %}",
    "[[ x ]]",
    "$HOME",
    "${VAR}",
    "$$",
    "$(HOME)",
    "ünïcødé ✓",
    " lead",
    "trail ",
    // Characters a YAML stream may not carry raw (DEL, a C1 control, a noncharacter, a BOM) and
    // the ones YAML 1.1 readers take for line breaks (NEL, LS, PS): written escaped, never
    // changed.
    // "del\u{7f}",
    // "csi\u{9b}",
    // "nonchar\u{fffe}",
    "bom\u{feff}",
    "nel\u{85}",
    "ls\u{2028}ps\u{2029}",
    "tab\tcr\r",
];

/// A string as a YAML double-quoted scalar for a spec: JSON, with the characters YAML may not
/// carry raw escaped.
pub fn yaml_quoted(value: &str) -> String {
    chartwright::render::yaml_safe_json(serde_json::to_string(value).unwrap())
}
