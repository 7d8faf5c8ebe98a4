//! Regeneration rules: what happens to generated, edited, removed and foreign files.

mod common;

use std::fs;

use chartwright::output::{self, WriteOptions, WriteReport};
use common::*;

fn write(files: &[(&str, &str)], dir: &std::path::Path) -> WriteReport {
    output::write(&fileset(files), dir, &WriteOptions::default()).expect("write succeeds")
}

fn force(files: &[(&str, &str)], dir: &std::path::Path) -> WriteReport {
    output::write(
        &fileset(files),
        dir,
        &WriteOptions {
            force: true,
            ..Default::default()
        },
    )
    .expect("write succeeds")
}

#[test]
fn first_write_creates_files_bases_and_a_deterministic_state() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out/nested");
    let report = write(
        &[
            ("chart/values.yaml", V1),
            ("compose.yaml", "services: {}\n"),
        ],
        &out,
    );

    assert_eq!(
        report.created,
        strings(&["chart/values.yaml", "compose.yaml"])
    );
    assert_eq!(read(&out, "chart/values.yaml"), V1);
    assert_eq!(base(&out, "chart/values.yaml"), V1);
    assert_eq!(base(&out, "compose.yaml"), "services: {}\n");
    let text = read(&out, ".chartwright/state");
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("format 2") && header.contains(env!("CARGO_PKG_VERSION")),
        "{header}"
    );
    // One `<sha256>  <path>` line per file, sorted by path: what `sha256sum -c` reads.
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        body,
        [
            format!("{}  chart/values.yaml", sha256(V1)),
            format!("{}  compose.yaml", sha256("services: {}\n")),
        ]
    );
    // Base copies are named by a hash of their path: no scanner takes them for output.
    for rel in snapshot(&out.join(".chartwright/base")).keys() {
        let name = rel.rsplit('/').next().unwrap();
        assert!(!name.contains('.'), "{rel}");
    }
    // Byte-for-byte deterministic: a second identical write changes nothing at all.
    let before = snapshot(&out);
    write(
        &[
            ("chart/values.yaml", V1),
            ("compose.yaml", "services: {}\n"),
        ],
        &out,
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn untouched_file_is_updated_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", V1), ("b.yaml", "b\n")], out);
    let v2 = V1.replace("web:1", "web:2");
    let report = write(&[("a.yaml", &v2), ("b.yaml", "b\n")], out);

    assert_eq!(report.updated, strings(&["a.yaml"]));
    assert_eq!(report.unchanged, strings(&["b.yaml"]));
    assert!(report.merged.is_empty() && report.created.is_empty());
    assert_eq!(read(out, "a.yaml"), v2);
    assert_eq!(base(out, "a.yaml"), v2);
    assert_eq!(recorded_hash(out, "a.yaml"), sha256(&v2));
}

#[test]
fn edited_file_is_merged_keeping_the_edit_and_taking_new_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", V1)], out);
    let edited = V1.replace("port: 80", "port: 8080");
    put(out, "a.yaml", &edited);

    let v2 = V1.replace("web:1", "web:2");
    let report = write(&[("a.yaml", &v2)], out);
    let both = edited.replace("web:1", "web:2");
    assert_eq!(report.merged, strings(&["a.yaml"]));
    assert!(!report.has_conflicts());
    assert_eq!(read(out, "a.yaml"), both);
    // The state records the rendering, so the file keeps counting as edited ...
    assert_eq!(recorded_hash(out, "a.yaml"), sha256(&v2));
    assert_eq!(base(out, "a.yaml"), v2);

    // ... and regenerating the same rendering again changes nothing ...
    let before = snapshot(out);
    let report = write(&[("a.yaml", &v2)], out);
    assert_eq!(report.unchanged, strings(&["a.yaml"]));
    assert!(report.merged.is_empty());
    assert_eq!(snapshot(out), before);

    // ... while a later rendering merges again, still keeping the edit.
    let v3 = v2.replace("app: web", "app: web2");
    let report = write(&[("a.yaml", &v3)], out);
    assert_eq!(report.merged, strings(&["a.yaml"]));
    assert_eq!(read(out, "a.yaml"), both.replace("app: web", "app: web2"));
}

#[test]
fn conflicting_edit_gets_markers_and_is_reported_until_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", V1), ("b.yaml", "b\n")], out);
    put(out, "a.yaml", &V1.replace("web:1", "mine:1"));

    let v2 = V1.replace("web:1", "web:2");
    let report = write(&[("a.yaml", &v2), ("b.yaml", "b2\n")], out);
    assert!(report.has_conflicts());
    assert_eq!(report.conflicted, strings(&["a.yaml"]));
    assert_eq!(
        report.updated,
        strings(&["b.yaml"]),
        "other files still regenerate"
    );
    let text = read(out, "a.yaml");
    assert!(
        text.contains("<<<<<<< ours\nimage: mine:1\n=======\nimage: web:2\n>>>>>>> theirs\n"),
        "{text}"
    );
    assert!(
        text.starts_with("name: web\n") && text.ends_with("app: web\n"),
        "{text}"
    );

    // The markers are not mistaken for an edit the next time round.
    let report = write(&[("a.yaml", &v2), ("b.yaml", "b2\n")], out);
    assert_eq!(report.conflicted, strings(&["a.yaml"]));
    assert_eq!(read(out, "a.yaml"), text);

    // Once resolved, the resolution is kept and nothing conflicts.
    let resolved = V1.replace("web:1", "mine:2");
    put(out, "a.yaml", &resolved);
    let report = write(&[("a.yaml", &v2), ("b.yaml", "b2\n")], out);
    assert!(!report.has_conflicts());
    assert_eq!(report.unchanged, strings(&["a.yaml", "b.yaml"]));
    assert_eq!(read(out, "a.yaml"), resolved);
}

#[test]
fn removed_files_are_deleted_when_unedited_and_kept_when_edited() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(
        &[
            ("keep.yaml", "k\n"),
            ("svc/api/deploy.yaml", "api\n"),
            ("svc/worker/deploy.yaml", "worker\n"),
        ],
        out,
    );
    put(out, "svc/worker/deploy.yaml", "worker, edited\n");

    let report = write(&[("keep.yaml", "k\n")], out);
    assert_eq!(report.deleted, strings(&["svc/api/deploy.yaml"]));
    assert_eq!(report.kept_edited, strings(&["svc/worker/deploy.yaml"]));
    assert!(!out.join("svc/api").exists(), "emptied directories go too");
    assert_eq!(read(out, "svc/worker/deploy.yaml"), "worker, edited\n");
    // The kept file stays recorded (issue 16: forgetting it made generating it again refuse
    // chartwright's own former file), with its base; the deleted one is forgotten.
    let files = state(out);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["keep.yaml", "svc/worker/deploy.yaml"]
    );
    assert_eq!(base(out, "svc/worker/deploy.yaml"), "worker\n");

    // It keeps being reported, and is never touched, until it is deleted.
    let report = write(&[("keep.yaml", "k\n")], out);
    assert_eq!(report.kept_edited, strings(&["svc/worker/deploy.yaml"]));
    assert!(report.deleted.is_empty());
    assert_eq!(read(out, "svc/worker/deploy.yaml"), "worker, edited\n");
    fs::remove_file(out.join("svc/worker/deploy.yaml")).unwrap();
    let report = write(&[("keep.yaml", "k\n")], out);
    assert!(report.kept_edited.is_empty() && report.deleted.is_empty());
    assert_eq!(state(out).keys().collect::<Vec<_>>(), ["keep.yaml"]);
}

#[test]
fn force_overwrites_edits_and_says_which() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(
        &[("a.yaml", V1), ("b.yaml", "b\n"), ("gone.yaml", "g\n")],
        out,
    );
    put(out, "a.yaml", &V1.replace("web:1", "mine:1"));
    put(out, "gone.yaml", "g, edited\n");

    let v2 = V1.replace("web:1", "web:2");
    let report = force(&[("a.yaml", &v2), ("b.yaml", "b2\n")], out);
    assert_eq!(report.overwritten_edits, strings(&["a.yaml", "gone.yaml"]));
    assert_eq!(report.updated, strings(&["a.yaml", "b.yaml"]));
    assert_eq!(report.deleted, strings(&["gone.yaml"]));
    assert!(!report.has_conflicts());
    assert_eq!(read(out, "a.yaml"), v2);
    assert!(!out.join("gone.yaml").exists());
}

#[test]
fn files_chartwright_never_generated_are_never_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    put(out, "README.md", "mine\n");
    put(out, "svc/notes.txt", "mine too\n");
    write(&[("svc/deploy.yaml", "d\n"), ("other.yaml", "o\n")], out);
    write(&[("other.yaml", "o2\n")], out);

    assert_eq!(read(out, "README.md"), "mine\n");
    assert_eq!(read(out, "svc/notes.txt"), "mine too\n");
    assert!(!out.join("svc/deploy.yaml").exists());
}

#[test]
fn a_generated_file_the_user_deleted_is_created_again() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("a.yaml", "a\n")], out);
    fs::remove_file(out.join("a.yaml")).unwrap();
    let report = write(&[("a.yaml", "a\n")], out);
    assert_eq!(report.created, strings(&["a.yaml"]));
    assert_eq!(read(out, "a.yaml"), "a\n");
}

#[cfg(unix)]
#[test]
fn regeneration_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    write(&[("run.sh", "echo 1\n")], out);
    fs::set_permissions(out.join("run.sh"), fs::Permissions::from_mode(0o750)).unwrap();
    write(&[("run.sh", "echo 2\n")], out);
    let mode = fs::metadata(out.join("run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o750);
}

#[test]
fn writes_are_deterministic_and_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        ("z.yaml", "z\n"),
        ("a/b/c.yaml", V1),
        ("a/b.yaml", "b\n"),
        ("empty.yaml", ""),
    ];
    write(&files, &tmp.path().join("one"));
    write(&files, &tmp.path().join("two"));
    let one = snapshot(&tmp.path().join("one"));
    assert_eq!(one, snapshot(&tmp.path().join("two")));

    let report = write(&files, &tmp.path().join("one"));
    assert_eq!(report.unchanged.len(), files.len());
    assert_eq!(
        report,
        WriteReport {
            unchanged: report.unchanged.clone(),
            ..WriteReport::default()
        }
    );
    assert_eq!(snapshot(&tmp.path().join("one")), one);
}

#[test]
fn report_serializes_to_json_with_every_list() {
    let report = WriteReport {
        created: strings(&["a"]),
        ..WriteReport::default()
    };
    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "created",
        "updated",
        "merged",
        "conflicted",
        "deleted",
        "kept_edited",
        "unchanged",
        "overwritten_edits",
    ] {
        assert!(json[key].is_array(), "{key} missing from {json}");
    }
    assert_eq!(json["created"][0], "a");
}
