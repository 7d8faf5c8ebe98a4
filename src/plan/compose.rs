//! The local-development plan: one Compose project with every own service and backing service,
//! each gated on the health of what it depends on.

use std::collections::{BTreeMap, BTreeSet};

use super::chart::{image_ref, image_text};
use super::checks::{Origin, Problems, Source};
use super::connections::{backing_connection, service_connection, var_prefix};
use super::layers::{Context, EnvSource};
use super::model::*;
use super::resources::compose_limits;
use super::values;
use crate::catalog;
use crate::spec::SecretEntry;

/// Compose reads `$` as interpolation; a literal dollar from the spec must stay literal.
pub fn escape_dollars(s: &str) -> String {
    s.replace('$', "$$")
}

/// `${NAME:?…}`: Compose refuses to start when the variable is unset, instead of passing an
/// empty password along.
fn required(name: &str) -> String {
    format!("${{{name}:?set {name} in .env (see .env.example)}}")
}

/// The host port for `port`: the same number when free, else the next free one above, so two
/// services listening on 8080 in their containers can both be reached from the laptop; when
/// nothing above is free (8080 is near the top, 65535 is the top), the nearest free one below.
/// `None` only when all 65535 ports are taken.
fn host_port(used: &mut BTreeSet<u16>, port: u16) -> Option<u16> {
    let free = (port..=u16::MAX)
        .find(|p| !used.contains(p))
        .or_else(|| (1..port).rev().find(|p| !used.contains(p)))?;
    used.insert(free);
    Some(free)
}

pub(super) fn build(
    ctx: &Context<'_>,
    envs: &[(EnvironmentPlan, EnvSource<'_>)],
    problems: &mut Problems,
) -> ComposePlan {
    let (spec, defaults) = (ctx.spec, &ctx.defaults);
    // Local development runs with the resources of the `dev` environment (or the first one).
    let local_env = envs.iter().find(|(e, _)| e.name == "dev").or(envs.first());
    let mut used_ports = BTreeSet::new();
    let mut services = Vec::new();
    let mut volumes = Vec::new();
    let mut variables: BTreeMap<String, ComposeVariable> = BTreeMap::new();

    for (name, svc) in &spec.services {
        let svc = &svc.value;
        let values = values::build_values_for(ctx, name, svc, local_env);
        let mut environment: Vec<(String, String)> = values
            .env
            .iter()
            .map(|(k, v)| (k.clone(), escape_dollars(v)))
            .collect();
        for dep in &svc.depends_on {
            let dep = &dep.value;
            let conns = if let Some(other) = spec.services.get(dep) {
                service_connection(dep, &other.value)
            } else {
                let b = &spec.backing[dep].value;
                let entry = catalog::lookup(&b.kind.value).expect("validated kind");
                let pw_var = format!("{}_PASSWORD", var_prefix(dep));
                backing_connection(spec, svc, dep, entry, dep, &required(&pw_var), false)
            };
            environment.extend(conns.into_iter().map(|c| (c.name, c.value)));
        }
        for s in &svc.secrets {
            if let SecretEntry::Name(n) = &s.value {
                environment.push((n.clone(), required(n)));
                variables.insert(
                    n.clone(),
                    ComposeVariable {
                        name: n.clone(),
                        description: format!("secret of service `{name}`"),
                        example: format!("local-dev-{}", n.to_ascii_lowercase().replace('_', "-")),
                    },
                );
            }
        }
        // The readiness probe's port: validation made sure it is a TCP one.
        let port = values
            .ports
            .iter()
            .find(|p| p.name == values.probes.readiness.port)
            .or(values.ports.first())
            .map(|p| p.container_port)
            .unwrap_or(80);
        let test = match svc.health.as_ref().and_then(|h| h.compose_command.as_ref()) {
            Some(cmd) => {
                let mut t = vec!["CMD".to_string()];
                t.extend(cmd.value.iter().map(|c| escape_dollars(c)));
                t
            }
            None => vec![
                "CMD".into(),
                "wget".into(),
                "-q".into(),
                "-O".into(),
                "/dev/null".into(),
                format!(
                    "http://127.0.0.1:{port}{}",
                    escape_dollars(&values.probes.readiness.path)
                ),
            ],
        };
        let (cpus, memory) = compose_limits(&values.resources);
        let image = image_ref(svc, defaults);
        services.push(ComposeService {
            // Every string from the spec is written with `$` escaped: Compose would otherwise
            // interpolate `${HOME}` in a build path or `$USER` in a registry.
            labels: defaults
                .labels
                .iter()
                .map(|(k, v)| (escape_dollars(k), escape_dollars(v)))
                .collect(),
            name: name.clone(),
            image: escape_dollars(&image_text(&image)),
            build: svc.build.as_ref().map(|b| escape_dollars(&b.value)),
            ports: values
                .ports
                .iter()
                .zip(&svc.ports)
                .map(|(p, at)| {
                    let host = host_port(&mut used_ports, p.container_port).unwrap_or_else(|| {
                        problems.push(
                            &Origin::of(Source::Spec, format!("services.{name}.ports"), at),
                            "no host port is left for Compose: all 65535 are taken".into(),
                            None,
                        );
                        p.container_port
                    });
                    // Compose maps TCP unless told otherwise.
                    let proto = match p.protocol.as_str() {
                        "TCP" => String::new(),
                        other => format!("/{}", other.to_ascii_lowercase()),
                    };
                    format!("127.0.0.1:{host}:{}{proto}", p.container_port)
                })
                .collect(),
            environment,
            healthcheck: ComposeHealthcheck {
                test,
                interval: "10s".into(),
                timeout: "3s".into(),
                retries: 5,
                start_period: "10s".into(),
            },
            depends_on: svc.depends_on.iter().map(|d| d.value.clone()).collect(),
            volumes: Vec::new(),
            command: svc
                .command
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|c| escape_dollars(c))
                .collect(),
            cpus,
            memory,
            read_only: true,
            user: Some(format!("{0}:{0}", values.security_context.run_as_user)),
        });
    }

    for (name, b) in &spec.backing {
        let b_at = b;
        let b = &b.value;
        let entry = catalog::lookup(&b.kind.value).expect("validated kind");
        let version = b.version.value.as_text();
        let pw_var = format!("{}_PASSWORD", var_prefix(name));
        let database = b
            .database
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_else(|| spec.app.value.clone());
        let fill = |s: &str| {
            s.replace("{name}", name)
                .replace("{user}", &spec.app.value)
                .replace("{database}", &database)
                .replace("{password}", &required(&pw_var))
        };
        if entry.password {
            variables.insert(
                pw_var.clone(),
                ComposeVariable {
                    name: pw_var.clone(),
                    description: format!("password of the local {} `{name}` (letters and digits: it is used inside URLs)", entry.kind),
                    example: format!("localdev{}", var_prefix(name).to_ascii_lowercase().replace('_', "")),
                },
            );
        }
        let mut mounts = Vec::new();
        if let Some(path) = entry.data_path {
            let volume = format!("{name}-data");
            mounts.push(format!("{volume}:{path}"));
            volumes.push(volume);
        }
        services.push(ComposeService {
            labels: defaults
                .labels
                .iter()
                .map(|(k, v)| (escape_dollars(k), escape_dollars(v)))
                .collect(),
            name: name.clone(),
            image: entry
                .image_for(&version)
                .expect("validated version")
                .to_string(),
            build: None,
            ports: vec![format!(
                "127.0.0.1:{}:{}",
                host_port(&mut used_ports, entry.port).unwrap_or_else(|| {
                    problems.push(
                        &Origin::of(Source::Spec, format!("backing.{name}"), b_at),
                        "no host port is left for Compose: all 65535 are taken".into(),
                        None,
                    );
                    entry.port
                }),
                entry.port
            )],
            environment: entry
                .container_env
                .iter()
                .map(|(k, v)| (k.to_string(), fill(v)))
                .collect(),
            healthcheck: ComposeHealthcheck {
                test: entry
                    .healthcheck
                    .test
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                interval: entry.healthcheck.interval.into(),
                timeout: entry.healthcheck.timeout.into(),
                retries: entry.healthcheck.retries,
                start_period: entry.healthcheck.start_period.into(),
            },
            depends_on: Vec::new(),
            volumes: mounts,
            command: entry.command.iter().map(|c| fill(c)).collect(),
            cpus: String::new(),
            memory: String::new(),
            read_only: false,
            user: None,
        });
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    volumes.sort();
    ComposePlan {
        name: spec.app.value.clone(),
        services,
        volumes,
        variables: variables.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_stay_literal() {
        assert_eq!(escape_dollars("a$b${C}"), "a$$b$${C}");
        assert_eq!(escape_dollars("${X}"), "$${X}");
    }

    #[test]
    fn host_ports_do_not_collide() {
        let mut used = BTreeSet::new();
        assert_eq!(host_port(&mut used, 8080), Some(8080));
        assert_eq!(host_port(&mut used, 8080), Some(8081));
        assert_eq!(host_port(&mut used, 8081), Some(8082));
    }

    #[test]
    fn host_ports_never_pass_the_top() {
        let mut used = BTreeSet::new();
        assert_eq!(host_port(&mut used, 65535), Some(65535));
        assert_eq!(host_port(&mut used, 65535), Some(65534));
        assert_eq!(host_port(&mut used, 65534), Some(65533));
        assert_eq!(host_port(&mut used, 65533), Some(65532));
        let mut full: BTreeSet<u16> = (1..=u16::MAX).collect();
        assert_eq!(host_port(&mut full, 80), None);
    }
}
