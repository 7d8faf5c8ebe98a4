//! A service's `env_file:` entries with its `environment:`.
//!
//! An env file the spec can read as it is (one file, inside the repository, plain `NAME=value`
//! lines that neither look secret nor need Compose's interpolation, no name that `environment:`
//! also sets) stays the one source: every environment's override names it. Any other is
//! carried line by line under the same rules as `environment:` (plain values to `env`,
//! secret-looking names to `secrets` without their value), with Compose's precedence: later
//! files over earlier ones, `environment:` over all.

use std::path::PathBuf;

use serde_json::Value;

use super::files::{Places, shown, unreadable};
use super::vars::interpolate;
use super::{Plan, as_str, env};
use crate::init::draft::{EnvFileDraft, ServiceDraft};
use crate::input::{self, ReadError};
use crate::spec::env_file::{self, EnvLine};
use crate::spec::names::looks_secret;

/// `env_file:` as (path as written, required).
fn env_file_list(v: &Value) -> Vec<(String, bool)> {
    let one = |i: &Value| match i {
        Value::Object(m) => m.get("path").and_then(as_str).map(|p| {
            let required = m
                .get("required")
                .and_then(as_str)
                .is_none_or(|r| r != "false");
            (p, required)
        }),
        other => as_str(other).map(|p| (p, true)),
    };
    match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

/// One env file that was read.
struct Read {
    written: String,
    path: PathBuf,
    text: String,
    lines: Vec<EnvLine>,
}

/// A service's `environment:` and `env_file:`, into `s` (its `env`, `secrets`, `env_file`).
pub(super) fn environment(svc: &Value, plan: &Plan, s: &mut ServiceDraft) {
    let environment = svc.get("environment").map(env::entries).unwrap_or_default();
    let mut read = Vec::new();
    for (written, required) in svc.get("env_file").map(env_file_list).unwrap_or_default() {
        let i = interpolate(&written, plan.vars);
        let what = format!("env_file `{written}`");
        if !i.resolved() {
            s.not_carried.push(format!(
                "{what} (`${{{}}}` has no value in the file or .env)",
                i.unresolved.join("}`, `${")
            ));
            continue;
        }
        let Some(places) = plan.places else {
            s.not_carried.push(format!(
                "{what} (not read: the Compose file was given as text)"
            ));
            continue;
        };
        let path = places.compose_dir.join(&i.text);
        let text = match input::read_text(&path, input::MAX_INPUT_BYTES) {
            Ok(t) => t,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                s.not_carried.push(if required {
                    format!(
                        "{what} (not found at {}: `docker compose` refuses to start without it; the import went on without its variables: create it and import again, or set them under `env:` and `secrets:`)",
                        shown(&path)
                    )
                } else {
                    format!(
                        "{what} (optional, `required: false`, and not found at {})",
                        shown(&path)
                    )
                });
                continue;
            }
            Err(e) => {
                s.not_carried.push(format!(
                    "{what} (cannot read {}: {})",
                    shown(&path),
                    unreadable(&e, "4 MiB")
                ));
                continue;
            }
        };
        let mut lines = Vec::new();
        for l in env_file::lines(&text) {
            match l {
                Ok(l) => lines.push(l),
                Err((n, m)) => s.not_carried.push(format!("{what} line {n}: {m}")),
            }
        }
        read.push(Read {
            written,
            path,
            text,
            lines,
        });
    }
    // The one file the spec can name instead of copying it.
    if let ([only], Some(places)) = (read.as_slice(), plan.places) {
        let sorted = env::sort(&entries_value(&environment, &[]), plan.vars);
        match referable(only, places, &environment, &sorted.secrets) {
            Ok(()) => {
                apply(s, sorted);
                let what = match only.lines.len() {
                    0 => "stays the source of what it will set (it sets nothing yet)".to_string(),
                    n => format!("stays the source of its {n} variable(s)"),
                };
                s.notes.push(format!(
                    "env_file `{}` {what}: every environment's override names it (`env_file:` under `environments.<env>.overrides.{}`)",
                    only.written, s.name
                ));
                s.env_file = Some(EnvFileDraft {
                    path: places.named_from_spec(&only.path),
                    vars: only
                        .lines
                        .iter()
                        .map(|l| (l.name.clone(), l.value.clone().unwrap_or_default()))
                        .collect(),
                });
                return;
            }
            Err(why) => s.notes.push(format!(
                "env_file `{}`: its variables are copied below ({why})",
                only.written
            )),
        }
    }
    if read.len() > 1 {
        s.notes.push(format!(
            "env_file {}: their variables are copied below, later files over earlier ones",
            read.iter()
                .map(|r| format!("`{}`", r.written))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let files: Vec<&EnvLine> = read.iter().flat_map(|r| &r.lines).collect();
    let sorted = env::sort(&entries_value(&environment, &files), plan.vars);
    apply(s, sorted);
}

fn apply(s: &mut ServiceDraft, sorted: env::Sorted) {
    s.env = sorted.env;
    s.secrets = sorted.secrets;
    s.notes.extend(sorted.warnings);
    s.not_carried.extend(sorted.dropped);
}

/// The variables a service is started with, as Compose merges them: env files in order (a later
/// one wins), then `environment:` over all; as an `environment:` list for [`env::sort`]. A
/// single-quoted value is literal, so its `$` is escaped from interpolation.
fn entries_value(environment: &[(String, Option<String>)], files: &[&EnvLine]) -> Value {
    let mut merged: Vec<(String, Option<String>)> = Vec::new();
    let from_files = files.iter().map(|l| {
        let v = l.value.as_ref().map(|v| {
            if l.interpolated() {
                v.clone()
            } else {
                v.replace('$', "$$")
            }
        });
        (l.name.clone(), v)
    });
    for (k, v) in from_files.chain(environment.iter().cloned()) {
        match merged.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    Value::Array(
        merged
            .into_iter()
            .map(|(k, v)| Value::String(v.map_or(k.clone(), |v| format!("{k}={v}"))))
            .collect(),
    )
}

/// Whether the spec can name `f` as it is (an override's `env_file:` reads plain `NAME=value`
/// lines literally, and wins over the service's `env`); the reason when not.
fn referable(
    f: &Read,
    places: &Places,
    environment: &[(String, Option<String>)],
    secrets: &[String],
) -> Result<(), String> {
    if f.text.len() > crate::spec::MAX_CONFIG_FILE_BYTES {
        return Err("it is larger than 1 MiB, the most the spec's env_file reads".into());
    }
    if !input::is_inside(&places.repo, &f.path) {
        return Err(format!(
            "it is outside the repository ({})",
            places.repo.display()
        ));
    }
    for l in &f.lines {
        let v = l.value.as_deref().unwrap_or_default();
        if l.interpolated() && v.contains('$') {
            return Err(format!(
                "`{}` uses Compose interpolation, which the spec's env_file does not",
                l.name
            ));
        }
        if looks_secret(&l.name) || l.name.ends_with("_FILE") || env::credentials_in_url(v) {
            return Err(format!("`{}` is a secret", l.name));
        }
        if environment.iter().any(|(k, _)| *k == l.name) {
            return Err(format!(
                "`environment:` also sets `{}`, and wins over the file",
                l.name
            ));
        }
    }
    env_file::parse(&f.written, &f.text, secrets).map_err(|p| {
        format!(
            "the spec's env_file would refuse it: {}",
            p.first().cloned().unwrap_or_default()
        )
    })?;
    Ok(())
}
