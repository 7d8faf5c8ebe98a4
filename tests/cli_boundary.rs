//! The boundary between a run and the terminal: a closed pipe, one JSON document per run
//! (errors included), one exit code per kind of error, the `error:` prefix once.

mod common;

use common::cli::{Project, chartwright};
use serde_json::Value;

/// A pipe whose reading end is closed before chartwright starts: every write to it fails with
/// EPIPE, as when `head` has read its line and gone.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_success() {
    let p = Project::example("quickstart");
    for args in [
        &["schema"][..],
        &["templates", "context"],
        &["diff", "--format", "json"],
        &["diff"],
        &["generate"],
        &["validate"],
        &["templates", "list"],
        &["completions", "bash"],
        &["man"],
    ] {
        p.run(args)
            .stdout_to(closed_pipe())
            .succeeds()
            .stderr_is_empty();
    }
}

#[test]
fn a_closed_stdout_does_not_hide_drift() {
    let p = Project::example("quickstart");
    p.run(["check"])
        .stdout_to(closed_pipe())
        .fails(1)
        .stderr_has("chartwright generate");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_io_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    Project::example("quickstart")
        .run(["schema"])
        .stdout_to(full)
        .fails(3)
        .stderr_has("error: cannot write to standard output");
}

fn error_document(v: &Value, code: i64) -> &Value {
    let e = &v["error"];
    assert_eq!(e["exit_code"], code, "{v}");
    let errors = e["errors"].as_array().unwrap_or_else(|| panic!("{v}"));
    assert!(!errors.is_empty(), "{v}");
    for d in errors {
        assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert!(!d["message"].as_str().unwrap().contains("error:"), "{v}");
    }
    e
}

/// Every command that takes `--format json`, given input it cannot use, prints exactly one JSON
/// document on stdout, and the error once, with one `error:`, on stderr.
#[test]
fn json_mode_prints_one_document_for_every_failure() {
    let p = Project::example("quickstart").file("bad.yaml", "version: 1\napp: Shop\n");
    for command in ["generate", "check", "diff"] {
        for (args, code, says) in [
            (&["--templates", "/nonexistent"][..], 2, "template overlay"),
            (&["-f", "bad.yaml"], 2, "bad.yaml"),
            (&["-f", "missing.yaml"], 2, "cannot read"),
            (&["--defaults", "/nonexistent.yaml"], 2, "defaults"),
            (&["--no-such-flag"], 2, "--no-such-flag"),
        ] {
            let ran = p.run([command, "--format", "json"]).args(args).fails(code);
            let doc = ran.json();
            let e = error_document(&doc, code.into());
            assert!(e.to_string().contains(says), "{command} {args:?}: {e}");
            let stderr = ran.stderr();
            let starts = stderr.lines().filter(|l| l.starts_with("error:")).count();
            assert!(
                starts >= 1 && starts == stderr.matches("error:").count(),
                "{command} {args:?}: every error: starts a line, none is doubled: {stderr}"
            );
            assert!(!stderr.contains("error: error"), "{stderr}");
        }
    }
    // validate keeps its own shape for every failure, not only a spec's.
    for args in [
        &["--templates", "/nonexistent"][..],
        &["-f", "bad.yaml"],
        &["-f", "missing.yaml"],
        &["--defaults", "/nonexistent.yaml"],
    ] {
        let ran = p.run(["validate", "--format", "json"]).args(args).fails(2);
        let v = ran.json();
        assert_eq!(v["valid"], false, "{args:?}: {v}");
        assert!(!v["errors"].as_array().unwrap().is_empty(), "{args:?}: {v}");
        assert!(!ran.stderr().contains("error: error"), "{}", ran.stderr());
    }
    // An output directory that cannot be written: I/O, still one document.
    std::fs::write(p.join("deploy"), "a file").unwrap();
    let v = p.run(["generate", "--format", "json"]).fails(3).json();
    error_document(&v, 3);
}

#[test]
fn the_validate_overlay_error_names_the_overlay_once() {
    Project::example("quickstart")
        .run(["validate", "--templates", "/nonexistent"])
        .fails(2)
        .stderr_has("error: template overlay /nonexistent: not a directory")
        .stderr_lacks("error: error");
}

#[test]
fn init_reports_a_failed_write_as_io() {
    let p = Project::empty();
    std::fs::create_dir(p.join("ro")).unwrap();
    // The spec path's folder does not exist: the write fails after every answer was valid.
    p.run([
        "init",
        "--yes",
        "--no-generate",
        "--app",
        "shop",
        "--name",
        "api",
        "--image",
        "registry.example.com/shop/api:1.0.0",
        "--port",
        "8080",
        "-f",
        "no/such/dir/chartwright.yaml",
    ])
    .fails(3)
    .stderr_has("error: cannot write no/such/dir/chartwright.yaml");
}

#[test]
fn init_refusals_are_usage_errors() {
    Project::empty()
        .run(["init", "--yes", "--app", "Not A Name"])
        .fails(2)
        .stderr_has("error: --app");
}

#[test]
fn help_and_version_print_on_stdout_and_succeed() {
    chartwright(["--help"]).succeeds().stdout_has("Exit codes");
    chartwright(["--version"])
        .succeeds()
        .stdout_has("chartwright");
}

/// Issue 18 item 4: seven `**?` took 14 s and each more doubled it; thirty end at once now
/// (the deadline is generous; the old matcher would need centuries).
#[test]
fn an_exponential_exclude_pattern_ends_at_once() {
    let pattern = format!("{}#", "**?".repeat(30));
    Project::example("quickstart")
        .file(
            "overlay/chartwright-overlay.yaml",
            &format!("exclude: [\"{pattern}\"]\n"),
        )
        .run(["validate", "--templates", "overlay"])
        .within(std::time::Duration::from_secs(10))
        .fails(2)
        .stderr_has("matches no embedded template");
}
