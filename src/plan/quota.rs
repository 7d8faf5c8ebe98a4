//! Namespace guard rails, from the allocation table: per environment, the sum of every
//! service's requests and limits at its most pods (the HPA maximum, else the replica count),
//! a ResourceQuota of that sum plus the headroom of a rolling update (each service's surge pods)
//! and one `helm test` pod, and a LimitRange whose
//! defaults are the org's (or the built-in) requests and limits.

use super::defaults as d;
use super::model::{GuardRails, ResourceQuantities, ResourceTotals, ResourcesValues, ServicePlan};
use super::resources::ResourceLayer;
use crate::spec::quantity::Quantity;

const MI: f64 = 1_048_576.0;

/// The guard rails of environment number `env` (in plan order).
pub(super) fn guard_rails(
    env: usize,
    services: &[ServicePlan],
    defaults: &[ResourceLayer<'_>],
) -> GuardRails {
    // requests.cpu, requests.memory, limits.cpu, limits.memory: at the most pods, and with
    // the headroom (each service's surge pods, then one helm test pod).
    let (mut sum, mut room) = ([0.0f64; 4], [0.0f64; 4]);
    let (mut pods, mut room_pods) = (0u32, 0u32);
    let add = |acc: &mut [f64; 4], r: &ResourcesValues, n: u32| {
        for (slot, text) in [
            &r.requests.cpu,
            &r.requests.memory,
            &r.limits.cpu,
            &r.limits.memory,
        ]
        .into_iter()
        .enumerate()
        {
            acc[slot] += Quantity::parse(text).map(|q| q.value).unwrap_or(0.0) * f64::from(n);
        }
    };
    for s in services {
        let Some(e) = s.environments.get(env) else {
            continue;
        };
        let v = &e.values;
        let most = if v.autoscaling.enabled {
            v.autoscaling.max_replicas
        } else {
            v.replica_count
        };
        // A rolling update's maxSurge (25 %) rounds up: at least one extra pod.
        let surge = (most * d::QUOTA_SURGE_PERCENT).div_ceil(100).max(1);
        pods += most;
        room_pods += most + surge;
        add(&mut sum, &v.resources, most);
        add(&mut room, &v.resources, most + surge);
    }
    if let Some(test) = services.first().map(|s| &s.base.tests.resources) {
        add(&mut room, test, 1);
        room_pods += 1;
    }
    let totals = |s: [f64; 4], pods: u32| ResourceTotals {
        requests: ResourceQuantities {
            cpu: cpu(s[0]),
            memory: memory(s[1]),
        },
        limits: ResourceQuantities {
            cpu: cpu(s[2]),
            memory: memory(s[3]),
        },
        pods,
    };
    let limit_defaults = super::resources::resolve(defaults).values();
    GuardRails {
        totals: totals(sum, pods),
        quota: totals(room, room_pods),
        surge_percent: d::QUOTA_SURGE_PERCENT,
        default_requests: limit_defaults.requests,
        default_limits: limit_defaults.limits,
    }
}

/// Cores as millicores, rounded up.
fn cpu(cores: f64) -> String {
    format!("{}m", (cores * 1000.0 - 1e-6).ceil().max(0.0) as u64)
}

/// Bytes as mebibytes, rounded up.
fn memory(bytes: f64) -> String {
    format!("{}Mi", (bytes / MI - 1e-9).ceil().max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_round_up_to_millicores_and_mebibytes() {
        assert_eq!(cpu(0.25 * 3.0), "750m");
        assert_eq!(cpu(0.0001), "1m");
        assert_eq!(memory(256.0 * MI * 3.0), "768Mi");
        assert_eq!(memory(1.0), "1Mi");
        assert_eq!(memory(1.25 * 1024.0 * MI), "1280Mi");
    }
}
