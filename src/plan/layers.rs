//! The layers under a service's values, lowest first: built-in ([`super::defaults`]) < org
//! defaults (`--defaults`) < the spec's `defaults:` < the service < the environment < the
//! environment's per-service override. Every merge of those layers happens here.

use std::collections::BTreeMap;

use super::defaults as d;
use super::model::EnvironmentPlan;
use crate::spec::{AutoscalingSpec, DefaultsSpec, EnvironmentSpec, ResourcesSpec, Spec};

/// Org defaults with the spec's own `defaults:` over them, field by field.
pub(super) fn merge_defaults(
    org: Option<&DefaultsSpec>,
    spec: Option<&DefaultsSpec>,
) -> DefaultsSpec {
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
pub(super) fn environments<'a>(
    spec: &'a Spec,
    defaults: &DefaultsSpec,
) -> Vec<(EnvironmentPlan, EnvSource<'a>)> {
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
            // Org labels first, so that the standard ones below cannot be overridden.
            let mut labels = defaults.labels.clone();
            labels.extend([
                ("app.kubernetes.io/part-of".to_string(), app.clone()),
                ("chartwright.dev/environment".to_string(), name.clone()),
                // The output meets the restricted Pod Security Standard; enforcing it keeps
                // anything added later to the same bar.
                (
                    "pod-security.kubernetes.io/enforce".to_string(),
                    "restricted".to_string(),
                ),
            ]);
            let mut object_labels = defaults.labels.clone();
            object_labels.extend([
                ("app.kubernetes.io/part-of".to_string(), app.clone()),
                (
                    "app.kubernetes.io/managed-by".to_string(),
                    "chartwright".to_string(),
                ),
            ]);
            (
                EnvironmentPlan {
                    name,
                    namespace,
                    labels,
                    object_labels,
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

/// What an environment contributes to one service, after the per-service override.
pub(super) struct EnvLayer<'a> {
    pub replicas: u32,
    pub autoscaling: Option<&'a AutoscalingSpec>,
    pub resources: Option<&'a ResourcesSpec>,
    pub env: BTreeMap<String, String>,
    pub tls: bool,
    pub rate_limit_rps: u32,
    pub ingress_class: Option<String>,
    pub issuer: Option<String>,
    pub ingress_host: Option<String>,
}

pub(super) fn env_layer<'a>(
    name: &str,
    env: Option<(&EnvironmentPlan, EnvSource<'a>)>,
) -> EnvLayer<'a> {
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
