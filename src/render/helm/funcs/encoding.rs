//! Encodings: gotmpl values to and from JSON/YAML trees (Go's number and escaping rules),
//! base64 and sha256.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{TemplateError, Value};

use super::go_fmt::{go_float, strval};
use super::{R, arity, err, s};

/// A gotmpl value as JSON. Numbers from the values are float64 in Helm, and Go's encoder
/// writes integral ones without a fraction.
pub fn to_serde(v: &Value) -> Result<serde_json::Value, TemplateError> {
    use serde_json::Value as J;
    Ok(match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Uint(u) => J::from(*u),
        Value::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 {
                if f.abs() < 9.007_199_254_740_992e15 {
                    J::from(*f as i64)
                } else {
                    // Beyond 2^53: keep the float so the JSON text shows all its digits.
                    serde_json::Number::from_f64(*f)
                        .map(J::Number)
                        .ok_or_else(|| err("json: unsupported value"))?
                }
            } else {
                serde_json::Number::from_f64(*f)
                    .map(J::Number)
                    .ok_or_else(|| err(format!("json: unsupported value: {}", go_float(*f))))?
            }
        }
        Value::String(s) => J::String(s.to_string()),
        Value::List(l) => J::Array(l.iter().map(to_serde).collect::<Result<_, _>>()?),
        Value::Map(m) => J::Object(
            m.iter()
                .map(|(k, v)| Ok((k.to_string(), to_serde(v)?)))
                .collect::<Result<_, TemplateError>>()?,
        ),
        Value::Function(_) => return Err(err("json: unsupported type: func")),
    })
}

/// A JSON (or YAML) tree as gotmpl values: every number a float64, as Helm reads values.
pub fn from_serde(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Value::String(s.as_str().into()),
        J::Array(a) => Value::List(a.iter().map(from_serde).collect::<Vec<_>>().into()),
        J::Object(m) => Value::Map(Arc::new(
            m.iter()
                .map(|(k, v)| (Arc::from(k.as_str()), from_serde(v)))
                .collect(),
        )),
    }
}

/// Go's `json.Marshal` text: `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub(super) fn go_json(v: &serde_json::Value, pretty: bool, html_escape: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .expect("a JSON value serializes");
    if !html_escape {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn to_json(args: &[Value]) -> R {
    arity("toJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, false, true)))
}

pub(super) fn to_raw_json(args: &[Value]) -> R {
    arity("toRawJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, false, false)))
}

pub(super) fn to_pretty_json(args: &[Value]) -> R {
    arity("toPrettyJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, true, true)))
}

pub(super) fn from_json(args: &[Value]) -> R {
    arity("fromJson", args, 1)?;
    // Helm's fromJson puts the error in the result instead of failing.
    Ok(
        match serde_json::from_str::<serde_json::Value>(&strval(&args[0])) {
            Ok(v) => from_serde(&v),
            Err(e) => {
                let mut m = BTreeMap::new();
                m.insert(Arc::from("Error"), s(e.to_string()));
                Value::Map(Arc::new(m))
            }
        },
    )
}

pub(super) fn from_yaml(args: &[Value]) -> R {
    arity("fromYaml", args, 1)?;
    Ok(match crate::yaml::parse_documents(&strval(&args[0])) {
        Ok(docs) => docs
            .first()
            .map(from_serde)
            .unwrap_or_else(|| Value::Map(Arc::new(BTreeMap::new()))),
        Err(e) => {
            let mut m = BTreeMap::new();
            m.insert(Arc::from("Error"), s(e));
            Value::Map(Arc::new(m))
        }
    })
}

pub(super) fn to_yaml(args: &[Value]) -> R {
    arity("toYaml", args, 1)?;
    Ok(s(super::super::yaml::to_yaml(&to_serde(&args[0])?)))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(super) fn b64enc(args: &[Value]) -> R {
    arity("b64enc", args, 1)?;
    let bytes = strval(&args[0]).into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(s(out))
}

pub(super) fn b64dec(args: &[Value]) -> R {
    arity("b64dec", args, 1)?;
    let text = strval(&args[0]);
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let Some(v) = B64.iter().position(|b| *b == c) else {
            return Ok(s(format!(
                "illegal base64 data at input byte {}",
                out.len()
            )));
        };
        bits = bits << 6 | v as u32;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits & 0xff) as u8);
        }
    }
    Ok(s(String::from_utf8_lossy(&out).into_owned()))
}

pub(super) fn sha256sum(args: &[Value]) -> R {
    use sha2::{Digest, Sha256};
    arity("sha256sum", args, 1)?;
    Ok(s(Sha256::digest(strval(&args[0]).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()))
}
