//! Rendering a template set into the output file set: expanding `__service__` / `__env__`
//! paths, refusing two writers of one file, and checking what team templates produce.

use std::collections::{BTreeMap, HashMap};

use minijinja::{Environment, Value};

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
    let renderer = Renderer::new(plan, set)?;
    let mut files = FileSet::new();
    for unit in 0..renderer.units() {
        files.append(renderer.render_unit(unit)?);
    }
    helm::render_manifests(
        plan,
        &mut files,
        &renderer.origins,
        set,
        renderer.check_output,
    )?;
    Ok(files)
}

/// The template set of a plan, rendered one unit at a time: unit 0 is every file outside the
/// services' charts, unit `s + 1` the files under `charts/<service s>/`. Which template
/// writes which path (and every conflict between two writers) is settled for the whole plan
/// up front, from the paths alone; the texts are rendered on demand, so that a caller can
/// write one unit before rendering the next and memory does not grow with the number of
/// services. The plain manifests are not among the units: [`helm::service_manifests`] renders
/// them from a chart (as it will be on disk, in a regeneration).
pub struct Renderer<'a> {
    plan: &'a Plan,
    set: &'a TemplateSet,
    env: Compiled,
    contexts: Contexts,
    /// Team templates are in the set: rendered YAML is checked.
    pub check_output: bool,
    /// Output path -> the template that writes it, for naming it in an error.
    pub origins: HashMap<String, String>,
    units: Vec<Vec<Job<'a>>>,
}

/// One output file: its path, its template, and the service and environment it is for.
struct Job<'a> {
    out: String,
    template: &'a str,
    service: Option<usize>,
    env: Option<usize>,
}

/// The compiled templates: the embedded set's, compiled once per process, or a set of its own.
enum Compiled {
    Embedded(&'static Environment<'static>),
    Own(Box<Environment<'static>>),
}

impl Compiled {
    fn of(set: &TemplateSet) -> Result<Self, RenderError> {
        // The embedded templates compile once per process; any other set (an overlay, or a set
        // changed in code) gets its own environment.
        static EMBEDDED: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
        if !set.is_embedded() {
            return Ok(Compiled::Own(Box::new(environment(set)?)));
        }
        Ok(Compiled::Embedded(match EMBEDDED.get() {
            Some(env) => env,
            None => {
                let env = environment(set)?;
                EMBEDDED.get_or_init(|| env)
            }
        }))
    }

    fn get(&self) -> &Environment<'static> {
        match self {
            Compiled::Embedded(e) => e,
            Compiled::Own(e) => e,
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(plan: &'a Plan, set: &'a TemplateSet) -> Result<Self, RenderError> {
        let env = Compiled::of(set)?;
        let contexts = Contexts::new(plan, set.generates(ENV_EXAMPLE));
        // Team templates are checked to give valid YAML as they render. The embedded ones are
        // proven to by the test suite (snapshots, conformance, fuzzing), and parsing every
        // output again would cost more than rendering it.
        let check_output = set.templates.values().any(|t| t.origin == Origin::Overlay);
        refuse_mirrors(set)?;
        let (jobs, origins) = assign(plan, set)?;
        let index: HashMap<&str, usize> = plan
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i + 1))
            .collect();
        let mut units: Vec<Vec<Job>> = (0..=plan.services.len()).map(|_| Vec::new()).collect();
        for job in jobs.into_values() {
            let unit = job
                .out
                .strip_prefix("charts/")
                .and_then(|rest| rest.split_once('/'))
                .and_then(|(service, _)| index.get(service).copied())
                .unwrap_or(0);
            units[unit].push(job);
        }
        Ok(Renderer {
            plan,
            set,
            env,
            contexts,
            check_output,
            origins,
            units,
        })
    }

    /// How many units there are: one per service, plus one.
    pub fn units(&self) -> usize {
        self.units.len()
    }

    /// The files of one unit.
    pub fn render_unit(&self, unit: usize) -> Result<FileSet, RenderError> {
        let mut files = FileSet::new();
        // The values table of the service whose files these are, built once per unit.
        let mut table: Option<(usize, Value)> = None;
        for job in &self.units[unit] {
            if let Some(s) = job.service
                && table.as_ref().is_none_or(|(t, _)| *t != s)
            {
                table = Some((s, self.contexts.values_table(self.plan, s)));
            }
            if let Some(text) = self.render_job(job, table.as_ref().map(|(_, t)| t))? {
                files.insert(job.out.clone(), text);
            }
        }
        // A service's chart is whole: its version follows its content.
        if let Some(service) = unit.checked_sub(1).and_then(|s| self.plan.services.get(s)) {
            super::chart_version::stamp_chart(&mut files, &service.name);
        }
        Ok(files)
    }

    /// The text of one file; `None` for a chart template that renders nothing for this
    /// service (the Deployment of a job, the Service of a worker), which is no file of its chart.
    fn render_job(&self, job: &Job, table: Option<&Value>) -> Result<Option<String>, RenderError> {
        let (path, out) = (job.template, job.out.as_str());
        let template = self.set.get(path).expect("assigned from the set");
        if !path.ends_with(JINJA_SUFFIX) {
            return Ok(Some(template.source.clone().into_owned()));
        }
        let text = self
            .env
            .get()
            .get_template(path)
            .and_then(|t| {
                let service = job.service.zip(table);
                t.render(self.contexts.get(service, job.env))
            })
            .map_err(|e| from_minijinja(&e, path, self.set))?;
        if path.starts_with(CHART_TEMPLATES) && text.trim().is_empty() {
            return Ok(None);
        }
        if self.check_output {
            check_yaml(out, &text).map_err(|message| {
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
        }
        Ok(Some(text))
    }
}

/// Which template writes each output path, from the paths alone.
///
/// A second writer is an error naming both, never a silent replacement (a service named
/// `namespace` against the Namespace file; an overlay's plain `docker-compose.yml` against the
/// embedded `docker-compose.yml.j2`). One exception, by rule rather than by path order: an
/// overlay file at one expansion of an embedded `__service__`/`__env__` template
/// (`charts/api/values-prod.yaml`) replaces that one expansion, which no template path could
/// otherwise name.
type Assigned<'a> = (BTreeMap<String, Job<'a>>, HashMap<String, String>);

fn assign<'a>(plan: &Plan, set: &'a TemplateSet) -> Result<Assigned<'a>, RenderError> {
    let mut writers: HashMap<String, Writer> = HashMap::new();
    let mut jobs = BTreeMap::new();
    let mut origins = HashMap::new();
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
                jobs.insert(
                    out.clone(),
                    Job {
                        out,
                        template: path,
                        service: *service,
                        env: *environment,
                    },
                );
            }
        }
    }
    Ok((jobs, origins))
}

/// One writer of an output path (see the collision rule in [`assign`]).
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
