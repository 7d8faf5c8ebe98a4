//! Helm's `toYaml`: block YAML in the layout of `sigs.k8s.io/yaml` (go-yaml v2 behind JSON):
//! keys sorted, two-space maps, list items at their key's indentation, strings plain unless
//! that would change their meaning, no trailing newline.

use serde_json::Value as J;

pub fn to_yaml(v: &J) -> String {
    let mut out = String::new();
    match v {
        J::Object(m) if !m.is_empty() => map(m, 0, &mut out),
        J::Array(a) if !a.is_empty() => seq(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out.truncate(out.trim_end_matches('\n').len());
    out
}

fn map(m: &serde_json::Map<String, J>, indent: usize, out: &mut String) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        let v = &m[k];
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(k));
        out.push(':');
        value(v, indent, indent + 2, out);
    }
}

fn seq(a: &[J], indent: usize, out: &mut String) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match v {
            J::Object(m) if !m.is_empty() => {
                // The first key on the dash's line, the rest under it.
                let mut inner = String::new();
                map(m, indent + 2, &mut inner);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            _ => value(v, indent, indent + 2, out),
        }
    }
}

/// After `key:` or `-`: a nested block on the next lines, or ` scalar`.
fn value(v: &J, seq_indent: usize, map_indent: usize, out: &mut String) {
    match v {
        J::Object(m) if !m.is_empty() => {
            out.push('\n');
            map(m, map_indent, out);
        }
        J::Array(a) if !a.is_empty() => {
            out.push('\n');
            seq(a, seq_indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(v: &J) -> String {
    match v {
        J::Null => "null".into(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => string(s),
        J::Object(_) => "{}".into(),
        J::Array(_) => "[]".into(),
    }
}

/// A string plain when a YAML 1.1 reader takes it back as the same string, else quoted.
fn string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else if s.chars().all(|c| !c.is_control()) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        serde_json::to_string(s).expect("a string serializes")
    }
}

fn is_plain_safe(s: &str) -> bool {
    if s.is_empty() || s != s.trim() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const SPECIAL: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf",
        "+.inf",
    ];
    if SPECIAL.contains(&lower.as_str()) {
        return false;
    }
    // Anything a YAML 1.1 reader takes for a number or a date (ints, floats, base prefixes,
    // sexagesimal, timestamps); `500m` or `v1.2` stay plain.
    let numeric =
        s.chars().all(|c| "0123456789_.:+-eE".contains(c)) && s.chars().any(|c| c.is_ascii_digit());
    let prefixed = ["0x", "0o", "0b", "-0x", "+0x"]
        .iter()
        .any(|p| lower.starts_with(p));
    let date = s.len() >= 10
        && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && s.as_bytes()[4] == b'-';
    if numeric || prefixed || date || s == "-" || s.starts_with("- ") {
        return false;
    }
    let first = s.chars().next().expect("not empty");
    if "!&*[]{}|>'\"%@`#,?:".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_is_helms() {
        let v = json!({"b": [1, "x", {"k": "v", "a": true}], "a": {"c": "yes", "d": "1.0"}, "e": {}, "f": []});
        assert_eq!(
            to_yaml(&v),
            "a:\n  c: 'yes'\n  d: '1.0'\nb:\n- 1\n- x\n- a: true\n  k: v\ne: {}\nf: []"
        );
    }

    #[test]
    fn strings_round_trip() {
        for s in [
            "a: b",
            "#x",
            "on",
            "",
            " lead",
            "multi\nline",
            "it's",
            "-1",
            "@a",
            "~",
        ] {
            let v = json!({ "k": s });
            let back = crate::yaml::parse_documents(&to_yaml(&v)).unwrap();
            assert_eq!(back, vec![v], "{s:?}");
        }
    }
}
