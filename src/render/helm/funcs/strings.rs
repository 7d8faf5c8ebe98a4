//! Sprig's string functions: quoting, trimming, case, indenting, splitting and joining.

use gotmpl::Value;

use super::go_fmt::{go_quote, strval};
use super::lists::as_list;
use super::numbers::int_arg;
use super::{R, arity, err, s};

pub(super) fn quote(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| go_quote(&strval(a)))
        .collect::<Vec<_>>()
        .join(" ")))
}

pub(super) fn squote(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| format!("'{}'", strval(a)))
        .collect::<Vec<_>>()
        .join(" ")))
}

pub(super) fn to_string_fn(args: &[Value]) -> R {
    arity("toString", args, 1)?;
    Ok(s(strval(&args[0])))
}

pub(super) fn to_strings(args: &[Value]) -> R {
    arity("toStrings", args, 1)?;
    Ok(Value::List(
        as_list(&args[0])
            .iter()
            .map(|v| s(strval(v)))
            .collect::<Vec<_>>()
            .into(),
    ))
}

pub(super) fn str_arg(v: &Value) -> String {
    strval(v)
}

pub(super) fn indent_text(n: i64, text: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

pub(super) fn indent(args: &[Value]) -> R {
    arity("indent", args, 2)?;
    Ok(s(indent_text(
        int_arg("indent", &args[0])?,
        &str_arg(&args[1]),
    )))
}

pub(super) fn nindent(args: &[Value]) -> R {
    arity("nindent", args, 2)?;
    Ok(s(format!(
        "\n{}",
        indent_text(int_arg("nindent", &args[0])?, &str_arg(&args[1]))
    )))
}

pub(super) fn trim(args: &[Value]) -> R {
    arity("trim", args, 1)?;
    Ok(s(str_arg(&args[0]).trim()))
}

pub(super) fn trim_all(args: &[Value]) -> R {
    arity("trimAll", args, 2)?;
    let cut: Vec<char> = str_arg(&args[0]).chars().collect();
    Ok(s(str_arg(&args[1]).trim_matches(|c| cut.contains(&c))))
}

pub(super) fn trim_prefix(args: &[Value]) -> R {
    arity("trimPrefix", args, 2)?;
    let (p, t) = (str_arg(&args[0]), str_arg(&args[1]));
    Ok(s(t.strip_prefix(p.as_str()).unwrap_or(&t)))
}

pub(super) fn trim_suffix(args: &[Value]) -> R {
    arity("trimSuffix", args, 2)?;
    let (p, t) = (str_arg(&args[0]), str_arg(&args[1]));
    Ok(s(t.strip_suffix(p.as_str()).unwrap_or(&t)))
}

/// Sprig's `trunc`: the first n bytes (the last -n for a negative n), here never splitting a
/// character.
pub(super) fn trunc(args: &[Value]) -> R {
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

pub(super) fn upper(args: &[Value]) -> R {
    arity("upper", args, 1)?;
    Ok(s(str_arg(&args[0]).to_uppercase()))
}

pub(super) fn lower(args: &[Value]) -> R {
    arity("lower", args, 1)?;
    Ok(s(str_arg(&args[0]).to_lowercase()))
}

pub(super) fn title(args: &[Value]) -> R {
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

pub(super) fn replace(args: &[Value]) -> R {
    arity("replace", args, 3)?;
    Ok(s(
        str_arg(&args[2]).replace(&str_arg(&args[0]), &str_arg(&args[1]))
    ))
}

pub(super) fn contains(args: &[Value]) -> R {
    arity("contains", args, 2)?;
    Ok(Value::Bool(str_arg(&args[1]).contains(&str_arg(&args[0]))))
}

pub(super) fn has_prefix(args: &[Value]) -> R {
    arity("hasPrefix", args, 2)?;
    Ok(Value::Bool(
        str_arg(&args[1]).starts_with(&str_arg(&args[0])),
    ))
}

pub(super) fn has_suffix(args: &[Value]) -> R {
    arity("hasSuffix", args, 2)?;
    Ok(Value::Bool(str_arg(&args[1]).ends_with(&str_arg(&args[0]))))
}

pub(super) fn repeat(args: &[Value]) -> R {
    arity("repeat", args, 2)?;
    let n = int_arg("repeat", &args[0])?;
    if !(0..=10_000).contains(&n) {
        return Err(err(format!("repeat: count {n} out of range")));
    }
    Ok(s(str_arg(&args[1]).repeat(n as usize)))
}

pub(super) fn substr(args: &[Value]) -> R {
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

pub(super) fn nospace(args: &[Value]) -> R {
    arity("nospace", args, 1)?;
    Ok(s(str_arg(&args[0])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()))
}

pub(super) fn cat(args: &[Value]) -> R {
    Ok(s(args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(strval)
        .collect::<Vec<_>>()
        .join(" ")))
}

pub(super) fn split_list(args: &[Value]) -> R {
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

pub(super) fn join(args: &[Value]) -> R {
    arity("join", args, 2)?;
    Ok(s(as_list(&args[1])
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(strval)
        .collect::<Vec<_>>()
        .join(&str_arg(&args[0]))))
}
