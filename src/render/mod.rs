//! Render: minijinja over the template tree. Templates format the plan; they decide nothing.
//!
//! One environment with `[% %]` / `[[ ]]` / `[# #]` delimiters, so that Helm's Go-template
//! `{{ }}` passes through untouched; strict undefined, so a misspelt field fails instead of
//! rendering empty; no auto-escaping, because YAML is quoted explicitly with `tojson`.

pub mod chart_version;
mod helm;
pub mod templates;

use std::fmt;

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::output::FileSet;
use crate::plan::{
    BackingPlan, ChartValues, ComposePlan, EnvironmentPlan, Plan, ServiceEnvironment, ServicePlan,
};
use templates::{JINJA_SUFFIX, output_path};
pub use templates::{Origin, TemplateSet};

/// A template that failed: where, and what the template text says there.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub template: String,
    /// The overlay file, when the template came from one.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
    pub snippet: Option<String>,
}

impl std::error::Error for RenderError {}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self
            .file
            .clone()
            .unwrap_or_else(|| format!("templates/{}", self.template));
        let title = match self.line {
            Some(l) => format!("template {place}:{l}: {}", self.message),
            None => format!("template {place}: {}", self.message),
        };
        writeln!(f, "{}", crate::snippet::error(&title))?;
        if let Some(s) = &self.snippet {
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

/// The context every template receives. Fields that only make sense for a path with
/// `__service__` or `__env__` are absent elsewhere, so strict undefined catches misuse.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Context<'a> {
    /// The template contract version (`chartwright-overlay.yaml` may declare `contract:`).
    pub contract_version: u32,
    /// The chartwright version rendering the template.
    pub generator_version: &'a str,
    /// The spec's `app`.
    pub app: &'a str,
    /// Environments in the order the spec declares them.
    pub environments: &'a [EnvironmentPlan],
    /// The team's own services, sorted by name.
    pub services: &'a [ServicePlan],
    /// Backing services (databases, caches, brokers), sorted by name.
    pub backing: &'a [BackingPlan],
    /// `docker-compose.yml` for local development.
    pub compose: &'a ComposePlan,
    /// Whether `.env.example` is generated (a team overlay may exclude it), so that
    /// `docker-compose.yml` only tells people to copy a file that exists.
    pub env_example: bool,
    /// Paths with `__service__` only: the service being rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<&'a ServicePlan>,
    /// Every leaf of the base values with its description: the chart README's values table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_table: Option<Vec<ValuesRow>>,
    /// JSON Schema of the chart's values, for `values.schema.json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_schema: Option<&'a serde_json::Value>,
    /// The same schema as pretty-printed JSON text (it is identical for every chart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_schema_json: Option<String>,
    /// Paths with `__env__` only: the environment being rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<&'a EnvironmentPlan>,
    /// Paths with both `__service__` and `__env__`: the service's complete values there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<&'a ChartValues>,
    /// Paths with both `__service__` and `__env__`: only what differs from `service.base`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<&'a serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValuesRow {
    pub key: String,
    /// The default as JSON text.
    pub default: String,
    pub description: String,
}

/// The context of a template: `service` for paths with `__service__`, `env` for paths with
/// `__env__` (and both for the per-service, per-environment `values`/`overrides`).
pub fn context<'a>(
    plan: &'a Plan,
    service: Option<&'a ServicePlan>,
    environment: Option<&'a EnvironmentPlan>,
    schema: &'a serde_json::Value,
    env_example: bool,
) -> Context<'a> {
    let svc_env: Option<&ServiceEnvironment> = match (service, environment) {
        (Some(s), Some(e)) => s.environments.iter().find(|se| se.env == e.name),
        _ => None,
    };
    Context {
        contract_version: plan.contract_version,
        generator_version: &plan.generator_version,
        app: &plan.app,
        environments: &plan.environments,
        services: &plan.services,
        backing: &plan.backing,
        compose: &plan.compose,
        env_example,
        service,
        values_table: service.map(|s| values_table(&s.base, schema)),
        values_schema: service.map(|_| schema),
        values_schema_json: service
            .map(|_| serde_json::to_string_pretty(schema).expect("a schema serializes")),
        env: environment,
        values: svc_env.map(|se| &se.values),
        overrides: svc_env.map(|se| &se.overrides),
    }
}

/// `docs/template-context.md`: every field of [`Context`], generated from its JSON Schema.
pub fn context_doc() -> String {
    let generator = schemars::generate::SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let schema = serde_json::to_value(generator.into_root_schema_for::<Context<'static>>())
        .expect("a schema serializes");
    let mut out = format!(
        "# Template context (contract {})\n\n\
         Generated from the code by `UPDATE_DOCS=1 cargo test --test context_doc`; do not edit.\n\n\
         Every template receives these fields; print them for a spec with \
         `chartwright templates context [-f SPEC] [--service S] [--env E]`. Fields marked \
         *optional* exist only for template paths with the placeholder named in their \
         description, so strict undefined catches misuse. Adding a field keeps the contract; \
         renaming or removing one bumps it.\n\n\
         | Field | Type | Description |\n|---|---|---|\n",
        crate::plan::CONTRACT_VERSION
    );
    fn type_of(s: &serde_json::Value) -> String {
        match s.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(serde_json::Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" \\| "),
            _ if s.get("anyOf").is_some() || s.get("oneOf").is_some() => "one of".into(),
            _ => "any".into(),
        }
    }
    fn walk(path: &str, s: &serde_json::Value, required: bool, out: &mut String) {
        // `Option<T>` is `anyOf: [T, null]`: document T.
        let inner = s
            .get("anyOf")
            .and_then(|a| a.as_array())
            .and_then(|a| a.iter().find(|x| x.get("type") != Some(&"null".into())))
            .filter(|_| s.get("properties").is_none());
        let (s, required) = match inner {
            Some(i) => (i, false),
            None => (s, required),
        };
        let description = s
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .replace('\n', " ")
            .replace('|', "\\|");
        if !path.is_empty() {
            let opt = if required { "" } else { " *optional*" };
            out.push_str(&format!(
                "| `{path}` | {}{opt} | {description} |\n",
                type_of(s)
            ));
        }
        // A Kubernetes-typed value is documented whole.
        let kubernetes = s
            .get("title")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.starts_with(crate::plan::shapes::TITLE_PREFIX));
        if kubernetes {
            return;
        }
        let req: Vec<&str> = s
            .get("required")
            .and_then(|r| r.as_array())
            .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        if let Some(props) = s.get("properties").and_then(|p| p.as_object()) {
            for (k, v) in props {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(&p, v, req.contains(&k.as_str()), out);
            }
        }
        if let Some(items) = s.get("items").filter(|i| i.is_object()) {
            walk(&format!("{path}[]"), items, true, out);
        }
        if let Some(extra) = s.get("additionalProperties").filter(|i| i.is_object()) {
            walk(&format!("{path}.<key>"), extra, true, out);
        }
    }
    walk("", &schema, true, &mut out);
    out
}

/// Renders every output of the template set for the plan.
pub fn render(plan: &Plan, set: &TemplateSet) -> Result<FileSet, RenderError> {
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
    helm::render_manifests(plan, &mut files, &origins, set, check_output)?;
    Ok(files)
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

/// The [`Context`] of every (service, environment) pair, built from values converted once.
///
/// minijinja values share their data, so a context that holds the whole plan costs a few
/// reference counts; converting the plan for every template instead made rendering quadratic
/// in the number of services.
struct Contexts {
    common: Vec<(&'static str, Value)>,
    /// Per service: the service and its values table.
    services: Vec<(Value, Value)>,
    environments: Vec<Value>,
    /// Per service, per environment: the full values and the overrides.
    values: Vec<Vec<Option<(Value, Value)>>>,
    schema: Value,
    /// The schema as pretty JSON text, the same for every chart.
    schema_json: Value,
}

/// The file `docker-compose.yml`'s instructions refer to when it is generated.
const ENV_EXAMPLE: &str = ".env.example";

impl Contexts {
    fn new(plan: &Plan, env_example: bool) -> Self {
        let schema = values_schema();
        let services = to_value(&plan.services);
        let item = |v: &Value, i: usize| v.get_item_by_index(i).expect("index within the plan");
        Contexts {
            common: vec![
                ("contract_version", Value::from(plan.contract_version)),
                (
                    "generator_version",
                    Value::from(plan.generator_version.as_str()),
                ),
                ("app", Value::from(plan.app.as_str())),
                ("environments", to_value(&plan.environments)),
                ("services", services.clone()),
                ("backing", to_value(&plan.backing)),
                ("compose", to_value(&plan.compose)),
                ("env_example", Value::from(env_example)),
            ],
            services: plan
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| (item(&services, i), to_value(values_table(&s.base, &schema))))
                .collect(),
            environments: plan.environments.iter().map(to_value).collect(),
            values: plan
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let envs = item(&services, i)
                        .get_attr("environments")
                        .expect("a service has environments");
                    plan.environments
                        .iter()
                        .map(|e| {
                            s.environments
                                .iter()
                                .position(|se| se.env == e.name)
                                .map(|j| {
                                    let se = item(&envs, j);
                                    (
                                        se.get_attr("values").expect("values"),
                                        se.get_attr("overrides").expect("overrides"),
                                    )
                                })
                        })
                        .collect()
                })
                .collect(),
            schema: to_value(&schema),
            schema_json: Value::from(
                serde_json::to_string_pretty(&schema).expect("a schema serializes"),
            ),
        }
    }

    /// The same keys as [`Context`] (what `templates context` prints), absent ones left out.
    fn get(&self, service: Option<usize>, env: Option<usize>) -> Value {
        let mut pairs = self.common.clone();
        if let Some(s) = service {
            pairs.push(("service", self.services[s].0.clone()));
            pairs.push(("values_table", self.services[s].1.clone()));
            pairs.push(("values_schema", self.schema.clone()));
            pairs.push(("values_schema_json", self.schema_json.clone()));
        }
        if let Some(e) = env {
            pairs.push(("env", self.environments[e].clone()));
        }
        if let (Some(s), Some(e)) = (service, env)
            && let Some((values, overrides)) = &self.values[s][e]
        {
            pairs.push(("values", values.clone()));
            pairs.push(("overrides", overrides.clone()));
        }
        Value::from_pairs(pairs)
    }
}

/// The context a template at a path with service `service` and environment `env` (indexes into
/// the plan) receives, as JSON: what tests compare with [`context`] and its documentation.
/// `env_example` as with the embedded templates (which generate `.env.example`).
#[doc(hidden)]
pub fn received_context(
    plan: &Plan,
    service: Option<usize>,
    env: Option<usize>,
) -> serde_json::Value {
    serde_json::to_value(Contexts::new(plan, true).get(service, env)).expect("a context serializes")
}

/// Builds the minijinja environment over a template set.
pub fn environment(set: &TemplateSet) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .keep_trailing_newline(true)
        .build()
        .expect("static delimiters are valid");
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_filter("tojson", tojson);
    env.add_filter("toyaml", toyaml);
    for (path, t) in &set.templates {
        if path.ends_with(JINJA_SUFFIX) {
            env.add_template_owned(path.clone(), t.source.clone())
                .map_err(|e| from_minijinja(&e, path, set))?;
        }
    }
    Ok(env)
}

/// JSON without HTML escaping: every JSON string is a valid YAML double-quoted scalar, so this
/// is how templates write a free string that must stay a string.
fn tojson(value: Value, indent: Option<usize>) -> Result<Value, minijinja::Error> {
    let json = serde_json::to_value(&value).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "cannot serialize to JSON",
        )
        .with_source(e)
    })?;
    let text = match indent {
        Some(n) if n > 0 => {
            let mut buf = Vec::new();
            let indent_str = " ".repeat(n);
            let fmt = serde_json::ser::PrettyFormatter::with_indent(indent_str.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
            json.serialize(&mut ser).expect("a JSON value serializes");
            String::from_utf8(buf).expect("JSON is UTF-8")
        }
        _ => {
            let mut buf = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, SpacedFormatter);
            json.serialize(&mut ser).expect("a JSON value serializes");
            String::from_utf8(buf).expect("JSON is UTF-8")
        }
    };
    Ok(Value::from_safe_string(yaml_safe_json(text)))
}

/// JSON text that YAML readers take back unchanged. serde_json escapes only C0 controls, but a
/// YAML stream may not carry DEL, C1 controls, U+FFFE/U+FFFF or a BOM raw (Helm, Compose and
/// kubectl refuse the file), and YAML 1.1 readers (go-yaml) take NEL, LS and PS for line breaks
/// and fold them into spaces. Outside strings JSON is ASCII, so escaping these characters
/// wherever they appear only touches string contents; `\uXXXX` means the same in JSON and in
/// a YAML double-quoted scalar.
pub fn yaml_safe_json(text: String) -> String {
    let unsafe_char = |c: char| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
    };
    if !text.chars().any(unsafe_char) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One-line JSON with a space after `,` and `:`, the flow style YAML linters expect.
struct SpacedFormatter;

impl serde_json::ser::Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// A value as a YAML block (no document marker, no trailing newline). serde-saphyr quotes
/// strings that YAML 1.1 readers such as go-yaml would take for booleans or numbers.
fn toyaml(value: Value) -> Result<Value, minijinja::Error> {
    let json = serde_json::to_value(&value).map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "cannot serialize")
            .with_source(e)
    })?;
    let text = crate::yaml::to_block(&json);
    Ok(Value::from_safe_string(text))
}

fn from_minijinja(e: &minijinja::Error, path: &str, set: &TemplateSet) -> RenderError {
    let name = e.name().unwrap_or(path).to_string();
    let template = set.get(&name);
    let snippet = match (e.line(), template) {
        (Some(line), Some(t)) => Some(crate::snippet::excerpt(&t.source, line)),
        _ => None,
    };
    RenderError {
        file: template
            .and_then(|t| t.file.as_ref())
            .map(|f| f.display().to_string()),
        template: name,
        line: e.line(),
        message: e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.kind().to_string()),
        snippet,
    }
}

/// The line a YAML parser's message points at (`… line 3 …`), if it names one.
fn error_line(message: &str) -> Option<usize> {
    let at = message.find("line ")? + "line ".len();
    let digits: String = message[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|l| *l > 0)
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

/// The chart's `values.schema.json`: derived from [`ChartValues`], so a key that the chart does
/// not know, or a value of the wrong type, fails `helm lint` and `helm template`.
pub fn values_schema() -> serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(build_values_schema).clone()
}

fn build_values_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let schema = generator.into_root_schema_for::<ChartValues>();
    let mut value = serde_json::to_value(schema).expect("a schema serializes");
    crate::plan::shapes::open_for_parents(&mut value);
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "title".into(),
            serde_json::Value::String("Values of a chartwright chart".into()),
        );
    }
    value
}

/// Flattens the base values into rows for the README's table, with the schema's descriptions.
fn values_table(base: &ChartValues, schema: &serde_json::Value) -> Vec<ValuesRow> {
    fn walk(
        prefix: &str,
        v: &serde_json::Value,
        schema: Option<&serde_json::Value>,
        rows: &mut Vec<ValuesRow>,
    ) {
        let description = schema
            .and_then(|s| s.get("description"))
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .replace('\n', " ");
        match v {
            serde_json::Value::Object(m) if !m.is_empty() => {
                for (k, child) in m {
                    let sub = schema
                        .and_then(|s| s.get("properties"))
                        .and_then(|p| p.get(k));
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, child, sub, rows);
                }
            }
            _ => rows.push(ValuesRow {
                key: prefix.to_string(),
                default: v.to_string(),
                description,
            }),
        }
    }
    let mut rows = Vec::new();
    walk(
        "",
        &serde_json::to_value(base).expect("values serialize"),
        Some(schema),
        &mut rows,
    );
    rows
}

fn to_value<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}
