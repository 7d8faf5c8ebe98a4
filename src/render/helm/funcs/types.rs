//! Sprig's type functions (`kindOf`, `kindIs`, `typeOf` with Go's reflect names) and `deepCopy`.

use gotmpl::Value;

use super::go_fmt::strval;
use super::{R, arity, s};

pub(super) fn deep_copy(args: &[Value]) -> R {
    arity("deepCopy", args, 1)?;
    Ok(args[0].clone())
}

pub(super) fn go_kind(v: &Value) -> &'static str {
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

pub(super) fn kind_of(args: &[Value]) -> R {
    arity("kindOf", args, 1)?;
    Ok(s(go_kind(&args[0])))
}

pub(super) fn kind_is(args: &[Value]) -> R {
    arity("kindIs", args, 2)?;
    Ok(Value::Bool(strval(&args[0]) == go_kind(&args[1])))
}

pub(super) fn type_of(args: &[Value]) -> R {
    arity("typeOf", args, 1)?;
    Ok(s(match &args[0] {
        Value::Nil => "<nil>",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        v => go_kind(v),
    }))
}
