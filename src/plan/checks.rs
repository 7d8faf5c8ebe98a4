//! Rules that only hold once the layers are merged (a limit at least its request, autoscaling
//! max at least min), reported in the file and at the field of the layer that set the losing
//! value: the org defaults file or the spec.

use std::collections::BTreeSet;

use crate::spec::{DefaultsFile, Diagnostic, ErrorKind, SpecError, SpecFile};

/// Which file a layer's value was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Source {
    /// The org defaults file (`--defaults`, or the overlay's).
    Org,
    /// The spec itself, its `defaults:` block included.
    Spec,
}

/// Where a value was written: file, field path and position.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    pub source: Source,
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    pub fn of<T>(source: Source, path: String, at: &crate::spec::S<T>) -> Self {
        Origin {
            source,
            path,
            line: u32::try_from(at.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.referenced.column()).unwrap_or(u32::MAX),
        }
    }
}

/// Problems found while planning, each reported once however many environments hit it.
#[derive(Default)]
pub(super) struct Problems {
    seen: BTreeSet<(Source, String, u32, u32)>,
    found: Vec<(Source, Diagnostic)>,
}

impl Problems {
    pub fn push(&mut self, at: &Origin, message: String, hint: Option<String>) {
        if !self
            .seen
            .insert((at.source, at.path.clone(), at.line, at.column))
        {
            return;
        }
        self.found.push((
            at.source,
            Diagnostic {
                kind: ErrorKind::Invalid,
                path: at.path.clone(),
                line: at.line,
                column: at.column,
                message,
                hint,
            },
        ));
    }

    /// A limit of the output itself (no single place in the file to point at).
    pub fn limit(&mut self, path: String, message: String) {
        if self.seen.insert((Source::Spec, path.clone(), 0, 0)) {
            self.found.push((
                Source::Spec,
                Diagnostic {
                    kind: ErrorKind::Limit,
                    path,
                    line: 0,
                    column: 0,
                    message,
                    hint: None,
                },
            ));
        }
    }

    /// The problems as one error of the file they are in: the spec's first (that is the file the
    /// user is editing), else the org defaults file's.
    pub fn into_result(self, spec: &SpecFile, org: Option<&DefaultsFile>) -> Result<(), SpecError> {
        let pick = |source: Source| {
            let mut d: Vec<Diagnostic> = self
                .found
                .iter()
                .filter(|(s, _)| *s == source)
                .map(|(_, d)| d.clone())
                .collect();
            d.sort_by_key(|d| (d.line, d.column));
            d
        };
        let in_spec = pick(Source::Spec);
        if !in_spec.is_empty() {
            return Err(SpecError {
                file: spec.file.clone(),
                source_text: spec.source_text.clone(),
                diagnostics: in_spec,
            });
        }
        let in_org = pick(Source::Org);
        match org {
            Some(org) if !in_org.is_empty() => Err(SpecError {
                file: org.file.clone(),
                source_text: org.source_text.clone(),
                diagnostics: in_org,
            }),
            _ => Ok(()),
        }
    }
}

/// How messages name the place a value came from.
pub(super) fn describe(at: Option<&Origin>, spec: &SpecFile, org: Option<&DefaultsFile>) -> String {
    match at {
        None => "the built-in default".into(),
        Some(o) => {
            let file = match o.source {
                Source::Spec => spec.file.as_str(),
                Source::Org => org.map(|f| f.file.as_str()).unwrap_or("the org defaults"),
            };
            format!("`{}` in {file}:{}", o.path, o.line)
        }
    }
}
