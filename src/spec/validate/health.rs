//! The rules of a service's health checks: one check per probe (http, tcp, grpc or exec) on a
//! port of the service, `none` for liveness only, timings in range, and none on a job.

use std::collections::BTreeSet;

use super::super::types::*;
use super::Collector;
use super::kinds::kind_phrase;
use super::service::ports_hint;
use crate::spec::checked::Kind;
use crate::spec::error::ErrorKind;

pub(super) fn health(
    c: &mut Collector,
    path: &str,
    s: &ServiceSpec,
    kind: Kind,
    port_names: &BTreeSet<String>,
    port_numbers: &BTreeSet<(i64, String)>,
) {
    let Some(h) = &s.health else { return };
    let hp = format!("{path}.health");
    if kind.completes() {
        let first = [&h.liveness, &h.readiness, &h.startup]
            .into_iter()
            .flatten()
            .next();
        if let Some(p) = first {
            c.push(
                ErrorKind::Invalid,
                &hp,
                p,
                format!(
                    "{} runs to completion: it has no health checks",
                    kind_phrase(kind)
                ),
                Some("remove `health:`; the job's exit code says whether it worked".into()),
            );
            return;
        }
    }
    let liveness_off = matches!(
        h.liveness.as_ref().map(|l| &l.value),
        Some(ProbeSetting::Keyword(_))
    );
    for (which, probe) in [
        ("liveness", &h.liveness),
        ("readiness", &h.readiness),
        ("startup", &h.startup),
    ] {
        let Some(probe) = probe else { continue };
        let pp = format!("{hp}.{which}");
        let p = match &probe.value {
            ProbeSetting::Keyword(k) => {
                if which != "liveness" || k != "none" {
                    let hint = if which == "liveness" {
                        "write `liveness: none` for no health check, or a check such as `{ tcp: http }`"
                    } else {
                        "give a check such as `{ tcp: http }`, or leave it out"
                    };
                    c.push(
                        ErrorKind::Invalid,
                        &pp,
                        probe,
                        format!("`{k}` is not a health check"),
                        Some(hint.into()),
                    );
                }
                continue;
            }
            ProbeSetting::Probe(p) => p,
        };
        if liveness_off {
            c.push(
                ErrorKind::Invalid,
                &pp,
                probe,
                format!("`liveness: none` leaves nothing for a {which} probe to build on"),
                Some(format!("remove `{which}:`, or declare a liveness check")),
            );
            continue;
        }
        let given: Vec<&str> = [
            ("http", p.http.is_some()),
            ("tcp", p.tcp.is_some()),
            ("grpc", p.grpc.is_some()),
            ("exec", p.exec.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, on)| on.then_some(k))
        .collect();
        if given.len() != 1 {
            let message = if given.is_empty() {
                "the probe says nothing to check".to_string()
            } else {
                format!("the probe has {} checks; give one", given.join(", "))
            };
            c.push(
                ErrorKind::Invalid,
                &pp,
                probe,
                message,
                Some("one of `http: /path` (with `port:`), `tcp: <port>`, `grpc: <port>` or `exec: [command…]`".into()),
            );
            continue;
        }
        if let Some(http) = &p.http
            && !http.value.starts_with('/')
        {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.http"),
                http,
                format!(
                    "`{}` is not an HTTP path (it must start with `/`)",
                    http.value
                ),
                None,
            );
        }
        if let Some(port) = &p.port
            && p.http.is_none()
        {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.port"),
                port,
                "`port` goes with an `http` check; `tcp` and `grpc` name their port themselves",
                None,
            );
        }
        if let Some(http) = &p.http
            && p.port.is_none()
            && s.ports.is_empty()
        {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.http"),
                http,
                "an HTTP check needs a port, and this service has none",
                Some("declare the port under `ports:`, or use an `exec` check".into()),
            );
        }
        for (field, port) in [("port", &p.port), ("tcp", &p.tcp), ("grpc", &p.grpc)] {
            let Some(port) = port else { continue };
            let text = port.value.as_text();
            let known = port_names.contains(&text)
                || text
                    .parse::<i64>()
                    .is_ok_and(|n| port_numbers.iter().any(|(p, _)| *p == n));
            if !known {
                c.push(
                    ErrorKind::Reference,
                    format!("{pp}.{field}"),
                    port,
                    format!("probe port `{text}` is not one of this service's ports"),
                    ports_hint(s).or_else(|| Some("this service declares no ports".into())),
                );
            }
        }
        if let Some(cmd) = &p.exec
            && cmd.value.is_empty()
        {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.exec"),
                cmd,
                "the probe command is empty",
                None,
            );
        }
        for (field, v) in [
            ("initial_delay_seconds", &p.initial_delay_seconds),
            ("period_seconds", &p.period_seconds),
            ("timeout_seconds", &p.timeout_seconds),
            ("failure_threshold", &p.failure_threshold),
        ] {
            if let Some(v) = v {
                let min = if field == "initial_delay_seconds" {
                    0
                } else {
                    1
                };
                if !(min..=3600).contains(&v.value) {
                    c.push(
                        ErrorKind::Invalid,
                        format!("{pp}.{field}"),
                        v,
                        format!("{} is outside {min}–3600", v.value),
                        None,
                    );
                }
            }
        }
    }
    if let Some(cmd) = &h.compose_command
        && cmd.value.is_empty()
    {
        c.push(
            ErrorKind::Invalid,
            format!("{hp}.compose_command"),
            cmd,
            "the compose healthcheck command is empty",
            None,
        );
    }
    if let Some(sh) = &h.shell
        && sh.value != "bash"
    {
        c.push(
            ErrorKind::Invalid,
            format!("{hp}.shell"),
            sh,
            format!("`{}` is not a shell chartwright can use for a TCP check", sh.value),
            Some("`shell: bash` (bash's /dev/tcp opens the connection); leave it out if the image has no bash".into()),
        );
    }
}
