//! The plain manifests, `k8s/<env>/<service>.yaml`, rendered from the chart's own templates.
//!
//! There is one source per Kubernetes object: the chart's Go template. This module runs the
//! rendered chart (`charts/<service>/templates/*`, `Chart.yaml`, `values.yaml`,
//! `values-<env>.yaml`) through an in-process Go `text/template` engine (gotmpl) with Helm's
//! functions, the way `helm template <service> charts/<service> -n <namespace> -f
//! values-<env>.yaml` does, so a team overlay of a chart template reaches `k8s/` unchanged.
//!
//! What differs from Helm is said in one place, the release: `.Release.Service` is
//! `chartwright` (Helm's is `Helm`), which the chart's labels helper turns into
//! `app.kubernetes.io/managed-by: chartwright` and no `helm.sh/chart` label. Test hooks
//! (`helm.sh/hook`) are Helm's business and left out; `NOTES.txt` and `_*` partials render
//! nothing, as in Helm.
//!
//! Every rendered object, hooks included, must have `apiVersion`, `kind` and `metadata.name`:
//! a team template that loses one fails `generate` naming its file and line.
//!
//! The chart files are whatever the caller hands in. `render::render` hands in the fresh
//! rendering; a regeneration (`pipeline`) hands in each chart as it will be on disk after the
//! output stage's three-way merge, so that a hand edit kept in `values.yaml`,
//! `values-<env>.yaml` or a chart template reaches `k8s/` too ([`ChartFiles::edited`]).
//!
//! Layout: this file decides which manifests exist and writes them; `chart` parses and
//! executes one chart; `values` builds `.Values`, `.Chart`, `.Release` and `.Capabilities`;
//! `include` implements `include`/`tpl`; `shared` shares one parse between charts of the same
//! templates; `funcs` Helm's function library; `namespace` places objects in the
//! environment's namespace; `objects` splits and
//! checks the rendered objects.

mod chart;
mod funcs;
mod include;
mod namespace;
mod objects;
mod shared;
mod values;
mod yaml;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::{RenderError, TemplateSet};
use crate::output::FileSet;
use crate::plan::{Plan, ServicePlan};

use chart::Chart;
use objects::Object;

/// `.Release.Service` of the plain manifests (Helm's is `Helm`).
pub const RELEASE_SERVICE: &str = "chartwright";

/// The chart files `k8s/` is rendered from, and how to name them in an error.
pub struct ChartFiles<'a> {
    /// The chart files (`charts/<service>/...`); other files are ignored.
    pub files: &'a FileSet,
    /// Output path -> the template that rendered it.
    pub origins: &'a HashMap<String, &'a str>,
    pub set: &'a TemplateSet,
    /// Chart files that hold a hand edit kept on disk (they differ from their rendering):
    /// read from their text, and named by their path under `out` in an error.
    pub edited: &'a BTreeSet<String>,
    /// The output directory, for naming an edited file.
    pub out: Option<&'a Path>,
    /// Check that every rendered object is valid YAML (team templates, edits).
    pub check_yaml: bool,
}

impl ChartFiles<'_> {
    /// The template and file an error about the chart file `path` names: the file on disk
    /// when it holds a hand edit, else the template that rendered it.
    fn name(&self, path: &str) -> (String, Option<String>) {
        if self.edited.contains(path) {
            let file = self.out.map(|o| o.join(path).display().to_string());
            return (path.to_owned(), file);
        }
        let template = self
            .origins
            .get(path)
            .map_or_else(|| path.to_owned(), |t| t.to_string());
        let file = self
            .set
            .get(&template)
            .and_then(|t| t.file.as_ref())
            .map(|f| f.display().to_string());
        (template, file)
    }

    /// "rendered `charts/api/values.yaml`", or "`charts/api/values.yaml` (with your edit)".
    fn describe(&self, path: &str) -> String {
        if self.edited.contains(path) {
            format!("`{path}` (with the hand edit the merge keeps)")
        } else {
            format!("rendered `{path}`")
        }
    }

    /// The text behind a chart file: the file itself when edited, else its template's source.
    fn source_of(&self, path: &str) -> Option<&str> {
        if self.edited.contains(path) {
            return self.files.get(path);
        }
        let t = self.origins.get(path)?;
        self.set.get(t).map(|t| &*t.source)
    }
}

/// Adds `k8s/<env>/<service>.yaml` for every service and environment of the plan to `files`,
/// from the chart files already in it. `origins` maps each output path to its template.
pub fn render_manifests(
    plan: &Plan,
    files: &mut FileSet,
    origins: &HashMap<String, &str>,
    set: &TemplateSet,
    check_yaml: bool,
) -> Result<(), RenderError> {
    let edited = BTreeSet::new();
    let chart = ChartFiles {
        files,
        origins,
        set,
        edited: &edited,
        out: None,
        check_yaml,
    };
    let mut manifests = Vec::new();
    for service in &plan.services {
        manifests.extend(service_manifests(plan, service, &chart)?);
    }
    for (path, text) in manifests {
        files.insert(path, text);
    }
    Ok(())
}

/// `k8s/<env>/<service>.yaml` of one service, for each of its environments, rendered from its
/// chart files in `chart`.
pub fn service_manifests(
    plan: &Plan,
    service: &ServicePlan,
    chart: &ChartFiles,
) -> Result<Vec<(String, String)>, RenderError> {
    // The embedded values templates write the plan's values, so the merged values of an
    // environment are the plan's own; reading them back from YAML would only cost time. A team
    // overlay of either file, or a hand edit of one, is read from its text.
    let embedded = |p: &str| {
        chart
            .set
            .get(p)
            .is_some_and(|t| t.origin == super::Origin::Embedded)
    };
    let values_from_plan = embedded("charts/__service__/values.yaml.j2")
        && embedded("charts/__service__/values-__env__.yaml.j2");
    let templates_dir = format!("charts/{}/templates/", service.name);
    let templates: Vec<&str> = chart.files.under(&templates_dir).collect();
    let loaded = Chart::load(service, chart, &templates, values_from_plan)?;
    let mut manifests = Vec::new();
    for env in &plan.environments {
        // An optional service is in k8s/<env>/ only where the environment enables it (the
        // plan's decision; its chart and values-<env>.yaml exist either way).
        if !service
            .environments
            .iter()
            .any(|se| se.env == env.name && se.deployed)
        {
            continue;
        }
        let path = format!("k8s/{}/{}.yaml", env.name, service.name);
        // A second writer of a path is an error naming both (a service named `namespace`
        // against the Namespace file), never a silent replacement.
        if let Some(template) = chart.origins.get(&path) {
            let t = chart.set.get(template);
            return Err(RenderError {
                template: template.to_string(),
                file: t
                    .and_then(|t| t.file.as_ref())
                    .map(|f| f.display().to_string()),
                line: None,
                message: format!(
                    "two writers for the output file `{path}`: the template `{template}`, and the chart of service `{}` (its manifests for k8s/); rename the service",
                    service.name
                ),
                snippet: None,
            });
        }
        let objects = loaded.render(&env.name, &env.namespace)?;
        let text = manifest(plan, service, &env.name, &env.namespace, &objects);
        manifests.push((path, text));
    }
    Ok(manifests)
}

/// The manifest file: a header, then every object of the release in Helm's install order.
fn manifest(
    plan: &Plan,
    service_plan: &ServicePlan,
    env: &str,
    namespace: &str,
    objects: &[Object],
) -> String {
    let service = service_plan.name.as_str();
    let q = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut out = format!(
        "# {} in the {} environment (namespace {}).\n\
         # The objects of `helm template {service} charts/{service} -n {namespace} -f charts/{service}/values-{env}.yaml`,\n\
         # in Helm's install order, for clusters deployed without Helm:\n\
         #   kubectl apply -f k8s/{env}/namespace.yaml -f k8s/{env}/{service}.yaml\n\
         # Generated by chartwright {}: regenerate, do not edit.\n",
        q(service),
        q(env),
        q(namespace),
        plan.generator_version
    );
    // A Job runs before the services that need it, and its pod template cannot change in place.
    if service_plan.workload.object == "Job" {
        out.push_str(&format!(
            "# A Job, run once per release before the services that depend on it: replace the last run,\n\
             # then wait for it before applying the rest of k8s/{env}/:\n\
             #   kubectl -n {namespace} delete job {service} --ignore-not-found\n\
             #   kubectl apply -f k8s/{env}/{service}.yaml\n\
             #   kubectl -n {namespace} wait --for=condition=complete job/{service} --timeout=1h\n"
        ));
    }
    out.reserve(objects.iter().map(|o| o.text.len() + 5).sum());
    for o in objects {
        out.push_str("---\n");
        out.push_str(&o.text);
        out.push('\n');
    }
    out
}
