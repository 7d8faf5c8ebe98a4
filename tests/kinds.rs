//! Workload kinds and their commands and probes, through every output: no probe path the spec
//! did not give, every spec command in the chart, `k8s/` and Compose, and `generate` saying what
//! it chose on its own.

mod common;

use std::collections::BTreeSet;

use chartwright::output::FileSet;
use chartwright::spec::Spec;
use common::cli::Project;
use serde_json::Value;

const IMAGE: &str = "registry.example.com/t/app:1.0.0";

/// Every kind of check, and services that declare none: the shapes a probe test must cover
/// beyond the examples.
fn probe_zoo() -> String {
    format!(
        "version: 1\napp: zoo\nservices:\n  \
         plain:\n    image: {IMAGE}\n    ports: [{{ name: http, port: 8080 }}]\n  \
         portless:\n    image: {IMAGE}\n  \
         grpc:\n    image: {IMAGE}\n    ports: [{{ name: grpc, port: 50051 }}]\n    health: {{ liveness: {{ grpc: grpc }} }}\n  \
         tcp:\n    image: {IMAGE}\n    ports: [{{ name: db, port: 5432 }}]\n    health: {{ liveness: {{ tcp: db }}, shell: bash }}\n  \
         http:\n    image: {IMAGE}\n    ports: [{{ name: web, port: 80 }}, {{ name: admin, port: 9000 }}]\n    health: {{ liveness: {{ http: /live, port: admin }}, readiness: {{ http: /ready }} }}\n  \
         quiet:\n    kind: worker\n    image: {IMAGE}\n    health: {{ liveness: none }}\n  \
         busy:\n    kind: worker\n    image: {IMAGE}\n    command: [work, --hard]\n    entrypoint: [/sbin/tini, --]\n    health: {{ liveness: {{ exec: [check, --deep] }} }}\n    depends_on: [plain, quiet, once]\n  \
         once:\n    kind: job\n    image: {IMAGE}\n    command: [migrate]\n  \
         nightly:\n    kind: cronjob\n    schedule: \"0 1 * * *\"\n    image: {IMAGE}\n    command: [sweep, \"$HOME\"]\n"
    )
}

/// Every spec the tests run through the outputs (the examples and the zoo above), parsed and
/// generated.
fn specs() -> Vec<(String, Spec, FileSet)> {
    let mut out: Vec<(String, Spec, FileSet)> = common::examples()
        .iter()
        .map(|p| {
            let spec = chartwright::spec::load(p)
                .unwrap_or_else(|e| panic!("{e}"))
                .spec;
            (p.display().to_string(), spec, common::generate(p))
        })
        .collect();
    let zoo = probe_zoo();
    let spec = chartwright::spec::parse("chartwright.yaml", &zoo)
        .unwrap_or_else(|e| panic!("{e}"))
        .spec;
    out.push(("probe zoo".into(), spec, common::generate_text(&zoo)));
    out
}

fn docs(text: &str) -> Vec<Value> {
    chartwright::yaml::parse_documents(text).unwrap()
}

/// Every `httpGet` path anywhere under `v`.
fn http_paths(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(p) = m.get("httpGet").and_then(|h| h["path"].as_str()) {
                out.push(p.to_string());
            }
            m.values().for_each(|c| http_paths(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| http_paths(c, out)),
        _ => {}
    }
}

#[test]
fn no_probe_uses_an_http_path_the_spec_did_not_declare() {
    for (label, spec, files) in specs() {
        for (name, svc) in &spec.services {
            let declared: BTreeSet<String> = svc
                .value
                .health
                .iter()
                .flat_map(|h| [&h.liveness, &h.readiness, &h.startup])
                .flatten()
                .filter_map(|p| p.value.probe()?.http.as_ref().map(|h| h.value.clone()))
                .collect();
            let mut used = Vec::new();
            for (path, content) in files.iter() {
                if path.starts_with("k8s/") && path.ends_with(&format!("/{name}.yaml")) {
                    for d in docs(content) {
                        http_paths(&d, &mut used);
                    }
                }
            }
            // The chart's values: a path only on an enabled http probe.
            let values = &docs(files.get(&format!("charts/{name}/values.yaml")).unwrap())[0];
            for which in ["liveness", "readiness", "startup"] {
                let p = &values["probes"][which];
                if p["type"] == "http" && p["enabled"] == true {
                    used.push(p["path"].as_str().unwrap().to_string());
                } else {
                    assert_eq!(p["path"], "", "{label}: {name} {which} carries a path");
                }
            }
            // Compose: the URL a healthcheck fetches.
            let compose = &docs(files.get("docker-compose.yml").unwrap())[0];
            if let Some(test) = compose["services"][name]["healthcheck"]["test"].as_array() {
                for arg in test.iter().filter_map(Value::as_str) {
                    if let Some(rest) = arg.strip_prefix("http://127.0.0.1:") {
                        used.push(rest[rest.find('/').unwrap()..].to_string());
                    }
                }
            }
            for p in &used {
                assert!(
                    declared.contains(p),
                    "{label}: {name} probes `{p}`, which its spec does not declare ({declared:?})"
                );
            }
        }
    }
}

/// The container of a service's workload in one `k8s/<env>/` file.
fn container(files: &FileSet, env: &str, svc: &str) -> Value {
    let text = files.get(&format!("k8s/{env}/{svc}.yaml")).unwrap();
    for d in docs(text) {
        let spec = match d["kind"].as_str() {
            Some("Deployment" | "StatefulSet" | "Job") => &d["spec"]["template"]["spec"],
            Some("CronJob") => &d["spec"]["jobTemplate"]["spec"]["template"]["spec"],
            _ => continue,
        };
        return spec["containers"][0].clone();
    }
    panic!("no workload in k8s/{env}/{svc}.yaml");
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_spec_command_and_entrypoint_reaches_the_chart_the_manifests_and_compose() {
    let mut seen = 0;
    for (label, spec, files) in specs() {
        let compose = &docs(files.get("docker-compose.yml").unwrap())[0];
        for (name, svc) in &spec.services {
            let command: Vec<String> = svc
                .value
                .command
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let entrypoint: Vec<String> = svc
                .value
                .entrypoint
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default();
            seen += usize::from(!command.is_empty()) + usize::from(!entrypoint.is_empty());
            // The chart: CMD is args, ENTRYPOINT is command (values.yaml; the templates render
            // them, and the conformance suite holds `helm template` equal to k8s/).
            let values = &docs(files.get(&format!("charts/{name}/values.yaml")).unwrap())[0];
            assert_eq!(
                strings(&values["args"]),
                command,
                "{label}: {name} chart args"
            );
            assert_eq!(
                strings(&values["command"]),
                entrypoint,
                "{label}: {name} chart command"
            );
            for env in files
                .paths()
                .filter_map(|p| {
                    p.strip_prefix("k8s/")?
                        .strip_suffix(&format!("/{name}.yaml"))
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
            {
                let c = container(&files, &env, name);
                assert_eq!(
                    strings(&c["args"]),
                    command,
                    "{label}: {name} k8s/{env} args"
                );
                assert_eq!(
                    strings(&c["command"]),
                    entrypoint,
                    "{label}: {name} k8s/{env} command"
                );
            }
            // Compose writes `$` as `$$`; reading it back gives the spec's text.
            let unescape = |v: &Value| -> Vec<String> {
                strings(v)
                    .into_iter()
                    .map(|s| s.replace("$$", "$"))
                    .collect()
            };
            let c = &compose["services"][name];
            assert_eq!(
                unescape(&c["command"]),
                command,
                "{label}: {name} compose command"
            );
            assert_eq!(
                unescape(&c["entrypoint"]),
                entrypoint,
                "{label}: {name} compose entrypoint"
            );
        }
    }
    assert!(seen >= 6, "the specs carry commands to check ({seen})");
}

#[test]
fn generate_says_which_checks_it_chose_without_being_told() {
    let p = Project::with_spec(&probe_zoo());
    let ran = p.run(["generate"]).succeeds();
    let stderr = ran.stderr();
    for expected in [
        "note: services.plain declares no health check: its probes check that TCP port `http` (8080) accepts connections",
        "note: services.plain: no Compose healthcheck: a TCP check of port `http`",
        "note: services.portless is a service without ports and declares no health check",
        "note: services.grpc: no Compose healthcheck: a gRPC check",
        "note: services.quiet: no health check, so no Compose healthcheck",
    ] {
        assert!(stderr.contains(expected), "no {expected:?} in:\n{stderr}");
    }
    // Declared checks that Compose can run need no note.
    for quiet in [
        "services.tcp",
        "services.http",
        "services.busy",
        "services.once",
        "services.nightly",
    ] {
        assert!(
            !stderr.contains(&format!("note: {quiet}")),
            "{quiet} noted:\n{stderr}"
        );
    }
    let compose = std::fs::read_to_string(p.join("deploy/docker-compose.yml")).unwrap();
    let compose = &docs(&compose)[0]["services"];
    assert_eq!(
        compose["busy"]["depends_on"]["plain"]["condition"],
        "service_started"
    );
    assert_eq!(
        compose["busy"]["depends_on"]["quiet"]["condition"],
        "service_started"
    );
    assert_eq!(
        compose["busy"]["depends_on"]["once"]["condition"],
        "service_completed_successfully"
    );
    assert_eq!(
        compose["tcp"]["healthcheck"]["test"],
        serde_json::json!(["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5432"])
    );
    assert_eq!(compose["nightly"]["profiles"], serde_json::json!(["cron"]));
    // The probes Kubernetes gets.
    let k8s =
        |svc: &str| std::fs::read_to_string(p.join(format!("deploy/k8s/dev/{svc}.yaml"))).unwrap();
    assert!(k8s("plain").contains("tcpSocket:\n              port: \"http\""));
    assert!(k8s("grpc").contains("grpc:\n              port: 50051"));
    assert!(!k8s("quiet").contains("Probe:"), "liveness none: no probes");
    assert!(!k8s("portless").contains("kind: Service\n"));
}
