//! The rules of one service: name, image, ports, probes, resources, env, secrets,
//! dependencies, ingress, user and external secret.

use std::collections::{BTreeMap, BTreeSet};

use super::super::image::ImageRef;
use super::super::names::{
    MAX_NAME, check_dns_label, check_env_key, check_env_name, check_hostname, did_you_mean,
    looks_secret,
};
use super::super::types::*;
use super::{Collector, resources_layer};
use crate::catalog;
use crate::spec::error::ErrorKind;

pub(super) fn service(c: &mut Collector, spec: &Spec, name: &str, svc: &S<ServiceSpec>) {
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
        } else if !port_numbers.insert((
            num,
            p.value
                .protocol
                .as_ref()
                .map_or("TCP".to_string(), |p| p.value.clone()),
        )) {
            // The same number on TCP and UDP (DNS on 53) is two ports; twice on one protocol is not.
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
    super::kinds::workload(c, spec, name, svc, &port_names, &port_numbers);
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
    super::storage::storage(c, &path, s);
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
pub(super) fn ports_hint(s: &ServiceSpec) -> Option<String> {
    (!s.ports.is_empty()).then(|| {
        let ports: Vec<String> = s
            .ports
            .iter()
            .map(|p| format!("{} ({})", p.value.name.value, p.value.port.value))
            .collect();
        format!("this service's ports: {}", ports.join(", "))
    })
}

pub(super) fn env_vars(c: &mut Collector, path: &str, env: &BTreeMap<String, S<Scalar>>) {
    for (k, v) in env {
        let ep = format!("{path}.{k}");
        if let Err(m) = check_env_key(k) {
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
