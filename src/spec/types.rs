//! The user's file, kept as close to what they typed as possible.
//!
//! Every value that a later rule can reject is wrapped in [`Spanned`] so that the error can point
//! at its line and column. Nothing here decides a default: an absent field stays `None` and the
//! plan decides what it means.
//!
//! The same types describe the file to editors: `chartwright schema` derives its JSON Schema from
//! them (doc comments become descriptions). A `Spanned<T>` reads as a plain `T`, so each spanned
//! field carries `#[schemars(with = "T")]`.
//!
//! Unknown keys are closed off in the schema (`#[schemars(deny_unknown_fields)]`) but not in
//! serde, which would stop at the first: `spec/unknown_keys.rs` walks the file along that schema
//! and reports every one.
//!
//! Over 400 lines on purpose: these types are the spec's schema, and their doc comments are its
//! reference for editors; one file reads as one document.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

/// chartwright spec: one file that describes an application's services, the backing services
/// they use and the environments they run in.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "chartwright.yaml")]
pub struct Spec {
    /// The spec format version (not the application's); this chartwright reads `1`.
    #[schemars(with = "i64", example = 1)]
    pub version: S<i64>,
    /// The application name: a DNS label of at most 40 characters. Namespaces are `<app>-<env>`.
    #[schemars(with = "String", example = &"shop")]
    pub app: S<String>,
    /// A team template overlay folder, relative to the spec file.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"templates/")]
    pub templates: Option<S<String>>,
    /// The template contract version the spec (and its overlay) was written for.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 1)]
    pub contract: Option<S<i64>>,
    /// The application's own services, by name (DNS labels).
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, ServiceSpec>",
        example = json!({"api": {"image": "registry.example.com/shop/api:1.4.2", "ports": [{"name": "http", "port": 3000}]}})
    )]
    pub services: BTreeMap<String, S<ServiceSpec>>,
    /// Databases, caches and brokers the services use, by name.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, BackingSpec>",
        example = json!({"postgres": {"kind": "postgres", "version": "16"}, "redis": {"kind": "redis", "version": "7"}})
    )]
    pub backing: BTreeMap<String, S<BackingSpec>>,
    /// Absent: dev, staging and prod. Present: exactly these, in this order.
    #[serde(default)]
    #[schemars(
        with = "Option<IndexMap<String, EnvironmentSpec>>",
        example = json!({"dev": {"replicas": 1}, "prod": {"replicas": 3, "ingress": {"tls": true}}})
    )]
    pub environments: Option<S<IndexMap<String, S<EnvironmentSpec>>>>,
    /// Organisation defaults, layered under the rest of the spec.
    #[serde(default)]
    #[schemars(example = json!({"registry": "registry.example.com", "ingress_class": "nginx"}))]
    pub defaults: Option<DefaultsSpec>,
    /// What every chart's Chart.yaml says about the project: `home`, `sources`, `maintainers`.
    #[serde(default)]
    #[schemars(example = json!({"home": "https://shop.example.com", "sources": ["https://git.example.com/shop/shop"], "maintainers": [{"name": "Shop team", "email": "shop@example.com"}]}))]
    pub chart: Option<ChartInfoSpec>,
}

/// Chart.yaml metadata (Helm's `home`, `sources`, `maintainers`).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ChartInfoSpec {
    /// The project's home page (an http or https URL).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"https://shop.example.com")]
    pub home: Option<S<String>>,
    /// The project's source repositories (http or https URLs).
    #[serde(default)]
    #[schemars(with = "Vec<String>", example = json!(["https://git.example.com/shop/shop"]))]
    pub sources: Vec<S<String>>,
    /// Who maintains the charts: `name`, and optionally `email` and `url`.
    #[serde(default)]
    #[schemars(with = "Vec<MaintainerSpec>", example = json!([{"name": "Shop team", "email": "shop-team@example.com"}]))]
    pub maintainers: Vec<S<MaintainerSpec>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MaintainerSpec {
    /// A person's or a team's name.
    #[schemars(with = "String", example = &"Shop team")]
    pub name: S<String>,
    /// Their e-mail address.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop-team@example.com")]
    pub email: Option<S<String>>,
    /// Their page (an http or https URL).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"https://git.example.com/shop")]
    pub url: Option<S<String>>,
}

/// One of the application's services: a container image with its ports, probes, resources and
/// configuration.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The container image, pinned by tag or digest (`latest` is refused).
    #[schemars(with = "String", example = &"registry.example.com/shop/api:1.4.2")]
    pub image: S<String>,
    /// Build context for docker-compose (relative to the output directory's parent).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"./api")]
    pub build: Option<S<String>>,
    /// What runs: `service` (the default: long-running, reached on its ports), `worker`
    /// (long-running, no ports: a queue consumer), `job` (runs to completion once per release,
    /// before the services that depend on it: a migration) or `cronjob` (runs on `schedule`).
    #[serde(default)]
    #[schemars(with = "Option<WorkloadKind>", example = &"worker")]
    pub kind: Option<S<String>>,
    /// When a `cronjob` runs: a five-field cron expression (`minute hour day month weekday`) or a
    /// macro such as `@hourly`, in the cluster's time zone (UTC on most clusters).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"*/15 * * * *")]
    pub schedule: Option<S<String>>,
    /// How a `job` or `cronjob` runs: retries, a deadline, and for a cron job overlap and missed
    /// starts.
    #[serde(default)]
    #[schemars(with = "Option<JobSpec>", example = json!({"backoff_limit": 2, "active_deadline_seconds": 600}))]
    pub job: Option<S<JobSpec>>,
    /// The ports the container listens on; the first is the default for probes and ingress.
    /// None for a worker, a job or a cron job.
    #[serde(default)]
    #[schemars(with = "Vec<PortSpec>", example = json!([{"name": "http", "port": 3000}]))]
    pub ports: Vec<S<PortSpec>>,
    /// Health checks (HTTP, TCP, gRPC or a command). Absent: a TCP check on the first port, no
    /// check without ports; never an HTTP path the spec does not give.
    #[serde(default)]
    #[schemars(example = json!({"liveness": {"http": "/healthz", "port": "http"}, "readiness": {"http": "/ready"}}))]
    pub health: Option<HealthSpec>,
    /// CPU and memory requests and limits.
    #[serde(default)]
    #[schemars(example = json!({"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}))]
    pub resources: Option<ResourcesSpec>,
    /// Plain (non-secret) environment variables.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Scalar>", example = json!({"LOG_LEVEL": "info", "PORT": 8080}))]
    pub env: BTreeMap<String, S<Scalar>>,
    /// Names of secret environment variables. Values never go in the spec: they come from a
    /// Kubernetes Secret (or an external secret store) and from `.env` for docker-compose.
    #[serde(default)]
    #[schemars(with = "Vec<SecretName>", example = json!(["DATABASE_PASSWORD", "JWT_SECRET"]))]
    pub secrets: Vec<S<SecretEntry>>,
    /// Services and backing services this one needs, by name.
    #[serde(default)]
    #[schemars(with = "Vec<String>", example = json!(["postgres", "redis"]))]
    pub depends_on: Vec<S<String>>,
    /// Compose profiles that make the service optional: `docker compose up` leaves it out
    /// unless one of them is enabled (`--profile`), and an environment deploys it only where
    /// `environments.<env>.profiles` enables one. Absent: it always runs.
    #[serde(default)]
    #[schemars(with = "Vec<String>", example = json!(["ai"]))]
    pub profiles: Vec<S<String>>,
    /// Expose the service over HTTP(S) through an Ingress.
    #[serde(default)]
    #[schemars(with = "Option<IngressSpec>", example = json!({"host": "api.example.com", "path": "/"}))]
    pub ingress: Option<S<IngressSpec>>,
    /// UID the container runs as (must not be 0).
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 10001)]
    pub run_as_user: Option<S<i64>>,
    /// The container's command, replacing the image's CMD: Compose `command`, Kubernetes
    /// `args` (the image's ENTRYPOINT, if any, still runs it).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", example = json!(["bundle", "exec", "sidekiq"]))]
    pub command: Option<S<Vec<String>>>,
    /// Replaces the image's ENTRYPOINT: Compose `entrypoint`, Kubernetes `command`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", example = json!(["/usr/bin/tini", "--"]))]
    pub entrypoint: Option<S<Vec<String>>>,
    /// Read the service's secrets from an External Secrets Operator store.
    #[serde(default)]
    #[schemars(example = json!({"store": "vault", "store_kind": "ClusterSecretStore"}))]
    pub external_secret: Option<ExternalSecretSpec>,
    /// Persistent volumes, each mounted at a path. With volumes the service runs as a
    /// StatefulSet (one volume per replica) unless it runs one replica everywhere, which gets a
    /// Deployment with one PersistentVolumeClaim and the `Recreate` strategy.
    #[serde(default)]
    #[schemars(
        with = "Vec<VolumeSpec>",
        example = json!([{"name": "data", "mount_path": "/var/lib/app", "size": "10Gi"}])
    )]
    pub volumes: Vec<S<VolumeSpec>>,
    /// Writable folders outside `/tmp` (an `emptyDir` with a size limit each; the root
    /// filesystem stays read-only). A path, or `{path, size}`.
    #[serde(default)]
    #[schemars(with = "Vec<WritablePathSpec>", example = json!(["/var/cache/nginx", {"path": "/app/uploads", "size": "1Gi"}]))]
    pub writable_paths: Vec<S<WritablePathSpec>>,
    /// Files of the repository mounted read-only into the container (a ConfigMap in
    /// Kubernetes whose checksum rolls the pods on change; a bind mount in Compose).
    #[serde(default)]
    #[schemars(
        with = "Vec<ConfigFileSpec>",
        example = json!([{"source": "config/app.toml", "mount_path": "/etc/app/app.toml"}])
    )]
    pub config_files: Vec<S<ConfigFileSpec>>,
    /// Run as the user the image declares (its `USER`) instead of UID 10001; the image's
    /// user must not be root (`runAsNonRoot` stays on and refuses a root image).
    #[serde(default)]
    #[schemars(with = "Option<bool>", example = true)]
    pub run_as_image_user: Option<S<bool>>,
    /// `false` makes the root filesystem writable; only together with
    /// `read_only_root_filesystem_reason`.
    #[serde(default)]
    #[schemars(with = "Option<bool>", example = false)]
    pub read_only_root_filesystem: Option<S<bool>>,
    /// Why this service needs a writable root filesystem; written next to the setting in the
    /// output.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"the image rewrites /etc/nginx/conf.d at start")]
    pub read_only_root_filesystem_reason: Option<S<String>>,
    /// Traffic the service sends outside the application (denied unless declared here).
    #[serde(default)]
    #[schemars(
        with = "Vec<EgressSpec>",
        example = json!([{"to": "internet", "ports": [443]}, {"to": "10.20.0.0/16", "ports": [5432]}, {"to": "smtp.example.com", "ports": [587]}])
    )]
    pub egress: Vec<S<EgressSpec>>,
}

/// A persistent volume of a service.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VolumeSpec {
    /// The volume's name: a DNS label, unique in the service.
    #[schemars(with = "String", example = &"data")]
    pub name: S<String>,
    /// Where it is mounted in the container (an absolute path).
    #[schemars(with = "String", example = &"/var/lib/app")]
    pub mount_path: S<String>,
    /// The storage requested (a Kubernetes quantity such as `10Gi`). Absent: the defaults'
    /// `volume_size`, else 1Gi, and `generate` says so for each volume without one.
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"10Gi")]
    pub size: Option<S<Scalar>>,
    /// `ReadWriteOnce` (the default), `ReadWriteOncePod`, `ReadWriteMany` or `ReadOnlyMany`.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"ReadWriteOnce")]
    pub access_mode: Option<S<String>>,
    /// The StorageClass; the cluster's default class when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"fast-ssd")]
    pub storage_class: Option<S<String>>,
}

/// A writable folder: a path, or a path with the size limit of its `emptyDir`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum WritablePathSpec {
    Path(String),
    Sized(SizedPathSpec),
}

/// A writable folder with its size limit.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SizedPathSpec {
    /// An absolute path in the container.
    #[schemars(example = &"/app/uploads")]
    pub path: String,
    /// The `emptyDir` size limit; 64Mi when absent.
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"1Gi")]
    pub size: Option<Scalar>,
}

/// A repository file mounted into the container.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ConfigFileSpec {
    /// The file, relative to the spec file; it must exist inside the spec's repository.
    #[schemars(with = "String", example = &"config/app.toml")]
    pub source: S<String>,
    /// The absolute path of the file in the container.
    #[schemars(with = "String", example = &"/etc/app/app.toml")]
    pub mount_path: S<String>,
}

/// Traffic a service may send outside the application.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EgressSpec {
    /// `internet` (any public address), a CIDR (`10.20.0.0/16`), or a host name. A
    /// NetworkPolicy cannot match host names: a host opens its ports to every address, with
    /// the host named in a comment; give its CIDR to narrow it.
    #[schemars(with = "String", example = &"internet")]
    pub to: S<String>,
    /// The destination ports (numbers, or `{port, protocol}`); required for a host name,
    /// every port when absent otherwise.
    #[serde(default)]
    #[schemars(with = "Vec<EgressPortSpec>", example = json!([443]))]
    pub ports: Vec<S<EgressPortSpec>>,
}

/// A destination port: a number (TCP) or a number with its protocol.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EgressPortSpec {
    Number(i64),
    WithProtocol(EgressPortProtocol),
}

/// A destination port with its protocol.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EgressPortProtocol {
    /// 1 to 65535.
    #[schemars(example = 53)]
    pub port: i64,
    /// `TCP` (the default), `UDP` or `SCTP`.
    #[serde(default)]
    #[schemars(example = &"UDP")]
    pub protocol: Option<String>,
}

/// A value that may be written unquoted (`PORT: 8080`, `DEBUG: true`); it is kept as the exact
/// text written, so `1.10` stays `1.10` and `0755` stays `0755`.
//
// The parser reads numbers and booleans; `spec::parse` then puts back the text of the source
// (spec/scalars.rs), so after parsing every value is `Scalar::Text`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Integer(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// A secret is named, never given: a `NAME: value` entry is accepted by the parser only so that
/// validation can refuse it with a message about plaintext secrets rather than a type error.
/// The schema therefore only admits the name (see [`SecretName`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretEntry {
    Name(String),
    WithValue(BTreeMap<String, Scalar>),
}

/// The name of a secret environment variable; its value is never written in the spec.
#[derive(JsonSchema)]
#[schemars(example = &"JWT_SECRET")]
#[allow(dead_code)]
pub struct SecretName(String);

/// A container port.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PortSpec {
    /// The port's name (an IANA service name such as `http`), used by probes and ingress.
    #[schemars(with = "String", example = &"http")]
    pub name: S<String>,
    /// The port number, 1 to 65535.
    #[schemars(with = "i64", example = 3000)]
    pub port: S<i64>,
    /// `TCP` (the default), `UDP` or `SCTP`.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"TCP")]
    pub protocol: Option<S<String>>,
}

/// Liveness, readiness and startup probes.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HealthSpec {
    /// Restart the container when this fails; `none` for a worker with nothing to check (it then
    /// gets no readiness probe either).
    #[serde(default)]
    #[schemars(with = "Option<ProbeSetting>", example = json!({"http": "/healthz", "port": "http"}))]
    pub liveness: Option<S<ProbeSetting>>,
    /// Take the pod out of the Service while this fails; the liveness check when absent.
    #[serde(default)]
    #[schemars(with = "Option<ProbeSpec>", example = json!({"http": "/ready", "port": "http"}))]
    pub readiness: Option<S<ProbeSetting>>,
    /// Hold the other probes back until this succeeds once (slow starters).
    #[serde(default)]
    #[schemars(with = "Option<ProbeSpec>", example = json!({"http": "/healthz", "failure_threshold": 30}))]
    pub startup: Option<S<ProbeSetting>>,
    /// docker-compose healthcheck command, when the one derived from the liveness check does not
    /// fit the image.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", example = json!(["CMD", "/app/healthcheck"]))]
    pub compose_command: Option<S<Vec<String>>>,
    /// `bash` when the image has bash: a TCP check then also becomes a Compose healthcheck
    /// (bash's `/dev/tcp`), which otherwise needs a tool the image may lack.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"bash")]
    pub shell: Option<S<String>>,
}

/// A probe, or `none` (liveness only).
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum ProbeSetting {
    Probe(Box<ProbeSpec>),
    Keyword(String),
}

// By hand rather than `#[serde(untagged)]`: an untagged enum buffers its input, and the buffered
// copy has lost the line and column of every spanned value inside the probe.
impl<'de> Deserialize<'de> for ProbeSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ProbeSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a probe (a map such as `{ tcp: http }`) or `none`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ProbeSetting, E> {
                Ok(ProbeSetting::Keyword(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ProbeSetting, A::Error> {
                ProbeSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|p| ProbeSetting::Probe(Box::new(p)))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl ProbeSetting {
    /// The probe, unless this is the `none` keyword.
    pub fn probe(&self) -> Option<&ProbeSpec> {
        match self {
            ProbeSetting::Probe(p) => Some(p.as_ref()),
            ProbeSetting::Keyword(_) => None,
        }
    }
}

/// One check, exactly one of `http`, `tcp`, `grpc` and `exec`, with its timing.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProbeSpec {
    /// An HTTP GET of this path (on `port`).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"/healthz")]
    pub http: Option<S<String>>,
    /// A TCP connection to this port (a name or number of this service).
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"http")]
    pub tcp: Option<S<Scalar>>,
    /// A gRPC health check (grpc.health.v1) on this port (a name or number of this service).
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"grpc")]
    pub grpc: Option<S<Scalar>>,
    /// A command run in the container (exec form); healthy when it exits 0.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", example = json!(["pg_isready", "-q"]))]
    pub exec: Option<S<Vec<String>>>,
    /// The port of an `http` check (a name or number of this service); the first port when
    /// absent.
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"http")]
    pub port: Option<S<Scalar>>,
    /// Seconds before the first probe.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 5)]
    pub initial_delay_seconds: Option<S<i64>>,
    /// Seconds between probes.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 10)]
    pub period_seconds: Option<S<i64>>,
    /// Seconds before a probe times out.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 2)]
    pub timeout_seconds: Option<S<i64>>,
    /// Consecutive failures before the probe counts as failed.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 3)]
    pub failure_threshold: Option<S<i64>>,
}

/// The workload kinds.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum WorkloadKind {
    Service,
    Worker,
    Job,
    Cronjob,
}

/// How a job or cron job runs.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JobSpec {
    /// Retries before the job counts as failed.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 2)]
    pub backoff_limit: Option<S<i64>>,
    /// Seconds a run may take before it is stopped.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 600)]
    pub active_deadline_seconds: Option<S<i64>>,
    /// Cron jobs: `Forbid` (the default: skip a run while the last one still runs), `Allow` or
    /// `Replace`.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"Forbid")]
    pub concurrency_policy: Option<S<String>>,
    /// Cron jobs: seconds after a missed start within which it still runs.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 300)]
    pub starting_deadline_seconds: Option<S<i64>>,
}

/// Resource requests (what the scheduler reserves) and limits (the ceiling).
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ResourcesSpec {
    /// What the scheduler reserves for each container.
    #[serde(default)]
    #[schemars(example = json!({"cpu": "250m", "memory": "256Mi"}))]
    pub requests: Option<QuantitiesSpec>,
    /// The most each container may use; at least the requests.
    #[serde(default)]
    #[schemars(example = json!({"cpu": "500m", "memory": "512Mi"}))]
    pub limits: Option<QuantitiesSpec>,
}

/// CPU and memory as Kubernetes quantities.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct QuantitiesSpec {
    /// CPU in cores or millicores (`0.5`, `500m`).
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"250m")]
    pub cpu: Option<S<Scalar>>,
    /// Memory in bytes with a binary or decimal suffix (`256Mi`, `1Gi`).
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"256Mi")]
    pub memory: Option<S<Scalar>>,
}

/// An Ingress for the service.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IngressSpec {
    /// The host name to serve.
    #[schemars(with = "String", example = &"api.example.com")]
    pub host: S<String>,
    /// The path prefix to route; `/` when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"/")]
    pub path: Option<S<String>>,
    /// The port name to route to; the first port when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"http")]
    pub port: Option<S<String>>,
}

/// Secrets synced from an External Secrets Operator store.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExternalSecretSpec {
    /// The name of the SecretStore or ClusterSecretStore.
    #[schemars(with = "String", example = &"vault")]
    pub store: S<String>,
    /// `SecretStore` or `ClusterSecretStore`.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"ClusterSecretStore")]
    pub store_kind: Option<S<String>>,
    /// How often the operator re-reads the store (a duration such as `1h`).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"1h")]
    pub refresh_interval: Option<S<String>>,
    /// Prefixed to each secret's name to form the key in the store.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop/prod/")]
    pub remote_key_prefix: Option<S<String>>,
}

/// A backing service (database, cache, broker): a container for docker-compose, a connection for
/// Kubernetes.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BackingSpec {
    /// What it is, from chartwright's catalog (e.g. `postgres`, `redis`).
    #[schemars(with = "String", example = &"postgres")]
    pub kind: S<String>,
    /// The major version (quote it: `"16"`).
    #[schemars(with = "Scalar", example = &"16")]
    pub version: S<Scalar>,
    /// Database (or vhost) name; the app name when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop")]
    pub database: Option<S<String>>,
    /// The image Compose runs instead of the catalog's (an extension image such as
    /// `pgvector/pgvector:pg16`, or the exact reference an imported Compose file used); pinned
    /// like a service image. It must still speak the kind's protocol, healthcheck and settings.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"pgvector/pgvector:pg16")]
    pub image: Option<S<String>>,
    /// Host the Kubernetes services connect to (a managed instance); the entry's name when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop-db.internal.example.com")]
    pub host: Option<S<String>>,
}

/// One deployment environment.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EnvironmentSpec {
    /// Replicas of every service (unless autoscaled or overridden).
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 3)]
    pub replicas: Option<S<i64>>,
    /// A HorizontalPodAutoscaler for every service.
    #[serde(default)]
    #[schemars(with = "Option<AutoscalingSpec>", example = json!({"min": 2, "max": 20, "cpu": 70}))]
    pub autoscaling: Option<S<AutoscalingSpec>>,
    /// Ingress settings for this environment.
    #[serde(default)]
    #[schemars(example = json!({"tls": true, "rate_limit_rps": 50}))]
    pub ingress: Option<EnvIngressSpec>,
    /// The namespace; `<app>-<env>` when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop-prod")]
    pub namespace: Option<S<String>>,
    /// Where the backing services are in this environment, by backing name: a managed host
    /// (a literal, or read from a Secret) instead of the in-cluster name.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, BackingEndpointSpec>",
        example = json!({"postgres": {"host_secret": {"name": "shop-db", "key": "host"}}, "redis": {"host": "shop-cache.abc123.cache.amazonaws.com"}})
    )]
    pub backing: BTreeMap<String, S<BackingEndpointSpec>>,
    /// The profiles enabled here: the optional services (`services.<name>.profiles`) with one
    /// of them are deployed in this environment; other optional services are not.
    #[serde(default)]
    #[schemars(with = "Vec<String>", example = json!(["ai"]))]
    pub profiles: Vec<S<String>>,
    /// Per-service changes in this environment, by service name.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, ServiceOverride>",
        example = json!({"api": {"resources": {"limits": {"memory": "1Gi"}}}})
    )]
    pub overrides: BTreeMap<String, S<ServiceOverride>>,
}

/// Where a backing service is in one environment: `host` or `host_secret`, not both.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BackingEndpointSpec {
    /// The host name the services connect to (a managed instance).
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"shop-db.prod.internal.example.com")]
    pub host: Option<S<String>>,
    /// A key of a Secret (created outside the chart) that holds the host name.
    #[serde(default)]
    #[schemars(with = "Option<SecretKeySpec>", example = json!({"name": "shop-db", "key": "host"}))]
    pub host_secret: Option<S<SecretKeySpec>>,
}

/// A key of a Kubernetes Secret.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SecretKeySpec {
    /// The Secret's name.
    #[schemars(with = "String", example = &"shop-db")]
    pub name: S<String>,
    /// The key in that Secret.
    #[schemars(with = "String", example = &"host")]
    pub key: S<String>,
}

/// Horizontal pod autoscaling on CPU utilisation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AutoscalingSpec {
    /// The fewest replicas.
    #[schemars(with = "i64", example = 2)]
    pub min: S<i64>,
    /// The most replicas.
    #[schemars(with = "i64", example = 20)]
    pub max: S<i64>,
    /// Target CPU utilisation, in percent of the request.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 70)]
    pub cpu: Option<S<i64>>,
}

/// Ingress settings shared by every service of an environment.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EnvIngressSpec {
    /// Serve HTTPS with a cert-manager certificate.
    #[serde(default)]
    #[schemars(example = true)]
    pub tls: Option<bool>,
    /// Requests per second per client IP (ingress-nginx rate limiting).
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 50)]
    pub rate_limit_rps: Option<S<i64>>,
    /// The IngressClass.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"nginx")]
    pub class: Option<S<String>>,
    /// The cert-manager ClusterIssuer for TLS.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"letsencrypt-prod")]
    pub issuer: Option<S<String>>,
}

/// What an environment may change for one service.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceOverride {
    /// Replicas of this service in this environment.
    #[serde(default)]
    #[schemars(with = "Option<i64>", example = 5)]
    pub replicas: Option<S<i64>>,
    /// Resources of this service in this environment, over the service's own.
    #[serde(default)]
    #[schemars(example = json!({"limits": {"memory": "1Gi"}}))]
    pub resources: Option<ResourcesSpec>,
    /// Autoscaling of this service in this environment.
    #[serde(default)]
    #[schemars(with = "Option<AutoscalingSpec>", example = json!({"min": 3, "max": 30}))]
    pub autoscaling: Option<S<AutoscalingSpec>>,
    /// Environment variables added to (or replacing) the service's own.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Scalar>", example = json!({"LOG_LEVEL": "warn"}))]
    pub env: BTreeMap<String, S<Scalar>>,
    /// The ingress host in this environment.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"api.staging.example.com")]
    pub ingress_host: Option<S<String>>,
    /// A file of `NAME=value` lines (relative to the spec, inside its repository): non-secret
    /// variables of this environment, under `env:` (which wins). A secret-looking name with a
    /// value is refused, as in `env:`: it never becomes a Secret.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"config/prod.env")]
    pub env_file: Option<S<String>>,
    /// The image in this environment (a tag or a digest), e.g. prod pinned by digest.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"registry.example.com/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    pub image: Option<S<String>>,
    /// Size and StorageClass of the service's volumes in this environment, by volume name.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, VolumeOverride>",
        example = json!({"data": {"size": "100Gi", "storage_class": "premium-rwo"}})
    )]
    pub volumes: BTreeMap<String, S<VolumeOverride>>,
}

/// What an environment may change of a volume.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VolumeOverride {
    /// The storage requested in this environment.
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"100Gi")]
    pub size: Option<S<Scalar>>,
    /// The StorageClass in this environment.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"premium-rwo")]
    pub storage_class: Option<S<String>>,
}

/// Organisation defaults, layered under the spec: built-in < defaults < spec < environment.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DefaultsSpec {
    /// Prepended to image references that name no registry.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"registry.example.com")]
    pub registry: Option<S<String>>,
    /// Resources of every service that sets none.
    #[serde(default)]
    #[schemars(example = json!({"requests": {"cpu": "100m", "memory": "128Mi"}}))]
    pub resources: Option<ResourcesSpec>,
    /// The IngressClass of every Ingress.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"nginx")]
    pub ingress_class: Option<S<String>>,
    /// The cert-manager ClusterIssuer for TLS.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"letsencrypt-prod")]
    pub issuer: Option<S<String>>,
    /// Labels added to every object.
    #[serde(default)]
    #[schemars(example = json!({"team": "payments"}))]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to every object.
    #[serde(default)]
    #[schemars(example = json!({"example.com/owner": "payments"}))]
    pub annotations: BTreeMap<String, String>,
    /// The namespace of the ingress controller, for NetworkPolicies.
    #[serde(default)]
    #[schemars(with = "Option<String>", example = &"ingress-nginx")]
    pub ingress_controller_namespace: Option<S<String>>,
    /// The size of every persistent volume that names none (1Gi when absent).
    #[serde(default)]
    #[schemars(with = "Option<Scalar>", example = &"20Gi")]
    pub volume_size: Option<S<Scalar>>,
}
