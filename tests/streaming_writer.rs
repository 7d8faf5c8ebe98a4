//! The writer that renders, compares and stages service by service (issue 17): it keeps every
//! guarantee of the output stage although no unit's files are held once decided. A refusal
//! found in the last service still writes nothing; a run killed while renaming leaves a tree
//! that `check` reports as interrupted and the next `generate` repairs; a failure while
//! staging leaves the tree exactly as it was. Memory is measured by `scripts/bench-scale`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chartwright::output::{self, Fault, OutputError, WriteOptions};
use chartwright::pipeline::{self, Generation, Inputs};
use common::cli::Project;

/// A spec of `n` services (each with a dependency and an ingress) at image tag `tag`.
fn spec(n: usize, tag: &str) -> String {
    let mut s = String::from(
        "version: 1\napp: big\nbacking:\n  postgres: { kind: postgres, version: \"16\" }\nservices:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  svc-{i}:\n    image: registry.example.com/big/svc-{i}:{tag}\n    ports: [{{ name: http, port: 8080 }}]\n    depends_on: [postgres]\n    ingress: {{ host: svc-{i}.example.com }}\n"
        ));
    }
    s.push_str("environments:\n  dev: { replicas: 1 }\n  prod: { replicas: 2 }\n");
    s
}

/// Writes `spec_file` into `out` through the streaming source, with an optional fault.
fn write(
    spec_file: &Path,
    out: &Path,
    fault: Option<Fault>,
) -> Result<output::WriteReport, pipeline::Error> {
    let inputs = Inputs {
        spec: spec_file.to_owned(),
        out: Some(out.to_owned()),
        ..Default::default()
    };
    let (plan, templates) = pipeline::plan(&inputs).unwrap();
    let plan = std::sync::Arc::new(plan);
    let generation = Generation::new(&plan, &templates, &inputs).unwrap();
    output::write_with_fault(&generation, out, &WriteOptions::default(), fault)
}

/// The user-visible files under `out`.
fn visible(out: &Path) -> BTreeMap<String, Vec<u8>> {
    common::snapshot(out)
        .into_iter()
        .filter(|(k, v)| !k.starts_with(".chartwright") && v != b"<dir>")
        .collect()
}

fn temporaries(out: &Path) -> Vec<String> {
    common::snapshot(out)
        .into_keys()
        .filter(|k| k.contains("chartwright-tmp") || k.contains("spool"))
        .collect()
}

#[test]
fn a_foreign_file_in_the_last_service_refuses_the_whole_run_before_anything_is_written() {
    let p = Project::with_spec(&spec(5, "1.0.0"));
    p.run(["generate", "-q"]).succeeds();
    // svc-5 is new: its chart folder holds a file chartwright never wrote.
    let p = p
        .file("chartwright.yaml", &spec(6, "2.0.0"))
        .file("deploy/charts/svc-5/values.yaml", "mine: true\n");
    let before = common::snapshot(&p.join("deploy"));
    p.run(["generate"])
        .fails(2)
        .stderr_has("deploy/charts/svc-5/values.yaml");
    assert_eq!(
        common::snapshot(&p.join("deploy")),
        before,
        "nothing written"
    );
}

#[test]
fn a_failure_while_staging_leaves_the_tree_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    fs::write(&a, spec(4, "1.0.0")).unwrap();
    fs::write(&b, spec(4, "2.0.0")).unwrap();
    let out = dir.path().join("deploy");
    write(&a, &out, None).unwrap();
    let before = common::snapshot(&out);
    for n in [0, 7, 40] {
        let err = write(&b, &out, Some(Fault::Stage(n))).unwrap_err();
        assert!(
            matches!(err, pipeline::Error::Output(OutputError::Io { .. })),
            "{err:?}"
        );
        assert_eq!(common::snapshot(&out), before, "stage fault {n}");
    }
}

#[test]
fn a_run_killed_while_renaming_is_drift_and_the_next_generate_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (d.join("a.yaml"), d.join("b.yaml"));
    fs::write(&a, spec(3, "1.0.0")).unwrap();
    fs::write(&b, spec(3, "2.0.0")).unwrap();
    let cw = |args: &[&str]| common::cli::chartwright(args).in_dir(d);

    let fresh = d.join("fresh");
    write(&b, &fresh, None).unwrap();
    let expected = visible(&fresh);

    // The number of commit steps, by bisection (a crash past the last step never fires).
    let crashes = |n: usize| {
        let t = tempfile::tempdir().unwrap();
        write(&a, t.path(), None).unwrap();
        write(&b, t.path(), Some(Fault::Crash(n))).is_err()
    };
    let hi = common::commit_steps(crashes);
    for step in [1, hi / 2, hi - 1] {
        let out = d.join("deploy");
        let _ = fs::remove_dir_all(&out);
        write(&a, &out, None).unwrap();
        // A hand edit in a chart, which B's k8s/ must carry once repaired.
        let values = out.join("charts/svc-1/values.yaml");
        let text = fs::read_to_string(&values).unwrap();
        fs::write(
            &values,
            text.replace("\npodLabels: {}\n", "\npodLabels:\n  team: blue\n"),
        )
        .unwrap();
        let err = write(&b, &out, Some(Fault::Crash(step))).unwrap_err();
        assert!(
            matches!(
                err,
                pipeline::Error::Output(OutputError::Interrupted { .. })
            ),
            "step {step}: {err:?}"
        );
        cw(&["check", "-f", "b.yaml"])
            .fails(1)
            .stderr_has("interrupted");
        let report = cw(&["generate", "--format", "json", "-f", "b.yaml"])
            .succeeds()
            .json();
        for list in [
            "conflicted",
            "kept_edited",
            "adopted_edits",
            "derived_edits",
        ] {
            assert_eq!(
                report["files"][list],
                serde_json::json!([]),
                "step {step}: {list}"
            );
        }
        cw(&["check", "-q", "-f", "b.yaml"]).succeeds();
        assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
        assert!(!out.join(".chartwright/pending").exists());
        // Everything as a fresh run of B, but the edit, which reached k8s/ too.
        let now = visible(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &now {
            let edited = path == "charts/svc-1/values.yaml"
                || path.starts_with("k8s/") && path.ends_with("/svc-1.yaml");
            if edited {
                assert!(
                    String::from_utf8_lossy(bytes).contains("team"),
                    "step {step}: {path} carries the edit"
                );
            } else {
                assert_eq!(bytes, &expected[path], "step {step}: {path}");
            }
        }
    }
}
