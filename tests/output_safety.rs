//! Refusals and atomicity: when generate must write nothing, and what an interrupted write
//! leaves behind.

mod common;

use std::fs;
use std::path::Path;

use chartwright::output::{self, Fault, FileSet, OutputError, WriteOptions};
use common::*;

fn try_write(files: &FileSet, dir: &Path) -> Result<output::WriteReport, OutputError> {
    output::write(files, dir, &WriteOptions::default())
}

fn v1() -> FileSet {
    fileset(&[
        ("chart/values.yaml", V1),
        ("chart/templates/web.yaml", "kind: Deployment\n"),
        ("old.yaml", "old\n"),
    ])
}

/// Differs from `v1` in every way a write can: an update, a merge of an edit, a creation in
/// a new directory and a deletion.
fn v2() -> FileSet {
    fileset(&[
        ("chart/values.yaml", &V1.replace("web:1", "web:2")),
        (
            "chart/templates/web.yaml",
            "kind: Deployment\nreplicas: 2\n",
        ),
        ("compose/compose.yaml", "services: {}\n"),
    ])
}

/// The tree after writing `v1` and making one user edit that `v2` will merge.
fn prepared(dir: &Path) {
    try_write(&v1(), dir).unwrap();
    put(
        dir,
        "chart/values.yaml",
        &V1.replace("port: 80", "port: 8080"),
    );
}

#[test]
fn foreign_file_at_a_generated_path_stops_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    put(out, "chart/values.yaml", "my own values\n");
    let before = snapshot(out);

    let err = try_write(&v1(), out).unwrap_err();
    match &err {
        OutputError::ForeignFiles { paths } => {
            assert_eq!(paths, &[out.join("chart/values.yaml")]);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains("chart/values.yaml"), "{err}");
    assert_eq!(snapshot(out), before, "nothing at all is written");
}

#[test]
fn foreign_file_added_later_blocks_the_whole_regeneration() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    prepared(out);
    put(out, "compose/compose.yaml", "hand written\n");
    let before = snapshot(out);
    let err = try_write(&v2(), out).unwrap_err();
    assert!(matches!(err, OutputError::ForeignFiles { .. }), "{err:?}");
    assert_eq!(snapshot(out), before);
    // force does not make a foreign file ours either.
    let err = output::write(
        &v2(),
        out,
        &WriteOptions {
            force: true,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, OutputError::ForeignFiles { .. }), "{err:?}");
    assert_eq!(snapshot(out), before);
}

#[test]
fn identical_file_without_state_is_adopted_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    put(out, "a.yaml", "a\n");
    let report = try_write(&fileset(&[("a.yaml", "a\n")]), out).unwrap();
    assert_eq!(report.unchanged, strings(&["a.yaml"]));
    assert_eq!(recorded_hash(out, "a.yaml"), sha256("a\n"));
}

#[test]
fn injected_failure_while_staging_leaves_the_previous_tree_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    prepared(out);
    let before = snapshot(out);
    // Every staging step fails in turn until one past the last staged file, where no fault
    // fires and the write goes through (which shows the loop covered every step).
    let mut n = 0;
    while let Err(err) =
        output::write_with_fault(&v2(), out, &WriteOptions::default(), Some(Fault::Stage(n)))
    {
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(snapshot(out), before, "fault at staging step {n}");
        n += 1;
    }
    // v2 stages 3 generated files, their 3 base copies and the state file.
    assert_eq!(n, 7);
    assert_ne!(snapshot(out), before);
}

#[test]
fn injected_failure_on_a_first_write_leaves_no_directory_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new/out");
    let err =
        output::write_with_fault(&v1(), &out, &WriteOptions::default(), Some(Fault::Stage(4)))
            .unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }), "{err:?}");
    assert_eq!(snapshot(tmp.path()), Default::default());
}

#[test]
fn interrupted_commit_is_finished_by_running_generate_again() {
    let tmp = tempfile::tempdir().unwrap();
    let expected_dir = tmp.path().join("expected");
    prepared(&expected_dir);
    let expected_report = try_write(&v2(), &expected_dir).unwrap();
    let expected = snapshot(&expected_dir);

    // Renames (files, then base copies), deletions (old.yaml and its base copy), then the
    // state file:
    // every step fails in turn until one past the last, where the write goes through.
    let mut n = 0;
    loop {
        let out = tmp.path().join(format!("run{n}"));
        prepared(&out);
        let result = output::write_with_fault(
            &v2(),
            &out,
            &WriteOptions::default(),
            Some(Fault::Commit(n)),
        );
        let Err(err) = result else {
            assert_eq!(snapshot(&out), expected);
            break;
        };
        assert!(
            matches!(err, OutputError::Interrupted { applied, .. } if applied == n),
            "{err:?}"
        );
        let report = try_write(&v2(), &out).unwrap();
        assert!(!report.has_conflicts(), "step {n}: {report:?}");
        assert_eq!(snapshot(&out), expected, "fault at commit step {n}");
        n += 1;
    }
    // 3 files and their 3 base copies renamed; old.yaml and its base copy deleted; the state.
    assert_eq!(n, 9);
    assert_eq!(expected_report.merged, strings(&["chart/values.yaml"]));
}

#[cfg(unix)]
#[test]
fn symlink_leading_outside_is_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("values.yaml"), "precious\n").unwrap();

    for (link, target_is_dir) in [
        ("chart", true),
        (".chartwright", true),
        ("compose.yaml", false),
    ] {
        let out = tmp.path().join(format!("out-{link}"));
        fs::create_dir(&out).unwrap();
        let target = if target_is_dir {
            outside.clone()
        } else {
            outside.join("values.yaml")
        };
        symlink(&target, out.join(link)).unwrap();
        let before = snapshot(tmp.path());
        let files = fileset(&[("chart/values.yaml", "x\n"), ("compose.yaml", "c\n")]);
        let err = try_write(&files, &out).unwrap_err();
        match &err {
            OutputError::SymlinkEscape { path } => assert_eq!(path, &out.join(link)),
            other => panic!("{link}: unexpected {other:?}"),
        }
        assert_eq!(snapshot(tmp.path()), before, "{link}");
        assert!(output::check(&files, &out).is_err());
    }
    assert_eq!(read(&outside, "values.yaml"), "precious\n");
}

#[cfg(unix)]
#[test]
fn symlink_staying_inside_is_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    fs::create_dir(out.join("real")).unwrap();
    symlink(out.join("real"), out.join("chart")).unwrap();
    try_write(&fileset(&[("chart/a.yaml", "a\n")]), out).unwrap();
    assert_eq!(read(out, "real/a.yaml"), "a\n");
}

#[test]
fn file_where_a_directory_is_needed_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    put(out, "chart", "a file\n");
    let err = try_write(&fileset(&[("chart/a.yaml", "a\n")]), out).unwrap_err();
    match &err {
        OutputError::NotADirectory { path } => assert_eq!(path, &out.join("chart")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .contains(&out.join("chart").display().to_string())
    );

    let file_as_out = out.join("chart/out");
    let err = try_write(&fileset(&[("a.yaml", "a\n")]), &file_as_out).unwrap_err();
    assert!(
        matches!(&err, OutputError::NotADirectory { path } if path == &out.join("chart")),
        "{err:?}"
    );
}

#[test]
fn directory_where_a_file_goes_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    fs::create_dir_all(out.join("a.yaml")).unwrap();
    let err = try_write(&fileset(&[("a.yaml", "a\n")]), out).unwrap_err();
    assert!(
        matches!(&err, OutputError::NotAFile { path } if path == &out.join("a.yaml")),
        "{err:?}"
    );
}

#[test]
fn unsafe_or_colliding_generated_paths_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in [
        "../x",
        "/etc/x",
        "a//b",
        "a/./b",
        ".chartwright/state.json",
        "",
    ] {
        let err = try_write(&fileset(&[(bad, "x\n")]), tmp.path()).unwrap_err();
        assert!(
            matches!(err, OutputError::InvalidPath { .. }),
            "{bad}: {err:?}"
        );
    }
    let err = try_write(
        &fileset(&[("a", "1\n"), ("a.b", "\n"), ("a/b", "2\n")]),
        tmp.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, OutputError::PathCollision { path, other } if path == "a" && other == "a/b"),
        "{err:?}"
    );
    assert_eq!(snapshot(tmp.path()), Default::default());
}

#[test]
fn edited_file_without_its_base_copy_is_an_error_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    prepared(out);
    fs::remove_file(out.join(base_path("chart/values.yaml"))).unwrap();
    let before = snapshot(out);
    let err = try_write(&v2(), out).unwrap_err();
    assert!(
        matches!(&err, OutputError::MissingBase { path, .. } if path == &out.join("chart/values.yaml")),
        "{err:?}"
    );
    assert_eq!(snapshot(out), before);
    let report = output::write(
        &v2(),
        out,
        &WriteOptions {
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.overwritten_edits, strings(&["chart/values.yaml"]));
}

#[test]
fn corrupt_state_is_reported_with_its_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    put(out, ".chartwright/state.json", "{ not json");
    let err = try_write(&v1(), out).unwrap_err();
    assert!(
        matches!(&err, OutputError::CorruptState { path, .. } if path == &out.join(".chartwright/state.json")),
        "{err:?}"
    );
    // The message says how to recover (issue 16: `key must be a string at line 188`, no hint).
    assert!(err.to_string().contains("generate --adopt"), "{err}");
    fs::remove_file(out.join(".chartwright/state.json")).unwrap();
    put(out, ".chartwright/state", "<<<<<<< HEAD\n");
    let err = try_write(&v1(), out).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(".chartwright/state") && text.contains("line 1") && text.contains("--adopt"),
        "{text}"
    );
    fs::remove_file(out.join(".chartwright/state")).unwrap();
    put(
        out,
        ".chartwright/state.json",
        r#"{"chartwright_version":"9","files":{},"format":2}"#,
    );
    let err = try_write(&v1(), out).unwrap_err();
    assert!(err.to_string().contains("format 2"), "{err}");
}
