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
mod checks;
mod compose;
mod connections;
pub mod defaults;
mod healthcheck;
mod ingress;
mod layers;
pub mod model;
mod network_policy;
mod probes;
mod profiles;
mod quota;
mod resources;
mod scaling;
mod security;
pub mod shapes;
mod storage;
mod values;
mod workload;

pub use chart::{HASH_PLACEHOLDER, VERSION_PLACEHOLDER};
pub use compose::escape_dollars;
pub use connections::injected_names;
pub use model::*;
pub use quota::{bytes, millicores, storage_bytes};
pub use values::json_diff;

use crate::spec::{DefaultsFile, SpecError, SpecFile};
use checks::Problems;
use layers::{Context, environments};
use values::service_plan;

/// Plans a spec that passed validation. `org` is the org defaults layer (from `--defaults` or
/// the overlay); the spec's own `defaults:` key is layered over it. Refused when a rule that
/// spans layers breaks once they are merged (see [`checks`]).
pub fn build(file: &SpecFile, org: Option<&DefaultsFile>) -> Result<Plan, SpecError> {
    let default_environments = defaults::ENVIRONMENTS.map(|(name, _)| name);
    crate::spec::check_planned(
        file,
        &crate::spec::Planned {
            default_environments: &default_environments,
            namespace: defaults::namespace,
            injected: &connections::injected_names,
        },
    )?;
    let ctx = Context::new(file, org);
    let (spec, defaults) = (ctx.spec, &ctx.defaults);
    let mut problems = Problems::default();
    let environments = environments(spec, defaults);
    let planned: Vec<_> = spec
        .services
        .iter()
        .map(|(name, svc)| service_plan(&ctx, &environments, name, svc, &mut problems))
        .collect();
    let backing = spec
        .backing
        .iter()
        .map(|(name, b)| BackingPlan {
            name: name.clone(),
            kind: b.entry.kind.to_string(),
            image: b.image.to_string(),
            version: b.version.clone(),
            port: b.entry.port,
        })
        .collect();
    let sources: Vec<_> = environments.iter().map(|(_, src)| *src).collect();
    let mut notes: Vec<String> = spec
        .services
        .iter()
        .flat_map(|(name, svc)| {
            probes::notes(name, svc)
                .into_iter()
                .chain(storage::notes(name, svc, &ctx.defaults))
                .chain(profiles::notes(name, svc, &sources))
        })
        .collect();
    let compose = compose::build(&ctx, &environments, &planned, &mut problems, &mut notes);
    problems.into_result(file, org)?;
    let services: Vec<ServicePlan> = planned.into_iter().map(|(plan, _)| plan).collect();
    let default_resources = ctx.resource_layers();
    let environments = environments
        .iter()
        .enumerate()
        .map(|(i, (plan, _))| EnvironmentPlan {
            guard_rails: quota::guard_rails(i, &services, &default_resources),
            ..plan.clone()
        })
        .collect();
    Ok(Plan {
        contract_version: CONTRACT_VERSION,
        generator_version: env!("CARGO_PKG_VERSION").to_string(),
        app: spec.app.clone(),
        environments,
        services,
        backing,
        compose,
        notes,
    })
}
