//! The context templates receive: [`Context`] (what `templates context` prints and
//! `docs/template-context.md` documents) and [`Contexts`], the same keys as minijinja values
//! for the templates, the parts that grow with the number of services converted on demand.

use std::sync::Arc;

use minijinja::Value;
use serde::Serialize;

use super::chart_values::{ValuesRow, values_schema_ref, values_table};
use super::lazy::{Lazy, Services};
use crate::plan::{
    BackingPlan, ChartValues, ComposePlan, EnvironmentPlan, Plan, ServiceEnvironment, ServicePlan,
};

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

/// The [`Context`] of every template, built per template from values converted once where
/// they are small (the environments, the backing services, the schema) and, for what grows
/// with the number of services, when it is read (see [`super::lazy`]): memory then holds the
/// plan and one service's values at a time, not a second copy of the plan.
pub(super) struct Contexts {
    plan: Arc<Plan>,
    contract_version: Value,
    generator_version: Value,
    app: Value,
    environments_list: Value,
    backing: Value,
    env_example: Value,
    environments: Vec<Value>,
    schema: &'static Schema,
}

/// The chart's values schema in the forms templates read: the same for every plan, so
/// converted once per process rather than once per render.
struct Schema {
    value: Value,
    /// The schema as pretty JSON text, the same for every chart.
    json: Value,
    /// The schema itself, for the values tables.
    raw: &'static serde_json::Value,
}

fn schema() -> &'static Schema {
    static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let raw = values_schema_ref();
        Schema {
            value: to_value(raw),
            json: Value::from(serde_json::to_string_pretty(raw).expect("a schema serializes")),
            raw,
        }
    })
}

/// What templates of one service read of it (`service`, `values_table`, `values`,
/// `overrides`), converted when that service's files are rendered and dropped after.
pub(super) struct ServiceValues {
    pub(super) index: usize,
    service: Value,
    table: Value,
    /// Per environment of the plan: the full values and the overrides.
    values: Vec<Option<(Value, Value)>>,
}

/// The file `docker-compose.yml`'s instructions refer to when it is generated.
pub(super) const ENV_EXAMPLE: &str = ".env.example";

impl Contexts {
    pub(super) fn new(plan: &Arc<Plan>, env_example: bool) -> Self {
        Contexts {
            plan: plan.clone(),
            contract_version: Value::from(plan.contract_version),
            generator_version: Value::from(plan.generator_version.as_str()),
            app: Value::from(plan.app.as_str()),
            environments_list: to_value(&plan.environments),
            backing: to_value(&plan.backing),
            env_example: Value::from(env_example),
            environments: plan.environments.iter().map(to_value).collect(),
            schema: schema(),
        }
    }

    /// The values of service `s` its templates read, the values table (only its README
    /// shows it) among them.
    pub(super) fn service(&self, s: usize) -> ServiceValues {
        let plan = &self.plan;
        let service = to_value(&plan.services[s]);
        let envs = service
            .get_attr("environments")
            .expect("a service has environments");
        let item = |v: &Value, i: usize| v.get_item_by_index(i).expect("index within the plan");
        let values = plan
            .environments
            .iter()
            .map(|e| {
                plan.services[s]
                    .environments
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
            .collect();
        ServiceValues {
            index: s,
            table: to_value(values_table(&plan.services[s].base, self.schema.raw)),
            service,
            values,
        }
    }

    /// The same keys as [`Context`] (what `templates context` prints), absent ones left out.
    pub(super) fn get(&self, service: Option<&ServiceValues>, env: Option<usize>) -> Value {
        let mut pairs = vec![
            ("contract_version", self.contract_version.clone()),
            ("generator_version", self.generator_version.clone()),
            ("app", self.app.clone()),
            ("environments", self.environments_list.clone()),
            ("services", Value::from_object(Services(self.plan.clone()))),
            ("backing", self.backing.clone()),
            (
                "compose",
                Value::from_object(Lazy::new(self.plan.clone(), "compose", |p| {
                    to_value(&p.compose)
                })),
            ),
            ("env_example", self.env_example.clone()),
        ];
        if let Some(s) = service {
            pairs.push(("service", s.service.clone()));
            pairs.push(("values_table", s.table.clone()));
            pairs.push(("values_schema", self.schema.value.clone()));
            pairs.push(("values_schema_json", self.schema.json.clone()));
        }
        if let Some(e) = env {
            pairs.push(("env", self.environments[e].clone()));
        }
        if let (Some(s), Some(e)) = (service, env)
            && let Some((values, overrides)) = &s.values[e]
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
    let contexts = Contexts::new(&Arc::new(plan.clone()), true);
    let service = service.map(|s| contexts.service(s));
    serde_json::to_value(contexts.get(service.as_ref(), env)).expect("a context serializes")
}

pub(super) fn to_value<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}
