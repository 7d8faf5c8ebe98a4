//! Converting a service: image, ports, workload, probes, storage, security and egress.

use super::*;

impl Converter {
    pub(super) fn service(&mut self, name: &str, s: &raw::ServiceSpec) -> Option<Service> {
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
                let size = match &v.size {
                    Some(q) => Some(self.size(format!("{path}.volumes[{i}].size"), q)?),
                    None => None,
                };
                Some(Volume {
                    name: v.name.value.clone(),
                    mount_path: v.mount_path.value.clone(),
                    size,
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
            profiles: s.profiles.iter().map(|p| p.value.clone()).collect(),
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
