//! The rules of a service's workload: its kind (service, worker, job, cron job) and what each
//! kind may declare (ports, ingress, schedule, job settings, dependents), its health checks and
//! its command.

use std::collections::BTreeSet;

use super::super::types::*;
use super::Collector;
use super::service::ports_hint;
use crate::spec::checked::Kind;
use crate::spec::error::ErrorKind;

const KINDS: &str = "`service`, `worker`, `job` or `cronjob`";

pub(super) fn workload(
    c: &mut Collector,
    spec: &Spec,
    name: &str,
    svc: &S<ServiceSpec>,
    port_names: &BTreeSet<String>,
    port_numbers: &BTreeSet<i64>,
) {
    let path = format!("services.{name}");
    let s = &svc.value;
    let kind = match &s.kind {
        None => Kind::Service,
        Some(k) => match Kind::parse(&k.value) {
            Some(kind) => kind,
            None => {
                c.push(
                    ErrorKind::Invalid,
                    format!("{path}.kind"),
                    k,
                    format!("`{}` is not a workload kind", k.value),
                    Some(format!("use {KINDS}")),
                );
                return;
            }
        },
    };
    let what = kind_phrase(kind);
    if kind != Kind::Service {
        if let Some(p) = s.ports.first() {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.ports"),
                p,
                format!("{what} has no ports: nothing connects to it"),
                Some(
                    "remove `ports:`, or make it `kind: service` if other services reach it".into(),
                ),
            );
        }
        if let Some(i) = &s.ingress {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.ingress"),
                i,
                format!("{what} cannot be exposed through an Ingress"),
                Some("only a `kind: service` with ports is routed to".into()),
            );
        }
    } else if let Some(i) = &s.ingress
        && s.ports.is_empty()
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.ingress"),
            i,
            "an ingress needs a port to route to, and this service has none",
            Some(
                "add `ports: [{ name: http, port: 8080 }]` (the port the server listens on)".into(),
            ),
        );
    }
    if kind.completes()
        && let Some(v) = s.volumes.first()
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.volumes"),
            v,
            format!("{} runs to completion: persistent volumes belong to a long-running service", kind_phrase(kind)),
            Some("keep the data in a service (or a backing service) the job connects to; `writable_paths:` gives it scratch space".into()),
        );
    }
    schedule(c, &path, svc, kind);
    job_settings(c, &path, s, kind);
    health(c, &path, s, kind, port_names, port_numbers);
    for (field, cmd) in [("command", &s.command), ("entrypoint", &s.entrypoint)] {
        if let Some(cmd) = cmd
            && cmd.value.is_empty()
        {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.{field}"),
                cmd,
                format!("the {field} is an empty list"),
                Some(format!("remove `{field}:` to keep the image's own")),
            );
        }
    }
    // Nothing waits for a cron job: it has no health and never completes once for good.
    for (i, dep) in s.depends_on.iter().enumerate() {
        let target = spec.services.get(&dep.value);
        let target_kind = target
            .and_then(|t| t.value.kind.as_ref())
            .and_then(|k| Kind::parse(&k.value));
        if target_kind == Some(Kind::CronJob) {
            c.push(
                ErrorKind::Reference,
                format!("{path}.depends_on[{i}]"),
                dep,
                format!(
                    "`{}` is a cron job: it runs on its schedule, so nothing can wait for it",
                    dep.value
                ),
                Some("remove it from `depends_on`".into()),
            );
        }
    }
}

fn kind_phrase(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "a service",
        Kind::Worker => "a worker",
        Kind::Job => "a job",
        Kind::CronJob => "a cron job",
    }
}

fn schedule(c: &mut Collector, path: &str, svc: &S<ServiceSpec>, kind: Kind) {
    match (&svc.value.schedule, kind) {
        (None, Kind::CronJob) => c.push_at_key(
            ErrorKind::Invalid,
            format!("{path}.schedule"),
            path,
            svc,
            "a cron job needs a `schedule`",
            Some("e.g. `schedule: \"0 3 * * *\"` (every day at 03:00, cluster time)".into()),
        ),
        (Some(s), Kind::CronJob) => {
            if let Err(m) = check_cron(&s.value) {
                c.push(
                    ErrorKind::Invalid,
                    format!("{path}.schedule"),
                    s,
                    format!("`{}` is not a cron schedule: {m}", s.value),
                    Some("five fields `minute hour day-of-month month day-of-week`, e.g. `*/15 * * * *`, or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`".into()),
                );
            }
        }
        (Some(s), _) => c.push(
            ErrorKind::Invalid,
            format!("{path}.schedule"),
            s,
            format!("{} does not run on a schedule", kind_phrase(kind)),
            Some("set `kind: cronjob` to run it on this schedule".into()),
        ),
        (None, _) => {}
    }
}

/// A schedule as Kubernetes reads it (the standard five fields, or a macro).
pub fn check_cron(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.starts_with('@') {
        const MACROS: [&str; 7] = [
            "@yearly",
            "@annually",
            "@monthly",
            "@weekly",
            "@daily",
            "@midnight",
            "@hourly",
        ];
        return if MACROS.contains(&s) {
            Ok(())
        } else {
            Err(format!("`{s}` is not a known macro"))
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("it has {} fields, not 5", fields.len()));
    }
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day of month", 1, 31, &[], 0),
        ("month", 1, 12, &MONTHS, 1),
        ("day of week", 0, 7, &DAYS, 0),
    ];
    for (field, (label, min, max, names, first)) in fields.iter().zip(specs) {
        let value = |v: &str| -> Result<u32, String> {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
                return Ok(i as u32 + first);
            }
            match v.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(format!("`{v}` is not a {label} ({min}–{max})")),
            }
        };
        for item in field.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((r, st)) => (r, Some(st)),
                None => (item, None),
            };
            if let Some(st) = step
                && !st.parse::<u32>().is_ok_and(|n| n >= 1)
            {
                return Err(format!("`{st}` is not a step in the {label} field"));
            }
            let wildcard = range == "*" || (range == "?" && label.starts_with("day"));
            if wildcard {
                continue;
            }
            match range.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (value(a)?, value(b)?);
                    if a > b {
                        return Err(format!("the {label} range `{range}` runs backwards"));
                    }
                }
                None => {
                    value(range)?;
                }
            }
        }
    }
    Ok(())
}

fn job_settings(c: &mut Collector, path: &str, s: &ServiceSpec, kind: Kind) {
    let Some(job) = &s.job else { return };
    let jp = format!("{path}.job");
    if !kind.completes() {
        c.push(
            ErrorKind::Invalid,
            &jp,
            job,
            format!("{} does not run to completion: `job:` settings are for `kind: job` or `kind: cronjob`", kind_phrase(kind)),
            None,
        );
        return;
    }
    let j = &job.value;
    if kind == Kind::Job {
        if let Some(v) = &j.concurrency_policy {
            c.push(
                ErrorKind::Invalid,
                format!("{jp}.concurrency_policy"),
                v,
                "a job runs once per release; `concurrency_policy` is for cron jobs",
                None,
            );
        }
        if let Some(v) = &j.starting_deadline_seconds {
            c.push(
                ErrorKind::Invalid,
                format!("{jp}.starting_deadline_seconds"),
                v,
                "a job has no schedule to miss; `starting_deadline_seconds` is for cron jobs",
                None,
            );
        }
    }
    if let Some(v) = &j.concurrency_policy
        && !["Allow", "Forbid", "Replace"].contains(&v.value.as_str())
    {
        c.push(
            ErrorKind::Invalid,
            format!("{jp}.concurrency_policy"),
            v,
            format!("`{}` is not Allow, Forbid or Replace", v.value),
            None,
        );
    }
    for (field, v, min, max) in [
        ("backoff_limit", &j.backoff_limit, 0, 100),
        (
            "active_deadline_seconds",
            &j.active_deadline_seconds,
            1,
            7 * 86400,
        ),
        (
            "starting_deadline_seconds",
            &j.starting_deadline_seconds,
            10,
            86400,
        ),
    ] {
        if let Some(v) = v
            && !(min..=max).contains(&v.value)
        {
            c.push(
                ErrorKind::Invalid,
                format!("{jp}.{field}"),
                v,
                format!("{} is outside {min}–{max}", v.value),
                None,
            );
        }
    }
}

fn health(
    c: &mut Collector,
    path: &str,
    s: &ServiceSpec,
    kind: Kind,
    port_names: &BTreeSet<String>,
    port_numbers: &BTreeSet<i64>,
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
                || text.parse::<i64>().is_ok_and(|n| port_numbers.contains(&n));
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

#[cfg(test)]
mod tests {
    use super::check_cron;

    #[test]
    fn cron_schedules_as_kubernetes_reads_them() {
        for ok in [
            "*/15 * * * *",
            "0 3 * * *",
            "0 0 1 JAN,JUL *",
            "30 2 * * MON-FRI",
            "0 0 ? * 0",
            "@hourly",
            " 5 4 * * 7 ",
        ] {
            assert_eq!(check_cron(ok), Ok(()), "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "*/0 * * * *",
            "5-1 * * * *",
            "@sometimes",
            "0 0 * FOO *",
            "? * * * *",
        ] {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
    }
}
