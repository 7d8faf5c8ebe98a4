//! A datastore the catalog knows (by image name, with a version inside the catalog's range)
//! becomes a backing service: the catalog runs it with its own credentials, healthcheck and data
//! volume, and hands its dependents the connection variables. The exact image the file ran is
//! kept as the entry's `image:`; what the catalog replaces is listed.

use serde_json::Value;

use super::as_str;
use super::image::{Image, Unpinned, split_image};
use crate::catalog::CatalogEntry;
use crate::init::draft::BackingDraft;

fn repo_and_tag(img: &Image) -> Option<(String, Option<String>)> {
    match (&img.pinned, &img.unpinned) {
        (Some(p), _) => Some(split_image(p)),
        (None, Some(Unpinned::Tag { repo })) => Some((repo.clone(), None)),
        _ => None,
    }
}

fn tag_version(entry: &CatalogEntry, tag: &str) -> Option<String> {
    entry.version_of_tag(tag.split('@').next().unwrap_or(tag))
}

/// The catalog entry this image is, when it is one the catalog can run: a known image name
/// whose tag names a version inside the range, or names none yet (`postgres`, `redis:alpine`,
/// to be pinned by a flag). A tag naming a version outside the range (`postgres:9.6`) stays a
/// service of its own.
pub fn entry_for(img: &Image) -> Option<&'static CatalogEntry> {
    let (repo, tag) = repo_and_tag(img)?;
    let entry = super::image::catalog_for(&repo)?;
    match tag {
        Some(t)
            if t.split('@')
                .next()
                .is_some_and(|t| t.contains(|c: char| c.is_ascii_digit())) =>
        {
            tag_version(entry, &t).map(|_| entry)
        }
        _ => Some(entry),
    }
}

pub fn import(
    name: &str,
    svc: &Value,
    entry: &'static CatalogEntry,
    img: &Image,
) -> Result<BackingDraft, Unpinned> {
    let (repo, tag) = repo_and_tag(img).expect("entry_for matched it");
    let version = tag.as_deref().and_then(|t| tag_version(entry, t));
    let Some(version) = version else {
        // `postgres`, `redis:alpine`: the file names no version, and none is made up.
        return Err(Unpinned::Tag { repo });
    };
    let pinned = img.pinned.clone().expect("a tag");
    let image = (entry.image_for(&version).as_deref() != Some(pinned.as_str())).then_some(pinned);
    let mut b = BackingDraft {
        name: name.to_string(),
        kind: entry.kind.to_string(),
        version,
        image,
        not_carried: Vec::new(),
    };
    for (key, v) in svc.as_object().into_iter().flatten() {
        let what = match key.as_str() {
            "image" | "container_name" => continue,
            "volumes" => {
                for vol in v.as_array().into_iter().flatten() {
                    let text = match vol {
                        Value::Object(m) => format!(
                            "{}:{}",
                            m.get("source").and_then(as_str).unwrap_or_default(),
                            m.get("target").and_then(as_str).unwrap_or_default()
                        ),
                        other => as_str(other).unwrap_or_default(),
                    };
                    let target = text.split(':').nth(1).unwrap_or_default();
                    if Some(target.trim_end_matches('/')) != entry.data_path {
                        b.not_carried.push(format!("volume `{text}`"));
                    }
                }
                continue;
            }
            "environment" => format!(
                "`environment` (the catalog sets {}'s credentials and hands the dependents their connection variables)",
                entry.kind
            ),
            "healthcheck" => "`healthcheck` (the catalog's own is used)".to_string(),
            "profiles" => "`profiles` (a backing service always runs)".to_string(),
            "ports" | "expose" => format!(
                "`{key}` (the catalog publishes {} on 127.0.0.1 for Compose)",
                entry.port
            ),
            other => format!("`{other}`"),
        };
        b.not_carried.push(what);
    }
    Ok(b)
}
