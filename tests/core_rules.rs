//! The core's rules as a user meets them through the binary: layers merged once and checked
//! merged (org defaults included), Compose host ports, unquoted scalars kept as written, every
//! unknown key reported at once.

mod common;

use common::cli::Project;
use common::read;

const SPEC_HEAD: &str = "version: 1
app: shop
services:
  api:
    image: registry.example.com/shop/api:1.4.2
    ports: [{ name: http, port: 3000 }]
";

/// Runs `generate` on `spec` (and an org defaults file) in a fresh directory; returns the exit
/// code, stderr and whether anything was written.
fn generate(spec: &str, org: Option<&str>) -> (i32, String, bool, Project) {
    let mut p = Project::with_spec(spec);
    let mut args = vec!["generate", "-f", "chartwright.yaml", "-o", "deploy"];
    if let Some(org) = org {
        p = p.file("org-defaults.yaml", org);
        args.extend(["--defaults", "org-defaults.yaml"]);
    }
    let out = p.run(args).output();
    let written = p.join("deploy").exists();
    (out.code.unwrap_or(-1), out.stderr(), written, p)
}

#[test]
fn an_org_request_above_the_spec_limit_is_refused_at_the_spec_limit() {
    let spec = format!("{SPEC_HEAD}    resources:\n      limits: {{ cpu: 300m }}\n");
    let org = "resources:\n  requests:\n    cpu: 400m\n";
    let (code, stderr, written, _dir) = generate(&spec, Some(org));
    assert_eq!(code, 2, "{stderr}");
    assert!(!written, "nothing may be written");
    // The spec's limit is the later layer: it is the value to change, and the message says where
    // the request came from.
    assert!(
        stderr.contains("services.api.resources.limits.cpu")
            && stderr.contains("cpu limit is below the cpu request")
            && stderr.contains("chartwright.yaml:8")
            && stderr.contains("org-defaults.yaml:3"),
        "{stderr}"
    );
}

#[test]
fn an_org_request_above_the_built_in_limit_is_refused_in_the_org_file() {
    let org = "resources:\n  requests:\n    memory: 1Gi\n";
    let (code, stderr, written, _dir) = generate(SPEC_HEAD, Some(org));
    assert_eq!(code, 2, "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("resources.requests.memory") && stderr.contains("org-defaults.yaml:3"),
        "{stderr}"
    );
}

#[test]
fn an_org_limit_above_the_spec_request_is_accepted() {
    let spec = format!("{SPEC_HEAD}    resources:\n      requests: {{ cpu: \"1\" }}\n");
    let org = "resources:\n  limits:\n    cpu: \"2\"\n";
    let (code, stderr, written, dir) = generate(&spec, Some(org));
    assert_eq!(code, 0, "{stderr}");
    assert!(written);
    let values = read(dir.path(), "deploy/charts/api/values.yaml");
    assert!(
        values.contains("cpu: \"1\"") && values.contains("cpu: \"2\""),
        "{values}"
    );
}

#[test]
fn an_override_limit_below_an_org_request_is_refused_at_the_override() {
    let spec = format!(
        "{SPEC_HEAD}environments:\n  prod:\n    overrides:\n      api:\n        resources:\n          limits: {{ memory: 200Mi }}\n"
    );
    let org = "resources:\n  requests:\n    memory: 300Mi\n";
    let (code, stderr, written, _dir) = generate(&spec, Some(org));
    assert_eq!(code, 2, "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("environments.prod.overrides.api.resources.limits.memory"),
        "{stderr}"
    );
}

#[test]
fn compose_host_ports_stay_within_65535() {
    let spec = "version: 1
app: shop
services:
  a:
    image: registry.example.com/shop/a:1.0.0
    ports: [{ name: http, port: 65535 }]
  b:
    image: registry.example.com/shop/b:1.0.0
    ports: [{ name: http, port: 65535 }, { name: admin, port: 65534 }]
";
    let (code, stderr, _, dir) = generate(spec, None);
    assert_eq!(code, 0, "{stderr}");
    let compose = read(dir.path(), "deploy/docker-compose.yml");
    let mut hosts = Vec::new();
    for line in compose.lines() {
        if let Some(rest) = line
            .trim()
            .trim_start_matches("- ")
            .trim_matches('"')
            .strip_prefix("127.0.0.1:")
        {
            let (host, container) = rest.split_once(':').unwrap();
            let host: u32 = host.parse().unwrap();
            assert!((1..=65535).contains(&host), "{line}");
            hosts.push((host, container.to_string()));
        }
    }
    hosts.sort();
    assert_eq!(
        hosts,
        [
            (65533, "65534".to_string()),
            (65534, "65535".to_string()),
            (65535, "65535".to_string())
        ],
        "{compose}"
    );
}

#[test]
fn unquoted_scalars_keep_the_text_as_written_in_every_output() {
    let written = [
        ("VER", "1.10"),
        ("MODE", "0755"),
        ("HEX", "0x1F"),
        ("EXP", "1e3"),
        ("HALF", ".5"),
        ("PLUS", "+1"),
        ("FLAG", "true"),
    ];
    let mut spec = format!("{SPEC_HEAD}    env:\n");
    for (k, v) in written {
        spec.push_str(&format!("      {k}: {v}\n"));
    }
    // A quantity written unquoted, as Kubernetes reads it.
    spec.push_str("    resources: { limits: { cpu: .5, memory: 1e9 } }\n");
    // An override's variables, and a catalog version YAML would read as the number 8.
    spec.push_str(
        "    depends_on: [db]\nbacking:\n  db: { kind: mysql, version: 8.0 }\nenvironments:\n  dev:\n    overrides:\n      api:\n        env: { LEVEL: 010 }\n  prod: {}\n",
    );
    let (code, stderr, _, dir) = generate(&spec, None);
    assert_eq!(code, 0, "{stderr}");
    let outputs = [
        "deploy/charts/api/values.yaml",
        "deploy/k8s/dev/api.yaml",
        "deploy/k8s/prod/api.yaml",
        "deploy/docker-compose.yml",
    ];
    for file in outputs {
        let text = read(dir.path(), file);
        for (k, v) in written {
            let line = text
                .lines()
                .find(|l| {
                    l.trim_start()
                        .trim_start_matches('"')
                        .starts_with(&format!("{k}\""))
                        || l.trim_start().starts_with(&format!("{k}:"))
                })
                .unwrap_or_else(|| panic!("{file}: no {k}\n{text}"));
            assert!(line.ends_with(&format!(": \"{v}\"")), "{file}: {line}");
        }
    }
    let dev = read(dir.path(), "deploy/charts/api/values-dev.yaml");
    assert!(dev.contains("LEVEL: \"010\""), "{dev}");
    for file in ["deploy/k8s/dev/api.yaml", "deploy/docker-compose.yml"] {
        let text = read(dir.path(), file);
        assert!(text.contains("\"010\""), "{file}: LEVEL\n{text}");
    }
    let compose = read(dir.path(), "deploy/docker-compose.yml");
    assert!(compose.contains("image: \"mysql:8.0.40\""), "{compose}");
    let values = read(dir.path(), "deploy/charts/api/values.yaml");
    assert!(
        values.contains("cpu: \".5\"") && values.contains("memory: \"1e9\""),
        "{values}"
    );
    assert!(compose.contains("cpus: \"0.5\""), "{compose}");
}

/// `validate --format json` on `spec`: the exit code and the errors as (kind, path, line, hint).
fn validate_json(spec: &str) -> (i32, Vec<(String, String, u64, String)>) {
    let out = Project::with_spec(spec)
        .run(["validate", "--format", "json"])
        .output();
    let report = out.json();
    let errors = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (out.code.unwrap_or(-1), errors)
}

#[test]
fn every_unknown_key_is_reported_at_once() {
    let spec = "version: 1
app: shop
services:
  api:
    imgae: registry.example.com/shop/api:1.4.2
    prots: [{ name: http, port: 3000 }]
environmnets:
  prod: { replicas: 3 }
";
    let (code, errors) = validate_json(spec);
    assert_eq!(code, 2);
    let found: Vec<(&str, &str, u64)> = errors
        .iter()
        .map(|(k, p, l, _)| (k.as_str(), p.as_str(), *l))
        .collect();
    // The missing `image` is the misspelt `imgae`: reported once, as the unknown key.
    assert_eq!(
        found,
        [
            ("unknown-field", "services.api.imgae", 5),
            ("unknown-field", "services.api.prots", 6),
            ("unknown-field", "environmnets", 7),
        ],
        "{errors:?}"
    );
    for ((_, _, _, hint), meant) in errors.iter().zip(["image", "ports", "environments"]) {
        assert!(
            hint.starts_with(&format!("did you mean `{meant}`?")),
            "{hint}"
        );
    }
}

#[test]
fn unknown_keys_come_with_the_other_errors() {
    let spec = "version: 1
app: Shop
services:
  api:
    image: registry.example.com/shop/api:latest
    ports: [{ name: http, port: 3000, protocl: TCP }]
    dependson: [db]
    health:
      liveness: { http: /healthz, perod_seconds: 5 }
environments:
  prod: { replicas: 3, namspace: shop }
defaults:
  registy: registry.example.com
";
    let (code, errors) = validate_json(spec);
    assert_eq!(code, 2);
    let found: Vec<(&str, &str, u64)> = errors
        .iter()
        .map(|(k, p, l, _)| (k.as_str(), p.as_str(), *l))
        .collect();
    assert_eq!(
        found,
        [
            ("invalid", "app", 2),
            ("invalid", "services.api.image", 5),
            ("unknown-field", "services.api.ports[0].protocl", 6),
            ("unknown-field", "services.api.dependson", 7),
            (
                "unknown-field",
                "services.api.health.liveness.perod_seconds",
                9
            ),
            ("unknown-field", "environments.prod.namspace", 11),
            ("unknown-field", "defaults.registy", 13),
        ],
        "{errors:?}"
    );
}

#[test]
fn an_org_defaults_file_reports_every_unknown_key() {
    let org = "registy: registry.example.com\nresources:\n  limit: { cpu: \"1\" }\n";
    let (code, stderr, written, _dir) = generate(SPEC_HEAD, Some(org));
    assert_eq!(code, 2, "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("unknown field `registy`")
            && stderr.contains("did you mean `registry`?")
            && stderr.contains("unknown field `limit`")
            && stderr.contains("did you mean `limits`?"),
        "{stderr}"
    );
}
