//! The NetworkPolicy of a service: who may reach it, and what it may reach (its dependencies).

use super::defaults as d;
use super::model::{EgressRuleValues, NetworkPolicyValues, NetworkPortValues};
use crate::spec::checked::{Checked, Defaults, Service};

pub(super) fn network_policy(
    spec: &Checked,
    defaults: &Defaults,
    name: &str,
    svc: &Service,
) -> NetworkPolicyValues {
    let mut egress = Vec::new();
    for dep in &svc.depends_on {
        if let Some(other) = spec.services.get(dep) {
            egress.push(EgressRuleValues {
                name: dep.clone(),
                pod_selector_name: dep.clone(),
                ports: other
                    .ports
                    .iter()
                    .map(|p| NetworkPortValues {
                        port: p.number,
                        protocol: super::values::protocol(p),
                    })
                    .collect(),
            });
        } else if let Some(b) = spec.backing.get(dep) {
            egress.push(EgressRuleValues {
                name: dep.clone(),
                pod_selector_name: String::new(),
                ports: vec![NetworkPortValues {
                    port: b.entry.port,
                    protocol: "TCP".into(),
                }],
            });
        }
    }
    let ingress_from: Vec<String> = spec
        .services
        .iter()
        .filter(|(_, s)| s.depends_on.iter().any(|dd| dd == name))
        .map(|(n, _)| n.clone())
        .collect();
    NetworkPolicyValues {
        enabled: true,
        ingress_from,
        ingress_controller_namespace: defaults
            .ingress_controller_namespace
            .clone()
            .unwrap_or_else(|| d::INGRESS_CONTROLLER_NAMESPACE.into()),
        egress,
    }
}
