//! A service's storage and files: persistent volumes (and with them the workload kind), writable
//! folders, the repository files mounted from a ConfigMap, and the egress it declares.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::defaults as d;
use super::model::*;
use crate::spec::checked::{Defaults, EgressTarget, Override, Service};

/// The size of a volume whose spec names none: the defaults' `volume_size`, else the built-in
/// one. One decision, read by the values and by the note that says it was made.
fn default_volume_size(defaults: &Defaults) -> String {
    defaults
        .volume_size
        .as_ref()
        .map_or_else(|| d::VOLUME_SIZE.into(), |q| q.text.clone())
}

/// The storage values of one layer (the base values with `over: None`): an environment's
/// override replaces a volume's size and class. `stateful_set` is decided afterwards, once, by
/// [`decide_workload`].
pub(super) fn storage(
    svc: &Service,
    over: Option<&Override>,
    defaults: &Defaults,
) -> StorageValues {
    StorageValues {
        stateful_set: false,
        volumes: svc
            .volumes
            .iter()
            .map(|v| {
                let o = over.and_then(|o| o.volumes.get(&v.name));
                VolumeValues {
                    name: v.name.clone(),
                    mount_path: v.mount_path.clone(),
                    size: o
                        .and_then(|o| o.size.as_ref())
                        .or(v.size.as_ref())
                        .map_or_else(|| default_volume_size(defaults), |q| q.text.clone()),
                    access_mode: v
                        .access_mode
                        .clone()
                        .unwrap_or_else(|| d::VOLUME_ACCESS_MODE.into()),
                    storage_class: o
                        .and_then(|o| o.storage_class.clone())
                        .or_else(|| v.storage_class.clone())
                        .unwrap_or_default(),
                }
            })
            .collect(),
        writable_paths: svc
            .writable_paths
            .iter()
            .enumerate()
            .map(|(i, w)| WritablePathValues {
                name: format!("writable-{i}"),
                mount_path: w.path.clone(),
                size_limit: w
                    .size
                    .as_ref()
                    .map(|q| q.text.clone())
                    .unwrap_or_else(|| d::TMP_SIZE_LIMIT.into()),
            })
            .collect(),
    }
}

/// The workload kind of a service with volumes, decided once for every environment.
///
/// The rule: a service that runs exactly one replica in every environment, without autoscaling,
/// is a single writer — a Deployment with one PersistentVolumeClaim per volume and the
/// `Recreate` strategy (the old pod lets go of a ReadWriteOnce volume before the new one mounts
/// it). A service that may run more replicas anywhere is a StatefulSet: each replica gets its
/// own claims from `volumeClaimTemplates` and a stable name from a headless Service, because
/// replicas of a Deployment would all share, and fight over, one claim. Without volumes it
/// stays a Deployment.
///
/// The environments decide; the base values (which install on their own) follow: a single
/// writer's base runs one replica too.
pub(super) fn decide_workload(base: &mut ChartValues, envs: &mut [ChartValues]) {
    if svc_volumes(base) {
        let stateful_set = envs
            .iter()
            .any(|v| v.replica_count > 1 || v.autoscaling.enabled);
        for v in std::iter::once(&mut *base).chain(envs.iter_mut()) {
            v.storage.stateful_set = stateful_set;
        }
        if !stateful_set {
            base.replica_count = 1;
            base.autoscaling.enabled = false;
            base.pod_disruption_budget = super::scaling::pod_disruption_budget();
        }
    }
}

fn svc_volumes(v: &ChartValues) -> bool {
    !v.storage.volumes.is_empty()
}

/// What `generate` says about storage it could not make sure of, or decided without being told:
/// the size of each volume that names none.
pub(super) fn notes(name: &str, svc: &Service, defaults: &Defaults) -> Vec<String> {
    let mut notes = Vec::new();
    if svc.run_as_image_user && !svc.volumes.is_empty() {
        notes.push(format!(
            "services.{name} runs as its image's user and has volumes: with no UID known, the pod sets no fsGroup, so a fresh volume is writable only if the image's user can write its mount; set `run_as_user` (which also sets fsGroup) if it cannot"
        ));
    }
    for (i, v) in svc.volumes.iter().enumerate() {
        if v.size.is_none() {
            let from = if defaults.volume_size.is_some() {
                "the defaults' `volume_size`"
            } else {
                "the built-in default"
            };
            notes.push(format!(
                "services.{name}.volumes[{i}] ({}) names no size: it asks for {} ({from}); set `size` to what it needs (a claim's size cannot shrink later)",
                v.name,
                default_volume_size(defaults)
            ));
        }
    }
    notes
}

/// The repository files of a service as ConfigMap entries: each file's key is its file name,
/// made unique (and valid: `[-._a-zA-Z0-9]`) within the service.
pub(super) fn config_files(svc: &Service) -> Vec<ConfigFileValues> {
    let mut keys = BTreeSet::new();
    svc.config_files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let base = f.source.value.rsplit('/').next().unwrap_or_default();
            let mut key: String = base
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-._".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            if key.is_empty() || key == "." || key == ".." || !keys.insert(key.clone()) {
                key = format!("{i}-{key}");
                keys.insert(key.clone());
            }
            ConfigFileValues {
                key,
                mount_path: f.mount_path.clone(),
                content: f.contents.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// The pods roll when a mounted file changes, and only then.
pub(super) fn files_checksum(files: &[ConfigFileValues]) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let mut h = Sha256::new();
    for f in files {
        for part in [&f.key, &f.mount_path, &f.content] {
            h.update(part.len().to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Private (RFC 1918 / RFC 4193) ranges: "the internet" excludes them, so that declaring it
/// does not open the cluster's own network.
const PRIVATE_V4: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const PRIVATE_V6: [&str; 1] = ["fc00::/7"];

/// The NetworkPolicy egress rules of what the spec declares under `egress:`.
pub(super) fn external_egress(svc: &Service) -> Vec<ExternalEgressValues> {
    svc.egress
        .iter()
        .map(|e| {
            let everywhere = |except_private: bool| {
                let block = |cidr: &str, except: &[&str]| IpBlockValues {
                    cidr: cidr.into(),
                    except: if except_private {
                        except.iter().map(|s| s.to_string()).collect()
                    } else {
                        Vec::new()
                    },
                };
                vec![block("0.0.0.0/0", &PRIVATE_V4), block("::/0", &PRIVATE_V6)]
            };
            let (description, ip_blocks) = match &e.to {
                EgressTarget::Internet => (
                    "internet (public addresses; private ranges excluded)".to_string(),
                    everywhere(true),
                ),
                EgressTarget::Cidr(c) => (
                    c.clone(),
                    vec![IpBlockValues {
                        cidr: c.clone(),
                        except: Vec::new(),
                    }],
                ),
                // Kubernetes NetworkPolicies select addresses, never names (FQDN selectors are
                // only proposed, for cluster-wide admin policies): the declared ports open to any
                // address, and the comment names the host so a reviewer sees why.
                EgressTarget::Host(h) => (
                    format!(
                        "host {h}: a NetworkPolicy cannot match host names, so these ports are open to every address"
                    ),
                    everywhere(false),
                ),
            };
            ExternalEgressValues {
                description,
                ip_blocks,
                ports: e
                    .ports
                    .iter()
                    .map(|(port, protocol)| NetworkPortValues {
                        port: *port,
                        protocol: protocol.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values_of(spec: &str) -> Vec<ChartValues> {
        let file = crate::spec::parse("t.yaml", spec).unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"));
        let s = &plan.services[0];
        std::iter::once(s.base.clone())
            .chain(s.environments.iter().map(|e| e.values.clone()))
            .collect()
    }

    const DB: &str = "version: 1\napp: a\nservices:\n  db:\n    image: r.example.com/db:1.0.0\n    ports: [{name: pg, port: 5432}]\n    volumes: [{name: data, mount_path: /var/lib/db, size: 10Gi}]\n";

    #[test]
    fn one_replica_everywhere_is_a_single_writer_deployment() {
        let spec = format!("{DB}environments:\n  dev: {{replicas: 1}}\n  prod: {{replicas: 1}}\n");
        for v in values_of(&spec) {
            assert!(!v.storage.stateful_set);
            assert_eq!(v.storage.volumes[0].size, "10Gi");
            assert_eq!(v.storage.volumes[0].access_mode, "ReadWriteOnce");
        }
    }

    #[test]
    fn more_replicas_anywhere_make_a_stateful_set_everywhere() {
        let spec = format!(
            "{DB}environments:\n  dev: {{replicas: 1}}\n  prod:\n    replicas: 3\n    overrides:\n      db:\n        volumes: {{data: {{size: 100Gi, storage_class: fast}}}}\n"
        );
        let values = values_of(&spec);
        assert!(values.iter().all(|v| v.storage.stateful_set));
        let prod = values.last().unwrap();
        assert_eq!(prod.storage.volumes[0].size, "100Gi");
        assert_eq!(prod.storage.volumes[0].storage_class, "fast");
        assert_eq!(values[1].storage.volumes[0].storage_class, "");
    }

    #[test]
    fn autoscaling_makes_a_stateful_set() {
        let spec = format!(
            "{DB}environments:\n  dev: {{replicas: 1}}\n  prod: {{autoscaling: {{min: 1, max: 4}}}}\n"
        );
        assert!(values_of(&spec).iter().all(|v| v.storage.stateful_set));
    }

    #[test]
    fn the_image_user_with_volumes_is_noted() {
        let file = crate::spec::parse(
            "t.yaml",
            &DB.replace("    volumes:", "    run_as_image_user: true\n    volumes:"),
        )
        .unwrap();
        let plan = crate::plan::build(&file, None).unwrap();
        assert!(
            plan.notes
                .iter()
                .any(|n| n.contains("services.db runs as its image's user"))
        );
        let file = crate::spec::parse("t.yaml", DB).unwrap();
        let plan = crate::plan::build(&file, None).unwrap();
        assert!(!plan.notes.iter().any(|n| n.contains("image's user")));
    }

    #[test]
    fn a_volume_without_size_gets_the_default_and_a_note() {
        let unsized_db = DB.replace(", size: 10Gi}", "}");
        let spec = format!(
            "{unsized_db}environments:\n  dev: {{replicas: 1}}\n  prod:\n    replicas: 1\n    overrides:\n      db:\n        volumes: {{data: {{size: 100Gi}}}}\n"
        );
        let file = crate::spec::parse("t.yaml", &spec).unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"));
        let sizes: Vec<&str> = std::iter::once(&plan.services[0].base)
            .chain(plan.services[0].environments.iter().map(|e| &e.values))
            .map(|v| v.storage.volumes[0].size.as_str())
            .collect();
        assert_eq!(sizes, [d::VOLUME_SIZE, d::VOLUME_SIZE, "100Gi"]);
        let note = |plan: &Plan| {
            plan.notes
                .iter()
                .find(|n| n.starts_with("services.db.volumes[0] (data) names no size"))
                .cloned()
        };
        assert!(note(&plan).unwrap().contains(d::VOLUME_SIZE));
        // The quota counts what the claims ask for.
        assert_eq!(plan.environments[1].guard_rails.totals.storage, "100Gi");
        // The defaults' `volume_size` comes before the built-in size, and the note says so.
        let spec = format!("{unsized_db}defaults: {{volume_size: 20Gi}}\n");
        let file = crate::spec::parse("t.yaml", &spec).unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.services[0].base.storage.volumes[0].size, "20Gi");
        assert!(
            note(&plan)
                .unwrap()
                .contains("20Gi (the defaults' `volume_size`)")
        );
        // A volume with its size gets no note.
        let plan = crate::plan::build(&crate::spec::parse("t.yaml", DB).unwrap(), None).unwrap();
        assert!(note(&plan).is_none());
    }

    #[test]
    fn without_volumes_it_stays_a_deployment() {
        let spec = "version: 1\napp: a\nservices:\n  api:\n    image: r.example.com/api:1.0.0\n    ports: [{name: http, port: 80}]\nenvironments:\n  prod: {replicas: 3}\n";
        assert!(values_of(spec).iter().all(|v| !v.storage.stateful_set));
    }

    #[test]
    fn file_keys_are_unique_and_valid() {
        let spec = "version: 1\napp: a\nservices:\n  api:\n    image: r.example.com/api:1.0.0\n    ports: [{name: http, port: 80}]\n    config_files:\n      - {source: a/app conf.toml, mount_path: /etc/a.toml}\n      - {source: b/app conf.toml, mount_path: /etc/b.toml}\n";
        let file = crate::spec::parse("t.yaml", spec).unwrap();
        let svc = &file.checked.services["api"];
        let keys: Vec<String> = config_files(svc).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["app-conf.toml", "1-app-conf.toml"]);
    }

    #[test]
    fn hosts_open_ports_to_every_address_and_say_so() {
        let spec = "version: 1\napp: a\nservices:\n  api:\n    image: r.example.com/api:1.0.0\n    ports: [{name: http, port: 80}]\n    egress:\n      - {to: internet, ports: [443]}\n      - {to: 10.1.0.0/16}\n      - {to: smtp.example.com, ports: [{port: 587, protocol: TCP}]}\n";
        let file = crate::spec::parse("t.yaml", spec).unwrap();
        let e = external_egress(&file.checked.services["api"]);
        assert_eq!(e[0].ip_blocks[0].except, PRIVATE_V4);
        assert_eq!(e[1].ip_blocks[0].cidr, "10.1.0.0/16");
        assert!(e[1].ports.is_empty());
        assert!(e[2].description.contains("smtp.example.com"));
        assert!(e[2].ip_blocks[0].except.is_empty());
        assert_eq!(e[2].ports[0].port, 587);
    }
}
