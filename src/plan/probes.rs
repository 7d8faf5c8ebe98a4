//! Liveness, readiness and startup probes: the spec's, or the built-in paths on the first port.

use super::defaults as d;
use super::model::{ProbeValues, ProbesValues};
use crate::spec::{ProbeSpec, ServiceSpec};

fn probe(
    spec: Option<&ProbeSpec>,
    default_path: &str,
    first_port: &str,
    ports: &ServiceSpec,
    timing: [u32; 4],
) -> ProbeValues {
    let port = spec
        .and_then(|p| p.port.as_ref())
        .map(|p| {
            let text = p.value.as_text();
            // A number is turned into the port's name so that every probe names its port alike.
            ports
                .ports
                .iter()
                .find(|pp| pp.value.port.value.to_string() == text)
                .map(|pp| pp.value.name.value.clone())
                .unwrap_or(text)
        })
        .unwrap_or_else(|| first_port.to_string());
    let num =
        |v: Option<&crate::spec::S<i64>>, dflt: u32| v.map(|v| v.value as u32).unwrap_or(dflt);
    ProbeValues {
        enabled: true,
        path: spec
            .map(|p| p.http.value.clone())
            .unwrap_or_else(|| default_path.to_string()),
        port,
        initial_delay_seconds: num(
            spec.and_then(|p| p.initial_delay_seconds.as_ref()),
            timing[0],
        ),
        period_seconds: num(spec.and_then(|p| p.period_seconds.as_ref()), timing[1]),
        timeout_seconds: num(spec.and_then(|p| p.timeout_seconds.as_ref()), timing[2]),
        failure_threshold: num(spec.and_then(|p| p.failure_threshold.as_ref()), timing[3]),
    }
}

/// The three probes of a service; `first_port` is the port they use when the spec names none.
pub(super) fn probes(svc: &ServiceSpec, first_port: &str) -> ProbesValues {
    let health = svc.health.as_ref();
    ProbesValues {
        liveness: probe(
            health.and_then(|h| h.liveness.as_ref()).map(|p| &p.value),
            d::LIVENESS_PATH,
            first_port,
            svc,
            [10, 10, 3, 3],
        ),
        readiness: probe(
            health.and_then(|h| h.readiness.as_ref()).map(|p| &p.value),
            d::READINESS_PATH,
            first_port,
            svc,
            [5, 5, 3, 3],
        ),
        startup: {
            let s = health.and_then(|h| h.startup.as_ref()).map(|p| &p.value);
            let mut p = probe(s, d::LIVENESS_PATH, first_port, svc, [0, 5, 3, 30]);
            p.enabled = s.is_some();
            p
        },
    }
}
