//! The allocation table `generate` prints: what each workload of each environment requests and
//! may use, and what that adds up to in each namespace (jobs and cron jobs included, one pod
//! each: a Job runs one pod at a time, and a cron job does not overlap itself by default).

use serde::Serialize;

use crate::plan::{ChartValues, Plan};
use crate::spec::quantity::Quantity;

#[derive(Serialize)]
pub struct ResourceRow {
    pub service: String,
    /// `service`, `worker`, `job` or `cronjob`.
    pub kind: String,
    pub env: String,
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
    /// `3`, `2-20 (HPA 70%)` when autoscaled, `1 per release` for a job, `1 per run` for a cron
    /// job.
    pub replicas: String,
}

/// One namespace's sum: requests times the fewest pods, limits times the most.
#[derive(Serialize)]
pub struct NamespaceTotal {
    pub env: String,
    pub namespace: String,
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
}

/// (fewest, most) pods of one workload.
fn pods(kind: &str, v: &ChartValues) -> (u32, u32) {
    match kind {
        "job" | "cronjob" => (1, 1),
        _ if v.autoscaling.enabled => (v.autoscaling.min_replicas, v.autoscaling.max_replicas),
        _ => (v.replica_count, v.replica_count),
    }
}

pub fn resource_rows(plan: &Plan) -> Vec<ResourceRow> {
    let mut rows = Vec::new();
    for s in &plan.services {
        for e in &s.environments {
            let v = &e.values;
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
            });
        }
    }
    rows
}

pub fn resource_totals(plan: &Plan) -> Vec<NamespaceTotal> {
    plan.environments
        .iter()
        .map(|env| {
            let mut sums = [0.0f64; 4];
            for s in &plan.services {
                let Some(e) = s.environments.iter().find(|e| e.env == env.name) else {
                    continue;
                };
                let v = &e.values;
                let (fewest, most) = pods(&s.workload.kind, v);
                let r = &v.resources;
                for (i, (q, n)) in [
                    (&r.requests.cpu, fewest),
                    (&r.limits.cpu, most),
                    (&r.requests.memory, fewest),
                    (&r.limits.memory, most),
                ]
                .into_iter()
                .enumerate()
                {
                    // The plan's quantities were validated; an unreadable one counts as zero.
                    sums[i] += Quantity::parse(q).map_or(0.0, |q| q.value) * f64::from(n);
                }
            }
            NamespaceTotal {
                env: env.name.clone(),
                namespace: env.namespace.clone(),
                cpu_request: cpu(sums[0]),
                cpu_limit: cpu(sums[1]),
                memory_request: memory(sums[2]),
                memory_limit: memory(sums[3]),
            }
        })
        .collect()
}

/// Cores as Kubernetes writes them: whole cores, else millicores.
fn cpu(cores: f64) -> String {
    let milli = (cores * 1000.0).round() as u64;
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

/// Bytes in Gi when whole, else Mi (rounded up).
fn memory(bytes: f64) -> String {
    const MI: f64 = 1048576.0;
    let mi = (bytes / MI).ceil() as u64;
    if mi % 1024 == 0 && mi > 0 {
        format!("{}Gi", mi / 1024)
    } else {
        format!("{mi}Mi")
    }
}

/// The design summary an orchestration engineer hands over: who gets what, where, and what each
/// namespace must have room for.
pub fn resource_table(plan: &Plan) -> String {
    let header = [
        "SERVICE", "KIND", "ENV", "CPU REQ", "CPU LIM", "MEM REQ", "MEM LIM", "REPLICAS",
    ];
    let mut rows: Vec<[String; 8]> = resource_rows(plan)
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
            ]
        })
        .collect();
    let rows_len = rows.len();
    rows.extend(resource_totals(plan).into_iter().map(|t| {
        [
            "TOTAL".into(),
            String::new(),
            t.env,
            t.cpu_request,
            t.cpu_limit,
            t.memory_request,
            t.memory_limit,
            format!("namespace {}", t.namespace),
        ]
    }));
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
        s.push('\n');
        s
    };
    let mut out = String::from("\n");
    out.push_str(&line(header.to_vec()));
    for (i, r) in rows.iter().enumerate() {
        if i == rows_len {
            // Totals: requests times the fewest pods, limits times the most.
            out.push('\n');
        }
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{cpu, memory};

    #[test]
    fn totals_are_written_as_kubernetes_quantities() {
        assert_eq!(cpu(1.25), "1250m");
        assert_eq!(cpu(2.0), "2");
        assert_eq!(memory(256.0 * 1048576.0 * 4.0), "1Gi");
        assert_eq!(memory(256.0 * 1048576.0 * 3.0), "768Mi");
    }
}
