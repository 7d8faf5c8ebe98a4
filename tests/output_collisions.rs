//! Issue 18 item 6: two writers of one output path are an error naming both, and nothing is
//! written (the second used to replace the first without a word).

mod common;

use common::cli::Project;

#[test]
fn a_service_named_namespace_collides_with_the_namespace_file() {
    let p = Project::with_spec(
        "version: 1\napp: shop\nservices:\n  namespace:\n    image: registry.example.com/shop/ns:1.0.0\n    ports: [{ name: http, port: 8080 }]\n",
    );
    p.run(["generate"])
        .fails(2)
        .stderr_has("two writers for the output file `k8s/dev/namespace.yaml`")
        .stderr_has("`k8s/__env__/namespace.yaml.j2`")
        .stderr_has("the chart of service `namespace`");
    assert!(!p.join("deploy").exists(), "nothing may be written");
}

#[test]
fn an_overlay_file_next_to_the_embedded_template_of_the_same_output_collides() {
    let p = Project::example("quickstart").file("overlay/docker-compose.yml", "services: {}\n");
    let ran = p
        .run(["generate", "--templates", "overlay", "--format", "json"])
        .fails(2);
    let v = ran.json();
    assert_eq!(v["error"]["exit_code"], 2, "{v}");
    let stderr = ran.stderr();
    assert!(
        stderr.contains("two writers for the output file `docker-compose.yml`")
            && stderr.contains("overlay/docker-compose.yml")
            && stderr.contains("the embedded template `docker-compose.yml.j2`"),
        "{stderr}"
    );
    assert!(!p.join("deploy").exists(), "nothing may be written");
    // Replacing the template itself (same template path) is the overlay's purpose: no collision.
    let p = Project::example("quickstart").file("overlay/docker-compose.yml.j2", "services: {}\n");
    p.run(["generate", "-q", "--templates", "overlay"])
        .succeeds();
}

#[test]
fn two_overlay_files_for_one_output_collide() {
    let p = Project::example("quickstart")
        .file("overlay/extra.yaml", "a: 1\n")
        .file("overlay/extra.yaml.j2", "a: 2\n");
    p.run(["generate", "--templates", "overlay"])
        .fails(2)
        .stderr_has("two writers for the output file `extra.yaml`");
}

/// The one rule-based exception: an overlay file at one expansion of an embedded
/// `__service__`/`__env__` template replaces that expansion only (no template path can name
/// it), whatever the order of the paths.
#[test]
fn an_overlay_file_replaces_one_expansion_of_an_embedded_template() {
    let p = Project::example("quickstart").file(
        "overlay/charts/api-server/values-prod.yaml",
        "replicaCount: 7\n",
    );
    p.run(["generate", "-q", "--templates", "overlay"])
        .succeeds();
    let prod =
        std::fs::read_to_string(p.join("deploy/charts/api-server/values-prod.yaml")).unwrap();
    assert_eq!(prod, "replicaCount: 7\n");
    assert!(p.join("deploy/charts/api-server/values-dev.yaml").is_file());
}
