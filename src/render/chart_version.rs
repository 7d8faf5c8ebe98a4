//! A chart's `version` follows its content: the same chart keeps its version, a changed one
//! gets the next patch version, so that a registry with immutable tags (OCI) takes every new
//! chart and never a second, different chart under one version.
//!
//! The plan writes [`VERSION_PLACEHOLDER`] and [`HASH_PLACEHOLDER`] wherever a template puts
//! the chart's version or content hash; once the whole tree is rendered, the content hash of
//! each chart (every file of `charts/<service>/`, placeholders in place) is compared with the
//! `chartwright.dev/content-hash` annotation of the `Chart.yaml` already in the output folder:
//! the same hash keeps that Chart.yaml's version, another one bumps its patch number, and a
//! chart not generated before starts at [`INITIAL_VERSION`]. Deterministic for a given output
//! folder, which is what `check` compares against. No `+build` suffix: OCI tags cannot hold a
//! `+`, and SemVer orders two versions that differ only there as equal.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::output::FileSet;
use crate::plan::Plan;
pub use crate::plan::{HASH_PLACEHOLDER, VERSION_PLACEHOLDER};

pub const INITIAL_VERSION: &str = "0.1.0";
pub const HASH_ANNOTATION: &str = "chartwright.dev/content-hash";

/// Replaces the placeholders in every chart of `files` (see the module documentation). `out`
/// is the output folder whose Chart.yaml files hold the versions generated before.
pub fn stamp(files: &mut FileSet, plan: &Plan, out: Option<&Path>) {
    for s in &plan.services {
        let dir = format!("charts/{}/", s.name);
        let chart: Vec<(String, String)> = files
            .iter()
            .filter(|(p, _)| p.starts_with(&dir))
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let hash = content_hash(&chart);
        let previous = out.and_then(|o| previous(&o.join(&dir).join("Chart.yaml")));
        let version = next_version(previous, &hash);
        for (path, text) in chart {
            if text.contains(VERSION_PLACEHOLDER) || text.contains(HASH_PLACEHOLDER) {
                let text = text
                    .replace(VERSION_PLACEHOLDER, &version)
                    .replace(HASH_PLACEHOLDER, &hash);
                files.insert(path, text);
            }
        }
    }
}

/// The first 16 hex digits of the SHA-256 over every (path, content) of the chart, in path order.
fn content_hash(chart: &[(String, String)]) -> String {
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

/// The version and content hash of a Chart.yaml generated before, if it reads as one.
fn previous(path: &Path) -> Option<(semver::Version, Option<String>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc = crate::yaml::parse_documents(&text)
        .ok()?
        .into_iter()
        .next()?;
    let version = semver::Version::parse(doc["version"].as_str()?).ok()?;
    let hash = doc["annotations"][HASH_ANNOTATION]
        .as_str()
        .map(str::to_string);
    Some((version, hash))
}

fn next_version(previous: Option<(semver::Version, Option<String>)>, hash: &str) -> String {
    match previous {
        Some((v, Some(h))) if h == hash => v.to_string(),
        Some((v, _)) => semver::Version::new(v.major, v.minor, v.patch + 1).to_string(),
        None => INITIAL_VERSION.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn the_same_content_keeps_its_version_and_a_change_bumps_the_patch() {
        assert_eq!(next_version(None, "abc"), "0.1.0");
        assert_eq!(
            next_version(Some((v("0.1.4"), Some("abc".into()))), "abc"),
            "0.1.4"
        );
        assert_eq!(
            next_version(Some((v("0.1.4"), Some("abc".into()))), "def"),
            "0.1.5"
        );
        // A chart from before content hashes (its version was the image tag) moves on from it.
        assert_eq!(next_version(Some((v("1.4.2"), None)), "def"), "1.4.3");
        assert_eq!(next_version(Some((v("2.0.0-rc.1"), None)), "def"), "2.0.1");
    }

    #[test]
    fn the_hash_covers_paths_and_contents() {
        let a = [("charts/a/x".to_string(), "1".to_string())];
        let b = [("charts/a/y".to_string(), "1".to_string())];
        let c = [("charts/a/x".to_string(), "2".to_string())];
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&c));
        assert_eq!(content_hash(&a), content_hash(&a.clone()));
        assert_eq!(content_hash(&a).len(), 16);
    }
}
