//! Plan: every default decided, one fully-resolved model per service and environment.
//!
//! Nothing downstream chooses a value: the templates only format what is here, which is what
//! keeps the Helm chart, the plain manifests and the Compose file in agreement.

mod build;
mod compose;
pub mod defaults;
pub mod model;

pub use build::{build, json_diff};
pub use compose::escape_dollars;
pub use model::*;
