//! The chart's `version` follows its content (issue 15): the same chart keeps its version from
//! one `generate` to the next, a changed chart gets the next patch version.

use chartwright::output::{self, WriteOptions};
use chartwright::pipeline::{self, Inputs};
use chartwright::yaml::parse_documents;

fn spec(level: &str) -> String {
    format!(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:1.0.0\n    ports: [{{ name: http, port: 8080 }}]\n    env: {{ LOG_LEVEL: {level} }}\n  web:\n    image: registry.example.com/web:2.0.0\n    ports: [{{ name: http, port: 8080 }}]\n"
    )
}

/// Generates into `out` and returns (version, content hash, appVersion) of each chart.
fn generate(dir: &std::path::Path, level: &str) -> Vec<(String, String, String)> {
    let spec_path = dir.join("chartwright.yaml");
    std::fs::write(&spec_path, spec(level)).unwrap();
    let out = dir.join("out");
    let (_, files) = pipeline::generate(&Inputs {
        spec: spec_path,
        out: Some(out.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    output::write(&files, &out, &WriteOptions::default()).unwrap();
    ["api", "web"]
        .iter()
        .map(|svc| {
            let text = files.get(&format!("charts/{svc}/Chart.yaml")).unwrap();
            assert!(
                !text.contains("chartwright.version"),
                "a placeholder left: {text}"
            );
            let c = &parse_documents(text).unwrap()[0];
            (
                c["version"].as_str().unwrap().to_string(),
                c["annotations"]["chartwright.dev/content-hash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                c["appVersion"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_same_chart_keeps_its_version_and_a_changed_one_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let first = generate(dir.path(), "info");
    assert_eq!(first[0].0, "0.1.0");
    assert_eq!(first[0].2, "1.0.0", "appVersion is the image tag");
    assert_eq!(
        generate(dir.path(), "info"),
        first,
        "same content, same version"
    );
    let changed = generate(dir.path(), "debug");
    assert_eq!(changed[0].0, "0.1.1", "api changed");
    assert_ne!(changed[0].1, first[0].1);
    assert_eq!(changed[1], first[1], "web did not change");
    assert_eq!(generate(dir.path(), "debug"), changed);
    // The README of the chart names the same version.
    let readme = std::fs::read_to_string(dir.path().join("out/charts/api/README.md")).unwrap();
    assert!(readme.contains("version 0.1.1"), "{readme}");
}
