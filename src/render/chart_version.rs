//! A chart's `version` follows its content: the same chart always gets the same version, a
//! changed chart another one, so that a registry with immutable tags (OCI) takes every new
//! chart and never a second, different chart under one version.
//!
//! The plan writes [`VERSION_PLACEHOLDER`] and [`HASH_PLACEHOLDER`] wherever a template puts
//! the chart's version or content hash; once the whole tree is rendered, each chart's content
//! hash (SHA-256 over every file of `charts/<service>/`, placeholders in place) replaces them,
//! and the version is `0.1.<N>` with N the hash's first 32 bits. A pure function of the chart,
//! like the rest of the output: no state, so two branches or a fresh clone agree. No `+build`
//! suffix: OCI tags cannot hold a `+`, and SemVer orders versions that differ only there as
//! equal. The price: versions do not sort by age.

use sha2::{Digest, Sha256};

use crate::output::FileSet;
pub use crate::plan::{HASH_PLACEHOLDER, VERSION_PLACEHOLDER};

/// Replaces the placeholders in the chart of `service` (the files under `charts/<service>/`,
/// all rendered; see the module documentation).
pub fn stamp_chart(files: &mut FileSet, service: &str) {
    let dir = format!("charts/{service}/");
    let chart = || files.iter().filter(|(p, _)| p.starts_with(&dir));
    let hash = content_hash(chart());
    let version = version_of(&hash);
    // Only the few files that hold a placeholder are copied.
    let stamped: Vec<(String, String)> = chart()
        .filter(|(_, t)| t.contains(VERSION_PLACEHOLDER) || t.contains(HASH_PLACEHOLDER))
        .map(|(p, t)| {
            let text = t
                .replace(VERSION_PLACEHOLDER, &version)
                .replace(HASH_PLACEHOLDER, &hash);
            (p.to_string(), text)
        })
        .collect();
    for (path, text) in stamped {
        files.insert(path, text);
    }
}

/// The first 16 hex digits of the SHA-256 over every (path, content) of the chart, in path order.
fn content_hash<'a>(chart: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut h = Sha256::new();
    for (path, text) in chart {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `0.1.<first 32 bits of the hash>`: SemVer, and a valid OCI tag.
fn version_of(hash: &str) -> String {
    let n = u32::from_str_radix(&hash[..8], 16).unwrap_or_default();
    format!("0.1.{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_semver_from_the_hash() {
        assert_eq!(version_of("00000000ffffffff"), "0.1.0");
        assert_eq!(version_of("0000002aee00ff00"), "0.1.42");
        assert_eq!(version_of("ffffffff00000000"), "0.1.4294967295");
        assert!(semver::Version::parse(&version_of("1234abcd00000000")).is_ok());
    }

    #[test]
    fn the_hash_covers_paths_and_contents() {
        let hash = |p: &'static str, t: &'static str| content_hash([(p, t)].into_iter());
        let a = hash("charts/a/x", "1");
        assert_ne!(a, hash("charts/a/y", "1"));
        assert_ne!(a, hash("charts/a/x", "2"));
        assert_eq!(a, hash("charts/a/x", "1"));
        assert_eq!(a.len(), 16);
    }
}
