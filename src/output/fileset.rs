//! The generated tree as data: what `render` produces and what the writer, `diff` and `check`
//! consume. Keeping it an in-memory map is what lets chartwright refuse to write anything at
//! all when a single file fails to render.

use std::collections::BTreeMap;

/// Every generated file, keyed by its path relative to the output directory (always `/`
/// separated, never absolute, never containing `..`). A `BTreeMap` so that iteration, and
/// therefore every listing, diff and state file, is in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, String>,
}

impl FileSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; a second file at the same path replaces the first (overlays rely on this).
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<String>) {
        self.files.insert(path.into(), contents.into());
    }

    /// Moves every file of `other` in (replacing files at the same paths).
    pub fn append(&mut self, mut other: FileSet) {
        self.files.append(&mut other.files);
    }

    pub fn remove(&mut self, path: &str) -> Option<String> {
        self.files.remove(path)
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The paths that start with `prefix`, in order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .map(|(p, _)| p.as_str())
            .take_while(move |p| p.starts_with(prefix))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
