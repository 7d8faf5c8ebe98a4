//! Rules against input that parses, passes the field-by-field checks, and still produces
//! output that Kubernetes, Helm or Compose refuse, or that silently loses or overrides
//! something: system namespaces, collisions between names the user and chartwright both
//! write, label and annotation syntax, free text the API server validates, characters YAML
//! tools cannot carry, and UDP ports.
//!
//! Each rule states the rule it enforces in its hint, in the words of the tool that would
//! refuse the output. The rules only read the spec; they return located diagnostics.

mod collisions;
mod kube;
mod labels;
mod namespaces;
mod text;
mod udp;

use std::collections::HashMap;

use serde_saphyr::Spanned;

use super::checked::{self, Checked};
use super::error::{Diagnostic, ErrorKind};
use super::types::{DefaultsSpec, Spec};

/// Collects the diagnostics of these rules. A diagnostic about a key (a label name, an
/// environment whose namespace is derived) is placed on that key, found in the text.
pub(crate) struct Out<'t> {
    pub diags: Vec<Diagnostic>,
    text: &'t str,
    keys: Option<HashMap<String, (u32, u32)>>,
}

impl<'t> Out<'t> {
    fn new(text: &'t str) -> Self {
        Out {
            diags: Vec::new(),
            text,
            keys: None,
        }
    }

    pub fn at<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        at: &Spanned<T>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags.push(Diagnostic {
            kind,
            path: path.into(),
            line: at.referenced.line() as u32,
            column: at.referenced.column() as u32,
            message: message.into(),
            hint: Some(hint.into()).filter(|h: &String| !h.is_empty()),
        });
    }

    /// Where the key at `key_path` is written (line, column), if the text has it.
    pub fn key(&mut self, key_path: &str) -> Option<(u32, u32)> {
        let text = self.text;
        self.keys
            .get_or_insert_with(|| super::locate::key_positions(text))
            .get(key_path)
            .copied()
    }

    /// A diagnostic on the key at `key_path`; on `fallback` when the text does not show it.
    pub fn at_key<T>(
        &mut self,
        kind: ErrorKind,
        path: impl Into<String>,
        key_path: &str,
        fallback: Option<&Spanned<T>>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (line, column) = self
            .key(key_path)
            .or_else(|| {
                fallback.map(|f| (f.referenced.line() as u32, f.referenced.column() as u32))
            })
            .unwrap_or((1, 1));
        self.diags.push(Diagnostic {
            kind,
            path: path.into(),
            line,
            column,
            message: message.into(),
            hint: Some(hint.into()).filter(|h: &String| !h.is_empty()),
        });
    }
}

/// Every rule of this module over a whole spec.
pub(crate) fn check_spec(spec: &Spec, text: &str) -> Vec<Diagnostic> {
    let mut out = Out::new(text);
    collisions::ingress_routes(&mut out, spec);
    kube::check(&mut out, spec);
    text::check(&mut out, spec);
    udp::check(&mut out, spec);
    if let Some(d) = &spec.defaults {
        defaults(&mut out, d, "defaults.");
    }
    out.diags
}

/// The variables each `depends_on` entry of a service injects, with the entry's index.
pub type InjectedNames<'a> = dyn Fn(&Checked, &checked::Service) -> Vec<(String, usize)> + 'a;

/// What the plan decides that some rules must see. The plan fills it in from its own tables,
/// so a rule and the output cannot disagree on a name.
pub struct Planned<'a> {
    /// The environments of a spec that lists none.
    pub default_environments: &'a [&'a str],
    /// The namespace of environment `env` of app `app` when the spec names none.
    pub namespace: fn(app: &str, env: &str) -> String,
    /// The variables each `depends_on` entry of a service injects, with the entry's index.
    pub injected: &'a InjectedNames<'a>,
}

/// The rules that read the plan's decisions (see [`Planned`]).
pub(crate) fn check_planned(
    spec: &Spec,
    text: &str,
    checked: &Checked,
    planned: &Planned,
) -> Vec<Diagnostic> {
    let mut out = Out::new(text);
    namespaces::check(&mut out, spec, planned);
    collisions::env_vars_all(&mut out, spec, checked, planned.injected);
    out.diags
}

/// The rules for an org defaults file (`--defaults`, or the overlay's): paths start at its top.
pub(crate) fn check_defaults(d: &DefaultsSpec, text: &str) -> Vec<Diagnostic> {
    let mut out = Out::new(text);
    defaults(&mut out, d, "");
    out.diags
}

fn defaults(out: &mut Out, d: &DefaultsSpec, prefix: &str) {
    labels::check(out, d, prefix);
    kube::defaults(out, d, prefix);
}
