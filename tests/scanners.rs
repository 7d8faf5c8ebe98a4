//! Two more independent scanners on `k8s/<env>/` of every example (issue 15), and `kubectl
//! apply -k` as the README documents it:
//! - trivy's Kubernetes misconfiguration scan, offline (`--skip-check-update`: the checks
//!   embedded in the binary): no HIGH or CRITICAL finding, and every MEDIUM one a choice the
//!   README documents;
//! - Kubeshop's Monokle validation with every Pod Security Standards rule (baseline and
//!   restricted): no finding;
//! - `kubectl kustomize k8s/<env>`: the kustomization lists every file, the namespace first.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chartwright::output::{self, WriteOptions};
use chartwright::pipeline::{self, Inputs};
use chartwright::yaml::parse_documents;
use serde_json::Value;

use common::{require, run};

/// MEDIUM trivy findings that contradict a documented choice (README "What the output
/// passes"): KSV-0125, images from a registry trivy does not know (the spec's own registry);
/// KSV-01010, a plain variable whose name or value trivy's patterns take for a secret (the
/// storage example's `MAIL_FROM` address) in the ConfigMap of plain variables.
const DOCUMENTED_MEDIUM: &[&str] = &["KSV-0125", "KSV-01010"];

struct Generated {
    _dir: tempfile::TempDir,
    out: PathBuf,
    envs: Vec<String>,
    name: String,
}

fn generated() -> Vec<Generated> {
    common::examples()
        .into_iter()
        .map(|spec| {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("deploy");
            let (plan, files) = pipeline::generate(&Inputs {
                spec: spec.clone(),
                ..Default::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
            output::write(&files, &out, &WriteOptions::default()).unwrap();
            Generated {
                _dir: dir,
                out,
                envs: plan.environments.iter().map(|e| e.name.clone()).collect(),
                name: spec.parent().unwrap().display().to_string(),
            }
        })
        .collect()
}

/// The manifests of one environment (the kustomization is kubectl's input, not an object).
fn manifests(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("kustomization.yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn trivy_finds_nothing_high_and_only_documented_mediums() {
    let Some(trivy) = require("trivy") else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    for g in generated() {
        let (ok, stdout, stderr) = run(Command::new(&trivy)
            .args([
                "config",
                "--skip-check-update",
                "--quiet",
                "--format",
                "json",
            ])
            .arg("--cache-dir")
            .arg(cache.path())
            .arg(g.out.join("k8s")));
        assert!(ok, "trivy on {}: {stderr}", g.name);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let results = report["Results"].as_array().cloned().unwrap_or_default();
        let scanned: u64 = results
            .iter()
            .map(|r| r["MisconfSummary"]["Successes"].as_u64().unwrap_or(0))
            .sum();
        assert!(scanned > 0, "trivy checked nothing in {}", g.name);
        let mut by_severity: std::collections::BTreeMap<String, BTreeSet<String>> =
            Default::default();
        for r in &results {
            for m in r["Misconfigurations"].as_array().into_iter().flatten() {
                if m["Status"] == "FAIL" {
                    by_severity
                        .entry(m["Severity"].as_str().unwrap_or("?").to_string())
                        .or_default()
                        .insert(m["ID"].as_str().unwrap_or("?").to_string());
                }
            }
        }
        eprintln!("trivy {}: {by_severity:?}", g.name);
        for severe in ["HIGH", "CRITICAL"] {
            assert!(
                !by_severity.contains_key(severe),
                "{}: trivy {severe}: {:?}",
                g.name,
                by_severity[severe]
            );
        }
        for id in by_severity.get("MEDIUM").into_iter().flatten() {
            assert!(
                DOCUMENTED_MEDIUM.contains(&id.as_str()),
                "{}: trivy MEDIUM {id} is not a documented choice",
                g.name
            );
        }
    }
}

#[test]
fn monokle_pod_security_standards_find_nothing() {
    let Some(monokle) = require("monokle-validate") else {
        return;
    };
    for g in generated() {
        let files: Vec<PathBuf> = g
            .envs
            .iter()
            .flat_map(|e| manifests(&g.out.join("k8s").join(e)))
            .collect();
        let (ok, stdout, stderr) = run(Command::new(&monokle).args(&files));
        assert!(ok, "monokle on {}: {stderr}", g.name);
        let lines: Vec<Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let summary = lines.last().unwrap();
        assert!(
            summary["resources"].as_u64().unwrap() > 10,
            "monokle read too few objects in {}: {summary}",
            g.name
        );
        eprintln!("monokle {}: {summary}", g.name);
        assert_eq!(
            summary["findings"], 0,
            "{}: Pod Security findings: {lines:#?}",
            g.name
        );
    }
}

#[test]
fn kubectl_apply_k_gets_every_object_namespace_first() {
    let kubectl = require("kubectl");
    for g in generated() {
        for env in &g.envs {
            let dir = g.out.join("k8s").join(env);
            let kustomization =
                parse_documents(&std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap())
                    .unwrap();
            let listed: Vec<&str> = kustomization[0]["resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            let on_disk: BTreeSet<String> = manifests(&dir)
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect();
            assert_eq!(listed[0], "namespace.yaml", "{}/{env}", g.name);
            assert_eq!(
                listed
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<BTreeSet<_>>(),
                on_disk,
                "{}/{env}: the kustomization lists every manifest",
                g.name
            );
            let Some(kubectl) = &kubectl else {
                continue;
            };
            let (ok, stdout, stderr) = run(Command::new(kubectl).arg("kustomize").arg(&dir));
            assert!(ok, "kubectl kustomize {}/{env}: {stderr}", g.name);
            let docs = parse_documents(&stdout).unwrap();
            assert_eq!(docs[0]["kind"], "Namespace", "{}/{env}", g.name);
            let objects: usize = manifests(&dir)
                .iter()
                .map(|p| {
                    parse_documents(&std::fs::read_to_string(p).unwrap())
                        .unwrap()
                        .len()
                })
                .sum();
            assert_eq!(docs.len(), objects, "{}/{env}: every object", g.name);
        }
    }
}
