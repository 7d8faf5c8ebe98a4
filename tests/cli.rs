//! The binary as users and CI call it: exit codes, messages, and what lands on disk.

mod common;

use assert_cmd::Command;

fn chartwright() -> Command {
    Command::cargo_bin("chartwright").unwrap()
}

fn quickstart() -> std::path::PathBuf {
    common::root().join("examples/quickstart/chartwright.yaml")
}

#[test]
fn generate_writes_the_tree_and_prints_the_resource_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deploy");
    let assert = chartwright()
        .arg("generate")
        .arg("-f")
        .arg(quickstart())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("SERVICE") && stdout.contains("2-20 (HPA 70%)"),
        "{stdout}"
    );
    for f in ["docker-compose.yml", ".env.example", ".chartwright/state"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

#[test]
fn a_bad_spec_exits_2_names_file_line_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chartwright.yaml");
    std::fs::write(
        &spec,
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:latest\n    ports: [{ name: http, port: 80 }]\n",
    )
    .unwrap();
    let out = dir.path().join("deploy");
    let assert = chartwright()
        .arg("generate")
        .arg("-f")
        .arg(&spec)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("chartwright.yaml:5:12"), "{stderr}");
    assert!(
        stderr.contains("services.api.image") && stderr.contains("latest"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written for a bad spec");
}

#[test]
fn unknown_keys_get_a_did_you_mean_hint() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chartwright.yaml");
    std::fs::write(
        &spec,
        "version: 1\napp: shop\nservices:\n  api:\n    imgae: api:1.0.0\n",
    )
    .unwrap();
    let assert = chartwright()
        .arg("validate")
        .arg("-f")
        .arg(&spec)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("did you mean `image`?"), "{stderr}");
    assert!(stderr.contains(":5:5"), "{stderr}");
}

#[test]
fn check_passes_on_a_fresh_tree_and_fails_on_drift() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chartwright.yaml");
    std::fs::copy(quickstart(), &spec).unwrap();
    let out = dir.path().join("deploy");
    chartwright()
        .arg("generate")
        .arg("-f")
        .arg(&spec)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    chartwright()
        .arg("check")
        .arg("-f")
        .arg(&spec)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("LOG_LEVEL: info", "LOG_LEVEL: debug");
    std::fs::write(&spec, text).unwrap();
    let assert = chartwright()
        .arg("check")
        .arg("-f")
        .arg(&spec)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("+      LOG_LEVEL: \"debug\"") || stdout.contains("debug"),
        "{stdout}"
    );
}

#[test]
fn validate_accepts_every_example() {
    for spec in common::examples() {
        chartwright()
            .arg("validate")
            .arg("-f")
            .arg(&spec)
            .assert()
            .success();
    }
}

#[test]
fn a_missing_spec_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let assert = chartwright()
        .current_dir(dir.path())
        .arg("validate")
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("chartwright.yaml") && stderr.contains("cannot read"),
        "{stderr}"
    );
}
