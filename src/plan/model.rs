//! The fully-resolved model that templates receive.
//!
//! These types are the template contract (see `CONTRACT_VERSION`): every field is load-bearing,
//! because embedded templates and team overlays read them by name. Add fields freely; renaming or
//! removing one is a breaking change to the contract and bumps the version.
//!
//! [`ChartValues`] is serialized twice: into the chart's `values*.yaml` (Helm reads it) and into
//! the context of the plain-manifest templates (chartwright reads it). Both template sets format
//! the very same fields, which is what keeps `k8s/<env>/` equal to `helm template`.
//!
//! Over 400 lines on purpose: the whole template contract in one file, so that a change to it
//! is one reviewable diff (and `docs/template-context.md` is generated from it).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

pub use crate::CONTRACT_VERSION;

/// Everything chartwright will generate for one spec.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Plan {
    pub contract_version: u32,
    /// The chartwright version that made the plan; written into chart annotations.
    pub generator_version: String,
    pub app: String,
    /// Environments in the order the spec declares them.
    pub environments: Vec<EnvironmentPlan>,
    /// The team's own services, sorted by name: one Helm chart each.
    pub services: Vec<ServicePlan>,
    /// Backing services (databases, caches, brokers), sorted by name.
    pub backing: Vec<BackingPlan>,
    pub compose: ComposePlan,
    /// What `generate` tells the user it decided without being told (a TCP probe where no
    /// health check was declared, a Compose service without a healthcheck), one line each.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct EnvironmentPlan {
    pub name: String,
    pub namespace: String,
    /// Namespace labels: Pod Security Admission level and the standard `part-of`.
    pub labels: BTreeMap<String, String>,
    /// Labels of the environment's own objects (the default-deny NetworkPolicy).
    pub object_labels: BTreeMap<String, String>,
}

/// One service: its chart metadata, the base values and the values of every environment.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ServicePlan {
    pub name: String,
    pub chart: ChartMeta,
    /// `values.yaml`: a safe production-grade base that installs on its own.
    pub base: ChartValues,
    /// The complete values per environment (base merged with the environment's settings), in
    /// environment order. `values-<env>.yaml` holds only the difference from `base`.
    pub environments: Vec<ServiceEnvironment>,
    /// Decisions the chart bakes into its templates rather than offering as values.
    pub policy: WorkloadPolicy,
    /// What runs the pods, decided from the spec's `kind`.
    pub workload: WorkloadPlan,
}

/// The workload object of a service, and which companion objects it has.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct WorkloadPlan {
    /// The spec's kind: `service`, `worker`, `job` or `cronjob`.
    pub kind: String,
    /// The object that runs the pods: `Deployment`, `StatefulSet` (a long-running service with
    /// volumes that may run more than one replica), `Job` or `CronJob`.
    pub object: String,
    /// Long-running (a Deployment or StatefulSet): replicas, PDB, HPA and rolling updates apply.
    pub long_running: bool,
    /// Reached on its ports: a Service, an optional Ingress, a test pod, and a NetworkPolicy that
    /// admits its dependents. False for a service without ports, a worker, a job and a cron job.
    pub serves: bool,
    /// The pod's `restartPolicy` when it is not Kubernetes' default (`Always`): `Never` for a
    /// job (the Job controller retries in a new pod, keeping the failed one's logs), `OnFailure`
    /// for a cron job's runs.
    pub restart_policy: String,
    /// Helm hook annotations of every object of the chart (a job runs as a
    /// `pre-install,pre-upgrade` hook, and the objects its pod needs are hooks that come first);
    /// empty for other kinds. Key order is the written order.
    pub hook: Vec<HookObject>,
}

/// The hook annotations of one object of a job's chart.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct HookObject {
    /// The template the object comes from (`serviceaccount`, `configmap`, `job`, …).
    pub template: String,
    /// `(annotation, value)` pairs: `helm.sh/hook`, `helm.sh/hook-weight`,
    /// `helm.sh/hook-delete-policy`.
    pub annotations: Vec<(String, String)>,
}

/// What every workload gets regardless of environment, decided by the plan and written as
/// literals into the chart's templates and the manifests (not Helm values: changing them is a
/// chartwright decision, not a deploy-time one).
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct WorkloadPolicy {
    /// The Deployment's `revisionHistoryLimit`: old ReplicaSets kept for `rollout undo`.
    pub revision_history_limit: u32,
    /// The pod's `automountServiceAccountToken`: the workloads never call the Kubernetes API.
    pub automount_service_account_token: bool,
    /// The NetworkPolicy egress rule that lets pods resolve names.
    pub dns_egress: DnsEgressPolicy,
    /// Why the root filesystem is writable; empty when it is read-only (the default). Written
    /// as a comment next to `readOnlyRootFilesystem`.
    pub writable_root_reason: String,
}

/// Egress to the cluster DNS.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct DnsEgressPolicy {
    /// The namespace the DNS pods run in (`kubernetes.io/metadata.name`).
    pub namespace: String,
    pub ports: Vec<NetworkPortValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ServiceEnvironment {
    pub env: String,
    pub namespace: String,
    pub values: ChartValues,
    /// Only what differs from the base values, as a JSON tree (maps merge in Helm, lists and
    /// scalars replace): the content of `values-<env>.yaml`.
    pub overrides: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChartMeta {
    pub name: String,
    pub description: String,
    /// Chart version: SemVer, derived from the image tag when it is SemVer, else `0.1.0`.
    pub version: String,
    /// The image tag (or the digest's short form): what the chart deploys.
    pub app_version: String,
}

/// The values of a chartwright chart. Every key is always present: an environment's values file
/// changes keys, it never removes them.
//
// camelCase because that is what Helm chart users type. No `Option` fields: Helm merges an
// environment file over `values.yaml` key by key, and a key missing on one side could only be
// removed with `null`, which Helm 3 and 4 do not treat alike.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartValues {
    /// Object names; defaults to the service name so that other services reach it by that name
    /// whatever the release is called.
    pub fullname_override: String,
    /// `app.kubernetes.io/part-of`: the application this service belongs to.
    pub part_of: String,
    pub image: ImageValues,
    /// Ignored while autoscaling is enabled: the HPA owns the replica count then.
    pub replica_count: u32,
    pub service_account: ServiceAccountValues,
    /// Labels added to every object of the chart (org defaults `labels`).
    pub common_labels: BTreeMap<String, String>,
    pub pod_annotations: BTreeMap<String, String>,
    /// Labels added to the pods only.
    pub pod_labels: BTreeMap<String, String>,
    pub pod_security_context: PodSecurityContext,
    pub security_context: ContainerSecurityContext,
    /// Replaces the image's ENTRYPOINT (the spec's `entrypoint`); empty keeps the image's.
    pub command: Vec<String>,
    /// Replaces the image's CMD (the spec's `command`); empty keeps the image's.
    pub args: Vec<String>,
    pub ports: Vec<PortValues>,
    pub service: ServiceValues,
    /// Plain, non-secret environment variables; rendered into a ConfigMap.
    pub env: BTreeMap<String, String>,
    /// Connection variables handed over by dependencies (hosts, ports, URLs).
    pub connections: Vec<EnvVarValues>,
    pub secrets: SecretsValues,
    pub probes: ProbesValues,
    pub resources: ResourcesValues,
    pub autoscaling: AutoscalingValues,
    pub pod_disruption_budget: PdbValues,
    pub ingress: IngressValues,
    pub network_policy: NetworkPolicyValues,
    pub scheduling: SchedulingValues,
    pub tmp_volume: TmpVolumeValues,
    pub storage: StorageValues,
    /// Repository files (`config_files:`), in a ConfigMap mounted file by file; its checksum is
    /// the `checksum/files` pod annotation, computed by chartwright from the repository's files
    /// (a content replaced at deploy time with `--set-file` does not change it).
    pub config_files: Vec<ConfigFileValues>,
    pub tests: TestValues,
    /// How the Job runs (charts of a `job` or `cronjob` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<JobValues>,
    /// When and how the CronJob starts its Jobs (charts of a `cronjob` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron_job: Option<CronJobValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobValues {
    /// Retries (in new pods) before the Job counts as failed.
    pub backoff_limit: u32,
    /// Seconds a run may take before it is stopped.
    pub active_deadline_seconds: u32,
    /// Seconds a finished Job (and its pods' logs) is kept before Kubernetes deletes it.
    pub ttl_seconds_after_finished: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CronJobValues {
    /// A cron expression, in the cluster's time zone.
    pub schedule: String,
    /// `Forbid` skips a run while the previous one still runs; `Allow` or `Replace`.
    pub concurrency_policy: String,
    /// Seconds after a missed start within which the run still starts.
    pub starting_deadline_seconds: u32,
    pub successful_jobs_history_limit: u32,
    pub failed_jobs_history_limit: u32,
    /// Pause the schedule without uninstalling.
    pub suspend: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigFileValues {
    /// The file's key in the ConfigMap (its file name, made unique).
    pub key: String,
    /// The absolute path of the file in the container.
    pub mount_path: String,
    pub content: String,
}

/// Persistent volumes and writable folders of the pod.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageValues {
    /// Decided by chartwright for every environment alike (do not flip it on a release that
    /// has data): `true` runs a StatefulSet, each replica with its own claim
    /// (`volumeClaimTemplates`) and a headless Service; `false` runs a Deployment, which with
    /// volumes gets one PersistentVolumeClaim each and the `Recreate` strategy (one writer).
    pub stateful_set: bool,
    /// Persistent volumes (`volumes:`); an environment changes `size` and `storageClass`.
    pub volumes: Vec<VolumeValues>,
    /// `emptyDir` folders besides /tmp, for images that write elsewhere.
    pub writable_paths: Vec<WritablePathValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeValues {
    pub name: String,
    pub mount_path: String,
    /// The storage requested, e.g. `10Gi`.
    pub size: String,
    pub access_mode: String,
    /// Empty: the cluster's default StorageClass.
    pub storage_class: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WritablePathValues {
    /// The pod volume's name.
    pub name: String,
    pub mount_path: String,
    pub size_limit: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageValues {
    pub repository: String,
    /// Empty when the image is pinned by digest only.
    pub tag: String,
    /// `sha256:…`; wins over the tag when set.
    pub digest: String,
    pub pull_policy: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountValues {
    pub create: bool,
    /// Defaults to the fullname when empty.
    pub name: String,
    pub automount: bool,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodSecurityContext {
    pub run_as_non_root: bool,
    pub run_as_user: u32,
    pub run_as_group: u32,
    pub fs_group: u32,
    pub seccomp_profile: SeccompProfile,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeccompProfile {
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerSecurityContext {
    pub allow_privilege_escalation: bool,
    pub privileged: bool,
    pub read_only_root_filesystem: bool,
    pub run_as_non_root: bool,
    pub run_as_user: u32,
    pub run_as_group: u32,
    pub capabilities: Capabilities,
    pub seccomp_profile: SeccompProfile,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    pub drop: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortValues {
    pub name: String,
    pub container_port: u16,
    pub protocol: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceValues {
    #[serde(rename = "type")]
    pub kind: String,
    pub ports: Vec<ServicePortValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePortValues {
    pub name: String,
    pub port: u16,
    /// The container port's name.
    pub target_port: String,
    pub protocol: String,
}

/// One container environment variable: a literal value or a reference into a Secret.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVarValues {
    pub name: String,
    /// Used when `secretKey` is empty. May reference earlier variables as `$(NAME)`.
    pub value: String,
    /// Secret (by name) and key to read the value from; both empty for a literal.
    pub secret_name: String,
    pub secret_key: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretsValues {
    /// The Secret the container reads its secret variables from. chartwright never writes its
    /// values: it is created outside the chart, or by the ExternalSecret below.
    pub existing_secret: String,
    /// The variable names (and keys in that Secret).
    pub keys: Vec<String>,
    pub external_secret: ExternalSecretValues,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalSecretValues {
    pub enabled: bool,
    pub secret_store_name: String,
    /// `SecretStore` or `ClusterSecretStore`.
    pub secret_store_kind: String,
    pub refresh_interval: String,
    /// Remote keys are `<remoteKeyPrefix><KEY>`.
    pub remote_key_prefix: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProbesValues {
    pub liveness: ProbeValues,
    pub readiness: ProbeValues,
    pub startup: ProbeValues,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProbeValues {
    /// Off for the startup probe unless declared, and for every probe of a service whose
    /// liveness is `none` (or a worker that declares no check).
    pub enabled: bool,
    /// `http`, `tcp`, `grpc` or `exec`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP path (`http` only; the spec's own, never a guess).
    pub path: String,
    /// A container port name (`http` and `tcp`).
    pub port: String,
    /// The port number of a `grpc` check (Kubernetes takes no name there); 0 otherwise.
    pub grpc_port: u16,
    /// The command of an `exec` check.
    pub command: Vec<String>,
    pub initial_delay_seconds: u32,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub failure_threshold: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourcesValues {
    pub requests: ResourceQuantities,
    pub limits: ResourceQuantities,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceQuantities {
    pub cpu: String,
    pub memory: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoscalingValues {
    pub enabled: bool,
    pub min_replicas: u32,
    pub max_replicas: u32,
    #[serde(rename = "targetCPUUtilizationPercentage")]
    pub target_cpu_utilization_percentage: u32,
    pub scale_down: ScaleDownValues,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScaleDownValues {
    pub stabilization_window_seconds: u32,
    /// At most this percentage of pods removed per `periodSeconds`.
    pub percent: u32,
    pub period_seconds: u32,
}

/// Exactly one of `minAvailable` and `maxUnavailable` is non-zero; zero means "not set".
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PdbValues {
    pub enabled: bool,
    pub min_available: u32,
    pub max_unavailable: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressValues {
    pub enabled: bool,
    pub class_name: String,
    pub host: String,
    pub path: String,
    pub path_type: String,
    /// The Service port (by name) the Ingress routes to.
    pub service_port: String,
    pub tls: IngressTlsValues,
    /// Requests per second per client IP (ingress-nginx `limit-rps`); 0 turns it off.
    pub rate_limit_rps: u32,
    /// Every annotation the Ingress carries, already decided (TLS issuer, rate limit, class
    /// specific ones); teams add their own here.
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressTlsValues {
    pub enabled: bool,
    pub secret_name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkPolicyValues {
    pub enabled: bool,
    /// Services (`app.kubernetes.io/name`) of the same application allowed in.
    pub ingress_from: Vec<String>,
    /// Namespace of the ingress controller, allowed in when the ingress is enabled.
    pub ingress_controller_namespace: String,
    /// Egress to own services by pod selector and to backing services by port.
    pub egress: Vec<EgressRuleValues>,
    /// Egress outside the application that the spec declares (`egress:`); nothing else leaves.
    pub external_egress: Vec<ExternalEgressValues>,
}

/// Declared egress to addresses outside the cluster.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalEgressValues {
    /// What the spec declared (`internet`, a CIDR, or a host name), written as a comment.
    pub description: String,
    pub ip_blocks: Vec<IpBlockValues>,
    /// Empty: every port.
    pub ports: Vec<NetworkPortValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpBlockValues {
    pub cidr: String,
    pub except: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EgressRuleValues {
    /// The dependency this rule exists for.
    pub name: String,
    /// `app.kubernetes.io/name` of the destination pods; empty for a backing service, which
    /// lives outside the application (managed or operator-run) and is opened by port only.
    pub pod_selector_name: String,
    pub ports: Vec<NetworkPortValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkPortValues {
    pub port: u16,
    pub protocol: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulingValues {
    /// Weight of the preferred anti-affinity on `kubernetes.io/hostname` (0 turns it off).
    pub anti_affinity_weight: u32,
    pub topology_spread: TopologySpreadValues,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TopologySpreadValues {
    pub enabled: bool,
    pub max_skew: u32,
    pub topology_key: String,
    pub when_unsatisfiable: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TmpVolumeValues {
    /// `emptyDir` mounted on /tmp, since the root filesystem is read-only.
    pub size_limit: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestValues {
    pub enabled: bool,
    pub image: String,
    pub resources: ResourcesValues,
}

/// A backing service as the spec and the catalog resolved it.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct BackingPlan {
    pub name: String,
    pub kind: String,
    pub version: String,
    pub image: String,
    pub port: u16,
}

/// `docker-compose.yml` for local development.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ComposePlan {
    /// Compose project name.
    pub name: String,
    pub services: Vec<ComposeService>,
    pub volumes: Vec<String>,
    /// Every variable Compose interpolates from `.env`, for `.env.example`.
    pub variables: Vec<ComposeVariable>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ComposeService {
    pub name: String,
    pub image: String,
    /// Build context for own services that declare one. Like `image`, `labels` and
    /// `environment`, a literal `$` from the spec is already escaped as `$$`.
    pub build: Option<String>,
    /// `host:container` pairs, bound to 127.0.0.1 so a laptop does not expose them; a UDP or
    /// SCTP port carries its `/udp` or `/sctp` suffix.
    pub ports: Vec<String>,
    /// Final environment strings. Literal `$` is already escaped as `$$`; `${VAR:?…}` is an
    /// intended interpolation from `.env`.
    pub environment: Vec<(String, String)>,
    /// `test` is empty when chartwright has no check that fits the image (dependents then wait
    /// for `service_started`, and `generate` says so) and for a job or cron job.
    pub healthcheck: ComposeHealthcheck,
    pub depends_on: Vec<String>,
    /// The condition each `depends_on` entry waits for: `service_healthy`, `service_started`
    /// (a dependency without a healthcheck) or `service_completed_successfully` (a job).
    pub depends_on_condition: BTreeMap<String, String>,
    /// Compose `entrypoint` (the spec's `entrypoint`); empty keeps the image's.
    pub entrypoint: Vec<String>,
    /// Compose `restart`: `"no"` for a job or cron job, which run to completion.
    pub restart: String,
    /// Compose profiles: a cron job is behind `cron`, so `docker compose up` does not start it.
    pub profiles: Vec<String>,
    /// `volume:path` mounts.
    pub volumes: Vec<String>,
    /// Repository files mounted read-only (`config_files:`): the source relative to the spec,
    /// rebased onto the output folder when the run writes one.
    pub binds: Vec<ComposeBind>,
    /// Why the root filesystem is writable (from the spec), written as a comment; empty when
    /// it is read-only or for backing services.
    pub writable_root_reason: String,
    pub command: Vec<String>,
    /// `deploy.resources.limits`: cpus as a decimal string, memory with a Compose unit.
    pub cpus: String,
    pub memory: String,
    /// Read-only root filesystem (own services; backing services write to theirs).
    pub read_only: bool,
    pub user: Option<String>,
    /// Writable tmpfs mounts (with a read-only root filesystem).
    pub tmpfs: Vec<String>,
    /// `security_opt` entries, e.g. `no-new-privileges:true`.
    pub security_opt: Vec<String>,
    /// Linux capabilities dropped.
    pub cap_drop: Vec<String>,
    /// The org's `defaults.labels` (overlay or `--defaults`, then the spec's `defaults:`). The
    /// embedded template does not write them; team overlays may.
    pub labels: BTreeMap<String, String>,
}

/// A read-only bind mount of a repository file.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ComposeBind {
    /// A path starting with `./`, `../` or `/` (Compose reads anything else as a volume name).
    pub source: String,
    pub target: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ComposeHealthcheck {
    /// Exec form: `["CMD", …]` or `["CMD-SHELL", "…"]`.
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u32,
    pub start_period: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ComposeVariable {
    pub name: String,
    pub description: String,
    /// A value safe to use locally (never a production secret); empty means "you must set it".
    pub example: String,
}
