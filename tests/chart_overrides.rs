//! Over 400 lines on purpose: the whole override list of issue 15 in one table.
//!
//! The overrides platform engineers pass every day (issue 15's list), through the real Helm 3
//! and 4: each must render and land in the objects, or be refused with a message that says why.
//! An umbrella chart with two service charts as dependencies (one behind `condition:`) must
//! lint and render.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chartwright::output::{self, WriteOptions};
use chartwright::pipeline::{self, Inputs};
use chartwright::yaml::parse_documents;
use serde_json::Value;

use common::{require, run};

/// `api` with an Ingress, variables and secrets; `worker` without an Ingress.
const SPEC: &str = "version: 1
app: shop
services:
  api:
    image: registry.example.com/shop/api:1.4.2
    ports: [{ name: http, port: 3000 }]
    env: { LOG_LEVEL: info }
    secrets: [JWT_SECRET]
    ingress: { host: api.example.com }
  worker:
    image: registry.example.com/shop/worker:2.0.0
    ports: [{ name: http, port: 8080 }]
    depends_on: [api]
environments:
  prod: { replicas: 3 }
";

struct Out {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Out {
    fn chart(&self, svc: &str) -> PathBuf {
        self.root.join("deploy/charts").join(svc)
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.root.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn generated() -> Out {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let spec = root.join("chartwright.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let (_, files) = pipeline::generate(&Inputs {
        spec,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    output::write(&files, &root.join("deploy"), &WriteOptions::default()).unwrap();
    Out { _dir: dir, root }
}

fn helms() -> Vec<(&'static str, PathBuf)> {
    ["helm3", "helm4"]
        .into_iter()
        .filter_map(|h| require(h).map(|p| (h, p)))
        .collect()
}

/// `helm template <release> <chart> -n shop-prod <args>`: the objects, or Helm's error.
fn template(helm: &Path, release: &str, chart: &Path, args: &[&str]) -> Result<Vec<Value>, String> {
    let (ok, stdout, stderr) = run(Command::new(helm)
        .arg("template")
        .arg(release)
        .arg(chart)
        .args(["-n", "shop-prod"])
        .args(args));
    if !ok {
        return Err(stderr);
    }
    Ok(parse_documents(&stdout).unwrap_or_else(|e| panic!("helm output: {e}\n{stdout}")))
}

fn object<'a>(docs: &'a [Value], kind: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {docs:#?}"))
}

fn pod(docs: &[Value]) -> &Value {
    &object(docs, "Deployment")["spec"]["template"]["spec"]
}

fn container(docs: &[Value]) -> &Value {
    &pod(docs)["containers"][0]
}

fn env_names(docs: &[Value]) -> Vec<String> {
    container(docs)["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

type Check = fn(&[Value]);

/// Each override of the issue, as `helm template` arguments (files from `files`), and what it
/// must do to the objects.
fn cases(out: &Out) -> Vec<(&'static str, Vec<String>, Check)> {
    let scheduling = out.file(
        "scheduling.yaml",
        "tolerations:\n  - { key: dedicated, operator: Equal, value: api, effect: NoSchedule }\n\
         affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms: [{ matchExpressions: [{ key: disktype, operator: In, values: [ssd] }] }]\n\
         topologySpreadConstraints:\n  - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }\n",
    );
    let pod_extras = out.file(
        "pod.yaml",
        "extraEnv:\n  - { name: FEATURE_X, value: \"on\" }\n  - name: POD_NAME\n    valueFrom: { fieldRef: { fieldPath: metadata.name } }\n\
         extraEnvFrom: [{ secretRef: { name: extra } }]\n\
         extraVolumes: [{ name: cache, emptyDir: {} }]\n\
         extraVolumeMounts: [{ name: cache, mountPath: /cache }]\n\
         initContainers: [{ name: migrate, image: \"registry.example.com/shop/api:1.4.2\" }]\n\
         extraContainers: [{ name: proxy, image: \"registry.example.com/proxy:1.0.0\" }]\n\
         lifecycle: { preStop: { sleep: { seconds: 5 } } }\n",
    );
    let ports = out.file(
        "ports.yaml",
        "service:\n  ports:\n    - { name: http, port: 80, targetPort: http, protocol: TCP }\n",
    );
    let f = |p: &Path| vec!["-f".to_string(), p.display().to_string()];
    let set = |s: &[&str]| {
        s.iter()
            .flat_map(|a| ["--set".to_string(), a.to_string()])
            .collect::<Vec<_>>()
    };
    vec![
        ("nodeSelector", set(&["nodeSelector.disktype=ssd"]), |d| {
            assert_eq!(pod(d)["nodeSelector"]["disktype"], "ssd")
        }),
        (
            "tolerations, affinity, topologySpreadConstraints from a file",
            f(&scheduling),
            |d| {
                let p = pod(d);
                assert_eq!(p["tolerations"][0]["key"], "dedicated");
                assert!(p["affinity"]["nodeAffinity"].is_object());
                // Merged, not replaced: the default anti-affinity is still there.
                assert_eq!(
                    p["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
                        [0]["podAffinityTerm"]["topologyKey"],
                    "kubernetes.io/hostname"
                );
                let spread = p["topologySpreadConstraints"].as_array().unwrap();
                assert_eq!(spread.len(), 2, "the zone spread and the added one");
                assert_eq!(spread[1]["whenUnsatisfiable"], "DoNotSchedule");
            },
        ),
        ("priorityClassName", set(&["priorityClassName=high"]), |d| {
            assert_eq!(pod(d)["priorityClassName"], "high")
        }),
        (
            "imagePullSecrets",
            set(&["imagePullSecrets[0].name=regcred"]),
            |d| assert_eq!(pod(d)["imagePullSecrets"][0]["name"], "regcred"),
        ),
        ("nameOverride", set(&["nameOverride=backend"]), |d| {
            assert_eq!(object(d, "Deployment")["metadata"]["name"], "api-backend");
            assert_eq!(object(d, "Service")["metadata"]["name"], "api-backend");
        }),
        (
            "fullnameOverride",
            set(&["fullnameOverride=shop-api"]),
            |d| assert_eq!(object(d, "Deployment")["metadata"]["name"], "shop-api"),
        ),
        (
            "global.imageRegistry",
            set(&["global.imageRegistry=mirror.example.com"]),
            |d| assert_eq!(object(d, "Deployment")["metadata"]["name"], "api"),
        ),
        (
            "extraEnv (a list of EnvVar)",
            set(&["extraEnv[0].name=FEATURE_X", "extraEnv[0].value=on"]),
            |d| {
                assert!(env_names(d).contains(&"FEATURE_X".to_string()));
                // The chart's own variables stay.
                assert!(env_names(d).contains(&"JWT_SECRET".to_string()));
            },
        ),
        (
            "extraEnvFrom, extraVolumes, mounts, init and extra containers, lifecycle",
            f(&pod_extras),
            |d| {
                let p = pod(d);
                let c = container(d);
                assert!(env_names(d).contains(&"POD_NAME".to_string()));
                assert_eq!(c["envFrom"][1]["secretRef"]["name"], "extra");
                assert!(
                    p["volumes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|v| v["name"] == "cache")
                );
                assert!(
                    c["volumeMounts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m["mountPath"] == "/cache")
                );
                assert_eq!(p["initContainers"][0]["name"], "migrate");
                assert_eq!(p["containers"][1]["name"], "proxy");
                assert_eq!(c["lifecycle"]["preStop"]["sleep"]["seconds"], 5);
            },
        ),
        ("args", set(&["args={--verbose,--color=never}"]), |d| {
            assert_eq!(container(d)["args"][1], "--color=never")
        }),
        (
            "terminationGracePeriodSeconds",
            set(&["terminationGracePeriodSeconds=60"]),
            |d| assert_eq!(pod(d)["terminationGracePeriodSeconds"], 60),
        ),
        (
            "service annotations, labels, type",
            set(&[
                "service.annotations.x=y",
                "service.labels.team=shop",
                "service.type=LoadBalancer",
            ]),
            |d| {
                let s = object(d, "Service");
                assert_eq!(s["metadata"]["annotations"]["x"], "y");
                assert_eq!(s["metadata"]["labels"]["team"], "shop");
                assert_eq!(s["spec"]["type"], "LoadBalancer");
            },
        ),
        (
            "memory-based autoscaling and behavior",
            set(&[
                "autoscaling.enabled=true",
                "autoscaling.targetMemoryUtilizationPercentage=80",
                "autoscaling.behavior.scaleUp.stabilizationWindowSeconds=0",
            ]),
            |d| {
                let hpa = &object(d, "HorizontalPodAutoscaler")["spec"];
                let memory = hpa["metrics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["resource"]["name"] == "memory")
                    .expect("a memory metric");
                assert_eq!(memory["resource"]["target"]["averageUtilization"], 80);
                assert_eq!(hpa["behavior"]["scaleUp"]["stabilizationWindowSeconds"], 0);
                assert!(
                    hpa["behavior"]["scaleDown"].is_object(),
                    "the default scale-down stays"
                );
            },
        ),
        (
            "resources.limits.ephemeral-storage",
            set(&["resources.limits.ephemeral-storage=1Gi"]),
            |d| {
                assert_eq!(
                    container(d)["resources"]["limits"]["ephemeral-storage"],
                    "1Gi"
                )
            },
        ),
        (
            "resources.limits.cpu=null",
            set(&["resources.limits.cpu=null"]),
            |d| {
                let r = &container(d)["resources"];
                assert!(r["limits"]["cpu"].is_null(), "{r}");
                assert!(r["limits"]["memory"].is_string());
            },
        ),
        (
            "runAsUser=null",
            set(&[
                "securityContext.runAsUser=null",
                "podSecurityContext.runAsUser=null",
            ]),
            |d| {
                assert!(container(d)["securityContext"]["runAsUser"].is_null());
                assert!(pod(d)["securityContext"]["runAsUser"].is_null());
                assert_eq!(container(d)["securityContext"]["runAsNonRoot"], true);
            },
        ),
        (
            "PDB minAvailable 50% with four pods",
            set(&["replicaCount=4", "podDisruptionBudget.minAvailable=50%"]),
            |d| {
                assert_eq!(
                    object(d, "PodDisruptionBudget")["spec"]["minAvailable"],
                    "50%"
                )
            },
        ),
        (
            "PDB minAvailable 50% with one pod never blocks a drain",
            set(&["replicaCount=1", "podDisruptionBudget.minAvailable=50%"]),
            |d| {
                let spec = &object(d, "PodDisruptionBudget")["spec"];
                assert_eq!(spec["maxUnavailable"], 1);
                assert!(spec["minAvailable"].is_null());
            },
        ),
        (
            "PDB minAvailable at the HPA minimum never blocks a drain",
            set(&[
                "autoscaling.enabled=true",
                "autoscaling.minReplicas=2",
                "podDisruptionBudget.minAvailable=2",
            ]),
            |d| {
                assert_eq!(
                    object(d, "PodDisruptionBudget")["spec"]["maxUnavailable"],
                    1
                )
            },
        ),
        (
            "replicaCount=1 keeps a drainable PDB",
            set(&["replicaCount=1"]),
            |d| {
                assert_eq!(
                    object(d, "PodDisruptionBudget")["spec"]["maxUnavailable"],
                    1
                )
            },
        ),
        (
            "service.ports from a values file (lists replace whole)",
            f(&ports),
            |d| assert_eq!(object(d, "Service")["spec"]["ports"][0]["port"], 80),
        ),
        (
            "ingress.rateLimitRps",
            set(&["ingress.rateLimitRps=10"]),
            |d| {
                assert_eq!(
                    object(d, "Ingress")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/limit-rps"],
                    "10"
                )
            },
        ),
        (
            "ingress hosts and tls",
            set(&[
                "ingress.hosts[0].host=api.example.org",
                "ingress.tls[0].secretName=api-tls",
            ]),
            |d| {
                let spec = &object(d, "Ingress")["spec"];
                assert_eq!(spec["rules"][0]["host"], "api.example.org");
                assert_eq!(spec["rules"][0]["http"]["paths"][0]["path"], "/");
                assert_eq!(spec["tls"][0]["hosts"][0], "api.example.org");
            },
        ),
        (
            "probes.liveness.enabled=false",
            set(&["probes.liveness.enabled=false"]),
            |d| {
                assert!(container(d)["livenessProbe"].is_null());
                assert!(container(d)["readinessProbe"].is_object());
            },
        ),
        (
            "serviceAccount.automount=true",
            set(&["serviceAccount.automount=true"]),
            |d| assert_eq!(pod(d)["automountServiceAccountToken"], true),
        ),
        (
            "HTTPRoute",
            set(&[
                "httpRoute.enabled=true",
                "httpRoute.parentRefs[0].name=public",
            ]),
            |d| {
                let route = &object(d, "HTTPRoute")["spec"];
                assert_eq!(route["parentRefs"][0]["name"], "public");
                assert_eq!(route["hostnames"][0], "api.example.com");
                assert_eq!(route["rules"][0]["backendRefs"][0]["port"], 3000);
            },
        ),
        (
            "ServiceMonitor",
            set(&["serviceMonitor.enabled=true", "serviceMonitor.interval=15s"]),
            |d| {
                let ep = &object(d, "ServiceMonitor")["spec"]["endpoints"][0];
                assert_eq!(ep["port"], "http");
                assert_eq!(ep["interval"], "15s");
            },
        ),
        (
            "networkPolicy.dns (NodeLocal DNS)",
            set(&["networkPolicy.dns.to[0].ipBlock.cidr=169.254.20.10/32"]),
            |d| {
                let egress = object(d, "NetworkPolicy")["spec"]["egress"]
                    .as_array()
                    .unwrap();
                assert_eq!(
                    egress.last().unwrap()["to"][0]["ipBlock"]["cidr"],
                    "169.254.20.10/32"
                );
            },
        ),
    ]
}

#[test]
fn every_override_of_the_list_reaches_the_objects() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let out = generated();
    let chart = out.chart("api");
    let values = chart.join("values-prod.yaml").display().to_string();
    for (label, helm) in &helms {
        let base = template(helm, "api", &chart, &["-f", &values]).unwrap();
        for d in &base {
            assert!(
                d["metadata"]["namespace"].is_null(),
                "{label}: the chart set a namespace: {d}"
            );
        }
        for (what, args, check) in cases(&out) {
            let mut all = vec!["-f".to_string(), values.clone()];
            all.extend(args);
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let docs = template(helm, "api", &chart, &all)
                .unwrap_or_else(|e| panic!("{label}: {what}: refused:\n{e}"));
            eprintln!("{label}: {what}: ok");
            check(&docs);
        }
    }
}

/// A value changed at install time rolls the pods: the checksum follows the ConfigMap.
#[test]
fn a_changed_variable_changes_the_config_checksum() {
    let helms = helms();
    let out = generated();
    let chart = out.chart("api");
    for (label, helm) in &helms {
        let checksum = |args: &[&str]| {
            let docs = template(helm, "api", &chart, args).unwrap();
            let data = object(&docs, "ConfigMap")["data"]["LOG_LEVEL"].clone();
            let sum = object(&docs, "Deployment")["spec"]["template"]["metadata"]["annotations"]
                ["checksum/config"]
                .clone();
            (data, sum)
        };
        let (data, before) = checksum(&[]);
        let (changed, after) = checksum(&["--set", "env.LOG_LEVEL=debug"]);
        assert_eq!(
            (data.as_str(), changed.as_str()),
            (Some("info"), Some("debug"))
        );
        assert_ne!(before, after, "{label}: the pods would not roll");
        assert_eq!(
            checksum(&[]).1,
            before,
            "{label}: the same values, the same checksum"
        );
    }
}

/// What makes no sense is refused by the chart itself, with a message naming the value.
#[test]
fn the_chart_refuses_what_makes_no_sense() {
    let helms = helms();
    let out = generated();
    for (label, helm) in &helms {
        for (svc, args, says) in [
            ("api", vec!["--set", "image.tag=latest"], "latest"),
            (
                "api",
                vec!["--set", "image.tag="],
                "image.tag or image.digest is required",
            ),
            ("worker", vec!["--set", "ingress.enabled=true"], "catch-all"),
            (
                "api",
                vec!["--set", "ingress.hosts[0].paths[0].path=/"],
                "host",
            ),
            ("api", vec!["--set", "httpRoute.enabled=true"], "parentRefs"),
            (
                "api",
                vec!["--set", "nodeSelectr.disktype=ssd"],
                "nodeSelectr",
            ),
            (
                "api",
                vec!["--set", "tolerations[0].efect=NoSchedule"],
                "efect",
            ),
        ] {
            let err = template(helm, svc, &out.chart(svc), &args)
                .err()
                .unwrap_or_else(|| panic!("{label}: {args:?} rendered"));
            assert!(err.contains(says), "{label}: {args:?}: {err}");
        }
        // A misspelt top-level key fails the strict lint too.
        let bad = out.file("typo.yaml", "replicaCont: 2\n");
        let (ok, stdout, stderr) = run(Command::new(helm)
            .args(["lint", "--strict"])
            .arg(out.chart("api"))
            .arg("-f")
            .arg(&bad));
        assert!(!ok, "{label}: lint passed a typo:\n{stdout}{stderr}");
    }
}

/// A second release in the same namespace (a canary) names its objects apart.
#[test]
fn a_second_release_does_not_collide() {
    let helms = helms();
    let out = generated();
    let chart = out.chart("api");
    for (label, helm) in &helms {
        let names = |release: &str| -> Vec<String> {
            template(helm, release, &chart, &[])
                .unwrap()
                .iter()
                .map(|d| {
                    format!(
                        "{}/{}",
                        d["kind"].as_str().unwrap(),
                        d["metadata"]["name"].as_str().unwrap()
                    )
                })
                .collect()
        };
        let (main, canary) = (names("api"), names("api-canary"));
        for n in &canary {
            assert!(!main.contains(n), "{label}: {n} in both releases");
        }
    }
}

/// An umbrella chart depending on two service charts, one behind `condition:`, lints and
/// renders; the condition turns its chart off.
#[test]
fn an_umbrella_chart_lints_and_renders() {
    let helms = helms();
    let out = generated();
    let umbrella = out.root.join("umbrella");
    std::fs::create_dir_all(umbrella.join("charts")).unwrap();
    std::fs::create_dir_all(umbrella.join("templates")).unwrap();
    std::fs::write(
        umbrella.join("templates/NOTES.txt"),
        "The shop, {{ .Release.Name }}.\n",
    )
    .unwrap();
    for svc in ["api", "worker"] {
        copy_dir(&out.chart(svc), &umbrella.join("charts").join(svc));
    }
    std::fs::write(
        umbrella.join("Chart.yaml"),
        "apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - { name: api, version: \">=0.0.0-0\" }\n  - { name: worker, version: \">=0.0.0-0\", condition: worker.enabled }\n",
    )
    .unwrap();
    std::fs::write(
        umbrella.join("values.yaml"),
        "global:\n  imageRegistry: mirror.example.com\napi:\n  fullnameOverride: api\nworker:\n  enabled: true\n  fullnameOverride: worker\n",
    )
    .unwrap();
    for (label, helm) in &helms {
        let (ok, stdout, stderr) =
            run(Command::new(helm).args(["lint", "--strict"]).arg(&umbrella));
        assert!(ok, "{label}: umbrella lint:\n{stdout}{stderr}");
        let docs =
            template(helm, "shop", &umbrella, &[]).unwrap_or_else(|e| panic!("{label}: {e}"));
        let deployments: Vec<&str> = docs
            .iter()
            .filter(|d| d["kind"] == "Deployment")
            .map(|d| d["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(deployments, ["api", "worker"], "{label}");
        let docs = template(helm, "shop", &umbrella, &["--set", "worker.enabled=false"]).unwrap();
        assert!(
            docs.iter()
                .all(|d| d["metadata"]["labels"]["app.kubernetes.io/name"] != "worker"),
            "{label}: condition worker.enabled=false still rendered the worker"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
