//! Turns a validated spec into the plan. Every default is decided here, in layers:
//! built-in ([`super::defaults`]) ⊕ org defaults ⊕ spec ⊕ environment override.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::defaults as d;
use super::model::*;
use crate::catalog::{self, CatalogEntry};
use crate::spec::image::ImageRef;
use crate::spec::quantity::Quantity;
use crate::spec::{
    AutoscalingSpec, DefaultsSpec, EnvironmentSpec, ProbeSpec, ResourcesSpec, Scalar, SecretEntry,
    ServiceSpec, Spec,
};

/// Builds the plan of a spec that passed validation. `defaults` is the org defaults layer
/// (from `--defaults` or the overlay); the spec's own `defaults:` key is layered over it.
pub fn build(spec: &Spec, org: Option<&DefaultsSpec>) -> Plan {
    let defaults = merge_defaults(org, spec.defaults.as_ref());
    let app = spec.app.value.clone();
    let environments = environments(spec);
    let services = spec
        .services
        .iter()
        .map(|(name, svc)| service_plan(spec, &defaults, &environments, name, &svc.value))
        .collect();
    let backing = spec
        .backing
        .iter()
        .filter_map(|(name, b)| {
            let entry = catalog::lookup(&b.value.kind.value)?;
            let version = b.value.version.value.as_text();
            Some(BackingPlan {
                name: name.clone(),
                kind: entry.kind.to_string(),
                image: entry.image_for(&version)?.to_string(),
                version,
                port: entry.port,
            })
        })
        .collect();
    let compose = super::compose::build(spec, &defaults, &environments);
    Plan {
        contract_version: CONTRACT_VERSION,
        generator_version: env!("CARGO_PKG_VERSION").to_string(),
        app,
        environments: environments.iter().map(|(plan, _)| plan.clone()).collect(),
        services,
        backing,
        compose,
    }
}

/// Org defaults with the spec's own `defaults:` over them, field by field.
fn merge_defaults(org: Option<&DefaultsSpec>, spec: Option<&DefaultsSpec>) -> DefaultsSpec {
    let mut out = org.cloned().unwrap_or_default();
    let Some(s) = spec else { return out };
    let s = s.clone();
    out.registry = s.registry.or(out.registry);
    out.ingress_class = s.ingress_class.or(out.ingress_class);
    out.issuer = s.issuer.or(out.issuer);
    out.ingress_controller_namespace = s
        .ingress_controller_namespace
        .or(out.ingress_controller_namespace);
    out.resources = match (out.resources, s.resources) {
        (Some(o), Some(s)) => Some(layer_resources(&o, &s)),
        (o, s) => s.or(o),
    };
    out.labels.extend(s.labels);
    out.annotations.extend(s.annotations);
    out
}

fn layer_resources(under: &ResourcesSpec, over: &ResourcesSpec) -> ResourcesSpec {
    let pick = |u: &Option<crate::spec::QuantitiesSpec>,
                o: &Option<crate::spec::QuantitiesSpec>| {
        let u = u.clone().unwrap_or_default();
        let o = o.clone().unwrap_or_default();
        Some(crate::spec::QuantitiesSpec {
            cpu: o.cpu.or(u.cpu),
            memory: o.memory.or(u.memory),
        })
    };
    ResourcesSpec {
        requests: pick(&under.requests, &over.requests),
        limits: pick(&under.limits, &over.limits),
    }
}

/// The environments with their plan entry and their spec (empty for built-in ones).
pub(super) fn environments(spec: &Spec) -> Vec<(EnvironmentPlan, EnvSource<'_>)> {
    let app = &spec.app.value;
    let entries: Vec<(String, EnvSource<'_>)> = match &spec.environments {
        Some(envs) => envs
            .value
            .0
            .iter()
            .map(|(n, e)| (n.clone(), EnvSource::Spec(&e.value)))
            .collect(),
        None => d::ENVIRONMENTS
            .iter()
            .map(|(n, _)| (n.to_string(), EnvSource::Builtin))
            .collect(),
    };
    entries
        .into_iter()
        .map(|(name, src)| {
            let namespace = src
                .spec()
                .and_then(|e| e.namespace.as_ref())
                .map(|n| n.value.clone())
                .unwrap_or_else(|| format!("{app}-{name}"));
            let labels = BTreeMap::from([
                ("app.kubernetes.io/part-of".to_string(), app.clone()),
                ("chartwright.dev/environment".to_string(), name.clone()),
                // The output meets the restricted Pod Security Standard; enforcing it keeps
                // anything added later to the same bar.
                (
                    "pod-security.kubernetes.io/enforce".to_string(),
                    "restricted".to_string(),
                ),
            ]);
            (
                EnvironmentPlan {
                    name,
                    namespace,
                    labels,
                },
                src,
            )
        })
        .collect()
}

#[derive(Clone, Copy)]
pub(super) enum EnvSource<'a> {
    Builtin,
    Spec(&'a EnvironmentSpec),
}

impl<'a> EnvSource<'a> {
    pub(super) fn spec(self) -> Option<&'a EnvironmentSpec> {
        match self {
            EnvSource::Builtin => None,
            EnvSource::Spec(e) => Some(e),
        }
    }
}

/// The image reference with the org registry prefix applied.
pub(super) fn image_ref(svc: &ServiceSpec, defaults: &DefaultsSpec) -> ImageRef {
    let mut r = ImageRef::parse(&svc.image.value).expect("validated image");
    if let Some(reg) = &defaults.registry
        && !r.has_registry()
    {
        r.repository = format!("{}/{}", reg.value.trim_end_matches('/'), r.repository);
    }
    r
}

pub(super) fn image_text(r: &ImageRef) -> String {
    match (&r.tag, &r.digest) {
        (_, Some(dg)) => format!("{}@{dg}", r.repository),
        (Some(t), None) => format!("{}:{t}", r.repository),
        (None, None) => r.repository.clone(),
    }
}

fn chart_meta(name: &str, app: &str, image: &ImageRef) -> ChartMeta {
    let app_version = match (&image.tag, &image.digest) {
        (Some(t), _) => t.clone(),
        (None, Some(dg)) => dg.trim_start_matches("sha256:")[..12].to_string(),
        (None, None) => "0.1.0".to_string(),
    };
    let semver = app_version.trim_start_matches('v');
    let is_semver = {
        let core = semver.split(['-', '+']).next().unwrap_or_default();
        let parts: Vec<&str> = core.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    ChartMeta {
        name: name.to_string(),
        description: format!("The {name} service of {app}, generated by chartwright"),
        version: if is_semver {
            semver.to_string()
        } else {
            "0.1.0".to_string()
        },
        app_version,
    }
}

/// Resolves requests and limits through every layer.
pub(super) fn resources(layers: &[Option<&ResourcesSpec>]) -> ResourcesValues {
    let mut out = ResourcesValues {
        requests: ResourceQuantities {
            cpu: d::REQUEST_CPU.into(),
            memory: d::REQUEST_MEMORY.into(),
        },
        limits: ResourceQuantities {
            cpu: d::LIMIT_CPU.into(),
            memory: d::LIMIT_MEMORY.into(),
        },
    };
    let text = |q: &Option<crate::spec::S<Scalar>>| q.as_ref().map(|v| v.value.as_text());
    for layer in layers.iter().flatten() {
        if let Some(r) = &layer.requests {
            out.requests.cpu = text(&r.cpu).unwrap_or(out.requests.cpu);
            out.requests.memory = text(&r.memory).unwrap_or(out.requests.memory);
        }
        if let Some(l) = &layer.limits {
            out.limits.cpu = text(&l.cpu).unwrap_or(out.limits.cpu);
            out.limits.memory = text(&l.memory).unwrap_or(out.limits.memory);
        }
    }
    out
}

fn probe(
    spec: Option<&ProbeSpec>,
    default_path: &str,
    first_port: &str,
    ports: &ServiceSpec,
    timing: [u32; 4],
) -> ProbeValues {
    let port = spec
        .and_then(|p| p.port.as_ref())
        .map(|p| {
            let text = p.value.as_text();
            // A number is turned into the port's name so that every probe names its port alike.
            ports
                .ports
                .iter()
                .find(|pp| pp.value.port.value.to_string() == text)
                .map(|pp| pp.value.name.value.clone())
                .unwrap_or(text)
        })
        .unwrap_or_else(|| first_port.to_string());
    let num =
        |v: Option<&crate::spec::S<i64>>, dflt: u32| v.map(|v| v.value as u32).unwrap_or(dflt);
    ProbeValues {
        enabled: true,
        path: spec
            .map(|p| p.http.value.clone())
            .unwrap_or_else(|| default_path.to_string()),
        port,
        initial_delay_seconds: num(
            spec.and_then(|p| p.initial_delay_seconds.as_ref()),
            timing[0],
        ),
        period_seconds: num(spec.and_then(|p| p.period_seconds.as_ref()), timing[1]),
        timeout_seconds: num(spec.and_then(|p| p.timeout_seconds.as_ref()), timing[2]),
        failure_threshold: num(spec.and_then(|p| p.failure_threshold.as_ref()), timing[3]),
    }
}

/// `DATABASE-PRIMARY` style prefix of a dependency's variables.
pub(super) fn var_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

/// The connection variables one dependency hands to a dependent, for a given way of reaching
/// it. Kubernetes and Compose get the same names; only the values differ.
pub(super) struct Connection {
    pub name: String,
    pub value: String,
    /// For Kubernetes: read from this Secret's `password` key instead of `value`.
    pub secret: Option<String>,
}

/// What a service needs to reach backing entry `name`: host/port/… variables and the URL.
/// `password` and `host` are how the target output spells them.
pub(super) fn backing_connection(
    spec: &Spec,
    dependent: &ServiceSpec,
    name: &str,
    entry: &CatalogEntry,
    host: &str,
    password: &str,
    k8s: bool,
) -> Vec<Connection> {
    let p = var_prefix(name);
    let b = &spec.backing[name].value;
    let database = b
        .database
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_else(|| spec.app.value.clone());
    let user = spec.app.value.clone();
    let lit = |n: String, v: String| Connection {
        name: n,
        value: v,
        secret: None,
    };
    let mut out = vec![
        lit(format!("{p}_HOST"), host.to_string()),
        lit(format!("{p}_PORT"), entry.port.to_string()),
    ];
    if entry.url.contains("{database}") {
        out.push(lit(format!("{p}_DATABASE"), database.clone()));
    }
    if entry.url.contains("{user}") {
        out.push(lit(format!("{p}_USER"), user.clone()));
    }
    if entry.password {
        out.push(Connection {
            name: format!("{p}_PASSWORD"),
            value: password.to_string(),
            secret: k8s.then(|| format!("{name}-credentials")),
        });
    }
    // In Kubernetes the URL is assembled by the kubelet from the variables above ($(VAR)), so
    // the password is never written out; in Compose it is interpolated from .env.
    let (h, port, db, u, pw) = if k8s {
        (
            format!("$({p}_HOST)"),
            format!("$({p}_PORT)"),
            format!("$({p}_DATABASE)"),
            format!("$({p}_USER)"),
            format!("$({p}_PASSWORD)"),
        )
    } else {
        (
            host.to_string(),
            entry.port.to_string(),
            database,
            user,
            password.to_string(),
        )
    };
    let url = entry
        .url
        .replace("{host}", &h)
        .replace("{port}", &port)
        .replace("{database}", &db)
        .replace("{user}", &u)
        .replace("{password}", &pw);
    let same_kind = dependent
        .depends_on
        .iter()
        .filter(|dep| {
            spec.backing
                .get(&dep.value)
                .is_some_and(|o| o.value.kind.value == entry.kind)
        })
        .count();
    let url_var = if same_kind == 1 {
        entry.url_var.to_string()
    } else {
        format!("{p}_URL")
    };
    out.push(lit(url_var, url));
    out
}

/// Variables for an own-service dependency: `<DEP>_HOST`, `<DEP>_PORT`, `<DEP>_URL`.
pub(super) fn service_connection(name: &str, dep: &ServiceSpec) -> Vec<Connection> {
    let p = var_prefix(name);
    let port = dep.ports.first().map(|p| p.value.port.value).unwrap_or(80);
    vec![
        Connection {
            name: format!("{p}_HOST"),
            value: name.to_string(),
            secret: None,
        },
        Connection {
            name: format!("{p}_PORT"),
            value: port.to_string(),
            secret: None,
        },
        Connection {
            name: format!("{p}_URL"),
            value: format!("http://{name}:{port}"),
            secret: None,
        },
    ]
}

fn service_plan(
    spec: &Spec,
    defaults: &DefaultsSpec,
    envs: &[(EnvironmentPlan, EnvSource<'_>)],
    name: &str,
    svc: &ServiceSpec,
) -> ServicePlan {
    let image = image_ref(svc, defaults);
    let base = values(spec, defaults, name, svc, &image, None);
    let environments = envs
        .iter()
        .map(|(env, src)| {
            let values = values(spec, defaults, name, svc, &image, Some((env, *src)));
            let overrides = json_diff(
                &serde_json::to_value(&base).expect("values serialize"),
                &serde_json::to_value(&values).expect("values serialize"),
            )
            .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
            ServiceEnvironment {
                env: env.name.clone(),
                namespace: env.namespace.clone(),
                values,
                overrides,
            }
        })
        .collect();
    ServicePlan {
        name: name.to_string(),
        chart: chart_meta(name, &spec.app.value, &image),
        base,
        environments,
    }
}

/// The full values of one service in one environment (or the base values with `None`).
pub(super) fn build_values_for(
    spec: &Spec,
    defaults: &DefaultsSpec,
    name: &str,
    svc: &ServiceSpec,
    env: Option<&(EnvironmentPlan, EnvSource<'_>)>,
) -> ChartValues {
    let image = image_ref(svc, defaults);
    values(spec, defaults, name, svc, &image, env.map(|(p, s)| (p, *s)))
}

/// What an environment contributes to one service, after the per-service override.
struct EnvLayer<'a> {
    replicas: u32,
    autoscaling: Option<&'a AutoscalingSpec>,
    resources: Option<&'a ResourcesSpec>,
    env: BTreeMap<String, String>,
    tls: bool,
    rate_limit_rps: u32,
    ingress_class: Option<String>,
    issuer: Option<String>,
    ingress_host: Option<String>,
}

fn env_layer<'a>(name: &str, env: Option<(&EnvironmentPlan, EnvSource<'a>)>) -> EnvLayer<'a> {
    let builtin_replicas = |env_name: &str| {
        d::ENVIRONMENTS
            .iter()
            .find(|(n, _)| *n == env_name)
            .map(|(_, r)| *r)
            .unwrap_or(d::REPLICAS)
    };
    let Some((plan, src)) = env else {
        // The base values: two replicas so that a plain `helm install` survives a node drain.
        return EnvLayer {
            replicas: 2,
            autoscaling: None,
            resources: None,
            env: BTreeMap::new(),
            tls: true,
            rate_limit_rps: 100,
            ingress_class: None,
            issuer: None,
            ingress_host: None,
        };
    };
    let e = src.spec();
    let o = e.and_then(|e| e.overrides.get(name)).map(|o| &o.value);
    let ing = e.and_then(|e| e.ingress.clone()).unwrap_or_default();
    EnvLayer {
        replicas: o
            .and_then(|o| o.replicas.as_ref())
            .or(e.and_then(|e| e.replicas.as_ref()))
            .map(|r| r.value as u32)
            .unwrap_or_else(|| builtin_replicas(&plan.name)),
        autoscaling: o
            .and_then(|o| o.autoscaling.as_ref())
            .or(e.and_then(|e| e.autoscaling.as_ref()))
            .map(|a| &a.value),
        resources: o.and_then(|o| o.resources.as_ref()),
        env: o
            .map(|o| {
                o.env
                    .iter()
                    .map(|(k, v)| (k.clone(), v.value.as_text()))
                    .collect()
            })
            .unwrap_or_default(),
        tls: ing.tls.unwrap_or(true),
        rate_limit_rps: ing.rate_limit_rps.map(|r| r.value as u32).unwrap_or(100),
        ingress_class: ing.class.map(|c| c.value),
        issuer: ing.issuer.map(|c| c.value),
        ingress_host: o
            .and_then(|o| o.ingress_host.as_ref())
            .map(|h| h.value.clone()),
    }
}

fn values(
    spec: &Spec,
    defaults: &DefaultsSpec,
    name: &str,
    svc: &ServiceSpec,
    image: &ImageRef,
    env: Option<(&EnvironmentPlan, EnvSource<'_>)>,
) -> ChartValues {
    let layer = env_layer(name, env);
    let app = &spec.app.value;
    let uid = svc
        .run_as_user
        .as_ref()
        .map(|u| u.value as u32)
        .unwrap_or(d::RUN_AS_USER);
    let first_port = svc
        .ports
        .first()
        .map(|p| p.value.name.value.clone())
        .unwrap_or_else(|| "http".into());
    let health = svc.health.as_ref();
    let probes = ProbesValues {
        liveness: probe(
            health.and_then(|h| h.liveness.as_ref()).map(|p| &p.value),
            d::LIVENESS_PATH,
            &first_port,
            svc,
            [10, 10, 3, 3],
        ),
        readiness: probe(
            health.and_then(|h| h.readiness.as_ref()).map(|p| &p.value),
            d::READINESS_PATH,
            &first_port,
            svc,
            [5, 5, 3, 3],
        ),
        startup: {
            let s = health.and_then(|h| h.startup.as_ref()).map(|p| &p.value);
            let mut p = probe(s, d::LIVENESS_PATH, &first_port, svc, [0, 5, 3, 30]);
            p.enabled = s.is_some();
            p
        },
    };
    let mut env_vars: BTreeMap<String, String> = svc
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.value.as_text()))
        .collect();
    env_vars.extend(layer.env.clone());

    let mut connections = Vec::new();
    let mut egress = Vec::new();
    for dep in &svc.depends_on {
        let dep = &dep.value;
        if let Some(other) = spec.services.get(dep) {
            connections.extend(service_connection(dep, &other.value));
            egress.push(EgressRuleValues {
                name: dep.clone(),
                pod_selector_name: dep.clone(),
                ports: other
                    .value
                    .ports
                    .iter()
                    .map(|p| NetworkPortValues {
                        port: p.value.port.value as u16,
                        protocol: protocol(&p.value.protocol),
                    })
                    .collect(),
            });
        } else if let Some(b) = spec.backing.get(dep) {
            let entry = catalog::lookup(&b.value.kind.value).expect("validated kind");
            let host = b
                .value
                .host
                .as_ref()
                .map(|h| h.value.clone())
                .unwrap_or_else(|| dep.clone());
            connections.extend(backing_connection(spec, svc, dep, entry, &host, "", true));
            egress.push(EgressRuleValues {
                name: dep.clone(),
                pod_selector_name: String::new(),
                ports: vec![NetworkPortValues {
                    port: entry.port,
                    protocol: "TCP".into(),
                }],
            });
        }
    }
    let connections: Vec<EnvVarValues> = connections
        .into_iter()
        .map(|c| EnvVarValues {
            name: c.name,
            value: if c.secret.is_some() {
                String::new()
            } else {
                c.value
            },
            secret_key: if c.secret.is_some() {
                "password".into()
            } else {
                String::new()
            },
            secret_name: c.secret.unwrap_or_default(),
        })
        .collect();
    let ingress_from: Vec<String> = spec
        .services
        .iter()
        .filter(|(_, s)| s.value.depends_on.iter().any(|dd| dd.value == name))
        .map(|(n, _)| n.clone())
        .collect();

    let replicas = layer.replicas;
    let autoscaling = match layer.autoscaling {
        Some(a) => AutoscalingValues {
            enabled: true,
            min_replicas: a.min.value as u32,
            max_replicas: a.max.value as u32,
            target_cpu_utilization_percentage: a
                .cpu
                .as_ref()
                .map(|c| c.value as u32)
                .unwrap_or(d::HPA_CPU_PERCENT),
            scale_down: scale_down(),
        },
        None => AutoscalingValues {
            enabled: false,
            min_replicas: replicas,
            max_replicas: replicas.max(3) * 2,
            target_cpu_utilization_percentage: d::HPA_CPU_PERCENT,
            scale_down: scale_down(),
        },
    };
    // A PDB must never block a node drain: with a single pod it allows losing that pod, with
    // more it keeps all but one.
    let min_pods = if autoscaling.enabled {
        autoscaling.min_replicas
    } else {
        replicas
    };
    let pod_disruption_budget = if min_pods <= 1 {
        PdbValues {
            enabled: true,
            min_available: 0,
            max_unavailable: 1,
        }
    } else {
        PdbValues {
            enabled: true,
            min_available: min_pods - 1,
            max_unavailable: 0,
        }
    };

    let issuer = layer
        .issuer
        .clone()
        .or(defaults.issuer.as_ref().map(|i| i.value.clone()))
        .unwrap_or_else(|| d::CLUSTER_ISSUER.to_string());
    let class_name = layer
        .ingress_class
        .clone()
        .or(defaults.ingress_class.as_ref().map(|i| i.value.clone()))
        .unwrap_or_else(|| d::INGRESS_CLASS.to_string());
    let ingress = match &svc.ingress {
        Some(ing) => {
            let mut annotations = BTreeMap::new();
            if layer.tls {
                annotations.insert("cert-manager.io/cluster-issuer".to_string(), issuer);
                annotations.insert(
                    "nginx.ingress.kubernetes.io/ssl-redirect".to_string(),
                    "true".to_string(),
                );
            }
            if layer.rate_limit_rps > 0 {
                annotations.insert(
                    "nginx.ingress.kubernetes.io/limit-rps".to_string(),
                    layer.rate_limit_rps.to_string(),
                );
            }
            IngressValues {
                enabled: true,
                class_name,
                host: layer
                    .ingress_host
                    .clone()
                    .unwrap_or_else(|| ing.value.host.value.clone()),
                path: ing
                    .value
                    .path
                    .as_ref()
                    .map(|p| p.value.clone())
                    .unwrap_or_else(|| "/".into()),
                path_type: "Prefix".into(),
                tls: IngressTlsValues {
                    enabled: layer.tls,
                    secret_name: format!("{name}-tls"),
                },
                rate_limit_rps: layer.rate_limit_rps,
                annotations,
            }
        }
        None => IngressValues {
            enabled: false,
            class_name,
            host: String::new(),
            path: "/".into(),
            path_type: "Prefix".into(),
            tls: IngressTlsValues {
                enabled: false,
                secret_name: format!("{name}-tls"),
            },
            rate_limit_rps: 0,
            annotations: BTreeMap::new(),
        },
    };

    let secret_keys: Vec<String> = svc
        .secrets
        .iter()
        .filter_map(|s| match &s.value {
            SecretEntry::Name(n) => Some(n.clone()),
            SecretEntry::WithValue(_) => None,
        })
        .collect();
    let es = svc.external_secret.as_ref();
    let external_secret = ExternalSecretValues {
        enabled: es.is_some() && !secret_keys.is_empty(),
        secret_store_name: es.map(|e| e.store.value.clone()).unwrap_or_default(),
        secret_store_kind: es
            .and_then(|e| e.store_kind.as_ref())
            .map(|k| k.value.clone())
            .unwrap_or_else(|| "ClusterSecretStore".into()),
        refresh_interval: es
            .and_then(|e| e.refresh_interval.as_ref())
            .map(|k| k.value.clone())
            .unwrap_or_else(|| "1h".into()),
        remote_key_prefix: es
            .and_then(|e| e.remote_key_prefix.as_ref())
            .map(|k| k.value.clone())
            .unwrap_or_else(|| format!("{app}/{name}/")),
    };

    let mut pod_annotations = defaults.annotations.clone();
    // Pods restart when their configuration changes, and only then.
    pod_annotations.insert("checksum/config".into(), config_checksum(&env_vars));
    let seccomp = || SeccompProfile {
        kind: "RuntimeDefault".into(),
    };
    ChartValues {
        fullname_override: name.to_string(),
        part_of: app.clone(),
        image: ImageValues {
            repository: image.repository.clone(),
            tag: image.tag.clone().unwrap_or_default(),
            digest: image.digest.clone().unwrap_or_default(),
            pull_policy: "IfNotPresent".into(),
        },
        replica_count: replicas,
        service_account: ServiceAccountValues {
            create: true,
            name: String::new(),
            automount: false,
            annotations: BTreeMap::new(),
        },
        pod_annotations,
        pod_labels: defaults.labels.clone(),
        pod_security_context: PodSecurityContext {
            run_as_non_root: true,
            run_as_user: uid,
            run_as_group: uid,
            fs_group: uid,
            seccomp_profile: seccomp(),
        },
        security_context: ContainerSecurityContext {
            allow_privilege_escalation: false,
            privileged: false,
            read_only_root_filesystem: true,
            run_as_non_root: true,
            run_as_user: uid,
            run_as_group: uid,
            capabilities: Capabilities {
                drop: vec!["ALL".into()],
            },
            seccomp_profile: seccomp(),
        },
        ports: svc
            .ports
            .iter()
            .map(|p| PortValues {
                name: p.value.name.value.clone(),
                container_port: p.value.port.value as u16,
                protocol: protocol(&p.value.protocol),
            })
            .collect(),
        service: ServiceValues {
            kind: "ClusterIP".into(),
            ports: svc
                .ports
                .iter()
                .map(|p| ServicePortValues {
                    name: p.value.name.value.clone(),
                    port: p.value.port.value as u16,
                    target_port: p.value.name.value.clone(),
                    protocol: protocol(&p.value.protocol),
                })
                .collect(),
        },
        env: env_vars,
        connections,
        secrets: SecretsValues {
            existing_secret: format!("{name}-secrets"),
            keys: secret_keys,
            external_secret,
        },
        probes,
        resources: resources(&[
            defaults.resources.as_ref(),
            svc.resources.as_ref(),
            layer.resources,
        ]),
        autoscaling,
        pod_disruption_budget,
        ingress,
        network_policy: NetworkPolicyValues {
            enabled: true,
            ingress_from,
            ingress_controller_namespace: defaults
                .ingress_controller_namespace
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_else(|| d::INGRESS_CONTROLLER_NAMESPACE.into()),
            egress,
        },
        scheduling: SchedulingValues {
            anti_affinity_weight: 100,
            topology_spread: TopologySpreadValues {
                enabled: true,
                max_skew: 1,
                topology_key: "topology.kubernetes.io/zone".into(),
                when_unsatisfiable: "ScheduleAnyway".into(),
            },
        },
        tmp_volume: TmpVolumeValues {
            size_limit: "64Mi".into(),
        },
        tests: TestValues {
            enabled: true,
            image: d::TEST_IMAGE.into(),
            resources: ResourcesValues {
                requests: ResourceQuantities {
                    cpu: "10m".into(),
                    memory: "16Mi".into(),
                },
                limits: ResourceQuantities {
                    cpu: "100m".into(),
                    memory: "64Mi".into(),
                },
            },
        },
    }
}

fn protocol(p: &Option<crate::spec::S<String>>) -> String {
    p.as_ref()
        .map(|p| p.value.clone())
        .unwrap_or_else(|| "TCP".into())
}

fn scale_down() -> ScaleDownValues {
    ScaleDownValues {
        stabilization_window_seconds: d::SCALE_DOWN_STABILIZATION_SECONDS,
        percent: d::SCALE_DOWN_PERCENT,
        period_seconds: d::SCALE_DOWN_PERIOD_SECONDS,
    }
}

fn config_checksum(env: &BTreeMap<String, String>) -> String {
    let json = serde_json::to_string(env).expect("a string map serializes");
    let digest = Sha256::digest(json.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The part of `full` that differs from `base`: maps recurse (Helm merges them key by key),
/// anything else is taken whole (Helm replaces lists and scalars). `None` when equal.
pub fn json_diff(base: &serde_json::Value, full: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    match (base, full) {
        (Value::Object(b), Value::Object(f)) => {
            let mut out = serde_json::Map::new();
            for (k, fv) in f {
                match b.get(k) {
                    Some(bv) => {
                        if let Some(dv) = json_diff(bv, fv) {
                            out.insert(k.clone(), dv);
                        }
                    }
                    None => {
                        out.insert(k.clone(), fv.clone());
                    }
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (b, f) if b == f => None,
        (_, f) => Some(f.clone()),
    }
}

/// Quantities in the forms Compose expects (see [`Quantity::compose_cpus`]).
pub(super) fn compose_limits(r: &ResourcesValues) -> (String, String) {
    let cpus = Quantity::parse(&r.limits.cpu)
        .map(|q| q.compose_cpus())
        .unwrap_or_default();
    let memory = Quantity::parse(&r.limits.memory)
        .map(|q| q.compose_memory())
        .unwrap_or_default();
    (cpus, memory)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changes() {
        let base = json!({"a": 1, "m": {"x": 1, "y": [1, 2]}, "l": [1]});
        let full = json!({"a": 1, "m": {"x": 2, "y": [1, 2]}, "l": [1, 2]});
        assert_eq!(
            json_diff(&base, &full),
            Some(json!({"m": {"x": 2}, "l": [1, 2]}))
        );
        assert_eq!(json_diff(&base, &base), None);
    }
}
