//! chartwright: one service spec in, Helm charts, Kubernetes manifests and a Compose file out.
//!
//! The pipeline runs one way: [`spec`] (what the user wrote) → [`plan`] (every default decided)
//! → [`render`] (templates format the plan) → [`output`] (a file set written, diffed or checked).

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
