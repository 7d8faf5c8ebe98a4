//! One of the application's own services (or a third-party image the catalog does not run):
//! its image, ports, healthcheck, environment, dependencies and command, as the file gives them.

use serde_json::Value;

use super::env_files;
use super::files::{self, Bind};
use super::health::{self, Check};
use super::image::Image;
use super::values::{container_port, interpolated, named_volume, seconds, shell_words};
use super::vars::interpolate;
use super::{Import, Plan, as_str};
use crate::init::draft::{HealthDraft, PortDraft, ProbeDraft, ServiceDraft};

/// `command:` as a list of words, interpolated (`$$` is a literal `$`).
fn words(v: &Value, plan: &Plan, s: &mut ServiceDraft, key: &str) -> Option<Vec<String>> {
    let raw: Vec<String> = match v {
        Value::Array(items) => items.iter().filter_map(as_str).collect(),
        other => match shell_words(&as_str(other)?) {
            Some(w) => w,
            None => {
                s.not_carried
                    .push(format!("`{key}` (unbalanced quotes: write it as a list)"));
                return None;
            }
        },
    };
    let mut out = Vec::new();
    for w in raw {
        let i = interpolate(&w, plan.vars);
        if !i.resolved() {
            s.notes.push(format!(
                "`{key}` refers to `${{{}}}`, which has no value here: it is kept as written (a shell in the command expands it at run time)",
                i.unresolved.join("}`, `${")
            ));
        }
        out.push(i.text);
    }
    Some(out)
}

pub(super) fn import(
    imp: &mut Import,
    cname: &str,
    svc: &Value,
    img: Option<&Image>,
    pin: Option<&str>,
    plan: &Plan,
) -> ServiceDraft {
    let name = plan.names[cname].clone();
    let mut s = ServiceDraft {
        name: name.clone(),
        ..ServiceDraft::default()
    };
    // Image and build.
    match svc.get("build") {
        Some(Value::Object(b)) => {
            s.build = Some(b.get("context").and_then(as_str).unwrap_or(".".into()));
            for (key, v) in b {
                if key != "context" {
                    let v = as_str(v).unwrap_or_else(|| v.to_string());
                    s.not_carried.push(format!("build `{key}: {v}`"));
                }
            }
        }
        Some(other) => s.build = as_str(other),
        None => {}
    }
    match img {
        Some(i) => {
            if let Some(p) = &i.pinned {
                s.image = p.clone();
            }
            if !i.vars.defaults.is_empty() {
                let used: Vec<String> = i
                    .vars
                    .defaults
                    .iter()
                    .map(|(n, d)| format!("${{{n}}} = `{d}`"))
                    .collect();
                s.notes.push(format!(
                    "image `{}` uses the default written in the file ({}); pin another with --image-tag {name}=TAG",
                    i.written,
                    used.join(", ")
                ));
            }
            if let Some(u) = &i.unpinned {
                imp.needs_tag.push((name.clone(), u.clone()));
                if let super::image::Unpinned::Tag { repo } = u {
                    s.image = repo.clone();
                }
            }
        }
        None => {
            // Build-only: the image is named after the app, and its tag comes from a flag.
            let repo = format!("{}/{name}", plan.app);
            match pin {
                Some(p) => {
                    s.image = super::image::resolve(&format!("{repo}:pin"), plan.vars, Some(p))
                        .ok()
                        .and_then(|i| i.pinned)
                        .unwrap_or(repo);
                }
                None => {
                    s.image = repo.clone();
                    imp.needs_tag
                        .push((name.clone(), super::image::Unpinned::Tag { repo }));
                }
            }
        }
    }
    // Ports: the container side of `ports` and `expose`, each protocol kept.
    for key in ["ports", "expose"] {
        for p in svc.get(key).and_then(Value::as_array).into_iter().flatten() {
            match container_port(p, plan) {
                Ok(port) if !s.ports.contains(&port) => s.ports.push(port),
                Ok(_) => {}
                Err(what) => s.not_carried.push(what),
            }
        }
    }
    // Healthcheck: the probe it means, on the port it names.
    if let Some(h) = svc.get("healthcheck") {
        let h = interpolated(h, plan);
        let hostname = svc.get("hostname").and_then(as_str).unwrap_or_default();
        match health::read(&h, &[cname, hostname.as_str()]) {
            Check::Http { path, port } => {
                if !s.ports.iter().any(|p| p.number == port && !p.udp) {
                    s.ports.push(PortDraft::tcp(port));
                }
                let probe = ProbeDraft::Http { path, port };
                s.health = Some(HealthDraft {
                    liveness: probe.clone(),
                    readiness: probe,
                    timing: Vec::new(),
                });
            }
            Check::Tcp { port } => {
                if !s.ports.iter().any(|p| p.number == port && !p.udp) {
                    s.ports.push(PortDraft::tcp(port));
                }
                let probe = ProbeDraft::Tcp { port };
                s.health = Some(HealthDraft {
                    liveness: probe.clone(),
                    readiness: probe,
                    timing: Vec::new(),
                });
            }
            Check::Exec(cmd) => {
                let probe = ProbeDraft::Exec(cmd);
                s.health = Some(HealthDraft {
                    liveness: probe.clone(),
                    readiness: probe,
                    timing: Vec::new(),
                });
            }
            Check::Disabled => {}
        }
        // Timing: Compose's interval, timeout and retries are the probes' period, timeout and
        // failure threshold; start_period is the initial delay.
        for (key, field) in [
            ("interval", "period_seconds"),
            ("timeout", "timeout_seconds"),
            ("retries", "failure_threshold"),
            ("start_period", "initial_delay_seconds"),
            ("start_interval", ""),
        ] {
            let Some(v) = h.get(key).and_then(as_str) else {
                continue;
            };
            let value = if key == "retries" {
                v.parse::<i64>().ok()
            } else {
                seconds(&v)
            };
            let min = if field == "initial_delay_seconds" {
                0
            } else {
                1
            };
            match (value, s.health.as_mut()) {
                (Some(n), Some(health)) if !field.is_empty() && (min..=3600).contains(&n) => {
                    health.timing.push((field, n));
                }
                _ => s.not_carried.push(format!("healthcheck `{key}: {v}`")),
            }
        }
    }
    // Environment.
    let deps: Vec<String> = match svc.get("depends_on") {
        Some(Value::Array(items)) => items.iter().filter_map(as_str).collect(),
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    env_files::environment(svc, plan, &mut s);
    // Dependencies.
    for d in deps {
        match plan.names.get(&d) {
            Some(n) if !plan.skipped.contains(&d) => {
                if !s.depends_on.contains(n) {
                    s.depends_on.push(n.clone());
                }
            }
            _ => s.not_carried.push(format!(
                "depends_on `{d}` (that service was not carried over)"
            )),
        }
    }
    if let Some(Value::Object(m)) = svc.get("depends_on") {
        for (d, cond) in m {
            if let Some(c) = cond.get("condition").and_then(as_str)
                && c != "service_healthy"
                && c != "service_started"
            {
                s.not_carried
                    .push(format!("depends_on `{d}` condition `{c}`"));
            }
            // The long form's other keys (Compose 2.17+), which the spec has no word for.
            for key in ["restart", "required"] {
                if let Some(v) = cond.get(key).and_then(as_str) {
                    s.not_carried.push(format!("depends_on `{d}` `{key}: {v}`"));
                }
            }
        }
    }
    for v in svc
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = match v {
            Value::Object(m) => format!(
                "{}:{}",
                m.get("source").and_then(as_str).unwrap_or_default(),
                m.get("target").and_then(as_str).unwrap_or_default()
            ),
            other => as_str(other).unwrap_or_default(),
        };
        match named_volume(v, &text, plan) {
            Some((name, mount_path))
                if !s
                    .volumes
                    .iter()
                    .any(|(n, m)| *n == name || *m == mount_path) =>
            {
                s.notes.push(format!(
                    "volume `{text}`: persistent; no size in Compose: the default applies, set `size` to what it needs"
                ));
                s.volumes.push((name, mount_path));
            }
            Some(_) => s.not_carried.push(format!("volume `{text}`")),
            None => config_file(&mut s, v, &text, plan),
        }
    }
    for t in svc.get("tmpfs").into_iter().flat_map(|v| match v {
        Value::Array(a) => a.iter().filter_map(as_str).collect::<Vec<_>>(),
        other => as_str(other).into_iter().collect(),
    }) {
        let path = t.split(':').next().unwrap_or_default().to_string();
        if path.starts_with('/') && path != "/tmp" && !s.writable_paths.contains(&path) {
            s.writable_paths.push(path);
        } else if path != "/tmp" {
            s.not_carried.push(format!("tmpfs `{t}`"));
        }
    }
    if let Some(cmd) = svc.get("command") {
        s.command = words(cmd, plan, &mut s, "command");
    }
    if let Some(cmd) = svc.get("entrypoint") {
        s.entrypoint = words(cmd, plan, &mut s, "entrypoint");
    }
    if let Some(u) = svc.get("user").and_then(as_str) {
        let uid = interpolate(&u, plan.vars).text;
        match uid.split(':').next().unwrap_or_default().parse::<i64>() {
            Ok(n) if n > 0 => s.run_as_user = Some(n),
            _ => s.not_carried.push(format!(
                "`user: {u}` (the spec runs as a numeric non-root UID: set `run_as_user`)"
            )),
        }
    }
    super::resources::read(svc, plan, &mut s);
    for p in svc
        .get("profiles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let p = as_str(p).map(|p| interpolate(&p, plan.vars).text);
        match p {
            Some(p) if crate::spec::names::is_profile_name(&p) => {
                if !s.profiles.contains(&p) {
                    s.profiles.push(p);
                }
            }
            other => s.not_carried.push(format!(
                "profile `{}` (not a Compose profile name)",
                other.unwrap_or_default()
            )),
        }
    }
    let handled = [
        "deploy",
        "cpus",
        "mem_limit",
        "mem_reservation",
        "profiles",
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
        "entrypoint",
        "tmpfs",
        "user",
        "container_name",
    ];
    for (key, v) in svc.as_object().into_iter().flatten() {
        if !handled.contains(&key.as_str()) {
            let value = match v {
                Value::Object(_) | Value::Array(_) => String::new(),
                other => format!(": {}", as_str(other).unwrap_or_default()),
            };
            s.not_carried.push(format!("`{key}{value}`"));
        }
    }
    s
}

/// A bind-mounted file as a config file, or the reason it is not one.
fn config_file(s: &mut ServiceDraft, v: &Value, text: &str, plan: &Plan) {
    match files::bind(v, plan) {
        Bind::Other => s.not_carried.push(format!("volume `{text}`")),
        Bind::Refused(why) => s.not_carried.push(format!("volume `{text}` ({why})")),
        Bind::Files {
            files,
            read_write,
            directory,
        } => {
            let taken = |t: &String| {
                t == "/tmp"
                    || s.volumes.iter().any(|(_, m)| m == t)
                    || s.config_files.iter().any(|(_, m)| m == t)
            };
            let bytes: usize = s.config_file_bytes + files.iter().map(|f| f.bytes).sum::<usize>();
            if let Some(f) = files.iter().find(|f| taken(&f.target)) {
                s.not_carried.push(format!(
                    "volume `{text}` (`{}` is already mounted in this service)",
                    f.target
                ));
                return;
            }
            if bytes > crate::spec::MAX_CONFIG_FILE_BYTES {
                s.not_carried.push(format!(
                    "volume `{text}` (with it the service's config files would pass 1 MiB, the most a ConfigMap holds)"
                ));
                return;
            }
            if directory {
                s.notes.push(format!(
                    "volume `{text}`: a directory of {} file(s), mounted file by file as config files (the image's own files beside them stay visible, and a file added to the directory later needs its own entry)",
                    files.len()
                ));
            }
            if read_write {
                let (what, them) = if directory {
                    ("config files", "them")
                } else {
                    ("a config file", "it")
                };
                s.notes.push(format!(
                    "volume `{text}`: {what}, mounted read-only (a ConfigMap in Kubernetes, `read_only` in Compose) though Compose mounted {them} writable"
                ));
            }
            s.config_file_bytes = bytes;
            s.config_files
                .extend(files.into_iter().map(|f| (f.source, f.target)));
        }
    }
}
