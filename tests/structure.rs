//! Structural invariants, proved without the conformance tools: the chart's values files are
//! the plan's values, and templates receive exactly the context `templates context` prints and
//! docs/template-context.md documents.

mod common;

use std::collections::BTreeSet;

use chartwright::pipeline::{self, Inputs};
use serde_json::Value;

fn yaml(text: &str) -> Value {
    // An empty document (a values file with only comments) is an empty map to Helm.
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Value::Object(Default::default());
    }
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn values_files_are_the_plans_values() {
    for spec in common::examples() {
        let (plan, files) = pipeline::generate(&Inputs {
            spec: spec.clone(),
            ..Inputs::default()
        })
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        for s in &plan.services {
            let path = format!("charts/{}/values.yaml", s.name);
            let text = files.get(&path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(
                yaml(text),
                serde_json::to_value(&s.base).unwrap(),
                "{}: {path} is not the plan's base values",
                spec.display()
            );
            for e in &s.environments {
                let path = format!("charts/{}/values-{}.yaml", s.name, e.env);
                let text = files.get(&path).unwrap_or_else(|| panic!("{path}"));
                assert_eq!(
                    yaml(text),
                    e.overrides,
                    "{}: {path} is not the plan's overrides",
                    spec.display()
                );
            }
        }
    }
}

/// Every path of a JSON value, as docs/template-context.md writes them (`a.b`, `a[].b`).
fn paths(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                out.insert(p.clone());
                paths(v, &p, out);
            }
        }
        Value::Array(items) => {
            let item_path = format!("{at}[]");
            for item in items {
                out.insert(item_path.clone());
                paths(item, &item_path, out);
            }
        }
        _ => {}
    }
}

/// The documented paths; maps with free keys (labels, env…) are documented as a whole.
fn documented() -> BTreeSet<String> {
    chartwright::render::context_doc()
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| `")?
                .split_once('`')
                .map(|(p, _)| p.to_string())
        })
        .collect()
}

#[test]
fn templates_receive_the_documented_context() {
    let documented = documented();
    let mut seen = BTreeSet::new();
    for spec in common::examples() {
        let (plan, _) = pipeline::generate(&Inputs {
            spec: spec.clone(),
            ..Inputs::default()
        })
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        let schema = chartwright::render::values_schema();
        let services = (0..plan.services.len()).map(Some).chain([None]);
        for s in services {
            for e in (0..plan.environments.len()).map(Some).chain([None]) {
                let received = chartwright::render::received_context(&plan, s, e);
                let printed = serde_json::to_value(chartwright::render::context(
                    &plan,
                    s.map(|s| &plan.services[s]),
                    e.map(|e| &plan.environments[e]),
                    &schema,
                    true,
                ))
                .unwrap();
                assert_eq!(
                    received,
                    printed,
                    "{}: service {s:?}, env {e:?}: templates receive another context than `templates context` prints",
                    spec.display()
                );
                let mut found = BTreeSet::new();
                paths(&received, "", &mut found);
                for p in &found {
                    // A map's keys are data (`labels.<key>`); a JSON Schema and the overrides
                    // (a part of the values) are documented whole.
                    let documented_here = documented.contains(p)
                        // The items of a documented list of pairs (`environment[]`).
                        || p.strip_suffix("[]").is_some_and(|l| l.ends_with("[]") && documented.contains(l))
                        || documented.iter().any(|d| {
                            d.split_once("<key>").is_some_and(|(prefix, suffix)| {
                                p.starts_with(prefix) && p.ends_with(suffix)
                            })
                        })
                        // A Kubernetes-typed value (tolerations, affinity, HPA behavior) is
                        // documented whole: a documented leaf whose children are data.
                        || documented.iter().any(|d| {
                            let (whole, inside) = (format!("{d}."), format!("{d}[]"));
                            (p.starts_with(&whole) || p.starts_with(&inside))
                                && !documented
                                    .iter()
                                    .any(|o| o.starts_with(&whole) || o.starts_with(&inside))
                        })
                        || [
                            "values_schema",
                            "overrides",
                            "services[].environments[].overrides",
                            "service.environments[].overrides",
                        ]
                        .iter()
                        .any(|whole| p.starts_with(&format!("{whole}.")));
                    assert!(
                        documented_here,
                        "{}: `{p}` reaches templates but is not documented",
                        spec.display()
                    );
                }
                seen.extend(found);
            }
        }
    }
    // Every documented field reaches templates in at least one example.
    let missing: Vec<&String> = documented
        .iter()
        .filter(|d| !d.contains("<key>") && !seen.contains(*d))
        .collect();
    assert!(
        missing.is_empty(),
        "documented but never received: {missing:?}"
    );
}

/// The pipeline flows one way: a stage never reads a later one. `spec` once imported the plan's
/// namespace and injected-variable rules; the plan now hands those decisions to the spec's rules.
#[test]
fn no_stage_imports_a_later_stage() {
    let stages = ["spec", "plan", "render", "output"];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (i, stage) in stages.iter().enumerate() {
        let mut files = vec![root.join(stage)];
        let mut offenders = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                // `FileSet` is the hand-off between render and output: render fills it, output
                // writes it. Naming it is not reading the later stage's decisions.
                let text = std::fs::read_to_string(&path)
                    .unwrap()
                    .replace("crate::output::FileSet", "");
                for later in &stages[i + 1..] {
                    if text.contains(&format!("crate::{later}::"))
                        || text.contains(&format!("crate::{later};"))
                        || text.contains(&format!("crate::{{{later}"))
                    {
                        offenders.push(format!("{} uses crate::{later}", path.display()));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "{stage} reads a later stage: {offenders:#?}"
        );
    }
}

/// Small modules with names that explain themselves (the guide): a source file over 400 lines
/// says why at its top, in its `//!` header ("Over 400 lines on purpose: …"), or is split by
/// concern.
#[test]
fn no_source_file_is_over_400_lines_without_a_reason_at_its_top() {
    const LIMIT: usize = 400;
    let root = common::root();
    let mut dirs = vec![root.join("src")];
    let mut offenders = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines = text.lines().count();
            let reason = text
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .any(|l| l.contains("400 lines on purpose:"));
            if lines > LIMIT && !reason {
                offenders.push(format!("{rel}: {lines} lines"));
            }
        }
    }
    offenders.sort();
    assert!(
        offenders.is_empty(),
        "split these by concern, or say at the top why they are long \
         (`//! Over 400 lines on purpose: …`): {offenders:#?}"
    );
}
