//! The template set: the embedded `templates/` tree, optionally overlaid by a team folder.
//!
//! The tree mirrors the output: a `.j2` file is rendered and loses the suffix, any other file is
//! copied; `__service__` and `__env__` path segments expand once per service and environment;
//! `_partials/` holds macros and includes and is never output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use include_dir::{Dir, include_dir};

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

/// What an overlay folder brought besides its templates.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub dir: PathBuf,
    /// The org defaults file that `chartwright-overlay.yaml` names (`defaults:`), resolved.
    pub defaults: Option<PathBuf>,
    /// The template contract the overlay declares it was written for.
    pub contract: Option<u32>,
}

/// `chartwright-overlay.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayConfig {
    /// Embedded template paths or globs to drop; `.j2` may be left out. `*` and `?` match within
    /// a path segment, `**/` any number of folders.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The template contract version the overlay was written for.
    #[serde(default)]
    pub contract: Option<u32>,
    /// An org defaults file inside the overlay folder.
    #[serde(default)]
    pub defaults: Option<String>,
}

/// A team overlay folder that cannot be used. Every variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error("template overlay {}: not a directory", .dir.display())]
    NotADirectory { dir: PathBuf },
    #[error("template overlay {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template overlay {}: {reason}", .file.display())]
    Escapes { file: PathBuf, reason: String },
    /// A file in the overlay that cannot be read: not a regular file, too big, not UTF-8.
    #[error("template overlay {}: {source}", .file.display())]
    Read {
        file: PathBuf,
        source: crate::input::ReadError,
    },
    /// `chartwright-overlay.yaml` is not YAML, or not its shape.
    #[error("{0}")]
    Parse(crate::spec::SpecError),
    #[error("{}: {message}", .file.display())]
    Config { file: PathBuf, message: String },
    #[error(
        "{}: the overlay was written for template contract {found}, this chartwright provides contract {expected}\n  hint: compare the templates with `chartwright templates context`, then update `contract`",
        .file.display()
    )]
    Contract {
        file: PathBuf,
        found: u32,
        expected: u32,
    },
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

    /// The embedded tree with a team folder over it: a file at the same path replaces the
    /// embedded template (partials too, one by one), a new path adds an output, and
    /// `chartwright-overlay.yaml` may `exclude` embedded templates, declare the `contract` and
    /// name an org `defaults` file. Nothing in the folder may lead outside it.
    pub fn with_overlay(dir: &Path) -> Result<TemplateSet, OverlayError> {
        let mut set = TemplateSet::embedded();
        set.apply_overlay(dir)?;
        Ok(set)
    }

    fn apply_overlay(&mut self, dir: &Path) -> Result<(), OverlayError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OverlayError::Io { path, source }
        };
        if !dir.is_dir() {
            return Err(OverlayError::NotADirectory {
                dir: dir.to_path_buf(),
            });
        }
        let root = dir.canonicalize().map_err(io(dir))?;
        let config_file = dir.join(OVERLAY_CONFIG);
        let config = if config_file.symlink_metadata().is_ok() {
            let text = read(&config_file)?;
            if text.trim().is_empty() {
                OverlayConfig::default()
            } else {
                // The spec's parser, limits and messages: an alias bomb or a typo here is
                // reported like one in the spec, at its line.
                crate::spec::parse_yaml::<OverlayConfig>(&config_file.display().to_string(), &text)
                    .map_err(OverlayError::Parse)?
            }
        } else {
            OverlayConfig::default()
        };
        if let Some(found) = config.contract {
            let expected = crate::plan::CONTRACT_VERSION;
            if found != expected {
                return Err(OverlayError::Contract {
                    file: config_file,
                    found,
                    expected,
                });
            }
        }
        let defaults = match &config.defaults {
            Some(name) => {
                if !is_contained(name) {
                    return Err(OverlayError::Escapes {
                        file: config_file,
                        reason: format!(
                            "`defaults: {name}` must be a relative path inside the overlay folder"
                        ),
                    });
                }
                let path = dir.join(name);
                contained_target(&root, &path)?;
                Some(path)
            }
            None => None,
        };
        for pattern in &config.exclude {
            if pattern.starts_with('/') || pattern.split('/').any(|c| c == "..") {
                return Err(OverlayError::Escapes {
                    file: config_file,
                    reason: format!("`exclude: {pattern}` must be a path inside the template tree"),
                });
            }
            let glob = TemplateGlob::new(pattern).map_err(|message| OverlayError::Config {
                file: config_file.clone(),
                message: format!("exclude: {message}"),
            })?;
            let hits: Vec<String> = self
                .templates
                .keys()
                .filter(|p| glob.matches(p))
                .cloned()
                .collect();
            if hits.is_empty() {
                return Err(OverlayError::Config {
                    file: config_file,
                    message: format!(
                        "`exclude: {pattern}` matches no embedded template (see `chartwright templates list`)"
                    ),
                });
            }
            for h in hits {
                self.templates.remove(&h);
                self.excluded.insert(h);
            }
        }
        let mut files = Vec::new();
        walk_overlay(&root, dir, "", &mut files)?;
        let defaults_rel = config
            .defaults
            .as_deref()
            .map(|d| d.trim_start_matches("./"));
        for (rel, file) in files {
            if rel == OVERLAY_CONFIG || Some(rel.as_str()) == defaults_rel {
                continue;
            }
            let source = read(&file)?;
            self.excluded.remove(&rel);
            self.templates.insert(
                rel,
                Template {
                    source,
                    origin: Origin::Overlay,
                    file: Some(file),
                },
            );
        }
        self.overlay = Some(Overlay {
            dir: dir.to_path_buf(),
            defaults,
            contract: config.contract,
        });
        Ok(())
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

/// Every file below `dir` with its `/`-separated path; symlinks are followed only when they stay
/// inside the overlay root.
fn walk_overlay(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), OverlayError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OverlayError::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(OverlayError::Escapes {
                file: path,
                reason: "the file name is not UTF-8".into(),
            });
        };
        let rel = format!("{prefix}{name}");
        if !is_contained(&rel) {
            return Err(OverlayError::Escapes {
                file: path,
                reason: format!("`{rel}` would leave the output directory"),
            });
        }
        let mut meta = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        if meta.file_type().is_symlink() {
            contained_target(root, &path)?;
            meta = std::fs::metadata(&path).map_err(io(&path))?;
        }
        let is_dir = meta.is_dir();
        // A FIFO would block the run, a device never end: refused before anything is read.
        if let Some(kind) = crate::input::special_kind(&meta).filter(|_| !is_dir) {
            return Err(OverlayError::Read {
                file: path,
                source: crate::input::ReadError::NotRegular { kind },
            });
        }
        if is_dir {
            walk_overlay(root, &path, &format!("{rel}/"), out)?;
        } else {
            out.push((rel, path));
        }
    }
    Ok(())
}

/// A file of the overlay, read as every input is (regular files only, bounded).
fn read(file: &Path) -> Result<String, OverlayError> {
    crate::input::read_text(file, crate::input::MAX_INPUT_BYTES).map_err(|source| {
        OverlayError::Read {
            file: file.to_path_buf(),
            source,
        }
    })
}

/// Refuses a path whose real location (symlinks resolved) is outside the overlay root.
fn contained_target(root: &Path, path: &Path) -> Result<(), OverlayError> {
    let real = path.canonicalize().map_err(|source| OverlayError::Read {
        file: path.to_path_buf(),
        source: source.into(),
    })?;
    if real.starts_with(root) {
        Ok(())
    } else {
        Err(OverlayError::Escapes {
            file: path.to_path_buf(),
            reason: format!("links to {}, outside the overlay folder", real.display()),
        })
    }
}

/// An `exclude`/`eject` pattern: matched against a template's path and against it without
/// `.j2`. `*` and `?` stay within one path segment, `**` as a whole segment spans segments
/// (gitignore's rules, by `globset`, which compiles to a linear-time automaton: no pattern
/// makes matching exponential).
pub struct TemplateGlob(globset::GlobMatcher);

impl TemplateGlob {
    pub fn new(pattern: &str) -> Result<Self, String> {
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map(|g| TemplateGlob(g.compile_matcher()))
            .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))
    }

    pub fn matches(&self, path: &str) -> bool {
        let bare = path.strip_suffix(JINJA_SUFFIX).unwrap_or(path);
        self.0.is_match(path) || self.0.is_match(bare)
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

/// Whether a relative path stays inside the tree it is joined to.
pub fn is_contained(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !p.is_absolute()
        && !path.starts_with('/')
        && !path.contains('\\')
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
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

    fn matches_template(pattern: &str, path: &str) -> bool {
        TemplateGlob::new(pattern).unwrap().matches(path)
    }

    #[test]
    fn globs() {
        assert!(matches_template("k8s/**", "k8s/dev/a.yaml.j2"));
        assert!(matches_template("**/*.yaml.j2", "a.yaml.j2"));
        assert!(matches_template(
            "charts/*/values.yaml.j2",
            "charts/__service__/values.yaml.j2"
        ));
        assert!(!matches_template("charts/*.j2", "charts/x/values.yaml.j2"));
        assert!(matches_template("?.txt", "a.txt"));
        assert!(matches_template(".env.example", ".env.example.j2"));
        assert!(!matches_template(".env", ".env.example.j2"));
    }

    /// Issue 18: `**?**?…#` took 14 s with seven `**?` and doubled with each one under the
    /// hand-written backtracking matcher. A compiled glob matches in time linear in the path,
    /// whatever the pattern, so thirty of them end at once (the suite would time out if not).
    #[test]
    fn a_pathological_glob_is_matched_in_linear_time() {
        let pattern = format!("{}#", "**?".repeat(30));
        let glob = TemplateGlob::new(&pattern).unwrap();
        let path = "a".repeat(200);
        assert!(!glob.matches(&path));
        assert!(glob.matches(&format!("{path}#")));
    }

    #[test]
    fn a_bad_glob_is_an_error_not_a_panic() {
        assert!(TemplateGlob::new("charts/[").is_err());
    }

    #[test]
    fn containment() {
        assert!(is_contained("charts/api/x.yaml"));
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b"] {
            assert!(!is_contained(bad), "{bad}");
        }
    }
}
