//! The JSON Schema of `chartwright.yaml`, derived from the spec types in [`crate::spec::types`]
//! so that it cannot drift from what the parser accepts. Draft-07, which every editor's YAML
//! language server understands.
//!
//! The schema checks shapes (types, required and unknown keys); the rules that need more than a
//! shape (names, image pins, quantities, references) are `chartwright validate`'s.

use crate::spec::Spec;

/// The schema as a JSON value.
pub fn spec_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>();
    schema.to_value()
}

/// The schema as the text `chartwright schema` prints and `chartwright.schema.json` holds.
pub fn spec_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&spec_schema()).expect("a schema serializes");
    text.push('\n');
    text
}
