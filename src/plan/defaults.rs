//! Built-in defaults: the bottom layer under org defaults, the spec and environment overrides.
//! One table, read by the plan and by `chartwright init` (whose questions offer these same
//! values), so that what init proposes is what the plan would decide.

pub const REQUEST_CPU: &str = "250m";
pub const REQUEST_MEMORY: &str = "256Mi";
pub const LIMIT_CPU: &str = "500m";
pub const LIMIT_MEMORY: &str = "512Mi";

/// The paths `chartwright init` suggests (the user confirms or changes them). The plan never
/// uses them: a probe path comes from the spec or there is no HTTP probe.
pub const LIVENESS_PATH: &str = "/healthz";
pub const READINESS_PATH: &str = "/ready";

/// Probe timings: initial delay, period, timeout (seconds) and failure threshold.
pub const LIVENESS_TIMING: [u32; 4] = [10, 10, 3, 3];
pub const READINESS_TIMING: [u32; 4] = [5, 5, 3, 3];
/// A startup probe allows 30 × 5 s for a slow start.
pub const STARTUP_TIMING: [u32; 4] = [0, 5, 3, 30];

/// Environments when the spec lists none, with their replica counts.
pub const ENVIRONMENTS: [(&str, u32); 3] = [("dev", 1), ("staging", 2), ("prod", 3)];

/// The namespace of an environment that names none. Validation derives it the same way to
/// refuse system and shared namespaces.
pub fn namespace(app: &str, env: &str) -> String {
    format!("{app}-{env}")
}
/// Replicas for a custom environment name the spec gives no count for.
pub const REPLICAS: u32 = 1;
/// Replicas in the chart's base `values.yaml`: two, so that a plain `helm install` survives a
/// node drain.
pub const BASE_REPLICAS: u32 = 2;

/// Names that mean production and staging, whatever a team calls them.
const PRODUCTION_NAMES: [&str; 4] = ["prod", "production", "prd", "live"];
const STAGING_NAMES: [&str; 4] = ["staging", "stage", "stg", "preprod"];

/// Whether environment `name` is production by its name's meaning (`prod`, `production`, `prd`,
/// `live`): it then gets production replicas (and, from `init`, an autoscaler).
pub fn is_production(name: &str) -> bool {
    PRODUCTION_NAMES.contains(&name)
}

/// The replicas of environment `name` when the spec gives no count: by what the name means.
pub fn replicas_of(name: &str) -> u32 {
    let canonical = if is_production(name) {
        "prod"
    } else if STAGING_NAMES.contains(&name) {
        "staging"
    } else {
        name
    };
    ENVIRONMENTS
        .iter()
        .find(|(n, _)| *n == canonical)
        .map(|(_, r)| *r)
        .unwrap_or(REPLICAS)
}

/// A non-root UID outside the range distributions hand to system users.
pub const RUN_AS_USER: u32 = 10001;

pub const HPA_CPU_PERCENT: u32 = 70;
pub const SCALE_DOWN_STABILIZATION_SECONDS: u32 = 300;
pub const SCALE_DOWN_PERCENT: u32 = 25;
pub const SCALE_DOWN_PERIOD_SECONDS: u32 = 60;

pub const INGRESS_CLASS: &str = "nginx";
pub const CLUSTER_ISSUER: &str = "letsencrypt";
pub const INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-nginx";
/// Ingresses serve HTTPS unless an environment says otherwise.
pub const TLS: bool = true;
/// Requests per second per client IP; 0 turns rate limiting off.
pub const RATE_LIMIT_RPS: u32 = 100;

pub const IMAGE_PULL_POLICY: &str = "IfNotPresent";
/// Writable `/tmp` (the root filesystem is read-only).
pub const TMP_SIZE_LIMIT: &str = "64Mi";
/// A volume's size when neither the spec nor the defaults name one (Compose, for one, gives
/// none): small, and said by `generate` for each volume that gets it.
pub const VOLUME_SIZE: &str = "1Gi";
/// A volume's access mode when the spec names none: one node mounts it read-write.
pub const VOLUME_ACCESS_MODE: &str = "ReadWriteOnce";

/// Pods of a service spread over zones (soft), and away from each other's nodes (preferred).
pub const TOPOLOGY_KEY: &str = "topology.kubernetes.io/zone";
pub const ANTI_AFFINITY_WEIGHT: u32 = 100;

/// External Secrets Operator: the store kind and refresh interval when the spec names none.
pub const SECRET_STORE_KIND: &str = "ClusterSecretStore";
pub const SECRET_REFRESH_INTERVAL: &str = "1h";

/// The Helm test pod's requests and limits: (cpu, memory).
pub const TEST_REQUESTS: (&str, &str) = ("10m", "16Mi");
pub const TEST_LIMITS: (&str, &str) = ("100m", "64Mi");

/// The Compose healthcheck of an own service: interval, timeout, retries, start period.
pub const COMPOSE_HEALTHCHECK: (&str, &str, u32, &str) = ("10s", "3s", 5, "10s");

/// Old ReplicaSets a Deployment keeps for `kubectl rollout undo`.
pub const REVISION_HISTORY_LIMIT: u32 = 5;
/// A namespace's ResourceQuota leaves room above the sum of its services at their most pods for
/// a rolling update's surge: Kubernetes' default maxSurge, 25 % (rounded up, at least one pod).
pub const QUOTA_SURGE_PERCENT: u32 = 25;

/// The Kubernetes versions the charts need: topology spread `matchLabelKeys` is on by default
/// from 1.27 (`-0` admits the pre-release suffixes of managed clusters, `v1.29.1-eks-…`).
pub const KUBE_VERSION: &str = ">=1.27.0-0";

/// Kubernetes' own default, written out so that users see what they may change.
pub const TERMINATION_GRACE_PERIOD_SECONDS: u32 = 30;
/// Where the cluster DNS runs, for the NetworkPolicy's DNS egress rule.
pub const DNS_NAMESPACE: &str = "kube-system";

/// The Helm test pod's image: pinned, small, and ships `wget`.
pub const TEST_IMAGE: &str = "busybox:1.36.1";

/// A job: retries in new pods, the longest run, and how long a finished Job is kept.
pub const JOB_BACKOFF_LIMIT: u32 = 2;
pub const JOB_ACTIVE_DEADLINE_SECONDS: u32 = 3600;
pub const JOB_TTL_SECONDS_AFTER_FINISHED: u32 = 86400;
/// A cron job: no overlapping runs, a missed start still runs within 5 minutes, the last three
/// successful runs and the last failed one are kept for their logs.
pub const CRON_CONCURRENCY_POLICY: &str = "Forbid";
pub const CRON_STARTING_DEADLINE_SECONDS: u32 = 300;
pub const CRON_SUCCESSFUL_HISTORY: u32 = 3;
pub const CRON_FAILED_HISTORY: u32 = 1;
/// The Compose profile cron jobs sit behind: `docker compose up` does not start them,
/// `docker compose --profile cron up` (or `docker compose run <name>`) does.
pub const CRON_COMPOSE_PROFILE: &str = "cron";
/// Helm hook weights in a job's chart: the objects its pod needs first, then the Job.
pub const HOOK_WEIGHT_SUPPORT: &str = "-10";
pub const HOOK_WEIGHT_JOB: &str = "0";
