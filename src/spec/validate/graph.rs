//! Dependency cycles among own services.

use std::collections::{BTreeMap, BTreeSet};

use super::super::types::*;
use super::Collector;
use crate::spec::error::ErrorKind;

pub(super) fn dependency_cycles(c: &mut Collector, spec: &Spec) {
    // Depth-first search over own services (backing services have no dependencies), with an
    // explicit stack: a hostile chain of tens of thousands of services must not overflow the
    // call stack. Each back edge closes a cycle; a few are reported, not every one a dense
    // graph has.
    const MAX_CYCLES: usize = 10;
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut found: Vec<Vec<&str>> = Vec::new();
    for root in spec.services.keys() {
        if done.contains(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        let mut on_stack: BTreeMap<&str, usize> = BTreeMap::from([(root.as_str(), 0)]);
        while let Some((name, next)) = stack.last_mut() {
            let name: &str = name;
            let deps = &spec.services[name].value.depends_on;
            let Some(d) = deps.get(*next) else {
                done.insert(name);
                on_stack.remove(name);
                stack.pop();
                continue;
            };
            *next += 1;
            let d = d.value.as_str();
            let Some((d, _)) = spec.services.get_key_value(d) else {
                continue;
            };
            let d = d.as_str();
            if d == name || done.contains(d) {
                continue;
            }
            if let Some(&pos) = on_stack.get(d) {
                if found.len() < MAX_CYCLES {
                    found.push(stack[pos..].iter().map(|(s, _)| *s).collect());
                }
                continue;
            }
            on_stack.insert(d, stack.len());
            stack.push((d, 0));
        }
    }
    for cycle in found {
        let first = cycle[0];
        let svc = &spec.services[first];
        let at = svc
            .value
            .depends_on
            .iter()
            .find(|d| Some(&d.value.as_str()) == cycle.get(1))
            .unwrap_or(&svc.value.image);
        // A long cycle is shown by its ends, so that the message stays readable.
        let mut shown: Vec<&str> = if cycle.len() > 8 {
            let mut s = cycle[..4].to_vec();
            s.push("…");
            s.extend_from_slice(&cycle[cycle.len() - 3..]);
            s
        } else {
            cycle.clone()
        };
        shown.push(first);
        let size = if cycle.len() > 8 {
            format!(" ({} services)", cycle.len())
        } else {
            String::new()
        };
        c.push(
            ErrorKind::Cycle,
            format!("services.{first}.depends_on"),
            at,
            format!("dependency cycle{size}: {}", shown.join(" → ")),
            Some("Compose cannot start a cycle and Kubernetes readiness would deadlock; remove one edge".into()),
        );
    }
}
