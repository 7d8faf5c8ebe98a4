//! Team template overlays: the example, layering of defaults, and every way an overlay fails.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chartwright::pipeline::{self, Error, Inputs};
use common::cli::{Project, chartwright};
use common::put;

fn example() -> PathBuf {
    common::example("team-overlay")
}

fn quickstart() -> String {
    fs::read_to_string(common::example("quickstart")).unwrap()
}

/// A temp dir with the quickstart spec and an overlay folder `overlay/` with these files.
fn project(files: &[(&str, &str)]) -> Project {
    Project::example("quickstart").overlay(files)
}

fn run(dir: &Path) -> Result<chartwright::output::FileSet, Error> {
    pipeline::generate(&Inputs {
        spec: dir.join("chartwright.yaml"),
        templates: Some(dir.join("overlay")),
        defaults: None,
        ..Default::default()
    })
    .map(|(_, f)| f)
}

fn err(dir: &Path) -> String {
    let e = run(dir).expect_err("the overlay must fail");
    assert_eq!(e.exit_code(), 2, "{e}");
    e.to_string()
}

#[test]
fn example_adds_drops_and_labels() {
    let (plan, files) = pipeline::generate(&Inputs {
        spec: example(),
        ..Default::default()
    })
    .unwrap();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p).collect();
    assert!(!paths.contains(&".env.example"), "{paths:?}");
    // The ServiceMonitor is one chart template; the plain manifests get it from the chart.
    assert!(
        paths.contains(&"charts/api-server/templates/servicemonitor.yaml"),
        "{paths:?}"
    );
    let monitor = files.get("k8s/prod/api-server.yaml").unwrap();
    assert!(monitor.contains("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor"));
    assert!(monitor.contains("\"team.example.com/owner\": \"payments\""));
    let compose = files.get("docker-compose.yml").unwrap();
    assert_eq!(
        compose
            .matches("\"team.example.com/owner\": \"payments\"")
            .count(),
        3,
        "every Compose service carries the label:\n{compose}"
    );
    // The org label is on every object of the plain manifests (and so, by the conformance
    // equivalence test, of the Helm output).
    // (kustomization.yaml is kubectl's input, not an object: it has no metadata.)
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("k8s/") && !p.ends_with("/kustomization.yaml"))
    {
        for doc in chartwright::yaml::parse_documents(text).unwrap() {
            assert_eq!(
                doc["metadata"]["labels"]["team.example.com/owner"], "payments",
                "{path}: {} {}",
                doc["kind"], doc["metadata"]["name"]
            );
        }
    }
    let api = &plan.services[0];
    for e in &api.environments {
        assert_eq!(e.values.common_labels["team.example.com/owner"], "payments");
        assert_eq!(e.values.ingress.class_name, "traefik");
    }
}

#[test]
fn embedded_compose_is_unchanged_without_overlay() {
    let dir = project(&[]);
    let plain = run(dir.path()).unwrap();
    assert!(!plain.get("docker-compose.yml").unwrap().contains("labels:"));
    assert!(plain.get(".env.example").is_some());
}

#[test]
fn precedence_builtin_org_spec_env() {
    let spec = |defaults: &str, env_override: &str| {
        quickstart()
            .replace(
                "    resources:\n      requests: { cpu: 250m, memory: 256Mi }\n      limits: { cpu: 500m, memory: 512Mi }\n",
                "",
            )
            .replace("  dev: { replicas: 1 }", &format!("  dev: {{ replicas: 1 {env_override} }}"))
            + defaults
    };
    let org = "resources:\n  requests: { cpu: 111m }\ningress_class: org-class\n";
    let cases = [
        // (org file?, spec defaults, dev env override, expected dev cpu, expected dev class)
        (false, "", "", "250m", "nginx"),
        (true, "", "", "111m", "org-class"),
        (
            true,
            "defaults:\n  resources: { requests: { cpu: 222m } }\n  ingress_class: spec-class\n",
            "",
            "222m",
            "spec-class",
        ),
        (
            true,
            "defaults:\n  resources: { requests: { cpu: 222m } }\n  ingress_class: spec-class\n",
            ", ingress: { class: env-class }, overrides: { api-server: { resources: { requests: { cpu: 333m } } } }",
            "333m",
            "env-class",
        ),
    ];
    for (with_org, defaults, env_override, cpu, class) in cases {
        let dir = project(&[
            ("chartwright-overlay.yaml", "defaults: org.yaml\n"),
            ("org.yaml", if with_org { org } else { "{}\n" }),
        ]);
        put(
            dir.path(),
            "chartwright.yaml",
            &spec(defaults, env_override),
        );
        let (plan, _) = pipeline::plan(&Inputs {
            spec: dir.path().join("chartwright.yaml"),
            templates: Some(dir.path().join("overlay")),
            defaults: None,
            ..Default::default()
        })
        .unwrap();
        let dev = &plan.services[0].environments[0];
        assert_eq!(dev.env, "dev");
        assert_eq!(
            dev.values.resources.requests.cpu, cpu,
            "{defaults} {env_override}"
        );
        assert_eq!(
            dev.values.ingress.class_name, class,
            "{defaults} {env_override}"
        );
    }
}

#[test]
fn defaults_flag_wins_over_overlay_defaults() {
    let dir = project(&[
        ("chartwright-overlay.yaml", "defaults: org.yaml\n"),
        ("org.yaml", "ingress_class: overlay-class\n"),
    ]);
    put(dir.path(), "flag.yaml", "ingress_class: flag-class\n");
    let (plan, _) = pipeline::plan(&Inputs {
        spec: dir.path().join("chartwright.yaml"),
        templates: Some(dir.path().join("overlay")),
        defaults: Some(dir.path().join("flag.yaml")),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        plan.services[0].environments[0].values.ingress.class_name,
        "flag-class"
    );
}

#[test]
fn syntax_error_names_file_line_and_snippet() {
    let dir = project(&[("extra.yaml.j2", "a: 1\nb: [[ app \nc: 3\n")]);
    let msg = err(dir.path());
    assert!(msg.contains("overlay/extra.yaml.j2:"), "{msg}");
    assert!(msg.contains(":2:") || msg.contains(":3:"), "{msg}");
    assert!(msg.contains("|") && msg.contains("b: [[ app"), "{msg}");
}

#[test]
fn undefined_variable_names_file_line_and_snippet() {
    let dir = project(&[("extra.yaml.j2", "a: 1\nb: [[ no_such_field ]]\n")]);
    let msg = err(dir.path());
    assert!(msg.contains("overlay/extra.yaml.j2:2:"), "{msg}");
    assert!(
        msg.contains("2 | b: [[ no_such_field ]]\n  | ^^^^"),
        "{msg}"
    );
}

#[test]
fn undefined_variable_in_overridden_partial_names_the_partial() {
    let dir = project(&[(
        "_partials/compose_service_header.j2",
        "[%- macro service_header(s) %]\n  [[ s.nope ]]:\n[%- endmacro %]\n",
    )]);
    let msg = err(dir.path());
    assert!(
        msg.contains("overlay/_partials/compose_service_header.j2:2"),
        "{msg}"
    );
}

#[test]
fn invalid_yaml_output_is_refused() {
    let dir = project(&[("extra.yaml.j2", "a: 1\nb: [unclosed\nc: 3\n")]);
    let msg = err(dir.path());
    assert!(msg.contains("overlay/extra.yaml.j2"), "{msg}");
    assert!(msg.contains("not valid YAML"), "{msg}");
}

#[test]
fn defaults_outside_the_overlay_is_refused() {
    let dir = project(&[("chartwright-overlay.yaml", "defaults: ../org.yaml\n")]);
    put(dir.path(), "org.yaml", "{}\n");
    let msg = err(dir.path());
    assert!(msg.contains("chartwright-overlay.yaml"), "{msg}");
    assert!(msg.contains("../org.yaml"), "{msg}");
}

#[test]
fn exclude_outside_the_tree_is_refused() {
    let dir = project(&[("chartwright-overlay.yaml", "exclude: [../x]\n")]);
    let msg = err(dir.path());
    assert!(msg.contains("../x"), "{msg}");
}

#[cfg(unix)]
#[test]
fn symlink_leaving_the_overlay_is_refused() {
    let dir = project(&[]);
    put(dir.path(), "secret.yaml.j2", "a: 1\n");
    std::os::unix::fs::symlink(
        dir.path().join("secret.yaml.j2"),
        dir.path().join("overlay/leak.yaml.j2"),
    )
    .unwrap();
    let msg = err(dir.path());
    assert!(msg.contains("overlay/leak.yaml.j2"), "{msg}");
    assert!(msg.contains("outside the overlay folder"), "{msg}");
}

#[test]
fn contract_mismatch_is_refused() {
    let dir = project(&[("chartwright-overlay.yaml", "contract: 99\n")]);
    let msg = err(dir.path());
    assert!(msg.contains("chartwright-overlay.yaml"), "{msg}");
    assert!(msg.contains("contract 99"), "{msg}");
}

#[test]
fn exclude_matching_nothing_is_refused() {
    let dir = project(&[("chartwright-overlay.yaml", "exclude: [nope.yaml]\n")]);
    assert!(err(dir.path()).contains("nope.yaml"));
}

#[test]
fn broken_overlay_writes_nothing() {
    let dir = project(&[("extra.yaml.j2", "a: [[ no_such_field ]]\n")]);
    dir.run(["generate", "--templates", "overlay", "-o", "deploy"])
        .fails(2)
        .stderr_has("overlay/extra.yaml.j2:1");
    assert!(!dir.path().join("deploy").exists());
}

#[test]
fn spec_templates_key_is_relative_to_the_spec() {
    let text = chartwright(["templates", "list", "-f"])
        .arg(example())
        .succeeds()
        .stdout();
    assert!(text.contains("excluded  .env.example.j2"), "{text}");
    assert!(
        text.contains("overlay   _partials/compose_service_header.j2"),
        "{text}"
    );
    assert!(text.contains("embedded  docker-compose.yml.j2"), "{text}");
    assert!(
        text.contains("overlay   charts/__service__/templates/servicemonitor.yaml.j2"),
        "{text}"
    );
}

#[test]
fn eject_copies_and_never_overwrites() {
    let dir = Project::empty();
    dir.run(["templates", "eject", "docker-compose.yml", "_partials/*"])
        .succeeds();
    let ejected = dir.path().join("chartwright-templates");
    assert!(ejected.join("docker-compose.yml.j2").is_file());
    assert!(
        ejected
            .join("_partials/compose_service_header.j2")
            .is_file()
    );
    assert!(!ejected.join(".env.example.j2").exists());
    fs::write(ejected.join("docker-compose.yml.j2"), "mine\n").unwrap();
    dir.run(["templates", "eject"])
        .fails(2)
        .stderr_has("docker-compose.yml.j2");
    assert_eq!(
        fs::read_to_string(ejected.join("docker-compose.yml.j2")).unwrap(),
        "mine\n"
    );
    assert!(
        !ejected.join(".env.example.j2").exists(),
        "nothing is written on refusal"
    );
}

#[test]
fn ejected_tree_as_overlay_renders_the_same() {
    let dir = project(&[]);
    dir.run(["templates", "eject", "--to", "overlay"])
        .succeeds();
    let plain = pipeline::generate(&Inputs {
        spec: dir.path().join("chartwright.yaml"),
        ..Default::default()
    })
    .unwrap()
    .1;
    assert_eq!(run(dir.path()).unwrap(), plain);
}

#[test]
fn context_prints_service_and_env_fields() {
    let ctx = chartwright([
        "templates",
        "context",
        "--service",
        "api-server",
        "--env",
        "prod",
        "-f",
    ])
    .arg(example())
    .succeeds()
    .json();
    assert_eq!(ctx["contract_version"], 1);
    assert_eq!(ctx["service"]["name"], "api-server");
    assert_eq!(ctx["env"]["name"], "prod");
    assert_eq!(ctx["values"]["ingress"]["className"], "traefik");
    let ctx = chartwright(["templates", "context", "-f"])
        .arg(example())
        .output()
        .json();
    assert!(ctx.get("service").is_none() && ctx.get("values").is_none());
}
