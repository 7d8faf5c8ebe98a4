//! Optional services (`profiles:`): the profile names, the environments that enable them, and
//! the one rule that keeps a dependency present wherever its dependent runs.
//!
//! Compose starts a service when any of its profiles is enabled (`--profile`, or
//! `COMPOSE_PROFILES`) and refuses `up` when a started service depends on one that is not; an
//! environment deploys a profiled service when it enables one of its profiles. So a service may
//! depend on an optional one only when every profile it runs under is one of the dependency's:
//! then, in Compose and in every environment, wherever it runs its dependency runs too.

use std::collections::BTreeSet;

use super::super::types::*;
use super::{Collector, unknown_name};
use crate::spec::error::ErrorKind;
use crate::spec::names::is_profile_name;

/// `[ai, gpu]`, as a message shows a list of profiles.
fn shown(profiles: &[S<String>]) -> String {
    let names: Vec<&str> = profiles.iter().map(|p| p.value.as_str()).collect();
    format!("[{}]", names.join(", "))
}

fn line_of<T>(s: &S<T>) -> u64 {
    s.referenced.line()
}

/// The names in one `profiles:` list: each a Compose profile name, none twice.
fn names(c: &mut Collector, path: &str, list: &[S<String>]) {
    let mut seen = BTreeSet::new();
    for (i, p) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if !is_profile_name(&p.value) {
            c.push(
                ErrorKind::Invalid,
                at,
                p,
                format!("`{}` is not a Compose profile name", p.value),
                Some("letters, digits, `_`, `.` and `-`, starting with a letter or digit, at least two characters (`ai`, `feature-complete`)".into()),
            );
        } else if !seen.insert(p.value.as_str()) {
            c.push(
                ErrorKind::Invalid,
                at,
                p,
                format!("profile `{}` is listed twice", p.value),
                None,
            );
        }
    }
}

pub(super) fn profiles(c: &mut Collector, spec: &Spec) {
    for (name, svc) in &spec.services {
        names(c, &format!("services.{name}.profiles"), &svc.value.profiles);
    }
    let declared: BTreeSet<&String> = spec
        .services
        .values()
        .flat_map(|s| s.value.profiles.iter().map(|p| &p.value))
        .collect();
    for (env, e) in spec.environments.iter().flat_map(|e| e.value.iter()) {
        let path = format!("environments.{env}.profiles");
        names(c, &path, &e.value.profiles);
        for (i, p) in e.value.profiles.iter().enumerate() {
            if is_profile_name(&p.value) && !declared.contains(&p.value) {
                let message = if declared.is_empty() {
                    format!(
                        "profile `{}` is no service's: no service is optional (`profiles:`)",
                        p.value
                    )
                } else {
                    let all: Vec<&str> = declared.iter().map(|s| s.as_str()).collect();
                    format!(
                        "profile `{}` is no service's (the services' profiles: {})",
                        p.value,
                        all.join(", ")
                    )
                };
                unknown_name(
                    c,
                    &format!("{path}[{i}]"),
                    p,
                    &p.value,
                    declared.iter().copied(),
                    message,
                );
            }
        }
    }
    for (name, svc) in &spec.services {
        let own = &svc.value.profiles;
        for (i, dep) in svc.value.depends_on.iter().enumerate() {
            let Some(other) = spec.services.get(&dep.value) else {
                continue;
            };
            let theirs = &other.value.profiles;
            let Some(first) = theirs.first() else {
                continue;
            };
            let outside: Vec<&S<String>> = own
                .iter()
                .filter(|p| !theirs.iter().any(|t| t.value == p.value))
                .collect();
            let dep_name = &dep.value;
            let (message, hint) = if own.is_empty() {
                (
                    format!(
                        "`{name}` always runs, but `{dep_name}` is optional (profiles {}, line {}): Compose refuses `up` without `--profile`, and an environment that does not enable it would deploy `{name}` without `{dep_name}`",
                        shown(theirs),
                        line_of(first)
                    ),
                    format!(
                        "make `{name}` optional too (`profiles: [{}]`), or drop `{dep_name}`'s profiles",
                        first.value
                    ),
                )
            } else if !outside.is_empty() {
                (
                    format!(
                        "`{name}` runs under profile {} (line {}), where `{dep_name}` (profiles {}, line {}) does not: Compose refuses `--profile {}` alone, and an environment that enables only that profile would deploy `{name}` without `{dep_name}`",
                        outside
                            .iter()
                            .map(|p| format!("`{}`", p.value))
                            .collect::<Vec<_>>()
                            .join(", "),
                        line_of(outside[0]),
                        shown(theirs),
                        line_of(first),
                        outside[0].value
                    ),
                    format!(
                        "give `{dep_name}` the profile `{}` too, or take it from `{name}`",
                        outside[0].value
                    ),
                )
            } else {
                continue;
            };
            c.push(
                ErrorKind::Reference,
                format!("services.{name}.depends_on[{i}]"),
                dep,
                message,
                Some(hint),
            );
        }
    }
}
