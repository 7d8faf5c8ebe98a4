//! Replicas, the HorizontalPodAutoscaler and the PodDisruptionBudget of a service.

use super::checks::{Origin, Problems, Source};
use super::defaults as d;
use super::layers::EnvLayer;
use super::model::{AutoscalingValues, PdbValues, ScaleDownValues};

pub(super) fn autoscaling(layer: &EnvLayer<'_>) -> AutoscalingValues {
    let replicas = layer.replicas;
    match layer.autoscaling.as_ref().map(|(_, a)| &a.value) {
        Some(a) => AutoscalingValues {
            enabled: true,
            min_replicas: a.min.value,
            max_replicas: a.max.value,
            target_cpu_utilization_percentage: a.cpu.unwrap_or(d::HPA_CPU_PERCENT),
            scale_down: scale_down(),
        },
        None => AutoscalingValues {
            enabled: false,
            min_replicas: replicas,
            max_replicas: replicas.max(3) * 2,
            target_cpu_utilization_percentage: d::HPA_CPU_PERCENT,
            scale_down: scale_down(),
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

/// A PDB must never block a node drain: with a single pod it allows losing that pod, with more
/// it keeps all but one.
pub(super) fn pod_disruption_budget(replicas: u32, autoscaling: &AutoscalingValues) -> PdbValues {
    let min_pods = if autoscaling.enabled {
        autoscaling.min_replicas
    } else {
        replicas
    };
    if min_pods <= 1 {
        PdbValues {
            enabled: true,
            min_available: 0,
            max_unavailable: 1,
        }
    } else {
        PdbValues {
            enabled: true,
            min_available: min_pods - 1,
            max_unavailable: 0,
        }
    }
}

fn scale_down() -> ScaleDownValues {
    ScaleDownValues {
        stabilization_window_seconds: d::SCALE_DOWN_STABILIZATION_SECONDS,
        percent: d::SCALE_DOWN_PERCENT,
        period_seconds: d::SCALE_DOWN_PERIOD_SECONDS,
    }
}
