//! Requests and limits through every layer, and their Compose spelling.

use super::defaults as d;
use super::model::{ResourceQuantities, ResourcesValues};
use crate::spec::quantity::Quantity;
use crate::spec::{ResourcesSpec, Scalar};

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
