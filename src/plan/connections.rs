//! What a service needs to reach what it depends on: the same variable names in Kubernetes and
//! Compose, only the values differ.

use super::model::EnvVarValues;
use std::collections::BTreeMap;

use crate::spec::checked::{Backing, BackingEndpoint, Checked, Service};

/// `DATABASE-PRIMARY` style prefix of a dependency's variables.
pub(super) fn var_prefix(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

/// The connection variables one dependency hands to a dependent, for a given way of reaching
/// it. Kubernetes and Compose get the same names; only the values differ.
pub(super) struct Connection {
    pub name: String,
    pub value: String,
    /// For Kubernetes: read from this Secret's `password` key instead of `value`.
    pub secret: Option<String>,
}

/// What a service needs to reach backing entry `name`: host/port/… variables and the URL.
/// `password` and `host` are how the target output spells them.
pub(super) fn backing_connection(
    spec: &Checked,
    dependent: &Service,
    name: &str,
    b: &Backing,
    host: &str,
    password: &str,
    k8s: bool,
) -> Vec<Connection> {
    let p = var_prefix(name);
    let entry = b.entry;
    let database = b.database.clone().unwrap_or_else(|| spec.app.clone());
    let user = spec.app.clone();
    let lit = |n: String, v: String| Connection {
        name: n,
        value: v,
        secret: None,
    };
    let mut out = vec![
        lit(format!("{p}_HOST"), host.to_string()),
        lit(format!("{p}_PORT"), entry.port.to_string()),
    ];
    if entry.url.contains("{database}") {
        out.push(lit(format!("{p}_DATABASE"), database.clone()));
    }
    if entry.url.contains("{user}") {
        out.push(lit(format!("{p}_USER"), user.clone()));
    }
    if entry.password {
        out.push(Connection {
            name: format!("{p}_PASSWORD"),
            value: password.to_string(),
            secret: k8s.then(|| format!("{name}-credentials")),
        });
    }
    // In Kubernetes the URL is assembled by the kubelet from the variables above ($(VAR)), so
    // the password is never written out; in Compose it is interpolated from .env.
    let (h, port, db, u, pw) = if k8s {
        (
            format!("$({p}_HOST)"),
            format!("$({p}_PORT)"),
            format!("$({p}_DATABASE)"),
            format!("$({p}_USER)"),
            format!("$({p}_PASSWORD)"),
        )
    } else {
        (
            host.to_string(),
            entry.port.to_string(),
            database,
            user,
            password.to_string(),
        )
    };
    let url = entry
        .url
        .replace("{host}", &h)
        .replace("{port}", &port)
        .replace("{database}", &db)
        .replace("{user}", &u)
        .replace("{password}", &pw);
    // The conventional name (`DATABASE_URL`) only when no other dependency of this service
    // claims it too (postgres and mysql both would): otherwise each is namespaced by its own
    // name (`<NAME>_URL`), so that neither silently shadows the other.
    let claimants = dependent
        .depends_on
        .iter()
        .filter(|dep| {
            spec.backing
                .get(dep.as_str())
                .is_some_and(|o| o.entry.url_var == entry.url_var)
        })
        .count();
    let url_var = if claimants == 1 {
        entry.url_var.to_string()
    } else {
        format!("{p}_URL")
    };
    out.push(lit(url_var, url));
    out
}

/// Variables for an own-service dependency: `<DEP>_HOST`, `<DEP>_PORT`, `<DEP>_URL`.
pub(super) fn service_connection(name: &str, dep: &Service) -> Vec<Connection> {
    // A worker, a job or a cron job is not reached: there is nothing to connect to.
    if dep.ports.is_empty() {
        return Vec::new();
    }
    let p = var_prefix(name);
    // Every service with ports has a TCP port (validated: its probes need one); the first TCP port is the
    // one dependents reach over `http://`, a UDP port cannot serve that URL.
    let port = dep
        .ports
        .iter()
        .find(|p| p.protocol.as_deref().is_none_or(|p| p == "TCP"))
        .or(dep.ports.first())
        .map(|p| p.number)
        .unwrap_or_default();
    vec![
        Connection {
            name: format!("{p}_HOST"),
            value: name.to_string(),
            secret: None,
        },
        Connection {
            name: format!("{p}_PORT"),
            value: port.to_string(),
            secret: None,
        },
        Connection {
            name: format!("{p}_URL"),
            value: format!("http://{name}:{port}"),
            secret: None,
        },
    ]
}

/// The Kubernetes connection variables of a service, in `depends_on` order: passwords are read
/// from the dependency's credentials Secret, never written out.
///
/// `endpoints`: where the environment puts its backing services. A managed host replaces the
/// in-cluster name (or the spec's `host:`); a host in a Secret is read by `secretKeyRef`, and the
/// URL, assembled by the kubelet from `$(<NAME>_HOST)`, follows either way.
pub(super) fn k8s_connections(
    spec: &Checked,
    svc: &Service,
    endpoints: Option<&BTreeMap<String, BackingEndpoint>>,
) -> Vec<EnvVarValues> {
    let mut connections = Vec::new();
    // (variable, Secret, key) of hosts read from a Secret.
    let mut from_secret: Vec<(String, String, String)> = Vec::new();
    for dep in &svc.depends_on {
        if let Some(other) = spec.services.get(dep) {
            connections.extend(service_connection(dep, other));
        } else if let Some(b) = spec.backing.get(dep) {
            let host = match endpoints.and_then(|e| e.get(dep)) {
                Some(BackingEndpoint::Host(h)) => h.clone(),
                Some(BackingEndpoint::HostSecret(name, key)) => {
                    from_secret.push((
                        format!("{}_HOST", var_prefix(dep)),
                        name.clone(),
                        key.clone(),
                    ));
                    String::new()
                }
                None => b.host.clone().unwrap_or_else(|| dep.clone()),
            };
            connections.extend(backing_connection(spec, svc, dep, b, &host, "", true));
        }
    }
    connections
        .into_iter()
        .map(
            |c| match from_secret.iter().find(|(n, _, _)| *n == c.name) {
                Some((_, secret, key)) => EnvVarValues {
                    name: c.name,
                    value: String::new(),
                    secret_name: secret.clone(),
                    secret_key: key.clone(),
                },
                None => EnvVarValues {
                    name: c.name,
                    value: if c.secret.is_some() {
                        String::new()
                    } else {
                        c.value
                    },
                    secret_key: if c.secret.is_some() {
                        "password".into()
                    } else {
                        String::new()
                    },
                    secret_name: c.secret.unwrap_or_default(),
                },
            },
        )
        .collect()
}

/// Every variable the dependencies of `svc` inject into it, with the index of the `depends_on`
/// entry that brings it, for the collision rule of validation (the one place that knows the
/// names is the code that makes them).
pub fn injected_names(spec: &Checked, svc: &Service) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, dep) in svc.depends_on.iter().enumerate() {
        let names: Vec<String> = if let Some(other) = spec.services.get(dep) {
            service_connection(dep, other)
                .into_iter()
                .map(|c| c.name)
                .collect()
        } else if let Some(b) = spec.backing.get(dep) {
            backing_connection(spec, svc, dep, b, dep, "", true)
                .into_iter()
                .map(|c| c.name)
                .collect()
        } else {
            Vec::new()
        };
        out.extend(names.into_iter().map(|n| (n, i)));
    }
    out
}
