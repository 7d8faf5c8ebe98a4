//! `metadata.namespace` written into a rendered object, as `helm template -n` leaves it out
//! and the plain manifests of `k8s/<env>/` need it.

/// `metadata.namespace` added right under a block `metadata:`; any other layout of the
/// object goes through the YAML parser and is written back as block YAML.
pub(super) fn with_namespace(doc: &str, namespace: &str) -> String {
    let quoted = serde_json::to_string(namespace).expect("a string serializes");
    let lines: Vec<&str> = doc.lines().collect();
    if let Some(at) = lines.iter().position(|l| l.trim_end() == "metadata:") {
        let children: Vec<&str> = lines[at + 1..]
            .iter()
            .copied()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .take_while(|l| l.starts_with(' '))
            .collect();
        if let Some(first) = children.first() {
            let indent = first.len() - first.trim_start().len();
            let own = children.iter().any(|l| {
                l.len() - l.trim_start().len() == indent && l.trim_start().starts_with("namespace:")
            });
            if own {
                return doc.to_string();
            }
            // After `name:` when it is a one-line scalar, where people look for it.
            let block_end = lines[at + 1..]
                .iter()
                .position(|l| !l.trim().is_empty() && !l.starts_with(' '))
                .map_or(lines.len(), |p| at + 1 + p);
            let name_at = (at + 1..block_end).find(|&n| {
                let l = lines[n];
                l.len() - l.trim_start().len() == indent
                    && l.trim_start().starts_with("name:")
                    && l.trim_start().len() > "name:".len()
            });
            let line = format!("{}namespace: {quoted}", " ".repeat(indent));
            return insert_line(doc, &lines, name_at.unwrap_or(at) + 1, &line);
        }
    }
    match crate::yaml::parse_documents(doc).ok().as_deref() {
        Some([serde_json::Value::Object(obj)]) => {
            let mut obj = obj.clone();
            if let Some(serde_json::Value::Object(meta)) = obj.get_mut("metadata")
                && !meta.contains_key("namespace")
            {
                meta.insert("namespace".into(), namespace.into());
            }
            super::yaml::to_yaml(&serde_json::Value::Object(obj))
        }
        _ => doc.to_string(),
    }
}

/// `doc`'s `lines` joined by `\n` with `line` inserted before line `at`. A document that is
/// its lines joined by `\n` (no `\r`, no final line break: the common case) is copied in two
/// pieces rather than line by line.
fn insert_line(doc: &str, lines: &[&str], at: usize, line: &str) -> String {
    if doc.contains('\r') || doc.ends_with('\n') {
        let mut out: Vec<&str> = lines.to_vec();
        out.insert(at, line);
        return out.join("\n");
    }
    // Byte offset of line `at`: the lengths of the lines before it, each with its `\n`.
    let offset = lines[..at].iter().map(|l| l.len() + 1).sum::<usize>();
    let mut out = String::with_capacity(doc.len() + line.len() + 1);
    if offset > doc.len() {
        out.push_str(doc);
        out.push('\n');
        out.push_str(line);
    } else {
        out.push_str(&doc[..offset]);
        out.push_str(line);
        out.push('\n');
        out.push_str(&doc[offset..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_goes_under_metadata_unless_the_object_names_one() {
        let doc =
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  labels:\n    a: b\nspec: {}";
        assert_eq!(
            with_namespace(doc, "shop-prod"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: \"shop-prod\"\n  labels:\n    a: b\nspec: {}"
        );
        let own = "kind: X\nmetadata:\n  name: a\n  namespace: other";
        assert_eq!(with_namespace(own, "shop-prod"), own);
        let flow = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}";
        let parsed = crate::yaml::parse_documents(&with_namespace(flow, "ns")).unwrap();
        assert_eq!(parsed[0]["metadata"]["namespace"], "ns");
    }

    #[test]
    fn a_line_is_inserted_as_between_joined_lines() {
        for doc in ["a\nb\n\nc", "a", "a\r\nb", "a\nb\n", "metadata:\n  name: x"] {
            let lines: Vec<&str> = doc.lines().collect();
            for at in 1..=lines.len() {
                let mut joined = lines.clone();
                joined.insert(at, "NEW");
                assert_eq!(
                    insert_line(doc, &lines, at, "NEW"),
                    joined.join("\n"),
                    "{doc:?} {at}"
                );
            }
        }
    }
}
