//! The data a chart is executed with: `.Values` (Helm's coalesce of `values.yaml` and
//! `values-<env>.yaml`), `.Chart` from `Chart.yaml`, `.Release` and `.Capabilities`.

use std::sync::Arc;

use gotmpl::Value;

use super::funcs;
use super::{ChartFiles, RELEASE_SERVICE};
use crate::render::RenderError;

/// A rendered YAML file of the chart as a tree (`{}` when empty).
pub(super) fn read_yaml(chart: &ChartFiles, path: &str) -> Result<serde_json::Value, RenderError> {
    let (template, file) = chart.name(path);
    let text = chart.files.get(path).ok_or_else(|| RenderError {
        template: template.clone(),
        file: None,
        line: None,
        message: format!("k8s/ is rendered from the chart, which has no `{path}`"),
        snippet: None,
    })?;
    let docs = crate::yaml::parse_documents(text).map_err(|message| RenderError {
        file: file.clone(),
        template: template.clone(),
        line: None,
        message: format!("{} is not valid YAML: {message}", chart.describe(path)),
        snippet: None,
    })?;
    Ok(docs
        .into_iter()
        .next()
        .unwrap_or_else(|| serde_json::Value::Object(Default::default())))
}

/// [`coalesce`] of template values with a JSON tree: subtrees that `over` leaves alone stay
/// shared.
pub(super) fn coalesce_value(base: Value, over: &serde_json::Value) -> Value {
    match (base, over) {
        (Value::Map(b), serde_json::Value::Object(o)) => {
            let mut m = (*b).clone();
            for (k, v) in o {
                if v.is_null() {
                    m.remove(k.as_str());
                    continue;
                }
                let merged = match m.remove(k.as_str()) {
                    Some(old) => coalesce_value(old, v),
                    None => funcs::from_serde(v),
                };
                m.insert(Arc::from(k.as_str()), merged);
            }
            Value::Map(Arc::new(m))
        }
        (_, over) => funcs::from_serde(over),
    }
}

/// Helm's values merge: maps merge key by key, anything else from `over` replaces, and a null
/// in `over` deletes the key.
pub(super) fn coalesce(base: serde_json::Value, over: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match (base, over) {
        (J::Object(mut b), J::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(&k);
                    continue;
                }
                let merged = match b.remove(&k) {
                    Some(old) => coalesce(old, v),
                    None => v,
                };
                b.insert(k, merged);
            }
            J::Object(b)
        }
        (_, over) => over,
    }
}

pub(super) fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(Arc::new(
        entries
            .into_iter()
            .map(|(k, v)| (Arc::from(k), v))
            .collect(),
    ))
}

pub(super) fn release(name: &str, namespace: &str) -> Value {
    map([
        ("Name", Value::String(name.into())),
        ("Namespace", Value::String(namespace.into())),
        ("Service", Value::String(RELEASE_SERVICE.into())),
        ("IsInstall", Value::Bool(true)),
        ("IsUpgrade", Value::Bool(false)),
        ("Revision", Value::Int(1)),
    ])
}

/// `.Capabilities` without a cluster, as `helm template` has it (its default Kubernetes
/// version).
pub(super) fn capabilities() -> Value {
    map([
        (
            "KubeVersion",
            map([
                ("Version", Value::String("v1.33.0".into())),
                ("GitVersion", Value::String("v1.33.0".into())),
                ("Major", Value::String("1".into())),
                ("Minor", Value::String("33".into())),
            ]),
        ),
        ("APIVersions", Value::List(Arc::from(Vec::new()))),
    ])
}

/// `.Chart` from `Chart.yaml`, with Helm's Go field names; absent strings are empty.
pub(super) fn chart_value(meta: &serde_json::Value) -> Value {
    let field = |k: &str| {
        meta.get(k)
            .map(funcs::from_serde)
            .unwrap_or_else(|| Value::String("".into()))
    };
    map([
        ("Name", field("name")),
        ("Version", field("version")),
        ("AppVersion", field("appVersion")),
        ("Description", field("description")),
        ("Type", field("type")),
        ("APIVersion", field("apiVersion")),
        ("KubeVersion", field("kubeVersion")),
        ("Home", field("home")),
        ("Icon", field("icon")),
        (
            "Annotations",
            meta.get("annotations")
                .map(funcs::from_serde)
                .unwrap_or(Value::Map(Arc::default())),
        ),
        (
            "Keywords",
            meta.get("keywords")
                .map(funcs::from_serde)
                .unwrap_or(Value::List(Arc::from(Vec::new()))),
        ),
        (
            "Sources",
            meta.get("sources")
                .map(funcs::from_serde)
                .unwrap_or(Value::List(Arc::from(Vec::new()))),
        ),
        (
            "Deprecated",
            Value::Bool(meta.get("deprecated") == Some(&serde_json::Value::Bool(true))),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_merge_as_helm_merges() {
        let base = json!({"a": {"b": 1, "c": [1, 2]}, "d": "x", "e": {"f": 1}});
        let over = json!({"a": {"c": [3], "g": true}, "d": null, "e": "flat"});
        assert_eq!(
            coalesce(base, over),
            json!({"a": {"b": 1, "c": [3], "g": true}, "e": "flat"})
        );
    }
}
