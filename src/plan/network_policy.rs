//! The NetworkPolicy of a service: who may reach it, and what it may reach (its dependencies).

use super::defaults as d;
use super::layers::Context;
use super::model::{DnsEgressValues, EgressRuleValues, NetworkPolicyValues, NetworkPortValues};
use crate::spec::checked::Service;

pub(super) fn network_policy(ctx: &Context<'_>, name: &str, svc: &Service) -> NetworkPolicyValues {
    let (spec, defaults) = (ctx.spec, &ctx.defaults);
    let mut egress = Vec::new();
    for dep in &svc.depends_on {
        if let Some(other) = spec.services.get(dep) {
            // A dependency without ports (a job that ran first) is never called.
            if other.ports.is_empty() {
                continue;
            }
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
    // Nothing calls a service without ports: its policy admits nothing in.
    let ingress_from = if svc.ports.is_empty() {
        Vec::new()
    } else {
        ctx.dependents.get(name).cloned().unwrap_or_default()
    };
    NetworkPolicyValues {
        enabled: true,
        ingress_from,
        ingress_controller_namespace: defaults
            .ingress_controller_namespace
            .clone()
            .unwrap_or_else(|| d::INGRESS_CONTROLLER_NAMESPACE.into()),
        egress,
        dns: dns_egress(),
        external_egress: super::storage::external_egress(svc),
    }
}

/// Egress to the cluster DNS in kube-system, port 53 over UDP and TCP; a values file points it
/// elsewhere (NodeLocal DNS, OpenShift).
fn dns_egress() -> DnsEgressValues {
    DnsEgressValues {
        to: vec![serde_json::json!({
            "namespaceSelector": {
                "matchLabels": { "kubernetes.io/metadata.name": d::DNS_NAMESPACE }
            }
        })],
        ports: ["UDP", "TCP"]
            .map(|protocol| NetworkPortValues {
                port: 53,
                protocol: protocol.into(),
            })
            .into(),
    }
}
