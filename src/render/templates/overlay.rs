//! Loading a team overlay folder over the embedded tree: `chartwright-overlay.yaml`
//! (`exclude`, `contract`, `defaults`), and every file read without leaving the folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::paths::{TemplateGlob, is_contained};
use super::{OVERLAY_CONFIG, Origin, Template, TemplateSet};

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
                    source: source.into(),
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
