//! The user's file, kept as close to what they typed as possible.
//!
//! Every value that a later rule can reject is wrapped in [`Spanned`] so that the error can point
//! at its line and column. Nothing here decides a default: an absent field stays `None` and the
//! plan decides what it means.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

/// The spec file format. `version` is the format version, not the application's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub version: S<i64>,
    pub app: S<String>,
    /// A team template overlay folder, relative to the spec file.
    #[serde(default)]
    pub templates: Option<S<String>>,
    /// The template contract version the spec (and its overlay) was written for.
    #[serde(default)]
    pub contract: Option<S<i64>>,
    #[serde(default)]
    pub services: BTreeMap<String, S<ServiceSpec>>,
    #[serde(default)]
    pub backing: BTreeMap<String, S<BackingSpec>>,
    /// Absent: dev, staging and prod. Present: exactly these, in this order.
    #[serde(default)]
    pub environments: Option<S<OrderedMap<S<EnvironmentSpec>>>>,
    #[serde(default)]
    pub defaults: Option<DefaultsSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub image: S<String>,
    /// Build context for docker-compose (relative to the output directory's parent).
    #[serde(default)]
    pub build: Option<S<String>>,
    #[serde(default)]
    pub ports: Vec<S<PortSpec>>,
    #[serde(default)]
    pub health: Option<HealthSpec>,
    #[serde(default)]
    pub resources: Option<ResourcesSpec>,
    #[serde(default)]
    pub env: BTreeMap<String, S<Scalar>>,
    #[serde(default)]
    pub secrets: Vec<S<SecretEntry>>,
    #[serde(default)]
    pub depends_on: Vec<S<String>>,
    #[serde(default)]
    pub ingress: Option<S<IngressSpec>>,
    /// UID the container runs as (must not be 0).
    #[serde(default)]
    pub run_as_user: Option<S<i64>>,
    /// Command override for the container (docker-compose and Kubernetes alike).
    #[serde(default)]
    pub command: Option<Vec<String>>,
    #[serde(default)]
    pub external_secret: Option<ExternalSecretSpec>,
}

/// A scalar that the user may have written unquoted (`PORT: 8080`, `DEBUG: true`); it is kept
/// as the text it stands for, so `0755` stays `0755` and is never re-read as a number.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretEntry {
    Name(String),
    WithValue(BTreeMap<String, Scalar>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortSpec {
    pub name: S<String>,
    pub port: S<i64>,
    #[serde(default)]
    pub protocol: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthSpec {
    #[serde(default)]
    pub liveness: Option<S<ProbeSpec>>,
    #[serde(default)]
    pub readiness: Option<S<ProbeSpec>>,
    #[serde(default)]
    pub startup: Option<S<ProbeSpec>>,
    /// docker-compose healthcheck command, for images without wget.
    #[serde(default)]
    pub compose_command: Option<S<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeSpec {
    pub http: S<String>,
    /// A port name (or number) of this service; the first port when absent.
    #[serde(default)]
    pub port: Option<S<Scalar>>,
    #[serde(default)]
    pub initial_delay_seconds: Option<S<i64>>,
    #[serde(default)]
    pub period_seconds: Option<S<i64>>,
    #[serde(default)]
    pub timeout_seconds: Option<S<i64>>,
    #[serde(default)]
    pub failure_threshold: Option<S<i64>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcesSpec {
    #[serde(default)]
    pub requests: Option<QuantitiesSpec>,
    #[serde(default)]
    pub limits: Option<QuantitiesSpec>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantitiesSpec {
    #[serde(default)]
    pub cpu: Option<S<Scalar>>,
    #[serde(default)]
    pub memory: Option<S<Scalar>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressSpec {
    pub host: S<String>,
    #[serde(default)]
    pub path: Option<S<String>>,
    /// The port name to route to; the first port when absent.
    #[serde(default)]
    pub port: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSecretSpec {
    pub store: S<String>,
    #[serde(default)]
    pub store_kind: Option<S<String>>,
    #[serde(default)]
    pub refresh_interval: Option<S<String>>,
    #[serde(default)]
    pub remote_key_prefix: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackingSpec {
    pub kind: S<String>,
    pub version: S<Scalar>,
    /// Database (or vhost) name; the app name when absent.
    #[serde(default)]
    pub database: Option<S<String>>,
    /// Host the Kubernetes services connect to (a managed instance); the entry's name when absent.
    #[serde(default)]
    pub host: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSpec {
    #[serde(default)]
    pub replicas: Option<S<i64>>,
    #[serde(default)]
    pub autoscaling: Option<S<AutoscalingSpec>>,
    #[serde(default)]
    pub ingress: Option<EnvIngressSpec>,
    #[serde(default)]
    pub namespace: Option<S<String>>,
    #[serde(default)]
    pub overrides: BTreeMap<String, S<ServiceOverride>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoscalingSpec {
    pub min: S<i64>,
    pub max: S<i64>,
    #[serde(default)]
    pub cpu: Option<S<i64>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvIngressSpec {
    #[serde(default)]
    pub tls: Option<bool>,
    #[serde(default)]
    pub rate_limit_rps: Option<S<i64>>,
    #[serde(default)]
    pub class: Option<S<String>>,
    #[serde(default)]
    pub issuer: Option<S<String>>,
}

/// What an environment may change for one service.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverride {
    #[serde(default)]
    pub replicas: Option<S<i64>>,
    #[serde(default)]
    pub resources: Option<ResourcesSpec>,
    #[serde(default)]
    pub autoscaling: Option<S<AutoscalingSpec>>,
    #[serde(default)]
    pub env: BTreeMap<String, S<Scalar>>,
    #[serde(default)]
    pub ingress_host: Option<S<String>>,
}

/// Organisation defaults, layered under the spec: built-in < defaults < spec < environment.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsSpec {
    /// Prepended to image references that name no registry.
    #[serde(default)]
    pub registry: Option<S<String>>,
    #[serde(default)]
    pub resources: Option<ResourcesSpec>,
    #[serde(default)]
    pub ingress_class: Option<S<String>>,
    #[serde(default)]
    pub issuer: Option<S<String>>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub ingress_controller_namespace: Option<S<String>>,
}

/// A mapping whose order matters (environments are listed in the order the user wrote them).
#[derive(Debug, Default)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    entries.push((k, v));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}
