//! What kind of workload each imported service is: a job (another service waits for it to
//! complete), a worker (no port), or a long-running service whose probes need a TCP port. No
//! port is made up for any of them; what a kind cannot keep is listed.

use serde_json::{Map, Value};

use super::as_str;
use crate::init::draft::{HealthDraft, ProbeDraft, ServiceDraft};

/// The Compose names of the services another one waits for with
/// `service_completed_successfully`: jobs (a migration, an import), even when they run a
/// datastore's image (SigNoz's `init-clickhouse` fetches a binary with the ClickHouse image).
pub(super) fn run_to_completion(services: &Map<String, Value>) -> Vec<String> {
    let mut completes = Vec::new();
    for svc in services.values() {
        for (dep, cond) in svc
            .get("depends_on")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if cond.get("condition").and_then(as_str).as_deref()
                == Some("service_completed_successfully")
                && !completes.contains(dep)
            {
                completes.push(dep.clone());
            }
        }
    }
    completes
}

/// Sets each service's kind from `completes` (spec names of the jobs) and its ports, and lists
/// what that kind cannot keep.
pub(super) fn decide(services: &mut [ServiceDraft], completes: &[&String]) {
    for s in services.iter_mut() {
        if completes.contains(&&s.name) {
            s.kind = Some("job".into());
            if !s.ports.is_empty() {
                let ports: Vec<String> = s.ports.iter().map(|p| p.number.to_string()).collect();
                s.not_carried.push(format!(
                    "ports {} (a job runs to completion: nothing connects to it)",
                    ports.join(", ")
                ));
                s.ports.clear();
            }
            for (name, path) in std::mem::take(&mut s.volumes) {
                s.not_carried.push(format!(
                    "volume `{name}:{path}` (a job runs to completion: persistent volumes belong to a long-running service)"
                ));
            }
            if let Some(h) = s.health.take() {
                s.not_carried.push(format!(
                    "healthcheck {} (a job's exit code says whether it worked)",
                    h.liveness.describe()
                ));
            }
        } else if s.ports.is_empty() {
            s.kind = Some("worker".into());
        } else {
            tcp_port_first(s);
        }
    }
    // Waiting for a job to complete is what the generated Compose does too.
    for s in services.iter_mut() {
        s.not_carried
            .retain(|l| !l.contains("condition `service_completed_successfully`"));
    }
    // Compose reaches a container on any port; a Kubernetes Service needs the port named. A
    // dependency the file gives no port (Zulip's own PostgreSQL image, Zammad's) cannot be
    // reached once imported, and no port is made up for it: say so on the dependent.
    let portless: Vec<String> = services
        .iter()
        .filter(|s| s.kind.as_deref() == Some("worker"))
        .map(|s| s.name.clone())
        .collect();
    for s in services.iter_mut() {
        for d in s.depends_on.iter().filter(|d| portless.contains(d)) {
            s.notes.push(format!(
                "depends on `{d}`, which the Compose file gives no port (Compose reaches a container on any port, a Kubernetes Service only on the ports it names): if `{s_name}` connects to it, give `{d}` its port",
                s_name = s.name
            ));
        }
    }
}

/// The probes default to the first port, and no probe can check a UDP one. A service the file
/// gives no healthcheck has its TCP ports put first (Jitsi's videobridge publishes its UDP
/// media port before its TCP API); one with only UDP ports gets no probe rather than a made-up
/// one.
fn tcp_port_first(s: &mut ServiceDraft) {
    if s.health.is_some() || !s.ports.first().is_some_and(|p| p.udp) {
        return;
    }
    if s.ports.iter().any(|p| !p.udp) {
        s.ports.sort_by_key(|p| p.udp);
        s.notes.push(
            "ports: the TCP ones are listed first (the file lists a UDP one first), since the probes check the first port and a probe cannot check UDP".into(),
        );
    } else {
        s.health = Some(HealthDraft {
            liveness: ProbeDraft::None,
            readiness: ProbeDraft::None,
            timing: Vec::new(),
        });
        s.notes.push(
            "no probes (`liveness: none`): the file gives no healthcheck and every port is UDP, which no probe can check".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::import_text;

    #[test]
    fn a_datastore_image_run_to_completion_is_a_job_not_a_backing_service() {
        // SigNoz: `init-clickhouse` runs a script with the ClickHouse image, and `clickhouse`
        // waits for it to complete.
        let text = "services:\n  init-clickhouse:\n    image: clickhouse/clickhouse-server:25.5.6\n    command: [bash, -c, 'wget x']\n  clickhouse:\n    image: clickhouse/clickhouse-server:25.5.6\n    depends_on:\n      init-clickhouse:\n        condition: service_completed_successfully\n  app:\n    image: acme/app:1.0.0\n    depends_on: [clickhouse]\n";
        let imp = import_text(text, "acme", &BTreeMap::new(), &BTreeMap::new()).unwrap();
        let names: Vec<&str> = imp.backing.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["clickhouse"]);
        let init = imp
            .services
            .iter()
            .find(|s| s.name == "init-clickhouse")
            .unwrap();
        assert_eq!(init.kind.as_deref(), Some("job"));
        assert_eq!(init.command.as_deref().unwrap()[0], "bash");
    }

    #[test]
    fn a_dependency_without_a_port_is_pointed_out_not_given_one() {
        // Zulip's own PostgreSQL image publishes no port: Compose reaches it on 5432 anyway.
        let text = "services:\n  database:\n    image: zulip/zulip-postgresql:14\n  zulip:\n    image: zulip/zulip-server:12.0-0\n    ports: ['80:80']\n    depends_on: [database]\n";
        let imp = import_text(text, "zulip", &BTreeMap::new(), &BTreeMap::new()).unwrap();
        let db = &imp.services[0];
        assert!(db.ports.is_empty(), "no port is made up");
        let zulip = &imp.services[1];
        assert!(
            zulip
                .notes
                .iter()
                .any(|n| n.contains("depends on `database`, which the Compose file gives no port")),
            "{:?}",
            zulip.notes
        );
    }
}
