//! Characters that no output can carry: DEL, the C1 controls (but NEL) and the noncharacters
//! U+FFFE and U+FFFF. chartwright writes them escaped, and Compose and kubectl read them back,
//! but Helm cannot: it re-encodes the values for its schema check and its own YAML reader then
//! fails with "control characters are not allowed". Since the chart must install, they are
//! refused wherever the spec's free text reaches the chart values; every other character
//! (tabs, NEL, line and paragraph separators, emoji…) is written escaped and kept.

use super::Out;
use crate::spec::error::ErrorKind;
use crate::spec::types::{ProbeSetting, S, Scalar, Spec};

/// The first character of `s` that Helm cannot carry, if any.
pub fn helm_unsafe(s: &str) -> Option<char> {
    s.chars()
        .find(|c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'))
}

pub const HINT: &str = "DEL (U+007F), the C1 controls U+0080–U+009F (but NEL) and U+FFFE/U+FFFF cannot pass through Helm (its values check fails with \"control characters are not allowed\"); remove the character, or pass the value in another encoding (e.g. base64) that your application decodes";

pub fn message(what: &str, c: char) -> String {
    format!("{what} contains the control character U+{:04X}", c as u32)
}

fn scalar(out: &mut Out, path: String, v: &S<Scalar>) {
    if let Scalar::Text(t) = &v.value
        && let Some(c) = helm_unsafe(t)
    {
        out.at(ErrorKind::Invalid, path, v, message("the value", c), HINT);
    }
}

fn text(out: &mut Out, path: String, v: &S<String>) {
    if let Some(c) = helm_unsafe(&v.value) {
        out.at(ErrorKind::Invalid, path, v, message("the value", c), HINT);
    }
}

fn list(out: &mut Out, path: String, v: &S<Vec<String>>) {
    if let Some(c) = v.value.iter().find_map(|a| helm_unsafe(a)) {
        out.at(ErrorKind::Invalid, path, v, message("the command", c), HINT);
    }
}

pub(super) fn check(out: &mut Out, spec: &Spec) {
    for (name, svc) in &spec.services {
        let s = &svc.value;
        let path = format!("services.{name}");
        for (k, v) in &s.env {
            scalar(out, format!("{path}.env.{k}"), v);
        }
        for (field, cmd) in [("command", &s.command), ("entrypoint", &s.entrypoint)] {
            if let Some(cmd) = cmd {
                list(out, format!("{path}.{field}"), cmd);
            }
        }
        if let Some(h) = &s.health {
            for (which, probe) in [
                ("liveness", &h.liveness),
                ("readiness", &h.readiness),
                ("startup", &h.startup),
            ] {
                let Some(ProbeSetting::Probe(p)) = probe.as_ref().map(|p| &p.value) else {
                    continue;
                };
                if let Some(http) = &p.http {
                    text(out, format!("{path}.health.{which}.http"), http);
                }
                if let Some(cmd) = &p.exec {
                    list(out, format!("{path}.health.{which}.exec"), cmd);
                }
            }
            if let Some(cmd) = &h.compose_command {
                list(out, format!("{path}.health.compose_command"), cmd);
            }
        }
        if let Some(b) = &s.build {
            text(out, format!("{path}.build"), b);
        }
        if let Some(es) = &s.external_secret
            && let Some(p) = &es.remote_key_prefix
        {
            text(out, format!("{path}.external_secret.remote_key_prefix"), p);
        }
    }
    if let Some(envs) = &spec.environments {
        for (env, e) in &envs.value {
            for (name, o) in &e.value.overrides {
                for (k, v) in &o.value.env {
                    scalar(
                        out,
                        format!("environments.{env}.overrides.{name}.env.{k}"),
                        v,
                    );
                }
            }
        }
    }
}
