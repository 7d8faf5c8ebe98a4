//! YAML in and out of untyped trees, with the same strict reading everywhere: only `true` and
//! `false` are booleans, duplicate keys are errors.

use serde_saphyr::options::DuplicateKeyPolicy;

/// Comments are read past, not kept: kept, at most 96 are buffered while the parser looks ahead.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        emit_comments: false,
    }
}

/// Parses every document of a YAML stream (empty documents are skipped).
pub fn parse_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    let docs: Vec<Option<serde_json::Value>> =
        serde_saphyr::from_multiple_with_options(text, options()).map_err(|e| e.to_string())?;
    Ok(docs
        .into_iter()
        .flatten()
        .filter(|d| !d.is_null())
        .collect())
}

/// A value as a YAML block without a document marker or trailing newline; an empty map or list
/// is written in flow style (`{}`, `[]`) so that it still parses as one.
pub fn to_block(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(m) if m.is_empty() => "{}".to_string(),
        serde_json::Value::Array(a) if a.is_empty() => "[]".to_string(),
        _ => {
            // Sequences indented under their key, as in every other file chartwright writes
            // (and as yamllint's default asks).
            let options = serde_saphyr::ser_options! { compact_list_indent: false };
            let text = serde_saphyr::to_string_with_options(value, options)
                .expect("a JSON value serializes to YAML");
            text.strip_prefix("---\n")
                .unwrap_or(&text)
                .trim_end_matches('\n')
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_that_look_like_other_types_round_trip() {
        let v = json!({"a": "yes", "b": "NO", "c": "0755", "d": "1e3", "e": "~", "f": ".inf", "g": "on",
                       "h": "a: b # c", "i": "{{ x }}", "j": "line\nbreak", "k": "", "l": "*alias", "m": "null"});
        let text = to_block(&v);
        assert_eq!(parse_documents(&text).unwrap(), vec![v], "{text}");
    }

    #[test]
    fn a_values_file_with_a_long_comment_block_parses() {
        // A team's values.yaml documents its keys in comment blocks longer than the parser's
        // lookahead buffer.
        let mut text = String::from("resources:\n");
        for i in 0..100 {
            text.push_str(&format!("  # note {i}\n"));
        }
        text.push_str("  cpu: 1\n");
        assert_eq!(
            parse_documents(&text).unwrap(),
            vec![json!({"resources": {"cpu": 1}})]
        );
    }

    #[test]
    fn empty_collections_stay_valid() {
        assert_eq!(to_block(&json!({})), "{}");
        assert_eq!(parse_documents("a: {}\n").unwrap(), vec![json!({"a": {}})]);
    }
}
