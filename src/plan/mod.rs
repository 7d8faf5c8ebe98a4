//! Plan: every default decided, one fully-resolved model per service and environment.
//!
//! Nothing downstream chooses a value: the templates only format what is here, which is what
//! keeps the Helm chart, the plain manifests and the Compose file in agreement.
//!
//! One room per concern: [`layers`] merges built-in < org defaults < spec < environment <
//! override; `values` assembles a service's chart values from `probes`, `connections`,
//! `ingress`, `network_policy`, `scaling`, `security` and `resources`; `compose` turns the
//! same decisions into the local-development project.

mod chart;
mod compose;
mod connections;
pub mod defaults;
mod ingress;
mod layers;
pub mod model;
mod network_policy;
mod probes;
mod resources;
mod scaling;
mod security;
mod values;

pub use compose::escape_dollars;
pub use connections::injected_names;
pub use model::*;
pub use values::json_diff;

use crate::catalog;
use crate::spec::{DefaultsSpec, Spec};
use layers::{environments, merge_defaults};
use values::service_plan;

pub fn build(spec: &Spec, org: Option<&DefaultsSpec>) -> Plan {
    let defaults = merge_defaults(org, spec.defaults.as_ref());
    let app = spec.app.value.clone();
    let environments = environments(spec, &defaults);
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
    let compose = compose::build(spec, &defaults, &environments);
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
