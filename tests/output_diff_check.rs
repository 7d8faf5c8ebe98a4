//! `diff` and `check`: reading the tree, never writing it, and agreeing with `write`.

mod common;

use std::fs;

use chartwright::output::{self, WriteOptions};
use common::*;

fn write(files: &[(&str, &str)], dir: &std::path::Path) {
    output::write(&fileset(files), dir, &WriteOptions::default()).unwrap();
}

#[test]
fn diff_shows_creations_changes_and_removals_with_file_headers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", "a: 1\n"), ("gone.yaml", "bye\n")], out);
    let before = snapshot(out);

    let files = fileset(&[("a.yaml", "a: 2\n"), ("new/b.yaml", "b: 1\n")]);
    let report = output::diff(&files, out, false).unwrap();
    assert_eq!(
        report.diff,
        "--- a/a.yaml\n+++ b/a.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n\
         --- a/gone.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n\
         --- /dev/null\n+++ b/new/b.yaml\n@@ -0,0 +1 @@\n+b: 1\n"
    );
    assert_eq!(report.summary.updated, strings(&["a.yaml"]));
    assert_eq!(report.summary.created, strings(&["new/b.yaml"]));
    assert_eq!(report.summary.deleted, strings(&["gone.yaml"]));
    assert_eq!(
        report.metadata_changes,
        // chartwright's own files are named, not diffed, and the blob store is one entry.
        strings(&[".chartwright/base/", ".chartwright/state"])
    );
    assert!(!report.diff.contains('\x1b'));
    assert_eq!(snapshot(out), before, "diff only reads");
}

#[test]
fn diff_is_coloured_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", "a: 1\nb: 1\n")], out);
    let files = fileset(&[("a.yaml", "a: 2\nb: 1\n")]);
    let plain = output::diff(&files, out, false).unwrap().diff;
    let coloured = output::diff(&files, out, true).unwrap().diff;
    assert!(coloured.contains("\x1b[31m-a: 1\x1b[0m\n"), "{coloured:?}");
    assert!(coloured.contains("\x1b[32m+a: 2\x1b[0m\n"), "{coloured:?}");
    assert!(
        coloured.contains("\n b: 1\n"),
        "context lines stay plain: {coloured:?}"
    );
    let stripped = coloured
        .replace("\x1b[31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, plain);
}

#[test]
fn diff_of_a_missing_output_directory_creates_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("not/yet");
    let report = output::diff(&fileset(&[("a.yaml", "a\n"), ("e.yaml", "")]), &out, false).unwrap();
    assert_eq!(
        report.diff,
        "--- /dev/null\n+++ b/a.yaml\n@@ -0,0 +1 @@\n+a\n--- /dev/null\n+++ b/e.yaml\n"
    );
    assert!(!out.exists());
}

#[test]
fn check_is_clean_right_after_a_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let files = [("a.yaml", V1), ("dir/b.yaml", "b\n")];
    write(&files, out);
    let report = output::check(&fileset(&files), out).unwrap();
    assert!(report.in_sync, "{report:?}");
    assert!(report.drifted.is_empty() && report.diff.is_empty());
}

#[test]
fn check_reports_drift_with_a_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", "a: 1\n"), ("b.yaml", "b\n")], out);
    let before = snapshot(out);
    let report = output::check(&fileset(&[("a.yaml", "a: 2\n"), ("b.yaml", "b\n")]), out).unwrap();
    assert!(!report.in_sync);
    // Only user-visible paths (issue 16: base copies doubled the list).
    assert_eq!(report.drifted, strings(&["a.yaml"]));
    assert_eq!(
        report.diff,
        "--- a/a.yaml\n+++ b/a.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"
    );
    assert_eq!(snapshot(out), before, "check only reads");
    assert!(
        !output::check(&fileset(&[("b.yaml", "b\n")]), out)
            .unwrap()
            .in_sync
    );
}

#[test]
fn an_edit_that_merges_cleanly_into_the_same_text_is_not_drift() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let files = [("a.yaml", V1)];
    write(&files, out);
    put(out, "a.yaml", &V1.replace("port: 80", "port: 8080"));
    let report = output::check(&fileset(&files), out).unwrap();
    assert!(report.in_sync, "{report:?}");

    // After a regeneration that merged the edit, the tree is in sync with the new rendering.
    let v2 = [("a.yaml", &*V1.replace("web:1", "web:2"))];
    assert!(!output::check(&fileset(&v2), out).unwrap().in_sync);
    write(&v2, out);
    assert!(output::check(&fileset(&v2), out).unwrap().in_sync);
}

#[test]
fn unresolved_conflict_is_drift() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", V1)], out);
    put(out, "a.yaml", &V1.replace("web:1", "mine:1"));
    let v2 = [("a.yaml", &*V1.replace("web:1", "web:2"))];
    write(&v2, out);
    let report = output::check(&fileset(&v2), out).unwrap();
    assert!(!report.in_sync);
    assert_eq!(report.drifted, strings(&["a.yaml"]));
}

#[test]
fn check_verifies_chartwright_own_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let files = fileset(&[("a.yaml", "a\n")]);
    output::write(&files, out, &WriteOptions::default()).unwrap();

    // Without base copies a later edit could not be merged: drift, named by the state.
    fs::remove_dir_all(out.join(".chartwright/base")).unwrap();
    let report = output::check(&files, out).unwrap();
    assert_eq!(report.drifted, strings(&[".chartwright/state"]));
    assert!(report.record[0].contains("no base copy"), "{report:?}");
    assert!(report.diff.is_empty(), "metadata is listed, not diffed");

    output::write(&files, out, &WriteOptions::default()).unwrap();
    assert!(output::check(&files, out).unwrap().in_sync);
    // A stray in chartwright's store is tidied by generate but is not drift.
    put(out, ".chartwright/base/stray.yaml", "stray\n");
    assert!(output::check(&files, out).unwrap().in_sync);
    output::write(&files, out, &WriteOptions::default()).unwrap();
    assert!(!out.join(".chartwright/base/stray.yaml").exists());

    // A lost record: the file is not known to be chartwright's, which is drift on that file.
    fs::remove_file(out.join(".chartwright/state")).unwrap();
    let report = output::check(&files, out).unwrap();
    assert_eq!(report.drifted, strings(&["a.yaml"]));
    assert!(report.record[0].contains("not recorded"), "{report:?}");
}
