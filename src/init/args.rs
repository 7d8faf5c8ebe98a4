//! The flags of `chartwright init`: each one answers a question.

use std::path::PathBuf;

/// Flags of `chartwright init`: each one answers a question.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InitArgs {
    /// The spec file to write.
    #[arg(
        long = "file",
        short = 'f',
        default_value = "chartwright.yaml",
        value_name = "SPEC"
    )]
    pub spec: PathBuf,
    /// The output directory for the generated tree.
    #[arg(
        long = "out",
        short = 'o',
        default_value = "deploy",
        value_name = "OUT"
    )]
    pub out: PathBuf,
    /// Application name (a DNS label).
    #[arg(long)]
    pub app: Option<String>,
    /// Service name (a DNS label).
    #[arg(long)]
    pub name: Option<String>,
    /// Pinned image reference (`repo:tag` or `repo@sha256:…`; not `latest`).
    #[arg(long)]
    pub image: Option<String>,
    /// Container port (repeatable).
    #[arg(long = "port", value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub ports: Vec<u16>,
    /// Liveness probe HTTP path.
    #[arg(long, value_name = "PATH")]
    pub liveness: Option<String>,
    /// Readiness probe HTTP path.
    #[arg(long, value_name = "PATH")]
    pub readiness: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub cpu_request: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub memory_request: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub cpu_limit: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub memory_limit: Option<String>,
    /// A backing-service kind, optionally with a version (`postgres:16`) (repeatable).
    #[arg(long = "depends-on", value_name = "KIND[:VERSION]")]
    pub depends_on: Vec<String>,
    /// An environment, in promotion order (repeatable; default dev, staging, prod).
    #[arg(long = "env", value_name = "NAME")]
    pub envs: Vec<String>,
    /// Ingress host name.
    #[arg(long, value_name = "HOST")]
    pub ingress_host: Option<String>,
    /// Autoscaling minimum replicas in production.
    #[arg(long, value_name = "N")]
    pub autoscale_min: Option<i64>,
    /// Autoscaling maximum replicas in production.
    #[arg(long, value_name = "N")]
    pub autoscale_max: Option<i64>,
    /// Import this Compose file without prompting.
    #[arg(long, value_name = "FILE")]
    pub from_compose: Option<PathBuf>,
    /// Pin an imported service's image that the Compose file leaves unpinned (untagged, `latest`
    /// or a variable without a default): a tag, a `sha256:` digest, or a whole reference
    /// (repeatable).
    #[arg(long = "image-tag", value_name = "SERVICE=TAG")]
    pub image_tags: Vec<String>,
    /// Accept the defaults for every question a flag does not answer.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Write the spec only; do not generate.
    #[arg(long)]
    pub no_generate: bool,
    /// Overwrite an existing spec file.
    #[arg(long)]
    pub force: bool,
}
