//! The spec as commented text. Every scalar the user (or an imported file) supplied is quoted as a
//! JSON string, which YAML reads back verbatim, so no answer can change the document's shape.

use std::fmt::Write;

use super::draft::{BackingDraft, Draft, PortDraft, ProbeDraft, ServiceDraft};

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Port names (IANA service names, at most 15 characters): `http` for the port an HTTP probe
/// (or the ingress) uses, else `tcp-<number>` / `udp-<number>`, so that no mesh reads a
/// database protocol as HTTP.
pub fn port_name(ports: &[PortDraft], i: usize, http_port: Option<u16>) -> String {
    let p = ports[i];
    if !p.udp && Some(p.number) == http_port {
        "http".into()
    } else if p.udp {
        format!("udp-{}", p.number)
    } else {
        format!("tcp-{}", p.number)
    }
}

/// The port the service's HTTP traffic uses: its HTTP probe's, else (with an ingress) the first
/// TCP port.
fn http_port(s: &ServiceDraft) -> Option<u16> {
    match s.health.as_ref().map(|h| &h.liveness) {
        Some(ProbeDraft::Http { port, .. }) => Some(*port),
        _ if s.ingress_host.is_some() => s.ports.iter().find(|p| !p.udp).map(|p| p.number),
        _ => None,
    }
}

fn not_carried(out: &mut String, indent: &str, lines: &[String], from: &str) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}# Not carried over from {from}:");
    for l in lines {
        let _ = writeln!(out, "{indent}#   - {}", l.replace('\n', " "));
    }
}

fn comment_lines(out: &mut String, indent: &str, lines: &[String]) {
    for l in lines {
        for part in l.lines() {
            let _ = writeln!(out, "{indent}# {part}");
        }
    }
}

fn service(out: &mut String, s: &ServiceDraft, from: &str) {
    comment_lines(out, "  ", &s.notes);
    not_carried(out, "  ", &s.not_carried, from);
    let _ = writeln!(out, "  {}:", q(&s.name));
    if let Some(k) = &s.kind {
        let what = if k == "job" {
            "runs to completion once per release, before the services that depend on it"
        } else {
            "long-running without ports: nothing connects to it"
        };
        let _ = writeln!(out, "    # A {k}: {what}.");
        let _ = writeln!(out, "    kind: {}", q(k));
    }
    let _ = writeln!(
        out,
        "    # A pinned image: a tag other than `latest`, or a sha256 digest."
    );
    let _ = writeln!(out, "    image: {}", q(&s.image));
    if let Some(b) = &s.build {
        let _ = writeln!(
            out,
            "    # docker-compose builds from this context (relative to this file; generate rebases it onto the output folder)."
        );
        let _ = writeln!(out, "    build: {}", q(b));
    }
    let http = http_port(s);
    let names: Vec<String> = (0..s.ports.len())
        .map(|i| port_name(&s.ports, i, http))
        .collect();
    if !s.ports.is_empty() {
        let _ = writeln!(
            out,
            "    # Container ports; the first one is the default for probes and the ingress."
        );
        let _ = writeln!(out, "    ports:");
        for (p, n) in s.ports.iter().zip(&names) {
            if p.udp {
                let _ = writeln!(
                    out,
                    "      - {{ name: {n}, port: {}, protocol: UDP }}",
                    p.number
                );
            } else {
                let _ = writeln!(out, "      - {{ name: {n}, port: {} }}", p.number);
            }
        }
    }
    if let Some(h) = &s.health {
        let _ = writeln!(
            out,
            "    # Probes: liveness restarts a stuck container, readiness gates traffic."
        );
        let _ = writeln!(out, "    health:");
        let port_ref = |port: &u16| {
            s.ports
                .iter()
                .position(|p| p.number == *port && !p.udp)
                .map(|i| names[i].clone())
                .unwrap_or_else(|| port.to_string())
        };
        for (which, probe) in [("liveness", &h.liveness), ("readiness", &h.readiness)] {
            if *probe == ProbeDraft::None {
                // `liveness: none` means no probes at all.
                let _ = writeln!(out, "      liveness: none");
                break;
            }
            let body = match probe {
                ProbeDraft::Http { path, port } => {
                    format!("http: {}, port: {}", q(path), port_ref(port))
                }
                ProbeDraft::Tcp { port } => format!("tcp: {}", port_ref(port)),
                ProbeDraft::Exec(cmd) => format!(
                    "exec: [{}]",
                    cmd.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
                ),
                ProbeDraft::None => unreachable!("written above"),
            };
            let timing: String = h
                .timing
                .iter()
                .map(|(k, v)| format!(", {k}: {v}"))
                .collect();
            let _ = writeln!(out, "      {which}: {{ {body}{timing} }}");
        }
    }
    if let Some(r) = &s.resources {
        let _ = writeln!(
            out,
            "    # Requests are what the scheduler reserves; limits are the ceiling."
        );
        let _ = writeln!(out, "    resources:");
        for (group, cpu, memory) in [
            ("requests", &r.cpu_request, &r.memory_request),
            ("limits", &r.cpu_limit, &r.memory_limit),
        ] {
            let fields: Vec<String> = [("cpu", cpu), ("memory", memory)]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {}", q(v))))
                .collect();
            if !fields.is_empty() {
                let _ = writeln!(out, "      {group}: {{ {} }}", fields.join(", "));
            }
        }
    }
    if !s.env.is_empty() {
        let _ = writeln!(out, "    env:");
        for (k, v) in &s.env {
            let _ = writeln!(out, "      {}: {}", q(k), q(v));
        }
    }
    if !s.secrets.is_empty() {
        let _ = writeln!(
            out,
            "    # Secret names only: values go in .env (Compose) or your secret store (Kubernetes)."
        );
        let _ = writeln!(out, "    secrets:");
        for n in &s.secrets {
            let _ = writeln!(out, "      - {}", q(n));
        }
    }
    if !s.depends_on.is_empty() {
        let _ = writeln!(
            out,
            "    # Started first in Compose; connection settings are injected for backing services."
        );
        let _ = writeln!(out, "    depends_on:");
        for d in &s.depends_on {
            let _ = writeln!(out, "      - {}", q(d));
        }
    }
    if let Some(h) = &s.ingress_host {
        let _ = writeln!(out, "    ingress: {{ host: {} }}", q(h));
    }
    if let Some(u) = s.run_as_user {
        let _ = writeln!(out, "    # The non-root UID the image runs as.");
        let _ = writeln!(out, "    run_as_user: {u}");
    }
    if !s.volumes.is_empty() {
        let _ = writeln!(
            out,
            "    # Persistent volumes (named volumes in Compose). No size in Compose: the default applies, set `size`."
        );
        let _ = writeln!(out, "    volumes:");
        for (name, path) in &s.volumes {
            let _ = writeln!(
                out,
                "      - {{ name: {}, mount_path: {} }}",
                q(name),
                q(path)
            );
        }
    }
    if !s.profiles.is_empty() {
        let _ = writeln!(
            out,
            "    # Optional: Compose starts it with `--profile`; an environment deploys it where `profiles:` enables one."
        );
        let list: Vec<String> = s.profiles.iter().map(|p| q(p)).collect();
        let _ = writeln!(out, "    profiles: [{}]", list.join(", "));
    }
    if !s.writable_paths.is_empty() {
        let _ = writeln!(
            out,
            "    # Writable folders (tmpfs in Compose, emptyDir in Kubernetes)."
        );
        let _ = writeln!(out, "    writable_paths:");
        for p in &s.writable_paths {
            let _ = writeln!(out, "      - {}", q(p));
        }
    }
    if !s.config_files.is_empty() {
        let _ = writeln!(
            out,
            "    # Repository files mounted read-only (bind mounts in Compose, a ConfigMap in Kubernetes)."
        );
        let _ = writeln!(out, "    config_files:");
        for (source, path) in &s.config_files {
            let _ = writeln!(
                out,
                "      - {{ source: {}, mount_path: {} }}",
                q(source),
                q(path)
            );
        }
    }
    if let Some(cmd) = &s.entrypoint {
        let items: Vec<String> = cmd.iter().map(|c| q(c)).collect();
        let _ = writeln!(out, "    # Replaces the image's ENTRYPOINT.");
        let _ = writeln!(out, "    entrypoint: [{}]", items.join(", "));
    }
    if let Some(cmd) = &s.command {
        let items: Vec<String> = cmd.iter().map(|c| q(c)).collect();
        let _ = writeln!(out, "    # Replaces the image's CMD.");
        let _ = writeln!(out, "    command: [{}]", items.join(", "));
    }
}

fn backing(out: &mut String, b: &BackingDraft, from: &str) {
    not_carried(out, "  ", &b.not_carried, from);
    match &b.image {
        Some(i) => {
            let _ = writeln!(
                out,
                "  {}: {{ kind: {}, version: {}, image: {} }}",
                q(&b.name),
                q(&b.kind),
                q(&b.version),
                q(i)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {}: {{ kind: {}, version: {} }}",
                q(&b.name),
                q(&b.kind),
                q(&b.version)
            );
        }
    }
}

/// Renders the spec text.
pub fn render(d: &Draft) -> String {
    let mut out = String::new();
    out.push_str("# chartwright.yaml, written by `chartwright init`.\n");
    out.push_str(
        "# `chartwright validate` checks it; `chartwright generate` writes the Helm chart,\n",
    );
    out.push_str("# the Kubernetes manifests and docker-compose.yml from it.\n");
    if !d.notes.is_empty() {
        out.push_str("#\n");
        comment_lines(&mut out, "", &d.notes);
    }
    out.push_str("version: 1\n");
    out.push_str("# The application: a DNS label that prefixes namespaces and resource names.\n");
    let _ = writeln!(out, "app: {}", q(&d.app));
    out.push_str("services:\n");
    let from = d.source.as_deref().unwrap_or("the imported file");
    for s in &d.services {
        service(&mut out, s, from);
    }
    if !d.backing.is_empty() {
        out.push_str(
            "# Backing services from the catalog: pinned images, healthchecks and volumes included.\n",
        );
        out.push_str("backing:\n");
        for b in &d.backing {
            backing(&mut out, b, from);
        }
    }
    out.push_str("# Environments, in promotion order.\n");
    out.push_str("environments:\n");
    let has_ingress = d.services.iter().any(|s| s.ingress_host.is_some());
    for e in &d.environments {
        let replicas = crate::plan::defaults::replicas_of(e);
        let production = crate::plan::defaults::is_production(e);
        let autoscale = production.then_some(d.autoscale).flatten();
        let tls = production && has_ingress;
        let profiles = if d.env_profiles.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = d.env_profiles.iter().map(|p| q(p)).collect();
            format!("[{}]", list.join(", "))
        };
        let env_files: Vec<(&str, &str)> = d
            .services
            .iter()
            .filter_map(|s| Some((s.name.as_str(), s.env_file.as_ref()?.path.as_str())))
            .collect();
        if autoscale.is_none() && !tls && env_files.is_empty() {
            if profiles.is_empty() {
                let _ = writeln!(out, "  {}: {{ replicas: {replicas} }}", q(e));
            } else {
                let _ = writeln!(
                    out,
                    "  {}: {{ replicas: {replicas}, profiles: {profiles} }}",
                    q(e)
                );
            }
            continue;
        }
        let _ = writeln!(out, "  {}:", q(e));
        let _ = writeln!(out, "    replicas: {replicas}");
        if !profiles.is_empty() {
            let _ = writeln!(out, "    profiles: {profiles}");
        }
        if let Some((min, max)) = autoscale {
            let cpu = crate::plan::defaults::HPA_CPU_PERCENT;
            let _ = writeln!(
                out,
                "    # An HPA scales between these bounds at {cpu}% CPU."
            );
            let _ = writeln!(
                out,
                "    autoscaling: {{ min: {min}, max: {max}, cpu: {cpu} }}"
            );
        }
        if tls {
            out.push_str("    ingress: { tls: true }\n");
        }
        if !env_files.is_empty() {
            out.push_str(
                "    # Compose env_files: NAME=value lines read into this environment's env.\n",
            );
            out.push_str("    overrides:\n");
            for (name, path) in &env_files {
                let _ = writeln!(out, "      {}: {{ env_file: {} }}", q(name), q(path));
            }
        }
    }
    out
}
