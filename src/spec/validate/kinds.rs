//! The rules of a service's workload: its kind (service, worker, job, cron job) and what each
//! kind may declare (ports, ingress, volumes, schedule, job settings, dependents) and its
//! command. Health checks are `health`'s, the cron syntax `cron`'s.

use std::collections::BTreeSet;

use super::super::types::*;
use super::Collector;
use crate::spec::checked::Kind;
use crate::spec::error::ErrorKind;

const KINDS: &str = "`service`, `worker`, `job` or `cronjob`";

pub(super) fn workload(
    c: &mut Collector,
    spec: &Spec,
    name: &str,
    svc: &S<ServiceSpec>,
    port_names: &BTreeSet<String>,
    port_numbers: &BTreeSet<(i64, String)>,
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
    super::health::health(c, &path, s, kind, port_names, port_numbers);
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

pub(super) fn kind_phrase(kind: Kind) -> &'static str {
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
            if let Err(m) = super::cron::check_cron(&s.value) {
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
