//! `docs/template-context.md`, generated from the JSON Schema of [`Context`].

use super::Context;

/// `docs/template-context.md`: every field of [`Context`], generated from its JSON Schema.
pub fn context_doc() -> String {
    let generator = schemars::generate::SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let schema = serde_json::to_value(generator.into_root_schema_for::<Context<'static>>())
        .expect("a schema serializes");
    let mut out = format!(
        "# Template context (contract {})\n\n\
         Generated from the code by `UPDATE_DOCS=1 cargo test --test context_doc`; do not edit.\n\n\
         Every template receives these fields; print them for a spec with \
         `chartwright templates context [-f SPEC] [--service S] [--env E]`. Fields marked \
         *optional* exist only for template paths with the placeholder named in their \
         description, so strict undefined catches misuse. Adding a field keeps the contract; \
         renaming or removing one bumps it.\n\n\
         | Field | Type | Description |\n|---|---|---|\n",
        crate::plan::CONTRACT_VERSION
    );
    fn type_of(s: &serde_json::Value) -> String {
        match s.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(serde_json::Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" \\| "),
            _ if s.get("anyOf").is_some() || s.get("oneOf").is_some() => "one of".into(),
            _ => "any".into(),
        }
    }
    fn walk(path: &str, s: &serde_json::Value, required: bool, out: &mut String) {
        // `Option<T>` is `anyOf: [T, null]`: document T.
        let inner = s
            .get("anyOf")
            .and_then(|a| a.as_array())
            .and_then(|a| a.iter().find(|x| x.get("type") != Some(&"null".into())))
            .filter(|_| s.get("properties").is_none());
        let (s, required) = match inner {
            Some(i) => (i, false),
            None => (s, required),
        };
        let description = s
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .replace('\n', " ")
            .replace('|', "\\|");
        if !path.is_empty() {
            let opt = if required { "" } else { " *optional*" };
            out.push_str(&format!(
                "| `{path}` | {}{opt} | {description} |\n",
                type_of(s)
            ));
        }
        // A Kubernetes-typed value is documented whole.
        let kubernetes = s
            .get("title")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.starts_with(crate::plan::shapes::TITLE_PREFIX));
        if kubernetes {
            return;
        }
        let req: Vec<&str> = s
            .get("required")
            .and_then(|r| r.as_array())
            .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        if let Some(props) = s.get("properties").and_then(|p| p.as_object()) {
            for (k, v) in props {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(&p, v, req.contains(&k.as_str()), out);
            }
        }
        if let Some(items) = s.get("items").filter(|i| i.is_object()) {
            walk(&format!("{path}[]"), items, true, out);
        }
        if let Some(extra) = s.get("additionalProperties").filter(|i| i.is_object()) {
            walk(&format!("{path}.<key>"), extra, true, out);
        }
    }
    walk("", &schema, true, &mut out);
    out
}
