//! One source per Kubernetes object: `k8s/<env>/` is rendered from the chart's own templates,
//! so a team overlay of a chart template changes both, a template that breaks an object fails
//! `generate` naming its file and line, and no embedded template outside the chart writes a
//! per-service object. The Helm-backed equality of an overlaid tree is in `conformance.rs`.

use std::path::Path;

use chartwright::pipeline::{self, Inputs};
use chartwright::render::TemplateSet;
use chartwright::yaml::parse_documents;

mod common;
use common::cli::Project;
use common::with_min_ready_seconds;

const DEPLOYMENT: &str = "charts/__service__/templates/deployment.yaml.j2";

fn embedded(path: &str) -> String {
    TemplateSet::embedded()
        .get(path)
        .unwrap()
        .source
        .to_string()
}

/// A temp dir with the quickstart spec and an overlay folder `overlay/` with these files.
fn project(files: &[(&str, &str)]) -> Project {
    Project::example("quickstart").overlay(files)
}

fn generate(dir: &Path) -> Result<chartwright::output::FileSet, String> {
    pipeline::generate(&Inputs {
        spec: dir.join("chartwright.yaml"),
        templates: Some(dir.join("overlay")),
        defaults: None,
        ..Default::default()
    })
    .map(|(_, f)| f)
    .map_err(|e| e.to_string())
}

/// `generate` on the CLI must fail with exit 2, write nothing, and say this on stderr.
fn refused(p: &Project) -> String {
    let stderr = p
        .run(["generate", "--templates", "overlay", "-o", "deploy"])
        .fails(2)
        .stderr();
    assert!(!p.join("deploy").exists(), "nothing is written");
    stderr
}

fn objects(text: &str) -> Vec<serde_json::Value> {
    parse_documents(text).unwrap()
}

fn deployment(docs: &[serde_json::Value]) -> &serde_json::Value {
    docs.iter()
        .find(|d| d["kind"] == "Deployment")
        .expect("a Deployment")
}

#[test]
fn a_chart_overlay_changes_the_plain_manifests_the_same_way() {
    let with_min_ready = with_min_ready_seconds(&embedded(DEPLOYMENT));
    let monitor = r#"[% set c = service.chart.name -%]
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "[[ c ]].fullname" . | quote }}
  labels:
    {{- include "[[ c ]].labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "[[ c ]].selectorLabels" . | nindent 6 }}
  endpoints:
    - port: {{ (index .Values.service.ports 0).name | quote }}
"#;
    let dir = project(&[
        (DEPLOYMENT, with_min_ready.as_str()),
        (
            "charts/__service__/templates/servicemonitor.yaml.j2",
            monitor,
        ),
    ]);
    let files = generate(dir.path()).unwrap();
    for env in ["dev", "staging", "prod"] {
        let docs = objects(files.get(&format!("k8s/{env}/api-server.yaml")).unwrap());
        assert_eq!(deployment(&docs)["spec"]["minReadySeconds"], 15, "{env}");
        let sm = docs
            .iter()
            .find(|d| d["kind"] == "ServiceMonitor")
            .unwrap_or_else(|| panic!("{env}: the new chart template reaches k8s/"));
        assert_eq!(sm["metadata"]["name"], "api-server");
        assert_eq!(
            sm["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "chartwright"
        );
        assert!(sm["metadata"]["labels"]["helm.sh/chart"].is_null());
        assert_eq!(sm["spec"]["endpoints"][0]["port"], "http");
    }
    assert!(
        files
            .get("charts/api-server/templates/deployment.yaml")
            .unwrap()
            .contains("minReadySeconds: 15")
    );
}

#[test]
fn a_values_file_overlaid_at_its_output_path_reaches_the_manifests() {
    let dir = project(&[(
        "charts/api-server/values-prod.yaml",
        "podLabels:\n  team: blue\n",
    )]);
    let files = generate(dir.path()).unwrap();
    let prod = objects(files.get("k8s/prod/api-server.yaml").unwrap());
    assert_eq!(
        deployment(&prod)["spec"]["template"]["metadata"]["labels"]["team"],
        "blue"
    );
    let dev = objects(files.get("k8s/dev/api-server.yaml").unwrap());
    assert!(deployment(&dev)["spec"]["template"]["metadata"]["labels"]["team"].is_null());
}

#[test]
fn an_ejected_template_with_a_header_line_still_renders_a_valid_deployment() {
    let with_header = format!("# team-overlay-mark\n{}", embedded(DEPLOYMENT));
    let dir = project(&[(DEPLOYMENT, with_header.as_str())]);
    let files = generate(dir.path()).unwrap();
    let chart = files
        .get("charts/api-server/templates/deployment.yaml")
        .unwrap();
    // The header stays the first line (the Deployment may sit under a `{{ if }}` line).
    assert!(chart.starts_with("# team-overlay-mark\n"), "{chart}");
    assert!(
        chart.contains("\napiVersion: apps/v1\nkind: Deployment\n"),
        "{chart}"
    );
    let docs = objects(files.get("k8s/prod/api-server.yaml").unwrap());
    let d = deployment(&docs);
    assert_eq!(d["apiVersion"], "apps/v1");
    assert_eq!(d["metadata"]["name"], "api-server");
}

#[test]
fn every_embedded_chart_template_survives_a_header_line() {
    let set = TemplateSet::embedded();
    let overlays: Vec<(String, String)> = set
        .templates
        .iter()
        .filter(|(p, _)| p.starts_with("charts/__service__/templates/") && p.ends_with(".yaml.j2"))
        .map(|(p, t)| (p.clone(), format!("# team header\n{}", t.source)))
        .collect();
    let refs: Vec<(&str, &str)> = overlays
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let plain = pipeline::generate(&Inputs {
        spec: project(&[]).path().join("chartwright.yaml"),
        ..Default::default()
    });
    let dir = project(&refs);
    let files = generate(dir.path()).unwrap();
    let (_, plain) = plain.unwrap();
    for env in ["dev", "staging", "prod"] {
        let path = format!("k8s/{env}/api-server.yaml");
        assert_eq!(
            objects(files.get(&path).unwrap()),
            objects(plain.get(&path).unwrap()),
            "{path}: a header line changed the objects"
        );
    }
}

#[test]
fn a_header_glued_to_the_first_key_fails_naming_the_file_and_line() {
    // The old way to open a template: `[%-` eats the newline after the team's header line.
    let glued = format!(
        "# team-overlay-mark\n[%- set c = service.chart.name -%]\n{}",
        embedded(DEPLOYMENT).split_once('\n').unwrap().1
    );
    let dir = project(&[(DEPLOYMENT, glued.as_str())]);
    let stderr = refused(&dir);
    // The error names the line of `apiVersion:` in the team's file.
    let line = 1 + glued
        .lines()
        .position(|l| l == "apiVersion: apps/v1")
        .unwrap();
    assert!(
        stderr.contains(&format!(
            "overlay/charts/__service__/templates/deployment.yaml.j2:{line}"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("has no `apiVersion`"), "{stderr}");
    assert!(
        stderr.contains("# team-overlay-markapiVersion: apps/v1"),
        "{stderr}"
    );
}

#[test]
fn an_object_without_a_name_fails_naming_the_file_and_line() {
    let nameless = embedded("charts/__service__/templates/service.yaml.j2")
        .replace("  name: {{ include \"[[ c ]].fullname\" . | quote }}\n", "");
    let dir = project(&[(
        "charts/__service__/templates/service.yaml.j2",
        nameless.as_str(),
    )]);
    let stderr = refused(&dir);
    assert!(
        stderr.contains("overlay/charts/__service__/templates/service.yaml.j2"),
        "{stderr}"
    );
    assert!(stderr.contains("has no `metadata.name`"), "{stderr}");
}

#[test]
fn a_new_chart_template_without_a_kind_fails() {
    let dir = project(&[(
        "charts/__service__/templates/extra.yaml",
        "apiVersion: v1\nmetadata:\n  name: x\ndata: {}\n",
    )]);
    let stderr = refused(&dir);
    assert!(stderr.contains("has no `kind`"), "{stderr}");
    assert!(
        stderr.contains("overlay/charts/__service__/templates/extra.yaml:"),
        "{stderr}"
    );
}

#[test]
fn an_unsupported_function_is_refused_with_file_and_line() {
    let dir = project(&[(
        "charts/__service__/templates/extra.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ regexFind \"[0-9]+\" .Chart.Version | quote }}\n",
    )]);
    let stderr = refused(&dir);
    assert!(
        stderr.contains("overlay/charts/__service__/templates/extra.yaml:6"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "chartwright cannot render this for k8s/: function `regexFind` is not supported"
        ),
        "{stderr}"
    );
}

#[test]
fn helm_functions_used_by_team_templates_render() {
    let dir = project(&[(
        "charts/__service__/templates/extra.yaml",
        r#"{{- $cfg := dict "replicas" .Values.replicaCount "name" (include "api-server.fullname" .) -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-extra" $cfg.name | trunc 63 | quote }}
  namespace: {{ .Release.Namespace }}
data:
  replicas: {{ $cfg.replicas | toString | quote }}
  raw: {{ .Values.replicaCount | quote }}
  upper: {{ upper .Chart.Name | quote }}
  default: {{ .Values.nothingHere | default "fallback" | quote }}
  ternary: {{ ternary "on" "off" .Values.autoscaling.enabled | quote }}
  tpl: {{ tpl "{{ .Release.Name }}-tpl" . | quote }}
  keys: {{ keys .Values.image | sortAlpha | join "," | quote }}
  yaml: |
    {{- toYaml .Values.resources | nindent 4 }}
"#,
    )]);
    let files = generate(dir.path()).unwrap();
    let docs = objects(files.get("k8s/prod/api-server.yaml").unwrap());
    let cm = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "api-server-extra")
        .expect("the team's ConfigMap");
    let data = &cm["data"];
    assert_eq!(cm["metadata"]["namespace"], "quickstart-prod");
    assert_eq!(data["replicas"], "3");
    assert_eq!(data["raw"], "3");
    assert_eq!(data["upper"], "API-SERVER");
    assert_eq!(data["default"], "fallback");
    assert_eq!(data["ternary"], "on");
    assert_eq!(data["tpl"], "api-server-tpl");
    assert_eq!(data["keys"], "digest,pullPolicy,repository,tag");
    assert_eq!(
        data["yaml"],
        "limits:\n  cpu: 500m\n  memory: 512Mi\nrequests:\n  cpu: 250m\n  memory: 256Mi\n"
    );
}

#[test]
fn a_template_that_includes_itself_fails_instead_of_overflowing() {
    let dir = project(&[
        (
            "charts/__service__/templates/_loop.tpl",
            "{{- define \"loop\" -}}{{ include \"loop\" . }}{{- end -}}",
        ),
        (
            "charts/__service__/templates/extra.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ include \"loop\" . | quote }}\n",
        ),
    ]);
    let stderr = refused(&dir);
    assert!(stderr.contains("nested more than"), "{stderr}");
}

#[test]
fn overlays_of_the_former_twins_are_refused() {
    for path in [
        "_partials/k8s.j2",
        "_partials/k8s/deployment.yaml.j2",
        "k8s/__env__/__service__.yaml.j2",
        "k8s/__env__/monitor-__service__.yaml.j2",
    ] {
        let dir = project(&[(path, "# anything\n")]);
        let stderr = refused(&dir);
        assert!(stderr.contains(&format!("overlay/{path}")), "{stderr}");
        assert!(
            stderr.contains("charts/__service__/templates/"),
            "{path}: the message says where the change belongs: {stderr}"
        );
    }
}

/// Kinds an embedded template outside the chart may write: the environment's namespace and
/// its default-deny policy (`k8s/__env__/namespace.yaml.j2`), which belong to no service.
const ENV_LEVEL: &[(&str, &str)] = &[
    ("k8s/__env__/namespace.yaml.j2", "Namespace"),
    ("k8s/__env__/namespace.yaml.j2", "NetworkPolicy"),
    ("k8s/__env__/namespace.yaml.j2", "ResourceQuota"),
    ("k8s/__env__/namespace.yaml.j2", "LimitRange"),
    ("k8s/__env__/kustomization.yaml.j2", "Kustomization"),
];

#[test]
fn no_embedded_template_outside_the_chart_writes_a_kubernetes_object() {
    // The guard against a hand-maintained mirror coming back: every per-service object is
    // written by a chart template only, and k8s/<env>/<service>.yaml is rendered from it.
    let set = TemplateSet::embedded();
    let mut found = Vec::new();
    for (path, t) in &set.templates {
        if path.starts_with("charts/__service__/templates/") {
            continue;
        }
        for (i, line) in t.source.lines().enumerate() {
            let Some(kind) = line.trim_start().strip_prefix("kind:") else {
                continue;
            };
            let kind = kind.trim().trim_matches('"');
            if !ENV_LEVEL.contains(&(path.as_str(), kind)) {
                found.push(format!("{path}:{}: kind: {kind}", i + 1));
            }
        }
        assert!(
            !(path.starts_with("k8s/") && path.contains("__service__")),
            "{path}: per-service manifests come from the chart"
        );
        assert!(
            !path.starts_with("_partials/k8s"),
            "{path}: a Jinja twin of the chart's objects"
        );
    }
    assert!(
        found.is_empty(),
        "Kubernetes objects written outside charts/__service__/templates/ (a second source): {found:#?}"
    );
    // And the rendered tree agrees: outside charts/, only namespace.yaml files are Jinja
    // output with objects; each k8s/<env>/<service>.yaml holds exactly the chart's objects.
    let (_, files) = pipeline::generate(&Inputs {
        spec: project(&[]).path().join("chartwright.yaml"),
        ..Default::default()
    })
    .unwrap();
    for (path, text) in files.iter() {
        if path.starts_with("k8s/")
            && !path.ends_with("/namespace.yaml")
            && !path.ends_with("/kustomization.yaml")
        {
            assert!(
                text.contains("# The objects of `helm template"),
                "{path} is not the chart's rendering"
            );
        }
    }
}
