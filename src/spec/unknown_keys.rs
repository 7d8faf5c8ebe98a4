//! Every unknown key of a file at once, each with its line and a "did you mean".
//!
//! The parser stops at the first unknown field (`deny_unknown_fields`), so the spec types accept
//! unknown keys and this module finds them instead: the text is read a second time into an
//! outline (mappings, lists and leaves, no types), which is walked along the JSON Schema derived
//! from those same types (where `additionalProperties` is `false`, a key must be a property).
//! One source, the types, decides what is known; the line of each key is read off the text by
//! [`super::locate`].

use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::error::{Diagnostic, ErrorKind};
use super::locate;
use super::names::did_you_mean;

/// A document's shape: keys and nesting, nothing else.
enum Outline {
    Map(Vec<(String, Outline)>),
    Seq(Vec<Outline>),
    Leaf,
}

impl<'de> Deserialize<'de> for Outline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OutlineVisitor)
    }
}

struct OutlineVisitor;

macro_rules! leaf {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name<E>(self, _: $ty) -> Result<Outline, E> {
            Ok(Outline::Leaf)
        }
    )*};
}

impl<'de> Visitor<'de> for OutlineVisitor {
    type Value = Outline;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    leaf!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str,
          visit_i128: i128, visit_u128: u128, visit_bytes: &[u8]);
    fn visit_unit<E>(self) -> Result<Outline, E> {
        Ok(Outline::Leaf)
    }
    fn visit_none<E>(self) -> Result<Outline, E> {
        Ok(Outline::Leaf)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Outline, D::Error> {
        Outline::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Outline, D::Error> {
        Outline::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outline, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Outline::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<KeyText, Outline>()? {
            entries.push((k.0, v));
        }
        Ok(Outline::Map(entries))
    }
}

/// A mapping key as text, whatever scalar it was written as.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a scalar key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The spec's schema, generated once per process.
fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(crate::schema::spec_schema)
}

/// Which document the text is: a whole spec, or an org defaults file (a `defaults:` block).
#[derive(Clone, Copy)]
pub(super) enum Root {
    Spec,
    Defaults,
}

/// An unknown key's diagnostic, and the known field it most likely meant.
#[derive(Debug, Clone)]
pub(super) struct UnknownKey {
    pub diagnostic: Diagnostic,
    /// The path of the field it most likely meant (`services.api.image` for `imgae`).
    pub meant: Option<String>,
}

/// At most this many unknown keys are reported (and given hints): a generated or hostile file
/// gets the first ones.
const MAX_REPORTED: usize = 100;

/// The unknown keys of `text`, in the order written. Text that does not parse yields none: the
/// parser reports it.
pub(super) fn find(text: &str, root: Root, options: serde_saphyr::Options) -> Vec<UnknownKey> {
    let Ok(outline) = serde_saphyr::from_str_with_options::<Outline>(text, options) else {
        return Vec::new();
    };
    let schema = schema();
    let root_schema = match root {
        Root::Spec => schema,
        Root::Defaults => &schema["definitions"]["DefaultsSpec"],
    };
    let mut found = Vec::new();
    walk(schema, root_schema, &outline, &mut Vec::new(), &mut found);
    if found.is_empty() {
        return Vec::new();
    }
    let keys = locate::key_positions(text);
    found
        .into_iter()
        .map(|(steps, key, known)| {
            let parent = locate::render(&steps);
            let path = if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            };
            let (line, column) = keys
                .get(&path)
                .or_else(|| keys.get(&parent))
                .copied()
                .unwrap_or_else(|| first_content(text));
            let list = known.join(", ");
            let meant = did_you_mean(&key, known.iter().map(String::as_str));
            let hint = match meant {
                Some(s) => format!("did you mean `{s}`? (known fields here: {list})"),
                None if list.is_empty() => "no fields are expected here".into(),
                None => format!("known fields here: {list}"),
            };
            UnknownKey {
                meant: meant.map(|m| {
                    if parent.is_empty() {
                        m.to_string()
                    } else {
                        format!("{parent}.{m}")
                    }
                }),
                diagnostic: Diagnostic {
                    kind: ErrorKind::UnknownField,
                    message: format!("unknown field `{}`", super::error::printable(&key)),
                    path,
                    line,
                    column,
                    hint: Some(hint),
                },
            }
        })
        .collect()
}

/// Where a key the text scanner cannot place (an explicit `? key`, an empty key) is reported:
/// the first line that holds anything but comments and document markers.
fn first_content(text: &str) -> (u32, u32) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            let t = l.trim_start();
            let blank =
                t.is_empty() || t.starts_with('#') || t.starts_with("---") || t.starts_with('%');
            (!blank).then(|| (i as u32 + 1, (l.len() - t.len()) as u32 + 1))
        })
        .unwrap_or((1, 1))
}

/// An unknown key: the path of its mapping, the key, the keys known there.
type Unknown = (Vec<locate::Step>, String, Vec<String>);

fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    // `#/definitions/Name`; a few hops at most (schemars does not chain refs).
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix("#/definitions/") {
                Some(name) => node = &root["definitions"][name],
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// The alternative of `node` that describes `outline`'s kind (an `Option<T>` is `anyOf [T, null]`),
/// through nested choices.
fn pick<'a>(root: &'a Value, node: &'a Value, outline: &Outline) -> &'a Value {
    let node = resolve(root, node);
    let Some(alternatives) = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(Value::as_array)
    else {
        return node;
    };
    let wanted = match outline {
        Outline::Map(_) => "object",
        Outline::Seq(_) => "array",
        Outline::Leaf => return node,
    };
    // An alternative may itself be a choice (`Option<ProbeSetting>`: a probe or `none`).
    alternatives
        .iter()
        .map(|a| pick(root, a, outline))
        .find(|a| {
            let ty = a.get("type");
            ty.and_then(Value::as_str) == Some(wanted)
                || ty
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.iter().any(|t| t == wanted))
                || (wanted == "object" && a.get("properties").is_some())
        })
        .unwrap_or(node)
}

fn walk(
    root: &Value,
    node: &Value,
    outline: &Outline,
    at: &mut Vec<locate::Step>,
    found: &mut Vec<Unknown>,
) {
    let node = pick(root, node, outline);
    let step = |seg| locate::Step {
        seg,
        line: 0,
        column: 0,
    };
    match outline {
        Outline::Map(entries) => {
            let properties = node.get("properties").and_then(Value::as_object);
            let additional = node.get("additionalProperties");
            for (key, value) in entries {
                let child = match properties.and_then(|p| p.get(key)) {
                    Some(schema) => schema,
                    None => match additional {
                        Some(Value::Bool(false)) => {
                            if found.len() >= MAX_REPORTED {
                                continue;
                            }
                            let known = properties
                                .map(|p| p.keys().cloned().collect())
                                .unwrap_or_default();
                            found.push((at.clone(), key.clone(), known));
                            continue;
                        }
                        Some(schema @ Value::Object(_)) => schema,
                        _ => continue,
                    },
                };
                at.push(step(locate::Seg::Key(key.clone())));
                walk(root, child, value, at, found);
                at.pop();
            }
        }
        Outline::Seq(items) => {
            let Some(schema) = node.get("items") else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                at.push(step(locate::Seg::Index(i)));
                walk(root, schema, item, at, found);
                at.pop();
            }
        }
        Outline::Leaf => {}
    }
}
