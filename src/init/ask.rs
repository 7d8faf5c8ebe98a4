//! The questions about one service when nothing is imported: answered by flags, at a terminal,
//! or by defaults under `--yes`. Defaults come from the Dockerfile when there is one; a port or
//! a probe path nobody gave is never made up.

use std::path::Path;

use super::args::InitArgs;
use super::dockerfile;
use super::draft::{BackingDraft, HealthDraft, PortDraft, ProbeDraft, Resources, ServiceDraft};
use super::prompt::{self, Asker};
use crate::catalog;
use crate::pipeline::Error;
use crate::plan::defaults as d;
use crate::spec::names::did_you_mean;

/// `KIND[:VERSION]` → (kind, version), checked against the catalog.
pub fn parse_dependency(s: &str) -> Result<(String, String), String> {
    let (kind, version) = match s.split_once(':') {
        Some((k, v)) => (k, Some(v)),
        None => (s, None),
    };
    let entry = catalog::lookup(kind).ok_or_else(|| {
        let hint = did_you_mean(kind, catalog::kinds())
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        format!(
            "`{kind}` is not a backing-service kind chartwright knows; {hint}known kinds: {}",
            catalog::kinds().collect::<Vec<_>>().join(", ")
        )
    })?;
    let version = match version {
        Some(v) if entry.image_for(v).is_some() => v.to_string(),
        Some(v) => {
            return Err(format!(
                "{kind} version `{v}` is not in the catalog; supported versions: {}",
                entry.version_list()
            ));
        }
        None => entry.default_version().to_string(),
    };
    Ok((kind.to_string(), version))
}

pub fn default_app_name() -> Option<String> {
    let dir = std::env::current_dir().ok()?;
    let base = dir.file_name()?.to_str()?;
    let s: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    prompt::name_rule(&s).ok().map(|_| s)
}

/// The port numbers, each once (a number open on TCP and UDP is one answer).
fn port_list(ports: &[PortDraft]) -> String {
    let mut numbers: Vec<String> = Vec::new();
    for p in ports {
        let n = p.number.to_string();
        if !numbers.contains(&n) {
            numbers.push(n);
        }
    }
    numbers.join(",")
}

pub fn ask_service(
    asker: &mut Asker,
    args: &InitArgs,
    app: &str,
    deps: &[(String, String)],
    backing: &mut Vec<BackingDraft>,
) -> Result<ServiceDraft, Error> {
    let docker = dockerfile::dockerfile(Path::new("."));
    let mut notes = Vec::new();
    if let Some(d) = &docker {
        let mut what = Vec::new();
        if !d.ports.is_empty() {
            let ports: Vec<String> = d
                .ports
                .iter()
                .map(|p| format!("{}{}", p.number, if p.udp { "/udp" } else { "" }))
                .collect();
            what.push(format!("EXPOSE {}", ports.join(" ")));
        }
        if let Some((path, port)) = &d.health {
            what.push(format!("HEALTHCHECK {path} on port {port}"));
        }
        if let Some(u) = d.run_as_user {
            what.push(format!("USER {u}"));
        }
        if let Some(b) = &d.base_image {
            what.push(format!("base image {b}"));
        }
        let line = format!("Detected from {}: {}", d.file, what.join(", "));
        eprintln!("{line}");
        notes.push(line);
        for n in &d.notes {
            eprintln!("note: {n}");
            notes.push(n.clone());
        }
    }
    let name = asker.text(
        "name",
        "Service name",
        args.name.as_deref(),
        Some(app),
        &prompt::name_rule,
        false,
    )?;
    let image = asker.text(
        "image",
        "Image (repository:tag, pinned; not latest)",
        args.image.as_deref(),
        None,
        &prompt::image_rule,
        false,
    )?;
    // Ports: the flags, else the Dockerfile's (protocols kept), else asked with no default.
    let detected: Vec<PortDraft> = docker.as_ref().map(|d| d.ports.clone()).unwrap_or_default();
    let flag = (!args.ports.is_empty()).then(|| {
        args.ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    let default = (!detected.is_empty()).then(|| port_list(&detected));
    let answer = asker.text(
        "port",
        "Container port(s), comma separated",
        flag.as_deref(),
        default.as_deref(),
        &prompt::ports_rule,
        false,
    )?;
    let ports: Vec<PortDraft> = if default.as_ref() == Some(&answer) {
        detected.clone()
    } else {
        prompt::parse_ports(&answer)
            .unwrap_or_default()
            .into_iter()
            .map(|n| {
                detected
                    .iter()
                    .find(|p| p.number == n)
                    .copied()
                    .unwrap_or(PortDraft::tcp(n))
            })
            .collect()
    };
    // Probes: a path the user or the Dockerfile gives; none is made up.
    let detected_health = docker.as_ref().and_then(|d| d.health.clone());
    let liveness = asker.text(
        "liveness",
        "Liveness probe HTTP path (empty for none)",
        args.liveness.as_deref(),
        detected_health.as_ref().map(|(p, _)| p.as_str()),
        &prompt::optional_path_rule,
        true,
    )?;
    let readiness = asker.text(
        "readiness",
        "Readiness probe HTTP path (empty: the liveness path)",
        args.readiness.as_deref(),
        Some(liveness.as_str()),
        &prompt::optional_path_rule,
        true,
    )?;
    let probe_port = detected_health
        .as_ref()
        .map(|(_, p)| *p)
        .filter(|p| ports.iter().any(|q| q.number == *p && !q.udp))
        .or_else(|| ports.iter().find(|p| !p.udp).map(|p| p.number));
    let health = match (liveness.is_empty(), probe_port) {
        (false, Some(port)) => {
            let readiness = if readiness.is_empty() {
                liveness.clone()
            } else {
                readiness
            };
            Some(HealthDraft {
                liveness: ProbeDraft::Http {
                    path: liveness,
                    port,
                },
                readiness: ProbeDraft::Http {
                    path: readiness,
                    port,
                },
                timing: Vec::new(),
            })
        }
        _ => None,
    };
    let cpu_request = asker.text(
        "cpu-request",
        "CPU request",
        args.cpu_request.as_deref(),
        Some(d::REQUEST_CPU),
        &prompt::quantity_rule,
        false,
    )?;
    let cpu_limit_rule = prompt::limit_rule(cpu_request.clone());
    let cpu_limit = asker.text(
        "cpu-limit",
        "CPU limit",
        args.cpu_limit.as_deref(),
        Some(d::LIMIT_CPU),
        &cpu_limit_rule,
        false,
    )?;
    let memory_request = asker.text(
        "memory-request",
        "Memory request",
        args.memory_request.as_deref(),
        Some(d::REQUEST_MEMORY),
        &prompt::quantity_rule,
        false,
    )?;
    let mem_limit_rule = prompt::limit_rule(memory_request.clone());
    let memory_limit = asker.text(
        "memory-limit",
        "Memory limit",
        args.memory_limit.as_deref(),
        Some(d::LIMIT_MEMORY),
        &mem_limit_rule,
        false,
    )?;

    // Dependencies: backing-service kinds from the catalog.
    let mut chosen: Vec<(String, String)> = deps.to_vec();
    if args.depends_on.is_empty() {
        if asker.strict {
            asker
                .missing
                .push("--depends-on (backing services; --yes for none)".into());
        }
        let items: Vec<String> = catalog::kinds().map(str::to_string).collect();
        let picked = asker.multi("Dependencies", &items, &vec![false; items.len()])?;
        for i in picked {
            let entry = catalog::lookup(&items[i]).expect("a catalog kind");
            let kind = items[i].clone();
            let rule = move |v: &str| parse_dependency(&format!("{kind}:{v}")).map(|_| ());
            let v = asker.text(
                "depends-on",
                &format!("{} version ({})", items[i], entry.version_list()),
                None,
                Some(entry.default_version()),
                &rule,
                false,
            )?;
            chosen.push((items[i].clone(), v));
        }
    }
    let mut depends_on = Vec::new();
    for (kind, version) in chosen {
        if !depends_on.contains(&kind) {
            depends_on.push(kind.clone());
            backing.push(BackingDraft {
                name: kind.clone(),
                kind,
                version,
                ..BackingDraft::default()
            });
        }
    }
    let host = asker.text(
        "ingress-host",
        "Ingress host (empty for none)",
        args.ingress_host.as_deref(),
        None,
        &prompt::host_rule,
        true,
    )?;
    Ok(ServiceDraft {
        name,
        image,
        ports,
        health,
        resources: Some(Resources {
            cpu_request: Some(cpu_request),
            memory_request: Some(memory_request),
            cpu_limit: Some(cpu_limit),
            memory_limit: Some(memory_limit),
        }),
        depends_on,
        ingress_host: (!host.is_empty()).then_some(host),
        run_as_user: docker.as_ref().and_then(|d| d.run_as_user),
        notes,
        ..ServiceDraft::default()
    })
}
