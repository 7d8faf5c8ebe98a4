//! Two writers of one name: an environment variable that a dependency injects and the user
//! also sets, and two services routed from the same Ingress host and path.
//!
//! Compose refuses a service whose `environment` names a variable twice; Kubernetes keeps both
//! entries and the last silently wins; two Ingresses with one host and path are resolved by
//! the controller's own tie-break. Each is refused, naming both places.

use std::collections::BTreeMap;

use super::Out;
use crate::spec::checked::Checked;
use crate::spec::error::ErrorKind;
use crate::spec::types::{S, SecretEntry, ServiceSpec, Spec};

/// Where a name was first claimed, for the second claimant's message.
struct Claim {
    what: String,
    line: u32,
}

fn line_of<T>(s: &S<T>) -> u32 {
    s.referenced.line() as u32
}

pub(super) fn env_vars_all(
    out: &mut Out,
    spec: &Spec,
    checked: &Checked,
    injected: &super::InjectedNames<'_>,
) {
    for (name, svc) in &spec.services {
        if let Some(c) = checked.services.get(name) {
            env_vars(out, spec, checked, name, &svc.value, c, injected);
        }
    }
}

const RENAME: &str = "every variable of a container must have one source: rename yours, or drop it and use the injected one (the README's spec reference lists what each dependency injects)";

fn env_vars(
    out: &mut Out,
    spec: &Spec,
    checked: &Checked,
    name: &str,
    svc: &ServiceSpec,
    checked_svc: &crate::spec::checked::Service,
    injected: &super::InjectedNames<'_>,
) {
    let path = format!("services.{name}");
    let mut claims: BTreeMap<String, Claim> = BTreeMap::new();
    // Per `depends_on` entry, the names it would inject that an earlier entry already does.
    let mut clashes: BTreeMap<usize, (String, Vec<String>)> = BTreeMap::new();
    for (var, dep) in injected(checked, checked_svc) {
        let entry = &svc.depends_on[dep];
        // A dependency listed twice is reported as such, not as its variables.
        if svc.depends_on[..dep].iter().any(|d| d.value == entry.value) {
            continue;
        }
        match claims.get(&var) {
            Some(first) => {
                clashes
                    .entry(dep)
                    .or_insert_with(|| (first.what.clone(), Vec::new()))
                    .1
                    .push(var);
            }
            None => {
                let what = format!("`depends_on: {}` (line {})", entry.value, line_of(entry));
                claims.insert(
                    var,
                    Claim {
                        what,
                        line: line_of(entry),
                    },
                );
            }
        }
    }
    for (dep, (first, vars)) in clashes {
        let entry = &svc.depends_on[dep];
        out.at(
            ErrorKind::Invalid,
            format!("{path}.depends_on[{dep}]"),
            entry,
            format!(
                "`{}` would inject `{}`, which {first} already injects",
                entry.value,
                vars.join("`, `")
            ),
            "two dependencies would hand over the same variables; rename one of them (its variables are prefixed with its name)",
        );
    }
    let injected = |claims: &BTreeMap<String, Claim>, var: &str| {
        claims.get(var).map(|c| (c.what.clone(), c.line))
    };
    for (var, value) in &svc.env {
        if let Some((what, _)) = injected(&claims, var) {
            out.at(
                ErrorKind::Invalid,
                format!("{path}.env.{var}"),
                value,
                format!("`{var}` is set here and also injected by {what}"),
                RENAME,
            );
        }
    }
    let mut secrets: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, entry) in svc.secrets.iter().enumerate() {
        let SecretEntry::Name(var) = &entry.value else {
            continue;
        };
        secrets.entry(var).or_insert(line_of(entry));
        if let Some((what, _)) = injected(&claims, var) {
            out.at(
                ErrorKind::Invalid,
                format!("{path}.secrets[{i}]"),
                entry,
                format!("secret `{var}` is also injected by {what}"),
                RENAME,
            );
        }
    }
    let Some(envs) = &spec.environments else {
        return;
    };
    for (env, e) in &envs.value {
        let Some(o) = e.value.overrides.get(name) else {
            continue;
        };
        // The variables read from its env file (those the override's `env:` does not set).
        let from_file = checked
            .environments
            .as_ref()
            .and_then(|envs| envs.get(env))
            .and_then(|e| e.overrides.get(name));
        if let (Some(file), Some(c)) = (&o.value.env_file, from_file) {
            for var in c.env.keys().filter(|v| !o.value.env.contains_key(*v)) {
                if let Some((what, _)) = injected(&claims, var) {
                    out.at(
                        ErrorKind::Invalid,
                        format!("environments.{env}.overrides.{name}.env_file"),
                        file,
                        format!(
                            "`{var}` is set in `{}` and also injected by {what}",
                            file.value
                        ),
                        RENAME,
                    );
                }
            }
        }
        for (var, value) in &o.value.env {
            let op = format!("environments.{env}.overrides.{name}.env.{var}");
            if let Some((what, _)) = injected(&claims, var) {
                out.at(
                    ErrorKind::Invalid,
                    op,
                    value,
                    format!("`{var}` is set here and also injected by {what}"),
                    RENAME,
                );
            } else if let Some(line) = secrets.get(var.as_str()) {
                out.at(
                    ErrorKind::Invalid,
                    op,
                    value,
                    format!("`{var}` is a secret of `{name}` (`services.{name}.secrets`, line {line}) and cannot also be a plain variable"),
                    "a variable is either a secret (read from the Secret) or plain (from the ConfigMap); drop it from one of the two",
                );
            }
        }
    }
}

pub(super) fn ingress_routes(out: &mut Out, spec: &Spec) {
    let envs: Vec<(String, Option<&crate::spec::types::EnvironmentSpec>)> = match &spec.environments
    {
        Some(envs) => envs
            .value
            .iter()
            .map(|(n, e)| (n.clone(), Some(&e.value)))
            .collect(),
        None => vec![(String::new(), None)],
    };
    // A clash in the services themselves shows in every environment; it is reported once.
    let mut reported = std::collections::BTreeSet::new();
    for (env, e) in envs {
        // (host, path) → (service, line, from an environment override)
        let mut routes: BTreeMap<(String, String), (String, u32, bool)> = BTreeMap::new();
        for (name, svc) in &spec.services {
            let Some(ing) = &svc.value.ingress else {
                continue;
            };
            let over = e
                .and_then(|e| e.overrides.get(name))
                .and_then(|o| o.value.ingress_host.as_ref());
            let (host, host_path) = match over {
                Some(h) => (
                    h,
                    format!("environments.{env}.overrides.{name}.ingress_host"),
                ),
                None => (&ing.value.host, format!("services.{name}.ingress.host")),
            };
            let route_path = ing
                .value
                .path
                .as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_else(|| "/".into());
            let key = (host.value.clone(), route_path.clone());
            match routes.get(&key) {
                Some((first, line, first_over)) => {
                    if !reported.insert((host_path.clone(), line_of(host))) {
                        continue;
                    }
                    let place = if env.is_empty() || !(over.is_some() || *first_over) {
                        String::new()
                    } else {
                        format!(" in environment `{env}`")
                    };
                    out.at(
                        ErrorKind::Invalid,
                        host_path,
                        host,
                        format!(
                            "`{name}` and `{first}` (line {line}) both route `{}{route_path}`{place}",
                            host.value
                        ),
                        "an Ingress host and path lead to one service; give one of them another `ingress.path` or host (an environment's `overrides.<service>.ingress_host`)",
                    );
                }
                None => {
                    routes.insert(key, (name.clone(), line_of(host), over.is_some()));
                }
            }
        }
    }
}
