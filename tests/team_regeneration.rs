//! Regeneration the way a team uses it (issue 16): two runs at once, a run killed half-way,
//! two branches merged in git, a lost record, an old-format tree, remembered inputs, a
//! renamed service, `build:` contexts, and the CI recipes as documented.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chartwright::output::{self, Fault, FileSet, OutputError, WriteOptions};
use common::cli::{Project, Ran, binary, chartwright};
use common::*;

/// Runs chartwright in `dir`.
fn cw(dir: &Path, args: &[&str]) -> Ran {
    chartwright(args).in_dir(dir).output()
}

fn code(o: &Ran) -> i32 {
    o.code.unwrap_or(-1)
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(dir: &Path, args: &[&str]) -> Ran {
    cw(dir, args).code(0)
}

/// A spec with the given services (name, image tag, port), each depending on nothing.
fn spec(services: &[(&str, &str, u16)]) -> String {
    let mut s = String::from("version: 1\napp: team\nservices:\n");
    for (name, tag, port) in services {
        s.push_str(&format!(
            "  {name}:\n    image: registry.example.com/team/{name}:{tag}\n    ports:\n      - {{ name: http, port: {port} }}\n"
        ));
    }
    s
}

/// The user-visible files under `out` (everything but `.chartwright/`).
fn visible(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(out)
        .into_iter()
        .filter(|(k, v)| !k.starts_with(".chartwright") && v != b"<dir>")
        .collect()
}

fn as_map(files: &FileSet) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(p, c)| (p.to_owned(), c.as_bytes().to_vec()))
        .collect()
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let s = fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, s.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Item 1: the lock, concurrent runs and interrupted runs.

#[test]
fn a_second_run_fails_fast_with_exit_3_while_the_lock_is_held() {
    let dir = Project::with_spec(&spec(&[("api", "1.0.0", 3000)]));
    let d = dir.path();
    ok(d, &["generate", "-q"]);
    let lock_path = d.join("deploy/.chartwright/lock");
    let lock = fs::OpenOptions::new().write(true).open(&lock_path).unwrap();
    lock.lock().unwrap();
    fs::write(d.join("chartwright.yaml"), spec(&[("api", "2.0.0", 3000)])).unwrap();
    let before = snapshot(&d.join("deploy"));

    for args in [&["generate"][..], &["check"], &["diff"]] {
        let o = cw(d, args);
        assert_eq!(code(&o), 3, "{args:?}: {}", o.context());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(".chartwright/lock") && err.contains("locked by another chartwright run"),
            "{err}"
        );
    }
    assert_eq!(snapshot(&d.join("deploy")), before);
    drop(lock);
    ok(d, &["generate", "-q"]);
    ok(d, &["check"]);
}

#[test]
fn concurrent_generates_never_leave_a_tree_check_accepts_unless_it_equals_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names: Vec<String> = (0..30).map(|i| format!("svc{i:02}")).collect();
    let a: Vec<(&str, &str, u16)> = names.iter().map(|n| (n.as_str(), "1.0.0", 3000)).collect();
    let b: Vec<(&str, &str, u16)> = names.iter().map(|n| (n.as_str(), "2.0.0", 4000)).collect();
    fs::write(d.join("a.yaml"), spec(&a)).unwrap();
    fs::write(d.join("b.yaml"), spec(&b)).unwrap();
    let rendered = [
        ("a.yaml", as_map(&generate(&d.join("a.yaml")))),
        ("b.yaml", as_map(&generate(&d.join("b.yaml")))),
    ];

    let mut exits = Vec::new();
    for round in 0..4 {
        // Both at once, each from its own thread.
        let outs: Vec<Ran> = std::thread::scope(|scope| {
            let runs: Vec<_> = ["a.yaml", "b.yaml"]
                .iter()
                .map(|s| scope.spawn(move || cw(d, &["generate", "-q", "-f", s])))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for o in &outs {
            // Either it ran, or it found the other one holding the lock.
            assert!(matches!(code(o), 0 | 3), "round {round}: {}", o.context());
            if code(o) == 3 {
                assert!(String::from_utf8_lossy(&o.stderr).contains("locked"));
            }
            exits.push(code(o));
        }
        assert!(outs.iter().any(|o| code(o) == 0), "round {round}");
        let mut accepted = 0;
        for (spec, files) in &rendered {
            let o = cw(d, &["check", "-q", "-f", spec]);
            assert!(matches!(code(&o), 0 | 1), "{}", o.context());
            if code(&o) == 0 {
                accepted += 1;
                assert_eq!(
                    &visible(&d.join("deploy")),
                    files,
                    "round {round}: check accepted {spec} for a tree that is not its rendering"
                );
            }
        }
        assert_eq!(
            accepted, 1,
            "round {round}: exactly one spec's tree is on disk"
        );
    }
    eprintln!("exit codes over 4 rounds: {exits:?}");
}

/// Spec A on disk, then a write of spec B killed at `step`.
fn killed_mid_write(out: &Path, a: &FileSet, b: &FileSet, step: usize) -> Result<(), OutputError> {
    output::write(a, out, &WriteOptions::default()).unwrap();
    output::write_with_fault(b, out, &WriteOptions::default(), Some(Fault::Crash(step))).map(|_| ())
}

#[test]
fn a_run_killed_mid_write_is_drift_for_check_and_repaired_by_the_next_generate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names: Vec<String> = (0..2).map(|i| format!("svc{i}")).collect();
    let a: Vec<(&str, &str, u16)> = names.iter().map(|n| (n.as_str(), "1.0.0", 3000)).collect();
    let b: Vec<(&str, &str, u16)> = names.iter().map(|n| (n.as_str(), "2.0.0", 4000)).collect();
    fs::write(d.join("a.yaml"), spec(&a)).unwrap();
    fs::write(d.join("b.yaml"), spec(&b)).unwrap();
    let fa = generate(&d.join("a.yaml"));
    let fb = generate(&d.join("b.yaml"));

    // Killed early (blobs only), half-way through the files, and just before the state: the
    // number of commit steps is found by bisection (a crash past the last step never fires).
    let crashes = |n: usize| {
        let t = tempfile::tempdir().unwrap();
        killed_mid_write(t.path(), &fa, &fb, n).is_err()
    };
    let total = commit_steps(crashes);
    for step in [1, total / 2, total - 1] {
        for (repair_with, files) in [("a.yaml", &fa), ("b.yaml", &fb)] {
            let out = d.join("deploy");
            let _ = fs::remove_dir_all(&out);
            let err = killed_mid_write(&out, &fa, &fb, step).unwrap_err();
            assert!(matches!(err, OutputError::Interrupted { .. }), "{err:?}");

            // Whichever spec, check fails: the leftovers are a crashed run's, never edits.
            for s in ["a.yaml", "b.yaml"] {
                let o = cw(d, &["check", "-f", s]);
                assert_eq!(code(&o), 1, "step {step}, check -f {s}: {}", o.context());
                assert!(
                    String::from_utf8_lossy(&o.stderr).contains("interrupted"),
                    "{}",
                    o.context()
                );
            }
            let o = ok(d, &["generate", "--format", "json", "-f", repair_with]);
            let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            for list in ["merged", "conflicted", "kept_edited", "adopted_edits"] {
                assert_eq!(
                    report["files"][list],
                    serde_json::json!([]),
                    "step {step}, {repair_with}: {list}"
                );
            }
            assert_eq!(&visible(&out), &as_map(files), "step {step}, {repair_with}");
            assert!(!out.join(".chartwright/pending").exists());
            let leftovers: Vec<String> = snapshot(&out)
                .into_keys()
                .filter(|k| k.contains("chartwright-tmp"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
            ok(d, &["check", "-q", "-f", repair_with]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Item 2: state that git merges, recovery, migration.

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    o
}

#[test]
fn two_branches_regenerating_different_services_merge_without_conflict_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Adjacent names, so their lines in the record are neighbours.
    let base = [
        ("api", "1.0.0", 3000),
        ("billing", "1.0.0", 3001),
        ("catalog", "1.0.0", 3002),
    ];
    fs::write(d.join("chartwright.yaml"), spec(&base)).unwrap();
    git(d, &["init", "-q", "-b", "main"]);
    ok(d, &["generate", "-q"]);
    // A hand edit everyone keeps.
    replace_in(
        &d.join("deploy/charts/billing/values.yaml"),
        "\n",
        "\n# billing: reviewed by the payments team\n",
    );
    ok(d, &["generate", "-q"]);
    ok(d, &["check", "-q"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);

    git(d, &["checkout", "-qb", "a"]);
    replace_in(
        &d.join("chartwright.yaml"),
        "team/api:1.0.0",
        "team/api:1.1.0",
    );
    // check lists what a person sees: the changed files, never base copies.
    let o = cw(d, &["check", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let drifted: Vec<&str> = report["drifted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(drifted.contains(&"docker-compose.yml"), "{drifted:?}");
    assert!(
        drifted.iter().all(|p| !p.starts_with(".chartwright/")),
        "{drifted:?}"
    );
    ok(d, &["generate", "-q"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "api 1.1.0"]);

    git(d, &["checkout", "-q", "main"]);
    git(d, &["checkout", "-qb", "b"]);
    replace_in(
        &d.join("chartwright.yaml"),
        "team/billing:1.0.0",
        "team/billing:1.1.0",
    );
    ok(d, &["generate", "-q"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "billing 1.1.0"]);

    git(d, &["checkout", "-q", "main"]);
    git(d, &["merge", "-q", "--no-edit", "a"]);
    // The second merge touches the same record lines' neighbours and the shared
    // docker-compose.yml: no conflict.
    let o = git(d, &["merge", "--no-edit", "b"]);
    let status = git(d, &["status", "--porcelain"]);
    assert!(status.stdout.is_empty(), "{}", text(&o));
    let spec_text = read(d, "chartwright.yaml");
    assert!(spec_text.contains("api:1.1.0") && spec_text.contains("billing:1.1.0"));
    for (path, bytes) in snapshot(&d.join("deploy")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("<<<<<<<"),
            "{path} has conflict markers"
        );
    }

    // check passes on the merge commit as it is: every file is what the merged spec renders
    // (docker-compose.yml was merged by git line by line) and the record knows all of them.
    ok(d, &["check"]);
    let merged = as_map(&generate(&d.join("chartwright.yaml")));
    let mut on_disk = visible(&d.join("deploy"));
    let edited = on_disk.remove("charts/billing/values.yaml").unwrap();
    assert!(String::from_utf8_lossy(&edited).contains("reviewed by the payments team"));
    let mut expected = merged.clone();
    expected.remove("charts/billing/values.yaml");
    assert_eq!(on_disk, expected);

    // generate then only tidies the record (the superseded hashes the union merge kept,
    // the shared file's merged hash, unreferenced blobs); no generated file changes.
    let o = ok(d, &["generate", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for list in ["created", "updated", "merged", "conflicted", "deleted"] {
        assert_eq!(report["files"][list], serde_json::json!([]), "{list}");
    }
    let changed = git(d, &["status", "--porcelain"]);
    for line in String::from_utf8_lossy(&changed.stdout).lines() {
        assert!(line[3..].starts_with("deploy/.chartwright/"), "{line}");
    }
    ok(d, &["check"]);
}

#[test]
fn a_deleted_state_is_recovered_by_adopt_without_losing_an_edit() {
    let dir = Project::with_spec(&spec(&[("api", "1.0.0", 3000)]));
    let d = dir.path();
    ok(d, &["generate", "-q"]);
    let values = d.join("deploy/charts/api/values.yaml");
    replace_in(&values, "\n", "\n# keep me\n");
    let edited = fs::read(&values).unwrap();
    fs::remove_file(d.join("deploy/.chartwright/state")).unwrap();

    // Without the record the files are not known to be chartwright's: refused, with the way
    // out in the message, and nothing written.
    let before = snapshot(&d.join("deploy"));
    let o = cw(d, &["generate"]);
    assert_eq!(code(&o), 2, "{}", o.context());
    assert!(String::from_utf8_lossy(&o.stderr).contains("generate --adopt"));
    assert_eq!(snapshot(&d.join("deploy")), before);

    let o = ok(d, &["generate", "--adopt", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["files"]["adopted_edits"],
        serde_json::json!(["charts/api/values.yaml"])
    );
    assert_eq!(fs::read(&values).unwrap(), edited);
    ok(d, &["check"]);

    // From now on the difference is a hand edit: a spec change merges into it.
    replace_in(&d.join("chartwright.yaml"), "api:1.0.0", "api:1.1.0");
    ok(d, &["generate", "-q"]);
    let now = read(d, "deploy/charts/api/values.yaml");
    assert!(now.contains("# keep me") && now.contains("1.1.0"), "{now}");

    // A damaged record says how to recover; --adopt does, keeping the edit.
    let state = d.join("deploy/.chartwright/state");
    let mut damaged = read(d, "deploy/.chartwright/state");
    damaged.push_str("<<<<<<< HEAD\nnot a record line\n");
    fs::write(&state, damaged).unwrap();
    let o = cw(d, &["check"]);
    assert_eq!(code(&o), 2, "{}", o.context());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line") && err.contains("generate --adopt"),
        "{err}"
    );
    ok(d, &["generate", "-q", "--adopt"]);
    assert_eq!(read(d, "deploy/charts/api/values.yaml"), now);
    ok(d, &["check"]);
}

#[test]
fn an_old_format_tree_is_read_and_converted_by_the_next_generate() {
    let dir = Project::with_spec(&spec(&[("api", "1.0.0", 3000)]));
    let d = dir.path();
    let old = generate(&d.join("chartwright.yaml"));
    // The layout chartwright 0.1 wrote: state.json plus full base copies at output paths.
    let out = d.join("deploy");
    let mut files = serde_json::Map::new();
    for (path, contents) in old.iter() {
        put(&out, path, contents);
        put(&out, &format!(".chartwright/base/{path}"), contents);
        files.insert(
            path.to_owned(),
            serde_json::json!({ "sha256": sha256(contents) }),
        );
    }
    let state = serde_json::json!({ "chartwright_version": "0.1.0", "files": files, "format": 1 });
    put(
        &out,
        ".chartwright/state.json",
        &(serde_json::to_string_pretty(&state).unwrap() + "\n"),
    );
    replace_in(&out.join("charts/api/values.yaml"), "\n", "\n# keep me\n");

    let o = cw(d, &["check"]);
    assert_eq!(code(&o), 1, "{}", o.context());
    assert!(String::from_utf8_lossy(&o.stderr).contains("state.json"));

    // The edit is merged against the old base copy; the old layout is gone afterwards.
    replace_in(&d.join("chartwright.yaml"), "api:1.0.0", "api:1.1.0");
    let o = ok(d, &["generate", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["files"]["merged"],
        serde_json::json!(["charts/api/values.yaml"])
    );
    let values = read(&out, "charts/api/values.yaml");
    assert!(
        values.contains("# keep me") && values.contains("1.1.0"),
        "{values}"
    );
    assert!(!out.join(".chartwright/state.json").exists());
    for path in snapshot(&out.join(".chartwright")).keys() {
        assert!(
            !path.ends_with(".yaml") && !path.ends_with(".yml") && !path.ends_with(".json"),
            "{path} left in .chartwright/"
        );
    }
    ok(d, &["check"]);
}

// ---------------------------------------------------------------------------------------------
// Item 3: remembered inputs.

#[test]
fn remembered_defaults_and_overlay_make_a_plain_check_pass_and_flags_still_win() {
    let dir = Project::with_spec(&spec(&[("api", "1.0.0", 3000)]));
    let d = dir.path();
    fs::write(
        d.join("org.yaml"),
        "labels: { team.example.com/owner: payments }\ningress_class: traefik\n",
    )
    .unwrap();

    // The documented CI recipe: generate once with the flag, then a plain check in CI.
    ok(d, &["generate", "-q", "--defaults", "org.yaml"]);
    assert!(read(d, "deploy/.chartwright/state").contains("#defaults ../org.yaml\n"));
    ok(d, &["check"]);
    let o = ok(d, &["generate"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("up to date"),
        "{}",
        o.context()
    );
    // From another working directory, with the output named differently, it still resolves.
    fs::create_dir(d.join("sub")).unwrap();
    ok(
        &d.join("sub"),
        &["check", "-f", "../chartwright.yaml", "-o", "../deploy"],
    );

    // A changed defaults file shows in diff, and an explicit flag wins over the record.
    fs::write(
        d.join("org2.yaml"),
        "labels: { team.example.com/owner: payments }\ningress_class: traefik\n",
    )
    .unwrap();
    let o = ok(d, &["diff", "--defaults", "org2.yaml"]);
    let diff = String::from_utf8_lossy(&o.stdout);
    assert!(
        diff.contains("-#defaults ../org.yaml") && diff.contains("+#defaults ../org2.yaml"),
        "{diff}"
    );
    assert_eq!(code(&cw(d, &["check", "--defaults", "org2.yaml"])), 1);
    assert_eq!(code(&cw(d, &["check", "--no-defaults"])), 1);

    // The overlay folder likewise (inside the project: a remembered folder outside the spec's
    // repository is refused, see below).
    let overlay = d.join("team-templates");
    copy_dir(&example_dir("team-overlay").join("templates"), &overlay);
    let o = ok(
        d,
        &[
            "generate",
            "-q",
            "--templates",
            overlay.to_str().unwrap(),
            "--no-defaults",
        ],
    );
    drop(o);
    let state = read(d, "deploy/.chartwright/state");
    assert!(
        state.contains("#templates ") && !state.contains("#defaults"),
        "{state}"
    );
    ok(d, &["check"]);
    assert!(read(d, "deploy/docker-compose.yml").contains("team.example.com/owner"));
    assert_eq!(code(&cw(d, &["check", "--no-templates"])), 1);

    // The record is a committed file: what it remembers is held to the spec's containment rule
    // (issue 18), so an edited record cannot point a CI run at a folder outside the repository.
    let outside = example_dir("team-overlay").join("templates");
    ok(
        d,
        &["generate", "-q", "--templates", outside.to_str().unwrap()],
    );
    let o = cw(d, &["check"]);
    assert_eq!(code(&o), 2, "{}", o.context());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("outside the spec's repository"),
        "{}",
        o.context()
    );
}

// ---------------------------------------------------------------------------------------------
// Item 4: renames.

#[test]
fn a_rename_round_trip_leaves_no_orphan_and_keeps_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let spec_path = d.join("chartwright.yaml");
    fs::write(
        &spec_path,
        spec(&[("api", "1.0.0", 3000), ("web", "1.0.0", 8080)]),
    )
    .unwrap();
    let original = as_map(&generate(&spec_path));
    ok(d, &["generate", "-q"]);

    // An unedited rename leaves nothing of the old name.
    fs::write(
        &spec_path,
        spec(&[("api", "1.0.0", 3000), ("www", "1.0.0", 8080)]),
    )
    .unwrap();
    ok(d, &["generate", "-q"]);
    assert_eq!(visible(&d.join("deploy")), as_map(&generate(&spec_path)));
    assert!(!d.join("deploy/charts/web").exists());

    // With an edit in the old chart: everything else goes, the edit stays and is reported.
    fs::write(
        &spec_path,
        spec(&[("api", "1.0.0", 3000), ("web", "1.0.0", 8080)]),
    )
    .unwrap();
    ok(d, &["generate", "-q"]);
    replace_in(
        &d.join("deploy/charts/web/values.yaml"),
        "\n",
        "\n# tuned\n",
    );
    let edited = read(d, "deploy/charts/web/values.yaml");
    fs::write(
        &spec_path,
        spec(&[("api", "1.0.0", 3000), ("www", "1.0.0", 8080)]),
    )
    .unwrap();
    let o = ok(d, &["generate", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["files"]["kept_edited"],
        serde_json::json!(["charts/web/values.yaml"])
    );
    let left: Vec<String> = visible(&d.join("deploy/charts/web")).into_keys().collect();
    assert_eq!(left, ["values.yaml"]);
    let o = cw(d, &["check"]);
    assert_eq!(
        code(&o),
        1,
        "a kept edit of a removed chart waits for a decision"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("charts/web/values.yaml"));

    // Renaming back is not refused, and merges the edit into the chart again.
    fs::write(
        &spec_path,
        spec(&[("api", "1.0.0", 3000), ("web", "1.0.0", 8080)]),
    )
    .unwrap();
    ok(d, &["generate", "-q"]);
    assert_eq!(read(d, "deploy/charts/web/values.yaml"), edited);
    let mut expected = original;
    expected.insert("charts/web/values.yaml".into(), edited.into_bytes());
    assert_eq!(visible(&d.join("deploy")), expected, "no orphan of `www`");
    ok(d, &["check"]);
}

// ---------------------------------------------------------------------------------------------
// Item 5: build contexts.

fn tool(name: &str) -> Option<PathBuf> {
    let local = root().join(".tools/bin").join(name);
    if local.exists() {
        return Some(local);
    }
    if std::env::var_os("CHARTWRIGHT_REQUIRE_TOOLS").is_some() {
        panic!(
            "{name} is required (CHARTWRIGHT_REQUIRE_TOOLS is set): run scripts/install-test-tools"
        );
    }
    eprintln!("\n*** SKIPPED: {name} is not installed; run scripts/test ***\n");
    None
}

/// Writes the `.env` that docker-compose.yml's own header says to create, following it.
fn follow_compose_instructions(out: &Path) {
    let compose = read(out, "docker-compose.yml");
    if compose.contains("cp .env.example .env") {
        fs::copy(out.join(".env.example"), out.join(".env")).unwrap();
        return;
    }
    let vars: Vec<&str> = compose
        .lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("#     "))
        .collect();
    fs::write(out.join(".env"), vars.join("\n") + "\n").unwrap();
}

fn compose_config(compose: &Path, file: &Path) -> serde_json::Value {
    let o = Command::new(compose)
        .arg("-f")
        .arg(file)
        .args(["config", "--format", "json"])
        .env_remove("COMPOSE_PROJECT_NAME")
        .output()
        .unwrap();
    assert!(o.status.success(), "compose config: {}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn build_contexts_are_rebased_onto_the_output_folder() {
    let Some(compose) = tool("docker-compose") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut text = spec(&[("api", "1.0.0", 3000)]);
    text = text.replace("    ports:", "    build: ./services/api\n    ports:");
    fs::write(d.join("chartwright.yaml"), text).unwrap();
    fs::create_dir_all(d.join("services/api")).unwrap();
    let want = fs::canonicalize(d.join("services/api")).unwrap();

    for out in ["deploy", "ops/k8s/deploy", "."] {
        ok(d, &["generate", "-q", "-o", out]);
        let out_dir = d.join(out);
        follow_compose_instructions(&out_dir);
        let config = compose_config(&compose, &out_dir.join("docker-compose.yml"));
        let context = config["services"]["api"]["build"]["context"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(Path::new(&context), want, "-o {out}");
        // And from another working directory the same check agrees.
        ok(
            &d.join("services"),
            &[
                "check",
                "-q",
                "-f",
                "../chartwright.yaml",
                "-o",
                &format!("../{out}"),
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Item 6: the overlay example's Compose file and the CI recipes.

#[test]
fn every_examples_compose_file_works_by_its_own_instructions() {
    let compose = tool("docker-compose");
    for spec_path in examples() {
        let files = generate(&spec_path);
        let text = files.get("docker-compose.yml").unwrap();
        if files.get(".env.example").is_none() {
            assert!(!text.contains(".env.example"), "{}", spec_path.display());
        }
        let Some(compose) = &compose else { continue };
        let dir = tempfile::tempdir().unwrap();
        for (p, c) in files.iter() {
            put(dir.path(), p, c);
        }
        follow_compose_instructions(dir.path());
        compose_config(compose, &dir.path().join("docker-compose.yml"));
    }
}

/// `rev:` values in a text (pre-commit configurations).
fn revs(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().trim_start_matches("# ").strip_prefix("rev: "))
        .map(|r| r.split('#').next().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The fenced ```yaml blocks of a Markdown file.
fn yaml_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in md.lines() {
        match &mut cur {
            None if line.trim_start() == "```yaml" => cur = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                out.push(std::mem::take(block));
                cur = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// A project as CI sees it: a spec, org defaults, and the tree generated with them committed.
fn ci_project(example: &str) -> Project {
    let p = Project::example_folder(example).file("org.yaml", "ingress_class: traefik\n");
    ok(p.path(), &["generate", "-q", "--defaults", "org.yaml"]);
    p
}

/// Runs command lines with bash, chartwright on PATH.
fn run_lines(dir: &Path, lines: &[String]) -> Output {
    let path = format!(
        "{}:{}",
        binary().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .current_dir(dir)
        .arg("-ec")
        .arg(lines.join("\n"))
        .env("PATH", path)
        .env("CI_PROJECT_DIR", dir)
        .output()
        .unwrap()
}

#[test]
fn the_documented_ci_recipes_run_as_written() {
    let docs = read(&root(), "docs/cli.md");
    let readme = read(&root(), "README.md");
    let blocks = yaml_blocks(&docs);

    // One rev scheme everywhere: the release tag of this version.
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let all_revs: Vec<String> = revs(&docs)
        .into_iter()
        .chain(revs(&readme))
        .chain(revs(&read(&root(), ".pre-commit-hooks.yaml")))
        .collect();
    assert!(!all_revs.is_empty());
    for r in &all_revs {
        assert_eq!(r, &tag, "documented pre-commit rev");
    }
    for text in [&docs, &readme] {
        for line in text
            .lines()
            .filter(|l| l.contains("cargo install --locked --git"))
        {
            assert!(
                line.contains(&format!("--tag {tag}")) || line.contains("--rev"),
                "an unpinned or differently pinned install: {line}"
            );
        }
        for line in text.lines().filter(|l| l.contains("key: chartwright-")) {
            assert!(line.ends_with(&tag), "{line}");
        }
    }

    // Command lines of each recipe.
    let hooks: serde_json::Value =
        serde_saphyr::from_str(&read(&root(), ".pre-commit-hooks.yaml")).unwrap();
    let mut recipes: Vec<(String, Vec<String>)> = Vec::new();
    for hook in hooks.as_array().unwrap() {
        // The hooks must fire whatever changed (overlay, defaults file, generated tree).
        assert_eq!(hook["always_run"], true, "{hook}");
        assert_eq!(hook["pass_filenames"], false, "{hook}");
        recipes.push((
            format!("pre-commit {}", hook["id"]),
            vec![hook["entry"].as_str().unwrap().to_owned()],
        ));
    }
    let mut github = 0;
    let mut gitlab = 0;
    for block in &blocks {
        let Ok(doc) = serde_saphyr::from_str::<serde_json::Value>(block) else {
            continue;
        };
        if let Some(jobs) = doc.get("jobs").and_then(|j| j.as_object()) {
            for (name, job) in jobs {
                let lines: Vec<String> = job["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s.get("run").and_then(|r| r.as_str()))
                    .map(str::to_owned)
                    .collect();
                recipes.push((format!("GitHub Actions {name}"), lines));
                github += 1;
            }
        }
        if let Some(job) = doc.get("chartwright").and_then(|j| j.get("script")) {
            let lines = job
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned())
                .collect();
            recipes.push(("GitLab CI".to_owned(), lines));
            gitlab += 1;
        }
    }
    assert_eq!((github, gitlab), (1, 1), "docs/cli.md has both CI jobs");

    for example in ["quickstart", "team-overlay"] {
        for (name, lines) in &recipes {
            let project = ci_project(example);
            let o = run_lines(project.path(), lines);
            assert!(o.status.success(), "{name} on {example}: {}", text(&o));
            // And it fails once the tree drifts from the spec.
            if lines.iter().any(|l| l.contains("check")) {
                replace_in(&project.path().join("chartwright.yaml"), "v1.2.3", "v1.2.4");
                let o = run_lines(project.path(), lines);
                assert!(!o.status.success(), "{name} on {example} missed drift");
            }
        }
    }
}
