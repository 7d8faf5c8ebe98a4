//! Messages in the spec's own words: no parser internals, no secret values (issue 18 items 2
//! and 15). The catalogue (tests/bad_specs/) pins each diagnostic; these check the rendered
//! report, and the cases a catalogue file cannot hold.

mod common;

use std::fmt::Write as _;

use chartwright::spec;
use common::cli::Project;

const HEAD: &str = "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/shop/api:1.4.2\n    ports: [{ name: http, port: 3000 }]\n";

/// Words only the parser's authors would use.
const INTERNALS: &[&str] = &[
    "untagged enum",
    "did not match any variant",
    "budget breached",
    "Nodes {",
    "ScalarBytes",
    "<input>",
    "parser limit:",
];

fn assert_in_own_words(report: &str) {
    for word in INTERNALS {
        assert!(!report.contains(word), "{word:?} in:\n{report}");
    }
}

#[test]
fn a_plaintext_secret_value_is_never_echoed() {
    for (tail, secret) in [
        ("    secrets: [{X: hunter2}]\n", "hunter2"),
        (
            "    secrets:\n      - JWT_SECRET: s3cr3t-value\n",
            "s3cr3t-value",
        ),
        (
            "    secrets:\n      - \"JWT\": \"s3cr3t: with colon\"\n",
            "s3cr3t",
        ),
        ("    env:\n      DB_PASSWORD: hunter2\n", "hunter2"),
        (
            "    env: { API_TOKEN: tok-hunter2, LOG: x }\n",
            "tok-hunter2",
        ),
        (
            "    secrets:\n      - API_KEYS: [k1-hunter2]\n",
            "k1-hunter2",
        ),
        (
            "environments:\n  prod:\n    overrides:\n      api:\n        env: { STRIPE_API_KEY: sk_live_123 }\n",
            "sk_live_123",
        ),
    ] {
        let text = format!("{HEAD}{tail}");
        let err = spec::parse("s.yaml", &text).unwrap_err();
        let report = err.to_string();
        assert!(report.contains("<redacted>"), "{report}");
        assert!(!report.contains(secret), "{secret:?} echoed:\n{report}");
        for d in &err.diagnostics {
            assert!(!d.message.contains(secret), "{d:?}");
            assert!(!d.hint.as_deref().unwrap_or("").contains(secret), "{d:?}");
        }
    }
}

#[test]
fn the_catalogue_speaks_in_the_spec_s_own_words() {
    let dir = common::root().join("tests/bad_specs");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = spec::parse("s.yaml", &text) {
            assert_in_own_words(&e.to_string());
        }
    }
}

/// A file with far too many nodes (20k errors' worth): the limit is said in words, where it
/// was reached.
#[test]
fn the_node_limit_is_reported_in_words() {
    let mut text = format!("{HEAD}    env:\n");
    for i in 0..110_000 {
        writeln!(text, "      V{i}: x").unwrap();
    }
    let err = spec::parse("big.yaml", &text).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let d = &err.diagnostics[0];
    assert_eq!(d.kind, spec::ErrorKind::Limit);
    assert!(d.message.contains("more than 200000 YAML nodes"), "{d:?}");
    assert!(d.line > 0, "{d:?}");
    assert_in_own_words(&err.to_string());
}

/// `chartwright-overlay.yaml` is read as strictly as a spec: an alias bomb there is cut off
/// and reported at its line in the overlay file, not as "budget breached … at <input>".
#[test]
fn an_overlay_alias_bomb_is_reported_in_words_at_its_line() {
    // One long value, repeated by aliases far past what any file holds.
    let mut config = format!("exclude:\n  - &big \"{}\"\n", "x".repeat(100_000));
    config.push_str(&"  - *big\n".repeat(500));
    let ran = Project::example("quickstart")
        .file("overlay/chartwright-overlay.yaml", &config)
        .run(["validate", "--templates", "overlay"])
        .within(std::time::Duration::from_secs(10))
        .fails(2)
        .stderr_has("aliases")
        .stderr_has("overlay/chartwright-overlay.yaml:");
    assert_in_own_words(&ran.stderr());
}

#[test]
fn overlay_config_mistakes_are_located() {
    Project::example("quickstart")
        .file(
            "overlay/chartwright-overlay.yaml",
            "exclude: []\nexlude: [x]\n",
        )
        .run(["validate", "--templates", "overlay"])
        .fails(2)
        .stderr_has("overlay/chartwright-overlay.yaml:2:1")
        .stderr_has("did you mean `exclude`?");
}
