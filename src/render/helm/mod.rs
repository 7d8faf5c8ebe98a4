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

mod funcs;
mod objects;
mod yaml;

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock, Weak};

use gotmpl::parse::{Expr, ListNode, Node, PipeNode};
use gotmpl::{Template, TemplateError, Value};

use super::{RenderError, TemplateSet};
use crate::output::FileSet;
use crate::plan::{Plan, ServicePlan};

pub use funcs::is_supported;
use objects::Object;

/// `.Release.Service` of the plain manifests (Helm's is `Helm`).
pub const RELEASE_SERVICE: &str = "chartwright";

/// Nested `include`/`tpl` calls allowed before a template is taken to recurse forever.
const MAX_INCLUDE_DEPTH: u32 = 100;

thread_local! {
    static INCLUDE_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Adds `k8s/<env>/<service>.yaml` for every service and environment of the plan to `files`,
/// from the chart files already in it. `origins` maps each output path to its template.
pub fn render_manifests(
    plan: &Plan,
    files: &mut FileSet,
    origins: &HashMap<String, String>,
    set: &TemplateSet,
    check_yaml: bool,
) -> Result<(), RenderError> {
    // The embedded values templates write the plan's values, so the merged values of an
    // environment are the plan's own; reading them back from YAML would only cost time. A team
    // overlay of either file is read from its rendering.
    let embedded = |p: &str| {
        set.get(p)
            .is_some_and(|t| t.origin == super::Origin::Embedded)
    };
    let values_from_plan = embedded("charts/__service__/values.yaml.j2")
        && embedded("charts/__service__/values-__env__.yaml.j2");
    // Each chart's template files, found in one pass over the file set.
    let mut templates: HashMap<&str, Vec<&str>> = HashMap::new();
    for path in files.paths() {
        if let Some((svc, rel)) = path
            .strip_prefix("charts/")
            .and_then(|rest| rest.split_once('/'))
            && rel.starts_with("templates/")
        {
            templates.entry(svc).or_default().push(path);
        }
    }
    let mut manifests = Vec::new();
    for service in &plan.services {
        let chart = Chart::load(
            service,
            files,
            templates.get(service.name.as_str()).map_or(&[][..], |v| v),
            origins,
            set,
            check_yaml,
            values_from_plan,
        )?;
        for env in &plan.environments {
            if !service.environments.iter().any(|se| se.env == env.name) {
                continue;
            }
            let objects = chart.render(&env.name, &env.namespace)?;
            let text = manifest(plan, &service.name, &env.name, &env.namespace, &objects);
            manifests.push((
                format!("k8s/{}/{}.yaml", env.name, service.name),
                text,
                &service.name,
            ));
        }
    }
    for (path, text, service) in manifests {
        // A second writer of a path is an error naming both (a service named `namespace`
        // against the Namespace file), never a silent replacement.
        if let Some(template) = origins.get(&path) {
            let t = set.get(template);
            return Err(RenderError {
                template: template.clone(),
                file: t
                    .and_then(|t| t.file.as_ref())
                    .map(|f| f.display().to_string()),
                line: None,
                message: format!(
                    "two writers for the output file `{path}`: the template `{template}`, and the chart of service `{service}` (its manifests for k8s/); rename the service"
                ),
                snippet: None,
            });
        }
        files.insert(path, text);
    }
    Ok(())
}

/// The manifest file: a header, then every object of the release in Helm's install order.
fn manifest(plan: &Plan, service: &str, env: &str, namespace: &str, objects: &[Object]) -> String {
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
    for o in objects {
        out.push_str("---\n");
        out.push_str(&o.text);
        out.push('\n');
    }
    out
}

/// One file of the chart's `templates/` folder.
struct ChartFile {
    /// Helm's template name: `<chart>/templates/<file>`.
    name: String,
    /// The output path, `charts/<service>/templates/<file>`.
    out: String,
    /// Rendered to objects (not a `_` partial).
    renders: bool,
}

/// A chart parsed once, rendered once per environment.
struct Chart<'a> {
    service: &'a str,
    plan: &'a ServicePlan,
    set: &'a TemplateSet,
    files: &'a FileSet,
    origins: &'a HashMap<String, String>,
    /// Owns the parsed template set; `include` holds only a weak reference, so no cycle.
    template: Arc<OnceLock<Template>>,
    chart_files: Vec<ChartFile>,
    chart_meta: Value,
    base_values: serde_json::Value,
    /// The plan's base values as template values, when they stand for the values files.
    plan_values: OnceLock<Value>,
    base_path: String,
    check_yaml: bool,
}

impl<'a> Chart<'a> {
    fn load(
        plan: &'a ServicePlan,
        files: &'a FileSet,
        template_paths: &[&str],
        origins: &'a HashMap<String, String>,
        set: &'a TemplateSet,
        check_yaml: bool,
        values_from_plan: bool,
    ) -> Result<Self, RenderError> {
        let service = plan.name.as_str();
        let dir = format!("charts/{service}/");
        let chart_yaml = format!("{dir}Chart.yaml");
        let meta = read_yaml(files, &chart_yaml, origins, set)?;
        let chart_name = meta
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or(service)
            .to_string();
        let values_path = format!("{dir}values.yaml");
        // Only while every values file of the chart comes from those templates: an overlay can
        // also put a file at `charts/<service>/values-prod.yaml` itself.
        let from =
            |path: &str, template: &str| origins.get(path).map(String::as_str) == Some(template);
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
            read_yaml(files, &values_path, origins, set)?
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
            set,
            files,
            origins,
            template: Arc::new(OnceLock::new()),
            chart_files,
            chart_meta: chart_value(&meta),
            base_values,
            plan_values: OnceLock::new(),
            base_path: format!("{chart_name}/templates"),
            check_yaml,
        };
        if values_from_plan {
            let base = serde_json::to_value(&plan.base).expect("values serialize");
            let _ = chart.plan_values.set(funcs::from_serde(&base));
        }
        let template = chart.parse()?;
        chart
            .template
            .set(template)
            .unwrap_or_else(|_| unreachable!("a chart is parsed once"));
        // Output and install order start from the file names, as in Helm.
        chart.chart_files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(chart)
    }

    /// Every template file into one set, with Helm's functions; unsupported functions refused.
    fn parse(&self) -> Result<Template, RenderError> {
        let weak = Arc::downgrade(&self.template);
        let weak_tpl = weak.clone();
        let mut root = Template::new("")
            .funcs(funcs::func_map())
            .func("include", move |args| include(&weak, args))
            .func("tpl", move |args| tpl(&weak_tpl, args));
        for f in &self.chart_files {
            let source = self.files.get(&f.out).unwrap_or_default();
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
    fn render(&self, env: &str, namespace: &str) -> Result<Vec<Object>, RenderError> {
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
        let template = self.template.get().expect("parsed in load");
        let mut objects = Vec::new();
        for f in self.chart_files.iter().filter(|f| f.renders) {
            let mut data = top.clone();
            data.insert(
                "Template".into(),
                map([
                    ("Name", Value::String(f.name.as_str().into())),
                    ("BasePath", Value::String(self.base_path.as_str().into())),
                ]),
            );
            let text = match template.lookup(&f.name) {
                Some(_) => template
                    .execute_template_to_string(&f.name, &Value::Map(Arc::new(data)))
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
            let text = text.replace("<no value>", "");
            for doc in objects::split(&text) {
                match objects::inspect(doc, self.check_yaml) {
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
        let env_values = read_yaml(self.files, &values_path, self.origins, self.set)?;
        Ok(coalesce(self.base_values.clone(), env_values))
    }

    /// The template text behind a chart file (the `.j2` source or a copied file).
    fn source_of(&self, f: &ChartFile) -> Option<&str> {
        let t = self.origins.get(&f.out)?;
        self.set.get(t).map(|t| t.source.as_str())
    }

    fn parse_error(&self, f: &ChartFile, e: &TemplateError) -> RenderError {
        match e {
            TemplateError::Parse { line, message, .. }
            | TemplateError::Lex { line, message, .. } => {
                let rendered = self.files.get(&f.out).unwrap_or_default();
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

    /// An error at a chart file, named by its template (the overlay file when it is one).
    fn error_at(&self, f: &ChartFile, line: Option<usize>, message: String) -> RenderError {
        let template = self
            .origins
            .get(&f.out)
            .cloned()
            .unwrap_or_else(|| f.out.clone());
        let t = self.set.get(&template);
        let snippet = match (line, t) {
            (Some(l), Some(t)) => Some(crate::snippet::excerpt(&t.source, l)),
            _ => None,
        };
        RenderError {
            file: t
                .and_then(|t| t.file.as_ref())
                .map(|p| p.display().to_string()),
            template,
            line,
            message,
            snippet,
        }
    }
}

/// A rendered YAML file of the chart as a tree (`{}` when empty).
fn read_yaml(
    files: &FileSet,
    path: &str,
    origins: &HashMap<String, String>,
    set: &TemplateSet,
) -> Result<serde_json::Value, RenderError> {
    let text = files.get(path).ok_or_else(|| RenderError {
        template: origins.get(path).cloned().unwrap_or_else(|| path.into()),
        file: None,
        line: None,
        message: format!("k8s/ is rendered from the chart, which has no `{path}`"),
        snippet: None,
    })?;
    let docs = crate::yaml::parse_documents(text).map_err(|message| {
        let template = origins.get(path).cloned().unwrap_or_else(|| path.into());
        RenderError {
            file: set
                .get(&template)
                .and_then(|t| t.file.as_ref())
                .map(|p| p.display().to_string()),
            template,
            line: None,
            message: format!("rendered `{path}` is not valid YAML: {message}"),
            snippet: None,
        }
    })?;
    Ok(docs
        .into_iter()
        .next()
        .unwrap_or_else(|| serde_json::Value::Object(Default::default())))
}

/// [`coalesce`] of template values with a JSON tree: subtrees that `over` leaves alone stay
/// shared.
fn coalesce_value(base: Value, over: &serde_json::Value) -> Value {
    match (base, over) {
        (Value::Map(b), serde_json::Value::Object(o)) => {
            let mut m = (*b).clone();
            for (k, v) in o {
                if v.is_null() {
                    m.remove(k.as_str());
                    continue;
                }
                let merged = match m.remove(k.as_str()) {
                    Some(old) => coalesce_value(old, v),
                    None => funcs::from_serde(v),
                };
                m.insert(Arc::from(k.as_str()), merged);
            }
            Value::Map(Arc::new(m))
        }
        (_, over) => funcs::from_serde(over),
    }
}

/// Helm's values merge: maps merge key by key, anything else from `over` replaces, and a null
/// in `over` deletes the key.
fn coalesce(base: serde_json::Value, over: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match (base, over) {
        (J::Object(mut b), J::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(&k);
                    continue;
                }
                let merged = match b.remove(&k) {
                    Some(old) => coalesce(old, v),
                    None => v,
                };
                b.insert(k, merged);
            }
            J::Object(b)
        }
        (_, over) => over,
    }
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(Arc::new(
        entries
            .into_iter()
            .map(|(k, v)| (Arc::from(k), v))
            .collect(),
    ))
}

fn release(name: &str, namespace: &str) -> Value {
    map([
        ("Name", Value::String(name.into())),
        ("Namespace", Value::String(namespace.into())),
        ("Service", Value::String(RELEASE_SERVICE.into())),
        ("IsInstall", Value::Bool(true)),
        ("IsUpgrade", Value::Bool(false)),
        ("Revision", Value::Int(1)),
    ])
}

/// `.Capabilities` without a cluster, as `helm template` has it (its default Kubernetes
/// version).
fn capabilities() -> Value {
    map([
        (
            "KubeVersion",
            map([
                ("Version", Value::String("v1.33.0".into())),
                ("GitVersion", Value::String("v1.33.0".into())),
                ("Major", Value::String("1".into())),
                ("Minor", Value::String("33".into())),
            ]),
        ),
        ("APIVersions", Value::List(Arc::from(Vec::new()))),
    ])
}

/// `.Chart` from `Chart.yaml`, with Helm's Go field names; absent strings are empty.
fn chart_value(meta: &serde_json::Value) -> Value {
    let field = |k: &str| {
        meta.get(k)
            .map(funcs::from_serde)
            .unwrap_or_else(|| Value::String("".into()))
    };
    map([
        ("Name", field("name")),
        ("Version", field("version")),
        ("AppVersion", field("appVersion")),
        ("Description", field("description")),
        ("Type", field("type")),
        ("APIVersion", field("apiVersion")),
        ("KubeVersion", field("kubeVersion")),
        ("Home", field("home")),
        ("Icon", field("icon")),
        (
            "Annotations",
            meta.get("annotations")
                .map(funcs::from_serde)
                .unwrap_or(Value::Map(Arc::default())),
        ),
        (
            "Keywords",
            meta.get("keywords")
                .map(funcs::from_serde)
                .unwrap_or(Value::List(Arc::from(Vec::new()))),
        ),
        (
            "Sources",
            meta.get("sources")
                .map(funcs::from_serde)
                .unwrap_or(Value::List(Arc::from(Vec::new()))),
        ),
        (
            "Deprecated",
            Value::Bool(meta.get("deprecated") == Some(&serde_json::Value::Bool(true))),
        ),
    ])
}

/// The template set behind `include`/`tpl`, while its chart is alive.
fn chart_template(
    weak: &Weak<OnceLock<Template>>,
) -> Result<Arc<OnceLock<Template>>, TemplateError> {
    weak.upgrade()
        .ok_or_else(|| TemplateError::Exec("include: the chart is gone".into()))
}

/// Runs `f` one include level deeper, refusing endless recursion (Helm refuses it too).
fn nested<T>(f: impl FnOnce() -> Result<T, TemplateError>) -> Result<T, TemplateError> {
    let depth = INCLUDE_DEPTH.with(|d| {
        d.set(d.get() + 1);
        d.get()
    });
    let out = if depth > MAX_INCLUDE_DEPTH {
        Err(TemplateError::Exec(format!(
            "include nested more than {MAX_INCLUDE_DEPTH} levels deep: a template includes itself"
        )))
    } else {
        f()
    };
    INCLUDE_DEPTH.with(|d| d.set(d.get() - 1));
    out
}

/// Helm's `include NAME DATA`: a named template's output as a string, for piping.
fn include(weak: &Weak<OnceLock<Template>>, args: &[Value]) -> Result<Value, TemplateError> {
    let (name, data) = match args {
        [n] => (n, Value::Nil),
        [n, d] => (n, d.clone()),
        _ => {
            return Err(TemplateError::ArgCount {
                name: "include".into(),
                expected: 2,
                got: args.len(),
            });
        }
    };
    let name = funcs::strval(name);
    let cell = chart_template(weak)?;
    let t = cell
        .get()
        .ok_or_else(|| TemplateError::Exec("include: the chart is not parsed yet".into()))?;
    nested(|| t.execute_template_to_string(&name, &data))
        .map(|s| Value::String(s.into()))
        .map_err(|e| TemplateError::Exec(format!("include {name:?}: {e}")))
}

/// Helm's `tpl TEXT DATA`: a string rendered as a template, with the chart's definitions.
fn tpl(weak: &Weak<OnceLock<Template>>, args: &[Value]) -> Result<Value, TemplateError> {
    let [text, data] = args else {
        return Err(TemplateError::ArgCount {
            name: "tpl".into(),
            expected: 2,
            got: args.len(),
        });
    };
    let cell = chart_template(weak)?;
    let t = cell
        .get()
        .ok_or_else(|| TemplateError::Exec("tpl: the chart is not parsed yet".into()))?;
    let parsed = t.clone().parse(&funcs::strval(text))?;
    if let Some((_, func)) = parsed.lookup("").and_then(unsupported_function) {
        return Err(TemplateError::Exec(format!(
            "tpl: function `{func}` is not supported"
        )));
    }
    nested(|| parsed.execute_to_string(data))
        .map(|s| Value::String(s.replace("<no value>", "").into()))
}

/// The first call of a function chartwright does not implement, with its line.
fn unsupported_function(tree: &ListNode) -> Option<(usize, String)> {
    fn list(l: &ListNode) -> Option<(usize, String)> {
        l.nodes.iter().find_map(node)
    }
    fn node(n: &Node) -> Option<(usize, String)> {
        match n {
            Node::List(l) => list(l),
            Node::Action(a) => pipe(&a.pipe),
            Node::If(b) | Node::Range(b) | Node::With(b) => pipe(&b.pipe)
                .or_else(|| list(&b.body))
                .or_else(|| b.else_body.as_ref().and_then(list)),
            Node::Template(t) => t.pipe.as_ref().and_then(pipe),
            Node::Define(d) => list(&d.body),
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => None,
        }
    }
    fn pipe(p: &PipeNode) -> Option<(usize, String)> {
        p.commands.iter().flat_map(|c| c.args.iter()).find_map(expr)
    }
    fn expr(e: &Expr) -> Option<(usize, String)> {
        match e {
            Expr::Identifier(pos, name) if !is_supported(name) => {
                Some((pos.line, name.to_string()))
            }
            Expr::Pipe(_, p) => pipe(p),
            Expr::Chain(_, inner, _) => expr(inner),
            _ => None,
        }
    }
    list(tree)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_merge_as_helm_merges() {
        let base = json!({"a": {"b": 1, "c": [1, 2]}, "d": "x", "e": {"f": 1}});
        let over = json!({"a": {"c": [3], "g": true}, "d": null, "e": "flat"});
        assert_eq!(
            coalesce(base, over),
            json!({"a": {"b": 1, "c": [3], "g": true}, "e": "flat"})
        );
    }

    #[test]
    fn unknown_functions_are_found_with_their_line() {
        let t = Template::new("x")
            .parse("a\n{{ if .x }}\n{{ .y | quote | regexFind \"z\" }}{{ end }}")
            .unwrap();
        assert_eq!(
            unsupported_function(t.lookup("x").unwrap()),
            Some((3, "regexFind".to_string()))
        );
    }
}
