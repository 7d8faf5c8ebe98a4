//! Optional services as a team runs them: an environment that enables a profile gets the
//! service in `k8s/<env>/` and its kustomization, one that does not has no file for it (the
//! chart and its values file exist either way), and disabling the profile removes the
//! environment's file on the next `generate`, which `check` then accepts.

mod common;

use common::cli::Project;

const SPEC: &str = "version: 1
app: notes
services:
  api:
    image: registry.example.com/notes/api:1.0.0
    ports: [{ name: http, port: 3000 }]
  model:
    image: registry.example.com/notes/model:0.5.1
    ports: [{ name: http, port: 11434 }]
    profiles: [ai]
environments:
  dev: { replicas: 1 }
  prod: { replicas: 2, profiles: [ai] }
";

#[test]
fn an_environment_holds_an_optional_service_only_while_it_enables_its_profile() {
    let p = Project::with_spec(SPEC);
    p.run(["generate", "-q"]).succeeds();
    let k8s = |env: &str, file: &str| p.join(format!("deploy/k8s/{env}/{file}"));
    let listed = |env: &str| {
        std::fs::read_to_string(k8s(env, "kustomization.yaml"))
            .unwrap()
            .contains("- \"model.yaml\"")
    };
    assert!(k8s("prod", "model.yaml").is_file() && listed("prod"));
    assert!(!k8s("dev", "model.yaml").exists() && !listed("dev"));
    let values = std::fs::read_to_string(p.join("deploy/charts/model/values-dev.yaml")).unwrap();
    assert!(
        values.contains("An optional service (profiles: ai) that \"dev\" does not enable"),
        "{values}"
    );
    let compose = std::fs::read_to_string(p.join("deploy/docker-compose.yml")).unwrap();
    assert!(compose.contains("profiles: [\"ai\"]"), "{compose}");

    // prod stops enabling `ai`: its file goes, the chart stays, and generate says no
    // environment deploys the service.
    std::fs::write(
        p.join("chartwright.yaml"),
        SPEC.replace(
            "prod: { replicas: 2, profiles: [ai] }",
            "prod: { replicas: 2 }",
        ),
    )
    .unwrap();
    p.run(["generate"]).succeeds().stderr_has(
        "services.model is optional (profiles: ai) and no environment enables its profiles",
    );
    assert!(!k8s("prod", "model.yaml").exists() && !listed("prod"));
    assert!(p.join("deploy/charts/model/values-prod.yaml").is_file());
    p.run(["check", "-q"]).succeeds();
}
