//! The rules of the environments: names, namespaces, replicas, autoscaling, ingress settings
//! and per-service overrides.

use super::super::names::{MAX_ENV_NAME, check_dns_label, check_hostname};
use super::super::types::*;
use super::service::env_vars;
use super::{Collector, resources_layer};
use crate::spec::error::ErrorKind;

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
    if a2.max.value > *crate::spec::REPLICAS.end() {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.max"),
            &a2.max,
            format!(
                "autoscaling max above {} is refused as a likely typo",
                crate::spec::REPLICAS.end()
            ),
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
        && !crate::spec::REPLICAS.contains(&r.value)
    {
        c.push(
            ErrorKind::Invalid,
            path,
            r,
            format!(
                "replicas {} is outside {}–{}",
                r.value,
                crate::spec::REPLICAS.start(),
                crate::spec::REPLICAS.end()
            ),
            None,
        );
    }
}

pub(super) fn environments(c: &mut Collector, spec: &Spec) {
    let Some(envs) = &spec.environments else {
        return;
    };
    if envs.value.is_empty() {
        c.push(
            ErrorKind::Invalid,
            "environments",
            envs,
            "`environments` is empty",
            Some("remove it to get dev, staging and prod, or list at least one".into()),
        );
    }
    // A name given twice is refused by the parser (duplicate keys are errors).
    for (name, env) in &envs.value {
        let path = format!("environments.{name}");
        if let Err(m) = check_dns_label(name, MAX_ENV_NAME) {
            c.push_at_key(ErrorKind::Invalid, &path, &path, env, m, None);
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
        for (b, ep) in &e.backing {
            super::backing::endpoint(c, spec, &path, b, ep);
        }
        for (svc_name, o) in &e.overrides {
            let op = format!("{path}.overrides.{svc_name}");
            let Some(svc) = spec.services.get(svc_name) else {
                super::unknown_name(
                    c,
                    &op,
                    o,
                    svc_name,
                    spec.services.keys(),
                    format!("`{svc_name}` is not a service of this spec"),
                );
                continue;
            };
            replicas(c, &format!("{op}.replicas"), &o.value.replicas);
            if let Some(a) = &o.value.autoscaling {
                autoscaling(c, &format!("{op}.autoscaling"), a);
            }
            env_vars(c, &format!("{op}.env"), &o.value.env);
            super::storage::override_(c, &op, &svc.value, &o.value);
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
