//! The chart's `version` follows its content (issue 15): the same chart has the same version,
//! a changed chart another, and a chart that did not change keeps its own.

use chartwright::yaml::parse_documents;

mod common;

fn spec(level: &str) -> String {
    format!(
        "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/api:1.0.0\n    ports: [{{ name: http, port: 8080 }}]\n    env: {{ LOG_LEVEL: {level} }}\n  web:\n    image: registry.example.com/web:2.0.0\n    ports: [{{ name: http, port: 8080 }}]\n"
    )
}

/// (version, content hash, appVersion) of each chart, and the api chart's README.
fn charts(level: &str) -> (Vec<(String, String, String)>, String) {
    let files = common::generate_text(&spec(level));
    let metas = ["api", "web"]
        .iter()
        .map(|svc| {
            let text = files.get(&format!("charts/{svc}/Chart.yaml")).unwrap();
            assert!(
                !text.contains("chartwright.version"),
                "a placeholder left: {text}"
            );
            let c = &parse_documents(text).unwrap()[0];
            let version = c["version"].as_str().unwrap().to_string();
            assert!(semver::Version::parse(&version).is_ok(), "{version}");
            assert!(
                !version.contains('+'),
                "OCI tags cannot hold a +: {version}"
            );
            (
                version,
                c["annotations"]["chartwright.dev/content-hash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                c["appVersion"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (
        metas,
        files.get("charts/api/README.md").unwrap().to_string(),
    )
}

#[test]
fn the_same_chart_has_the_same_version_and_a_changed_one_another() {
    let (first, readme) = charts("info");
    assert_eq!(first[0].2, "1.0.0", "appVersion is the image tag");
    assert!(
        readme.contains(&format!("version {}", first[0].0)),
        "{readme}"
    );
    assert_eq!(charts("info").0, first, "same content, same version");
    let (changed, _) = charts("debug");
    assert_ne!(changed[0].0, first[0].0, "api changed");
    assert_ne!(changed[0].1, first[0].1);
    assert_eq!(changed[1], first[1], "web did not change");
}
