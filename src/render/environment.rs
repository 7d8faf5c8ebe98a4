//! The minijinja environment: custom delimiters, strict undefined, no auto-escaping, and the
//! `tojson` / `toyaml` filters templates quote YAML with.

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use super::error::from_minijinja;
use super::templates::JINJA_SUFFIX;
use super::{RenderError, TemplateSet};

/// Builds the minijinja environment over a template set.
pub fn environment(set: &TemplateSet) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .keep_trailing_newline(true)
        .build()
        .expect("static delimiters are valid");
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_filter("tojson", tojson);
    env.add_filter("toyaml", toyaml);
    for (path, t) in &set.templates {
        if path.ends_with(JINJA_SUFFIX) {
            env.add_template_owned(path.clone(), t.source.clone())
                .map_err(|e| from_minijinja(&e, path, set))?;
        }
    }
    Ok(env)
}

/// JSON without HTML escaping: every JSON string is a valid YAML double-quoted scalar, so this
/// is how templates write a free string that must stay a string.
fn tojson(value: Value, indent: Option<usize>) -> Result<Value, minijinja::Error> {
    let json = serde_json::to_value(&value).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "cannot serialize to JSON",
        )
        .with_source(e)
    })?;
    let text = match indent {
        Some(n) if n > 0 => {
            let mut buf = Vec::new();
            let indent_str = " ".repeat(n);
            let fmt = serde_json::ser::PrettyFormatter::with_indent(indent_str.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
            json.serialize(&mut ser).expect("a JSON value serializes");
            String::from_utf8(buf).expect("JSON is UTF-8")
        }
        _ => {
            let mut buf = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, SpacedFormatter);
            json.serialize(&mut ser).expect("a JSON value serializes");
            String::from_utf8(buf).expect("JSON is UTF-8")
        }
    };
    Ok(Value::from_safe_string(yaml_safe_json(text)))
}

/// JSON text that YAML readers take back unchanged. serde_json escapes only C0 controls, but a
/// YAML stream may not carry DEL, C1 controls, U+FFFE/U+FFFF or a BOM raw (Helm, Compose and
/// kubectl refuse the file), and YAML 1.1 readers (go-yaml) take NEL, LS and PS for line breaks
/// and fold them into spaces. Outside strings JSON is ASCII, so escaping these characters
/// wherever they appear only touches string contents; `\uXXXX` means the same in JSON and in
/// a YAML double-quoted scalar.
pub fn yaml_safe_json(text: String) -> String {
    let unsafe_char = |c: char| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
    };
    if !text.chars().any(unsafe_char) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One-line JSON with a space after `,` and `:`, the flow style YAML linters expect.
struct SpacedFormatter;

impl serde_json::ser::Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// A value as a YAML block (no document marker, no trailing newline). serde-saphyr quotes
/// strings that YAML 1.1 readers such as go-yaml would take for booleans or numbers.
fn toyaml(value: Value) -> Result<Value, minijinja::Error> {
    let json = serde_json::to_value(&value).map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "cannot serialize")
            .with_source(e)
    })?;
    let text = crate::yaml::to_block(&json);
    Ok(Value::from_safe_string(text))
}
