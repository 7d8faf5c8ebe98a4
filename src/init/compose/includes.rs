//! The other Compose files a Compose file pulls in, read as `docker compose` reads them:
//! `include:` adds the services (and volumes) of other files, `extends:` starts a service from
//! another one (in the same file or another) and lays the service's own keys over it. Paths are
//! relative to the file that names them.

use std::path::Path;

use serde_json::{Map, Value};

use super::{as_str, merge, parse};

/// How deep `include` and `extends` may nest (a cycle is refused, not followed forever).
const MAX_DEPTH: usize = 8;

fn read(path: &Path) -> Result<Value, String> {
    let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Resolves `include` and every service's `extends` in `doc`, a file in `dir`; says what it
/// read in `warnings`.
pub(super) fn resolve(
    doc: &mut Value,
    dir: &Path,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    resolve_at(doc, dir, warnings, 0)
}

fn resolve_at(
    doc: &mut Value,
    dir: &Path,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "`include` or `extends` nests more than {MAX_DEPTH} files deep (a cycle?)"
        ));
    }
    extends_all(doc, dir, warnings, depth)?;
    let Some(includes) = doc.as_object_mut().and_then(|d| d.remove("include")) else {
        return Ok(());
    };
    let entries: Vec<Value> = match includes {
        Value::Array(a) => a,
        other => vec![other],
    };
    for entry in entries {
        // `- other.yaml`, or `- path: other.yaml` (a path or a list of paths, merged in order).
        let paths: Vec<String> = match &entry {
            Value::Object(m) => match m.get("path") {
                Some(Value::Array(a)) => a.iter().filter_map(as_str).collect(),
                Some(p) => as_str(p).into_iter().collect(),
                None => Vec::new(),
            },
            other => as_str(other).into_iter().collect(),
        };
        let mut included: Option<Value> = None;
        for p in &paths {
            let path = dir.join(p);
            let mut other = read(&path)?;
            let other_dir = path.parent().unwrap_or(dir).to_path_buf();
            resolve_at(&mut other, &other_dir, warnings, depth + 1)?;
            rebase_services(&mut other, Path::new(p).parent());
            match included.as_mut() {
                Some(base) => merge(base, other, ""),
                None => included = Some(other),
            }
        }
        let Some(included) = included else { continue };
        if let Value::Object(m) = &entry {
            for key in m.keys().filter(|k| *k != "path") {
                warnings.push(format!(
                    "`include` of {}: its `{key}` is not read (variables come from the .env beside the main file)",
                    paths.join(", ")
                ));
            }
        }
        add_included(doc, included, &paths.join(", "), warnings);
    }
    Ok(())
}

/// The services and volumes of an included file join the main one; a service the main file
/// also defines is the main file's (Compose refuses the clash; the import keeps going and says so).
fn add_included(doc: &mut Value, included: Value, from: &str, warnings: &mut Vec<String>) {
    let Value::Object(inc) = included else { return };
    let Some(d) = doc.as_object_mut() else { return };
    let mut names = Vec::new();
    for (section, v) in inc {
        let Value::Object(items) = v else { continue };
        if !["services", "volumes", "networks", "secrets", "configs"].contains(&section.as_str()) {
            continue;
        }
        let target = d
            .entry(section.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(target) = target.as_object_mut() else {
            continue;
        };
        for (name, def) in items {
            if target.contains_key(&name) {
                warnings.push(format!(
                    "{section} `{name}` of the included {from} is also in the main file: the main file's is used"
                ));
                continue;
            }
            if section == "services" {
                names.push(name.clone());
            }
            target.insert(name, def);
        }
    }
    warnings.push(format!(
        "included {from} as `docker compose` does (services {})",
        names.join(", ")
    ));
}

/// Every service with `extends` becomes its base with its own keys laid over.
fn extends_all(
    doc: &mut Value,
    dir: &Path,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<(), String> {
    let names: Vec<String> = doc
        .get("services")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .filter(|(_, v)| v.get("extends").is_some())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    for name in names {
        let resolved = extended(doc, &name, dir, warnings, depth)?;
        doc["services"][&name] = resolved;
    }
    Ok(())
}

/// The service `name` of `doc` with its `extends` resolved.
fn extended(
    doc: &Value,
    name: &str,
    dir: &Path,
    warnings: &mut Vec<String>,
    depth: usize,
) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "service `{name}`: `extends` nests more than {MAX_DEPTH} deep (a cycle?)"
        ));
    }
    let mut svc = doc["services"]
        .get(name)
        .cloned()
        .ok_or_else(|| format!("`extends` names service `{name}`, which is not there"))?;
    let Some(ext) = svc.as_object_mut().and_then(|m| m.remove("extends")) else {
        return Ok(svc);
    };
    let (base_name, file) = match &ext {
        Value::Object(m) => (
            m.get("service").and_then(as_str).unwrap_or_default(),
            m.get("file").and_then(as_str),
        ),
        other => (as_str(other).unwrap_or_default(), None),
    };
    let mut base = match &file {
        Some(f) => {
            let path = dir.join(f);
            let other = read(&path)?;
            let other_dir = path.parent().unwrap_or(dir).to_path_buf();
            let mut base = extended(&other, &base_name, &other_dir, warnings, depth + 1)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            rebase_service(&mut base, Path::new(f).parent());
            base
        }
        None => extended(doc, &base_name, dir, warnings, depth + 1)?,
    };
    warnings.push(format!(
        "service `{name}` extends `{base_name}`{}: its keys are laid over that service's, as `docker compose` does",
        file.map(|f| format!(" of {f}")).unwrap_or_default()
    ));
    merge(&mut base, svc, "");
    Ok(base)
}

/// Every service of a file read from `folder` (relative to the including file's folder).
fn rebase_services(doc: &mut Value, folder: Option<&Path>) {
    if let Some(services) = doc.get_mut("services").and_then(Value::as_object_mut) {
        for svc in services.values_mut() {
            rebase_service(svc, folder);
        }
    }
}

/// A service read from another file names its files relative to that file's folder (as
/// `docker compose` resolves them); the import reads every path from the main file's folder, so
/// the relative ones get the other file's folder in front: `env_file`, bind-mount sources and
/// the build context. Absolute paths, `~` and variables stay as written.
fn rebase_service(svc: &mut Value, folder: Option<&Path>) {
    let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) else {
        return;
    };
    let Some(svc) = svc.as_object_mut() else {
        return;
    };
    let rebase = |path: &mut Value, bind_only: bool| {
        let Some(p) = path.as_str() else { return };
        let is_bind = p.starts_with('.') || p.starts_with('/') || p.starts_with('~');
        if p.starts_with('/') || p.starts_with('~') || p.starts_with('$') || (bind_only && !is_bind)
        {
            return;
        }
        let rel = p.strip_prefix("./").unwrap_or(p);
        *path = Value::String(format!("./{}", folder.join(rel).display()));
    };
    match svc.get_mut("env_file") {
        Some(Value::Array(files)) => {
            for f in files {
                match f {
                    Value::Object(m) => {
                        m.get_mut("path").into_iter().for_each(|p| rebase(p, false))
                    }
                    other => rebase(other, false),
                }
            }
        }
        Some(Value::Object(m)) => m.get_mut("path").into_iter().for_each(|p| rebase(p, false)),
        Some(other) => rebase(other, false),
        None => {}
    }
    match svc.get_mut("build") {
        Some(Value::Object(m)) => m
            .get_mut("context")
            .into_iter()
            .for_each(|p| rebase(p, false)),
        Some(other) => rebase(other, false),
        None => {}
    }
    for volume in svc
        .get_mut("volumes")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        match volume {
            Value::Object(m) if m.get("type").and_then(Value::as_str) == Some("bind") => m
                .get_mut("source")
                .into_iter()
                .for_each(|p| rebase(p, false)),
            Value::String(short) => {
                let (source, rest) = short.split_once(':').unwrap_or((short.as_str(), ""));
                if rest.is_empty() {
                    continue;
                }
                let mut source = Value::String(source.to_string());
                rebase(&mut source, true);
                if let Some(s) = source.as_str() {
                    *short = format!("{s}:{rest}");
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn include_and_extends_are_read_as_compose_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "base.yml",
            "services:\n  web:\n    image: acme/web:1.0.0\n    environment:\n      FROM_BASE: \"1\"\n    ports: ['80:80']\n",
        );
        write(
            dir.path(),
            "db.yml",
            "services:\n  db:\n    image: postgres:16\nvolumes:\n  data: {}\n",
        );
        let mut doc = parse(
            "include:\n  - db.yml\nservices:\n  web:\n    extends:\n      file: base.yml\n      service: web\n    environment:\n      OWN: \"2\"\n  worker:\n    extends: web\n    command: [work]\n",
        )
        .unwrap();
        let mut warnings = Vec::new();
        resolve(&mut doc, dir.path(), &mut warnings).unwrap();
        let web = &doc["services"]["web"];
        assert_eq!(web["image"], "acme/web:1.0.0");
        assert_eq!(web["environment"]["FROM_BASE"], "1");
        assert_eq!(web["environment"]["OWN"], "2");
        assert!(web.get("extends").is_none());
        // Extending a service that itself extends.
        assert_eq!(doc["services"]["worker"]["environment"]["FROM_BASE"], "1");
        assert_eq!(doc["services"]["worker"]["command"][0], "work");
        assert_eq!(doc["services"]["db"]["image"], "postgres:16");
        assert!(doc.get("include").is_none());
        assert!(
            warnings.iter().any(|w| w.contains("included db.yml")),
            "{warnings:?}"
        );
    }

    #[test]
    fn paths_in_another_file_stay_relative_to_that_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("db")).unwrap();
        std::fs::create_dir_all(dir.path().join("web")).unwrap();
        write(
            &dir.path().join("db"),
            "compose.yml",
            "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro\n      - data:/var/lib/postgresql/data\n      - /etc/localtime:/etc/localtime:ro\n",
        );
        write(
            &dir.path().join("web"),
            "base.yml",
            "services:\n  web:\n    image: acme/web:1.0.0\n    build: .\n    env_file: [{ path: ./web.env, required: false }]\n    volumes:\n      - { type: bind, source: ./nginx.conf, target: /etc/nginx/nginx.conf }\n      - ${CONF}:/conf\n",
        );
        let mut doc = parse(
            "include:\n  - db/compose.yml\nservices:\n  web:\n    extends: { file: web/base.yml, service: web }\n",
        )
        .unwrap();
        resolve(&mut doc, dir.path(), &mut Vec::new()).unwrap();
        let db = &doc["services"]["db"];
        assert_eq!(db["env_file"], "./db/db.env");
        assert_eq!(
            db["volumes"][0],
            "./db/init.sql:/docker-entrypoint-initdb.d/init.sql:ro"
        );
        assert_eq!(
            db["volumes"][1], "data:/var/lib/postgresql/data",
            "a named volume"
        );
        assert_eq!(db["volumes"][2], "/etc/localtime:/etc/localtime:ro");
        let web = &doc["services"]["web"];
        assert_eq!(web["build"], "./web/.");
        assert_eq!(web["env_file"][0]["path"], "./web/web.env");
        assert_eq!(web["volumes"][0]["source"], "./web/nginx.conf");
        assert_eq!(web["volumes"][1], "${CONF}:/conf");
    }

    #[test]
    fn an_extends_cycle_is_refused() {
        let mut doc =
            parse("services:\n  a:\n    extends: b\n  b:\n    extends: a\n    image: x/y:1\n")
                .unwrap();
        let err = resolve(&mut doc, Path::new("."), &mut Vec::new()).unwrap_err();
        assert!(err.contains("nests more than"), "{err}");
    }
}
