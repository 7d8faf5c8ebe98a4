//! `init --from-compose`: a Compose file, imported as far as the spec can express it. Each
//! service keeps what the file says (its ports, healthcheck, command, environment); datastores
//! the catalog knows become backing services; everything that cannot be carried is listed per
//! service, never silently lost.

mod backing;
pub mod env;
mod env_files;
mod files;
pub mod health;
pub mod image;
mod includes;
mod kinds;
mod profiles;
mod resources;
mod service;
mod values;
pub use files::{MAX_DIRECTORY_FILES, Places};
pub use values::shell_words;
use values::spec_name;
pub mod vars;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::draft::{BackingDraft, ServiceDraft};
use crate::catalog::CatalogEntry;
use image::Unpinned;

/// The Compose file in `dir`, if any.
pub fn compose_file(dir: &Path) -> Option<PathBuf> {
    [
        "compose.yaml",
        "compose.yml",
        "docker-compose.yml",
        "docker-compose.yaml",
    ]
    .iter()
    .map(|n| dir.join(n))
    .find(|p| p.is_file())
}

/// A Compose file, imported.
#[derive(Debug, Default)]
pub struct Import {
    pub services: Vec<ServiceDraft>,
    pub backing: Vec<BackingDraft>,
    /// Services whose image has no usable tag: (spec name, what is missing).
    pub needs_tag: Vec<(String, Unpinned)>,
    /// Top-level keys and whole services not carried, one line each.
    pub not_carried: Vec<String>,
    /// Things carried over with a caveat (defaults used, names changed).
    pub warnings: Vec<String>,
    /// Compose name → spec name, of every service in the file.
    pub names: BTreeMap<String, String>,
    /// The image repositories the file names (a pin may name one).
    pub repos: Vec<String>,
    /// The profiles every environment enables: the `.env`'s `COMPOSE_PROFILES`.
    pub env_profiles: Vec<String>,
}

pub(super) fn as_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Compose YAML: aliases and merge keys are normal style (`x-` anchors reused by every
/// service), so their *count* is free; what is bounded is the size they expand to, which is
/// what an alias bomb inflates. Comments are read past, not kept (a real file comments out
/// whole services, more lines than the parser would buffer while it looks ahead).
fn options() -> serde_saphyr::Options {
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 200_000;
    aliases.max_replay_stack_depth = 32;
    aliases.max_alias_expansions_per_anchor = usize::MAX;
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        strict_booleans: true,
        emit_comments: false,
        alias_limits: aliases,
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_nodes: 250_000,
            max_documents: 1,
            enforce_alias_anchor_ratio: false,
        },
    }
}

/// Reads and imports a Compose file, with the `.env` beside it (as Compose reads it) and the
/// `--image-tag` pins (by Compose or spec name), for the spec to be written at `spec` (the
/// files it names are named relative to it).
pub fn import(
    path: &Path,
    spec: &Path,
    app: &str,
    pins: &BTreeMap<String, String>,
) -> Result<Import, String> {
    let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let env_path = path.parent().unwrap_or(Path::new("")).join(".env");
    let vars = match std::fs::read_to_string(&env_path) {
        Ok(t) => vars::parse_env_file(&t),
        Err(_) => BTreeMap::new(),
    };
    let mut doc = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    // `docker compose` reads `compose.override.yml` beside a default-named file, and so does
    // the import: the override completes what the file leaves out.
    let mut merged = None;
    if let Some(name) = path.file_name().and_then(|n| n.to_str())
        && let Some((stem, ext)) = name.rsplit_once('.')
        && ["compose", "docker-compose"].contains(&stem)
    {
        let over = path.with_file_name(format!("{stem}.override.{ext}"));
        if over.is_file() {
            let t = crate::input::read_text(&over, crate::input::MAX_INPUT_BYTES)
                .map_err(|e| format!("cannot read {}: {e}", over.display()))?;
            let o = parse(&t).map_err(|e| format!("{}: {e}", over.display()))?;
            merge(&mut doc, o, "");
            merged = Some(over);
        }
    }
    let mut read = Vec::new();
    includes::resolve(&mut doc, path.parent().unwrap_or(Path::new("")), &mut read)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let places = Places::new(path, spec);
    let mut imp = import_doc(&doc, app, &vars, pins, Some(&places))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(o) = merged {
        read.insert(
            0,
            format!("merged {} into it, as `docker compose` does", o.display()),
        );
    }
    imp.warnings.splice(0..0, read);
    Ok(imp)
}

/// Compose YAML as `import` reads it (merge keys resolved, expansion bounded).
pub fn parse(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| format!("not a Compose file I can read: {e}"))
}

/// Compose's merge of an override into a file: mappings merge key by key, `command`,
/// `entrypoint` and a healthcheck `test` are replaced, other sequences gain the new entries.
fn merge(base: &mut Value, over: Value, key: &str) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v, &k),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(o)) if !["command", "entrypoint", "test"].contains(&key) => {
            for v in o {
                if !b.contains(&v) {
                    b.push(v);
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// What each Compose service becomes.
pub(super) struct Plan<'a> {
    /// Compose name → spec name.
    pub names: BTreeMap<String, String>,
    /// Compose name → catalog entry, for the services that become backing services.
    pub backing: BTreeMap<String, &'static CatalogEntry>,
    /// Compose names not carried at all.
    pub skipped: Vec<String>,
    pub vars: &'a BTreeMap<String, String>,
    pub app: &'a str,
    /// Where the files the Compose file names are read (`None` for a file given as text).
    pub places: Option<&'a Places>,
}

pub fn import_text(
    text: &str,
    app: &str,
    vars: &BTreeMap<String, String>,
    pins: &BTreeMap<String, String>,
) -> Result<Import, String> {
    import_doc(&parse(text)?, app, vars, pins, None)
}

fn import_doc(
    doc: &Value,
    app: &str,
    vars: &BTreeMap<String, String>,
    pins: &BTreeMap<String, String>,
    places: Option<&Places>,
) -> Result<Import, String> {
    let services = doc
        .get("services")
        .and_then(Value::as_object)
        .ok_or("it has no `services:` mapping")?;
    let mut imp = Import::default();
    for (key, v) in doc.as_object().into_iter().flatten() {
        match key.as_str() {
            "services" | "version" | "name" => {}
            k if k.starts_with("x-") => {}
            "volumes" => {
                for (vol, def) in v.as_object().into_iter().flatten() {
                    if def.as_object().is_some_and(|d| !d.is_empty()) {
                        imp.not_carried.push(format!(
                            "volume `{vol}`: its settings ({})",
                            def.as_object()
                                .map(|d| d.keys().cloned().collect::<Vec<_>>().join(", "))
                                .unwrap_or_default()
                        ));
                    }
                }
            }
            k => imp
                .not_carried
                .push(format!("top-level `{k}` (chartwright generates its own)")),
        }
    }
    let mut plan = Plan {
        names: BTreeMap::new(),
        backing: BTreeMap::new(),
        skipped: Vec::new(),
        vars,
        app,
        places,
    };
    for (cname, svc) in services {
        let name = spec_name(cname);
        if name != *cname {
            imp.warnings.push(format!(
                "service `{cname}` is named `{name}` in the spec (names are DNS labels)"
            ));
        }
        plan.names.insert(cname.clone(), name);
        if svc.get("image").is_none() && svc.get("build").is_none() {
            imp.not_carried.push(format!(
                "service `{cname}`: it has neither `image` nor `build`"
            ));
            plan.skipped.push(cname.clone());
        }
    }
    // A pin names a service (its Compose or spec name) or an image repository, which pins
    // every service running it (Sentry runs thirty services from one local build).
    let repo_of = |svc: &Value| {
        svc.get("image")
            .and_then(as_str)
            .map(|w| image::split_image(&vars::interpolate(&w, vars).text).0)
    };
    let pin = |cname: &str, plan: &Plan| {
        pins.get(cname)
            .or_else(|| pins.get(&plan.names[cname]))
            .or_else(|| repo_of(&services[cname]).and_then(|r| pins.get(&r)))
            .cloned()
    };
    imp.repos = services.values().filter_map(repo_of).collect();
    // Decided first: a service run to completion is a job even with a datastore's image.
    let completes = kinds::run_to_completion(services);
    // Datastores first: whether a service is one decides what its dependents are given.
    let mut images = BTreeMap::new();
    for (cname, svc) in services {
        if plan.skipped.contains(cname) {
            continue;
        }
        let Some(written) = svc.get("image").and_then(as_str) else {
            continue;
        };
        let img = image::resolve(&written, vars, pin(cname, &plan).as_deref())
            .map_err(|m| format!("--image-tag {cname}: {m}"))?;
        if svc.get("build").is_none()
            && !completes.contains(cname)
            && let Some(entry) = backing::entry_for(&img)
        {
            plan.backing.insert(cname.clone(), entry);
        }
        images.insert(cname.clone(), img);
    }
    for (cname, svc) in services {
        if plan.skipped.contains(cname) {
            continue;
        }
        let name = plan.names[cname].clone();
        if let Some(entry) = plan.backing.get(cname).copied() {
            let img = &images[cname];
            match backing::import(&name, svc, entry, img) {
                Ok(b) => imp.backing.push(b),
                Err(need) => imp.needs_tag.push((name, need)),
            }
            continue;
        }
        let img = images.get(cname);
        let pinned = pin(cname, &plan);
        let s = service::import(&mut imp, cname, svc, img, pinned.as_deref(), &plan);
        imp.services.push(s);
    }
    let completes: Vec<&String> = completes.iter().filter_map(|c| plan.names.get(c)).collect();
    kinds::decide(&mut imp.services, &completes);
    profiles::settle(&mut imp, vars);
    imp.names = plan.names.clone();
    if imp.services.is_empty() && imp.needs_tag.is_empty() {
        return Err("it has no service of its own (only backing services or none)".into());
    }
    Ok(imp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_reuse_is_not_an_alias_bomb() {
        // 150 services merging one `x-` anchor: ordinary Compose style.
        let mut text = String::from(
            "x-base: &base\n  image: acme/app:1.0.0\n  expose: [\"80\"]\n  restart: always\nservices:\n",
        );
        for i in 0..150 {
            text.push_str(&format!(
                "  s{i}:\n    <<: *base\n    command: [run, '{i}']\n"
            ));
        }
        let imp = import_text(&text, "acme", &BTreeMap::new(), &BTreeMap::new()).unwrap();
        assert_eq!(imp.services.len(), 150);
        assert_eq!(imp.services[0].image, "acme/app:1.0.0");
    }

    #[test]
    fn a_commented_out_service_longer_than_the_lookahead_buffer_is_read_past() {
        // Nextcloud AIO and Penpot comment out whole services and their options.
        let mut text = String::from("services:\n");
        for i in 0..150 {
            text.push_str(&format!("  #   OLD_{i}: x\n"));
        }
        text.push_str("  api:\n    image: acme/api:1.0.0\n  web:\n    image: acme/web:1.0.0\n");
        let imp = import_text(&text, "acme", &BTreeMap::new(), &BTreeMap::new()).unwrap();
        assert_eq!(imp.services.len(), 2);
    }

    #[test]
    fn an_alias_bomb_is_refused_by_its_expanded_size() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        text.push_str("services: {}\n");
        let err = import_text(&text, "acme", &BTreeMap::new(), &BTreeMap::new()).unwrap_err();
        assert!(err.contains("not a Compose file I can read"), "{err}");
    }
}
