//! The rendered chart as Kubernetes objects: split as Helm splits, each checked for
//! `apiVersion`, `kind` and `metadata.name`, sorted in Helm's install order.

/// One object of the release, as its template rendered it.
#[derive(Debug, Clone)]
pub struct Object {
    pub text: String,
    pub kind: String,
    /// A Helm test hook (`helm.sh/hook: test`): `helm test` runs it; it is no plain manifest.
    /// Other hooks (a job's pre-install and pre-upgrade) are objects of `k8s/<env>/` too.
    pub hook: bool,
}

/// Why a document is not an object: the key at fault, if one is missing, and what to say.
#[derive(Debug)]
pub struct Problem {
    pub key: Option<&'static str>,
    pub message: String,
}

/// The documents of one rendered file, as Helm's `SplitManifests` cuts them: at lines that
/// start with `---`, each trimmed.
pub fn split(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            docs.push(text[start..offset].trim());
            start = offset + 3;
        }
        offset += line.len();
    }
    docs.push(text[start..].trim());
    docs.retain(|d| !d.is_empty());
    docs
}

/// The object in a document, `None` for a document of comments only.
///
/// The common layout (top-level `apiVersion:`, `kind:`, `metadata:` with `name:`) is read
/// line by line; anything else, and every document when `full` (any team template in the set)
/// is parsed as YAML. The embedded templates are proven to render valid YAML by the test
/// suite, and parsing every object again would cost more than rendering it.
pub fn inspect(doc: &str, full: bool) -> Result<Option<Object>, Problem> {
    if doc
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    if !full && let Some(kind) = quick_kind(doc) {
        // The embedded hooks write the annotation as a quoted key of its own line.
        let hook = doc.lines().any(|l| {
            let l = l.trim_start();
            l.strip_prefix("\"helm.sh/hook\":")
                .or_else(|| l.strip_prefix("helm.sh/hook:"))
                .is_some_and(is_test_hook)
        });
        return Ok(Some(Object {
            text: doc.to_string(),
            kind,
            hook,
        }));
    }
    let parsed = crate::yaml::parse_documents(doc).map_err(|e| Problem {
        key: None,
        message: format!("is not valid YAML: {e}"),
    })?;
    let value = match parsed.as_slice() {
        [] => return Ok(None),
        [v] => v,
        _ => unreachable!("split at every document marker"),
    };
    let text_of = |v: &serde_json::Value| {
        v.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    let missing = |key: &'static str, name: &str| Problem {
        key: Some(key),
        message: format!("has no `{name}`"),
    };
    if !value.is_object() {
        return Err(Problem {
            key: None,
            message: "is not a mapping".into(),
        });
    }
    text_of(&value["apiVersion"]).ok_or_else(|| missing("apiVersion", "apiVersion"))?;
    let kind = text_of(&value["kind"]).ok_or_else(|| missing("kind", "kind"))?;
    text_of(&value["metadata"]["name"]).ok_or_else(|| missing("name", "metadata.name"))?;
    let hook = value["metadata"]["annotations"]["helm.sh/hook"]
        .as_str()
        .is_some_and(is_test_hook);
    Ok(Some(Object {
        text: doc.to_string(),
        kind,
        hook,
    }))
}

impl Object {
    /// The object placed in `namespace`, as the plain manifests need (the chart's templates
    /// leave `metadata.namespace` to `helm -n`). An object that names its own namespace keeps it.
    pub fn in_namespace(mut self, namespace: &str) -> Self {
        self.text = super::namespace::with_namespace(&self.text, namespace);
        self
    }
}

/// Whether a `helm.sh/hook` value names the `test` hook (Helm 2's `test-success` too).
fn is_test_hook(value: &str) -> bool {
    value
        .trim()
        .trim_matches('"')
        .split(',')
        .any(|h| matches!(h.trim(), "test" | "test-success" | "test-failure"))
}

/// `kind` when the document has top-level `apiVersion` and `kind` and a `name` directly
/// under top-level `metadata`, all non-empty; `None` sends it to the YAML parser.
fn quick_kind(doc: &str) -> Option<String> {
    let (mut api, mut kind, mut name) = (false, None, false);
    let mut in_metadata = false;
    let mut child_indent = None;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 {
            in_metadata = false;
            if let Some(v) = line.strip_prefix("apiVersion:") {
                api = scalar(v).is_some();
            } else if let Some(v) = line.strip_prefix("kind:") {
                kind = scalar(v);
            } else if line.trim_end() == "metadata:" {
                in_metadata = true;
                child_indent = None;
            }
        } else if in_metadata {
            let ci = *child_indent.get_or_insert(indent);
            if indent == ci
                && let Some(v) = trimmed.strip_prefix("name:")
            {
                name = scalar(v).is_some();
            }
        }
    }
    if api && name { kind } else { None }
}

/// A plain or quoted one-line scalar after `key:`, if non-empty and unambiguous.
fn scalar(rest: &str) -> Option<String> {
    let v = rest.trim();
    let v = match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim_end(),
        _ => v,
    };
    let inner = if let Some(q) = v.strip_prefix('"') {
        q.strip_suffix('"')?
    } else if let Some(q) = v.strip_prefix('\'') {
        q.strip_suffix('\'')?
    } else {
        if v.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
            return None;
        }
        v
    };
    if inner.trim().is_empty() || inner.contains(['\\', '"', '\'']) {
        None
    } else {
        Some(inner.to_string())
    }
}

/// The line of a template that should write `key`, for an object that lacks it.
pub fn key_line(source: &str, key: &str) -> Option<usize> {
    let want = format!("{key}:");
    source
        .lines()
        .position(|l| l.trim_start().starts_with(&want))
        .map(|i| i + 1)
}

/// The line of a `.j2` template that rendered line `line` of its output: the source line that
/// reads the same once its `[[ … ]]` expressions are filled in, nearest to `line`.
pub fn source_line(source: &str, rendered: &str, line: usize) -> Option<usize> {
    let target = rendered.lines().nth(line.checked_sub(1)?)?;
    let mut best: Option<usize> = None;
    for (i, src) in source.lines().enumerate() {
        if matches_filled(src, target) {
            let dist = |n: usize| n.abs_diff(line);
            if best.is_none_or(|b| dist(i + 1) < dist(b)) {
                best = Some(i + 1);
            }
        }
    }
    best.or(Some(line))
}

/// Whether `rendered` is `source` with each `[[ … ]]` replaced by something.
fn matches_filled(source: &str, rendered: &str) -> bool {
    let mut pieces = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find("[[") {
        pieces.push(&rest[..open]);
        match rest[open..].find("]]") {
            Some(close) => rest = &rest[open + close + 2..],
            None => return false,
        }
    }
    pieces.push(rest);
    if pieces.len() == 1 {
        return source == rendered;
    }
    let mut at = 0;
    for (i, p) in pieces.iter().enumerate() {
        if i == 0 {
            if !rendered.starts_with(p) {
                return false;
            }
            at = p.len();
        } else if i == pieces.len() - 1 {
            return rendered.len() >= at + p.len() && rendered.ends_with(p);
        } else {
            match rendered[at..].find(p) {
                Some(j) => at += j + p.len(),
                None => return false,
            }
        }
    }
    true
}

/// Helm's `InstallOrder`: kinds it knows in this order, then others by kind name; a stable
/// sort, so objects of one kind keep their file order.
pub fn sort_install_order(objects: &mut [Object]) {
    const ORDER: &[&str] = &[
        "PriorityClass",
        "Namespace",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
        "PodSecurityPolicy",
        "PodDisruptionBudget",
        "ServiceAccount",
        "Secret",
        "SecretList",
        "ConfigMap",
        "StorageClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "CustomResourceDefinition",
        "ClusterRole",
        "ClusterRoleList",
        "ClusterRoleBinding",
        "ClusterRoleBindingList",
        "Role",
        "RoleList",
        "RoleBinding",
        "RoleBindingList",
        "Service",
        "DaemonSet",
        "Pod",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "HorizontalPodAutoscaler",
        "StatefulSet",
        "Job",
        "CronJob",
        "IngressClass",
        "Ingress",
        "APIService",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    objects.sort_by(|a, b| {
        let rank = |k: &str| ORDER.iter().position(|o| *o == k);
        match (rank(&a.kind), rank(&b.kind)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.kind.cmp(&b.kind),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helm() {
        assert_eq!(
            split("\n---\na: 1\n---   \n\n--- \nb: 2\n"),
            vec!["a: 1", "b: 2"]
        );
    }

    #[test]
    fn objects_need_api_version_kind_and_name() {
        let ok = "apiVersion: v1\nkind: \"ConfigMap\"\nmetadata:\n  labels:\n    name: x\n  name: \"c\"\n";
        assert_eq!(inspect(ok, false).unwrap().unwrap().kind, "ConfigMap");
        assert_eq!(inspect(ok, true).unwrap().unwrap().kind, "ConfigMap");
        let glued = "# team-markapiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n";
        let p = inspect(glued, false).unwrap_err();
        assert_eq!(p.key, Some("apiVersion"));
        let flow = "{apiVersion: v1, kind: Secret, metadata: {name: s}}";
        assert_eq!(inspect(flow, false).unwrap().unwrap().kind, "Secret");
        let nameless = "apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    name: x\n";
        assert_eq!(inspect(nameless, false).unwrap_err().key, Some("name"));
        assert!(inspect("# only a comment", false).unwrap().is_none());
        let hook = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    \"helm.sh/hook\": test\n";
        assert!(inspect(hook, false).unwrap().unwrap().hook);
    }

    #[test]
    fn rendered_lines_map_back_to_the_template() {
        let source = "[% set c = x -%]\n# head\nname: {{ include \"[[ c ]].fullname\" . }}\n";
        let rendered = "# head\nname: {{ include \"api.fullname\" . }}\n";
        assert_eq!(source_line(source, rendered, 2), Some(3));
    }
}
