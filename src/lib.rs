//! chartwright: one service spec in, Helm charts, Kubernetes manifests and a Compose file out.
//!
//! The pipeline runs one way: [`spec`] (what the user wrote) → [`plan`] (every default decided)
//! → [`render`] (templates format the plan) → [`output`] (a file set written, diffed or checked).

/// Version of the template context (`plan::model`). Overlays and specs may declare the version
/// they were written for; a mismatch is reported instead of failing inside a template. Here, at
/// the root, because the spec checks its `contract:` key and the spec does not depend on the plan.
pub const CONTRACT_VERSION: u32 = 1;

pub mod allocation;
pub mod boundary;
pub mod catalog;
pub mod cli;
pub mod init;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod schema;
pub mod snippet;
pub mod spec;
pub mod yaml;
