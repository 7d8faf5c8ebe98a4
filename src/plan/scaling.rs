//! Replicas, the HorizontalPodAutoscaler and the PodDisruptionBudget of a service.

use super::checks::{Origin, Problems, Source};
use super::defaults as d;
use super::layers::EnvLayer;
use super::model::{AutoscalingValues, IntOrPercent, PdbValues};

pub(super) fn autoscaling(layer: &EnvLayer<'_>) -> AutoscalingValues {
    let replicas = layer.replicas;
    match layer.autoscaling.as_ref().map(|(_, a)| &a.value) {
        Some(a) => AutoscalingValues {
            enabled: true,
            min_replicas: a.min.value,
            max_replicas: a.max.value,
            target_cpu_utilization_percentage: a.cpu.unwrap_or(d::HPA_CPU_PERCENT),
            target_memory_utilization_percentage: 0,
            behavior: behavior(),
        },
        None => AutoscalingValues {
            enabled: false,
            min_replicas: replicas,
            max_replicas: replicas.max(3) * 2,
            target_cpu_utilization_percentage: d::HPA_CPU_PERCENT,
            target_memory_utilization_percentage: 0,
            behavior: behavior(),
        },
    }
}

/// Autoscaling max at least min, checked on the autoscaling in force (an override's replaces
/// the environment's whole).
pub(super) fn check(layer: &EnvLayer<'_>, problems: &mut Problems) {
    let Some((path, a)) = &layer.autoscaling else {
        return;
    };
    let a = &a.value;
    if a.max.value < a.min.value {
        problems.push(
            &Origin::of(Source::Spec, format!("{path}.max"), &a.max),
            format!(
                "autoscaling max ({}) is below min ({})",
                a.max.value, a.min.value
            ),
            None,
        );
    }
}

/// One pod at a time may go: a budget that never blocks a node drain, whatever the replica
/// count or the HPA's minimum (the chart re-checks a user's own budget at render time).
pub(super) fn pod_disruption_budget() -> PdbValues {
    PdbValues {
        enabled: true,
        min_available: IntOrPercent::Int(0),
        max_unavailable: IntOrPercent::Int(1),
    }
}

/// Scale-down slowed down (a stabilization window, at most a share of the pods per period) so
/// that a dip in load does not flap the replica count.
fn behavior() -> serde_json::Value {
    serde_json::json!({
        "scaleDown": {
            "stabilizationWindowSeconds": d::SCALE_DOWN_STABILIZATION_SECONDS,
            "policies": [{
                "type": "Percent",
                "value": d::SCALE_DOWN_PERCENT,
                "periodSeconds": d::SCALE_DOWN_PERIOD_SECONDS
            }]
        }
    })
}
