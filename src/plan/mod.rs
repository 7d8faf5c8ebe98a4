//! Plan: every default decided, one fully-resolved model per service and environment.

pub mod defaults;
pub mod model;

pub use model::*;
