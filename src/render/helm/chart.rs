//! One chart, parsed once and executed once per environment the way `helm template` does.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use gotmpl::{Template, TemplateError, Value};

use super::include::{Current, base_template, rendering, unsupported_function};
use super::objects::{self, Object};
use super::values::{capabilities, chart_value, coalesce, coalesce_value, map, read_yaml, release};
use super::{ChartFiles, funcs, shared};
use crate::plan::ServicePlan;
use crate::render::RenderError;

/// One file of the chart's `templates/` folder.
pub(super) struct ChartFile {
    /// Helm's template name: `<chart>/templates/<file>`.
    name: String,
    /// The output path, `charts/<service>/templates/<file>`.
    out: String,
    /// Rendered to objects (not a `_` partial).
    renders: bool,
    /// Its name in the shared parse, when the chart has one.
    shared_name: String,
}

/// A chart parsed once, rendered once per environment.
pub(super) struct Chart<'a> {
    service: &'a str,
    plan: &'a ServicePlan,
    chart: &'a ChartFiles<'a>,
    /// The parse shared with charts of the same templates (see `shared`), if any.
    shared: Option<Arc<Template>>,
    /// The chart's own parse: when nothing is shared, or to name the template at fault in
    /// an error (parsed on first need).
    own: OnceLock<Arc<Template>>,
    chart_name: String,
    chart_files: Vec<ChartFile>,
    chart_meta: Value,
    base_values: serde_json::Value,
    /// The plan's base values as template values, when they stand for the values files.
    plan_values: OnceLock<Value>,
    base_path: String,
}

impl<'a> Chart<'a> {
    pub(super) fn load(
        plan: &'a ServicePlan,
        src: &'a ChartFiles<'a>,
        template_paths: &[&str],
        values_from_plan: bool,
    ) -> Result<Self, RenderError> {
        let origins = src.origins;
        let service = plan.name.as_str();
        let dir = format!("charts/{service}/");
        let chart_yaml = format!("{dir}Chart.yaml");
        let meta = read_yaml(src, &chart_yaml)?;
        let chart_name = meta
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or(service)
            .to_string();
        let values_path = format!("{dir}values.yaml");
        // Only while every values file of the chart comes from those templates, unedited: an
        // overlay can also put a file at `charts/<service>/values-prod.yaml` itself.
        let from = |path: &str, template: &str| {
            origins.get(path).copied() == Some(template) && !src.edited.contains(path)
        };
        let values_from_plan = values_from_plan
            && from(&values_path, "charts/__service__/values.yaml.j2")
            && plan.environments.iter().all(|se| {
                from(
                    &format!("{dir}values-{}.yaml", se.env),
                    "charts/__service__/values-__env__.yaml.j2",
                )
            });
        let base_values = if values_from_plan && !cfg!(debug_assertions) {
            serde_json::Value::Null
        } else {
            read_yaml(src, &values_path)?
        };
        let templates_dir = format!("{dir}templates/");
        let mut chart_files: Vec<ChartFile> = template_paths
            .iter()
            .filter_map(|p| p.strip_prefix(&templates_dir).map(|rel| (*p, rel)))
            // NOTES.txt is what Helm prints after an install: never an object, not even parsed.
            .filter(|(_, rel)| *rel != "NOTES.txt")
            .map(|(p, rel)| {
                let base = rel.rsplit('/').next().unwrap_or(rel);
                ChartFile {
                    name: format!("{chart_name}/templates/{rel}"),
                    out: p.to_string(),
                    renders: !base.starts_with('_'),
                    shared_name: String::new(),
                }
            })
            .collect();
        // Helm's parse order (deepest paths first, then reverse lexical), so that a template
        // defined twice resolves to the same definition as in Helm.
        chart_files.sort_by(|a, b| {
            let (ca, cb) = (a.name.matches('/').count(), b.name.matches('/').count());
            cb.cmp(&ca).then_with(|| b.name.cmp(&a.name))
        });
        let mut chart = Chart {
            service,
            plan,
            chart: src,
            shared: None,
            own: OnceLock::new(),
            base_path: format!("{chart_name}/templates"),
            chart_name,
            chart_files,
            chart_meta: chart_value(&meta),
            base_values,
            plan_values: OnceLock::new(),
        };
        if values_from_plan {
            let base = serde_json::to_value(&plan.base).expect("values serialize");
            let _ = chart.plan_values.set(funcs::from_serde(&base));
        }
        let sources: Vec<(&str, &str)> = chart
            .chart_files
            .iter()
            .map(|f| (f.name.as_str(), src.files.get(&f.out).unwrap_or_default()))
            .collect();
        if let Some((template, names)) = shared::shared(&chart.chart_name, &sources) {
            chart.shared = Some(template);
            for (f, name) in chart.chart_files.iter_mut().zip(names) {
                f.shared_name = name;
            }
        }
        // Without a shared parse, a template that does not parse fails here. Debug builds
        // (every test) parse both, to compare what they render.
        if chart.shared.is_none() || cfg!(debug_assertions) {
            chart.own()?;
        }
        // Output and install order start from the file names, as in Helm.
        chart.chart_files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(chart)
    }

    /// The chart's own parse.
    fn own(&self) -> Result<&Arc<Template>, RenderError> {
        if let Some(t) = self.own.get() {
            return Ok(t);
        }
        let parsed = Arc::new(self.parse()?);
        Ok(self.own.get_or_init(|| parsed))
    }

    /// Every template file into one set, with Helm's functions; unsupported functions refused.
    fn parse(&self) -> Result<Template, RenderError> {
        let mut root = base_template().clone();
        for f in &self.chart_files {
            let source = self.chart.files.get(&f.out).unwrap_or_default();
            let parsed = Template::new(&f.name)
                .parse(source)
                .map_err(|e| self.parse_error(f, &e))?;
            for name in parsed.templates() {
                let tree = parsed.lookup(name).expect("a listed template exists");
                if let Some((line, func)) = unsupported_function(tree) {
                    return Err(self.error_at(
                        f,
                        Some(line),
                        format!(
                            "chartwright cannot render this for k8s/: function `{func}` is not supported (see the README's Team templates section for the functions chartwright implements)"
                        ),
                    ));
                }
                root = root.add_parse_tree(name, tree.clone());
            }
        }
        Ok(root)
    }

    /// The objects of the release in one environment, in Helm's install order, hooks left out.
    pub(super) fn render(&self, env: &str, namespace: &str) -> Result<Vec<Object>, RenderError> {
        let values = match self.plan_values.get() {
            Some(base) => {
                let se = self
                    .plan
                    .environments
                    .iter()
                    .find(|se| se.env == env)
                    .expect("only the service's environments are rendered");
                // The base converted once per chart; an environment copies only what it
                // overrides.
                let values = coalesce_value(base.clone(), &se.overrides);
                // Debug builds (every test) prove the shortcut: the files say the same.
                if cfg!(debug_assertions) {
                    assert_eq!(
                        funcs::to_serde(&values).expect("values are JSON"),
                        self.values_from_files(env)?,
                        "values.yaml + values-{env}.yaml of {} differ from the plan",
                        self.service
                    );
                }
                values
            }
            None => funcs::from_serde(&self.values_from_files(env)?),
        };
        let mut top: BTreeMap<Arc<str>, Value> = BTreeMap::new();
        top.insert("Values".into(), values);
        top.insert("Release".into(), release(self.service, namespace));
        top.insert("Chart".into(), self.chart_meta.clone());
        top.insert("Capabilities".into(), capabilities());
        top.insert("Files".into(), Value::Map(Arc::default()));
        top.insert("Subcharts".into(), Value::Map(Arc::default()));
        if let Some(template) = &self.shared {
            // Any error is rendered again from the chart's own parse, which names its own
            // templates; debug builds (every test) prove that both parses render the same.
            if let Ok(objects) = self.render_with(template, true, &top, env, namespace) {
                if cfg!(debug_assertions) {
                    let own = self.render_with(self.own()?, false, &top, env, namespace)?;
                    assert_eq!(
                        format!("{objects:?}"),
                        format!("{own:?}"),
                        "the shared parse of the chart of {} renders another {env} release",
                        self.service
                    );
                }
                return Ok(objects);
            }
        }
        self.render_with(self.own()?, false, &top, env, namespace)
    }

    /// [`Self::render`] with one of the chart's parses: the shared one, or its own.
    fn render_with(
        &self,
        template: &Arc<Template>,
        shared: bool,
        top: &BTreeMap<Arc<str>, Value>,
        env: &str,
        namespace: &str,
    ) -> Result<Vec<Object>, RenderError> {
        let current = Current {
            template: template.clone(),
            shared_as: shared.then(|| self.chart_name.clone()),
        };
        rendering(current, || {
            self.render_files(template, shared, top, env, namespace)
        })
    }

    fn render_files(
        &self,
        template: &Template,
        shared: bool,
        top: &BTreeMap<Arc<str>, Value>,
        env: &str,
        namespace: &str,
    ) -> Result<Vec<Object>, RenderError> {
        let mut objects = Vec::new();
        for f in self.chart_files.iter().filter(|f| f.renders) {
            let name = if shared { &f.shared_name } else { &f.name };
            let mut data = top.clone();
            data.insert(
                "Template".into(),
                map([
                    ("Name", Value::String(f.name.as_str().into())),
                    ("BasePath", Value::String(self.base_path.as_str().into())),
                ]),
            );
            let text = match template.lookup(name) {
                Some(_) => template
                    .execute_template_to_string(name, &Value::Map(Arc::new(data)))
                    .map_err(|e| {
                        self.error_at(
                            f,
                            None,
                            format!("rendering `{}` for the {env:?} environment: {e}", f.out),
                        )
                    })?,
                None => String::new(),
            };
            // Helm prints a missing value as nothing.
            let text = if text.contains("<no value>") {
                text.replace("<no value>", "")
            } else {
                text
            };
            for doc in objects::split(&text) {
                match objects::inspect(doc, self.chart.check_yaml) {
                    Ok(Some(o)) if o.hook => {}
                    Ok(Some(o)) => objects.push(o.in_namespace(namespace)),
                    Ok(None) => {}
                    Err(problem) => {
                        let source = self.source_of(f);
                        let line = problem
                            .key
                            .and_then(|k| objects::key_line(source.unwrap_or_default(), k));
                        let mut e = self.error_at(
                            f,
                            line,
                            format!(
                                "an object rendered from `{}` for the {env:?} environment {}; every Kubernetes object needs apiVersion, kind and metadata.name",
                                f.out, problem.message
                            ),
                        );
                        if let Some(k) = problem.key
                            && doc
                                .lines()
                                .any(|l| l.starts_with('#') && l.contains(&format!("{k}:")))
                        {
                            e.message.push_str(&format!(
                                "\n  hint: `{k}:` ended up on a comment line: a `[%-` or `{{{{-` tag eats the line break before it, so do not open a template with one under a comment"
                            ));
                        }
                        let rendered: String =
                            doc.lines().take(8).map(|l| format!("  | {l}\n")).collect();
                        e.snippet = Some(match e.snippet {
                            Some(s) => format!("{s}rendered:\n{rendered}"),
                            None => format!("rendered:\n{rendered}"),
                        });
                        return Err(e);
                    }
                }
            }
        }
        objects::sort_install_order(&mut objects);
        Ok(objects)
    }

    /// `values.yaml` merged with `values-<env>.yaml`, as Helm merges them.
    fn values_from_files(&self, env: &str) -> Result<serde_json::Value, RenderError> {
        let values_path = format!("charts/{}/values-{env}.yaml", self.service);
        let env_values = read_yaml(self.chart, &values_path)?;
        Ok(coalesce(self.base_values.clone(), env_values))
    }

    /// The text behind a chart file (the `.j2` source, a copied file, or the edited file).
    fn source_of(&self, f: &ChartFile) -> Option<&str> {
        self.chart.source_of(&f.out)
    }

    fn parse_error(&self, f: &ChartFile, e: &TemplateError) -> RenderError {
        match e {
            TemplateError::Parse { line, message, .. }
            | TemplateError::Lex { line, message, .. } => {
                let rendered = self.chart.files.get(&f.out).unwrap_or_default();
                let source_line = self
                    .source_of(f)
                    .and_then(|src| objects::source_line(src, rendered, *line));
                self.error_at(
                    f,
                    source_line,
                    format!("not a valid Helm template ({}:{line}): {message}", f.out),
                )
            }
            other => self.error_at(f, None, other.to_string()),
        }
    }

    /// An error at a chart file, named by its template (the overlay file when it is one), or
    /// by the file on disk when a hand edit is in it.
    fn error_at(&self, f: &ChartFile, line: Option<usize>, message: String) -> RenderError {
        let (template, file) = self.chart.name(&f.out);
        let snippet = match (line, self.source_of(f)) {
            (Some(l), Some(source)) => Some(crate::snippet::excerpt(source, l)),
            _ => None,
        };
        RenderError {
            file,
            template,
            line,
            message,
            snippet,
        }
    }
}
