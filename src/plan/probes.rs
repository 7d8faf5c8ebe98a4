//! Liveness, readiness and startup probes: the spec's checks, or a TCP check on the first port
//! when the spec declares none. No HTTP path is ever made up: only the spec gives one.

use super::defaults as d;
use super::model::{ProbeValues, ProbesValues};
use crate::spec::checked::{Check, Kind, Probe, Service};

fn values(check: Option<&Check>, spec: Option<&Probe>, timing: [u32; 4]) -> ProbeValues {
    let [initial_delay, period, timeout, failures] = timing;
    let (kind, path, port, grpc_port, command) = match check {
        Some(Check::Http { path, port }) => ("http", path.clone(), port.clone(), 0, vec![]),
        Some(Check::Tcp { port }) => ("tcp", String::new(), Some(port.clone()), 0, vec![]),
        Some(Check::Grpc { port }) => ("grpc", String::new(), None, *port, vec![]),
        Some(Check::Exec { command }) => ("exec", String::new(), None, 0, command.clone()),
        None => ("tcp", String::new(), None, 0, vec![]),
    };
    ProbeValues {
        enabled: check.is_some(),
        kind: kind.into(),
        path,
        port: port.unwrap_or_default(),
        grpc_port,
        command,
        initial_delay_seconds: spec
            .and_then(|p| p.initial_delay_seconds)
            .unwrap_or(initial_delay),
        period_seconds: spec.and_then(|p| p.period_seconds).unwrap_or(period),
        timeout_seconds: spec.and_then(|p| p.timeout_seconds).unwrap_or(timeout),
        failure_threshold: spec.and_then(|p| p.failure_threshold).unwrap_or(failures),
    }
}

/// An HTTP check without a port uses the first one.
fn on_port(check: &Check, first_port: &str) -> Check {
    match check {
        Check::Http { path, port: None } => Check::Http {
            path: path.clone(),
            port: Some(first_port.to_string()),
        },
        other => other.clone(),
    }
}

/// The liveness check: the declared one; else a TCP connection to the first port of a
/// long-running workload with ports; else none (a worker with nothing declared, `liveness:
/// none`, a job or a cron job).
pub(super) fn liveness_check(svc: &Service) -> Option<Check> {
    if svc.liveness_off || svc.kind.completes() {
        return None;
    }
    let first_port = svc.ports.first().map(|p| p.name.clone());
    match (&svc.liveness, &first_port) {
        (Some(p), first) => Some(on_port(&p.check, first.as_deref().unwrap_or_default())),
        (None, Some(first)) => Some(Check::Tcp {
            port: first.clone(),
        }),
        (None, None) => None,
    }
}

/// The readiness check: the declared one, else the liveness check.
pub(super) fn readiness_check(svc: &Service) -> Option<Check> {
    if svc.liveness_off || svc.kind.completes() {
        return None;
    }
    let first_port = svc
        .ports
        .first()
        .map(|p| p.name.as_str())
        .unwrap_or_default();
    match &svc.readiness {
        Some(p) => Some(on_port(&p.check, first_port)),
        None => liveness_check(svc),
    }
}

/// The three probes of a service.
pub(super) fn probes(svc: &Service) -> ProbesValues {
    let first_port = svc
        .ports
        .first()
        .map(|p| p.name.as_str())
        .unwrap_or_default();
    let startup = (!svc.kind.completes() && !svc.liveness_off)
        .then_some(svc.startup.as_ref())
        .flatten();
    ProbesValues {
        liveness: values(
            liveness_check(svc).as_ref(),
            svc.liveness.as_ref(),
            d::LIVENESS_TIMING,
        ),
        readiness: values(
            readiness_check(svc).as_ref(),
            svc.readiness.as_ref(),
            d::READINESS_TIMING,
        ),
        // Off unless the spec asks for one; the values are still complete for overlays.
        startup: values(
            startup.map(|p| on_port(&p.check, first_port)).as_ref(),
            startup,
            d::STARTUP_TIMING,
        ),
    }
}

/// What `generate` says about the probes it chose without being told.
pub(super) fn notes(name: &str, svc: &Service) -> Vec<String> {
    let mut notes = Vec::new();
    if svc.kind.completes() || svc.liveness_off {
        return notes;
    }
    match (&svc.liveness, svc.ports.first()) {
        (None, Some(first)) => notes.push(format!(
            "services.{name} declares no health check: its probes check that TCP port `{}` ({}) accepts connections; declare `health.liveness` (http, tcp, grpc or exec) for a real check",
            first.name, first.number
        )),
        (None, None) => notes.push(format!(
            "services.{name} is a {} without ports and declares no health check: it gets no probes; declare `health.liveness: {{ exec: [...] }}`, or `liveness: none` to say so",
            if svc.kind == Kind::Worker { "worker" } else { "service" }
        )),
        _ => {}
    }
    notes
}
