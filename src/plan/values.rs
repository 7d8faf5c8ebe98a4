//! The chart values of one service, base and per environment, assembled from the rooms next
//! door (probes, connections, ingress, network policy, scaling, security, resources).

use std::collections::BTreeMap;

use super::chart::{chart_meta, image_ref};
use super::checks::{Origin, Problems, Source};
use super::defaults as d;
use super::layers::{Context, EnvSource, env_layer};
use super::model::*;
use super::resources::{Resolved, ResourceLayer};
use crate::spec::checked::{Port, Service};
use crate::spec::image::ImageRef;

/// A service's plan, and for each of its environments (in order) its resolved resources, which
/// the Compose plan reads for the local one.
pub(super) fn service_plan(
    ctx: &Context<'_>,
    envs: &[(EnvironmentPlan, EnvSource<'_>)],
    name: &str,
    svc: &Service,
    problems: &mut Problems,
) -> (ServicePlan, Vec<Resolved>) {
    let image = image_ref(svc, &ctx.defaults);
    for (i, f) in svc.config_files.iter().enumerate() {
        if f.contents.is_none() {
            problems.push(
                &Origin::of(
                    Source::Spec,
                    format!("services.{name}.config_files[{i}].source"),
                    &f.source,
                ),
                format!(
                    "config file `{}` was not read (the spec was given as text, not as a file)",
                    f.source.value
                ),
                None,
            );
        }
    }
    let overrides = ctx.spec.environments.iter().flatten();
    for (env, o) in overrides.filter_map(|(e, env)| Some((e, env.overrides.get(name)?))) {
        if let Some((at, false)) = &o.env_file {
            problems.push(
                &Origin::of(
                    Source::Spec,
                    format!("environments.{env}.overrides.{name}.env_file"),
                    at,
                ),
                format!(
                    "env file `{}` was not read (the spec was given as text, not as a file)",
                    at.value
                ),
                None,
            );
        }
    }
    let (mut base, _) = values(ctx, name, svc, &image, None, problems);
    let mut resolved = Vec::with_capacity(envs.len());
    let mut env_values: Vec<ChartValues> = envs
        .iter()
        .map(|(env, src)| {
            let (values, resources) = values(ctx, name, svc, &image, Some((env, *src)), problems);
            resolved.push(resources);
            values
        })
        .collect();
    super::storage::decide_workload(&mut base, &mut env_values);
    let base_json = serde_json::to_value(&base).expect("values serialize");
    let environments = envs
        .iter()
        .zip(env_values)
        .map(|((env, src), values)| {
            let overrides = json_diff(
                &base_json,
                &serde_json::to_value(&values).expect("values serialize"),
            )
            .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
            ServiceEnvironment {
                env: env.name.clone(),
                namespace: env.namespace.clone(),
                deployed: super::profiles::deployed(svc, *src),
                values,
                overrides,
            }
        })
        .collect();
    let workload = super::workload::workload(svc, base.storage.stateful_set);
    let plan = ServicePlan {
        name: name.to_string(),
        chart: chart_meta(name, &ctx.spec.app, &image, &ctx.spec.chart),
        base,
        environments,
        policy: super::security::workload_policy(svc),
        workload,
        profiles: svc.profiles.clone(),
    };
    (plan, resolved)
}

/// The full values of one service in one environment (or the base values with `None`), with
/// its resources as resolved through the layers.
fn values(
    ctx: &Context<'_>,
    name: &str,
    svc: &Service,
    image: &ImageRef,
    env: Option<(&EnvironmentPlan, EnvSource<'_>)>,
    problems: &mut Problems,
) -> (ChartValues, Resolved) {
    let (spec, defaults) = (ctx.spec, &ctx.defaults);
    let layer = env_layer(name, env);
    super::scaling::check(&layer, problems);
    let mut resource_layers = ctx.resource_layers();
    resource_layers.push(ResourceLayer {
        source: Source::Spec,
        path: format!("services.{name}.resources"),
        spec: &svc.resources,
    });
    resource_layers.extend(layer.resources.iter().map(|l| ResourceLayer {
        source: l.source,
        path: l.path.clone(),
        spec: l.spec,
    }));
    let resources = super::resources::resolve(&resource_layers);
    resources.check(problems, ctx.file, ctx.org);
    let app = &spec.app;
    // 0: the image's own user (no UID written; runAsNonRoot still refuses root).
    let uid = if svc.run_as_image_user {
        0
    } else {
        svc.run_as_user.unwrap_or(d::RUN_AS_USER)
    };
    let env_spec = env.and_then(|(e, _)| {
        ctx.spec
            .environments
            .as_ref()
            .and_then(|envs| envs.get(&e.name))
    });
    let over = env_spec.and_then(|e| e.overrides.get(name));
    let image = &over
        .and_then(|o| o.image.clone())
        .map(|i| super::chart::with_registry(i, defaults))
        .unwrap_or_else(|| image.clone());
    // Probes and the ingress default to the first port (a service may have none).
    let first_port = svc
        .ports
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut env_vars = svc.env.clone();
    env_vars.extend(layer.env.clone());

    let replicas = layer.replicas;
    let workload = super::workload::workload(svc, false);
    let mut autoscaling = super::scaling::autoscaling(&layer);
    // A Job's pods run to completion: nothing to autoscale, keep available or spread.
    autoscaling.enabled &= workload.long_running;
    let mut pod_disruption_budget = super::scaling::pod_disruption_budget();
    pod_disruption_budget.enabled &= workload.long_running;

    // The chart adds `checksum/config`, hashed from the ConfigMap it renders; the files of
    // `config_files:` are read when chartwright runs, so their checksum is decided here.
    let mut pod_annotations = defaults.annotations.clone();
    let config_files = super::storage::config_files(svc);
    if let Some(sum) = super::storage::files_checksum(&config_files) {
        pod_annotations.insert("checksum/files".into(), sum);
    }
    let values = ChartValues {
        name_override: String::new(),
        fullname_override: String::new(),
        part_of: app.clone(),
        image: ImageValues {
            repository: image.repository.clone(),
            tag: image.tag.clone().unwrap_or_default(),
            digest: image.digest.clone().unwrap_or_default(),
            pull_policy: d::IMAGE_PULL_POLICY.into(),
        },
        image_pull_secrets: Vec::new(),
        replica_count: replicas,
        service_account: super::security::service_account(),
        pod_annotations,
        common_labels: defaults.labels.clone(),
        pod_labels: BTreeMap::new(),
        pod_security_context: super::security::pod_security_context(uid),
        security_context: super::security::container_security_context(
            uid,
            svc.writable_root_reason.is_none(),
        ),
        priority_class_name: String::new(),
        node_selector: BTreeMap::new(),
        tolerations: Vec::new(),
        affinity: serde_json::json!({}),
        topology_spread_constraints: Vec::new(),
        termination_grace_period_seconds: d::TERMINATION_GRACE_PERIOD_SECONDS,
        lifecycle: serde_json::json!({}),
        extra_env: Vec::new(),
        extra_env_from: Vec::new(),
        extra_volumes: Vec::new(),
        extra_volume_mounts: Vec::new(),
        init_containers: Vec::new(),
        extra_containers: Vec::new(),
        command: svc.entrypoint.clone().unwrap_or_default(),
        args: svc.command.clone().unwrap_or_default(),
        ports: svc
            .ports
            .iter()
            .map(|p| PortValues {
                name: p.name.clone(),
                container_port: p.number,
                protocol: protocol(p),
            })
            .collect(),
        service: ServiceValues {
            kind: "ClusterIP".into(),
            annotations: BTreeMap::new(),
            labels: BTreeMap::new(),
            ports: svc
                .ports
                .iter()
                .map(|p| ServicePortValues {
                    name: p.name.clone(),
                    port: p.number,
                    target_port: p.name.clone(),
                    protocol: protocol(p),
                })
                .collect(),
        },
        env: env_vars,
        connections: super::connections::k8s_connections(spec, svc, env_spec.map(|e| &e.backing)),
        secrets: secrets(app, name, svc),
        probes: super::probes::probes(svc),
        resources: resources.values(),
        autoscaling,
        pod_disruption_budget,
        ingress: super::ingress::ingress(defaults, name, svc, &layer, &first_port),
        http_route: super::ingress::http_route(),
        service_monitor: ServiceMonitorValues {
            enabled: false,
            labels: BTreeMap::new(),
            port: first_port.clone(),
            path: String::new(),
            interval: String::new(),
        },
        network_policy: super::network_policy::network_policy(ctx, name, svc),
        scheduling: SchedulingValues {
            anti_affinity_weight: if workload.long_running {
                d::ANTI_AFFINITY_WEIGHT
            } else {
                0
            },
            topology_spread: TopologySpreadValues {
                enabled: workload.long_running,
                max_skew: 1,
                topology_key: d::TOPOLOGY_KEY.into(),
                when_unsatisfiable: "ScheduleAnyway".into(),
            },
        },
        tmp_volume: TmpVolumeValues {
            size_limit: d::TMP_SIZE_LIMIT.into(),
        },
        storage: super::storage::storage(svc, over, defaults),
        config_files,
        tests: TestValues {
            // The test pod connects to the Service: only a service that has one gets it.
            enabled: workload.serves,
            image: d::TEST_IMAGE.into(),
            resources: ResourcesValues {
                requests: ResourceQuantities {
                    cpu: d::TEST_REQUESTS.0.into(),
                    memory: d::TEST_REQUESTS.1.into(),
                },
                limits: ResourceQuantities {
                    cpu: d::TEST_LIMITS.0.into(),
                    memory: d::TEST_LIMITS.1.into(),
                },
            },
        },
        job: super::workload::job(svc),
        cron_job: super::workload::cron_job(svc),
    };
    (values, resources)
}

/// The Secret the service reads its secret variables from, or the ExternalSecret that fills it.
fn secrets(app: &str, name: &str, svc: &Service) -> SecretsValues {
    let keys = svc.secrets.clone();
    let es = svc.external_secret.as_ref();
    let external_secret = ExternalSecretValues {
        enabled: es.is_some() && !keys.is_empty(),
        secret_store_name: es.map(|e| e.store.clone()).unwrap_or_default(),
        secret_store_kind: es
            .and_then(|e| e.store_kind.clone())
            .unwrap_or_else(|| d::SECRET_STORE_KIND.into()),
        refresh_interval: es
            .and_then(|e| e.refresh_interval.clone())
            .unwrap_or_else(|| d::SECRET_REFRESH_INTERVAL.into()),
        remote_key_prefix: es
            .and_then(|e| e.remote_key_prefix.clone())
            .unwrap_or_else(|| format!("{app}/{name}/")),
    };
    SecretsValues {
        existing_secret: format!("{name}-secrets"),
        keys,
        external_secret,
    }
}

pub(super) fn protocol(p: &Port) -> String {
    p.protocol.clone().unwrap_or_else(|| "TCP".into())
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
