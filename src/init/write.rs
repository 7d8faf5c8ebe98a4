//! The spec as commented text. Every scalar the user (or an imported file) supplied is quoted as a
//! JSON string, which YAML reads back verbatim, so no answer can change the document's shape.

use std::fmt::Write;

use super::{Draft, ServiceDraft};

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Port names: the first port is `http`, the others `port-<number>` (at most 15 characters).
pub fn port_name(ports: &[u16], i: usize) -> String {
    if i == 0 {
        "http".into()
    } else {
        format!("port-{}", ports[i])
    }
}

fn comment_lines(out: &mut String, indent: &str, lines: &[String]) {
    for l in lines {
        for part in l.lines() {
            let _ = writeln!(out, "{indent}# {part}");
        }
    }
}

fn service(out: &mut String, s: &ServiceDraft) {
    comment_lines(out, "  ", &s.notes);
    let _ = writeln!(out, "  {}:", q(&s.name));
    let _ = writeln!(
        out,
        "    # A pinned image: a tag other than `latest`, or a sha256 digest."
    );
    let _ = writeln!(out, "    image: {}", q(&s.image));
    if let Some(b) = &s.build {
        let _ = writeln!(
            out,
            "    # docker-compose builds from this context (relative to the output folder's parent)."
        );
        let _ = writeln!(out, "    build: {}", q(b));
    }
    let _ = writeln!(
        out,
        "    # Container ports; the first one serves probes and the ingress."
    );
    let _ = writeln!(out, "    ports:");
    for (i, p) in s.ports.iter().enumerate() {
        let _ = writeln!(
            out,
            "      - {{ name: {}, port: {p} }}",
            port_name(&s.ports, i)
        );
    }
    if s.liveness.is_some() || s.readiness.is_some() {
        let _ = writeln!(
            out,
            "    # HTTP probes: liveness restarts a stuck container, readiness gates traffic."
        );
        let _ = writeln!(out, "    health:");
        for (which, path) in [("liveness", &s.liveness), ("readiness", &s.readiness)] {
            if let Some(p) = path {
                let _ = writeln!(out, "      {which}: {{ http: {}, port: http }}", q(p));
            }
        }
    }
    if let Some(r) = &s.resources {
        let _ = writeln!(
            out,
            "    # Requests are what the scheduler reserves; limits are the ceiling."
        );
        let _ = writeln!(out, "    resources:");
        let _ = writeln!(
            out,
            "      requests: {{ cpu: {}, memory: {} }}",
            q(&r.cpu_request),
            q(&r.memory_request)
        );
        let _ = writeln!(
            out,
            "      limits: {{ cpu: {}, memory: {} }}",
            q(&r.cpu_limit),
            q(&r.memory_limit)
        );
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
    if let Some(cmd) = &s.command {
        let items: Vec<String> = cmd.iter().map(|c| q(c)).collect();
        let _ = writeln!(out, "    command: [{}]", items.join(", "));
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
    for s in &d.services {
        service(&mut out, s);
    }
    if !d.backing.is_empty() {
        out.push_str(
            "# Backing services from the catalog: pinned images, healthchecks and volumes included.\n",
        );
        out.push_str("backing:\n");
        for b in &d.backing {
            let _ = writeln!(
                out,
                "  {}: {{ kind: {}, version: {} }}",
                q(&b.name),
                q(&b.kind),
                q(&b.version)
            );
        }
    }
    out.push_str("# Environments, in promotion order.\n");
    out.push_str("environments:\n");
    let has_ingress = d.services.iter().any(|s| s.ingress_host.is_some());
    for e in &d.environments {
        let replicas = crate::plan::defaults::replicas_of(e);
        let autoscale = (e == "prod").then_some(d.autoscale).flatten();
        let tls = e == "prod" && has_ingress;
        if autoscale.is_none() && !tls {
            let _ = writeln!(out, "  {}: {{ replicas: {replicas} }}", q(e));
            continue;
        }
        let _ = writeln!(out, "  {}:", q(e));
        let _ = writeln!(out, "    replicas: {replicas}");
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
    }
    out
}
