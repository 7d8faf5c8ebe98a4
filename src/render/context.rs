//! The context templates receive: [`Context`] (what `templates context` prints and
//! `docs/template-context.md` documents) and [`Contexts`], the same keys as minijinja values
//! converted once per render.

use minijinja::Value;
use serde::Serialize;

use super::chart_values::{ValuesRow, values_schema_ref, values_table};
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

/// The [`Context`] of every (service, environment) pair, built from values converted once.
///
/// minijinja values share their data, so a context that holds the whole plan costs a few
/// reference counts; converting the plan for every template instead made rendering quadratic
/// in the number of services.
pub(super) struct Contexts {
    common: Vec<(&'static str, Value)>,
    /// Per service: the service.
    services: Vec<Value>,
    environments: Vec<Value>,
    /// Per service, per environment: the full values and the overrides.
    values: Vec<Vec<Option<(Value, Value)>>>,
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

/// The file `docker-compose.yml`'s instructions refer to when it is generated.
pub(super) const ENV_EXAMPLE: &str = ".env.example";

impl Contexts {
    pub(super) fn new(plan: &Plan, env_example: bool) -> Self {
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
                .map(|(i, _)| item(&services, i))
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
            schema: schema(),
        }
    }

    /// The values table of service `s`: only its README shows it, so it is built when that
    /// service's files are rendered, not held for every service at once.
    pub(super) fn values_table(&self, plan: &Plan, s: usize) -> Value {
        to_value(values_table(&plan.services[s].base, self.schema.raw))
    }

    /// The same keys as [`Context`] (what `templates context` prints), absent ones left out;
    /// `table` is [`Contexts::values_table`] of `service`.
    pub(super) fn get(&self, service: Option<(usize, &Value)>, env: Option<usize>) -> Value {
        let mut pairs = self.common.clone();
        let table = service.map(|(_, t)| t.clone());
        let service = service.map(|(s, _)| s);
        if let (Some(s), Some(table)) = (service, table) {
            pairs.push(("service", self.services[s].clone()));
            pairs.push(("values_table", table));
            pairs.push(("values_schema", self.schema.value.clone()));
            pairs.push(("values_schema_json", self.schema.json.clone()));
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
    let contexts = Contexts::new(plan, true);
    let table = service.map(|s| contexts.values_table(plan, s));
    let service = service.zip(table.as_ref());
    serde_json::to_value(contexts.get(service, env)).expect("a context serializes")
}

fn to_value<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}
