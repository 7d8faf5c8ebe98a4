//! Namespaces: never a system namespace, never one shared by two environments.
//!
//! chartwright writes a Namespace per environment with a default-deny NetworkPolicy and the
//! `restricted` Pod Security level: applied to `kube-system` that cuts cluster DNS, and two
//! environments in one namespace overwrite each other's objects of the same name.

use std::collections::BTreeMap;

use super::{Out, Planned};
use crate::spec::error::ErrorKind;
use crate::spec::types::Spec;

/// Namespaces Kubernetes itself uses. `kube-` as a whole is reserved for the system.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["default", "kube-system", "kube-public", "kube-node-lease"];

pub fn is_system(ns: &str) -> bool {
    SYSTEM_NAMESPACES.contains(&ns) || ns.starts_with("kube-")
}

const SYSTEM_HINT: &str = "`default` and every `kube-` namespace belong to the cluster (Kubernetes reserves the `kube-` prefix); chartwright's default-deny NetworkPolicy and `restricted` Pod Security there would cut cluster DNS. Set `namespace:` to a namespace of your own";

pub(super) fn check(out: &mut Out, spec: &Spec, planned: &Planned) {
    let namespace = planned.namespace;
    let app = &spec.app.value;
    // (namespace, env name, explicit span) for every environment, in order.
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    match &spec.environments {
        Some(envs) => {
            for (name, env) in &envs.value {
                let path = format!("environments.{name}");
                let (ns, explicit) = match &env.value.namespace {
                    Some(ns) => (ns.value.clone(), Some(ns)),
                    None => (namespace(app, name), None),
                };
                let problem = if is_system(&ns) {
                    Some((
                        ErrorKind::Invalid,
                        format!("`{ns}` is a system namespace"),
                        SYSTEM_HINT.to_string(),
                    ))
                } else if let Some(other) = first.get(&ns) {
                    Some((
                        ErrorKind::Invalid,
                        format!("environments `{other}` and `{name}` both use namespace `{ns}`"),
                        "each environment needs a namespace of its own: their objects have the same names and would overwrite each other; set a different `namespace:`".to_string(),
                    ))
                } else {
                    first.insert(ns.clone(), name.clone());
                    None
                };
                let Some((kind, message, hint)) = problem else {
                    continue;
                };
                match explicit {
                    Some(span) => out.at(kind, format!("{path}.namespace"), span, message, hint),
                    None => {
                        let message = format!("{message} (`<app>-<env>` is `{ns}`)");
                        out.at_key(kind, path.clone(), &path, Some(env), message, hint)
                    }
                }
            }
        }
        None => {
            for name in planned.default_environments {
                let ns = namespace(app, name);
                if is_system(&ns) {
                    out.at(
                        ErrorKind::Invalid,
                        "app",
                        &spec.app,
                        format!("the `{name}` environment's namespace `{ns}` (`<app>-<env>`) is a system namespace"),
                        SYSTEM_HINT,
                    );
                    break;
                }
            }
        }
    }
}
