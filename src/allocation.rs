//! The allocation table `generate` prints: per service and environment what it requests and
//! may use, and per environment (one namespace each) the totals a ResourceQuota would have to
//! admit — CPU and memory at the most replicas the service may run, and the persistent storage
//! its claims request; an optional service only where an environment deploys it. Jobs and cron
//! jobs count as one pod each: a Job runs one pod at a time, and a cron job does not overlap
//! itself unless its concurrency policy allows it.

use serde::Serialize;

use crate::plan::{Plan, bytes, storage_bytes};

#[derive(Serialize)]
pub struct ResourceRow {
    pub service: String,
    /// `service`, `worker`, `job` or `cronjob`; empty on a namespace total.
    pub kind: String,
    pub env: String,
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
    /// `3`, `2-20 (HPA 70%)` when autoscaled, `1 per release` for a job, `1 per run` for a
    /// cron job; empty on a namespace total.
    pub replicas: String,
    /// Persistent storage requested by the service's claims, over all its replicas (`""`
    /// without volumes).
    pub storage: String,
}

pub fn resource_rows(plan: &Plan) -> Vec<ResourceRow> {
    let mut rows = Vec::new();
    for s in &plan.services {
        // An optional service is listed where it is deployed, as the quota counts it.
        for e in s.environments.iter().filter(|e| e.deployed) {
            let v = &e.values;
            let storage = storage_bytes(v);
            let kind = s.workload.kind.as_str();
            rows.push(ResourceRow {
                service: s.name.clone(),
                kind: kind.to_string(),
                env: e.env.clone(),
                cpu_request: v.resources.requests.cpu.clone(),
                cpu_limit: v.resources.limits.cpu.clone(),
                memory_request: v.resources.requests.memory.clone(),
                memory_limit: v.resources.limits.memory.clone(),
                replicas: match kind {
                    "job" => "1 per release".into(),
                    "cronjob" => "1 per run".into(),
                    _ if v.autoscaling.enabled => format!(
                        "{}-{} (HPA {}%)",
                        v.autoscaling.min_replicas,
                        v.autoscaling.max_replicas,
                        v.autoscaling.target_cpu_utilization_percentage
                    ),
                    _ => v.replica_count.to_string(),
                },
                storage: if storage == 0 {
                    String::new()
                } else {
                    bytes(storage)
                },
            });
        }
    }
    // Per namespace, the sums the plan sized its ResourceQuota from.
    for env in &plan.environments {
        let t = &env.guard_rails.totals;
        rows.push(ResourceRow {
            service: format!("= {}", env.namespace),
            kind: String::new(),
            env: env.name.clone(),
            cpu_request: t.requests.cpu.clone(),
            cpu_limit: t.limits.cpu.clone(),
            memory_request: t.requests.memory.clone(),
            memory_limit: t.limits.memory.clone(),
            replicas: String::new(),
            storage: t.storage.clone(),
        });
    }
    rows
}

/// The design summary an orchestration engineer hands over: who gets what, where.
pub fn resource_table(plan: &Plan) -> String {
    let header = [
        "SERVICE", "KIND", "ENV", "CPU REQ", "CPU LIM", "MEM REQ", "MEM LIM", "REPLICAS", "STORAGE",
    ];
    let rows: Vec<[String; 9]> = resource_rows(plan)
        .into_iter()
        .map(|r| {
            [
                r.service,
                r.kind,
                r.env,
                r.cpu_request,
                r.cpu_limit,
                r.memory_request,
                r.memory_limit,
                r.replicas,
                r.storage,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = String::from("\n");
    out.push_str(&line(header.to_vec()));
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    for env in &plan.environments {
        let (g, q) = (&env.guard_rails, &env.guard_rails.quota);
        out.push_str(&format!(
            "ResourceQuota of {} (k8s/{}/namespace.yaml; +{}% rolling-update surge, +1 test pod): requests {} CPU / {}, limits {} CPU / {}, {} pods{}\n",
            env.namespace,
            env.name,
            g.surge_percent,
            q.requests.cpu,
            q.requests.memory,
            q.limits.cpu,
            q.limits.memory,
            q.pods,
            if q.storage == "0" { String::new() } else { format!(", {} storage", q.storage) },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_totals_count_replicas_and_claims() {
        let spec = "version: 1\napp: a\nservices:\n  db:\n    image: r.example.com/db:1.0.0\n    ports: [{name: pg, port: 5432}]\n    resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}\n    volumes: [{name: data, mount_path: /d, size: 10Gi}]\nenvironments:\n  dev: {replicas: 1}\n  prod: {autoscaling: {min: 2, max: 4}}\n";
        let file = crate::spec::parse("t.yaml", spec).unwrap();
        let plan = crate::plan::build(&file, None).unwrap();
        let rows = resource_rows(&plan);
        let total = |env: &str| {
            rows.iter()
                .find(|r| r.env == env && r.service.starts_with('='))
                .unwrap()
        };
        // A StatefulSet (prod autoscales): every replica has its own claim, counted at the max.
        assert_eq!(total("dev").storage, "10Gi");
        assert_eq!(total("prod").storage, "40Gi");
        assert_eq!(total("prod").cpu_request, "1");
        assert_eq!(total("prod").memory_limit, "2Gi");
        assert_eq!(total("dev").cpu_limit, "500m");
    }

    #[test]
    fn namespace_totals_count_a_job_and_a_cron_job_as_one_pod_each() {
        let spec = "version: 1\napp: a\nservices:\n  web:\n    image: r.example.com/w:1.0.0\n    ports: [{name: http, port: 80}]\n  migrate:\n    kind: job\n    image: r.example.com/w:1.0.0\n  nightly:\n    kind: cronjob\n    schedule: '@daily'\n    image: r.example.com/w:1.0.0\nenvironments:\n  prod: {replicas: 3}\n";
        let file = crate::spec::parse("t.yaml", spec).unwrap();
        let plan = crate::plan::build(&file, None).unwrap();
        let rows = resource_rows(&plan);
        let row = |svc: &str| rows.iter().find(|r| r.service == svc).unwrap();
        assert_eq!(
            (
                row("migrate").kind.as_str(),
                row("migrate").replicas.as_str()
            ),
            ("job", "1 per release")
        );
        assert_eq!(row("nightly").replicas, "1 per run");
        // 3 web pods + 1 job pod + 1 cron job pod, at the default 250m / 512Mi.
        let total = row("= a-prod");
        assert_eq!(total.cpu_request, "1250m");
        assert_eq!(total.memory_limit, "2560Mi");
    }
}
