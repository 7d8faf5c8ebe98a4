//! Compose `profiles` → optional services, and the `COMPOSE_PROFILES` of the `.env` beside the
//! file → the profiles every imported environment enables.

use std::collections::{BTreeMap, BTreeSet};

use super::Import;
use crate::spec::names::is_profile_name;

/// Makes the imported profiles a spec the validation accepts, and reads `COMPOSE_PROFILES`.
///
/// A service may depend on an optional one only under that one's profiles (the spec's rule,
/// which is Compose's at `up`). A file that breaks it (a dependency Compose only resolves with
/// two profiles enabled, or one on a service that was imported without a profile it had) has the
/// dependency's profiles dropped, and says so: it then always runs, which is what the file's
/// dependents need.
pub(super) fn settle(imp: &mut Import, vars: &BTreeMap<String, String>) {
    loop {
        let mut drop: Option<(usize, String)> = None;
        'find: for s in &imp.services {
            for dep in &s.depends_on {
                let Some(i) = imp.services.iter().position(|o| &o.name == dep) else {
                    continue;
                };
                let theirs = &imp.services[i].profiles;
                if !theirs.is_empty()
                    && (s.profiles.is_empty() || s.profiles.iter().any(|p| !theirs.contains(p)))
                {
                    drop = Some((i, s.name.clone()));
                    break 'find;
                }
            }
        }
        let Some((i, by)) = drop else { break };
        let d = &mut imp.services[i];
        let list = std::mem::take(&mut d.profiles).join(", ");
        d.not_carried.push(format!(
            "profiles {list} (`{by}` depends on it where those profiles are not enabled: it always runs)"
        ));
    }
    let declared: BTreeSet<&String> = imp.services.iter().flat_map(|s| &s.profiles).collect();
    if declared.is_empty() {
        return;
    }
    let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    let asked: Vec<String> = vars
        .get("COMPOSE_PROFILES")
        .map(|v| {
            v.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let (known, unknown): (Vec<String>, Vec<String>) = asked
        .into_iter()
        .filter(|p| is_profile_name(p))
        .partition(|p| declared.contains(p));
    if !unknown.is_empty() {
        imp.warnings.push(format!(
            "COMPOSE_PROFILES in .env names {}, which no imported service has: not enabled",
            unknown.join(", ")
        ));
    }
    let off: Vec<&String> = declared
        .iter()
        .copied()
        .filter(|p| !known.contains(p))
        .collect();
    if !known.is_empty() {
        imp.warnings.push(format!(
            "COMPOSE_PROFILES in .env enables {}: every imported environment enables them (`environments.<env>.profiles`), so their optional services are deployed there",
            known.join(", ")
        ));
    }
    if let Some(first) = off.first() {
        imp.warnings.push(format!(
            "optional services of profile{} {} are deployed in no environment: add `profiles: [{first}]` under an environment to deploy them there (Compose starts them with `docker compose --profile {first} up`)",
            if off.len() == 1 { "" } else { "s" },
            list(&off)
        ));
    }
    imp.env_profiles = known;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    fn import(text: &str, profiles: Option<&str>) -> super::Import {
        let vars: BTreeMap<String, String> = profiles
            .map(|p| ("COMPOSE_PROFILES".to_string(), p.to_string()))
            .into_iter()
            .collect();
        super::super::import_text(text, "app", &vars, &BTreeMap::new()).unwrap()
    }

    const FILE: &str = "services:\n  a:\n    image: acme/a:1.0.0\n    profiles: [px]\n    depends_on: [b]\n  b:\n    image: acme/b:1.0.0\n    profiles: [py]\n  c:\n    image: acme/c:1.0.0\n    depends_on: [d]\n  d:\n    image: acme/d:1.0.0\n    profiles: [pz]\n  e:\n    image: acme/e:1.0.0\n    profiles: [px, py]\n";

    #[test]
    fn profiles_are_kept_and_compose_profiles_enables_the_known_ones() {
        let imp = import(FILE, Some("px, nope"));
        let profiles = |n: &str| {
            imp.services
                .iter()
                .find(|s| s.name == n)
                .unwrap()
                .profiles
                .clone()
        };
        assert_eq!(profiles("a"), ["px"]);
        assert_eq!(profiles("e"), ["px", "py"]);
        assert_eq!(imp.env_profiles, ["px"]);
        assert!(imp.warnings.iter().any(|w| w.contains("names nope")));
        assert!(imp.warnings.iter().any(|w| w.contains("enables px")));
        assert!(imp.warnings.iter().any(|w| w.contains("`profiles: [py]`")));
    }

    #[test]
    fn a_dependency_the_spec_would_refuse_always_runs_and_says_so() {
        let imp = import(FILE, None);
        for (dep, by) in [("b", "a"), ("d", "c")] {
            let s = imp.services.iter().find(|s| s.name == dep).unwrap();
            assert!(s.profiles.is_empty(), "{dep}");
            assert!(
                s.not_carried
                    .iter()
                    .any(|l| l.starts_with("profiles ")
                        && l.contains(&format!("`{by}` depends on it"))),
                "{:?}",
                s.not_carried
            );
        }
        assert!(imp.env_profiles.is_empty());
    }
}
