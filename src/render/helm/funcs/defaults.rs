//! Defaults and failure: Sprig's `empty`/`default`/`coalesce`/`ternary`, Helm's `required`
//! and `fail`.

use gotmpl::{TemplateError, Value};

use super::go_fmt::strval;
use super::{R, arity, err};

/// Sprig's `empty`: nil, false, 0, "" and empty collections.
pub fn is_empty(v: &Value) -> bool {
    !v.is_truthy() && !matches!(v, Value::Function(_))
}

pub(super) fn default(args: &[Value]) -> R {
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

pub(super) fn empty_fn(args: &[Value]) -> R {
    arity("empty", args, 1)?;
    Ok(Value::Bool(is_empty(&args[0])))
}

pub(super) fn coalesce(args: &[Value]) -> R {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::Nil))
}

pub(super) fn ternary(args: &[Value]) -> R {
    arity("ternary", args, 3)?;
    Ok(if args[2].is_truthy() {
        args[0].clone()
    } else {
        args[1].clone()
    })
}

pub(super) fn required(args: &[Value]) -> R {
    arity("required", args, 2)?;
    match &args[1] {
        Value::Nil => Err(err(strval(&args[0]))),
        Value::String(t) if t.is_empty() => Err(err(strval(&args[0]))),
        v => Ok(v.clone()),
    }
}

pub(super) fn fail(args: &[Value]) -> R {
    arity("fail", args, 1)?;
    Err(err(strval(&args[0])))
}
