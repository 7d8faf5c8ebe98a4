//! What the working directory already says: a Dockerfile's ports, healthcheck and user, and a
//! Compose file's services, imported as far as the spec can express them. Anything that cannot be
//! carried over is listed in [`Import::dropped`], never silently lost.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{BackingDraft, Draft, ServiceDraft};
use crate::catalog::{self, CatalogEntry};
use crate::spec::names::{MAX_NAME, check_dns_label, check_env_name, looks_secret};

/// What a Dockerfile tells us.
#[derive(Debug, Default, Clone)]
pub struct DockerfileInfo {
    pub file: String,
    pub ports: Vec<u16>,
    pub health_path: Option<String>,
    pub run_as_user: Option<i64>,
    pub base_image: Option<String>,
    pub notes: Vec<String>,
}

/// The first `Dockerfile*` in `dir`, read.
pub fn dockerfile(dir: &Path) -> Option<DockerfileInfo> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("Dockerfile"))
        })
        .collect();
    names.sort();
    let path = names.first()?;
    let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES).ok()?;
    let mut info = parse_dockerfile(&text);
    info.file = path.file_name()?.to_string_lossy().into_owned();
    Some(info)
}

pub fn parse_dockerfile(text: &str) -> DockerfileInfo {
    let mut info = DockerfileInfo::default();
    // Join continuation lines first.
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (instr, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match instr.to_ascii_uppercase().as_str() {
            "FROM" => {
                // The last stage's base is what runs.
                let image = rest
                    .split_whitespace()
                    .find(|w| !w.starts_with("--"))
                    .unwrap_or_default();
                info.base_image = Some(image.to_string());
            }
            "EXPOSE" => {
                for w in rest.split_whitespace() {
                    let num = w.split('/').next().unwrap_or_default();
                    match num.parse::<u16>() {
                        Ok(p) if p > 0 && !info.ports.contains(&p) => info.ports.push(p),
                        Ok(_) => {}
                        Err(_) => info
                            .notes
                            .push(format!("EXPOSE {w} is not a port number; ignored")),
                    }
                }
            }
            "HEALTHCHECK" => {
                if let Some(p) = url_path(rest) {
                    info.health_path = Some(p);
                } else if !rest.eq_ignore_ascii_case("none") {
                    info.notes.push(
                        "the HEALTHCHECK calls no http URL; probes left at their defaults".into(),
                    );
                }
            }
            "USER" => {
                let user = rest.split(':').next().unwrap_or_default().trim();
                match user.parse::<i64>() {
                    Ok(0) => {
                        info.run_as_user = None;
                        info.notes.push("USER 0 is root; the generated security context requires a non-root UID, so set `run_as_user`".into());
                    }
                    Ok(uid) => info.run_as_user = Some(uid),
                    Err(_) if user == "root" => {
                        info.run_as_user = None;
                        info.notes.push("USER root: the generated security context requires a non-root UID, so set `run_as_user`".into());
                    }
                    Err(_) => {
                        info.run_as_user = None;
                        info.notes.push(format!("USER {user} is a name; Kubernetes needs the numeric UID, so set `run_as_user` to it"));
                    }
                }
            }
            _ => {}
        }
    }
    info
}

/// The path of the first `http://…` URL in a healthcheck command (curl, wget or anything else).
pub fn url_path(command: &str) -> Option<String> {
    let start = command
        .find("http://")
        .or_else(|| command.find("https://"))?;
    let url = &command[start..];
    let url = url
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == ']')
        .next()?;
    let after_scheme = url.split_once("://")?.1;
    let path = match after_scheme.find('/') {
        Some(i) => &after_scheme[i..],
        None => "/",
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    Some(if path.is_empty() { "/" } else { path }.to_string())
}

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
    /// Own services whose image has no usable tag: (service, repository).
    pub needs_tag: Vec<(String, String)>,
    /// Everything not carried over, one line each.
    pub dropped: Vec<String>,
    /// Things carried over with a caveat (secret values dropped, names changed).
    pub warnings: Vec<String>,
}

impl Import {
    /// Applies the import to a draft.
    pub fn into_draft(self, draft: &mut Draft) {
        draft.services = self.services;
        draft.backing = self.backing;
        if !self.dropped.is_empty() {
            draft
                .notes
                .push("Not carried over from the Compose file:".to_string());
            draft
                .notes
                .extend(self.dropped.iter().map(|d| format!("  - {d}")));
        }
    }
}

/// Splits an image into (repository, tag); a digest counts as a tag.
pub fn split_image(image: &str) -> (String, Option<String>) {
    if let Some((repo, digest)) = image.split_once('@') {
        return (repo.to_string(), Some(format!("@{digest}")));
    }
    let last_slash = image.rfind('/').map(|i| i + 1).unwrap_or(0);
    match image[last_slash..].rfind(':') {
        Some(i) => (
            image[..last_slash + i].to_string(),
            Some(image[last_slash + i + 1..].to_string()),
        ),
        None => (image.to_string(), None),
    }
}

fn catalog_for(repo: &str) -> Option<&'static CatalogEntry> {
    let bare = repo
        .strip_prefix("docker.io/")
        .or_else(|| repo.strip_prefix("index.docker.io/"))
        .unwrap_or(repo);
    catalog::CATALOG
        .iter()
        .find(|e| e.image_names.contains(&bare))
}

/// The catalog version for an image tag: the exact `major.minor` or `major` when listed, else
/// the nearest version with the same major.
pub fn catalog_version(entry: &CatalogEntry, tag: &str) -> Option<&'static str> {
    let numeric: String = tag
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let parts: Vec<u64> = numeric
        .split('.')
        .filter(|p| !p.is_empty())
        .map_while(|p| p.parse().ok())
        .collect();
    let major = *parts.first()?;
    let minor = parts.get(1).copied();
    let mut best: Option<(u64, &'static str)> = None;
    for (v, _) in entry.versions {
        let vp: Vec<u64> = v.split('.').filter_map(|p| p.parse().ok()).collect();
        if vp.first() != Some(&major) {
            continue;
        }
        let distance = match (vp.get(1), minor) {
            (None, _) => 0,
            (Some(a), Some(b)) => a.abs_diff(b),
            (Some(_), None) => 0,
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, v));
        }
    }
    best.map(|(_, v)| v)
}

/// A Compose service name as a spec name: kept when it is a DNS label, else its suggestion.
fn spec_name(name: &str) -> String {
    if check_dns_label(name, MAX_NAME).is_ok() {
        return name.to_string();
    }
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    let s = if s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s
    } else {
        format!("s-{s}")
    };
    s.chars()
        .take(MAX_NAME)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn as_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The container side of a Compose port entry.
fn container_port(v: &Value) -> Result<(u16, bool), String> {
    let text = match v {
        Value::Object(m) => m.get("target").and_then(as_str).unwrap_or_default(),
        other => as_str(other).unwrap_or_default(),
    };
    let (body, proto) = text.split_once('/').unwrap_or((&text, "tcp"));
    let container = body.rsplit(':').next().unwrap_or_default();
    container
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .map(|p| (p, proto.eq_ignore_ascii_case("udp")))
        .ok_or_else(|| format!("port `{text}`"))
}

fn env_entries(v: &Value) -> Vec<(String, Option<String>)> {
    match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), as_str(v))).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(as_str)
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (s, None),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn healthcheck_text(v: &Value) -> Option<String> {
    let test = v.get("test")?;
    match test {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => as_str(other),
    }
}

/// Reads and imports a Compose file. `app` names the image repository of build-only services.
pub fn import_compose(path: &Path, app: &str) -> Result<Import, String> {
    let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    import_compose_text(&text, app).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn import_compose_text(text: &str, app: &str) -> Result<Import, String> {
    let doc: Value =
        serde_saphyr::from_str(text).map_err(|e| format!("not a Compose file I can read: {e}"))?;
    let services = doc
        .get("services")
        .and_then(Value::as_object)
        .ok_or("it has no `services:` mapping")?;
    let mut imp = Import::default();
    for key in doc.as_object().into_iter().flat_map(|m| m.keys()) {
        if !["services", "volumes", "version", "name"].contains(&key.as_str()) {
            imp.dropped
                .push(format!("top-level `{key}` (chartwright generates its own)"));
        }
    }
    // Compose name → spec name, and which of them are backing services.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut backing_kind: BTreeMap<String, &'static CatalogEntry> = BTreeMap::new();
    let mut kept: BTreeMap<String, bool> = BTreeMap::new();
    for (cname, svc) in services {
        let name = spec_name(cname);
        if name != *cname {
            imp.warnings.push(format!(
                "service `{cname}` is named `{name}` in the spec (names are DNS labels)"
            ));
        }
        names.insert(cname.clone(), name);
        let image = svc.get("image").and_then(as_str);
        let build = svc.get("build").is_some();
        if let Some(img) = &image
            && !build
            && let Some(entry) = catalog_for(&split_image(img).0)
        {
            backing_kind.insert(cname.clone(), entry);
        }
        kept.insert(cname.clone(), image.is_some() || build);
    }
    for (cname, svc) in services {
        let name = names[cname].clone();
        if !kept[cname] {
            imp.dropped.push(format!(
                "service `{cname}`: it has neither `image` nor `build`"
            ));
            continue;
        }
        if let Some(entry) = backing_kind.get(cname) {
            import_backing(&mut imp, cname, &name, svc, entry, &mut kept);
        }
    }
    for (cname, svc) in services {
        if !kept[cname] || backing_kind.contains_key(cname) {
            continue;
        }
        let s = import_service(&mut imp, cname, svc, app, &names, &kept, &backing_kind);
        imp.services.push(s);
    }
    if imp.services.is_empty() {
        return Err("it has no service of its own (only backing services or none)".into());
    }
    Ok(imp)
}

fn import_backing(
    imp: &mut Import,
    cname: &str,
    name: &str,
    svc: &Value,
    entry: &'static CatalogEntry,
    kept: &mut BTreeMap<String, bool>,
) {
    let image = svc.get("image").and_then(as_str).unwrap_or_default();
    let (_, tag) = split_image(&image);
    let version = tag.as_deref().and_then(|t| catalog_version(entry, t));
    let Some(version) = version else {
        imp.dropped.push(format!(
            "service `{cname}`: image `{image}` has no version in the {} catalog ({}); add it under `backing:` by hand",
            entry.kind,
            entry.version_list()
        ));
        kept.insert(cname.to_string(), false);
        return;
    };
    imp.backing.push(BackingDraft {
        name: name.to_string(),
        kind: entry.kind.to_string(),
        version: version.to_string(),
    });
    if let Some(Value::Array(vols)) = svc.get("volumes") {
        for v in vols {
            let text = match v {
                Value::Object(m) => m.get("source").and_then(as_str).unwrap_or_default(),
                other => as_str(other).unwrap_or_default(),
            };
            let source = text.split(':').next().unwrap_or_default();
            let named = !source.is_empty()
                && !source.starts_with(['.', '/', '~', '$'])
                && text.contains(':');
            if !named {
                imp.dropped.push(format!(
                    "service `{cname}`: volume `{text}` (the catalog keeps the data in its own named volume)"
                ));
            }
        }
    }
    if svc.get("environment").is_some() {
        imp.warnings.push(format!(
            "service `{cname}`: its environment was dropped; the catalog sets {}'s credentials and the dependents' connection URL",
            entry.kind
        ));
    }
    for key in svc.as_object().into_iter().flat_map(|m| m.keys()) {
        if ![
            "image",
            "volumes",
            "environment",
            "ports",
            "healthcheck",
            "restart",
            "container_name",
            "expose",
        ]
        .contains(&key.as_str())
        {
            imp.dropped.push(format!(
                "service `{cname}`: `{key}` (backing services come from the catalog)"
            ));
        }
    }
}

fn import_service(
    imp: &mut Import,
    cname: &str,
    svc: &Value,
    app: &str,
    names: &BTreeMap<String, String>,
    kept: &BTreeMap<String, bool>,
    backing_kind: &BTreeMap<String, &'static CatalogEntry>,
) -> ServiceDraft {
    let name = names[cname].clone();
    let mut s = ServiceDraft {
        name: name.clone(),
        ..ServiceDraft::default()
    };
    // Image and build.
    let image = svc.get("image").and_then(as_str);
    match svc.get("build") {
        Some(Value::Object(b)) => {
            s.build = Some(b.get("context").and_then(as_str).unwrap_or(".".into()));
            for (key, v) in b {
                if key != "context" {
                    let v = as_str(v).unwrap_or_else(|| v.to_string());
                    imp.dropped
                        .push(format!("service `{cname}`: build `{key}: {v}`"));
                }
            }
        }
        Some(other) => s.build = as_str(other),
        None => {}
    }
    let (repo, tag) = match &image {
        Some(img) => split_image(img),
        None => (format!("{app}/{name}"), None),
    };
    match tag {
        Some(t) if t != "latest" => {
            s.image = if t.starts_with('@') {
                format!("{repo}{t}")
            } else {
                format!("{repo}:{t}")
            }
        }
        _ => {
            s.image = repo.clone();
            imp.needs_tag.push((name.clone(), repo));
        }
    }
    // Ports: container side of `ports` and `expose`.
    for key in ["ports", "expose"] {
        if let Some(Value::Array(items)) = svc.get(key) {
            for p in items {
                match container_port(p) {
                    Ok((n, udp)) => {
                        if udp {
                            imp.dropped
                                .push(format!("service `{cname}`: UDP port {n} (imported as TCP)"));
                        }
                        if !s.ports.contains(&n) {
                            s.ports.push(n);
                        }
                    }
                    Err(what) => imp.dropped.push(format!(
                        "service `{cname}`: {what} (not a single container port)"
                    )),
                }
            }
        }
    }
    // Healthcheck.
    if let Some(h) = svc.get("healthcheck") {
        let text = healthcheck_text(h).unwrap_or_default();
        match url_path(&text) {
            Some(p) => {
                s.liveness = Some(p.clone());
                s.readiness = Some(p);
            }
            None if h.get("disable").is_some() || text == "NONE" => {}
            None => imp.dropped.push(format!(
                "service `{cname}`: healthcheck `{text}` (no HTTP URL to turn into probes)"
            )),
        }
    }
    // Environment.
    let deps: Vec<String> = match svc.get("depends_on") {
        Some(Value::Array(items)) => items.iter().filter_map(as_str).collect(),
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let provided: Vec<&str> = deps
        .iter()
        .filter_map(|d| backing_kind.get(d).filter(|_| kept.get(d) == Some(&true)))
        .map(|e| e.url_var)
        .collect();
    if let Some(env) = svc.get("environment") {
        for (k, v) in env_entries(env) {
            if let Err(m) = check_env_name(&k) {
                imp.dropped
                    .push(format!("service `{cname}`: environment `{k}` ({m})"));
                continue;
            }
            if provided.contains(&k.as_str()) {
                imp.warnings.push(format!(
                    "service `{cname}`: `{k}` dropped; chartwright injects it from the backing service"
                ));
                continue;
            }
            let value = v.unwrap_or_default();
            let reference = value.contains('$') || value.is_empty();
            let credentials_in_url = value
                .split_once("://")
                .is_some_and(|(_, rest)| rest.split('/').next().unwrap_or("").contains('@'));
            if looks_secret(&k) || reference || credentials_in_url {
                let why = if looks_secret(&k) {
                    "its name looks secret"
                } else if credentials_in_url {
                    "its value holds credentials"
                } else {
                    "its value comes from the environment"
                };
                if !value.is_empty() {
                    imp.warnings.push(format!(
                        "service `{cname}`: `{k}` became a secret name ({why}); its value was dropped, so set it in .env or your secret store"
                    ));
                }
                if !s.secrets.contains(&k) {
                    s.secrets.push(k);
                }
            } else {
                s.env.push((k, value));
            }
        }
    }
    if let Some(files) = svc.get("env_file") {
        let list: Vec<String> = match files {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| as_str(i).or_else(|| i.get("path").and_then(as_str)))
                .collect(),
            other => as_str(other).into_iter().collect(),
        };
        for f in list {
            imp.dropped.push(format!(
                "service `{cname}`: env_file `{f}` (copy the plain values into `env:` and list secret names under `secrets:`)"
            ));
        }
    }
    // Dependencies.
    for d in deps {
        match names.get(&d) {
            Some(n) if kept[&d] => {
                if !s.depends_on.contains(n) {
                    s.depends_on.push(n.clone());
                }
            }
            _ => imp.dropped.push(format!(
                "service `{cname}`: depends_on `{d}` (that service was not carried over)"
            )),
        }
    }
    if let Some(Value::Array(vols)) = svc.get("volumes") {
        for v in vols {
            let text = match v {
                Value::Object(m) => format!(
                    "{}:{}",
                    m.get("source").and_then(as_str).unwrap_or_default(),
                    m.get("target").and_then(as_str).unwrap_or_default()
                ),
                other => as_str(other).unwrap_or_default(),
            };
            imp.dropped
                .push(format!("service `{cname}`: volume `{text}`"));
        }
    }
    if let Some(cmd) = svc.get("command") {
        match cmd {
            Value::Array(items) => s.command = Some(items.iter().filter_map(as_str).collect()),
            other => {
                let text = as_str(other).unwrap_or_default();
                if text.contains(['"', '\'', '$', '\\']) {
                    imp.dropped.push(format!(
                        "service `{cname}`: command `{text}` (write it as a list under `command:`)"
                    ));
                } else {
                    s.command = Some(text.split_whitespace().map(str::to_string).collect());
                }
            }
        }
    }
    let handled = [
        "image",
        "build",
        "ports",
        "expose",
        "healthcheck",
        "environment",
        "env_file",
        "depends_on",
        "volumes",
        "command",
        "restart",
        "container_name",
    ];
    for key in svc.as_object().into_iter().flat_map(|m| m.keys()) {
        if !handled.contains(&key.as_str()) {
            imp.dropped.push(format!("service `{cname}`: `{key}`"));
        }
    }
    if s.ports.is_empty() {
        imp.warnings.push(format!(
            "service `{cname}` publishes no port; it gets port 8080 (change it if that is wrong)"
        ));
        s.ports.push(8080);
    }
    s
}
