//! Every rule a parsed spec must satisfy, each failure collected (not only the first) with the
//! place it came from. One file per part of the spec: `service`, `backing`, `environments`,
//! `graph` (dependency cycles); the collector, the top-level fields and the defaults block here.
//! Rules across layers (a limit below a request once org defaults are merged) are the plan's.

mod backing;
mod chart_info;
mod cron;
mod environments;
mod graph;
mod health;
mod kinds;
mod profiles;
mod service;
pub mod storage;

use serde_saphyr::Spanned;

use super::error::{Diagnostic, ErrorKind};
use super::names::{MAX_NAME, check_dns_label};
use super::quantity::Quantity;
use super::types::*;

pub(super) use super::parse_error::from_parse_error;

/// Reported problems per file: beyond this many, a hostile (or generated) file gets a count, and
/// no more time is spent on hints.
const MAX_DIAGNOSTICS: usize = 100;

#[derive(Default)]
pub(super) struct Collector {
    out: Vec<Diagnostic>,
    /// Diagnostics about a name, to be moved from the value onto its key: (index, key path).
    at_keys: Vec<(usize, String)>,
    /// Problems found beyond [`MAX_DIAGNOSTICS`].
    dropped: usize,
}

impl Collector {
    /// Whether another diagnostic would be reported (and its hint is worth computing).
    pub(super) fn room(&self) -> bool {
        self.out.len() < MAX_DIAGNOSTICS
    }

    /// A diagnostic about the key at `key_path` (a service's name, say) rather than its value:
    /// shown on the key's line, which a spanned value does not know.
    pub(super) fn push_at_key<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        key_path: impl Into<String>,
        at: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.room() {
            self.at_keys.push((self.out.len(), key_path.into()));
        }
        self.push(kind, path, at, message, hint);
    }

    /// Diagnostics located elsewhere (the rules of `spec::rules`), within the same cap.
    fn extend(&mut self, diagnostics: Vec<Diagnostic>) {
        for d in diagnostics {
            if self.room() {
                self.out.push(d);
            } else {
                self.dropped += 1;
            }
        }
    }

    pub(super) fn push<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        at: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if !self.room() {
            self.dropped += 1;
            return;
        }
        self.out.push(Diagnostic {
            kind,
            path: path.into(),
            line: at.referenced.line() as u32,
            column: at.referenced.column() as u32,
            message: message.into(),
            hint,
        });
    }
}

/// A reference to a name that is not declared: refused where it is written, with the nearest
/// declared name as a hint (when there is room for one).
pub(super) fn unknown_name<'a, T>(
    c: &mut Collector,
    path: &str,
    at: &Spanned<T>,
    name: &str,
    candidates: impl Iterator<Item = &'a String>,
    message: String,
) {
    let hint = c
        .room()
        .then(|| super::names::did_you_mean(name, candidates.map(String::as_str)))
        .flatten()
        .map(|s| format!("did you mean `{s}`?"));
    c.push_at_key(ErrorKind::Reference, path, path, at, message, hint);
}

pub(super) fn validate(spec: &Spec, text: &str) -> Vec<Diagnostic> {
    let mut c = Collector::default();
    if spec.version.value != super::SPEC_VERSION {
        c.push(
            ErrorKind::Invalid,
            "version",
            &spec.version,
            format!(
                "spec format version {} is not supported",
                spec.version.value
            ),
            Some(format!(
                "this chartwright reads `version: {}`",
                super::SPEC_VERSION
            )),
        );
    }
    if let Err(m) = check_dns_label(&spec.app.value, MAX_NAME) {
        c.push(ErrorKind::Invalid, "app", &spec.app, m, None);
    }
    if let Some(v) = &spec.contract
        && v.value != i64::from(crate::CONTRACT_VERSION)
    {
        c.push(
                ErrorKind::Invalid,
                "contract",
                v,
                format!(
                    "the spec was written for template contract {}, this chartwright provides contract {}",
                    v.value,
                    crate::CONTRACT_VERSION
                ),
                Some("check the team templates against `chartwright templates context`, then update `contract`".into()),
            );
    }
    if let Some(chart) = &spec.chart {
        chart_info::validate(&mut c, chart);
    }
    if spec.services.is_empty() {
        c.push_at_key(
            ErrorKind::Invalid,
            "services",
            "services",
            &spec.app,
            "the spec declares no services",
            Some("add at least one entry under `services:`".into()),
        );
    }
    let defaults = spec.defaults.clone().unwrap_or_default();
    for (name, svc) in &spec.services {
        service::service(&mut c, spec, name, svc);
    }
    for (name, b) in &spec.backing {
        backing::backing(&mut c, spec, name, b);
    }
    graph::dependency_cycles(&mut c, spec);
    profiles::profiles(&mut c, spec);
    environments::environments(&mut c, spec);
    defaults_layer(&mut c, &defaults, "defaults.");
    c.extend(super::rules::check_spec(spec, text));
    if !c.at_keys.is_empty() {
        let keys = super::locate::key_positions(text);
        for (i, key_path) in &c.at_keys {
            if let (Some(d), Some((line, column))) = (c.out.get_mut(*i), keys.get(key_path)) {
                (d.line, d.column) = (*line, *column);
            }
        }
    }
    c.out.sort_by_key(|d| (d.line, d.column));
    if c.dropped > 0 {
        let last = c.out.last().map(|d| (d.line, d.column)).unwrap_or((0, 0));
        c.out.push(Diagnostic {
            kind: ErrorKind::Limit,
            path: String::new(),
            line: last.0,
            column: last.1,
            message: format!(
                "{} more problems are not shown (only the first {MAX_DIAGNOSTICS} are reported)",
                c.dropped
            ),
            hint: Some("fix these and run again".into()),
        });
    }
    c.out
}

pub(super) fn quantity(c: &mut Collector, path: &str, q: &Option<S<Scalar>>) -> Option<f64> {
    let q = q.as_ref()?;
    match Quantity::parse(&q.value.as_text()) {
        Ok(parsed) => Some(parsed.value),
        Err(e) => {
            c.push(ErrorKind::Invalid, path, q, e.0, None);
            None
        }
    }
}

/// Checks the quantities of one layer and returns (request cpu, request memory, limit cpu,
/// limit memory) as given in that layer.
pub(super) fn resources_layer(
    c: &mut Collector,
    path: &str,
    r: &ResourcesSpec,
) -> [Option<f64>; 4] {
    let req = r.requests.clone().unwrap_or_default();
    let lim = r.limits.clone().unwrap_or_default();
    [
        quantity(c, &format!("{path}.requests.cpu"), &req.cpu),
        quantity(c, &format!("{path}.requests.memory"), &req.memory),
        quantity(c, &format!("{path}.limits.cpu"), &lim.cpu),
        quantity(c, &format!("{path}.limits.memory"), &lim.memory),
    ]
}

pub(super) fn validate_defaults(d: &DefaultsSpec) -> Vec<Diagnostic> {
    let mut c = Collector::default();
    defaults_layer(&mut c, d, "");
    c.out
}

/// `prefix` is where the block sits: `defaults.` in a spec, nothing in an org defaults file.
fn defaults_layer(c: &mut Collector, d: &DefaultsSpec, prefix: &str) {
    if let Some(r) = &d.resources {
        resources_layer(c, &format!("{prefix}resources"), r);
    }
    if let Some(q) = &d.volume_size {
        storage::size(c, format!("{prefix}volume_size"), q);
    }
    if let Some(reg) = &d.registry {
        let host = reg.value.split('/').next().unwrap_or_default();
        if reg.value.is_empty() || reg.value.ends_with('/') || host.to_ascii_lowercase() != host {
            c.push(
                ErrorKind::Invalid,
                format!("{prefix}registry"),
                reg,
                format!(
                    "`{}` is not a registry prefix like `registry.example.com/team`",
                    reg.value
                ),
                None,
            );
        }
    }
}
