//! The local-development plan: one Compose project with every own service and backing service,
//! each gated on the health of what it depends on.

use std::collections::{BTreeMap, BTreeSet};

use super::chart::{image_ref, image_text};
use super::checks::Problems;
use super::connections::{backing_connection, service_connection, var_prefix};
use super::defaults as d;
use super::layers::{Context, EnvSource};
use super::model::*;
use super::resources::Resolved;

/// Compose reads `$` as interpolation; a literal dollar from the spec must stay literal.
pub fn escape_dollars(s: &str) -> String {
    s.replace('$', "$$")
}

/// `${NAME:?…}`: Compose refuses to start when the variable is unset, instead of passing an
/// empty password along.
fn required(name: &str) -> String {
    format!("${{{name}:?set {name} in .env (see the top of docker-compose.yml)}}")
}

/// Host ports handed out so far.
#[derive(Default)]
struct HostPorts {
    used: BTreeSet<u16>,
    /// Per requested port, where the upward search for a free one resumes: every port from
    /// the request up to there is taken. Without it a thousand services on 8080 each walked
    /// past all the ports given out before them, which made planning quadratic (issue 17).
    resume: BTreeMap<u16, u16>,
}

/// The host port for `port`: the same number when free, else the next free one above, so two
/// services listening on 8080 in their containers can both be reached from the laptop; when
/// nothing above is free (8080 is near the top, 65535 is the top), the nearest free one below.
/// `None` only when all 65535 ports are taken.
fn host_port(ports: &mut HostPorts, port: u16) -> Option<u16> {
    let start = ports.resume.get(&port).copied().unwrap_or(port);
    let used = &ports.used;
    let free = (start..=u16::MAX)
        .find(|p| !used.contains(p))
        .or_else(|| (1..port).rev().find(|p| !used.contains(p)))?;
    ports.used.insert(free);
    if free >= port {
        ports.resume.insert(port, free.saturating_add(1));
    }
    Some(free)
}

pub(super) fn build(
    ctx: &Context<'_>,
    envs: &[(EnvironmentPlan, EnvSource<'_>)],
    planned: &[(ServicePlan, Vec<Resolved>)],
    problems: &mut Problems,
    notes: &mut Vec<String>,
) -> ComposePlan {
    let (spec, defaults) = (ctx.spec, &ctx.defaults);
    // Local development runs with the values of the `dev` environment (or the first one), as
    // the service plans decided them.
    let local = envs
        .iter()
        .position(|(e, _)| e.name == "dev")
        .unwrap_or_default();
    let mut used_ports = HostPorts::default();
    let mut services = Vec::new();
    let mut volumes = Vec::new();
    let mut variables: BTreeMap<String, ComposeVariable> = BTreeMap::new();

    // Each own service's healthcheck first: its dependents' conditions depend on it.
    let checks: BTreeMap<&String, Result<Vec<String>, String>> = spec
        .services
        .iter()
        .map(|(name, svc)| (name, super::healthcheck::healthcheck_test(svc)))
        .collect();
    for ((name, svc), (plan, resolved)) in spec.services.iter().zip(planned) {
        let (Some(env), Some(resources)) = (plan.environments.get(local), resolved.get(local))
        else {
            continue;
        };
        let values = &env.values;
        let mut environment: Vec<(String, String)> = values
            .env
            .iter()
            .map(|(k, v)| (k.clone(), escape_dollars(v)))
            .collect();
        for dep in &svc.depends_on {
            let conns = if let Some(other) = spec.services.get(dep) {
                service_connection(dep, other)
            } else if let Some(b) = spec.backing.get(dep) {
                let pw_var = format!("{}_PASSWORD", var_prefix(dep));
                backing_connection(spec, svc, dep, b, dep, &required(&pw_var), false)
            } else {
                continue;
            };
            environment.extend(conns.into_iter().map(|c| (c.name, c.value)));
        }
        for n in &svc.secrets {
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
        let test = match &checks[name] {
            Ok(test) => test.clone(),
            Err(why) => {
                if !why.is_empty() {
                    notes.push(format!("services.{name}: {why}"));
                }
                Vec::new()
            }
        };
        let depends_on_condition = svc
            .depends_on
            .iter()
            .map(|dep| {
                let condition = match spec.services.get(dep) {
                    Some(other) if other.kind.completes() => "service_completed_successfully",
                    Some(_) if checks[dep].as_ref().is_ok_and(|t| !t.is_empty()) => {
                        "service_healthy"
                    }
                    Some(_) => "service_started",
                    None => "service_healthy",
                };
                (dep.clone(), condition.to_string())
            })
            .collect();
        let (cpus, memory) = resources.compose_limits();
        let (_, mut tmpfs, security_opt, cap_drop) = super::security::compose_hardening();
        let read_only = values.security_context.read_only_root_filesystem;
        tmpfs.extend(
            values
                .storage
                .writable_paths
                .iter()
                .map(|w| w.mount_path.clone()),
        );
        let mut mounts = Vec::new();
        for v in &values.storage.volumes {
            // `_` joins two DNS labels unambiguously.
            let volume = format!("{name}_{}", v.name);
            mounts.push(escape_dollars(&format!("{volume}:{}", v.mount_path)));
            volumes.push(volume);
        }
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
            build: svc.build.as_deref().map(escape_dollars),
            ports: values
                .ports
                .iter()
                .map(|p| {
                    let host = host_port(&mut used_ports, p.container_port).unwrap_or_else(|| {
                        problems.limit(
                            format!("services.{name}.ports"),
                            "no host port is left for Compose: all 65535 are taken".into(),
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
                interval: d::COMPOSE_HEALTHCHECK.0.into(),
                timeout: d::COMPOSE_HEALTHCHECK.1.into(),
                retries: d::COMPOSE_HEALTHCHECK.2,
                start_period: d::COMPOSE_HEALTHCHECK.3.into(),
            },
            depends_on: svc.depends_on.clone(),
            depends_on_condition,
            volumes: mounts,
            binds: svc
                .config_files
                .iter()
                .map(|f| ComposeBind {
                    source: escape_dollars(&format!(
                        "./{}",
                        f.source.value.trim_start_matches("./")
                    )),
                    target: escape_dollars(&f.mount_path),
                })
                .collect(),
            writable_root_reason: plan.policy.writable_root_reason.clone(),
            command: super::healthcheck::escape_all(svc.command.as_deref().unwrap_or_default()),
            entrypoint: super::healthcheck::escape_all(
                svc.entrypoint.as_deref().unwrap_or_default(),
            ),
            restart: if svc.kind.completes() {
                "no".into()
            } else {
                String::new()
            },
            profiles: super::profiles::compose_profiles(svc),
            cpus,
            memory,
            read_only,
            // The image's own user: Compose, like the pod, names none.
            user: (values.security_context.run_as_user != 0)
                .then(|| format!("{0}:{0}", values.security_context.run_as_user)),
            tmpfs,
            security_opt,
            cap_drop,
        });
    }

    for (name, b) in &spec.backing {
        let entry = b.entry;
        let pw_var = format!("{}_PASSWORD", var_prefix(name));
        let database = b.database.clone().unwrap_or_else(|| spec.app.clone());
        let fill = |s: &str| {
            s.replace("{name}", name)
                .replace("{user}", &spec.app)
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
            image: b.image.to_string(),
            build: None,
            ports: vec![format!(
                "127.0.0.1:{}:{}",
                host_port(&mut used_ports, entry.port).unwrap_or_else(|| {
                    problems.limit(
                        format!("backing.{name}"),
                        "no host port is left for Compose: all 65535 are taken".into(),
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
            depends_on_condition: BTreeMap::new(),
            entrypoint: Vec::new(),
            restart: String::new(),
            profiles: Vec::new(),
            volumes: mounts,
            binds: Vec::new(),
            writable_root_reason: String::new(),
            command: entry.command.iter().map(|c| fill(c)).collect(),
            cpus: String::new(),
            memory: String::new(),
            // The catalog images write to their root filesystem and start as root to drop
            // privileges themselves.
            read_only: false,
            user: None,
            tmpfs: Vec::new(),
            security_opt: Vec::new(),
            cap_drop: Vec::new(),
        });
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    volumes.sort();
    let profiles: BTreeSet<String> = spec
        .services
        .values()
        .flat_map(|s| s.profiles.iter().cloned())
        .collect();
    ComposePlan {
        name: spec.app.clone(),
        services,
        volumes,
        variables: variables.into_values().collect(),
        profiles: profiles.into_iter().collect(),
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
        let mut used = HostPorts::default();
        assert_eq!(host_port(&mut used, 8080), Some(8080));
        assert_eq!(host_port(&mut used, 8080), Some(8081));
        assert_eq!(host_port(&mut used, 8081), Some(8082));
        assert_eq!(host_port(&mut used, 8080), Some(8083));
        assert_eq!(host_port(&mut used, 8084), Some(8084));
        assert_eq!(host_port(&mut used, 8081), Some(8085));
        assert_eq!(host_port(&mut used, 8080), Some(8086));
    }

    #[test]
    fn host_ports_never_pass_the_top() {
        let mut used = HostPorts::default();
        assert_eq!(host_port(&mut used, 65535), Some(65535));
        assert_eq!(host_port(&mut used, 65535), Some(65534));
        assert_eq!(host_port(&mut used, 65534), Some(65533));
        assert_eq!(host_port(&mut used, 65533), Some(65532));
        let mut full = HostPorts {
            used: (1..=u16::MAX).collect(),
            ..HostPorts::default()
        };
        assert_eq!(host_port(&mut full, 80), None);
    }
}
