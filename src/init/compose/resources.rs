//! Compose's CPU and memory settings as the spec's requests and limits: `deploy.resources`
//! (`limits` and `reservations`, Swarm style) and the service-level `cpus`, `mem_limit` and
//! `mem_reservation` (version 2 style). Compose memory units are binary (`512m` is 512 MiB), so
//! they become `Mi`/`Gi` quantities. The rest of `deploy` is listed, never dropped silently.

use serde_json::Value;

use super::vars::interpolate;
use super::{Plan, as_str};
use crate::init::draft::{Resources, ServiceDraft};
use crate::plan::defaults as d;
use crate::spec::quantity::Quantity;

/// A Compose memory value (`512m`, `1G`, `1.5gb`, `1048576`) as a Kubernetes quantity.
fn memory(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').filter(|r| !r.is_empty()).unwrap_or(&t);
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let suffix = match unit {
        "" => "",
        "k" => "Ki",
        "m" => "Mi",
        "g" => "Gi",
        _ => return None,
    };
    let q = format!("{num}{suffix}");
    Quantity::parse(&q).ok().map(|_| q)
}

/// A Compose CPU count (`0.50`, `2`) as a Kubernetes quantity.
fn cpu(text: &str) -> Option<String> {
    let t = text.trim();
    (t.parse::<f64>().is_ok_and(|n| n > 0.0) && Quantity::parse(t).is_ok()).then(|| t.to_string())
}

/// Sets `slot` from the file's `raw` value, or lists it when it is no amount the spec can say.
fn set(
    slot: &mut Option<String>,
    key: String,
    raw: Option<String>,
    kind: fn(&str) -> Option<String>,
    s: &mut ServiceDraft,
) {
    let Some(raw) = raw else { return };
    match kind(&raw) {
        Some(q) => *slot = Some(q),
        None => s.not_carried.push(format!(
            "`{key}: {raw}` (not a CPU or memory amount the spec can say)"
        )),
    }
}

fn value_of(v: Option<&Value>, plan: &Plan) -> Option<String> {
    v.and_then(as_str).map(|t| interpolate(&t, plan.vars).text)
}

/// Reads `deploy`, `cpus`, `mem_limit` and `mem_reservation` into `s.resources`, listing what
/// the spec cannot say.
pub(super) fn read(svc: &Value, plan: &Plan, s: &mut ServiceDraft) {
    let mut r = Resources::default();
    if let Some(deploy) = svc.get("deploy").and_then(Value::as_object) {
        for (key, v) in deploy {
            if key != "resources" {
                let shown = as_str(v).map(|t| format!(": {t}")).unwrap_or_default();
                s.not_carried.push(format!("`deploy.{key}{shown}`"));
                continue;
            }
            for (group, limits) in v.as_object().into_iter().flatten() {
                for (what, q) in limits.as_object().into_iter().flatten() {
                    let key = format!("deploy.resources.{group}.{what}");
                    let raw = value_of(Some(q), plan);
                    match (group.as_str(), what.as_str()) {
                        ("limits", "cpus") => set(&mut r.cpu_limit, key, raw, cpu, s),
                        ("limits", "memory") => set(&mut r.memory_limit, key, raw, memory, s),
                        ("reservations", "cpus") => set(&mut r.cpu_request, key, raw, cpu, s),
                        ("reservations", "memory") => {
                            set(&mut r.memory_request, key, raw, memory, s)
                        }
                        _ => s.not_carried.push(format!("`{key}`")),
                    }
                }
            }
        }
    }
    for (key, slot, kind) in [
        ("cpus", &mut r.cpu_limit, cpu as fn(&str) -> Option<String>),
        ("mem_limit", &mut r.memory_limit, memory),
        ("mem_reservation", &mut r.memory_request, memory),
    ] {
        let raw = value_of(svc.get(key), plan);
        if raw.is_some() && slot.is_some() {
            s.not_carried
                .push(format!("`{key}` (`deploy.resources` already sets it)"));
            continue;
        }
        set(slot, key.to_string(), raw, kind, s);
    }
    // A limit the file gives below the default request would be refused; the file's limit is
    // then the request too (what it reserves is all it may use).
    for (req, lim, default, what) in [
        (&mut r.cpu_request, &r.cpu_limit, d::REQUEST_CPU, "cpu"),
        (
            &mut r.memory_request,
            &r.memory_limit,
            d::REQUEST_MEMORY,
            "memory",
        ),
    ] {
        if req.is_none()
            && let Some(l) = lim
            && Quantity::parse(l)
                .is_ok_and(|l| Quantity::parse(default).is_ok_and(|d| l.value < d.value))
        {
            *req = Some(l.clone());
            s.notes.push(format!(
                "the {what} request is the file's limit {l} (the default request {default} is above it)"
            ));
        }
    }
    if r != Resources::default() {
        s.resources = Some(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_memory_units_are_binary() {
        assert_eq!(memory("512M").as_deref(), Some("512Mi"));
        assert_eq!(memory("1g").as_deref(), Some("1Gi"));
        assert_eq!(memory("1.5gb").as_deref(), Some("1.5Gi"));
        assert_eq!(memory("64k").as_deref(), Some("64Ki"));
        assert_eq!(memory("1048576").as_deref(), Some("1048576"));
        assert_eq!(memory("lots"), None);
        assert_eq!(cpu("0.50").as_deref(), Some("0.50"));
        assert_eq!(cpu("0"), None);
    }
}
