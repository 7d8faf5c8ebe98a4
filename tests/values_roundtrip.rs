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
