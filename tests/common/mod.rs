//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chartwright::output::FileSet;
use chartwright::pipeline::{self, Inputs};

pub mod cli;

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

/// The record of generated files: path → recorded hashes (`<sha256>  <path>` lines).
pub fn state(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in read(dir, ".chartwright/state").lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (hash, path) = line.split_once("  ").expect("`<sha256>  <path>`");
        out.entry(path.to_owned())
            .or_default()
            .push(hash.to_owned());
    }
    out
}

pub fn recorded_hash(dir: &Path, rel: &str) -> String {
    let state = state(dir);
    let hashes = state
        .get(rel)
        .unwrap_or_else(|| panic!("{rel} not in state"));
    assert_eq!(hashes.len(), 1, "{rel}: {hashes:?}");
    hashes[0].clone()
}

/// Relative path of the base copy of `rel`: named by the sha256 of the path.
pub fn base_path(rel: &str) -> String {
    let key = sha256(rel);
    format!(".chartwright/base/{}/{key}", &key[..2])
}

/// The base copy of `rel` (chartwright's last rendering of it).
pub fn base(dir: &Path, rel: &str) -> String {
    read(dir, &base_path(rel))
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

/// The folder of the named example (`examples/<name>/`).
pub fn example_dir(name: &str) -> PathBuf {
    let path = root().join("examples").join(name);
    assert!(path.is_dir(), "no example `{name}`");
    path
}

/// The spec of the named example (`examples/<name>/chartwright.yaml`).
pub fn example(name: &str) -> PathBuf {
    let path = example_dir(name).join("chartwright.yaml");
    assert!(path.is_file(), "no example `{name}`");
    path
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
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
    // Characters YAML must carry escaped (a BOM, tab, CR) and the ones YAML 1.1 readers such
    // as go-yaml take for line breaks (NEL, LS, PS): written escaped, never changed. DEL, the
    // other C1 controls and U+FFFE/U+FFFF are refused instead (Helm cannot carry them; see
    // tests/bad_specs/171-173).
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

/// Finds a tool on PATH or in the repository's `.tools/bin`.
pub fn tool(name: &str) -> Option<PathBuf> {
    let local = root().join(".tools/bin").join(name);
    if local.exists() {
        return Some(local);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// A conformance tool: `None` (and a loud note) when it is missing, unless
/// `CHARTWRIGHT_REQUIRE_TOOLS` is set (by `scripts/test` and CI), which makes it a failure.
pub fn require(name: &str) -> Option<PathBuf> {
    match tool(name) {
        Some(p) => Some(p),
        None if std::env::var_os("CHARTWRIGHT_REQUIRE_TOOLS").is_some() => {
            panic!(
                "{name} is required (CHARTWRIGHT_REQUIRE_TOOLS is set) but not installed: run scripts/install-test-tools"
            )
        }
        None => {
            eprintln!(
                "\n*** SKIPPED: {name} is not installed; run scripts/test to install it and run this conformance test ***\n"
            );
            None
        }
    }
}

/// Runs a command: (success, stdout, stderr).
pub fn run(cmd: &mut std::process::Command) -> (bool, String, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A spec given as text, generated and written to `<dir>/deploy` as `generate` would.
pub fn generate_to_dir(dir: &Path, spec: &str) -> (chartwright::plan::Plan, PathBuf) {
    let path = dir.join("chartwright.yaml");
    fs::write(&path, spec).unwrap();
    let (plan, files) = pipeline::generate(&Inputs {
        spec: path,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("deploy");
    chartwright::output::write(&files, &out, &chartwright::output::WriteOptions::default())
        .unwrap();
    (plan, out)
}

/// Writes `<out>/.env` from the plan's example values: what a developer puts there (an overlay
/// may drop `.env.example` itself).
pub fn write_dot_env(plan: &chartwright::plan::Plan, out: &Path) {
    let env: String = plan
        .compose
        .variables
        .iter()
        .map(|v| format!("{}={}\n", v.name, v.example))
        .collect();
    fs::write(out.join(".env"), env).unwrap();
}

/// The number of steps of a write that `crashes(n)` interrupts at step `n`, found by bisection:
/// a crash past the last step never fires, so `crashes` holds exactly below the count.
pub fn commit_steps(crashes: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, 1);
    while crashes(hi) {
        lo = hi;
        hi *= 2;
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if crashes(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// `docker compose config --format json` of a generated tree, with `.env` filled from the
/// plan's examples: the file as Compose resolves it.
pub fn compose_config(
    compose: &Path,
    plan: &chartwright::plan::Plan,
    out: &Path,
) -> Result<serde_json::Value, String> {
    write_dot_env(plan, out);
    let (ok, stdout, stderr) = run(std::process::Command::new(compose)
        .arg("-f")
        .arg(out.join("docker-compose.yml"))
        .arg("--project-directory")
        .arg(out)
        .arg("config")
        .arg("--format")
        .arg("json")
        .env_remove("COMPOSE_PROJECT_NAME"));
    if !ok {
        return Err(stderr);
    }
    Ok(serde_json::from_str(&stdout).unwrap())
}

/// The embedded Deployment template with `minReadySeconds: 15` added to its spec (after the
/// `revisionHistoryLimit:` line), as a team overlay would add it.
pub fn with_min_ready_seconds(deployment: &str) -> String {
    let mut out = String::new();
    let mut added = false;
    for line in deployment.split_inclusive('\n') {
        out.push_str(line);
        if !added && line.starts_with("  revisionHistoryLimit:") {
            out.push_str("  minReadySeconds: 15\n");
            added = true;
        }
    }
    assert!(
        added,
        "the Deployment template has a revisionHistoryLimit line"
    );
    out
}
