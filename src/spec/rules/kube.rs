//! Free text that reaches a Kubernetes object field the API server (or the controller that
//! reads it) validates: checked here by the same rule, so the refusal comes with a line number
//! instead of from `kubectl apply`.

use super::Out;
use super::labels::is_dns_subdomain;
use crate::spec::error::ErrorKind;
use crate::spec::image::ImageRef;
use crate::spec::names::check_dns_label;
use crate::spec::types::{DefaultsSpec, S, Spec};

/// The API server's limit on a ConfigMap's data (keys and values together).
pub const MAX_CONFIGMAP_BYTES: usize = 1024 * 1024;

const PATH_RULE: &str = "an Ingress path of type Prefix is `/` followed by URL path characters (letters, digits and `-._~!$&'()*+,;=:@%/`), without `//`, `/./`, `/../`, `%2f` or a trailing `/.` or `/..` (the API server's rule)";
const SUBDOMAIN_RULE: &str = "a DNS subdomain: lowercase letters, digits, `-` and `.`, at most 253 characters, starting and ending with a letter or digit (the API server's rule for object names)";
const DURATION_RULE: &str =
    "a Go duration such as `30s`, `15m`, `1h` or `1h30m` (units ns, us, ms, s, m, h)";

/// Why `path` is not an Ingress Prefix path the API server accepts, if it is not one.
pub fn ingress_path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some(format!("`{path}` must start with `/`"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(*c)))
    {
        return Some(format!(
            "`{}` contains {}, which a URL path cannot",
            path.escape_debug(),
            if c == ' ' {
                "a space".to_string()
            } else {
                format!("`{}`", c.escape_debug())
            }
        ));
    }
    for bad in ["//", "/./", "/../", "%2f", "%2F"] {
        if path.contains(bad) {
            return Some(format!("`{path}` contains `{bad}`"));
        }
    }
    for bad in ["/..", "/."] {
        if path.ends_with(bad) {
            return Some(format!("`{path}` ends with `{bad}`"));
        }
    }
    None
}

/// A Go `time.ParseDuration` string without sign (what `metav1.Duration` reads).
pub fn is_go_duration(s: &str) -> bool {
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..n];
        if number.is_empty()
            || number.starts_with('.') && number.len() == 1
            || number.matches('.').count() > 1
        {
            return false;
        }
        rest = &rest[n..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(*u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

fn subdomain(out: &mut Out, path: String, v: &S<String>, what: &str) {
    if !is_dns_subdomain(&v.value) {
        out.at(
            ErrorKind::Invalid,
            path,
            v,
            format!("`{}` is not a valid {what} name", v.value.escape_debug()),
            SUBDOMAIN_RULE,
        );
    }
}

pub(super) fn check(out: &mut Out, spec: &Spec) {
    for (name, svc) in &spec.services {
        let s = &svc.value;
        let path = format!("services.{name}");
        if let Some(ing) = &s.ingress
            && let Some(p) = &ing.value.path
            && p.value.starts_with('/')
            && let Some(problem) = ingress_path_problem(&p.value)
        {
            out.at(
                ErrorKind::Invalid,
                format!("{path}.ingress.path"),
                p,
                problem,
                PATH_RULE,
            );
        }
        if let Some(es) = &s.external_secret
            && let Some(r) = &es.refresh_interval
            && !is_go_duration(&r.value)
        {
            out.at(
                ErrorKind::Invalid,
                format!("{path}.external_secret.refresh_interval"),
                r,
                format!("`{}` is not a duration", r.value.escape_debug()),
                DURATION_RULE,
            );
        }
        configmap_size(out, spec, name);
    }
    if let Some(envs) = &spec.environments {
        for (env, e) in &envs.value {
            if let Some(ing) = &e.value.ingress {
                let path = format!("environments.{env}.ingress");
                if let Some(c) = &ing.class {
                    subdomain(out, format!("{path}.class"), c, "IngressClass");
                }
                if let Some(i) = &ing.issuer {
                    subdomain(out, format!("{path}.issuer"), i, "ClusterIssuer");
                }
            }
        }
    }
}

/// The ConfigMap of a service in each environment: the service's `env` with the override's.
fn configmap_size(out: &mut Out, spec: &Spec, name: &str) {
    let svc = &spec.services[name].value;
    let size = |env: &std::collections::BTreeMap<String, S<crate::spec::Scalar>>| -> usize {
        env.iter()
            .map(|(k, v)| k.len() + v.value.as_text().len())
            .sum()
    };
    let base = size(&svc.env);
    let report = |out: &mut Out, path: String, key_path: &str, bytes: usize| {
        out.at_key(
            ErrorKind::Invalid,
            path,
            key_path,
            svc.env.values().next(),
            format!("the `{name}` ConfigMap would hold {bytes} bytes of `env`"),
            format!("Kubernetes refuses a ConfigMap over {MAX_CONFIGMAP_BYTES} bytes (1 MiB); mount large configuration from a volume instead"),
        )
    };
    if base > MAX_CONFIGMAP_BYTES {
        let p = format!("services.{name}.env");
        report(out, p.clone(), &p, base);
        return;
    }
    let Some(envs) = &spec.environments else {
        return;
    };
    for (env, e) in &envs.value {
        let Some(o) = e.value.overrides.get(name) else {
            continue;
        };
        let replaced: usize = o
            .value
            .env
            .keys()
            .filter_map(|k| svc.env.get(k).map(|v| k.len() + v.value.as_text().len()))
            .sum();
        let total = base - replaced + size(&o.value.env);
        if total > MAX_CONFIGMAP_BYTES {
            let p = format!("environments.{env}.overrides.{name}.env");
            report(out, p.clone(), &p, total);
        }
    }
}

/// The org defaults' free text: the registry prefix as part of an image reference, and the
/// names of the IngressClass, the ClusterIssuer and the ingress controller's namespace.
pub(super) fn defaults(out: &mut Out, d: &DefaultsSpec, prefix: &str) {
    if let Some(reg) = &d.registry
        && !reg.value.is_empty()
        && !reg.value.ends_with('/')
        && reg
            .value
            .split('/')
            .next()
            .is_some_and(|h| h.to_ascii_lowercase() == h)
        && let Err(e) = ImageRef::parse(&format!("{}/name:1", reg.value))
    {
        let why = e
            .message
            .split_once(": ")
            .map(|(_, w)| w.to_string())
            .unwrap_or(e.message);
        out.at(
            ErrorKind::Invalid,
            format!("{prefix}registry"),
            reg,
            format!("`{}` is not a registry prefix: {why}", reg.value.escape_debug()),
            "a registry prefix is a lowercase host (with an optional port) and optional path, like `registry.example.com/team`; `$` and spaces are not part of an image reference",
        );
    }
    if let Some(c) = &d.ingress_class {
        subdomain(out, format!("{prefix}ingress_class"), c, "IngressClass");
    }
    if let Some(i) = &d.issuer {
        subdomain(out, format!("{prefix}issuer"), i, "ClusterIssuer");
    }
    if let Some(ns) = &d.ingress_controller_namespace
        && let Err(m) = check_dns_label(&ns.value, 63)
    {
        out.at(
            ErrorKind::Invalid,
            format!("{prefix}ingress_controller_namespace"),
            ns,
            m,
            "a namespace name is a DNS label: lowercase letters, digits and `-`, at most 63 characters",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress_paths() {
        for ok in ["/", "/api", "/api/v1", "/a-b_c.d~e", "/%20"] {
            assert_eq!(ingress_path_problem(ok), None, "{ok}");
        }
        for bad in [
            "/a//b", "/a/../b", "/a/./b", "/a b", "/a/..", "/a/.", "/x%2fy", "/a\u{7f}", "/a?b",
            "/a#b",
        ] {
            assert!(ingress_path_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        for ok in ["1h", "30s", "1h30m", "0", "1.5h", "100ms", "2µs"] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["forever", "", "1", "h", "1d", "-1h", "1 h", "1h "] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }
}
