//! Liveness, readiness and startup probes: the spec's, or the built-in paths on the first port.

use super::defaults as d;
use super::model::{ProbeValues, ProbesValues};
use crate::spec::checked::{Probe, Service};

fn probe(
    spec: Option<&Probe>,
    default_path: &str,
    first_port: &str,
    timing: [u32; 4],
) -> ProbeValues {
    let [initial_delay, period, timeout, failures] = timing;
    ProbeValues {
        enabled: true,
        path: spec
            .map(|p| p.path.clone())
            .unwrap_or_else(|| default_path.to_string()),
        port: spec
            .and_then(|p| p.port.clone())
            .unwrap_or_else(|| first_port.to_string()),
        initial_delay_seconds: spec
            .and_then(|p| p.initial_delay_seconds)
            .unwrap_or(initial_delay),
        period_seconds: spec.and_then(|p| p.period_seconds).unwrap_or(period),
        timeout_seconds: spec.and_then(|p| p.timeout_seconds).unwrap_or(timeout),
        failure_threshold: spec.and_then(|p| p.failure_threshold).unwrap_or(failures),
    }
}

/// The three probes of a service; `first_port` is the port they use when the spec names none.
pub(super) fn probes(svc: &Service, first_port: &str) -> ProbesValues {
    ProbesValues {
        liveness: probe(
            svc.liveness.as_ref(),
            d::LIVENESS_PATH,
            first_port,
            d::LIVENESS_TIMING,
        ),
        readiness: probe(
            svc.readiness.as_ref(),
            d::READINESS_PATH,
            first_port,
            d::READINESS_TIMING,
        ),
        startup: ProbeValues {
            // Off unless the spec asks for one; the values are still complete for overlays.
            enabled: svc.startup.is_some(),
            ..probe(
                svc.startup.as_ref(),
                d::LIVENESS_PATH,
                first_port,
                d::STARTUP_TIMING,
            )
        },
    }
}
