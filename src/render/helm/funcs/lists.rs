//! Sprig's list functions: `list`, `first`, `append`, `uniq`, `until`, …

use gotmpl::Value;

use super::defaults::is_empty;
use super::go_fmt::strval;
use super::numbers::int_arg;
use super::{R, arity, err, s};

pub(super) fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.to_vec(),
        Value::Nil => Vec::new(),
        other => vec![other.clone()],
    }
}

pub(super) fn list(args: &[Value]) -> R {
    Ok(Value::List(args.to_vec().into()))
}

pub(super) fn first(args: &[Value]) -> R {
    arity("first", args, 1)?;
    Ok(as_list(&args[0]).first().cloned().unwrap_or(Value::Nil))
}

pub(super) fn last(args: &[Value]) -> R {
    arity("last", args, 1)?;
    Ok(as_list(&args[0]).last().cloned().unwrap_or(Value::Nil))
}

pub(super) fn rest(args: &[Value]) -> R {
    arity("rest", args, 1)?;
    let l = as_list(&args[0]);
    Ok(Value::List(l.get(1..).unwrap_or_default().to_vec().into()))
}

pub(super) fn initial(args: &[Value]) -> R {
    arity("initial", args, 1)?;
    let l = as_list(&args[0]);
    Ok(Value::List(l[..l.len().saturating_sub(1)].to_vec().into()))
}

pub(super) fn append(args: &[Value]) -> R {
    arity("append", args, 2)?;
    let mut l = as_list(&args[0]);
    l.push(args[1].clone());
    Ok(Value::List(l.into()))
}

pub(super) fn prepend(args: &[Value]) -> R {
    arity("prepend", args, 2)?;
    let mut l = vec![args[1].clone()];
    l.extend(as_list(&args[0]));
    Ok(Value::List(l.into()))
}

pub(super) fn concat(args: &[Value]) -> R {
    Ok(Value::List(
        args.iter().flat_map(as_list).collect::<Vec<_>>().into(),
    ))
}

pub(super) fn has(args: &[Value]) -> R {
    arity("has", args, 2)?;
    Ok(Value::Bool(as_list(&args[1]).iter().any(|v| v == &args[0])))
}

pub(super) fn without(args: &[Value]) -> R {
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

pub(super) fn uniq(args: &[Value]) -> R {
    arity("uniq", args, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for v in as_list(&args[0]) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Value::List(out.into()))
}

pub(super) fn compact(args: &[Value]) -> R {
    arity("compact", args, 1)?;
    Ok(Value::List(
        as_list(&args[0])
            .into_iter()
            .filter(|v| !is_empty(v))
            .collect::<Vec<_>>()
            .into(),
    ))
}

pub(super) fn reverse(args: &[Value]) -> R {
    arity("reverse", args, 1)?;
    let mut l = as_list(&args[0]);
    l.reverse();
    Ok(Value::List(l.into()))
}

pub(super) fn sort_alpha(args: &[Value]) -> R {
    arity("sortAlpha", args, 1)?;
    let mut l: Vec<String> = as_list(&args[0]).iter().map(strval).collect();
    l.sort();
    Ok(Value::List(l.into_iter().map(s).collect::<Vec<_>>().into()))
}

pub(super) fn until(args: &[Value]) -> R {
    arity("until", args, 1)?;
    let n = int_arg("until", &args[0])?;
    if n > 100_000 {
        return Err(err(format!("until: {n} is too many")));
    }
    Ok(Value::List(
        (0..n.max(0)).map(Value::Int).collect::<Vec<_>>().into(),
    ))
}
