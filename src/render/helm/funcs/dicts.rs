//! Sprig's dictionary functions, and Helm's `lookup` (an empty map without a cluster).

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::Value;

use super::go_fmt::strval;
use super::{R, arity, err, s};

pub(super) fn map_of(v: &Value) -> BTreeMap<Arc<str>, Value> {
    match v {
        Value::Map(m) => (**m).clone(),
        _ => BTreeMap::new(),
    }
}

pub(super) fn dict(args: &[Value]) -> R {
    let mut m = BTreeMap::new();
    for pair in args.chunks(2) {
        let key: Arc<str> = strval(&pair[0]).into();
        m.insert(key, pair.get(1).cloned().unwrap_or_else(|| s("")));
    }
    Ok(Value::Map(Arc::new(m)))
}

pub(super) fn has_key(args: &[Value]) -> R {
    arity("hasKey", args, 2)?;
    Ok(Value::Bool(
        map_of(&args[0]).contains_key(strval(&args[1]).as_str()),
    ))
}

pub(super) fn get(args: &[Value]) -> R {
    arity("get", args, 2)?;
    Ok(map_of(&args[0])
        .get(strval(&args[1]).as_str())
        .cloned()
        .unwrap_or_else(|| s("")))
}

/// Sprig returns the keys in Go's random map order; sorted here, which is one of those orders.
pub(super) fn keys(args: &[Value]) -> R {
    let mut out: Vec<Value> = Vec::new();
    for a in args {
        out.extend(map_of(a).keys().map(|k| Value::String(k.clone())));
    }
    Ok(Value::List(out.into()))
}

pub(super) fn pick(args: &[Value]) -> R {
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

pub(super) fn omit(args: &[Value]) -> R {
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

/// `helm template` has no cluster to look in: `lookup` gives an empty map, as there.
pub(super) fn lookup(args: &[Value]) -> R {
    arity("lookup", args, 4)?;
    Ok(Value::Map(Arc::new(BTreeMap::new())))
}
