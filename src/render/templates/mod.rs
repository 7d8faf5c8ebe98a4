//! The template set: the embedded `templates/` tree, optionally overlaid by a team folder.
//!
//! The tree mirrors the output: a `.j2` file is rendered and loses the suffix, any other file is
//! copied; `__service__` and `__env__` path segments expand once per service and environment;
//! `_partials/` holds macros and includes and is never output.

mod overlay;
mod paths;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

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
    /// The text: borrowed from the binary for an embedded template, so that a set costs no
    /// copy of the tree.
    pub source: Cow<'static, str>,
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
        embedded_set().clone()
    }

    /// Whether this is the embedded set exactly as [`TemplateSet::embedded`] returns it: the
    /// same paths, each still holding the text in the binary (compared by address, not by
    /// content, so this costs no pass over the texts).
    pub fn is_embedded(&self) -> bool {
        let embedded = embedded_set();
        let same = |(p, t): (&String, &Template), (q, u): (&String, &Template)| {
            p == q
                && t.origin == Origin::Embedded
                && matches!((&t.source, &u.source),
                    (Cow::Borrowed(a), Cow::Borrowed(b)) if std::ptr::eq(*a, *b))
        };
        self.overlay.is_none()
            && self.excluded.is_empty()
            && self.templates.len() == embedded.templates.len()
            && self
                .templates
                .iter()
                .zip(&embedded.templates)
                .all(|(a, b)| same(a, b))
    }

    /// Paths of the templates that produce output files.
    pub fn outputs(&self) -> impl Iterator<Item = (&str, &Template)> {
        self.templates
            .iter()
            .filter(|(p, _)| !p.starts_with(PARTIALS) && p.as_str() != OVERLAY_CONFIG)
            .map(|(p, t)| (p.as_str(), t))
    }

    pub fn get(&self, path: &str) -> Option<&Template> {
        self.templates.get(path)
    }
}

/// The embedded tree, read once per process.
fn embedded_set() -> &'static TemplateSet {
    static SET: OnceLock<TemplateSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut templates = BTreeMap::new();
        collect(&EMBEDDED, &mut templates);
        TemplateSet {
            templates,
            ..Default::default()
        }
    })
}

fn collect(dir: &'static Dir<'static>, out: &mut BTreeMap<String, Template>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let source = match file.contents_utf8() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(String::from_utf8_lossy(file.contents()).into_owned()),
        };
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
