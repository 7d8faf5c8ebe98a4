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
    /// The namespace's ResourceQuota and LimitRange, from the allocation table.
    pub guard_rails: GuardRails,
}

/// What every service of an environment may use together, and the defaults of a container
/// that names no resources.
#[derive(Debug, Clone, Default, Serialize, PartialEq, JsonSchema)]
pub struct GuardRails {
    /// The allocation table's sum: each service's requests and limits times its most pods (the
    /// HPA maximum, else the replica count).
    pub totals: ResourceTotals,
    /// The ResourceQuota: `totals` plus the headroom, rounded up: each service's rolling-update
    /// surge (`surge_percent` of its most pods, at least one pod) and one `helm test` pod.
    pub quota: ResourceTotals,
    /// The surge a rolling update adds (Kubernetes' default maxSurge, 25 %).
    pub surge_percent: u32,
    /// The LimitRange's `defaultRequest` and `default` (the org's resources, else the
    /// built-in ones).
    pub default_requests: ResourceQuantities,
    pub default_limits: ResourceQuantities,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, JsonSchema)]
pub struct ResourceTotals {
    pub requests: ResourceQuantities,
    pub limits: ResourceQuantities,
    /// Storage requested by the claims (`0` without volumes).
    pub storage: String,
    pub pods: u32,
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
    /// The Compose profiles that make the service optional (empty: it always runs). An
    /// environment deploys an optional service only where it enables one of them
    /// ([`ServiceEnvironment::deployed`]).
    pub profiles: Vec<String>,
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
    /// The default of the values' `serviceAccount.automount` (the pod's
    /// `automountServiceAccountToken`): the workloads do not call the Kubernetes API.
    pub automount_service_account_token: bool,
    /// Why the root filesystem is writable; empty when it is read-only (the default). Written
    /// as a comment next to `readOnlyRootFilesystem`.
    pub writable_root_reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct ServiceEnvironment {
    pub env: String,
    pub namespace: String,
    /// Whether `k8s/<env>/` (and its kustomization) holds the service: false for an optional
    /// service whose profiles the environment does not enable. Its `values-<env>.yaml` is
    /// written either way: installing the chart there is a deliberate choice.
    pub deployed: bool,
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
    /// Chart version: a placeholder in templates (`0.0.0-chartwright.version`) that chartwright
    /// replaces once the chart is rendered with `0.1.<N>`, N from the hash of the chart's
    /// content: the same chart, the same version; a changed chart, another.
    pub version: String,
    /// The chart's content hash, a placeholder replaced likewise (the
    /// `chartwright.dev/content-hash` annotation).
    pub content_hash: String,
    /// The image tag (or the digest's short form): what the chart deploys.
    pub app_version: String,
    /// The Kubernetes versions the chart's objects need (`matchLabelKeys` in topology spread
    /// constraints: 1.27).
    pub kube_version: String,
    /// From the spec's `chart:` key; empty when not given.
    pub home: String,
    pub sources: Vec<String>,
    pub maintainers: Vec<MaintainerMeta>,
}

/// A Chart.yaml maintainer; empty `email` and `url` are left out.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct MaintainerMeta {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// The values of a chartwright chart. Every key is always present: an environment's values file
/// changes keys, it never removes them.
//
// camelCase because that is what Helm chart users type. No `Option` fields: Helm merges an
// environment file over `values.yaml` key by key, and a key missing on one side could only be
// removed with `null`, which Helm 3 and 4 do not treat alike. Fields typed by Kubernetes
// (tolerations, affinity, extra containers…) are JSON values whose schema is their shape
// ([`super::shapes`]): open where Kubernetes is, strict where a typo would go unnoticed.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartValues {
    /// Replaces the chart name in object names (`<release>-<nameOverride>`).
    pub name_override: String,
    /// Object names, whole. Empty: the release name when it contains the chart name (a release
    /// named like the service, as the README installs it), else `<release>-<chart>`, so that a
    /// second release in one namespace (canary, preview) gets names of its own.
    pub fullname_override: String,
    /// `app.kubernetes.io/part-of`: the application this service belongs to.
    pub part_of: String,
    pub image: ImageValues,
    /// Secrets (by name) the kubelet uses to pull the image, e.g. `[{name: regcred}]`.
    #[schemars(schema_with = "super::shapes::name_refs")]
    pub image_pull_secrets: Vec<serde_json::Value>,
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
    /// The pods' PriorityClass; empty for the cluster default.
    pub priority_class_name: String,
    /// Node labels a node must carry to run the pods.
    pub node_selector: BTreeMap<String, String>,
    /// Taints the pods tolerate (Kubernetes `tolerations`).
    #[schemars(schema_with = "super::shapes::tolerations")]
    pub tolerations: Vec<serde_json::Value>,
    /// Kubernetes `affinity`, merged with the default anti-affinity
    /// (`scheduling.antiAffinityWeight`): `podAntiAffinity` terms given here are added to it.
    #[schemars(schema_with = "super::shapes::affinity")]
    pub affinity: serde_json::Value,
    /// Constraints added to the default zone spread (`scheduling.topologySpread`).
    #[schemars(schema_with = "super::shapes::topology_spread_constraints")]
    pub topology_spread_constraints: Vec<serde_json::Value>,
    /// Seconds between SIGTERM and SIGKILL when a pod stops (Kubernetes' default, 30).
    pub termination_grace_period_seconds: u32,
    /// Container `lifecycle` hooks (`preStop`, `postStart`).
    #[schemars(schema_with = "super::shapes::lifecycle")]
    pub lifecycle: serde_json::Value,
    /// Extra container variables (Kubernetes EnvVar: `name` with `value` or `valueFrom`).
    #[schemars(schema_with = "super::shapes::env_vars")]
    pub extra_env: Vec<serde_json::Value>,
    /// Extra `envFrom` sources (`configMapRef`, `secretRef`).
    #[schemars(schema_with = "super::shapes::env_from")]
    pub extra_env_from: Vec<serde_json::Value>,
    /// Extra pod volumes (Kubernetes Volume, `name` required).
    #[schemars(schema_with = "super::shapes::volumes")]
    pub extra_volumes: Vec<serde_json::Value>,
    /// Extra mounts of the main container (`name` and `mountPath` required).
    #[schemars(schema_with = "super::shapes::volume_mounts")]
    pub extra_volume_mounts: Vec<serde_json::Value>,
    /// Init containers (Kubernetes Container, `name` and `image` required).
    #[schemars(schema_with = "super::shapes::containers")]
    pub init_containers: Vec<serde_json::Value>,
    /// Sidecar containers next to the main one.
    #[schemars(schema_with = "super::shapes::containers")]
    pub extra_containers: Vec<serde_json::Value>,
    /// Replaces the image's ENTRYPOINT (the spec's `entrypoint`); empty keeps the image's.
    pub command: Vec<String>,
    /// Replaces the image's CMD (the spec's `command`, or `--set 'args={--verbose}'`); empty
    /// keeps the image's.
    #[schemars(schema_with = "super::shapes::strings")]
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
    pub http_route: HttpRouteValues,
    pub service_monitor: ServiceMonitorValues,
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
    /// `null` leaves the UID to the platform (OpenShift assigns one per namespace).
    #[schemars(schema_with = "super::shapes::nullable_id")]
    pub run_as_user: u32,
    #[schemars(schema_with = "super::shapes::nullable_id")]
    pub run_as_group: u32,
    #[schemars(schema_with = "super::shapes::nullable_id")]
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
    /// `null` leaves the UID to the platform (OpenShift assigns one per namespace).
    #[schemars(schema_with = "super::shapes::nullable_id")]
    pub run_as_user: u32,
    #[schemars(schema_with = "super::shapes::nullable_id")]
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
    /// `ClusterIP`, `NodePort` or `LoadBalancer`.
    #[serde(rename = "type")]
    #[schemars(schema_with = "super::shapes::service_type")]
    pub kind: String,
    /// Annotations of the Service (cloud load-balancer settings and the like).
    pub annotations: BTreeMap<String, String>,
    /// Labels added to the Service.
    pub labels: BTreeMap<String, String>,
    /// A list: Helm replaces it whole, so change a port with a values file (`-f`) that lists
    /// every port, not with `--set service.ports[0].port=…`.
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
    /// Kubernetes quantities by resource name (`cpu`, `memory`, `ephemeral-storage`, …).
    #[schemars(schema_with = "super::shapes::quantities")]
    pub requests: ResourceQuantities,
    /// As `requests`; `null` drops a limit (`--set resources.limits.cpu=null`: no CPU
    /// throttling, a common deliberate choice).
    #[schemars(schema_with = "super::shapes::quantities")]
    pub limits: ResourceQuantities,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, JsonSchema)]
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
    /// Average CPU use (percent of the requests) the HPA aims at; 0 turns the metric off.
    #[serde(rename = "targetCPUUtilizationPercentage")]
    pub target_cpu_utilization_percentage: u32,
    /// Average memory use (percent of the requests) the HPA aims at; 0 turns the metric off.
    pub target_memory_utilization_percentage: u32,
    /// The HPA's `behavior` (`scaleUp`, `scaleDown`), whole: the default slows scale-down.
    #[schemars(schema_with = "super::shapes::hpa_behavior")]
    pub behavior: serde_json::Value,
}

/// An integer or a percentage (`"50%"`), as Kubernetes' IntOrString; 0 means "not set".
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum IntOrPercent {
    Int(u32),
    Percent(String),
}

impl JsonSchema for IntOrPercent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IntOrPercent".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        super::shapes::int_or_percent(g)
    }
}

/// At most one of `minAvailable` and `maxUnavailable` is set (0 means "not set"). The chart
/// checks the budget against the pods there will be (`replicaCount`, or the HPA minimum) and
/// renders `maxUnavailable: 1` instead of a budget that would block every node drain.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PdbValues {
    pub enabled: bool,
    pub min_available: IntOrPercent,
    pub max_unavailable: IntOrPercent,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressValues {
    pub enabled: bool,
    pub class_name: String,
    /// Host names and their paths; a host may not be empty (the chart refuses a catch-all
    /// Ingress). A path list left empty routes `/` (Prefix).
    pub hosts: Vec<IngressHostValues>,
    /// The Service port (by name) the Ingress routes to.
    pub service_port: String,
    /// TLS certificates (Secret name and hosts; hosts left empty means every host above).
    pub tls: Vec<IngressTlsValues>,
    /// Requests per second per client IP: the chart writes ingress-nginx's `limit-rps`
    /// annotation from it; 0 turns it off.
    pub rate_limit_rps: u32,
    /// Annotations of the Ingress (TLS issuer, class specific ones); teams add their own here.
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressHostValues {
    pub host: String,
    pub paths: Vec<IngressPathValues>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressPathValues {
    pub path: String,
    /// `Prefix`, `Exact` or `ImplementationSpecific`.
    pub path_type: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressTlsValues {
    pub secret_name: String,
    pub hosts: Vec<String>,
}

/// A Gateway API `HTTPRoute` to the Service, instead of (or next to) the Ingress.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteValues {
    pub enabled: bool,
    pub annotations: BTreeMap<String, String>,
    /// The Gateways to attach to (Gateway API ParentReference: `name`, `namespace`,
    /// `sectionName`); at least one when enabled.
    #[schemars(schema_with = "super::shapes::parent_refs")]
    pub parent_refs: Vec<serde_json::Value>,
    /// Host names; empty: the Ingress hosts.
    #[schemars(schema_with = "super::shapes::strings")]
    pub hostnames: Vec<String>,
    /// Path prefix routed to the Service port `ingress.servicePort`.
    pub path: String,
}

/// A Prometheus Operator `ServiceMonitor` scraping the Service.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceMonitorValues {
    pub enabled: bool,
    /// Labels the Prometheus instance selects ServiceMonitors by.
    pub labels: BTreeMap<String, String>,
    /// The Service port (by name) to scrape.
    pub port: String,
    /// Empty: Prometheus' own defaults (`/metrics`, the global scrape interval).
    pub path: String,
    pub interval: String,
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
    pub dns: DnsEgressValues,
    /// Egress outside the application that the spec declares (`egress:`); nothing else leaves.
    pub external_egress: Vec<ExternalEgressValues>,
}

/// Egress to the cluster DNS: where it runs differs (kube-system, NodeLocal DNS on a link-local
/// address, OpenShift's openshift-dns on 5353).
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsEgressValues {
    /// NetworkPolicyPeers (`namespaceSelector`, `podSelector`, `ipBlock`).
    #[schemars(schema_with = "super::shapes::network_peers")]
    pub to: Vec<serde_json::Value>,
    pub ports: Vec<NetworkPortValues>,
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
    /// The profiles of the optional services (not `cron`), sorted: `docker compose --profile
    /// <name> up` starts them.
    pub profiles: Vec<String>,
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
    /// Compose profiles: an optional service's own; a cron job's `cron` otherwise, so that
    /// `docker compose up` does not start it.
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
