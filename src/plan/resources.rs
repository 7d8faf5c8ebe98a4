//! Requests and limits through every layer, checked once merged, and their Compose spelling.

use super::checks::{Origin, Problems, Source, describe};
use super::defaults as d;
use super::model::{ResourceQuantities, ResourcesValues};
use crate::spec::quantity::Quantity;
use crate::spec::{DefaultsFile, QuantitiesSpec, ResourcesSpec, S, Scalar, SpecFile};

/// One layer's resources and where they are written (`path` leads to its `resources` key).
pub(super) struct ResourceLayer<'a> {
    pub source: Source,
    pub path: String,
    pub spec: &'a ResourcesSpec,
}

/// One merged quantity with the layer that set it (`None`: the built-in default).
struct Setting {
    text: String,
    value: f64,
    /// Position in the layer stack: later layers win, and are blamed first.
    rank: usize,
    origin: Option<Origin>,
}

impl Setting {
    fn builtin(text: &str) -> Self {
        Setting {
            text: text.to_string(),
            value: Quantity::parse(text).map(|q| q.value).unwrap_or_default(),
            rank: 0,
            origin: None,
        }
    }
}

/// Requests and limits after every layer, each knowing where it came from.
pub(super) struct Resolved {
    /// requests.cpu, requests.memory, limits.cpu, limits.memory
    settings: [Setting; 4],
}

const FIELDS: [(&str, &str); 4] = [
    ("requests", "cpu"),
    ("requests", "memory"),
    ("limits", "cpu"),
    ("limits", "memory"),
];

/// Resolves requests and limits through `layers`, lowest first, over the built-in defaults.
pub(super) fn resolve(layers: &[ResourceLayer<'_>]) -> Resolved {
    let mut settings = [
        d::REQUEST_CPU,
        d::REQUEST_MEMORY,
        d::LIMIT_CPU,
        d::LIMIT_MEMORY,
    ]
    .map(Setting::builtin);
    for (rank, layer) in layers.iter().enumerate() {
        for (slot, (group, what)) in FIELDS.iter().enumerate() {
            let quantities: Option<&QuantitiesSpec> = if *group == "requests" {
                layer.spec.requests.as_ref()
            } else {
                layer.spec.limits.as_ref()
            };
            let q: Option<&S<Scalar>> = quantities.and_then(|q| {
                if *what == "cpu" {
                    q.cpu.as_ref()
                } else {
                    q.memory.as_ref()
                }
            });
            if let Some(q) = q {
                let text = q.value.as_text();
                settings[slot] = Setting {
                    value: Quantity::parse(&text).map(|q| q.value).unwrap_or_default(),
                    text,
                    rank: rank + 1,
                    origin: Some(Origin::of(
                        layer.source,
                        format!("{}.{group}.{what}", layer.path),
                        q,
                    )),
                };
            }
        }
    }
    Resolved { settings }
}

impl Resolved {
    pub fn values(&self) -> ResourcesValues {
        let [rc, rm, lc, lm] = &self.settings;
        ResourcesValues {
            requests: ResourceQuantities {
                cpu: rc.text.clone(),
                memory: rm.text.clone(),
            },
            limits: ResourceQuantities {
                cpu: lc.text.clone(),
                memory: lm.text.clone(),
            },
        }
    }

    /// A limit below its request is refused (the API server would reject the Deployment). The
    /// value to change is the one the later layer set: it is the one that broke the pair.
    pub fn check(&self, problems: &mut Problems, spec: &SpecFile, org: Option<&DefaultsFile>) {
        for (what, req, lim) in [("cpu", 0, 2), ("memory", 1, 3)] {
            let (req, lim) = (&self.settings[req], &self.settings[lim]);
            if lim.value >= req.value {
                continue;
            }
            let (blamed, other, other_name) = if req.rank > lim.rank {
                (req, lim, "limit")
            } else {
                (lim, req, "request")
            };
            let Some(at) = &blamed.origin else { continue };
            problems.push(
                at,
                format!(
                    "the {what} limit is below the {what} request ({} < {})",
                    lim.text, req.text
                ),
                Some(format!(
                    "the {what} {other_name} `{}` comes from {}; a limit must be at least the request: raise the limit or lower the request",
                    other.text,
                    describe(other.origin.as_ref(), spec, org)
                )),
            );
        }
    }
}

/// Quantities in the forms Compose expects (see [`Quantity::compose_cpus`]).
pub(super) fn compose_limits(r: &ResourcesValues) -> (String, String) {
    let cpus = Quantity::parse(&r.limits.cpu)
        .map(|q| q.compose_cpus())
        .unwrap_or_default();
    let memory = Quantity::parse(&r.limits.memory)
        .map(|q| q.compose_memory())
        .unwrap_or_default();
    (cpus, memory)
}
