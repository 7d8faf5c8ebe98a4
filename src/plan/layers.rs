//! The layers under a service's values, lowest first: built-in ([`super::defaults`]) < org
//! defaults (`--defaults`) < the spec's `defaults:` < the service < the environment < the
//! environment's per-service override. Every merge of those layers happens here.

use std::collections::BTreeMap;

use super::checks::Source;
use super::defaults as d;
use super::model::{EnvironmentPlan, GuardRails};
use super::resources::ResourceLayer;
use crate::spec::checked::{Autoscaling, Checked, Defaults, Environment};
use crate::spec::{DefaultsFile, S, SpecFile};

/// What every service is planned against: the checked spec, the org defaults file and both
/// defaults blocks merged (org under the spec's own `defaults:`).
pub(super) struct Context<'a> {
    pub file: &'a SpecFile,
    pub org: Option<&'a DefaultsFile>,
    pub spec: &'a Checked,
    pub defaults: Defaults,
    /// For each name, the services that depend on it, in name order: found once per plan,
    /// because looking them up per service made planning quadratic (issue 17).
    pub dependents: BTreeMap<&'a str, Vec<String>>,
}

/// Who depends on each name; `spec.services` iterates in name order, so every list is sorted,
/// and a dependency listed twice by one service counts once.
fn dependents(spec: &Checked) -> BTreeMap<&str, Vec<String>> {
    let mut map: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, svc) in &spec.services {
        for dep in &svc.depends_on {
            let list = map.entry(dep.as_str()).or_default();
            if list.last() != Some(name) {
                list.push(name.clone());
            }
        }
    }
    map
}

impl<'a> Context<'a> {
    pub fn new(file: &'a SpecFile, org: Option<&'a DefaultsFile>) -> Self {
        let spec = &file.checked;
        Context {
            file,
            org,
            spec,
            defaults: merge_defaults(org.map(|o| &o.checked), &spec.defaults),
            dependents: dependents(spec),
        }
    }

    /// The resource layers under every service: the org file's, then the spec's `defaults:`.
    pub fn resource_layers(&self) -> Vec<ResourceLayer<'a>> {
        let org = self.org.map(|o| ResourceLayer {
            source: Source::Org,
            path: "resources".into(),
            spec: &o.checked.resources,
        });
        let own = ResourceLayer {
            source: Source::Spec,
            path: "defaults.resources".into(),
            spec: &self.spec.defaults.resources,
        };
        org.into_iter().chain([own]).collect()
    }
}

/// Org defaults with the spec's own `defaults:` over them, field by field.
fn merge_defaults(org: Option<&Defaults>, own: &Defaults) -> Defaults {
    let mut out = org.cloned().unwrap_or_default();
    let s = own.clone();
    out.registry = s.registry.or(out.registry);
    out.ingress_class = s.ingress_class.or(out.ingress_class);
    out.issuer = s.issuer.or(out.issuer);
    out.ingress_controller_namespace = s
        .ingress_controller_namespace
        .or(out.ingress_controller_namespace);
    out.volume_size = s.volume_size.or(out.volume_size);
    // Resources are layered one by one, each with its origin, by `Context::resource_layers`:
    // a merged copy here would lose which file set the value a rule refuses.
    out.resources = Default::default();
    out.labels.extend(s.labels);
    out.annotations.extend(s.annotations);
    out
}

/// The environments with their plan entry and their spec (empty for built-in ones).
pub(super) fn environments<'a>(
    spec: &'a Checked,
    defaults: &Defaults,
) -> Vec<(EnvironmentPlan, EnvSource<'a>)> {
    let app = &spec.app;
    let entries: Vec<(String, EnvSource<'_>)> = match &spec.environments {
        Some(envs) => envs
            .iter()
            .map(|(n, e)| (n.clone(), EnvSource::Spec(e)))
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
                .and_then(|e| e.namespace.clone())
                .unwrap_or_else(|| d::namespace(app, &name));
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
                    // Sized once every service is planned (plan::build).
                    guard_rails: GuardRails::default(),
                },
                src,
            )
        })
        .collect()
}

#[derive(Clone, Copy)]
pub(super) enum EnvSource<'a> {
    Builtin,
    Spec(&'a Environment),
}

impl<'a> EnvSource<'a> {
    pub(super) fn spec(self) -> Option<&'a Environment> {
        match self {
            EnvSource::Builtin => None,
            EnvSource::Spec(e) => Some(e),
        }
    }
}

/// What an environment contributes to one service, after the per-service override.
pub(super) struct EnvLayer<'a> {
    pub replicas: u32,
    /// The autoscaling in force and the path of its key in the spec.
    pub autoscaling: Option<(String, &'a S<Autoscaling>)>,
    /// The per-service override's resources, the top resource layer.
    pub resources: Option<ResourceLayer<'a>>,
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
    let Some((plan, src)) = env else {
        return EnvLayer {
            replicas: d::BASE_REPLICAS,
            autoscaling: None,
            resources: None,
            env: BTreeMap::new(),
            tls: d::TLS,
            rate_limit_rps: d::RATE_LIMIT_RPS,
            ingress_class: None,
            issuer: None,
            ingress_host: None,
        };
    };
    let e = src.spec();
    let env_path = format!("environments.{}", plan.name);
    let o = e.and_then(|e| e.overrides.get(name));
    EnvLayer {
        replicas: o
            .and_then(|o| o.replicas)
            .or(e.and_then(|e| e.replicas))
            .unwrap_or_else(|| d::replicas_of(&plan.name)),
        autoscaling: match (o.and_then(|o| o.autoscaling.as_ref()), e) {
            (Some(a), _) => Some((format!("{env_path}.overrides.{name}.autoscaling"), a)),
            (None, Some(e)) => e
                .autoscaling
                .as_ref()
                .map(|a| (format!("{env_path}.autoscaling"), a)),
            (None, None) => None,
        },
        resources: o.map(|o| ResourceLayer {
            source: Source::Spec,
            path: format!("{env_path}.overrides.{name}.resources"),
            spec: &o.resources,
        }),
        env: o.map(|o| o.env.clone()).unwrap_or_default(),
        tls: e.and_then(|e| e.tls).unwrap_or(d::TLS),
        rate_limit_rps: e
            .and_then(|e| e.rate_limit_rps)
            .unwrap_or(d::RATE_LIMIT_RPS),
        ingress_class: e.and_then(|e| e.ingress_class.clone()),
        issuer: e.and_then(|e| e.issuer.clone()),
        ingress_host: o.and_then(|o| o.ingress_host.clone()),
    }
}
