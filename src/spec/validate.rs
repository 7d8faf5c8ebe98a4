//! Every rule a parsed spec must satisfy, each failure collected (not only the first) with the
//! place it came from.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::error::{Diagnostic, ErrorKind};
use super::image::ImageRef;
use super::names::{
    MAX_ENV_NAME, MAX_NAME, check_dns_label, check_env_name, check_hostname, did_you_mean,
    looks_secret,
};
use super::quantity::Quantity;
use super::types::*;
use crate::catalog;

pub(super) use super::parse_error::from_parse_error;

/// Reported problems per file: beyond this many, a hostile (or generated) file gets a count, and
/// no more time is spent on hints.
const MAX_DIAGNOSTICS: usize = 100;

#[derive(Default)]
struct Collector {
    out: Vec<Diagnostic>,
    /// Diagnostics about a name, to be moved from the value onto its key: (index, key path).
    at_keys: Vec<(usize, String)>,
    /// Problems found beyond [`MAX_DIAGNOSTICS`].
    dropped: usize,
}

impl Collector {
    /// Whether another diagnostic would be reported (and its hint is worth computing).
    fn room(&self) -> bool {
        self.out.len() < MAX_DIAGNOSTICS
    }

    /// A diagnostic about the key at `key_path` (a service's name, say) rather than its value:
    /// shown on the key's line, which a spanned value does not know.
    fn push_at_key<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        key_path: impl Into<String>,
        at: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.room() {
            self.at_keys.push((self.out.len(), key_path.into()));
        }
        self.push(kind, path, at, message, hint);
    }

    /// Diagnostics located elsewhere (the rules of `spec::rules`), within the same cap.
    fn extend(&mut self, diagnostics: Vec<Diagnostic>) {
        for d in diagnostics {
            if self.room() {
                self.out.push(d);
            } else {
                self.dropped += 1;
            }
        }
    }

    fn push<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        at: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if !self.room() {
            self.dropped += 1;
            return;
        }
        self.out.push(Diagnostic {
            kind,
            path: path.into(),
            line: at.referenced.line() as u32,
            column: at.referenced.column() as u32,
            message: message.into(),
            hint,
        });
    }
}

pub(super) fn validate(spec: &Spec, text: &str) -> Vec<Diagnostic> {
    let mut c = Collector::default();
    if spec.version.value != super::SPEC_VERSION {
        c.push(
            ErrorKind::Invalid,
            "version",
            &spec.version,
            format!(
                "spec format version {} is not supported",
                spec.version.value
            ),
            Some(format!(
                "this chartwright reads `version: {}`",
                super::SPEC_VERSION
            )),
        );
    }
    if let Err(m) = check_dns_label(&spec.app.value, MAX_NAME) {
        c.push(ErrorKind::Invalid, "app", &spec.app, m, None);
    }
    if let Some(v) = &spec.contract
        && v.value != i64::from(crate::plan::CONTRACT_VERSION)
    {
        c.push(
                ErrorKind::Invalid,
                "contract",
                v,
                format!(
                    "the spec was written for template contract {}, this chartwright provides contract {}",
                    v.value,
                    crate::plan::CONTRACT_VERSION
                ),
                Some("check the team templates against `chartwright templates context`, then update `contract`".into()),
            );
    }
    if spec.services.is_empty() {
        c.push_at_key(
            ErrorKind::Invalid,
            "services",
            "services",
            &spec.app,
            "the spec declares no services",
            Some("add at least one entry under `services:`".into()),
        );
    }
    let defaults = spec.defaults.clone().unwrap_or_default();
    for (name, svc) in &spec.services {
        service(&mut c, spec, name, svc);
    }
    for (name, b) in &spec.backing {
        let path = format!("backing.{name}");
        if let Err(m) = check_dns_label(name, MAX_NAME) {
            c.push_at_key(ErrorKind::Invalid, &path, &path, b, m, None);
        }
        if spec.services.contains_key(name) {
            c.push_at_key(
                ErrorKind::Invalid,
                &path,
                &path,
                b,
                format!("`{name}` is both a service and a backing service"),
                None,
            );
        }
        match catalog::lookup(&b.value.kind.value) {
            None => {
                let hint = did_you_mean(&b.value.kind.value, catalog::kinds())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "known kinds: {}",
                            catalog::kinds().collect::<Vec<_>>().join(", ")
                        )
                    });
                c.push(
                    ErrorKind::Invalid,
                    format!("{path}.kind"),
                    &b.value.kind,
                    format!(
                        "`{}` is not a backing-service kind chartwright knows",
                        b.value.kind.value
                    ),
                    Some(hint),
                );
            }
            Some(entry) => {
                let version = b.value.version.value.as_text();
                if entry.image_for(&version).is_none() {
                    c.push(
                        ErrorKind::Invalid,
                        format!("{path}.version"),
                        &b.value.version,
                        format!("{} version `{version}` is not in the catalog", entry.kind),
                        Some(format!("supported versions: {}", entry.version_list())),
                    );
                }
            }
        }
        if let Some(db) = &b.value.database
            && check_env_safe_word(&db.value).is_err()
        {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.database"),
                db,
                format!(
                    "`{}` is not a valid database name (letters, digits, `_` and `-`)",
                    db.value
                ),
                None,
            );
        }
        if let Some(h) = &b.value.host
            && let Err(m) = check_hostname(&h.value)
        {
            c.push(ErrorKind::Invalid, format!("{path}.host"), h, m, None);
        }
    }
    dependency_cycles(&mut c, spec);
    environments(&mut c, spec);
    defaults_layer(&mut c, &defaults, "defaults.");
    c.extend(super::rules::check_spec(spec, text));
    if !c.at_keys.is_empty() {
        let keys = super::locate::key_positions(text);
        for (i, key_path) in &c.at_keys {
            if let (Some(d), Some((line, column))) = (c.out.get_mut(*i), keys.get(key_path)) {
                (d.line, d.column) = (*line, *column);
            }
        }
    }
    c.out.sort_by_key(|d| (d.line, d.column));
    if c.dropped > 0 {
        let last = c.out.last().map(|d| (d.line, d.column)).unwrap_or((0, 0));
        c.out.push(Diagnostic {
            kind: ErrorKind::Limit,
            path: String::new(),
            line: last.0,
            column: last.1,
            message: format!(
                "{} more problems are not shown (only the first {MAX_DIAGNOSTICS} are reported)",
                c.dropped
            ),
            hint: Some("fix these and run again".into()),
        });
    }
    c.out
}

fn check_env_safe_word(s: &str) -> Result<(), ()> {
    if !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err(())
    }
}

fn quantity(c: &mut Collector, path: &str, q: &Option<S<Scalar>>) -> Option<f64> {
    let q = q.as_ref()?;
    match Quantity::parse(&q.value.as_text()) {
        Ok(parsed) => Some(parsed.value),
        Err(e) => {
            c.push(ErrorKind::Invalid, path, q, e.0, None);
            None
        }
    }
}

/// Checks the quantities of one layer and returns (request cpu, request memory, limit cpu,
/// limit memory) as given in that layer.
fn resources_layer(c: &mut Collector, path: &str, r: &ResourcesSpec) -> [Option<f64>; 4] {
    let req = r.requests.clone().unwrap_or_default();
    let lim = r.limits.clone().unwrap_or_default();
    [
        quantity(c, &format!("{path}.requests.cpu"), &req.cpu),
        quantity(c, &format!("{path}.requests.memory"), &req.memory),
        quantity(c, &format!("{path}.limits.cpu"), &lim.cpu),
        quantity(c, &format!("{path}.limits.memory"), &lim.memory),
    ]
}

fn service(c: &mut Collector, spec: &Spec, name: &str, svc: &S<ServiceSpec>) {
    let path = format!("services.{name}");
    let s = &svc.value;
    if let Err(m) = check_dns_label(name, MAX_NAME) {
        c.push_at_key(ErrorKind::Invalid, &path, &path, svc, m, None);
    }
    if let Err(e) = ImageRef::parse(&s.image.value) {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.image"),
            &s.image,
            e.message,
            Some(e.hint),
        );
    }
    if s.ports.is_empty() {
        c.push_at_key(
            ErrorKind::Invalid,
            format!("{path}.ports"),
            &path,
            svc,
            "a service needs at least one port (probes, the Service and the NetworkPolicy use it)",
            Some("add `ports: [{ name: http, port: 8080 }]`".into()),
        );
    }
    let mut port_names = BTreeSet::new();
    let mut port_numbers = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        let pp = format!("{path}.ports[{i}]");
        let n = &p.value.name.value;
        let valid_name = !n.is_empty()
            && n.len() <= 15
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && n.bytes().any(|b| b.is_ascii_lowercase())
            && !n.starts_with('-')
            && !n.ends_with('-');
        if !valid_name {
            c.push(ErrorKind::Invalid, format!("{pp}.name"), &p.value.name, format!("`{n}` is not a valid port name (at most 15 lowercase letters, digits and `-`, with a letter)"), None);
        } else if !port_names.insert(n.clone()) {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.name"),
                &p.value.name,
                format!("port name `{n}` is used twice"),
                None,
            );
        }
        let num = p.value.port.value;
        if !(1..=65535).contains(&num) {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.port"),
                &p.value.port,
                format!("port {num} is outside 1–65535"),
                None,
            );
        } else if !port_numbers.insert(num) {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.port"),
                &p.value.port,
                format!("port {num} is used twice"),
                None,
            );
        }
        if let Some(proto) = &p.value.protocol
            && !["TCP", "UDP", "SCTP"].contains(&proto.value.as_str())
        {
            c.push(
                ErrorKind::Invalid,
                format!("{pp}.protocol"),
                proto,
                format!("`{}` is not TCP, UDP or SCTP", proto.value),
                None,
            );
        }
    }
    if let Some(h) = &s.health {
        for (which, probe) in [
            ("liveness", &h.liveness),
            ("readiness", &h.readiness),
            ("startup", &h.startup),
        ] {
            let Some(probe) = probe else { continue };
            let pp = format!("{path}.health.{which}");
            if !probe.value.http.value.starts_with('/') {
                c.push(
                    ErrorKind::Invalid,
                    format!("{pp}.http"),
                    &probe.value.http,
                    format!(
                        "`{}` is not an HTTP path (it must start with `/`)",
                        probe.value.http.value
                    ),
                    None,
                );
            }
            if let Some(port) = &probe.value.port {
                let text = port.value.as_text();
                let known = port_names.contains(&text)
                    || text.parse::<i64>().is_ok_and(|n| port_numbers.contains(&n));
                if !known {
                    c.push(
                        ErrorKind::Reference,
                        format!("{pp}.port"),
                        port,
                        format!("probe port `{text}` is not one of this service's ports"),
                        ports_hint(s),
                    );
                }
            }
            for (field, v) in [
                ("initial_delay_seconds", &probe.value.initial_delay_seconds),
                ("period_seconds", &probe.value.period_seconds),
                ("timeout_seconds", &probe.value.timeout_seconds),
                ("failure_threshold", &probe.value.failure_threshold),
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
                format!("{path}.health.compose_command"),
                cmd,
                "the compose healthcheck command is empty",
                None,
            );
        }
    }
    if let Some(r) = &s.resources {
        resources_layer(c, &format!("{path}.resources"), r);
    }
    env_vars(c, &format!("{path}.env"), &s.env);
    let mut secret_names = BTreeSet::new();
    for (i, entry) in s.secrets.iter().enumerate() {
        let sp = format!("{path}.secrets[{i}]");
        match &entry.value {
            SecretEntry::Name(n) => {
                if let Err(m) = check_env_name(n) {
                    c.push(ErrorKind::Invalid, &sp, entry, m, None);
                } else if !secret_names.insert(n.clone()) {
                    c.push(
                        ErrorKind::Invalid,
                        &sp,
                        entry,
                        format!("secret `{n}` is listed twice"),
                        None,
                    );
                } else if s.env.contains_key(n) {
                    c.push(
                        ErrorKind::Invalid,
                        &sp,
                        entry,
                        format!("`{n}` is both a secret and a plain env variable"),
                        None,
                    );
                }
            }
            SecretEntry::WithValue(m) => {
                let names: Vec<&str> = m.keys().map(String::as_str).collect();
                c.push(
                    ErrorKind::Secret,
                    &sp,
                    entry,
                    format!("secret `{}` is given a value; secret values never belong in the spec", names.join("`, `")),
                    Some(format!("list the name only (`- {}`) and store the value in your secret manager or a Kubernetes Secret", names.first().copied().unwrap_or("NAME"))),
                );
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, dep) in s.depends_on.iter().enumerate() {
        let dp = format!("{path}.depends_on[{i}]");
        let d = &dep.value;
        if d == name {
            c.push(
                ErrorKind::Cycle,
                &dp,
                dep,
                format!("`{name}` depends on itself"),
                None,
            );
        } else if !spec.services.contains_key(d) && !spec.backing.contains_key(d) {
            let candidates = spec
                .services
                .keys()
                .chain(spec.backing.keys())
                .map(String::as_str);
            let hint = c.room().then(|| did_you_mean(d, candidates)).flatten().map(|s| format!("did you mean `{s}`?")).or_else(|| {
                catalog::lookup(d).map(|_| format!("declare it under `backing:`, e.g. `{d}: {{ kind: {d}, version: \"…\" }}`"))
            });
            c.push(
                ErrorKind::Reference,
                &dp,
                dep,
                format!("`{d}` is neither a service nor a backing service of this spec"),
                hint,
            );
        } else if !seen.insert(d.clone()) {
            c.push(
                ErrorKind::Invalid,
                &dp,
                dep,
                format!("`{d}` is listed twice"),
                None,
            );
        }
    }
    if let Some(ing) = &s.ingress {
        if let Err(m) = check_hostname(&ing.value.host.value) {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.ingress.host"),
                &ing.value.host,
                m,
                None,
            );
        }
        if let Some(p) = &ing.value.path
            && !p.value.starts_with('/')
        {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.ingress.path"),
                p,
                format!("`{}` must start with `/`", p.value),
                None,
            );
        }
        if let Some(p) = &ing.value.port
            && !port_names.contains(&p.value)
        {
            c.push(
                ErrorKind::Reference,
                format!("{path}.ingress.port"),
                p,
                format!("`{}` is not one of this service's port names", p.value),
                ports_hint(s),
            );
        }
    }
    if let Some(u) = &s.run_as_user
        && !(1..=i64::from(u32::MAX)).contains(&u.value)
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.run_as_user"),
            u,
            "the container must run as a non-root UID (1 or more)",
            None,
        );
    }
    if let Some(es) = &s.external_secret {
        if check_dns_label(&es.store.value, 253).is_err() {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.external_secret.store"),
                &es.store,
                format!("`{}` is not a valid SecretStore name", es.store.value),
                None,
            );
        }
        if let Some(k) = &es.store_kind
            && !["SecretStore", "ClusterSecretStore"].contains(&k.value.as_str())
        {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.external_secret.store_kind"),
                k,
                format!("`{}` is not SecretStore or ClusterSecretStore", k.value),
                None,
            );
        }
    }
}

/// "this service's ports: http (3000), metrics (9090)", for a reference to a port that is not one.
fn ports_hint(s: &ServiceSpec) -> Option<String> {
    (!s.ports.is_empty()).then(|| {
        let ports: Vec<String> = s
            .ports
            .iter()
            .map(|p| format!("{} ({})", p.value.name.value, p.value.port.value))
            .collect();
        format!("this service's ports: {}", ports.join(", "))
    })
}

fn env_vars(c: &mut Collector, path: &str, env: &BTreeMap<String, S<Scalar>>) {
    for (k, v) in env {
        let ep = format!("{path}.{k}");
        if let Err(m) = check_env_name(k) {
            c.push(ErrorKind::Invalid, &ep, v, m, None);
        } else if looks_secret(k) && !v.value.as_text().is_empty() {
            c.push(
                ErrorKind::Secret,
                &ep,
                v,
                format!("`{k}` looks like a secret but has a plaintext value in the spec"),
                Some(format!("move `{k}` to the service's `secrets:` list (names only) and keep the value in your secret store")),
            );
        }
    }
}

fn dependency_cycles(c: &mut Collector, spec: &Spec) {
    // Depth-first search over own services (backing services have no dependencies), with an
    // explicit stack: a hostile chain of tens of thousands of services must not overflow the
    // call stack. Each back edge closes a cycle; a few are reported, not every one a dense
    // graph has.
    const MAX_CYCLES: usize = 10;
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut found: Vec<Vec<&str>> = Vec::new();
    for root in spec.services.keys() {
        if done.contains(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        let mut on_stack: BTreeMap<&str, usize> = BTreeMap::from([(root.as_str(), 0)]);
        while let Some((name, next)) = stack.last_mut() {
            let name: &str = name;
            let deps = &spec.services[name].value.depends_on;
            let Some(d) = deps.get(*next) else {
                done.insert(name);
                on_stack.remove(name);
                stack.pop();
                continue;
            };
            *next += 1;
            let d = d.value.as_str();
            let Some((d, _)) = spec.services.get_key_value(d) else {
                continue;
            };
            let d = d.as_str();
            if d == name || done.contains(d) {
                continue;
            }
            if let Some(&pos) = on_stack.get(d) {
                if found.len() < MAX_CYCLES {
                    found.push(stack[pos..].iter().map(|(s, _)| *s).collect());
                }
                continue;
            }
            on_stack.insert(d, stack.len());
            stack.push((d, 0));
        }
    }
    for cycle in found {
        let first = cycle[0];
        let svc = &spec.services[first];
        let at = svc
            .value
            .depends_on
            .iter()
            .find(|d| Some(&d.value.as_str()) == cycle.get(1))
            .unwrap_or(&svc.value.image);
        // A long cycle is shown by its ends, so that the message stays readable.
        let mut shown: Vec<&str> = if cycle.len() > 8 {
            let mut s = cycle[..4].to_vec();
            s.push("…");
            s.extend_from_slice(&cycle[cycle.len() - 3..]);
            s
        } else {
            cycle.clone()
        };
        shown.push(first);
        let size = if cycle.len() > 8 {
            format!(" ({} services)", cycle.len())
        } else {
            String::new()
        };
        c.push(
            ErrorKind::Cycle,
            format!("services.{first}.depends_on"),
            at,
            format!("dependency cycle{size}: {}", shown.join(" → ")),
            Some("Compose cannot start a cycle and Kubernetes readiness would deadlock; remove one edge".into()),
        );
    }
}

fn autoscaling(c: &mut Collector, path: &str, a: &S<AutoscalingSpec>) {
    let a2 = &a.value;
    if a2.min.value < 1 {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.min"),
            &a2.min,
            "autoscaling min must be at least 1",
            None,
        );
    }
    if a2.max.value > 1000 {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.max"),
            &a2.max,
            "autoscaling max above 1000 is refused as a likely typo",
            None,
        );
    }
    if let Some(cpu) = &a2.cpu
        && !(1..=100).contains(&cpu.value)
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.cpu"),
            cpu,
            format!("target CPU {}% is outside 1–100", cpu.value),
            None,
        );
    }
}

fn replicas(c: &mut Collector, path: &str, r: &Option<S<i64>>) {
    if let Some(r) = r
        && !(1..=1000).contains(&r.value)
    {
        c.push(
            ErrorKind::Invalid,
            path,
            r,
            format!("replicas {} is outside 1–1000", r.value),
            None,
        );
    }
}

fn environments(c: &mut Collector, spec: &Spec) {
    let Some(envs) = &spec.environments else {
        return;
    };
    if envs.value.0.is_empty() {
        c.push(
            ErrorKind::Invalid,
            "environments",
            envs,
            "`environments` is empty",
            Some("remove it to get dev, staging and prod, or list at least one".into()),
        );
    }
    let mut seen = BTreeSet::new();
    for (name, env) in &envs.value.0 {
        let path = format!("environments.{name}");
        if let Err(m) = check_dns_label(name, MAX_ENV_NAME) {
            c.push_at_key(ErrorKind::Invalid, &path, &path, env, m, None);
        }
        if !seen.insert(name) {
            c.push(
                ErrorKind::DuplicateKey,
                &path,
                env,
                format!("environment `{name}` is declared twice"),
                None,
            );
        }
        let e = &env.value;
        if let Some(ns) = &e.namespace
            && let Err(m) = check_dns_label(&ns.value, 63)
        {
            c.push(ErrorKind::Invalid, format!("{path}.namespace"), ns, m, None);
        }
        replicas(c, &format!("{path}.replicas"), &e.replicas);
        if let Some(a) = &e.autoscaling {
            autoscaling(c, &format!("{path}.autoscaling"), a);
        }
        if let Some(ing) = &e.ingress
            && let Some(r) = &ing.rate_limit_rps
            && !(0..=100_000).contains(&r.value)
        {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.ingress.rate_limit_rps"),
                r,
                format!("{} requests per second is outside 0–100000", r.value),
                None,
            );
        }
        for (svc_name, o) in &e.overrides {
            let op = format!("{path}.overrides.{svc_name}");
            let Some(svc) = spec.services.get(svc_name) else {
                let hint = c
                    .room()
                    .then(|| did_you_mean(svc_name, spec.services.keys().map(String::as_str)))
                    .flatten()
                    .map(|s| format!("did you mean `{s}`?"));
                c.push_at_key(
                    ErrorKind::Reference,
                    &op,
                    &op,
                    o,
                    format!("`{svc_name}` is not a service of this spec"),
                    hint,
                );
                continue;
            };
            replicas(c, &format!("{op}.replicas"), &o.value.replicas);
            if let Some(a) = &o.value.autoscaling {
                autoscaling(c, &format!("{op}.autoscaling"), a);
            }
            env_vars(c, &format!("{op}.env"), &o.value.env);
            if let Some(h) = &o.value.ingress_host {
                if let Err(m) = check_hostname(&h.value) {
                    c.push(ErrorKind::Invalid, format!("{op}.ingress_host"), h, m, None);
                }
                if svc.value.ingress.is_none() {
                    c.push(
                        ErrorKind::Invalid,
                        format!("{op}.ingress_host"),
                        h,
                        format!("`{svc_name}` has no ingress to give a host to"),
                        None,
                    );
                }
            }
            if let Some(r) = &o.value.resources {
                resources_layer(c, &format!("{op}.resources"), r);
            }
        }
    }
}

pub(super) fn validate_defaults(d: &DefaultsSpec) -> Vec<Diagnostic> {
    let mut c = Collector::default();
    defaults_layer(&mut c, d, "");
    c.out
}

/// `prefix` is where the block sits: `defaults.` in a spec, nothing in an org defaults file.
fn defaults_layer(c: &mut Collector, d: &DefaultsSpec, prefix: &str) {
    if let Some(r) = &d.resources {
        resources_layer(c, &format!("{prefix}resources"), r);
    }
    if let Some(reg) = &d.registry {
        let host = reg.value.split('/').next().unwrap_or_default();
        if reg.value.is_empty() || reg.value.ends_with('/') || host.to_ascii_lowercase() != host {
            c.push(
                ErrorKind::Invalid,
                format!("{prefix}registry"),
                reg,
                format!(
                    "`{}` is not a registry prefix like `registry.example.com/team`",
                    reg.value
                ),
                None,
            );
        }
    }
}
