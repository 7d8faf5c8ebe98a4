//! The JSON Schema shapes of the chart values that Kubernetes types: open where Kubernetes is
//! (a toleration, an affinity, an extra container carry whatever the API accepts), but checked
//! by shape, so that a misplaced or misspelt key at the level users type still fails
//! `helm lint --strict`. The API server validates the inside of each object.

use schemars::{Schema, SchemaGenerator, json_schema};

/// The title that marks a Kubernetes-typed value: `docs/template-context.md` documents it
/// whole (its inside is Kubernetes' API, not chartwright's contract).
pub const TITLE_PREFIX: &str = "Kubernetes ";

fn titled(title: &str, mut schema: Schema) -> Schema {
    schema.insert("title".into(), format!("{TITLE_PREFIX}{title}").into());
    schema
}

/// An object Kubernetes defines: any keys.
fn object() -> serde_json::Value {
    serde_json::json!({ "type": "object" })
}

/// A list of Kubernetes objects, each with the `required` keys.
fn objects_with(required: &[&str]) -> Schema {
    let props: serde_json::Map<String, serde_json::Value> = required
        .iter()
        .map(|k| {
            (
                (*k).to_string(),
                serde_json::json!({ "type": "string", "minLength": 1 }),
            )
        })
        .collect();
    json_schema!({
        "type": "array",
        "items": { "type": "object", "required": required, "properties": props }
    })
}

pub fn name_refs(_: &mut SchemaGenerator) -> Schema {
    titled(
        "LocalObjectReference list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": { "name": { "type": "string", "minLength": 1 } },
                "additionalProperties": false
            }
        }),
    )
}

pub fn tolerations(_: &mut SchemaGenerator) -> Schema {
    titled(
        "Toleration list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": { "type": "string" },
                    "operator": { "enum": ["Exists", "Equal"] },
                    "value": { "type": "string" },
                    "effect": { "enum": ["", "NoSchedule", "PreferNoSchedule", "NoExecute"] },
                    "tolerationSeconds": { "type": ["integer", "null"] }
                },
                "additionalProperties": false
            }
        }),
    )
}

pub fn affinity(_: &mut SchemaGenerator) -> Schema {
    titled(
        "Affinity",
        json_schema!({
            "type": "object",
            "properties": {
                "nodeAffinity": object(),
                "podAffinity": object(),
                "podAntiAffinity": object()
            },
            "additionalProperties": false
        }),
    )
}

pub fn topology_spread_constraints(_: &mut SchemaGenerator) -> Schema {
    titled(
        "TopologySpreadConstraint list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["maxSkew", "topologyKey", "whenUnsatisfiable"],
                "properties": {
                    "maxSkew": { "type": "integer", "minimum": 1 },
                    "topologyKey": { "type": "string", "minLength": 1 },
                    "whenUnsatisfiable": { "enum": ["DoNotSchedule", "ScheduleAnyway"] }
                }
            }
        }),
    )
}

pub fn lifecycle(_: &mut SchemaGenerator) -> Schema {
    titled(
        "Lifecycle",
        json_schema!({
            "type": "object",
            "properties": {
                "postStart": object(),
                "preStop": object(),
                "stopSignal": { "type": "string" }
            },
            "additionalProperties": false
        }),
    )
}

pub fn env_vars(_: &mut SchemaGenerator) -> Schema {
    titled(
        "EnvVar list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": { "type": "string", "minLength": 1 },
                    "value": { "type": "string" },
                    "valueFrom": object()
                },
                "additionalProperties": false
            }
        }),
    )
}

pub fn env_from(_: &mut SchemaGenerator) -> Schema {
    titled(
        "EnvFromSource list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "prefix": { "type": "string" },
                    "configMapRef": object(),
                    "secretRef": object()
                },
                "additionalProperties": false
            }
        }),
    )
}

pub fn volumes(_: &mut SchemaGenerator) -> Schema {
    titled("Volume list", objects_with(&["name"]))
}

pub fn volume_mounts(_: &mut SchemaGenerator) -> Schema {
    titled("VolumeMount list", objects_with(&["name", "mountPath"]))
}

pub fn containers(_: &mut SchemaGenerator) -> Schema {
    titled("Container list", objects_with(&["name", "image"]))
}

pub fn parent_refs(_: &mut SchemaGenerator) -> Schema {
    titled("Gateway API ParentReference list", objects_with(&["name"]))
}

pub fn network_peers(_: &mut SchemaGenerator) -> Schema {
    titled(
        "NetworkPolicyPeer list",
        json_schema!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "namespaceSelector": object(),
                    "podSelector": object(),
                    "ipBlock": object()
                },
                "additionalProperties": false
            }
        }),
    )
}

pub fn hpa_behavior(_: &mut SchemaGenerator) -> Schema {
    titled(
        "HorizontalPodAutoscalerBehavior",
        json_schema!({
            "type": "object",
            "properties": { "scaleUp": object(), "scaleDown": object() },
            "additionalProperties": false
        }),
    )
}

pub fn strings(_: &mut SchemaGenerator) -> Schema {
    titled(
        "string list",
        json_schema!({ "type": "array", "items": { "type": "string" } }),
    )
}

pub fn service_type(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "enum": ["ClusterIP", "NodePort", "LoadBalancer"] })
}

/// A UID or GID, or `null` to leave it to the platform.
pub fn nullable_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["integer", "null"], "minimum": 0 })
}

/// Requests or limits: Kubernetes quantities by resource name; `null` drops one.
pub fn quantities(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^([a-z0-9.-]+/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$" },
        "additionalProperties": {
            "anyOf": [
                { "type": "string", "pattern": QUANTITY },
                { "type": "number", "minimum": 0 },
                { "type": "null" }
            ]
        }
    })
}

/// Kubernetes' quantity syntax (resource.Quantity).
const QUANTITY: &str = r"^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[mkMGTPE])?$";

pub fn int_or_percent(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string", "pattern": "^[0-9]+%$" }
        ]
    })
}

/// The root of `values.schema.json`, opened for what a parent chart passes down: `global`
/// (shared by every subchart) and `enabled` (the `condition:` of an umbrella chart's
/// dependency). No key is required: `--set key=null` removes a key before validation, and the
/// chart's own values always carry every key anyway. Unknown keys stay refused everywhere the
/// chart defines the keys.
pub fn open_for_parents(schema: &mut serde_json::Value) {
    strip_required(schema);
    if let Some(props) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
    {
        props.insert(
            "global".into(),
            serde_json::json!({
                "type": "object",
                "description": "Values a parent chart shares with all its subcharts."
            }),
        );
        props.insert(
            "enabled".into(),
            serde_json::json!({
                "type": "boolean",
                "description": "Read by a parent chart's `condition:` (e.g. `api.enabled`)."
            }),
        );
    }
}

/// Drops the `required` lists that schemars derives from the Rust fields, on the chart's own
/// objects (reached by `properties` from the root). Items of lists keep theirs, as do the
/// shapes above (the keys without which a Kubernetes object is invalid), except that an
/// Ingress host needs no `paths` and a TLS entry no `hosts`: the chart fills them in, so
/// `--set ingress.hosts[0].host=…` works on its own.
fn strip_required(v: &mut serde_json::Value) {
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    obj.remove("required");
    if let Some(props) = obj.get_mut("properties").and_then(|p| p.as_object_mut()) {
        props.values_mut().for_each(strip_required);
        if let Some(ingress) = props.get_mut("ingress") {
            for (list, keep) in [("hosts", "host"), ("tls", "secretName")] {
                if let Some(items) = ingress.pointer_mut(&format!("/properties/{list}/items")) {
                    items["required"] = serde_json::json!([keep]);
                }
            }
        }
    }
}
