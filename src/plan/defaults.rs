//! Built-in defaults: the bottom layer under org defaults, the spec and environment overrides.
//! They live in one place because validation (limits ≥ requests) must see the same numbers the
//! plan will use.

pub const REQUEST_CPU: &str = "250m";
pub const REQUEST_MEMORY: &str = "256Mi";
pub const LIMIT_CPU: &str = "500m";
pub const LIMIT_MEMORY: &str = "512Mi";

pub const LIVENESS_PATH: &str = "/healthz";
pub const READINESS_PATH: &str = "/ready";

/// Environments when the spec lists none, with their replica counts.
pub const ENVIRONMENTS: [(&str, u32); 3] = [("dev", 1), ("staging", 2), ("prod", 3)];
/// Replicas for a custom environment name the spec gives no count for.
pub const REPLICAS: u32 = 1;

/// A non-root UID outside the range distributions hand to system users.
pub const RUN_AS_USER: u32 = 10001;

pub const HPA_CPU_PERCENT: u32 = 70;
pub const SCALE_DOWN_STABILIZATION_SECONDS: u32 = 300;
pub const SCALE_DOWN_PERCENT: u32 = 25;
pub const SCALE_DOWN_PERIOD_SECONDS: u32 = 60;

pub const INGRESS_CLASS: &str = "nginx";
pub const CLUSTER_ISSUER: &str = "letsencrypt";
pub const INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-nginx";

/// The Helm test pod's image: pinned, small, and ships `wget`.
pub const TEST_IMAGE: &str = "busybox:1.36.1";
