//! Render: minijinja over the template tree. Templates format the plan; they decide nothing.
//!
//! One environment with `[% %]` / `[[ ]]` / `[# #]` delimiters, so that Helm's Go-template
//! `{{ }}` passes through untouched; strict undefined, so a misspelt field fails instead of
//! rendering empty; no auto-escaping, because YAML is quoted explicitly with `tojson`.

mod chart_values;
pub mod chart_version;
mod context;
mod context_doc;
mod environment;
mod error;
mod files;
pub mod helm;
mod lazy;
pub mod templates;

pub use chart_values::{ValuesRow, values_schema};
pub use context::{Context, context, received_context};
pub use context_doc::context_doc;
pub use environment::{environment, yaml_safe_json};
pub use error::RenderError;
pub use files::{Renderer, render};
pub use templates::{Origin, TemplateSet};
