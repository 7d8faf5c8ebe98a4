//! UDP (and SCTP) ports carry no HTTP: a probe or an Ingress on one can never succeed. The
//! probes default to the first port, so a service whose first port is UDP must say which TCP
//! port its probes use; chartwright does not pick one for it.

use super::Out;
use crate::spec::error::ErrorKind;
use crate::spec::types::{PortSpec, ProbeSetting, S, Scalar, ServiceSpec, Spec};

/// The port's protocol; an invalid one (reported elsewhere) counts as TCP here.
fn protocol(p: &PortSpec) -> &str {
    match p.protocol.as_ref().map(|p| p.value.as_str()) {
        Some(other @ ("UDP" | "SCTP")) => other,
        _ => "TCP",
    }
}

/// The port a probe or ingress reference names (by name or number).
fn find<'a>(svc: &'a ServiceSpec, reference: &str) -> Option<(usize, &'a S<PortSpec>)> {
    svc.ports.iter().enumerate().find(|(_, p)| {
        p.value.name.value == reference || p.value.port.value.to_string() == reference
    })
}

const HINT: &str = "HTTP probes and Ingress routes need a TCP port: give the probe (or ingress) `port:` a TCP port of this service, e.g. `health: { liveness: { http: /healthz, port: admin }, readiness: { http: /ready, port: admin } }`";

pub(super) fn check(out: &mut Out, spec: &Spec) {
    for (name, svc) in &spec.services {
        let s = &svc.value;
        let path = format!("services.{name}");
        let Some(first) = s.ports.first() else {
            continue;
        };
        let first_is_tcp = protocol(&first.value) == "TCP";
        let health = s.health.as_ref();
        let mut defaulted = Vec::new();
        // An undeclared readiness probe repeats the liveness check, declared or not.
        let liveness_declared = health.is_some_and(|h| h.liveness.is_some());
        for (which, probe, always) in [
            ("liveness", health.and_then(|h| h.liveness.as_ref()), true),
            ("readiness", health.and_then(|h| h.readiness.as_ref()), true),
            ("startup", health.and_then(|h| h.startup.as_ref()), false),
        ] {
            let probe = match probe.map(|p| &p.value) {
                Some(ProbeSetting::Keyword(_)) => break,
                Some(ProbeSetting::Probe(p)) => Some(p),
                None => None,
            };
            if probe.is_some_and(|p| p.exec.is_some()) {
                continue;
            }
            let field = probe.map_or("port", |p| {
                if p.tcp.is_some() {
                    "tcp"
                } else if p.grpc.is_some() {
                    "grpc"
                } else {
                    "port"
                }
            });
            match probe.and_then(|p| p.port.as_ref().or(p.tcp.as_ref()).or(p.grpc.as_ref())) {
                Some(port) => {
                    let reference: &S<Scalar> = port;
                    if let Some((_, p)) = find(s, &reference.value.as_text())
                        && protocol(&p.value) != "TCP"
                    {
                        out.at(
                            ErrorKind::Invalid,
                            format!("{path}.health.{which}.{field}"),
                            port,
                            format!(
                                "the {which} probe's port `{}` is {}, and {} probe needs TCP",
                                p.value.name.value,
                                protocol(&p.value),
                                match field {
                                    "tcp" => "a TCP",
                                    "grpc" => "a gRPC",
                                    _ => "an HTTP",
                                }
                            ),
                            HINT,
                        );
                    }
                }
                None if which == "readiness" && probe.is_none() && liveness_declared => {}
                None if !first_is_tcp && (always || probe.is_some()) => defaulted.push(which),
                None => {}
            }
        }
        if !defaulted.is_empty() {
            let at = first
                .value
                .protocol
                .as_ref()
                .expect("non-TCP is written out");
            out.at(
                ErrorKind::Invalid,
                format!("{path}.ports[0].protocol"),
                at,
                format!(
                    "the {} probe{} would use the first port `{}`, which is {}; chartwright does not pick another port for {}",
                    defaulted.join(" and "),
                    if defaulted.len() > 1 { "s" } else { "" },
                    first.value.name.value,
                    protocol(&first.value),
                    if defaulted.len() > 1 { "them" } else { "it" },
                ),
                HINT,
            );
        }
        if let Some(ing) = &s.ingress {
            let target = match &ing.value.port {
                Some(p) => find(s, &p.value).map(|(_, port)| (port, Some(p))),
                None => Some((first, None)),
            };
            if let Some((port, explicit)) = target
                && protocol(&port.value) != "TCP"
            {
                let message = format!(
                    "the ingress routes HTTP to port `{}`, which is {}",
                    port.value.name.value,
                    protocol(&port.value)
                );
                match explicit {
                    Some(p) => out.at(
                        ErrorKind::Invalid,
                        format!("{path}.ingress.port"),
                        p,
                        message,
                        HINT,
                    ),
                    None => out.at(
                        ErrorKind::Invalid,
                        format!("{path}.ingress"),
                        ing,
                        message,
                        HINT,
                    ),
                }
            }
        }
    }
}
