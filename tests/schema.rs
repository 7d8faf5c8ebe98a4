//! `chartwright schema`: the committed schema file matches the types, the examples validate
//! against it, and type errors are refused by both the schema and the validator.

mod common;

use std::path::{Path, PathBuf};

use chartwright::schema::spec_schema;
use common::cli::{Project, chartwright};
use common::root;

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&spec_schema()).expect("the schema is a valid JSON Schema")
}

fn as_json(yaml: &str) -> serde_json::Value {
    let mut docs = chartwright::yaml::parse_documents(yaml).expect("test YAML parses");
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

fn schema_errors(yaml: &str) -> Vec<String> {
    validator()
        .iter_errors(&as_json(yaml))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schema_file_matches_the_types() {
    let path = root().join("chartwright.schema.json");
    let printed = chartwright(["schema"]).succeeds().stdout();
    assert_eq!(printed, chartwright::schema::spec_schema_text());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == printed,
        "chartwright.schema.json is out of date with the spec types; run \
         `UPDATE_SCHEMA=1 cargo test --test schema` (or `chartwright schema --write chartwright.schema.json`) and commit it"
    );
}

#[test]
fn schema_write_writes_the_file() {
    let p = Project::empty();
    let path = p.join("s.json");
    chartwright(["schema", "--write"]).arg(&path).succeeds();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        chartwright::schema::spec_schema_text()
    );
}

#[test]
fn schema_describes_every_field_with_an_example() {
    fn walk(v: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
        if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
            for (name, field) in props {
                let here = format!("{at}.{name}");
                if field.get("description").is_none() || field.get("examples").is_none() {
                    missing.push(here.clone());
                }
                walk(field, &here, missing);
            }
        }
        if let Some(defs) = v.get("definitions").and_then(|d| d.as_object()) {
            for (name, def) in defs {
                walk(def, name, missing);
            }
        }
    }
    let mut missing = Vec::new();
    walk(&spec_schema(), "", &mut missing);
    assert!(
        missing.is_empty(),
        "fields without a description or example: {missing:?}"
    );
    let s = spec_schema();
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(
        s["definitions"]["ServiceSpec"]["additionalProperties"],
        false
    );
}

fn example_specs() -> Vec<PathBuf> {
    let out = common::examples();
    assert!(!out.is_empty());
    out
}

#[test]
fn every_example_validates_against_the_schema() {
    for path in example_specs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let errors = schema_errors(&text);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        chartwright::spec::parse(&path.display().to_string(), &text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn examples_point_at_the_committed_schema() {
    for path in example_specs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: no $schema modeline", path.display()));
        let resolved = path.parent().unwrap().join(target);
        assert!(
            Path::new(&resolved).exists(),
            "{}: {target} does not exist",
            path.display()
        );
    }
}

const BASE: &str = "version: 1\napp: shop\n";

/// A valid service body; `$SVC` in a case stands for it.
const SVC: &str = "image: r.example.com/a:1, ports: [{ name: http, port: 3000 }]";

/// Specs with the wrong shape, each otherwise valid: refused by the schema, and by `spec::parse`
/// with a diagnostic of the given kind (so not for some unrelated reason).
const TYPE_ERRORS: &[(&str, &str, &str)] = &[
    (
        "version is a string",
        "syntax",
        "version: one\napp: shop\nservices: { api: { $SVC } }\n",
    ),
    (
        "missing app",
        "syntax",
        "version: 1\nservices: { api: { $SVC } }\n",
    ),
    (
        "unknown top-level key",
        "unknown-field",
        "services: { api: { $SVC } }\nservice: {}\n",
    ),
    (
        "service without image",
        "syntax",
        "services: { api: { ports: [{ name: http, port: 3000 }] } }\n",
    ),
    (
        "unknown service key",
        "unknown-field",
        "services: { api: { $SVC, imgae: x } }\n",
    ),
    (
        "port is not a number",
        "syntax",
        "services: { api: { image: r.example.com/a:1, ports: [{ name: http, port: http }] } }\n",
    ),
    (
        "ports is a map",
        "syntax",
        "services: { api: { image: r.example.com/a:1, ports: { http: 3000 } } }\n",
    ),
    (
        "replicas is a boolean",
        "syntax",
        "services: { api: { $SVC } }\nenvironments: { prod: { replicas: true } }\n",
    ),
    (
        "autoscaling without max",
        "syntax",
        "services: { api: { $SVC } }\nenvironments: { prod: { autoscaling: { min: 2 } } }\n",
    ),
    (
        "env value is a list",
        "syntax",
        "services: { api: { $SVC, env: { A: [1, 2] } } }\n",
    ),
    (
        "plaintext secret",
        "secret",
        "services: { api: { $SVC, secrets: [{ JWT_SECRET: hunter2 }] } }\n",
    ),
    (
        "backing without version",
        "syntax",
        "services: { api: { $SVC } }\nbacking: { postgres: { kind: postgres } }\n",
    ),
    (
        "tls is a string",
        "syntax",
        "services: { api: { $SVC } }\nenvironments: { prod: { ingress: { tls: yes } } }\n",
    ),
];

#[test]
fn type_errors_are_refused_by_both_the_schema_and_the_validator() {
    let validator = validator();
    let mut failures = Vec::new();
    for (name, kind, body) in TYPE_ERRORS {
        let body = body.replace("$SVC", SVC);
        let text = if body.starts_with("version") {
            body
        } else {
            format!("{BASE}{body}")
        };
        let value = as_json(&text);
        if validator.is_valid(&value) {
            failures.push(format!("{name}: the schema accepts it"));
        }
        match chartwright::spec::parse("t.yaml", &text) {
            Ok(_) => failures.push(format!("{name}: spec::parse accepts it")),
            Err(e) => {
                let kinds: Vec<String> = e
                    .diagnostics
                    .iter()
                    .map(|d| {
                        serde_json::to_value(d.kind)
                            .unwrap()
                            .as_str()
                            .unwrap()
                            .to_string()
                    })
                    .collect();
                if !kinds.iter().any(|k| k == kind) {
                    failures.push(format!("{name}: expected a `{kind}` error, got:\n{e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_minimal_spec_is_accepted_by_both() {
    let text = format!(
        "{BASE}services: {{ api: {{ {SVC}, env: {{ PORT: 3000, DEBUG: true, RATIO: 0.5, NAME: x }} }} }}\n"
    );
    assert_eq!(schema_errors(&text), Vec::<String>::new());
    chartwright::spec::parse("t.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
}
