//! The real tools users run on the output: Helm 3 and 4, kubernetes-validate, checkov, Docker
//! Compose and yamllint. Without the tools these tests say loudly that they skipped; with
//! `CHARTWRIGHT_REQUIRE_TOOLS=1` (set by `scripts/test` and CI) a missing tool is a failure.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chartwright::output::{self, WriteOptions};
use chartwright::pipeline::{self, Inputs};
use chartwright::plan::Plan;
use chartwright::yaml::parse_documents;
use serde_json::Value;

use common::cli::chartwright;
use common::{require, run, tool};

/// A generated example on disk.
struct Generated {
    _dir: tempfile::TempDir,
    out: PathBuf,
    plan: Plan,
    name: String,
}

fn generate_to_disk(spec: &Path) -> Generated {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deploy");
    let (plan, files) = pipeline::generate(&Inputs {
        spec: spec.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    output::write(&files, &out, &WriteOptions::default()).unwrap();
    let name = spec
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    Generated {
        _dir: dir,
        out,
        plan,
        name,
    }
}

fn all_generated() -> Vec<Generated> {
    common::examples()
        .iter()
        .map(|s| generate_to_disk(s))
        .collect()
}

/// `helm template` of one service in one environment, as parsed documents.
fn helm_template(helm: &Path, g: &Generated, svc: &str, env: &str, ns: &str) -> Vec<Value> {
    let chart = g.out.join("charts").join(svc);
    let (ok, stdout, stderr) = run(Command::new(helm)
        .arg("template")
        .arg(svc)
        .arg(&chart)
        .arg("-n")
        .arg(ns)
        .arg("-f")
        .arg(chart.join(format!("values-{env}.yaml"))));
    assert!(
        ok,
        "{}: helm template {svc} ({env}) failed:\n{stderr}",
        g.name
    );
    parse_documents(&stdout).unwrap_or_else(|e| panic!("helm output does not parse: {e}\n{stdout}"))
}

/// The objects of `k8s/<env>/` that belong to one service.
fn manifests(g: &Generated, env: &str, svc: &str) -> Vec<Value> {
    let dir = g.out.join("k8s").join(env);
    let mut docs = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        for doc in parse_documents(&text).unwrap() {
            if doc["metadata"]["labels"]["app.kubernetes.io/name"] == svc {
                docs.push(doc);
            }
        }
    }
    docs
}

/// Removes what only Helm adds, so the two renderings can be compared object by object.
fn normalise(mut docs: Vec<Value>) -> BTreeMap<(String, String), Value> {
    // Test hooks are `helm test`'s; a job's pre-install hook is an object of k8s/<env>/ too.
    docs.retain(|d| d["metadata"]["annotations"]["helm.sh/hook"] != "test");
    let mut out = BTreeMap::new();
    for mut d in docs {
        strip_helm_labels(&mut d);
        // `helm -n` places the objects; the plain manifests carry the namespace themselves.
        if let Some(meta) = d["metadata"].as_object_mut() {
            meta.remove("namespace");
        }
        let key = (
            d["kind"].as_str().unwrap_or_default().to_string(),
            d["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        out.insert(key, d);
    }
    out
}

fn strip_helm_labels(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(labels)) = m.get_mut("labels") {
                labels.remove("helm.sh/chart");
                if labels.contains_key("app.kubernetes.io/managed-by") {
                    labels.insert(
                        "app.kubernetes.io/managed-by".into(),
                        Value::String("chartwright".into()),
                    );
                }
            }
            for child in m.values_mut() {
                strip_helm_labels(child);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_helm_labels),
        _ => {}
    }
}

fn helms() -> Vec<(&'static str, PathBuf)> {
    ["helm3", "helm4"]
        .into_iter()
        .filter_map(|h| require(h).map(|p| (h, p)))
        .collect()
}

#[test]
fn helm_lint_strict_passes_for_every_example_and_environment() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    for g in all_generated() {
        for svc in &g.plan.services {
            for env in &g.plan.environments {
                for (label, helm) in &helms {
                    let chart = g.out.join("charts").join(&svc.name);
                    let (ok, stdout, stderr) = run(Command::new(helm)
                        .arg("lint")
                        .arg("--strict")
                        .arg(&chart)
                        .arg("-f")
                        .arg(chart.join(format!("values-{}.yaml", env.name))));
                    assert!(
                        ok,
                        "{label} lint --strict {}/{} ({}):\n{stdout}\n{stderr}",
                        g.name, svc.name, env.name
                    );
                }
            }
        }
    }
}

#[test]
fn helm_template_equals_the_plain_manifests() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    for g in all_generated() {
        assert_helm_template_equals_the_manifests(&helms, &g);
    }
}

/// A team overlay of a chart template (a changed Deployment, a new ServiceMonitor) reaches
/// k8s/ exactly as Helm renders it.
#[test]
fn helm_template_equals_the_plain_manifests_under_a_chart_overlay() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(common::example("shop"))
        .unwrap()
        .replace("\nservices:", "\ntemplates: overlay\nservices:");
    assert!(spec.contains("templates: overlay"));
    std::fs::write(dir.path().join("chartwright.yaml"), spec).unwrap();
    let templates = dir.path().join("overlay/charts/__service__/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let deployment = std::fs::read_to_string(
        common::root().join("templates/charts/__service__/templates/deployment.yaml.j2"),
    )
    .unwrap();
    let deployment = common::with_min_ready_seconds(&deployment);
    std::fs::write(templates.join("deployment.yaml.j2"), deployment).unwrap();
    std::fs::copy(
        common::example_dir("team-overlay")
            .join("templates/charts/__service__/templates/servicemonitor.yaml.j2"),
        templates.join("servicemonitor.yaml.j2"),
    )
    .unwrap();
    let g = generate_to_disk(&dir.path().join("chartwright.yaml"));
    let env = &g.plan.environments[0];
    let svc = &g.plan.services[0];
    let docs = manifests(&g, &env.name, &svc.name);
    assert!(docs.iter().any(|d| d["kind"] == "ServiceMonitor"));
    assert!(
        docs.iter()
            .any(|d| d["kind"] == "Deployment" && d["spec"]["minReadySeconds"] == 15)
    );
    assert_helm_template_equals_the_manifests(&helms, &g);
}

/// Hand edits kept by the three-way merge in a chart (values.yaml, values-<env>.yaml, a
/// chart template) reach k8s/ exactly as Helm renders the edited chart, after a regeneration
/// for a spec change, run through the binary as a team runs it.
#[test]
fn helm_template_equals_the_plain_manifests_after_hand_edits_in_the_chart() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chartwright.yaml");
    std::fs::copy(common::example("quickstart"), &spec).unwrap();
    let cw = |args: &[&str]| {
        chartwright(args).in_dir(dir.path()).succeeds();
    };
    cw(&["generate", "-q"]);
    let chart = dir.path().join("deploy/charts/api-server");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = chart.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "values.yaml",
        "\npodLabels: {}\n",
        "\npodLabels:\n  team: blue\n",
    );
    edit(
        "values-prod.yaml",
        "\nreplicaCount: 3\n",
        "\nreplicaCount: 3\nimage:\n  tag: v1.2.3-hotfix\n",
    );
    edit(
        "templates/deployment.yaml",
        "\nspec:\n",
        "\nspec:\n  minReadySeconds: 15\n",
    );
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replace("api-server:v1.2.3", "api-server:v1.2.4"),
    )
    .unwrap();
    cw(&["generate", "-q"]);
    cw(&["check", "-q"]);
    let (plan, _) = pipeline::plan(&Inputs {
        spec: spec.clone(),
        ..Default::default()
    })
    .unwrap();
    let g = Generated {
        out: dir.path().join("deploy"),
        _dir: dir,
        plan,
        name: "quickstart (hand-edited chart)".into(),
    };
    let prod = manifests(&g, "prod", "api-server");
    let deployment = prod.iter().find(|d| d["kind"] == "Deployment").unwrap();
    assert_eq!(deployment["spec"]["minReadySeconds"], 15);
    assert_eq!(
        deployment["spec"]["template"]["spec"]["containers"][0]["image"],
        "registry.example.com/quickstart/api-server:v1.2.3-hotfix"
    );
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["labels"]["team"],
        "blue"
    );
    assert_helm_template_equals_the_manifests(&helms, &g);
}

fn assert_helm_template_equals_the_manifests(helms: &[(&str, PathBuf)], g: &Generated) {
    for svc in &g.plan.services {
        for (env, se) in g.plan.environments.iter().zip(&svc.environments) {
            let kustomization = std::fs::read_to_string(
                g.out.join("k8s").join(&env.name).join("kustomization.yaml"),
            )
            .unwrap();
            let listed = kustomization.contains(&format!("- \"{}.yaml\"", svc.name));
            let file = g
                .out
                .join("k8s")
                .join(&env.name)
                .join(format!("{}.yaml", svc.name));
            // An optional service is in k8s/<env>/ only where the environment enables it.
            assert_eq!(
                (file.is_file(), listed),
                (se.deployed, se.deployed),
                "{}: {} in k8s/{}/ (profiles {:?})",
                g.name,
                svc.name,
                env.name,
                svc.profiles
            );
            if !se.deployed {
                continue;
            }
            let docs = manifests(g, &env.name, &svc.name);
            for d in &docs {
                assert_eq!(
                    d["metadata"]["namespace"], env.namespace,
                    "{}: a plain manifest of {} without its namespace: {d}",
                    g.name, svc.name
                );
            }
            let plain = normalise(docs);
            assert!(
                !plain.is_empty(),
                "{}: no manifests for {} in {}",
                g.name,
                svc.name,
                env.name
            );
            for (label, helm) in helms {
                let rendered =
                    normalise(helm_template(helm, g, &svc.name, &env.name, &env.namespace));
                let (a, b): (Vec<_>, Vec<_>) = (rendered.keys().collect(), plain.keys().collect());
                assert_eq!(
                    a, b,
                    "{label} {}/{} ({}): different objects",
                    g.name, svc.name, env.name
                );
                for (key, obj) in &rendered {
                    assert_eq!(
                        obj, &plain[key],
                        "{label} {}/{} ({}): {key:?} differs between helm template and k8s/",
                        g.name, svc.name, env.name
                    );
                }
            }
        }
    }
}

fn is_subset(selector: &Value, labels: &Value) -> bool {
    selector
        .as_object()
        .is_some_and(|s| !s.is_empty() && s.iter().all(|(k, v)| labels.get(k) == Some(v)))
}

#[test]
fn every_selector_selects_the_deployments_pods() {
    for g in all_generated() {
        for svc in &g.plan.services {
            // Where an environment deploys it (an optional service only where enabled).
            let deployed = g
                .plan
                .environments
                .iter()
                .zip(&svc.environments)
                .filter(|(_, se)| se.deployed);
            for (env, _) in deployed {
                let docs = manifests(&g, &env.name, &svc.name);
                let workload = docs
                    .iter()
                    .find(|d| {
                        ["Deployment", "StatefulSet", "Job", "CronJob"]
                            .contains(&d["kind"].as_str().unwrap_or_default())
                    })
                    .expect("a Deployment, StatefulSet, Job or CronJob");
                assert_eq!(workload["kind"], svc.workload.object.as_str());
                let template = match workload["kind"].as_str() {
                    Some("CronJob") => &workload["spec"]["jobTemplate"]["spec"]["template"],
                    _ => &workload["spec"]["template"],
                };
                let pod_labels = &template["metadata"]["labels"];
                if workload["kind"] == "StatefulSet" {
                    // Its governing Service: headless, and selecting its pods.
                    let governing = docs
                        .iter()
                        .find(|d| {
                            d["kind"] == "Service"
                                && d["metadata"]["name"] == workload["spec"]["serviceName"]
                        })
                        .expect("the StatefulSet's headless Service");
                    assert_eq!(governing["spec"]["clusterIP"], "None");
                }
                if svc.workload.long_running {
                    assert!(is_subset(
                        &workload["spec"]["selector"]["matchLabels"],
                        pod_labels
                    ));
                }
                let deployment = workload;
                for d in &docs {
                    let what = format!(
                        "{} {} in {}/{}",
                        d["kind"], d["metadata"]["name"], g.name, env.name
                    );
                    match d["kind"].as_str().unwrap_or_default() {
                        "Service" => {
                            assert!(is_subset(&d["spec"]["selector"], pod_labels), "{what}")
                        }
                        "PodDisruptionBudget" => assert!(
                            is_subset(&d["spec"]["selector"]["matchLabels"], pod_labels),
                            "{what}"
                        ),
                        "NetworkPolicy" => assert!(
                            is_subset(&d["spec"]["podSelector"]["matchLabels"], pod_labels),
                            "{what}"
                        ),
                        "HorizontalPodAutoscaler" => {
                            assert_eq!(
                                d["spec"]["scaleTargetRef"]["name"], deployment["metadata"]["name"],
                                "{what}"
                            );
                            assert_eq!(
                                d["spec"]["scaleTargetRef"]["kind"], deployment["kind"],
                                "{what}"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

#[test]
fn the_values_schema_rejects_typos_and_wrong_types() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let g = generate_to_disk(&common::example("quickstart"));
    let svc = &g.plan.services[0].name;
    let chart = g.out.join("charts").join(svc);
    for (bad, why) in [
        ("replicaCuont: 3\n", "a typo'd key"),
        ("replicaCount: three\n", "a wrong type"),
        ("image:\n  tag: 5\n", "a number for a string"),
    ] {
        let file = g.out.join("bad-values.yaml");
        std::fs::write(&file, bad).unwrap();
        for (label, helm) in &helms {
            let (ok, _, stderr) = run(Command::new(helm)
                .arg("template")
                .arg(svc)
                .arg(&chart)
                .arg("-f")
                .arg(&file));
            assert!(!ok, "{label}: values.schema.json accepted {why}: {bad}");
            assert!(
                stderr.to_lowercase().contains("schema"),
                "{label}: {stderr}"
            );
        }
    }
}

#[test]
fn kubernetes_validate_strict_passes_on_helm_output_and_manifests() {
    let Some(kv) = require("kubernetes-validate") else {
        return;
    };
    let helm = tool("helm3").or_else(|| tool("helm4"));
    for g in all_generated() {
        let scratch = g.out.join("..").join("rendered");
        std::fs::create_dir_all(&scratch).unwrap();
        let mut files: Vec<PathBuf> = Vec::new();
        for env in &g.plan.environments {
            let dir = g.out.join("k8s").join(&env.name);
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect();
            // kustomization.yaml is kubectl's input, not an object (tests/scanners.rs).
            entries.retain(|e| !e.ends_with("kustomization.yaml"));
            entries.sort();
            files.extend(entries);
            if let Some(helm) = &helm {
                for svc in &g.plan.services {
                    let chart = g.out.join("charts").join(&svc.name);
                    let (ok, stdout, stderr) = run(Command::new(helm)
                        .arg("template")
                        .arg(&svc.name)
                        .arg(&chart)
                        .arg("-n")
                        .arg(&env.namespace)
                        .arg("-f")
                        .arg(chart.join(format!("values-{}.yaml", env.name))));
                    assert!(ok, "{stderr}");
                    let f = scratch.join(format!("{}-{}.yaml", svc.name, env.name));
                    std::fs::write(&f, stdout).unwrap();
                    files.push(f);
                }
            }
        }
        for version in ["1.29", "1.33"] {
            let (ok, stdout, stderr) = run(Command::new(&kv)
                .arg("--strict")
                .arg("-k")
                .arg(version)
                .arg("--quiet")
                .args(&files));
            assert!(
                ok,
                "kubernetes-validate -k {version} on {}:\n{stdout}\n{stderr}",
                g.name
            );
        }
    }
}

#[test]
fn compose_config_passes_and_every_dependency_is_gated_on_health() {
    let Some(compose) = require("docker-compose") else {
        return;
    };
    // Some example has optional services, or this test would check no profile.
    let mut profiled = 0;
    for g in all_generated() {
        common::write_dot_env(&g.plan, &g.out);
        let file = g.out.join("docker-compose.yml");
        let base = || {
            let mut c = Command::new(&compose);
            c.arg("-f")
                .arg(&file)
                .arg("--project-directory")
                .arg(&g.out)
                .env_remove("COMPOSE_PROJECT_NAME");
            c
        };
        let (ok, _, stderr) = run(base().arg("config").arg("-q"));
        assert!(ok, "{}: compose config -q:\n{stderr}", g.name);
        let (ok, stdout, stderr) = run(base().arg("config").arg("--format").arg("json"));
        assert!(ok, "{stderr}");
        let config: Value = serde_json::from_str(&stdout).unwrap();
        let services = config["services"].as_object().unwrap();
        let mut edges = 0;
        let kind_of = |name: &str| {
            g.plan
                .services
                .iter()
                .find(|s| s.name == name)
                .map_or("backing", |s| s.workload.kind.as_str())
        };
        // Optional services sit behind their profiles: `docker compose up` leaves them out,
        // `--profile <name>` brings them in, with what they depend on.
        profiled += g.plan.compose.profiles.len();
        for profile in &g.plan.compose.profiles {
            let (ok, stdout, stderr) =
                run(base().args(["--profile", profile, "config", "--format", "json"]));
            assert!(
                ok,
                "{}: compose --profile {profile} config:\n{stderr}",
                g.name
            );
            let with: Value = serde_json::from_str(&stdout).unwrap();
            for s in &g.plan.compose.services {
                let optional = s.profiles.contains(profile);
                if !s.profiles.is_empty() {
                    assert!(
                        !services.contains_key(&s.name),
                        "{}: {} starts with `up`",
                        g.name,
                        s.name
                    );
                }
                if optional {
                    assert!(
                        with["services"].get(&s.name).is_some(),
                        "{}: {} is not in the `{profile}` profile",
                        g.name,
                        s.name
                    );
                    for dep in &s.depends_on {
                        assert!(with["services"].get(dep).is_some(), "{}: {dep}", g.name);
                    }
                }
            }
        }
        // Cron jobs sit behind a profile: `docker compose up` (and `config`) leave them out,
        // `--profile cron` brings them in.
        let cron: Vec<_> = g
            .plan
            .services
            .iter()
            .filter(|s| s.workload.kind == "cronjob" && s.profiles.is_empty())
            .collect();
        if !cron.is_empty() {
            let (ok, stdout, stderr) =
                run(base().args(["--profile", "cron", "config", "--format", "json"]));
            assert!(ok, "{stderr}");
            let with_cron: Value = serde_json::from_str(&stdout).unwrap();
            for c in &cron {
                assert!(
                    !services.contains_key(&c.name),
                    "{}: cron job {} starts with `up`",
                    g.name,
                    c.name
                );
                assert!(
                    with_cron["services"].get(&c.name).is_some(),
                    "{}: cron job {} is not in the `cron` profile",
                    g.name,
                    c.name
                );
            }
        }
        for (name, svc) in services {
            let checked = svc["healthcheck"]["test"].is_array();
            let job = kind_of(name) == "job";
            // Without a check that fits the image there is none, and generate says so.
            let noted = g.plan.notes.iter().any(|n| {
                n.starts_with(&format!("services.{name}: ")) && n.contains("Compose healthcheck")
            });
            assert!(
                if job { !checked } else { checked != noted },
                "{}: {name} ({}) {} a healthcheck",
                g.name,
                kind_of(name),
                if checked { "has" } else { "has no" }
            );
            if let Some(deps) = svc["depends_on"].as_object() {
                for (dep, how) in deps {
                    edges += 1;
                    // A job gates on its success; anything else on its health, unless it has
                    // no healthcheck that fits its image (generate says so), then on its start.
                    let expected = if kind_of(dep) == "job" {
                        "service_completed_successfully"
                    } else if services[dep]["healthcheck"]["test"].is_array() {
                        "service_healthy"
                    } else {
                        "service_started"
                    };
                    assert_eq!(how["condition"], expected, "{}: {name} → {dep}", g.name);
                }
            }
        }
        let declared: usize = g
            .plan
            .compose
            .services
            .iter()
            .filter(|s| s.profiles.is_empty())
            .map(|s| s.depends_on.len())
            .sum();
        assert_eq!(
            edges, declared,
            "{}: every declared dependency reaches Compose",
            g.name
        );
    }
    assert!(profiled > 0, "no example has an optional service");
}

#[test]
fn yamllint_accepts_the_yaml_helm_does_not_render() {
    let Some(yamllint) = require("yamllint") else {
        return;
    };
    // Sequences in a mapping may be indented or not: Helm's `toYaml` (sigs.k8s.io/yaml) writes
    // them at their key's indentation, and values passed through it (tolerations, HPA
    // behavior) keep that layout in `k8s/` as in `helm template`.
    let config = "{extends: default, rules: {line-length: disable, document-start: disable, comments: {min-spaces-from-content: 1}, truthy: {check-keys: false}, indentation: {spaces: consistent, indent-sequences: whatever}}}";
    for g in all_generated() {
        let mut files = vec![g.out.join("docker-compose.yml")];
        for svc in &g.plan.services {
            let chart = g.out.join("charts").join(&svc.name);
            files.push(chart.join("Chart.yaml"));
            files.push(chart.join("values.yaml"));
            for env in &g.plan.environments {
                files.push(chart.join(format!("values-{}.yaml", env.name)));
            }
        }
        for env in &g.plan.environments {
            for e in std::fs::read_dir(g.out.join("k8s").join(&env.name)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.retain(|f| f.exists());
        let (ok, stdout, stderr) = run(Command::new(&yamllint)
            .arg("-s")
            .arg("-d")
            .arg(config)
            .args(&files));
        assert!(ok, "yamllint on {}:\n{stdout}\n{stderr}", g.name);
    }
}

/// Failed checkov check IDs for a file.
fn checkov_failures(checkov: &Path, file: &Path) -> Vec<String> {
    let (_, stdout, stderr) = run(Command::new(checkov)
        .env("CKV_SKIP_PACKAGE_UPDATE_CHECK", "true")
        .env("BC_SKIP_MAPPING", "TRUE")
        .arg("-f")
        .arg(file)
        .arg("--framework")
        .arg("kubernetes")
        .arg("--skip-download")
        .arg("--compact")
        .arg("--quiet")
        .arg("-o")
        .arg("json"));
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("checkov output: {e}\n{stdout}\n{stderr}"));
    let reports = if report.is_array() {
        report.as_array().unwrap().clone()
    } else {
        vec![report]
    };
    let mut ids = Vec::new();
    for r in reports {
        if let Some(failed) = r["results"]["failed_checks"].as_array() {
            ids.extend(failed.iter().map(|c| {
                format!(
                    "{} {}",
                    c["check_id"].as_str().unwrap_or("?"),
                    c["resource"].as_str().unwrap_or("?")
                )
            }));
        }
        // An empty scan would pass trivially: make sure something was scanned.
        if let Some(summary) = r.get("summary") {
            assert!(
                summary["passed"].as_u64().unwrap_or(0) > 0,
                "checkov scanned nothing in {}",
                file.display()
            );
        }
    }
    ids
}

/// Checks that contradict a documented choice (README "What the output passes"), each with the
/// objects it may fail on. With a tag: CKV_K8S_43 (image by digest) and CKV_K8S_15 (pull policy
/// Always: a pinned tag makes IfNotPresent safe). Always: CKV_K8S_35 (secrets as files) on
/// Deployments that read a Secret, since secrets reach the app as `secretKeyRef` variables.
/// `image_user`: services that run as their image's own user (`run_as_image_user`), which
/// therefore name no UID (CKV_K8S_40, "a high UID", cannot be met without knowing the image).
fn allowed(check: &str, tag_pinned: bool, image_user: &[String]) -> bool {
    (tag_pinned && (check.starts_with("CKV_K8S_43 ") || check.starts_with("CKV_K8S_15 ")))
        || check.starts_with("CKV_K8S_35 ")
        || (check.starts_with("CKV_K8S_40 ")
            && check
                .rsplit_once('.')
                .is_some_and(|(_, svc)| image_user.iter().any(|s| s == svc)))
}

#[test]
fn checkov_passes_but_for_documented_choices() {
    let Some(checkov) = require("checkov") else {
        return;
    };
    let digest = format!("@sha256:{}", "4f".repeat(32));
    for spec in common::examples() {
        let text = std::fs::read_to_string(&spec).unwrap();
        // A copy of the whole example folder, so that a relative `templates:` still resolves.
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(spec.parent().unwrap(), dir.path());
        let pinned = dir.path().join("chartwright.yaml");
        // The same spec with every own image pinned by digest instead of tag.
        let by_digest: String = text
            .lines()
            .map(|l| match l.trim_start().strip_prefix("image: ") {
                Some(img) => {
                    let repo = match img.split_once('@') {
                        Some((r, _)) => r,
                        None => img.rsplit_once(':').map(|(r, _)| r).unwrap_or(img),
                    };
                    format!(
                        "{}image: {repo}{digest}",
                        &l[..l.len() - l.trim_start().len()]
                    )
                }
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&pinned, by_digest).unwrap();
        for (tag_pinned, spec_path) in [(true, spec.clone()), (false, pinned.clone())] {
            let g = generate_to_disk(&spec_path);
            // Every environment in one scan: checkov's start-up dominates its run time.
            let mut all = String::new();
            for env in &g.plan.environments {
                let mut entries: Vec<PathBuf> =
                    std::fs::read_dir(g.out.join("k8s").join(&env.name))
                        .unwrap()
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .collect();
                entries.retain(|e| !e.ends_with("kustomization.yaml"));
                entries.sort();
                for e in entries {
                    all.push_str("---\n");
                    all.push_str(&std::fs::read_to_string(e).unwrap());
                }
            }
            let image_user: Vec<String> = g
                .plan
                .services
                .iter()
                .filter(|s| s.base.pod_security_context.run_as_user == 0)
                .map(|s| s.name.clone())
                .collect();
            let file = g.out.join("all.yaml");
            std::fs::write(&file, all).unwrap();
            let failures = checkov_failures(&checkov, &file);
            let unexpected: Vec<&String> = failures
                .iter()
                .filter(|f| !allowed(f, tag_pinned, &image_user))
                .collect();
            eprintln!(
                "checkov {} ({}): {} failed: {failures:?}",
                g.name,
                if tag_pinned { "tag" } else { "digest" },
                failures.len()
            );
            assert!(
                unexpected.is_empty(),
                "{} ({}): checkov failed {unexpected:?}",
                spec.display(),
                if tag_pinned { "tag" } else { "digest" }
            );
        }
    }
}
