//! Rendering a template set into the output file set: expanding `__service__` / `__env__`
//! paths, refusing two writers of one file, and checking what team templates produce.

use minijinja::Environment;

use super::context::{Contexts, ENV_EXAMPLE};
use super::environment::environment;
use super::error::{error_line, from_minijinja};
use super::templates::{self, JINJA_SUFFIX, output_path};
use super::{Origin, RenderError, TemplateSet, helm};
use crate::output::FileSet;
use crate::plan::Plan;

/// Where a chart's own templates live in the template set.
const CHART_TEMPLATES: &str = "charts/__service__/templates/";

/// Renders every output of the template set for the plan.
pub fn render(plan: &Plan, set: &TemplateSet) -> Result<FileSet, RenderError> {
    let Rendered {
        mut files,
        origins,
        check_output,
    } = render_charts(plan, set)?;
    helm::render_manifests(plan, &mut files, &origins, set, check_output)?;
    Ok(files)
}

/// What the templates render, before `k8s/<env>/<service>.yaml` is rendered from the charts.
pub struct Rendered {
    pub files: FileSet,
    /// Output path -> the template that wrote it, for naming it in an error.
    pub origins: std::collections::HashMap<String, String>,
    /// Team templates are in the set: rendered YAML is checked.
    pub check_output: bool,
}

/// Renders every output of the template set but the plain manifests, which
/// [`helm::service_manifests`] renders from the charts (as they will be on disk, in a
/// regeneration).
pub fn render_charts(plan: &Plan, set: &TemplateSet) -> Result<Rendered, RenderError> {
    // The embedded templates compile once per process; any other set (an overlay, or a set
    // changed in code) gets its own environment.
    static EMBEDDED: std::sync::OnceLock<(u64, Environment<'static>)> = std::sync::OnceLock::new();
    let owned;
    let fingerprint = set.fingerprint();
    let env = match EMBEDDED.get() {
        Some((f, env)) if *f == fingerprint => env,
        Some(_) => {
            owned = environment(set)?;
            &owned
        }
        None => {
            let embedded = TemplateSet::embedded();
            let env = environment(&embedded)?;
            let (f, env) = EMBEDDED.get_or_init(|| (embedded.fingerprint(), env));
            if *f == fingerprint {
                env
            } else {
                owned = environment(set)?;
                &owned
            }
        }
    };
    let contexts = Contexts::new(plan, set.generates(ENV_EXAMPLE));
    // Team templates are checked to give valid YAML as they render. The embedded ones are
    // proven to by the test suite (snapshots, conformance, fuzzing), and parsing every output
    // again would cost more than rendering it.
    let check_output = set.templates.values().any(|t| t.origin == Origin::Overlay);
    refuse_mirrors(set)?;
    let mut files = FileSet::new();
    // Who wrote each output path: a second writer is an error naming both, never a silent
    // replacement (a service named `namespace` against the Namespace file; an overlay's plain
    // `docker-compose.yml` against the embedded `docker-compose.yml.j2`). One exception, by
    // rule rather than by path order: an overlay file at one expansion of an embedded
    // `__service__`/`__env__` template (`charts/api/values-prod.yaml`) replaces that one
    // expansion, which no template path could otherwise name.
    let mut writers: std::collections::HashMap<String, Writer> = std::collections::HashMap::new();
    // Output path -> template path, for naming the template when a chart file fails later.
    let mut origins = std::collections::HashMap::new();
    for (path, template) in set.outputs() {
        let services: Vec<Option<usize>> = if path.contains("__service__") {
            (0..plan.services.len()).map(Some).collect()
        } else {
            vec![None]
        };
        let envs: Vec<Option<usize>> = if path.contains("__env__") {
            (0..plan.environments.len()).map(Some).collect()
        } else {
            vec![None]
        };
        for service in &services {
            for environment in &envs {
                let out = output_path(
                    path,
                    service.map(|s| plan.services[s].name.as_str()),
                    environment.map(|e| plan.environments[e].name.as_str()),
                );
                if !templates::is_contained(&out) {
                    return Err(RenderError {
                        template: path.to_string(),
                        file: template.file.as_ref().map(|f| f.display().to_string()),
                        line: None,
                        message: format!("output path `{out}` would leave the output directory"),
                        snippet: None,
                    });
                }
                let placeholders = path.contains("__service__") || path.contains("__env__");
                let writer = Writer {
                    name: describe_writer(
                        path,
                        template,
                        service.map(|s| plan.services[s].name.as_str()),
                    ),
                    instance_override: template.origin == Origin::Overlay && !placeholders,
                    expansion: template.origin == Origin::Embedded && placeholders,
                };
                if let Some(first) = writers.get(&out) {
                    if first.instance_override && writer.expansion {
                        continue;
                    }
                    if !(first.expansion && writer.instance_override) {
                        return Err(RenderError {
                            template: path.to_string(),
                            file: template.file.as_ref().map(|f| f.display().to_string()),
                            line: None,
                            message: format!(
                                "two writers for the output file `{out}`: {}, and {}; rename one (a service, or a team template), or drop the embedded one with `exclude` in chartwright-overlay.yaml",
                                first.name, writer.name
                            ),
                            snippet: None,
                        });
                    }
                }
                writers.insert(out.clone(), writer);
                origins.insert(out.clone(), path.to_string());
                if !path.ends_with(JINJA_SUFFIX) {
                    files.insert(out, template.source.clone());
                    continue;
                }
                let text = env
                    .get_template(path)
                    .and_then(|t| t.render(contexts.get(*service, *environment)))
                    .map_err(|e| from_minijinja(&e, path, set))?;
                // A chart template that renders nothing for this service (the Deployment of a
                // job, the Service of a worker) is no file of its chart.
                if path.starts_with(CHART_TEMPLATES) && text.trim().is_empty() {
                    continue;
                }
                if !check_output {
                    files.insert(out, text);
                    continue;
                }
                check_yaml(&out, &text).map_err(|message| {
                    let line = error_line(&message);
                    RenderError {
                        template: path.to_string(),
                        file: template.file.as_ref().map(|f| f.display().to_string()),
                        line: None,
                        message: match line {
                            Some(l) => format!(
                                "rendered `{out}` is not valid YAML (output line {l}): {message}"
                            ),
                            None => format!("rendered `{out}` is not valid YAML: {message}"),
                        },
                        snippet: line.map(|l| {
                            format!("rendered `{out}`:\n{}", crate::snippet::excerpt(&text, l))
                        }),
                    }
                })?;
                files.insert(out, text);
            }
        }
    }
    // Each chart's version follows its content, once all of it is rendered.
    super::chart_version::stamp(&mut files, plan);
    Ok(Rendered {
        files,
        origins,
        check_output,
    })
}

/// One writer of an output path (see the collision rule in [`render`]).
struct Writer {
    name: String,
    /// An overlay file at a concrete path.
    instance_override: bool,
    /// An embedded template with `__service__` or `__env__` in its path.
    expansion: bool,
}

/// "the embedded template `k8s/__env__/__service__.yaml.j2` (service `namespace`)".
fn describe_writer(path: &str, template: &templates::Template, service: Option<&str>) -> String {
    let what = match &template.file {
        Some(f) => format!("the overlay file {}", f.display()),
        None => format!("the embedded template `{path}`"),
    };
    match service {
        Some(s) => format!("{what} (service `{s}`)"),
        None => what,
    }
}

/// Templates that would put a per-service object in `k8s/` beside the chart's: the plain
/// manifests are rendered from the chart, so such a file would be a second source (or, for
/// the former Jinja twins, a file nothing reads any more).
fn refuse_mirrors(set: &TemplateSet) -> Result<(), RenderError> {
    for (path, t) in &set.templates {
        let twin = path == "_partials/k8s.j2" || path.starts_with("_partials/k8s/");
        let per_service_manifest = path.starts_with("k8s/") && path.contains("__service__");
        if !(twin || per_service_manifest) {
            continue;
        }
        let message = if twin {
            "chartwright no longer has this template: `k8s/<env>/<service>.yaml` is rendered from the chart's own templates, so a change here would reach nothing. Make it in the chart template (`charts/__service__/templates/<object>.yaml.j2`) instead: it reaches both the chart and k8s/"
        } else {
            "per-service objects in k8s/ are rendered from the chart: move this template to `charts/__service__/templates/` (as a Helm template) and it reaches both the chart and `k8s/<env>/<service>.yaml`"
        };
        return Err(RenderError {
            template: path.clone(),
            file: t.file.as_ref().map(|f| f.display().to_string()),
            line: None,
            message: message.into(),
            snippet: None,
        });
    }
    Ok(())
}

/// Generated YAML must parse; Helm's own templates (Go templates) are checked by Helm instead.
fn check_yaml(out: &str, text: &str) -> Result<(), String> {
    let is_yaml = out.ends_with(".yaml") || out.ends_with(".yml");
    let is_go_template = out.contains("/templates/");
    if !is_yaml || is_go_template {
        return Ok(());
    }
    crate::yaml::parse_documents(text).map(|_| ())
}
