//! Unquoted scalars keep the text the user typed. YAML reads `1.10` as the number 1.1, `0755`
//! as 755 and `0x1F` as 31; an environment variable, a quantity or a version is text, so the
//! parsed number is replaced by the exact characters of the source (from the parser's span),
//! and `VER: 1.10` reaches every output as `"1.10"`.

use super::types::*;

/// Replaces a number or boolean read from plain text by that text, exactly as written. An alias
/// takes the text of its anchor.
fn keep(s: &mut S<Scalar>, text: &str) {
    if matches!(s.value, Scalar::Text(_)) {
        return;
    }
    let span = s.defined.span();
    let raw = span
        .byte_offset()
        .zip(span.byte_len())
        .and_then(|(at, len)| text.get(usize::try_from(at).ok()?..usize::try_from(at + len).ok()?));
    // A plain scalar is one token; anything else (a tagged or quoted number) keeps the value.
    let plain = |r: &&str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_'))
    };
    s.value = Scalar::Text(match raw.filter(plain) {
        Some(r) => r.to_string(),
        None => s.value.as_text(),
    });
}

fn env(vars: &mut std::collections::BTreeMap<String, S<Scalar>>, text: &str) {
    for v in vars.values_mut() {
        keep(v, text);
    }
}

fn resources(r: &mut Option<ResourcesSpec>, text: &str) {
    let Some(r) = r else { return };
    for q in [&mut r.requests, &mut r.limits].into_iter().flatten() {
        for v in [&mut q.cpu, &mut q.memory].into_iter().flatten() {
            keep(v, text);
        }
    }
}

/// Every scalar of a spec, written as text.
pub(super) fn spec(spec: &mut Spec, text: &str) {
    for svc in spec.services.values_mut() {
        let svc = &mut svc.value;
        env(&mut svc.env, text);
        resources(&mut svc.resources, text);
        if let Some(h) = &mut svc.health {
            for p in [&mut h.liveness, &mut h.readiness, &mut h.startup]
                .into_iter()
                .flatten()
            {
                if let ProbeSetting::Probe(p) = &mut p.value {
                    for port in [&mut p.port, &mut p.tcp, &mut p.grpc].into_iter().flatten() {
                        keep(port, text);
                    }
                }
            }
        }
    }
    for b in spec.backing.values_mut() {
        keep(&mut b.value.version, text);
    }
    if let Some(envs) = &mut spec.environments {
        for e in envs.value.values_mut() {
            for o in e.value.overrides.values_mut() {
                env(&mut o.value.env, text);
                resources(&mut o.value.resources, text);
            }
        }
    }
    if let Some(d) = &mut spec.defaults {
        defaults(d, text);
    }
}

/// Every scalar of a defaults block (in a spec or an org file), written as text.
pub(super) fn defaults(d: &mut DefaultsSpec, text: &str) {
    resources(&mut d.resources, text);
}
