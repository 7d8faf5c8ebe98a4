//! Hand edits and the two outputs (issue 16): an edit kept by the three-way merge in a chart
//! file (`values.yaml`, `values-<env>.yaml`, a chart template) reaches `k8s/<env>/`, because
//! `k8s/` is rendered from the chart as it will be on disk; an edit made in `k8s/` itself,
//! which the chart cannot carry, is reported by `generate` and makes `check` exit 1. Tested
//! through the binary, the way a team works: generate, edit, change the spec, regenerate,
//! check. The Helm-backed equality of the edited tree is in `conformance.rs`.

mod common;

use std::fs;
use std::path::Path;

use chartwright::yaml::parse_documents;
use common::cli::Project;
use serde_json::Value;

fn quickstart() -> Project {
    Project::example("quickstart")
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let s = fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, s.replacen(from, to, 1)).unwrap();
}

fn deployment(p: &Project, env: &str) -> Value {
    let text = fs::read_to_string(p.join(format!("deploy/k8s/{env}/api-server.yaml"))).unwrap();
    parse_documents(&text)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == "Deployment")
        .expect("a Deployment")
}

/// A spec change that touches the chart but none of the edited lines.
fn bump_image(p: &Project) {
    replace_in(
        &p.join("chartwright.yaml"),
        "api-server:v1.2.3",
        "api-server:v1.2.4",
    );
}

#[test]
fn edits_in_values_files_and_a_chart_template_reach_k8s_and_check_passes() {
    let p = quickstart();
    p.run(["generate", "-q"]).succeeds();
    let chart = p.join("deploy/charts/api-server");
    replace_in(
        &chart.join("values.yaml"),
        "\npodLabels: {}\n",
        "\npodLabels:\n  team: blue\n",
    );
    replace_in(
        &chart.join("values-prod.yaml"),
        "\n",
        "\npodAnnotations:\n  reviewed-by: sre\n",
    );
    replace_in(
        &chart.join("templates/deployment.yaml"),
        "\nspec:\n",
        "\nspec:\n  minReadySeconds: 15\n",
    );
    // Before regenerating, the plain manifests are behind the chart: drift, not "in sync".
    p.run(["check"])
        .fails(1)
        .stderr_has("k8s/dev/api-server.yaml");

    bump_image(&p);
    let report = p.run(["generate", "--format", "json"]).succeeds().json();
    // values.yaml merges with the new tag; the template's edit is untouched by the change.
    let has = |list: &str, f: &str| {
        report["files"][list]
            .as_array()
            .unwrap()
            .contains(&Value::from(f))
    };
    assert!(has("merged", "charts/api-server/values.yaml"), "{report}");
    assert!(
        has("unchanged", "charts/api-server/templates/deployment.yaml"),
        "{report}"
    );
    assert_eq!(report["files"]["derived_edits"], serde_json::json!([]));

    for env in ["dev", "staging", "prod"] {
        let d = deployment(&p, env);
        assert_eq!(d["spec"]["minReadySeconds"], 15, "{env}");
        let pod = &d["spec"]["template"]["metadata"];
        assert_eq!(pod["labels"]["team"], "blue", "{env}");
        assert_eq!(
            d["spec"]["template"]["spec"]["containers"][0]["image"],
            "registry.example.com/quickstart/api-server:v1.2.4",
            "{env}: the spec change reaches k8s/ with the edits"
        );
        let reviewed = &pod["annotations"]["reviewed-by"];
        if env == "prod" {
            assert_eq!(reviewed, "sre");
        } else {
            assert!(reviewed.is_null(), "{env}: values-prod.yaml is prod's only");
        }
    }
    p.run(["check"]).succeeds();
    // A regeneration with nothing new changes nothing.
    p.run(["generate"]).succeeds().stdout_has("is up to date");
}

#[test]
fn an_image_tag_changed_in_an_environments_values_reaches_that_environment() {
    let p = quickstart();
    p.run(["generate", "-q"]).succeeds();
    let prod = p.join("deploy/charts/api-server/values-prod.yaml");
    let text = fs::read_to_string(&prod).unwrap();
    fs::write(&prod, format!("{text}image:\n  tag: \"v1.2.3-hotfix\"\n")).unwrap();
    // A spec change elsewhere in the chart, so the regeneration merges.
    replace_in(
        &p.join("chartwright.yaml"),
        "LOG_LEVEL: info",
        "LOG_LEVEL: warn",
    );
    p.run(["generate", "-q"]).succeeds();
    let image = |env: &str| {
        deployment(&p, env)["spec"]["template"]["spec"]["containers"][0]["image"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        image("prod").ends_with(":v1.2.3-hotfix"),
        "{}",
        image("prod")
    );
    assert!(image("dev").ends_with(":v1.2.3"), "{}", image("dev"));
    p.run(["check"]).succeeds();
}

#[test]
fn an_edit_made_in_k8s_is_kept_reported_and_fails_check_naming_the_file() {
    let p = quickstart();
    p.run(["generate", "-q"]).succeeds();
    let dev = p.join("deploy/k8s/dev/api-server.yaml");
    replace_in(
        &dev,
        "\n  revisionHistoryLimit: 5\n",
        "\n  revisionHistoryLimit: 9\n",
    );

    let checked = p.run(["check"]).fails(1);
    checked
        .stderr_has("k8s/dev/api-server.yaml holds a hand edit that the chart does not have")
        .stderr_has("charts/api-server/");
    let json = p.run(["check", "--format", "json"]).fails(1).json();
    assert_eq!(
        json["derived_edits"],
        serde_json::json!(["k8s/dev/api-server.yaml"])
    );

    // generate keeps the edit (it never discards one), says so, and check keeps failing.
    bump_image(&p);
    p.run(["generate"])
        .succeeds()
        .stderr_has("k8s/dev/api-server.yaml holds a hand edit");
    let text = fs::read_to_string(&dev).unwrap();
    assert!(text.contains("revisionHistoryLimit: 9"), "the edit is kept");
    assert!(
        text.contains("api-server:v1.2.4"),
        "and merged with the spec change"
    );
    p.run(["check"])
        .fails(1)
        .stderr_has("k8s/dev/api-server.yaml");

    // Undoing it: delete the file and regenerate.
    fs::remove_file(&dev).unwrap();
    p.run(["generate", "-q"]).succeeds();
    p.run(["check"]).succeeds();
}

#[test]
fn a_hand_edit_that_breaks_the_chart_fails_generate_naming_the_file_and_writes_nothing() {
    let p = quickstart();
    p.run(["generate", "-q"]).succeeds();
    replace_in(
        &p.join("deploy/charts/api-server/templates/deployment.yaml"),
        "\nspec:\n",
        "\nspec:\n  minReadySeconds: {{ .Values.x | nosuchfunction }}\n",
    );
    bump_image(&p);
    let before = common::snapshot(&p.join("deploy"));
    p.run(["generate"])
        .fails(2)
        .stderr_has("deploy/charts/api-server/templates/deployment.yaml")
        .stderr_has("nosuchfunction");
    assert_eq!(
        common::snapshot(&p.join("deploy")),
        before,
        "nothing written"
    );
}
