//! The template set: the embedded `templates/` tree, optionally overlaid by a team folder.
//!
//! The tree mirrors the output: a `.j2` file is rendered and loses the suffix, any other file is
//! copied; `__service__` and `__env__` path segments expand once per service and environment;
//! `_partials/` holds macros and includes and is never output.

mod overlay;
mod paths;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use include_dir::{Dir, include_dir};

pub use overlay::{Overlay, OverlayConfig, OverlayError};
pub use paths::{TemplateGlob, is_contained};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Folder of includes and macros, never rendered as an output.
pub const PARTIALS: &str = "_partials/";
/// Template suffix: rendered, then dropped from the output name.
pub const JINJA_SUFFIX: &str = ".j2";
/// Overlay control file: lists embedded templates to drop.
pub const OVERLAY_CONFIG: &str = "chartwright-overlay.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Embedded,
    Overlay,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub source: String,
    pub origin: Origin,
    /// Where an overlay template lives on disk, for error messages.
    pub file: Option<PathBuf>,
}

/// Every template by its path in the tree (`/`-separated).
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    pub templates: BTreeMap<String, Template>,
    /// Embedded templates an overlay dropped with `exclude`.
    pub excluded: BTreeSet<String>,
    /// The overlay folder loaded over the embedded tree, if any.
    pub overlay: Option<Overlay>,
}

impl TemplateSet {
    /// Whether the set renders the output file `path` (its template is present, under
    /// either name, and not excluded).
    pub fn generates(&self, path: &str) -> bool {
        self.templates.contains_key(path) || self.templates.contains_key(&format!("{path}.j2"))
    }

    pub fn embedded() -> Self {
        let mut templates = BTreeMap::new();
        collect(&EMBEDDED, &mut templates);
        TemplateSet {
            templates,
            ..Default::default()
        }
    }

    /// Paths of the templates that produce output files.
    pub fn outputs(&self) -> impl Iterator<Item = (&str, &Template)> {
        self.templates
            .iter()
            .filter(|(p, _)| !p.starts_with(PARTIALS) && p.as_str() != OVERLAY_CONFIG)
            .map(|(p, t)| (p.as_str(), t))
    }

    /// A hash of every template's path and text: equal sets compile to equal environments.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (path, t) in &self.templates {
            path.hash(&mut h);
            t.source.hash(&mut h);
        }
        h.finish()
    }

    pub fn get(&self, path: &str) -> Option<&Template> {
        self.templates.get(path)
    }
}

fn collect(dir: &Dir<'static>, out: &mut BTreeMap<String, Template>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let source = String::from_utf8_lossy(file.contents()).into_owned();
        out.insert(
            path,
            Template {
                source,
                origin: Origin::Embedded,
                file: None,
            },
        );
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The output path of a template path once its placeholders are filled.
pub fn output_path(template_path: &str, service: Option<&str>, env: Option<&str>) -> String {
    let mut p = template_path
        .strip_suffix(JINJA_SUFFIX)
        .unwrap_or(template_path)
        .to_string();
    if let Some(s) = service {
        p = p.replace("__service__", s);
    }
    if let Some(e) = env {
        p = p.replace("__env__", e);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand() {
        assert_eq!(
            output_path(
                "charts/__service__/values-__env__.yaml.j2",
                Some("api"),
                Some("prod")
            ),
            "charts/api/values-prod.yaml"
        );
        assert_eq!(
            output_path("charts/__service__/.helmignore", Some("api"), None),
            "charts/api/.helmignore"
        );
    }
}
