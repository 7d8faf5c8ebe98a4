//! The command line as users and CI see it: completions, the man page, JSON output shapes,
//! colour, streams, `--quiet` and exit codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chartwright::cli::Cli;
use clap::CommandFactory;
use serde_json::Value;

fn cw(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("chartwright").unwrap();
    c.current_dir(dir).env_remove("NO_COLOR");
    c
}

/// A temporary project holding the quickstart spec.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart/chartwright.yaml");
    std::fs::copy(spec, dir.path().join("chartwright.yaml")).unwrap();
    dir
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

const REPORT_KEYS: [&str; 8] = [
    "created",
    "updated",
    "merged",
    "conflicted",
    "deleted",
    "kept_edited",
    "unchanged",
    "overwritten_edits",
];

#[test]
fn completions_for_every_shell_mention_generate() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = cw(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.trim().is_empty(), "{shell}: empty");
        assert!(text.contains("generate"), "{shell}: no `generate`");
    }
}

#[test]
fn man_page_is_roff_and_covers_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = cw(dir.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
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
    let dir = project();
    let out = cw(dir.path())
        .args(["generate", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    assert_eq!(keys(&v), ["out", "files", "resources"]);
    assert_eq!(v["out"], "deploy");
    let files = keys(&v["files"]);
    assert_eq!(files, REPORT_KEYS);
    assert!(!v["files"]["created"].as_array().unwrap().is_empty());
    let row = &v["resources"][0];
    assert_eq!(
        keys(row),
        [
            "service",
            "env",
            "cpu_request",
            "cpu_limit",
            "memory_request",
            "memory_limit",
            "replicas"
        ]
    );
    assert_eq!(row["service"], "api-server");
}

#[test]
fn check_json_shape_and_exit_codes() {
    let dir = project();
    let out = cw(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing generated yet: drift");
    let v = stdout_json(&out);
    assert_eq!(keys(&v), ["in_sync", "drifted", "diff"]);
    assert_eq!(v["in_sync"], false);
    assert!(!v["drifted"].as_array().unwrap().is_empty());

    cw(dir.path()).args(["generate", "-q"]).assert().success();
    let out = cw(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["in_sync"], true);
    assert_eq!(v["drifted"], serde_json::json!([]));
    assert_eq!(v["diff"], "");
}

#[test]
fn diff_json_shape() {
    let dir = project();
    let out = cw(dir.path())
        .args(["diff", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!(keys(&v), ["diff", "summary", "metadata_changes"]);
    assert_eq!(keys(&v["summary"]), REPORT_KEYS);
    assert!(v["diff"].as_str().unwrap().contains("+++ b/"));
}

#[test]
fn no_color_diff_has_no_ansi_escapes() {
    let dir = project();
    let out = cw(dir.path())
        .env("NO_COLOR", "1")
        .arg("diff")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.is_empty());
    assert!(
        !out.stdout.contains(&0x1b),
        "ANSI escape in NO_COLOR output"
    );
    assert!(!out.stderr.contains(&0x1b));
}

#[test]
fn errors_go_to_stderr_with_their_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // No spec: invalid input, 2.
    let out = cw(dir.path()).arg("generate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
    // Drift: 1, the diff on stdout and the explanation on stderr.
    let dir = project();
    let out = cw(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chartwright generate"));
    // Output path is a file: I/O, 3.
    std::fs::write(dir.path().join("deploy"), "not a directory").unwrap();
    let out = cw(dir.path()).arg("generate").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.is_empty());
    // Usage: 2.
    let out = cw(dir.path())
        .args(["generate", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = project();
    for args in [
        &["generate", "-q"][..],
        &["check", "--quiet"],
        &["validate", "-q"],
        &["-q", "generate"],
    ] {
        let out = cw(dir.path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn validate_exit_codes_and_json() {
    let dir = project();
    cw(dir.path()).arg("validate").assert().code(0);
    let out = cw(dir.path())
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["errors"], serde_json::json!([]));

    std::fs::write(
        dir.path().join("bad.yaml"),
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/a:1\n    imgae: x\n",
    )
    .unwrap();
    let out = cw(dir.path())
        .args(["validate", "-f", "bad.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml:6:5"), "no file:line:col in: {err}");

    let out = cw(dir.path())
        .args(["validate", "-f", "bad.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = stdout_json(&out);
    assert_eq!(v["valid"], false);
    // Every error at once: the missing ports (line 4) and the unknown key (line 6).
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["path"], "services.api.ports");
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
        assert_eq!(h["files"], "chartwright\\.yaml$");
    }
}
