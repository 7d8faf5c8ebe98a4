//! The spec as the plan receives it: every value typed and already checked (ports as `u16`,
//! parsed image references and quantities, catalog entries), so that planning cannot fail on a
//! value and never re-reads one. Built from a spec that passed validation; a value that still
//! does not convert is reported like any other problem, never a panic.
//!
//! Values a cross-layer rule may refuse keep their place in the file ([`S`]), so that the plan
//! can point at them.

mod convert;

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::image::ImageRef;
use super::quantity::Quantity;
use super::types::S;
use crate::catalog::CatalogEntry;

pub(super) use convert::{defaults, spec};

/// A checked spec.
#[derive(Debug, Clone)]
pub struct Checked {
    pub app: String,
    pub services: BTreeMap<String, Service>,
    pub backing: BTreeMap<String, Backing>,
    /// `None`: the spec lists none (the plan decides which). Otherwise in the order written.
    pub environments: Option<IndexMap<String, Environment>>,
    /// The spec's own `defaults:` block.
    pub defaults: Defaults,
    /// Chart.yaml `home`, `sources`, `maintainers` (`chart:`).
    pub chart: ChartInfo,
}

/// Chart.yaml metadata from the spec's `chart:` key.
#[derive(Debug, Clone, Default)]
pub struct ChartInfo {
    pub home: Option<String>,
    pub sources: Vec<String>,
    pub maintainers: Vec<Maintainer>,
}

#[derive(Debug, Clone)]
pub struct Maintainer {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub kind: Kind,
    /// A cron job's schedule (checked); `None` for every other kind.
    pub schedule: Option<String>,
    pub job: JobSettings,
    pub image: ImageRef,
    pub build: Option<String>,
    /// None for workers, jobs and cron jobs; a service may have none too.
    pub ports: Vec<Port>,
    /// The declared liveness check; `None` with `liveness_off` false means "not declared".
    pub liveness: Option<Probe>,
    /// `liveness: none`: no probes at all.
    pub liveness_off: bool,
    pub readiness: Option<Probe>,
    pub startup: Option<Probe>,
    pub compose_command: Option<Vec<String>>,
    /// The image has bash (`health.shell: bash`): a TCP check can become a Compose healthcheck.
    pub shell: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub resources: Resources,
    pub env: BTreeMap<String, String>,
    /// Secret variable names.
    pub secrets: Vec<String>,
    /// Names of services and backing entries, each existing, none twice.
    pub depends_on: Vec<String>,
    /// Compose profiles that make the service optional; empty: it always runs.
    pub profiles: Vec<String>,
    pub ingress: Option<Ingress>,
    pub run_as_user: Option<u32>,
    pub command: Option<Vec<String>>,
    pub external_secret: Option<ExternalSecret>,
    /// Persistent volumes, names unique.
    pub volumes: Vec<Volume>,
    pub writable_paths: Vec<WritablePath>,
    pub config_files: Vec<ConfigFile>,
    /// Run as the image's own (non-root) user: no UID in the output.
    pub run_as_image_user: bool,
    /// `Some(reason)`: the root filesystem is writable, for this reason.
    pub writable_root_reason: Option<String>,
    pub egress: Vec<Egress>,
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub name: String,
    pub mount_path: String,
    /// `None`: the spec gives no size (the plan decides it, and says so).
    pub size: Option<Quantity>,
    /// A Kubernetes access mode; `None` when the spec says nothing.
    pub access_mode: Option<String>,
    pub storage_class: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WritablePath {
    pub path: String,
    pub size: Option<Quantity>,
}

/// A repository file mounted into the container.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// As written: relative to the spec file.
    pub source: S<String>,
    pub mount_path: String,
    /// The file's text: read by [`crate::spec::load`] (which checks where it is); `None` when
    /// the spec was parsed from text alone, which the plan refuses.
    pub contents: Option<String>,
}

/// Declared egress: where to, and which ports (empty: every port).
#[derive(Debug, Clone)]
pub struct Egress {
    pub to: EgressTarget,
    /// (port, protocol).
    pub ports: Vec<(u16, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EgressTarget {
    Internet,
    /// A CIDR as written (`10.0.0.0/8`, `2001:db8::/32`).
    Cidr(String),
    /// A host name: NetworkPolicies cannot match it, so its ports open to every address.
    Host(String),
}

#[derive(Debug, Clone)]
pub struct Port {
    pub name: String,
    pub number: u16,
    /// `TCP`, `UDP` or `SCTP`; `None` when the spec says nothing.
    pub protocol: Option<String>,
}

/// The workload kind of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Service,
    Worker,
    Job,
    CronJob,
}

impl Kind {
    /// The spec's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Worker => "worker",
            Kind::Job => "job",
            Kind::CronJob => "cronjob",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Service, Kind::Worker, Kind::Job, Kind::CronJob]
            .into_iter()
            .find(|k| k.name() == s)
    }

    /// Runs to completion (a job or a cron job) rather than for ever.
    pub fn completes(self) -> bool {
        matches!(self, Kind::Job | Kind::CronJob)
    }
}

/// A job's or cron job's own settings, as the spec gives them.
#[derive(Debug, Clone, Default)]
pub struct JobSettings {
    pub backoff_limit: Option<u32>,
    pub active_deadline_seconds: Option<u32>,
    pub concurrency_policy: Option<String>,
    pub starting_deadline_seconds: Option<u32>,
}

/// What a probe checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// GET `path` on the named port (the first port when `None`).
    Http {
        path: String,
        port: Option<String>,
    },
    /// A TCP connection to the named port.
    Tcp {
        port: String,
    },
    /// grpc.health.v1 on the port of this number (Kubernetes takes a number only).
    Grpc {
        port: u16,
    },
    Exec {
        command: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Probe {
    pub check: Check,
    pub initial_delay_seconds: Option<u32>,
    pub period_seconds: Option<u32>,
    pub timeout_seconds: Option<u32>,
    pub failure_threshold: Option<u32>,
}

/// One layer's requests and limits; each quantity keeps its place for cross-layer messages.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub requests: Quantities,
    pub limits: Quantities,
}

#[derive(Debug, Clone, Default)]
pub struct Quantities {
    pub cpu: Option<S<Quantity>>,
    pub memory: Option<S<Quantity>>,
}

#[derive(Debug, Clone)]
pub struct Ingress {
    pub host: String,
    pub path: Option<String>,
    /// One of the service's port names.
    pub port: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ExternalSecret {
    pub store: String,
    pub store_kind: Option<String>,
    pub refresh_interval: Option<String>,
    pub remote_key_prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Backing {
    pub entry: &'static CatalogEntry,
    pub version: String,
    /// The pinned image of that version, or the spec's `image:` override.
    pub image: String,
    pub database: Option<String>,
    pub host: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub replicas: Option<u32>,
    pub autoscaling: Option<S<Autoscaling>>,
    pub tls: Option<bool>,
    pub rate_limit_rps: Option<u32>,
    pub ingress_class: Option<String>,
    pub issuer: Option<String>,
    pub namespace: Option<String>,
    /// The profiles this environment enables (each one some service's).
    pub profiles: Vec<String>,
    /// By service name; every name is a service of the spec.
    pub overrides: BTreeMap<String, Override>,
    /// By backing name; every name is a backing entry of the spec.
    pub backing: BTreeMap<String, BackingEndpoint>,
}

/// Where a backing service is in one environment.
#[derive(Debug, Clone)]
pub enum BackingEndpoint {
    Host(String),
    /// (Secret name, key).
    HostSecret(String, String),
}

#[derive(Debug, Clone)]
pub struct Autoscaling {
    pub min: S<u32>,
    pub max: S<u32>,
    pub cpu: Option<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct Override {
    pub replicas: Option<u32>,
    pub resources: Resources,
    pub autoscaling: Option<S<Autoscaling>>,
    pub env: BTreeMap<String, String>,
    pub ingress_host: Option<String>,
    pub image: Option<ImageRef>,
    /// The `env_file:` as written, and whether [`crate::spec::load`] read it into `env` (the
    /// plan refuses one that was not read).
    pub env_file: Option<(S<String>, bool)>,
    /// By volume name; every name is a volume of the service.
    pub volumes: BTreeMap<String, VolumeOverride>,
}

#[derive(Debug, Clone, Default)]
pub struct VolumeOverride {
    pub size: Option<Quantity>,
    pub storage_class: Option<String>,
}

/// A defaults block: the spec's `defaults:`, or an org defaults file.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub registry: Option<String>,
    pub resources: Resources,
    pub ingress_class: Option<String>,
    pub issuer: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub ingress_controller_namespace: Option<String>,
    /// The size of a volume that names none.
    pub volume_size: Option<Quantity>,
}
