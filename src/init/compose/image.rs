//! Image references of a Compose service: interpolated, split, pinned by a flag when the file
//! leaves them unpinned, and matched against the backing catalog.

use std::collections::BTreeMap;

use super::vars::{Interpolated, interpolate};
use crate::catalog::{self, CatalogEntry};

/// Splits an image into (repository, tag); a digest stays with the tag (`tag@sha256:…`).
pub fn split_image(image: &str) -> (String, Option<String>) {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (
            name[..last_slash + i].to_string(),
            Some(name[last_slash + i + 1..].to_string()),
        ),
        None => (name.to_string(), None),
    };
    let tag = match (tag, digest) {
        (Some(t), Some(d)) => Some(format!("{t}@{d}")),
        (None, Some(d)) => Some(format!("@{d}")),
        (t, None) => t,
    };
    (repo, tag)
}

/// The repository without a Docker Hub prefix, as the catalog names images.
pub fn bare_repo(repo: &str) -> &str {
    let r = repo
        .strip_prefix("docker.io/")
        .or_else(|| repo.strip_prefix("index.docker.io/"))
        .unwrap_or(repo);
    r.strip_prefix("library/").unwrap_or(r)
}

pub fn catalog_for(repo: &str) -> Option<&'static CatalogEntry> {
    let bare = bare_repo(repo);
    catalog::CATALOG.iter().find(|e| {
        e.image_names
            .iter()
            .any(|n| *n == bare || n.strip_prefix("library/") == Some(bare))
    })
}

/// What a service's image needs from the user before it can be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Unpinned {
    /// The repository is known; a tag (or digest) is missing, `latest`, or a variable.
    Tag { repo: String },
    /// The repository itself is (partly) a variable: the whole reference must be given.
    Whole,
}

/// An image as the file gives it, after interpolation.
#[derive(Debug, Clone)]
pub struct Image {
    /// The pinned reference, when there is one.
    pub pinned: Option<String>,
    pub unpinned: Option<Unpinned>,
    /// The reference as written in the file.
    pub written: String,
    pub vars: Interpolated,
}

/// Reads the image of a service, applying `flag` (from `--image-tag SERVICE=VALUE`: a tag, a
/// `sha256:` digest, or a whole reference when it holds `/`, `:` or `@`).
pub fn resolve(
    written: &str,
    vars: &BTreeMap<String, String>,
    flag: Option<&str>,
) -> Result<Image, String> {
    let i = interpolate(written, vars);
    let (repo, tag) = split_image(&i.text);
    let repo_known = !repo.contains('$') && !repo.is_empty();
    let tag_usable = i.resolved()
        && tag
            .as_deref()
            .is_some_and(|t| t != "latest" && !t.is_empty());
    let mut image = Image {
        pinned: None,
        unpinned: None,
        written: written.to_string(),
        vars: i.clone(),
    };
    if let Some(f) = flag {
        let whole = !f.starts_with("sha256:") && f.contains(['/', ':', '@']);
        image.pinned = Some(if whole {
            f.to_string()
        } else if !repo_known {
            return Err(format!(
                "the image `{written}` is wholly a variable; give the whole reference (e.g. `registry.example.com/name:{f}`)"
            ));
        } else if f.starts_with("sha256:") {
            format!("{repo}@{f}")
        } else {
            format!("{repo}:{f}")
        });
        return Ok(image);
    }
    if tag_usable && repo_known {
        image.pinned = Some(i.text.clone());
    } else if repo_known {
        image.unpinned = Some(Unpinned::Tag { repo });
    } else {
        image.unpinned = Some(Unpinned::Whole);
    }
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_tags_and_digests() {
        assert_eq!(
            split_image("docker.io/valkey/valkey:8-bookworm@sha256:ab"),
            (
                "docker.io/valkey/valkey".into(),
                Some("8-bookworm@sha256:ab".into())
            )
        );
        assert_eq!(
            split_image("localhost:5000/x"),
            ("localhost:5000/x".into(), None)
        );
        assert_eq!(split_image("x@sha256:ab").1.as_deref(), Some("@sha256:ab"));
    }

    #[test]
    fn variable_images_are_routed_to_the_flag() {
        let none = BTreeMap::new();
        let r = resolve(
            "ghcr.io/immich-app/immich-server:${IMMICH_VERSION:-release}",
            &none,
            None,
        )
        .unwrap();
        assert_eq!(
            r.pinned.as_deref(),
            Some("ghcr.io/immich-app/immich-server:release")
        );
        let r = resolve("n8nio/n8n:${N8N_VERSION}", &none, None).unwrap();
        assert_eq!(
            r.unpinned,
            Some(Unpinned::Tag {
                repo: "n8nio/n8n".into()
            })
        );
        let r = resolve("n8nio/n8n:${N8N_VERSION}", &none, Some("1.80.0")).unwrap();
        assert_eq!(r.pinned.as_deref(), Some("n8nio/n8n:1.80.0"));
        let r = resolve("$SNUBA_IMAGE", &none, None).unwrap();
        assert_eq!(r.unpinned, Some(Unpinned::Whole));
        assert!(resolve("$SNUBA_IMAGE", &none, Some("1.0")).is_err());
        let r = resolve("$SNUBA_IMAGE", &none, Some("getsentry/snuba:25.1.0")).unwrap();
        assert_eq!(r.pinned.as_deref(), Some("getsentry/snuba:25.1.0"));
        let r = resolve("gitea/gitea:latest", &none, None).unwrap();
        assert_eq!(
            r.unpinned,
            Some(Unpinned::Tag {
                repo: "gitea/gitea".into()
            })
        );
    }

    #[test]
    fn catalog_matches_hub_prefixes() {
        assert_eq!(
            catalog_for("docker.io/library/postgres").unwrap().kind,
            "postgres"
        );
        assert_eq!(
            catalog_for("docker.io/valkey/valkey").unwrap().kind,
            "valkey"
        );
        assert_eq!(catalog_for("quay.io/minio/minio").unwrap().kind, "minio");
        assert!(catalog_for("confluentinc/cp-kafka").is_none());
    }
}
