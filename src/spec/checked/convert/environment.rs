//! Converting backing services, environments (with their overrides) and defaults.

use super::*;

impl Converter {
    pub(super) fn backing(&mut self, name: &str, b: &S<raw::BackingSpec>) -> Option<Backing> {
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

    pub(super) fn environment(&mut self, name: &str, e: &raw::EnvironmentSpec) -> Environment {
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
            profiles: e.profiles.iter().map(|p| p.value.clone()).collect(),
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
    pub(super) fn defaults(&mut self, prefix: &str, d: &raw::DefaultsSpec) -> Defaults {
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
            volume_size: d
                .volume_size
                .as_ref()
                .and_then(|q| self.size(format!("{prefix}volume_size"), q)),
        }
    }
}
