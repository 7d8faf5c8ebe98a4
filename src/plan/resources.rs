//! Requests and limits through every layer, checked once merged, and their Compose spelling.

use super::checks::{Origin, Problems, Source, describe};
use super::defaults as d;
use super::model::{ResourceQuantities, ResourcesValues};
use crate::spec::checked::{Quantities, Resources};
use crate::spec::quantity::Quantity;
use crate::spec::{DefaultsFile, S, SpecFile};

/// One layer's resources and where they are written (`path` leads to its `resources` key).
pub(super) struct ResourceLayer<'a> {
    pub source: Source,
    pub path: String,
    pub spec: &'a Resources,
}

/// One merged quantity with the layer that set it (`None`: the built-in default).
#[derive(Clone)]
struct Setting {
    quantity: Quantity,
    /// Position in the layer stack: later layers win, and are blamed first.
    rank: usize,
    origin: Option<Origin>,
}

/// A built-in quantity; the table's values are checked by a test to parse.
fn builtin(text: &str) -> Setting {
    Setting {
        quantity: Quantity::parse(text).unwrap_or(Quantity {
            text: text.to_string(),
            value: 0.0,
            suffix: String::new(),
        }),
        rank: 0,
        origin: None,
    }
}

/// Requests and limits after every layer, each knowing where it came from.
#[derive(Clone)]
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

fn field(r: &Resources, slot: usize) -> Option<&S<Quantity>> {
    let q: &Quantities = if slot < 2 { &r.requests } else { &r.limits };
    if slot.is_multiple_of(2) {
        q.cpu.as_ref()
    } else {
        q.memory.as_ref()
    }
}

/// Resolves requests and limits through `layers`, lowest first, over the built-in defaults.
pub(super) fn resolve(layers: &[ResourceLayer<'_>]) -> Resolved {
    let mut settings = [
        d::REQUEST_CPU,
        d::REQUEST_MEMORY,
        d::LIMIT_CPU,
        d::LIMIT_MEMORY,
    ]
    .map(builtin);
    for (rank, layer) in layers.iter().enumerate() {
        for (slot, (group, what)) in FIELDS.iter().enumerate() {
            if let Some(q) = field(layer.spec, slot) {
                settings[slot] = Setting {
                    quantity: q.value.clone(),
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
                cpu: rc.quantity.text.clone(),
                memory: rm.quantity.text.clone(),
            },
            limits: ResourceQuantities {
                cpu: lc.quantity.text.clone(),
                memory: lm.quantity.text.clone(),
            },
        }
    }

    /// The limits in the forms Compose expects (see [`Quantity::compose_cpus`]).
    pub fn compose_limits(&self) -> (String, String) {
        (
            self.settings[2].quantity.compose_cpus(),
            self.settings[3].quantity.compose_memory(),
        )
    }

    /// A limit below its request is refused (the API server would reject the Deployment). The
    /// value to change is the one the later layer set: it is the one that broke the pair.
    pub fn check(&self, problems: &mut Problems, spec: &SpecFile, org: Option<&DefaultsFile>) {
        for (what, req, lim) in [("cpu", 0, 2), ("memory", 1, 3)] {
            let (req, lim) = (&self.settings[req], &self.settings[lim]);
            if lim.quantity.value >= req.quantity.value {
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
                    lim.quantity.text, req.quantity.text
                ),
                Some(format!(
                    "the {what} {other_name} `{}` comes from {}; a limit must be at least the request: raise the limit or lower the request",
                    other.quantity.text,
                    describe(other.origin.as_ref(), spec, org)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_quantities_parse_and_fit() {
        for q in [
            d::REQUEST_CPU,
            d::REQUEST_MEMORY,
            d::LIMIT_CPU,
            d::LIMIT_MEMORY,
        ] {
            assert!(Quantity::parse(q).is_ok(), "{q}");
        }
        let r = resolve(&[]);
        for (req, lim) in [(0, 2), (1, 3)] {
            assert!(r.settings[lim].quantity.value >= r.settings[req].quantity.value);
        }
    }
}
