//! The chart's values as documentation: `values.schema.json` and the README's values table.

use serde::Serialize;

use crate::plan::ChartValues;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValuesRow {
    pub key: String,
    /// The default as JSON text.
    pub default: String,
    pub description: String,
}

/// The chart's `values.schema.json`: derived from [`ChartValues`], so a key that the chart does
/// not know, or a value of the wrong type, fails `helm lint` and `helm template`.
pub fn values_schema() -> serde_json::Value {
    values_schema_ref().clone()
}

/// [`values_schema`], built once per process.
pub(super) fn values_schema_ref() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(build_values_schema)
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
pub(super) fn values_table(base: &ChartValues, schema: &serde_json::Value) -> Vec<ValuesRow> {
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
