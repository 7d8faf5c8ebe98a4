//! Number conversion (`cast.ToInt64` rules) and Sprig's integer arithmetic.

use gotmpl::{TemplateError, Value};

use super::{R, arity, err};

pub(super) fn int_arg(name: &str, v: &Value) -> Result<i64, TemplateError> {
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
pub(super) fn parse_int(t: &str) -> Option<i64> {
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

pub(super) fn to_int(args: &[Value]) -> R {
    arity("int", args, 1)?;
    Ok(Value::Int(int_arg("int", &args[0])?))
}

pub(super) fn to_float(args: &[Value]) -> R {
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

pub(super) fn ints(name: &str, args: &[Value]) -> Result<Vec<i64>, TemplateError> {
    args.iter().map(|a| int_arg(name, a)).collect()
}

pub(super) fn add(args: &[Value]) -> R {
    Ok(Value::Int(
        ints("add", args)?.into_iter().fold(0i64, i64::wrapping_add),
    ))
}

pub(super) fn add1(args: &[Value]) -> R {
    arity("add1", args, 1)?;
    Ok(Value::Int(int_arg("add1", &args[0])?.wrapping_add(1)))
}

pub(super) fn sub(args: &[Value]) -> R {
    arity("sub", args, 2)?;
    let v = ints("sub", args)?;
    Ok(Value::Int(v[0].wrapping_sub(v[1])))
}

pub(super) fn mul(args: &[Value]) -> R {
    Ok(Value::Int(
        ints("mul", args)?.into_iter().fold(1i64, i64::wrapping_mul),
    ))
}

pub(super) fn div(args: &[Value]) -> R {
    arity("div", args, 2)?;
    let v = ints("div", args)?;
    v[0].checked_div(v[1])
        .map(Value::Int)
        .ok_or_else(|| err("div: integer divide by zero"))
}

pub(super) fn modulo(args: &[Value]) -> R {
    arity("mod", args, 2)?;
    let v = ints("mod", args)?;
    v[0].checked_rem(v[1])
        .map(Value::Int)
        .ok_or_else(|| err("mod: integer divide by zero"))
}

pub(super) fn max(args: &[Value]) -> R {
    ints("max", args)?
        .into_iter()
        .max()
        .map(Value::Int)
        .ok_or_else(|| err("max: no arguments"))
}

pub(super) fn min(args: &[Value]) -> R {
    ints("min", args)?
        .into_iter()
        .min()
        .map(Value::Int)
        .ok_or_else(|| err("min: no arguments"))
}
