//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chartwright::output::FileSet;
use chartwright::pipeline::{self, Inputs};

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
