//! The NetworkPolicy of a service: who may reach it, and what it may reach (its dependencies).

use super::defaults as d;
use super::model::{EgressRuleValues, NetworkPolicyValues, NetworkPortValues};
use crate::catalog;
use crate::spec::{DefaultsSpec, ServiceSpec, Spec};

pub(super) fn network_policy(
    spec: &Spec,
    defaults: &DefaultsSpec,
    name: &str,
    svc: &ServiceSpec,
) -> NetworkPolicyValues {
    let mut egress = Vec::new();
    for dep in &svc.depends_on {
        let dep = &dep.value;
        if let Some(other) = spec.services.get(dep) {
            egress.push(EgressRuleValues {
                name: dep.clone(),
                pod_selector_name: dep.clone(),
                ports: other
                    .value
                    .ports
                    .iter()
                    .map(|p| NetworkPortValues {
                        port: p.value.port.value as u16,
                        protocol: super::values::protocol(&p.value.protocol),
                    })
                    .collect(),
            });
        } else if let Some(b) = spec.backing.get(dep) {
            let entry = catalog::lookup(&b.value.kind.value).expect("validated kind");
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
    let ingress_from: Vec<String> = spec
        .services
        .iter()
        .filter(|(_, s)| s.value.depends_on.iter().any(|dd| dd.value == name))
        .map(|(n, _)| n.clone())
        .collect();
    NetworkPolicyValues {
        enabled: true,
        ingress_from,
        ingress_controller_namespace: defaults
            .ingress_controller_namespace
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| d::INGRESS_CONTROLLER_NAMESPACE.into()),
        egress,
    }
}
