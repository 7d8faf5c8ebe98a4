//! Issue 18 item 1: a spec's `templates:` stays inside the spec's repository (the folder holding
//! `.git` above the spec, else the spec's folder); `--templates` may point anywhere and says so.
//! Refusals are located at the key, exit 2 and write nothing.

mod common;

use common::cli::Project;

/// The quickstart spec with `templates:` set, at `rel` inside the project.
fn spec_with_templates(p: Project, rel: &str, templates: &str) -> Project {
    let spec = std::fs::read_to_string(common::example("quickstart")).unwrap();
    p.file(rel, &format!("templates: {templates}\n{spec}"))
}

#[test]
fn an_absolute_templates_path_is_refused_at_the_key() {
    let p = spec_with_templates(Project::empty(), "chartwright.yaml", "/etc");
    p.run(["generate"])
        .fails(2)
        .stderr_has("chartwright.yaml:1:12")
        .stderr_has("templates: `templates: /etc` is an absolute path")
        .stderr_has("--templates");
    assert!(!p.join("deploy").exists(), "nothing may be written");
}

#[test]
fn a_templates_path_leading_out_of_the_project_is_refused() {
    for up in ["../../../x", "..", "ok/../../x"] {
        let p = spec_with_templates(Project::empty(), "a/b/chartwright.yaml", up);
        std::fs::create_dir_all(p.join("x")).unwrap();
        let v = p
            .run(["validate", "-f", "a/b/chartwright.yaml", "--format", "json"])
            .fails(2)
            .json();
        let e = &v["errors"][0];
        assert_eq!(
            (e["kind"].as_str(), e["path"].as_str(), e["line"].as_u64()),
            (Some("invalid"), Some("templates"), Some(1)),
            "{up}: {v}"
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("leads outside the spec's repository"),
            "{v}"
        );
    }
}

#[test]
fn a_symlink_inside_the_project_that_leads_out_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    common::put(outside.path(), "secret.txt", "id_rsa\n");
    let p = spec_with_templates(Project::empty(), "chartwright.yaml", "overlay");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), p.join("overlay")).unwrap();
        p.run(["diff"])
            .fails(2)
            .stderr_has("leads outside the spec's repository")
            .stdout_is_empty();
    }
}

#[test]
fn inside_a_git_repository_the_overlay_may_sit_above_the_spec() {
    let p = spec_with_templates(
        Project::empty(),
        "services/api/chartwright.yaml",
        "../../team-templates",
    )
    .file("team-templates/extra.txt", "hello\n");
    std::fs::create_dir(p.join(".git")).unwrap();
    p.run(["validate", "-f", "services/api/chartwright.yaml"])
        .succeeds();
    // Without the repository marker, the spec's folder is the boundary.
    std::fs::remove_dir(p.join(".git")).unwrap();
    p.run(["validate", "-f", "services/api/chartwright.yaml"])
        .fails(2)
        .stderr_has("leads outside");
}

#[test]
fn the_templates_flag_may_point_anywhere_and_says_so() {
    let outside = tempfile::tempdir().unwrap();
    common::put(outside.path(), "extra.txt", "hello\n");
    let p = Project::example("quickstart");
    std::fs::create_dir(p.join(".git")).unwrap();
    p.run(["validate", "--templates"])
        .arg(outside.path())
        .succeeds()
        .stderr_has("note: using templates from")
        .stderr_has("outside the spec's repository");
    // Inside the repository: no note.
    let p = p.file("overlay/extra.txt", "hello\n");
    p.run(["validate", "--templates", "overlay"])
        .succeeds()
        .stderr_is_empty();
}
