//! The conversion of a validated spec into the checked model.
//!
//! One `Converter` collects every problem of a file; its methods are split by spec section:
//! services (`service`), and backing services, environments and defaults (`environment`).

use super::super::error::{Diagnostic, ErrorKind};
use super::super::image::ImageRef;
use super::super::quantity::Quantity;
use super::super::types::{self as raw, S, Scalar, SecretEntry};
use super::*;
use crate::catalog;

mod environment;
mod service;

/// Converts a validated spec; `Err` lists what did not convert (validation missed it).
pub(in crate::spec) fn spec(s: &raw::Spec) -> Result<Checked, Vec<Diagnostic>> {
    let mut c = Converter::default();
    let services = s
        .services
        .iter()
        .filter_map(|(name, svc)| Some((name.clone(), c.service(name, &svc.value)?)))
        .collect();
    let backing = s
        .backing
        .iter()
        .filter_map(|(name, b)| Some((name.clone(), c.backing(name, b)?)))
        .collect();
    let environments = s.environments.as_ref().map(|envs| {
        envs.value
            .iter()
            .map(|(name, e)| (name.clone(), c.environment(name, &e.value)))
            .collect()
    });
    let defaults = s
        .defaults
        .as_ref()
        .map(|d| c.defaults("defaults.", d))
        .unwrap_or_default();
    let chart = s.chart.as_ref().map(chart_info).unwrap_or_default();
    c.finish(Checked {
        app: s.app.value.clone(),
        services,
        backing,
        environments,
        defaults,
        chart,
    })
}

/// Converts a validated org defaults file.
pub(in crate::spec) fn defaults(d: &raw::DefaultsSpec) -> Result<Defaults, Vec<Diagnostic>> {
    let mut c = Converter::default();
    let out = c.defaults("", d);
    c.finish(out)
}

#[derive(Default)]
struct Converter {
    problems: Vec<Diagnostic>,
}

impl Converter {
    fn finish<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }

    fn fail<T>(&mut self, path: String, at: &S<T>, message: String) {
        self.problems.push(Diagnostic {
            kind: ErrorKind::Invalid,
            path,
            line: u32::try_from(at.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.referenced.column()).unwrap_or(u32::MAX),
            message,
            hint: None,
        });
    }

    /// A whole number in the range of `U`.
    fn number<U: TryFrom<i64>>(&mut self, path: String, v: &S<i64>) -> Option<U> {
        match U::try_from(v.value) {
            Ok(n) => Some(n),
            Err(_) => {
                self.fail(path, v, format!("{} is out of range here", v.value));
                None
            }
        }
    }

    fn opt_number<U: TryFrom<i64>>(&mut self, path: String, v: &Option<S<i64>>) -> Option<U> {
        v.as_ref().and_then(|v| self.number(path, v))
    }

    fn quantity(&mut self, path: String, q: &Option<S<Scalar>>) -> Option<S<Quantity>> {
        let q = q.as_ref()?;
        match Quantity::parse(&q.value.as_text()) {
            Ok(parsed) => Some(S::new(parsed, q.referenced, q.defined)),
            Err(e) => {
                self.fail(path, q, e.0);
                None
            }
        }
    }

    fn resources(&mut self, path: &str, r: &Option<raw::ResourcesSpec>) -> Resources {
        let Some(r) = r else {
            return Resources::default();
        };
        let mut quantities = |group: &str, q: &Option<raw::QuantitiesSpec>| {
            let Some(q) = q else {
                return Quantities::default();
            };
            Quantities {
                cpu: self.quantity(format!("{path}.{group}.cpu"), &q.cpu),
                memory: self.quantity(format!("{path}.{group}.memory"), &q.memory),
            }
        };
        Resources {
            requests: quantities("requests", &r.requests),
            limits: quantities("limits", &r.limits),
        }
    }

    /// A storage size: a quantity of bytes.
    fn size(&mut self, path: String, q: &S<Scalar>) -> Option<Quantity> {
        match Quantity::parse(&q.value.as_text()) {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                self.fail(path, q, e.0);
                None
            }
        }
    }
}

fn chart_info(c: &raw::ChartInfoSpec) -> ChartInfo {
    let text = |s: &Option<S<String>>| s.as_ref().map(|v| v.value.clone());
    ChartInfo {
        home: text(&c.home),
        sources: c.sources.iter().map(|s| s.value.clone()).collect(),
        maintainers: c
            .maintainers
            .iter()
            .map(|m| Maintainer {
                name: m.value.name.value.clone(),
                email: text(&m.value.email),
                url: text(&m.value.url),
            })
            .collect(),
    }
}
