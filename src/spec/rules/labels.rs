//! Org-default labels and annotations, by the Kubernetes rules for object metadata, and never
//! one of the keys chartwright sets itself (a selector label overridden makes the Deployment
//! invalid; the others would silently lose to chartwright's value).

use super::Out;
use crate::spec::error::ErrorKind;
use crate::spec::types::DefaultsSpec;

/// Keys chartwright writes on its objects; an org default may not replace them.
const RESERVED_KEYS: [&str; 8] = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
    "helm.sh/chart",
    "checksum/config",
];
/// Prefixes whose keys belong to Kubernetes or to chartwright.
const RESERVED_PREFIXES: [&str; 4] = [
    "kubernetes.io/",
    "k8s.io/",
    "pod-security.kubernetes.io/",
    "chartwright.dev/",
];

const KEY_RULE: &str = "a key is an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters: letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (e.g. `example.com/team`)";
const VALUE_RULE: &str = "a label value is empty or at most 63 characters: letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit";
/// The API server's limit on all annotations of an object together.
const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

fn is_name(n: &str) -> bool {
    let b = n.as_bytes();
    let edge = |c: u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && b.len() <= 63
        && edge(b[0])
        && edge(b[b.len() - 1])
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
}

/// A DNS-1123 subdomain: lowercase labels joined by dots, at most 253 characters.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Why `key` is not a qualified name, if it is not one.
pub fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && !is_dns_subdomain(p)
    {
        return Some(format!(
            "`{key}` has the prefix `{p}`, which is not a lowercase DNS subdomain"
        ));
    }
    if !is_name(name) {
        return Some(format!("`{key}` is not a valid key"));
    }
    None
}

fn reserved(key: &str) -> bool {
    RESERVED_KEYS.contains(&key) || RESERVED_PREFIXES.iter().any(|p| key.starts_with(p))
}

pub(super) fn check(out: &mut Out, d: &DefaultsSpec, prefix: &str) {
    let fallback: Option<&crate::spec::S<String>> = None;
    for (what, map) in [("labels", &d.labels), ("annotations", &d.annotations)] {
        let base = format!("{prefix}{what}");
        let mut total = 0;
        for (key, value) in map {
            let path = format!("{base}.{key}");
            total += key.len() + value.len();
            if let Some(problem) = qualified_name_problem(key) {
                out.at_key(
                    ErrorKind::Invalid,
                    &path,
                    &path,
                    fallback,
                    problem,
                    KEY_RULE,
                );
            } else if reserved(key) {
                out.at_key(
                    ErrorKind::Invalid,
                    &path,
                    &path,
                    fallback,
                    format!("`{key}` is set by chartwright (or by Kubernetes) and cannot be an org default"),
                    "selector and ownership keys (`app.kubernetes.io/name`, `instance`, `managed-by`, `part-of`, `version`, `component`, `helm.sh/chart`) and the `kubernetes.io/`, `k8s.io/`, `pod-security.kubernetes.io/` and `chartwright.dev/` prefixes are reserved; overriding one would make selectors miss their pods; use a key of your own, e.g. `example.com/team`",
                );
            }
            if what == "annotations"
                && let Some(c) = super::text::helm_unsafe(value)
            {
                out.at_key(
                    ErrorKind::Invalid,
                    &path,
                    &path,
                    fallback,
                    super::text::message(&format!("annotation `{key}`"), c),
                    super::text::HINT,
                );
            }
            if what == "labels" && !(value.is_empty() || is_name(value)) {
                let shown: String = value.chars().take(70).collect();
                let more = if value.chars().count() > 70 {
                    "…"
                } else {
                    ""
                };
                out.at_key(
                    ErrorKind::Invalid,
                    &path,
                    &path,
                    fallback,
                    format!(
                        "label `{key}` has the value `{shown}{more}` ({} characters), which Kubernetes refuses",
                        value.chars().count()
                    ),
                    VALUE_RULE,
                );
            }
        }
        if what == "annotations" && total > MAX_ANNOTATIONS_BYTES {
            out.at_key(
                ErrorKind::Invalid,
                &base,
                &base,
                fallback,
                format!("the annotations take {total} bytes"),
                format!("Kubernetes allows at most {MAX_ANNOTATIONS_BYTES} bytes of annotations per object"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names() {
        for ok in ["team", "example.com/team", "a.b-c_d", "x/y"] {
            assert_eq!(qualified_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "my team",
            "",
            "-x",
            "Example.com/x",
            "a/b/c",
            "/x",
            "x/",
            &"a".repeat(64),
        ] {
            assert!(qualified_name_problem(bad).is_some(), "{bad}");
        }
    }
}
