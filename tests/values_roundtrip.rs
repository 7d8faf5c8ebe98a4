//! A value must never change meaning on its way into Helm values, manifests and Compose.

mod common;

use chartwright::yaml::parse_documents;

fn spec_with(value: &str) -> String {
    let quoted = common::yaml_quoted(value);
    format!(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:1.0.0\n    ports: [{{ name: http, port: 8080 }}]\n    env:\n      TRICKY: {quoted}\n"
    )
}

/// Undoes Compose's `$$` escape, as Compose does when it reads the file.
fn compose_unescape(s: &str) -> String {
    s.replace("$$", "$")
}

#[test]
fn env_values_survive_every_output_verbatim() {
    for value in common::TRICKY {
        let files = common::generate_text(&spec_with(value));
        // docker-compose.yml
        let compose = &parse_documents(files.get("docker-compose.yml").unwrap()).unwrap()[0];
        let got = compose["services"]["api"]["environment"]["TRICKY"]
            .as_str()
            .unwrap();
        assert_eq!(compose_unescape(got), *value, "compose: {value:?}");
        assert!(
            !got.replace("$$", "").contains('$'),
            "an unescaped $ would be interpolated: {got:?}"
        );
        // Every generated YAML file must still parse.
        for (path, text) in files.iter() {
            if (path.ends_with(".yaml") || path.ends_with(".yml")) && !path.contains("/templates/")
            {
                parse_documents(text).unwrap_or_else(|e| panic!("{path} for {value:?}: {e}"));
            }
        }
        // Helm values.yaml, when the chart templates are present.
        if let Some(values) = files.get("charts/api/values.yaml") {
            let v = &parse_documents(values).unwrap()[0];
            assert_eq!(
                v["env"]["TRICKY"].as_str(),
                Some(*value),
                "values.yaml: {value:?}"
            );
        }
        // Plain manifests: the ConfigMap's data.
        for (path, text) in files.iter().filter(|(p, _)| p.starts_with("k8s/")) {
            for doc in parse_documents(text).unwrap() {
                if doc["kind"] == "ConfigMap" {
                    assert_eq!(
                        doc["data"]["TRICKY"].as_str(),
                        Some(*value),
                        "{path}: {value:?}"
                    );
                }
            }
        }
    }
}

/// The same strings through the tools users run: `helm template` (Helm 3 and 4) must hand each
/// back in the ConfigMap, `docker compose config` in the environment, and kubernetes-validate
/// must accept the plain manifests that carry them. The list holds the characters a YAML
/// stream may not carry raw and the ones YAML 1.1 readers take for line breaks (NEL was folded
/// to a space, DEL made Helm and Compose refuse the file).
#[test]
fn env_values_survive_helm_compose_and_kubernetes_validate() {
    let helms: Vec<_> = ["helm3", "helm4"]
        .into_iter()
        .filter_map(common::require)
        .collect();
    let compose = common::require("docker-compose");
    let validate = common::require("kubernetes-validate");
    let mut spec = String::from(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:1.0.0\n    ports: [{ name: http, port: 8080 }]\n    env:\n",
    );
    for (i, v) in common::TRICKY.iter().enumerate() {
        spec.push_str(&format!("      V{i}: {}\n", common::yaml_quoted(v)));
    }
    // The same strings in an override, so that they also travel through values-prod.yaml.
    spec.push_str("environments:\n  dev: {}\n  prod:\n    overrides:\n      api:\n        env:\n");
    for (i, v) in common::TRICKY.iter().enumerate() {
        spec.push_str(&format!("          W{i}: {}\n", common::yaml_quoted(v)));
    }
    let dir = tempfile::tempdir().unwrap();
    let (plan, out) = common::generate_to_dir(dir.path(), &spec);
    let chart = out.join("charts/api");
    for helm in &helms {
        for env in &plan.environments {
            let (ok, stdout, stderr) = common::run(
                std::process::Command::new(helm)
                    .arg("template")
                    .arg("api")
                    .arg(&chart)
                    .arg("-n")
                    .arg(&env.namespace)
                    .arg("-f")
                    .arg(chart.join(format!("values-{}.yaml", env.name))),
            );
            assert!(
                ok,
                "{}: helm template ({}):\n{stderr}",
                helm.display(),
                env.name
            );
            let docs = parse_documents(&stdout).unwrap();
            let cm = docs
                .iter()
                .find(|d| d["kind"] == "ConfigMap")
                .expect("a ConfigMap");
            for (i, v) in common::TRICKY.iter().enumerate() {
                assert_eq!(
                    cm["data"][format!("V{i}")].as_str(),
                    Some(*v),
                    "{} changed {v:?}",
                    helm.display()
                );
                if env.name == "prod" {
                    assert_eq!(
                        cm["data"][format!("W{i}")].as_str(),
                        Some(*v),
                        "{} changed {v:?} from values-prod.yaml",
                        helm.display()
                    );
                }
            }
        }
    }
    if let Some(compose) = &compose {
        let config = common::compose_config(compose, &plan, &out).unwrap();
        // `config` prints a Compose file again, so it writes a literal `$` as `$$`; undoing that
        // gives what the container receives. An unescaped `$HOME` would have been interpolated.
        for (i, v) in common::TRICKY.iter().enumerate() {
            let got = config["services"]["api"]["environment"][format!("V{i}")]
                .as_str()
                .map(compose_unescape);
            assert_eq!(got.as_deref(), Some(*v), "compose changed {v:?}");
        }
    }
    if let Some(validate) = &validate {
        for env in &plan.environments {
            let file = out.join("k8s").join(&env.name).join("api.yaml");
            let (ok, stdout, stderr) = common::run(
                std::process::Command::new(validate)
                    .arg("--strict")
                    .arg("-k")
                    .arg("1.33")
                    .arg("--quiet")
                    .arg(&file),
            );
            assert!(
                ok,
                "kubernetes-validate {}:\n{stdout}\n{stderr}",
                file.display()
            );
        }
    }
}
