//! The binary as users and CI call it: exit codes, messages, and what lands on disk.

mod common;

use common::cli::{Project, chartwright};

#[test]
fn generate_writes_the_tree_and_prints_the_resource_table() {
    let p = Project::example("quickstart");
    p.run(["generate"])
        .succeeds()
        .stdout_has("SERVICE")
        .stdout_has("2-20 (HPA 70%)");
    for f in ["docker-compose.yml", ".env.example", ".chartwright/state"] {
        assert!(p.join("deploy").join(f).is_file(), "{f} missing");
    }
}

#[test]
fn a_bad_spec_exits_2_names_file_line_and_field_and_writes_nothing() {
    let p = Project::with_spec(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:latest\n    ports: [{ name: http, port: 80 }]\n",
    );
    p.run(["generate"])
        .fails(2)
        .stderr_has("chartwright.yaml:5:12")
        .stderr_has("services.api.image")
        .stderr_has("latest");
    assert!(
        !p.join("deploy").exists(),
        "nothing may be written for a bad spec"
    );
}

#[test]
fn unknown_keys_get_a_did_you_mean_hint() {
    let p = Project::with_spec("version: 1\napp: shop\nservices:\n  api:\n    imgae: api:1.0.0\n");
    p.run(["validate"])
        .fails(2)
        .stderr_has("did you mean `image`?")
        .stderr_has(":5:5");
}

#[test]
fn check_passes_on_a_fresh_tree_and_fails_on_drift() {
    let p = Project::example("quickstart");
    p.run(["generate"]).succeeds();
    p.run(["check"]).succeeds();
    let spec = p.join("chartwright.yaml");
    let text = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("LOG_LEVEL: info", "LOG_LEVEL: debug");
    std::fs::write(&spec, text).unwrap();
    p.run(["check"]).fails(1).stdout_has("debug");
}

#[test]
fn validate_accepts_every_example() {
    for spec in common::examples() {
        chartwright(["validate", "-f"]).arg(&spec).succeeds();
    }
}

#[test]
fn a_missing_spec_is_a_clear_error() {
    Project::empty()
        .run(["validate"])
        .fails(2)
        .stderr_has("chartwright.yaml")
        .stderr_has("cannot read");
}
