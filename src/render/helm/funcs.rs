//! The Helm and Sprig functions that chart templates call, over `gotmpl` values.
//!
//! Only what the embedded templates and ordinary team templates use is here. Anything else is
//! refused before rendering ([`is_supported`]), because a function that behaved a little
//! differently from Helm's would make `k8s/` silently differ from the chart. Functions that
//! mutate their argument in Go (`set`, `unset`, `merge`) are deliberately absent: gotmpl values
//! are immutable, so the mutation would be lost without an error.
//!
//! Go passes a piped value as the *last* argument, which is why most string functions take
//! their subject last.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, TemplateError, Value};

type R = Result<Value, TemplateError>;

/// Go's `text/template` builtins, which gotmpl provides.
const BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Helm's own functions that need the chart (registered by the chart renderer).
pub const CHART_FUNCS: &[&str] = &["include", "tpl"];

/// Whether a template may call `name`.
pub fn is_supported(name: &str) -> bool {
    BUILTINS.contains(&name) || CHART_FUNCS.contains(&name) || SPRIG.iter().any(|(n, _)| *n == name)
}

type F = fn(&[Value]) -> R;

/// Every Sprig/Helm function implemented here, by name.
const SPRIG: &[(&str, F)] = &[
    ("quote", quote),
    ("squote", squote),
    ("toString", to_string_fn),
    ("toStrings", to_strings),
    ("toJson", to_json),
    ("toRawJson", to_raw_json),
    ("toPrettyJson", to_pretty_json),
    ("mustToJson", to_json),
    ("fromJson", from_json),
    ("toYaml", to_yaml),
    ("mustToYaml", to_yaml),
    ("fromYaml", from_yaml),
    ("indent", indent),
    ("nindent", nindent),
    ("trim", trim),
    ("trimAll", trim_all),
    ("trimPrefix", trim_prefix),
    ("trimSuffix", trim_suffix),
    ("trunc", trunc),
    ("upper", upper),
    ("lower", lower),
    ("title", title),
    ("replace", replace),
    ("contains", contains),
    ("hasPrefix", has_prefix),
    ("hasSuffix", has_suffix),
    ("repeat", repeat),
    ("substr", substr),
    ("nospace", nospace),
    ("cat", cat),
    ("splitList", split_list),
    ("join", join),
    ("default", default),
    ("empty", empty_fn),
    ("coalesce", coalesce),
    ("ternary", ternary),
    ("required", required),
    ("fail", fail),
    ("int", to_int),
    ("int64", to_int),
    ("atoi", to_int),
    ("float64", to_float),
    ("toDecimal", to_int),
    ("add", add),
    ("add1", add1),
    ("sub", sub),
    ("mul", mul),
    ("div", div),
    ("mod", modulo),
    ("max", max),
    ("min", min),
    ("dict", dict),
    ("list", list),
    ("tuple", list),
    ("hasKey", has_key),
    ("get", get),
    ("keys", keys),
    ("pick", pick),
    ("omit", omit),
    ("first", first),
    ("last", last),
    ("rest", rest),
    ("initial", initial),
    ("append", append),
    ("mustAppend", append),
    ("prepend", prepend),
    ("concat", concat),
    ("has", has),
    ("without", without),
    ("uniq", uniq),
    ("compact", compact),
    ("reverse", reverse),
    ("sortAlpha", sort_alpha),
    ("until", until),
    ("deepCopy", deep_copy),
    ("kindOf", kind_of),
    ("kindIs", kind_is),
    ("typeOf", type_of),
    ("b64enc", b64enc),
    ("b64dec", b64dec),
    ("sha256sum", sha256sum),
    ("lookup", lookup),
];

/// The functions as a gotmpl function map (without the chart's own `include` and `tpl`).
pub fn func_map() -> FuncMap {
    let mut m = FuncMap::new();
    for (name, f) in SPRIG {
        let f = *f;
        m.insert((*name).to_string(), Arc::new(f));
    }
    m
}

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError::Exec(msg.into())
}

fn arity(name: &str, args: &[Value], n: usize) -> Result<(), TemplateError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(TemplateError::ArgCount {
            name: name.to_string(),
            expected: n,
            got: args.len(),
        })
    }
}

fn s(v: impl Into<Arc<str>>) -> Value {
    Value::String(v.into())
}

/// Sprig's `strval`: strings as they are, anything else as Go's `%v` prints it.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Nil => "<nil>".into(),
        Value::List(l) => format!("[{}]", l.iter().map(strval).collect::<Vec<_>>().join(" ")),
        Value::Map(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", strval(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => other.to_string(),
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the exponent form from
/// 1e+06 up, as `helm template` prints an unconverted number from the values.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let sci = format!("{:e}", f.abs());
    let (mant, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let rest = &digits[1..];
        let mant = if rest.is_empty() {
            digits[..1].to_string()
        } else {
            format!("{}.{rest}", &digits[..1])
        };
        let (esign, eabs) = if exp < 0 { ('-', -exp) } else { ('+', exp) };
        return format!("{sign}{mant}e{esign}{eabs:02}");
    }
    // Fixed notation with exactly the shortest digits.
    let dp = exp + 1;
    let text = if dp <= 0 {
        format!("0.{}{digits}", "0".repeat((-dp) as usize))
    } else if (dp as usize) >= digits.len() {
        format!("{digits}{}", "0".repeat(dp as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    };
    format!("{sign}{text}")
}

/// Go's `strconv.Quote`.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !is_go_printable(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`, close enough: no control, format or separator characters but the
/// ASCII space.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xD800..=0xDFFF | 0xE000..=0xF8FF)
}

fn quote(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| go_quote(&strval(a)))
        .collect::<Vec<_>>()
        .join(" ")))
}

fn squote(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| format!("'{}'", strval(a)))
        .collect::<Vec<_>>()
        .join(" ")))
}

fn to_string_fn(args: &[Value]) -> R {
    arity("toString", args, 1)?;
    Ok(s(strval(&args[0])))
}

fn to_strings(args: &[Value]) -> R {
    arity("toStrings", args, 1)?;
    Ok(Value::List(
        as_list(&args[0])
            .iter()
            .map(|v| s(strval(v)))
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.to_vec(),
        Value::Nil => Vec::new(),
        other => vec![other.clone()],
    }
}

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
fn go_json(v: &serde_json::Value, pretty: bool, html_escape: bool) -> String {
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

fn to_json(args: &[Value]) -> R {
    arity("toJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, false, true)))
}

fn to_raw_json(args: &[Value]) -> R {
    arity("toRawJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, false, false)))
}

fn to_pretty_json(args: &[Value]) -> R {
    arity("toPrettyJson", args, 1)?;
    Ok(s(go_json(&to_serde(&args[0])?, true, true)))
}

fn from_json(args: &[Value]) -> R {
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

fn from_yaml(args: &[Value]) -> R {
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

fn to_yaml(args: &[Value]) -> R {
    arity("toYaml", args, 1)?;
    Ok(s(super::yaml::to_yaml(&to_serde(&args[0])?)))
}

fn int_arg(name: &str, v: &Value) -> Result<i64, TemplateError> {
    Ok(match v {
        Value::Int(i) => *i,
        Value::Uint(u) => *u as i64,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => *b as i64,
        Value::Nil => 0,
        Value::String(t) => parse_int(t).unwrap_or(0),
        _ => {
            return Err(err(format!(
                "{name}: expected a number, got {}",
                v.type_name()
            )));
        }
    })
}

/// `cast.ToInt64` of a string: base prefixes allowed, anything else 0.
fn parse_int(t: &str) -> Option<i64> {
    let t = t.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

fn str_arg(v: &Value) -> String {
    strval(v)
}

fn indent_text(n: i64, text: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

fn indent(args: &[Value]) -> R {
    arity("indent", args, 2)?;
    Ok(s(indent_text(
        int_arg("indent", &args[0])?,
        &str_arg(&args[1]),
    )))
}

fn nindent(args: &[Value]) -> R {
    arity("nindent", args, 2)?;
    Ok(s(format!(
        "\n{}",
        indent_text(int_arg("nindent", &args[0])?, &str_arg(&args[1]))
    )))
}

fn trim(args: &[Value]) -> R {
    arity("trim", args, 1)?;
    Ok(s(str_arg(&args[0]).trim()))
}

fn trim_all(args: &[Value]) -> R {
    arity("trimAll", args, 2)?;
    let cut: Vec<char> = str_arg(&args[0]).chars().collect();
    Ok(s(str_arg(&args[1]).trim_matches(|c| cut.contains(&c))))
}

fn trim_prefix(args: &[Value]) -> R {
    arity("trimPrefix", args, 2)?;
    let (p, t) = (str_arg(&args[0]), str_arg(&args[1]));
    Ok(s(t.strip_prefix(p.as_str()).unwrap_or(&t)))
}

fn trim_suffix(args: &[Value]) -> R {
    arity("trimSuffix", args, 2)?;
    let (p, t) = (str_arg(&args[0]), str_arg(&args[1]));
    Ok(s(t.strip_suffix(p.as_str()).unwrap_or(&t)))
}

/// Sprig's `trunc`: the first n bytes (the last -n for a negative n), here never splitting a
/// character.
fn trunc(args: &[Value]) -> R {
    arity("trunc", args, 2)?;
    let n = int_arg("trunc", &args[0])?;
    let t = str_arg(&args[1]);
    let len = t.len() as i64;
    let out = if n >= 0 {
        let mut end = n.min(len) as usize;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        &t[..end]
    } else {
        let mut start = (len + n).max(0) as usize;
        while !t.is_char_boundary(start) {
            start += 1;
        }
        &t[start..]
    };
    Ok(s(out))
}

fn upper(args: &[Value]) -> R {
    arity("upper", args, 1)?;
    Ok(s(str_arg(&args[0]).to_uppercase()))
}

fn lower(args: &[Value]) -> R {
    arity("lower", args, 1)?;
    Ok(s(str_arg(&args[0]).to_lowercase()))
}

fn title(args: &[Value]) -> R {
    arity("title", args, 1)?;
    let mut out = String::new();
    let mut start = true;
    for c in str_arg(&args[0]).chars() {
        if start && c.is_alphanumeric() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric() && c != '\'' && c != '_';
    }
    Ok(s(out))
}

fn replace(args: &[Value]) -> R {
    arity("replace", args, 3)?;
    Ok(s(
        str_arg(&args[2]).replace(&str_arg(&args[0]), &str_arg(&args[1]))
    ))
}

fn contains(args: &[Value]) -> R {
    arity("contains", args, 2)?;
    Ok(Value::Bool(str_arg(&args[1]).contains(&str_arg(&args[0]))))
}

fn has_prefix(args: &[Value]) -> R {
    arity("hasPrefix", args, 2)?;
    Ok(Value::Bool(
        str_arg(&args[1]).starts_with(&str_arg(&args[0])),
    ))
}

fn has_suffix(args: &[Value]) -> R {
    arity("hasSuffix", args, 2)?;
    Ok(Value::Bool(str_arg(&args[1]).ends_with(&str_arg(&args[0]))))
}

fn repeat(args: &[Value]) -> R {
    arity("repeat", args, 2)?;
    let n = int_arg("repeat", &args[0])?;
    if !(0..=10_000).contains(&n) {
        return Err(err(format!("repeat: count {n} out of range")));
    }
    Ok(s(str_arg(&args[1]).repeat(n as usize)))
}

fn substr(args: &[Value]) -> R {
    arity("substr", args, 3)?;
    let t = str_arg(&args[2]);
    let len = t.len() as i64;
    let start = int_arg("substr", &args[0])?;
    let end = int_arg("substr", &args[1])?;
    let (start, end) = (
        if start < 0 { 0 } else { start.min(len) },
        if end < 0 || end > len { len } else { end },
    );
    if start > end {
        return Ok(s(""));
    }
    Ok(s(t
        .get(start as usize..end as usize)
        .ok_or_else(|| err("substr: splits a character"))?))
}

fn nospace(args: &[Value]) -> R {
    arity("nospace", args, 1)?;
    Ok(s(str_arg(&args[0])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()))
}

fn cat(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(strval)
        .collect::<Vec<_>>()
        .join(" ")))
}

fn split_list(args: &[Value]) -> R {
    arity("splitList", args, 2)?;
    let sep = str_arg(&args[0]);
    let t = str_arg(&args[1]);
    let parts: Vec<Value> = if sep.is_empty() {
        t.chars().map(|c| s(c.to_string())).collect()
    } else {
        t.split(sep.as_str()).map(s).collect()
    };
    Ok(Value::List(parts.into()))
}

fn join(args: &[Value]) -> R {
    arity("join", args, 2)?;
    Ok(s(as_list(&args[1])
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(strval)
        .collect::<Vec<_>>()
        .join(&str_arg(&args[0]))))
}

/// Sprig's `empty`: nil, false, 0, "" and empty collections.
pub fn is_empty(v: &Value) -> bool {
    !v.is_truthy() && !matches!(v, Value::Function(_))
}

fn default(args: &[Value]) -> R {
    match args {
        [d] => Ok(d.clone()),
        [d, given] => Ok(if is_empty(given) {
            d.clone()
        } else {
            given.clone()
        }),
        _ => Err(TemplateError::ArgCount {
            name: "default".into(),
            expected: 2,
            got: args.len(),
        }),
    }
}

fn empty_fn(args: &[Value]) -> R {
    arity("empty", args, 1)?;
    Ok(Value::Bool(is_empty(&args[0])))
}

fn coalesce(args: &[Value]) -> R {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::Nil))
}

fn ternary(args: &[Value]) -> R {
    arity("ternary", args, 3)?;
    Ok(if args[2].is_truthy() {
        args[0].clone()
    } else {
        args[1].clone()
    })
}

fn required(args: &[Value]) -> R {
    arity("required", args, 2)?;
    match &args[1] {
        Value::Nil => Err(err(strval(&args[0]))),
        Value::String(t) if t.is_empty() => Err(err(strval(&args[0]))),
        v => Ok(v.clone()),
    }
}

fn fail(args: &[Value]) -> R {
    arity("fail", args, 1)?;
    Err(err(strval(&args[0])))
}

fn to_int(args: &[Value]) -> R {
    arity("int", args, 1)?;
    Ok(Value::Int(int_arg("int", &args[0])?))
}

fn to_float(args: &[Value]) -> R {
    arity("float64", args, 1)?;
    Ok(Value::Float(match &args[0] {
        Value::Int(i) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        Value::String(t) => t.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }))
}

fn ints(name: &str, args: &[Value]) -> Result<Vec<i64>, TemplateError> {
    args.iter().map(|a| int_arg(name, a)).collect()
}

fn add(args: &[Value]) -> R {
    Ok(Value::Int(
        ints("add", args)?.into_iter().fold(0i64, i64::wrapping_add),
    ))
}

fn add1(args: &[Value]) -> R {
    arity("add1", args, 1)?;
    Ok(Value::Int(int_arg("add1", &args[0])?.wrapping_add(1)))
}

fn sub(args: &[Value]) -> R {
    arity("sub", args, 2)?;
    let v = ints("sub", args)?;
    Ok(Value::Int(v[0].wrapping_sub(v[1])))
}

fn mul(args: &[Value]) -> R {
    Ok(Value::Int(
        ints("mul", args)?.into_iter().fold(1i64, i64::wrapping_mul),
    ))
}

fn div(args: &[Value]) -> R {
    arity("div", args, 2)?;
    let v = ints("div", args)?;
    v[0].checked_div(v[1])
        .map(Value::Int)
        .ok_or_else(|| err("div: integer divide by zero"))
}

fn modulo(args: &[Value]) -> R {
    arity("mod", args, 2)?;
    let v = ints("mod", args)?;
    v[0].checked_rem(v[1])
        .map(Value::Int)
        .ok_or_else(|| err("mod: integer divide by zero"))
}

fn max(args: &[Value]) -> R {
    ints("max", args)?
        .into_iter()
        .max()
        .map(Value::Int)
        .ok_or_else(|| err("max: no arguments"))
}

fn min(args: &[Value]) -> R {
    ints("min", args)?
        .into_iter()
        .min()
        .map(Value::Int)
        .ok_or_else(|| err("min: no arguments"))
}

fn map_of(v: &Value) -> BTreeMap<Arc<str>, Value> {
    match v {
        Value::Map(m) => (**m).clone(),
        _ => BTreeMap::new(),
    }
}

fn dict(args: &[Value]) -> R {
    let mut m = BTreeMap::new();
    for pair in args.chunks(2) {
        let key: Arc<str> = strval(&pair[0]).into();
        m.insert(key, pair.get(1).cloned().unwrap_or_else(|| s("")));
    }
    Ok(Value::Map(Arc::new(m)))
}

fn list(args: &[Value]) -> R {
    Ok(Value::List(args.to_vec().into()))
}

fn has_key(args: &[Value]) -> R {
    arity("hasKey", args, 2)?;
    Ok(Value::Bool(
        map_of(&args[0]).contains_key(strval(&args[1]).as_str()),
    ))
}

fn get(args: &[Value]) -> R {
    arity("get", args, 2)?;
    Ok(map_of(&args[0])
        .get(strval(&args[1]).as_str())
        .cloned()
        .unwrap_or_else(|| s("")))
}

/// Sprig returns the keys in Go's random map order; sorted here, which is one of those orders.
fn keys(args: &[Value]) -> R {
    let mut out: Vec<Value> = Vec::new();
    for a in args {
        out.extend(map_of(a).keys().map(|k| Value::String(k.clone())));
    }
    Ok(Value::List(out.into()))
}

fn pick(args: &[Value]) -> R {
    let Some((m, names)) = args.split_first() else {
        return Err(err("pick: no arguments"));
    };
    let names: Vec<String> = names.iter().map(strval).collect();
    Ok(Value::Map(Arc::new(
        map_of(m)
            .into_iter()
            .filter(|(k, _)| names.iter().any(|n| n.as_str() == &**k))
            .collect(),
    )))
}

fn omit(args: &[Value]) -> R {
    let Some((m, names)) = args.split_first() else {
        return Err(err("omit: no arguments"));
    };
    let names: Vec<String> = names.iter().map(strval).collect();
    Ok(Value::Map(Arc::new(
        map_of(m)
            .into_iter()
            .filter(|(k, _)| !names.iter().any(|n| n.as_str() == &**k))
            .collect(),
    )))
}

fn first(args: &[Value]) -> R {
    arity("first", args, 1)?;
    Ok(as_list(&args[0]).first().cloned().unwrap_or(Value::Nil))
}

fn last(args: &[Value]) -> R {
    arity("last", args, 1)?;
    Ok(as_list(&args[0]).last().cloned().unwrap_or(Value::Nil))
}

fn rest(args: &[Value]) -> R {
    arity("rest", args, 1)?;
    let l = as_list(&args[0]);
    Ok(Value::List(l.get(1..).unwrap_or_default().to_vec().into()))
}

fn initial(args: &[Value]) -> R {
    arity("initial", args, 1)?;
    let l = as_list(&args[0]);
    Ok(Value::List(l[..l.len().saturating_sub(1)].to_vec().into()))
}

fn append(args: &[Value]) -> R {
    arity("append", args, 2)?;
    let mut l = as_list(&args[0]);
    l.push(args[1].clone());
    Ok(Value::List(l.into()))
}

fn prepend(args: &[Value]) -> R {
    arity("prepend", args, 2)?;
    let mut l = vec![args[1].clone()];
    l.extend(as_list(&args[0]));
    Ok(Value::List(l.into()))
}

fn concat(args: &[Value]) -> R {
    Ok(Value::List(
        args.iter().flat_map(as_list).collect::<Vec<_>>().into(),
    ))
}

fn has(args: &[Value]) -> R {
    arity("has", args, 2)?;
    Ok(Value::Bool(as_list(&args[1]).iter().any(|v| v == &args[0])))
}

fn without(args: &[Value]) -> R {
    let Some((l, drop)) = args.split_first() else {
        return Err(err("without: no arguments"));
    };
    Ok(Value::List(
        as_list(l)
            .into_iter()
            .filter(|v| !drop.contains(v))
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn uniq(args: &[Value]) -> R {
    arity("uniq", args, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for v in as_list(&args[0]) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Value::List(out.into()))
}

fn compact(args: &[Value]) -> R {
    arity("compact", args, 1)?;
    Ok(Value::List(
        as_list(&args[0])
            .into_iter()
            .filter(|v| !is_empty(v))
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn reverse(args: &[Value]) -> R {
    arity("reverse", args, 1)?;
    let mut l = as_list(&args[0]);
    l.reverse();
    Ok(Value::List(l.into()))
}

fn sort_alpha(args: &[Value]) -> R {
    arity("sortAlpha", args, 1)?;
    let mut l: Vec<String> = as_list(&args[0]).iter().map(strval).collect();
    l.sort();
    Ok(Value::List(l.into_iter().map(s).collect::<Vec<_>>().into()))
}

fn until(args: &[Value]) -> R {
    arity("until", args, 1)?;
    let n = int_arg("until", &args[0])?;
    if n > 100_000 {
        return Err(err(format!("until: {n} is too many")));
    }
    Ok(Value::List(
        (0..n.max(0)).map(Value::Int).collect::<Vec<_>>().into(),
    ))
}

fn deep_copy(args: &[Value]) -> R {
    arity("deepCopy", args, 1)?;
    Ok(args[0].clone())
}

fn go_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Uint(_) => "uint64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
        Value::Function(_) => "func",
    }
}

fn kind_of(args: &[Value]) -> R {
    arity("kindOf", args, 1)?;
    Ok(s(go_kind(&args[0])))
}

fn kind_is(args: &[Value]) -> R {
    arity("kindIs", args, 2)?;
    Ok(Value::Bool(strval(&args[0]) == go_kind(&args[1])))
}

fn type_of(args: &[Value]) -> R {
    arity("typeOf", args, 1)?;
    Ok(s(match &args[0] {
        Value::Nil => "<nil>",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        v => go_kind(v),
    }))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64enc(args: &[Value]) -> R {
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

fn b64dec(args: &[Value]) -> R {
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

fn sha256sum(args: &[Value]) -> R {
    use sha2::{Digest, Sha256};
    arity("sha256sum", args, 1)?;
    Ok(s(Sha256::digest(strval(&args[0]).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()))
}

/// `helm template` has no cluster to look in: `lookup` gives an empty map, as there.
fn lookup(args: &[Value]) -> R {
    arity("lookup", args, 4)?;
    Ok(Value::Map(Arc::new(BTreeMap::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        for (f, want) in [
            (3.0, "3"),
            (10001.0, "10001"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e21, "-2.5e+21"),
        ] {
            assert_eq!(go_float(f), want, "{f}");
        }
    }

    #[test]
    fn quoting_and_json_match_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
        assert_eq!(
            to_json(&[s("<a&b>")]).unwrap(),
            s("\"\\u003ca\\u0026b\\u003e\"")
        );
        assert_eq!(to_json(&[Value::Float(3.0)]).unwrap(), s("3"));
        assert_eq!(b64enc(&[s("hello!?")]).unwrap(), s("aGVsbG8hPw=="));
        assert_eq!(b64dec(&[s("aGVsbG8hPw==")]).unwrap(), s("hello!?"));
    }

    #[test]
    fn sprig_argument_order() {
        assert_eq!(trunc(&[Value::Int(3), s("abcdef")]).unwrap(), s("abc"));
        assert_eq!(trim_suffix(&[s("-"), s("ab-")]).unwrap(), s("ab"));
        assert_eq!(replace(&[s("+"), s("_"), s("1+2")]).unwrap(), s("1_2"));
        assert_eq!(default(&[s("d"), s("")]).unwrap(), s("d"));
        assert_eq!(default(&[s("d"), s("x")]).unwrap(), s("x"));
        assert_eq!(
            nindent(&[Value::Int(2), s("a\nb")]).unwrap(),
            s("\n  a\n  b")
        );
        assert!(required(&[s("need x"), Value::Nil]).is_err());
        assert_eq!(to_int(&[s("0x10")]).unwrap(), Value::Int(16));
    }
}
