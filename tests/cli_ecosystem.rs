//! The command line as users and CI see it: completions, the man page, JSON output shapes,
//! colour, streams, `--quiet` and exit codes.

mod common;

use std::path::PathBuf;

use chartwright::cli::Cli;
use clap::CommandFactory;
use common::cli::Project;
use serde_json::Value;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

const REPORT_KEYS: [&str; 10] = [
    "created",
    "updated",
    "merged",
    "conflicted",
    "deleted",
    "kept_edited",
    "unchanged",
    "overwritten_edits",
    "adopted_edits",
    "derived_edits",
];

#[test]
fn completions_for_every_shell_mention_generate() {
    let p = Project::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = p.run(["completions", shell]).succeeds().stdout();
        assert!(!text.trim().is_empty(), "{shell}: empty");
        assert!(text.contains("generate"), "{shell}: no `generate`");
    }
}

#[test]
fn man_page_is_roff_and_covers_every_subcommand() {
    let text = Project::empty().run(["man"]).succeeds().stdout();
    assert!(
        text.starts_with(".ie") || text.starts_with(".TH"),
        "not roff: {}",
        &text[..40.min(text.len())]
    );
    assert!(text.contains(".TH chartwright"));
    for sub in Cli::command().get_subcommands() {
        let name = sub.get_name();
        assert!(
            text.contains(&format!(".TH chartwright-{name}")),
            "no section for {name}"
        );
    }
}

#[test]
fn generate_json_shape() {
    let v = Project::example("quickstart")
        .run(["generate", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(keys(&v), ["out", "files", "resources", "notes"]);
    assert_eq!(v["out"], "deploy");
    let files = keys(&v["files"]);
    assert_eq!(files, REPORT_KEYS);
    assert!(!v["files"]["created"].as_array().unwrap().is_empty());
    let row = &v["resources"][0];
    assert_eq!(
        keys(row),
        [
            "service",
            "kind",
            "env",
            "cpu_request",
            "cpu_limit",
            "memory_request",
            "memory_limit",
            "replicas",
            "storage"
        ]
    );
    assert_eq!(row["service"], "api-server");
    // Then one total per environment, named after its namespace.
    let rows = v["resources"].as_array().unwrap();
    assert_eq!(rows.last().unwrap()["service"], "= quickstart-prod");
}

#[test]
fn check_json_shape_and_exit_codes() {
    let p = Project::example("quickstart");
    // Nothing generated yet: drift.
    let v = p.run(["check", "--format", "json"]).fails(1).json();
    assert_eq!(
        keys(&v),
        ["in_sync", "drifted", "diff", "record", "derived_edits"]
    );
    assert_eq!(v["in_sync"], false);
    assert!(!v["drifted"].as_array().unwrap().is_empty());

    p.run(["generate", "-q"]).succeeds();
    let v = p.run(["check", "--format", "json"]).succeeds().json();
    assert_eq!(v["in_sync"], true);
    assert_eq!(v["drifted"], serde_json::json!([]));
    assert_eq!(v["diff"], "");
}

#[test]
fn diff_json_shape() {
    let v = Project::example("quickstart")
        .run(["diff", "--format", "json"])
        .succeeds()
        .json();
    assert_eq!(keys(&v), ["diff", "summary", "metadata_changes"]);
    assert_eq!(keys(&v["summary"]), REPORT_KEYS);
    assert!(v["diff"].as_str().unwrap().contains("+++ b/"));
}

#[test]
fn no_color_diff_has_no_ansi_escapes() {
    let out = Project::example("quickstart")
        .run(["diff"])
        .env("NO_COLOR", "1")
        .succeeds();
    assert!(!out.stdout.is_empty());
    assert!(
        !out.stdout.contains(&0x1b),
        "ANSI escape in NO_COLOR output"
    );
    assert!(!out.stderr.contains(&0x1b));
}

#[test]
fn errors_go_to_stderr_with_their_exit_code() {
    // No spec: invalid input, 2.
    Project::empty()
        .run(["generate"])
        .fails(2)
        .stdout_is_empty()
        .stderr_has("error");
    // Drift: 1, the diff on stdout and the explanation on stderr.
    let p = Project::example("quickstart");
    p.run(["check"]).fails(1).stderr_has("chartwright generate");
    // Output path is a file: I/O, 3.
    std::fs::write(p.join("deploy"), "not a directory").unwrap();
    let out = p.run(["generate"]).fails(3).stdout_is_empty();
    assert!(!out.stderr.is_empty());
    // Usage: 2.
    p.run(["generate", "--no-such-flag"])
        .fails(2)
        .stdout_is_empty();
}

#[test]
fn quiet_prints_nothing_on_success() {
    let p = Project::example("quickstart");
    for args in [
        &["generate", "-q"][..],
        &["check", "--quiet"],
        &["validate", "-q"],
        &["-q", "generate"],
    ] {
        p.run(args).succeeds().stdout_is_empty().stderr_is_empty();
    }
}

#[test]
fn validate_exit_codes_and_json() {
    let p = Project::example("quickstart").file(
        "bad.yaml",
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/a:1\n    imgae: x\n    kind: cronjob\n",
    );
    p.run(["validate"]).succeeds();
    let v = p.run(["validate", "--format", "json"]).succeeds().json();
    assert_eq!(v["valid"], true);
    assert_eq!(v["errors"], serde_json::json!([]));

    p.run(["validate", "-f", "bad.yaml"])
        .fails(2)
        .stderr_has("bad.yaml:6:5");

    let v = p
        .run(["validate", "-f", "bad.yaml", "--format", "json"])
        .fails(2)
        .json();
    assert_eq!(v["valid"], false);
    // Every error at once: the cron job's missing schedule (at the service, line 4) and the
    // unknown key (line 6).
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["path"], "services.api.schedule");
    let e = &errors[1];
    assert_eq!(
        keys(e),
        ["kind", "path", "line", "column", "message", "hint"]
    );
    assert_eq!(e["kind"], "unknown-field");
    assert_eq!(e["path"], "services.api.imgae");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(6), Some(5))
    );
}

#[test]
fn pre_commit_hooks_run_validate_and_check() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let hooks =
        chartwright::yaml::parse_documents(&std::fs::read_to_string(path).unwrap()).unwrap();
    let hooks = hooks[0].as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["chartwright-validate", "chartwright-check"]);
    for (h, entry) in hooks
        .iter()
        .zip(["chartwright validate", "chartwright check"])
    {
        assert_eq!(h["entry"], entry);
        assert_eq!(h["language"], "rust");
        assert_eq!(h["pass_filenames"], false);
        // Issue 16: a `files: chartwright\.yaml$` filter missed changes to an overlay, the
        // defaults file and the generated tree.
        assert_eq!(h["always_run"], true);
    }
}
