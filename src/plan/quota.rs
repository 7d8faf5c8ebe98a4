//! Namespace guard rails, from the allocation table: per environment, the sum of every
//! service's requests and limits at its most pods (the HPA maximum, else the replica count) and
//! of its claims' storage; a ResourceQuota of that sum plus the headroom of a rolling update
//! (each service's surge pods) and one `helm test` pod; and a LimitRange whose defaults are the
//! org's (or the built-in) requests and limits. The table `generate` prints reads these sums.

use super::defaults as d;
use super::model::{ChartValues, GuardRails, ResourceQuantities, ResourceTotals, ServicePlan};
use super::resources::ResourceLayer;
use crate::spec::quantity::Quantity;

/// The most replicas a service may run in an environment.
fn most_replicas(v: &ChartValues) -> u128 {
    // A job's or cron job's run is one pod.
    if v.job.is_some() {
        return 1;
    }
    u128::from(if v.autoscaling.enabled {
        v.autoscaling.max_replicas
    } else {
        v.replica_count
    })
}

/// Exact base units (millicores for CPU with `scale` 1000, bytes with 1) of a quantity.
fn units(text: &str, scale: u128) -> u128 {
    Quantity::parse(text)
        .map(|q| {
            if scale == 1 {
                q.bytes_ceil()
            } else {
                (q.value * scale as f64).ceil() as u128
            }
        })
        .unwrap_or_default()
}

/// Bytes requested by a service's claims: every replica of a StatefulSet has its own, a
/// Deployment's replicas share one per volume.
pub fn storage_bytes(v: &ChartValues) -> u128 {
    let per_replica: u128 = v
        .storage
        .volumes
        .iter()
        .map(|vol| units(&vol.size, 1))
        .sum();
    if v.storage.stateful_set {
        per_replica * most_replicas(v)
    } else {
        per_replica
    }
}

pub fn millicores(m: u128) -> String {
    if m.is_multiple_of(1000) {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

pub fn bytes(b: u128) -> String {
    for (unit, size) in [
        ("Ti", 1u128 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if b > 0 && b.is_multiple_of(size) {
            return format!("{}{unit}", b / size);
        }
    }
    b.to_string()
}

/// requests.cpu, limits.cpu (millicores), requests.memory, limits.memory, storage (bytes), pods.
#[derive(Default)]
struct Sum([u128; 6]);

impl Sum {
    fn add(&mut self, r: &super::model::ResourcesValues, pods: u128) {
        self.0[0] += units(&r.requests.cpu, 1000) * pods;
        self.0[1] += units(&r.limits.cpu, 1000) * pods;
        self.0[2] += units(&r.requests.memory, 1) * pods;
        self.0[3] += units(&r.limits.memory, 1) * pods;
        self.0[5] += pods;
    }

    fn totals(&self) -> ResourceTotals {
        let s = &self.0;
        ResourceTotals {
            requests: ResourceQuantities {
                cpu: millicores(s[0]),
                memory: bytes(s[2]),
            },
            limits: ResourceQuantities {
                cpu: millicores(s[1]),
                memory: bytes(s[3]),
            },
            storage: bytes(s[4]),
            pods: u32::try_from(s[5]).unwrap_or(u32::MAX),
        }
    }
}

/// The guard rails of environment number `env` (in plan order).
pub(super) fn guard_rails(
    env: usize,
    services: &[ServicePlan],
    defaults: &[ResourceLayer<'_>],
) -> GuardRails {
    let (mut sum, mut room) = (Sum::default(), Sum::default());
    for s in services {
        // An optional service the environment does not enable is not deployed there.
        let Some(e) = s.environments.get(env).filter(|e| e.deployed) else {
            continue;
        };
        let v = &e.values;
        let most = most_replicas(v);
        // A rolling update's maxSurge (25 %) rounds up: at least one extra pod.
        let surge = (most * u128::from(d::QUOTA_SURGE_PERCENT))
            .div_ceil(100)
            .max(1);
        sum.add(&v.resources, most);
        room.add(&v.resources, most + surge);
        let storage = storage_bytes(v);
        sum.0[4] += storage;
        room.0[4] += storage;
    }
    if let Some(s) = services.first() {
        room.add(&s.base.tests.resources, 1);
    }
    let limit_defaults = super::resources::resolve(defaults).values();
    GuardRails {
        totals: sum.totals(),
        quota: room.totals(),
        surge_percent: d::QUOTA_SURGE_PERCENT,
        default_requests: limit_defaults.requests,
        default_limits: limit_defaults.limits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_print_in_their_largest_exact_unit() {
        assert_eq!(millicores(750), "750m");
        assert_eq!(millicores(2000), "2");
        assert_eq!(bytes(768 << 20), "768Mi");
        assert_eq!(bytes(3 << 30), "3Gi");
        assert_eq!(bytes(0), "0");
    }

    #[test]
    fn the_quota_leaves_room_for_a_rolling_update_and_the_test_pod() {
        let spec = "version: 1\napp: a\nservices:\n  api:\n    image: r.example.com/api:1.0.0\n    ports: [{name: http, port: 80}]\n    resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}\nenvironments:\n  dev: {replicas: 1}\n  prod: {autoscaling: {min: 2, max: 8}}\n";
        let file = crate::spec::parse("t.yaml", spec).unwrap();
        let plan = crate::plan::build(&file, None).unwrap();
        let rails = |n: usize| &plan.environments[n].guard_rails;
        // dev: one pod, one surge pod, the test pod (10m/16Mi requested, 100m/64Mi limit).
        assert_eq!(rails(0).totals.pods, 1);
        assert_eq!(rails(0).quota.pods, 3);
        assert_eq!(rails(0).quota.requests.cpu, "510m");
        assert_eq!(rails(0).quota.limits.memory, "1088Mi");
        // prod: at the HPA maximum, 8 pods and 2 surge pods.
        assert_eq!(rails(1).totals.requests.cpu, "2");
        assert_eq!(rails(1).quota.pods, 11);
        assert_eq!(rails(1).default_limits.memory, "512Mi");
    }
}
