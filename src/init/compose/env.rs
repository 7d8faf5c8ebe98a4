//! A service's `environment`, sorted into plain configuration, secret names and what cannot be
//! carried. Only names that look secret (or Compose file-based `*_FILE` secrets under
//! `/run/secrets/`, and values that hold credentials) become secrets; `${VAR:-default}` is plain
//! configuration with its default.

use std::collections::BTreeMap;

use serde_json::Value;

use super::as_str;
use super::vars::interpolate;
use crate::spec::names::{check_env_key, check_env_name, looks_secret};

/// Where each variable of a service went.
#[derive(Debug, Default)]
pub struct Sorted {
    pub env: Vec<(String, String)>,
    pub secrets: Vec<String>,
    /// Carried with a caveat.
    pub warnings: Vec<String>,
    /// Not carried.
    pub dropped: Vec<String>,
}

/// `environment:` as (name, value) pairs; a list entry without `=` has no value (pass-through).
pub fn entries(v: &Value) -> Vec<(String, Option<String>)> {
    match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), as_str(v))).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(as_str)
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (s, None),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A URL with a user (and password) in it: `postgres://u:p@db/x`.
pub(super) fn credentials_in_url(value: &str) -> bool {
    value
        .split_once("://")
        .is_some_and(|(_, rest)| rest.split('/').next().unwrap_or("").contains('@'))
}

pub fn sort(env: &Value, vars: &BTreeMap<String, String>) -> Sorted {
    let mut out = Sorted::default();
    let mut defaults = Vec::new();
    let secret = |out: &mut Sorted, name: String| {
        if !out.secrets.contains(&name) {
            out.secrets.push(name);
        }
    };
    for (k, v) in entries(env) {
        if let Err(m) = check_env_key(&k) {
            out.dropped.push(format!("environment `{k}` ({m})"));
            continue;
        }
        // A `*_FILE` name is a Compose file-based secret only when it points where Compose
        // mounts secrets; `JVB_LOG_FILE` or a pass-through `LDAP_TLS_CACERT_FILE` is a path.
        if let Some(base) = k.strip_suffix("_FILE")
            && check_env_name(base).is_ok()
            && v.as_deref()
                .is_some_and(|v| interpolate(v, vars).text.starts_with("/run/secrets/"))
        {
            out.warnings.push(format!(
                "`{k}` points at a Compose secret file; it became the secret `{base}` (set its value in .env or your secret store; the image must read `{base}` as well as `{k}`, as images following the `_FILE` convention do)"
            ));
            secret(&mut out, base.to_string());
            continue;
        }
        let secret_name = looks_secret(&k) && check_env_name(&k).is_ok();
        let Some(raw) = v else {
            // `- NAME`: the value comes from the shell running Compose.
            if secret_name {
                secret(&mut out, k);
            } else {
                out.dropped.push(format!(
                    "environment `{k}` (passed through from the shell, no value in the file: set it per environment)"
                ));
            }
            continue;
        };
        let i = interpolate(&raw, vars);
        if secret_name || credentials_in_url(&i.text) {
            if !raw.is_empty() && !i.is_variable() {
                out.warnings.push(format!(
                    "`{k}` became a secret name ({}); its value was dropped, so set it in .env or your secret store",
                    if secret_name { "its name looks secret" } else { "its value holds credentials" }
                ));
            }
            if check_env_name(&k).is_ok() {
                secret(&mut out, k);
            } else {
                out.dropped.push(format!(
                    "environment `{k}` (a secret needs a C identifier name)"
                ));
            }
            continue;
        }
        if !i.resolved() {
            out.dropped.push(format!(
                "environment `{k}: {raw}` (`${{{}}}` has no value or default in the file or .env: set it per environment)",
                i.unresolved.join("}`, `${")
            ));
            continue;
        }
        defaults.extend(i.defaults.iter().map(|(n, d)| format!("${{{n}}} = `{d}`")));
        out.env.push((k, i.text));
    }
    if !defaults.is_empty() {
        defaults.dedup();
        out.warnings.push(format!(
            "environment values use the defaults written in the file: {}",
            defaults.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_file_path_variable_is_not_a_compose_secret() {
        // Jitsi: `JVB_LOG_FILE` is where the bridge logs, `LDAP_TLS_CACERT_FILE` a CA path
        // passed through from the shell; only `/run/secrets/…` is a Compose secret file.
        let s = sort(
            &json!([
                "JVB_LOG_FILE",
                "LOG_FILE=/var/log/app.log",
                "DB_PASSWORD_FILE=/run/secrets/db"
            ]),
            &BTreeMap::new(),
        );
        assert_eq!(
            s.env,
            [("LOG_FILE".to_string(), "/var/log/app.log".to_string())]
        );
        assert_eq!(s.secrets, ["DB_PASSWORD"]);
        assert!(
            s.dropped
                .iter()
                .any(|d| d.contains("`JVB_LOG_FILE` (passed through")),
            "{:?}",
            s.dropped
        );
    }

    #[test]
    fn defaults_are_config_and_only_secret_names_are_secrets() {
        let vars = BTreeMap::from([("FROM_DOTENV".to_string(), "x".to_string())]);
        let s = sort(
            &json!({
                "LOG_LEVEL": "${LOG_LEVEL:-info}",
                "SITE": "${FROM_DOTENV}",
                "API_URL": "${API_URL}",
                "JWT_SECRET": "${JWT_SECRET}",
                "POSTGRES_PASSWORD_FILE": "/run/secrets/db",
                "discovery.type": "single-node",
                "DB_URL": "postgres://u:p@db/x",
                "ENABLED": 1
            }),
            &vars,
        );
        assert_eq!(
            s.env,
            [
                ("LOG_LEVEL".to_string(), "info".to_string()),
                ("SITE".into(), "x".into()),
                ("discovery.type".into(), "single-node".into()),
                ("ENABLED".into(), "1".into()),
            ]
        );
        assert_eq!(s.secrets, ["JWT_SECRET", "POSTGRES_PASSWORD", "DB_URL"]);
        assert!(
            s.dropped.iter().any(|d| d.contains("API_URL")),
            "{:?}",
            s.dropped
        );
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("${LOG_LEVEL} = `info`"))
        );
    }
}
