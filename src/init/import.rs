//! The Compose branch of `init`: import the file, pin what it leaves unpinned (flags, or asked at
//! a terminal), and put the result into the draft.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::args::InitArgs;
use super::compose::{self, image::Unpinned};
use super::draft::Draft;
use super::prompt::{self, Asker};
use crate::pipeline::Error;

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}

/// `--image-tag SERVICE=VALUE` flags, by service.
fn pins(args: &InitArgs) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for t in &args.image_tags {
        let (svc, tag) = t
            .split_once('=')
            .ok_or_else(|| usage(format!("--image-tag `{t}`: write SERVICE=TAG")))?;
        out.insert(svc.to_string(), tag.to_string());
    }
    Ok(out)
}

fn what_is_missing(svc: &str, u: &Unpinned) -> String {
    match u {
        Unpinned::Tag { repo } => format!("{svc} (image `{repo}`: no tag, `latest` or a variable)"),
        Unpinned::Whole => format!("{svc} (the whole image is a variable: give `repository:tag`)"),
    }
}

/// Imports `path` into `draft`; returns (warnings, top-level keys not carried).
pub fn import(
    args: &InitArgs,
    asker: &mut Asker,
    draft: &mut Draft,
    path: &Path,
) -> Result<(Vec<String>, Vec<String>), Error> {
    let mut pins = pins(args)?;
    let mut imp = compose::import(path, &args.spec, &draft.app, &pins).map_err(usage)?;
    for svc in pins.keys() {
        if !imp.names.contains_key(svc)
            && !imp.names.values().any(|n| n == svc)
            && !imp.repos.contains(svc)
        {
            return Err(usage(format!(
                "--image-tag: `{svc}` is neither a service nor an image repository of {}",
                path.display()
            )));
        }
    }
    if !imp.needs_tag.is_empty() && asker.interactive {
        for (svc, u) in &imp.needs_tag {
            let (question, repo) = match u {
                Unpinned::Tag { repo } => (
                    format!(
                        "Image tag for `{svc}` ({repo}: untagged, `latest` or a variable in Compose)"
                    ),
                    repo.clone(),
                ),
                Unpinned::Whole => (
                    format!("Image for `{svc}` (a variable in Compose): repository:tag"),
                    String::new(),
                ),
            };
            let rule = move |t: &str| {
                if repo.is_empty() {
                    prompt::image_rule(t)
                } else {
                    prompt::tag_rule(&repo)(t)
                }
            };
            let answer = asker.text("image-tag", &question, None, None, &rule, false)?;
            pins.insert(svc.clone(), answer);
        }
        imp = compose::import(path, &args.spec, &draft.app, &pins).map_err(usage)?;
    }
    if !imp.needs_tag.is_empty() {
        let list: Vec<String> = imp
            .needs_tag
            .iter()
            .map(|(s, u)| what_is_missing(s, u))
            .collect();
        let first = &imp.needs_tag[0].0;
        return Err(usage(format!(
            "these imported services have no pinned image: {}\npin each with --image-tag SERVICE=TAG (or SERVICE=repository:tag), e.g. --image-tag {first}=1.0.0",
            list.join(", ")
        )));
    }
    // A pinned image must still be a valid reference.
    for s in &imp.services {
        prompt::image_rule(&s.image)
            .map_err(|m| usage(format!("service `{}`: image `{}`: {m}", s.name, s.image)))?;
    }
    // Compose resolves build contexts against the Compose file's folder; the spec's are
    // relative to the spec file (and `generate` rebases them onto the output folder).
    let compose_dir = path.parent().unwrap_or(Path::new(""));
    let spec_dir = args.spec.parent().unwrap_or(Path::new(""));
    let dir = |p: &Path| {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p.to_owned()
        }
    };
    for s in &mut imp.services {
        if let Some(b) = &s.build
            && !b.contains("://")
            && !b.starts_with("git@")
            && !Path::new(b).is_absolute()
        {
            let rebased = crate::pipeline::relative_path(&dir(spec_dir), &dir(compose_dir).join(b));
            s.build = Some(if rebased.starts_with("..") || rebased == "." {
                rebased
            } else {
                format!("./{rebased}")
            });
        }
    }
    draft.source = Some(path.display().to_string());
    draft
        .notes
        .push(format!("Imported from {}.", path.display()));
    if !imp.not_carried.is_empty() {
        draft
            .notes
            .push(format!("Not carried over from {}:", path.display()));
        draft
            .notes
            .extend(imp.not_carried.iter().map(|d| format!("  - {d}")));
    }
    if !imp.env_profiles.is_empty() {
        draft.notes.push(format!(
            "COMPOSE_PROFILES in the .env beside {} enables {} in every environment.",
            path.display(),
            imp.env_profiles.join(", ")
        ));
    }
    draft.env_profiles = imp.env_profiles;
    draft.services = imp.services;
    draft.backing = imp.backing;
    Ok((imp.warnings, imp.not_carried))
}

/// The import report: per service, what was not carried over.
pub fn report(draft: &Draft, top: &[String]) {
    let mut lines: Vec<String> = top.to_vec();
    for s in &draft.services {
        if !s.not_carried.is_empty() {
            lines.push(format!("service `{}`:", s.name));
            lines.extend(s.not_carried.iter().map(|l| format!("    {l}")));
        }
    }
    for b in &draft.backing {
        if !b.not_carried.is_empty() {
            lines.push(format!("backing `{}` ({}):", b.name, b.kind));
            lines.extend(b.not_carried.iter().map(|l| format!("    {l}")));
        }
    }
    if lines.is_empty() {
        return;
    }
    eprintln!("not carried over from the Compose file:");
    for l in lines {
        eprintln!("  {l}");
    }
}
