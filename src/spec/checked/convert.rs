//! The conversion of a validated spec into the checked model.

use super::super::error::{Diagnostic, ErrorKind};
use super::super::image::ImageRef;
use super::super::quantity::Quantity;
use super::super::types::{self as raw, S, Scalar, SecretEntry};
use super::*;
use crate::catalog;

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

    fn service(&mut self, name: &str, s: &raw::ServiceSpec) -> Option<Service> {
        let path = format!("services.{name}");
        let image = match ImageRef::parse(&s.image.value) {
            Ok(i) => i,
            Err(e) => {
                self.fail(format!("{path}.image"), &s.image, e.message);
                return None;
            }
        };
        let ports: Vec<Port> = s
            .ports
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                Some(Port {
                    name: p.value.name.value.clone(),
                    number: self.number(format!("{path}.ports[{i}].port"), &p.value.port)?,
                    protocol: p.value.protocol.as_ref().map(|p| p.value.clone()),
                })
            })
            .collect();
        let volumes = s
            .volumes
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let v = &v.value;
                Some(Volume {
                    name: v.name.value.clone(),
                    mount_path: v.mount_path.value.clone(),
                    size: self.size(format!("{path}.volumes[{i}].size"), &v.size)?,
                    access_mode: v.access_mode.as_ref().map(|m| m.value.clone()),
                    storage_class: v.storage_class.as_ref().map(|c| c.value.clone()),
                })
            })
            .collect();
        let writable_paths = s
            .writable_paths
            .iter()
            .enumerate()
            .filter_map(|(i, w)| match &w.value {
                raw::WritablePathSpec::Path(p) => Some(WritablePath {
                    path: p.clone(),
                    size: None,
                }),
                raw::WritablePathSpec::Sized(sp) => {
                    let size = match &sp.size {
                        None => None,
                        Some(q) => {
                            let at = S::new(q.clone(), w.referenced, w.defined);
                            Some(self.size(format!("{path}.writable_paths[{i}].size"), &at)?)
                        }
                    };
                    Some(WritablePath {
                        path: sp.path.clone(),
                        size,
                    })
                }
            })
            .collect();
        let config_files = s
            .config_files
            .iter()
            .map(|f| ConfigFile {
                source: f.value.source.clone(),
                mount_path: f.value.mount_path.value.clone(),
                contents: None,
            })
            .collect();
        let egress = s.egress.iter().map(|e| egress(&e.value)).collect();
        let health = s.health.as_ref();
        // A port name or number of this service, as its name (validated to be one).
        let port_name = |v: &S<Scalar>| {
            let text = v.value.as_text();
            ports
                .iter()
                .find(|pp| pp.number.to_string() == text)
                .map(|pp| pp.name.clone())
                .unwrap_or(text)
        };
        let port_number = |v: &S<Scalar>| {
            let text = v.value.as_text();
            ports
                .iter()
                .find(|pp| pp.name == text || pp.number.to_string() == text)
                .map(|pp| pp.number)
        };
        let mut probe = |which: &str, p: Option<&S<raw::ProbeSetting>>| {
            let raw::ProbeSetting::Probe(p) = &p?.value else {
                return None;
            };
            let pp = format!("{path}.health.{which}");
            let check = if let Some(http) = &p.http {
                Check::Http {
                    path: http.value.clone(),
                    port: p.port.as_ref().map(port_name),
                }
            } else if let Some(tcp) = &p.tcp {
                Check::Tcp {
                    port: port_name(tcp),
                }
            } else if let Some(grpc) = &p.grpc {
                Check::Grpc {
                    port: port_number(grpc)?,
                }
            } else {
                Check::Exec {
                    command: p.exec.as_ref()?.value.clone(),
                }
            };
            Some(Probe {
                check,
                initial_delay_seconds: self.opt_number(
                    format!("{pp}.initial_delay_seconds"),
                    &p.initial_delay_seconds,
                ),
                period_seconds: self.opt_number(format!("{pp}.period_seconds"), &p.period_seconds),
                timeout_seconds: self
                    .opt_number(format!("{pp}.timeout_seconds"), &p.timeout_seconds),
                failure_threshold: self
                    .opt_number(format!("{pp}.failure_threshold"), &p.failure_threshold),
            })
        };
        let liveness = probe("liveness", health.and_then(|h| h.liveness.as_ref()));
        let readiness = probe("readiness", health.and_then(|h| h.readiness.as_ref()));
        let startup = probe("startup", health.and_then(|h| h.startup.as_ref()));
        let liveness_off = health
            .and_then(|h| h.liveness.as_ref())
            .is_some_and(|l| matches!(l.value, raw::ProbeSetting::Keyword(_)));
        let kind = s
            .kind
            .as_ref()
            .and_then(|k| Kind::parse(&k.value))
            .unwrap_or(Kind::Service);
        let job = s
            .job
            .as_ref()
            .map(|j| {
                let jp = format!("{path}.job");
                let j = &j.value;
                JobSettings {
                    backoff_limit: self.opt_number(format!("{jp}.backoff_limit"), &j.backoff_limit),
                    active_deadline_seconds: self.opt_number(
                        format!("{jp}.active_deadline_seconds"),
                        &j.active_deadline_seconds,
                    ),
                    concurrency_policy: j.concurrency_policy.as_ref().map(|c| c.value.clone()),
                    starting_deadline_seconds: self.opt_number(
                        format!("{jp}.starting_deadline_seconds"),
                        &j.starting_deadline_seconds,
                    ),
                }
            })
            .unwrap_or_default();
        Some(Service {
            kind,
            schedule: s.schedule.as_ref().map(|c| c.value.trim().to_string()),
            job,
            image,
            build: s.build.as_ref().map(|b| b.value.clone()),
            liveness,
            liveness_off,
            readiness,
            startup,
            shell: health
                .and_then(|h| h.shell.as_ref())
                .map(|c| c.value.clone()),
            entrypoint: s.entrypoint.as_ref().map(|c| c.value.clone()),
            compose_command: health
                .and_then(|h| h.compose_command.as_ref())
                .map(|c| c.value.clone()),
            resources: self.resources(&format!("{path}.resources"), &s.resources),
            env: s
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.value.as_text()))
                .collect(),
            secrets: s
                .secrets
                .iter()
                .filter_map(|e| match &e.value {
                    SecretEntry::Name(n) => Some(n.clone()),
                    SecretEntry::WithValue(_) => None,
                })
                .collect(),
            depends_on: s.depends_on.iter().map(|d| d.value.clone()).collect(),
            ingress: s.ingress.as_ref().map(|i| Ingress {
                host: i.value.host.value.clone(),
                path: i.value.path.as_ref().map(|p| p.value.clone()),
                port: i.value.port.as_ref().map(|p| p.value.clone()),
            }),
            run_as_user: self.opt_number(format!("{path}.run_as_user"), &s.run_as_user),
            command: s.command.as_ref().map(|c| c.value.clone()),
            external_secret: s.external_secret.as_ref().map(|e| ExternalSecret {
                store: e.store.value.clone(),
                store_kind: e.store_kind.as_ref().map(|k| k.value.clone()),
                refresh_interval: e.refresh_interval.as_ref().map(|k| k.value.clone()),
                remote_key_prefix: e.remote_key_prefix.as_ref().map(|k| k.value.clone()),
            }),
            ports,
            volumes,
            writable_paths,
            config_files,
            run_as_image_user: s.run_as_image_user.as_ref().is_some_and(|b| b.value),
            writable_root_reason: s
                .read_only_root_filesystem
                .as_ref()
                .filter(|r| !r.value)
                .and(s.read_only_root_filesystem_reason.as_ref())
                .map(|r| r.value.clone()),
            egress,
        })
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

    fn backing(&mut self, name: &str, b: &S<raw::BackingSpec>) -> Option<Backing> {
        let path = format!("backing.{name}");
        let Some(entry) = catalog::lookup(&b.value.kind.value) else {
            self.fail(
                format!("{path}.kind"),
                &b.value.kind,
                format!("`{}` is not in the catalog", b.value.kind.value),
            );
            return None;
        };
        let version = b.value.version.value.as_text();
        let Some(image) = entry.image_for(&version) else {
            self.fail(
                format!("{path}.version"),
                &b.value.version,
                format!("{} version `{version}` is not in the catalog", entry.kind),
            );
            return None;
        };
        let image = match &b.value.image {
            Some(i) => i.value.clone(),
            None => image,
        };
        Some(Backing {
            entry,
            version,
            image,
            database: b.value.database.as_ref().map(|d| d.value.clone()),
            host: b.value.host.as_ref().map(|h| h.value.clone()),
        })
    }

    fn autoscaling(&mut self, path: &str, a: &S<raw::AutoscalingSpec>) -> Option<S<Autoscaling>> {
        let v = &a.value;
        let spanned = |n: u32, at: &S<i64>| S::new(n, at.referenced, at.defined);
        let min = self.number(format!("{path}.min"), &v.min)?;
        let max = self.number(format!("{path}.max"), &v.max)?;
        Some(S::new(
            Autoscaling {
                min: spanned(min, &v.min),
                max: spanned(max, &v.max),
                cpu: self.opt_number(format!("{path}.cpu"), &v.cpu),
            },
            a.referenced,
            a.defined,
        ))
    }

    fn environment(&mut self, name: &str, e: &raw::EnvironmentSpec) -> Environment {
        let path = format!("environments.{name}");
        let ingress = e.ingress.clone().unwrap_or_default();
        let overrides = e
            .overrides
            .iter()
            .map(|(svc, o)| {
                let op = format!("{path}.overrides.{svc}");
                let o = &o.value;
                let out = Override {
                    replicas: self.opt_number(format!("{op}.replicas"), &o.replicas),
                    resources: self.resources(&format!("{op}.resources"), &o.resources),
                    autoscaling: o
                        .autoscaling
                        .as_ref()
                        .and_then(|a| self.autoscaling(&format!("{op}.autoscaling"), a)),
                    env: o
                        .env
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.as_text()))
                        .collect(),
                    ingress_host: o.ingress_host.as_ref().map(|h| h.value.clone()),
                    env_file: o.env_file.clone().map(|f| (f, false)),
                    image: o
                        .image
                        .as_ref()
                        .and_then(|i| match ImageRef::parse(&i.value) {
                            Ok(i) => Some(i),
                            Err(e) => {
                                self.fail(format!("{op}.image"), i, e.message);
                                None
                            }
                        }),
                    volumes: o
                        .volumes
                        .iter()
                        .map(|(v, vo)| {
                            let vp = format!("{op}.volumes.{v}");
                            let out = VolumeOverride {
                                size: vo
                                    .value
                                    .size
                                    .as_ref()
                                    .and_then(|q| self.size(format!("{vp}.size"), q)),
                                storage_class: vo
                                    .value
                                    .storage_class
                                    .as_ref()
                                    .map(|c| c.value.clone()),
                            };
                            (v.clone(), out)
                        })
                        .collect(),
                };
                (svc.clone(), out)
            })
            .collect();
        Environment {
            replicas: self.opt_number(format!("{path}.replicas"), &e.replicas),
            autoscaling: e
                .autoscaling
                .as_ref()
                .and_then(|a| self.autoscaling(&format!("{path}.autoscaling"), a)),
            tls: ingress.tls,
            rate_limit_rps: self.opt_number(
                format!("{path}.ingress.rate_limit_rps"),
                &ingress.rate_limit_rps,
            ),
            ingress_class: ingress.class.map(|c| c.value),
            issuer: ingress.issuer.map(|c| c.value),
            namespace: e.namespace.as_ref().map(|n| n.value.clone()),
            overrides,
            backing: e
                .backing
                .iter()
                .filter_map(|(b, ep)| {
                    let ep = &ep.value;
                    let endpoint = match (&ep.host, &ep.host_secret) {
                        (Some(h), _) => BackingEndpoint::Host(h.value.clone()),
                        (None, Some(s)) => BackingEndpoint::HostSecret(
                            s.value.name.value.clone(),
                            s.value.key.value.clone(),
                        ),
                        (None, None) => return None,
                    };
                    Some((b.clone(), endpoint))
                })
                .collect(),
        }
    }

    /// `prefix` is where the block sits: `defaults.` in a spec, nothing in an org file.
    fn defaults(&mut self, prefix: &str, d: &raw::DefaultsSpec) -> Defaults {
        Defaults {
            registry: d.registry.as_ref().map(|r| r.value.clone()),
            resources: self.resources(&format!("{prefix}resources"), &d.resources),
            ingress_class: d.ingress_class.as_ref().map(|c| c.value.clone()),
            issuer: d.issuer.as_ref().map(|c| c.value.clone()),
            labels: d.labels.clone(),
            annotations: d.annotations.clone(),
            ingress_controller_namespace: d
                .ingress_controller_namespace
                .as_ref()
                .map(|n| n.value.clone()),
        }
    }
}

/// Classifies a validated egress entry.
fn egress(e: &raw::EgressSpec) -> Egress {
    let to = e.to.value.as_str();
    Egress {
        to: if to == "internet" {
            EgressTarget::Internet
        } else if to.contains('/') {
            EgressTarget::Cidr(to.to_string())
        } else {
            EgressTarget::Host(to.to_string())
        },
        ports: e
            .ports
            .iter()
            .map(|p| match &p.value {
                raw::EgressPortSpec::Number(n) => {
                    (u16::try_from(*n).unwrap_or_default(), "TCP".into())
                }
                raw::EgressPortSpec::WithProtocol(pp) => (
                    u16::try_from(pp.port).unwrap_or_default(),
                    pp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                ),
            })
            .collect(),
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
