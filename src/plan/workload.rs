//! The workload of a service, decided from its kind: the object that runs its pods, whether it
//! is reached on ports, how a job or cron job runs, and the Helm hooks of a job's chart.

use super::defaults as d;
use super::model::{CronJobValues, HookObject, JobValues, WorkloadPlan};
use crate::spec::checked::{Kind, Service};

/// The templates of a job's chart whose objects its pod needs before it starts: its
/// ServiceAccount, its configuration, its Secret's sync and its NetworkPolicy (without which the
/// namespace's default deny blocks the job's connections).
const JOB_SUPPORT: [&str; 4] = [
    "serviceaccount",
    "configmap",
    "externalsecret",
    "networkpolicy",
];

/// `stateful_set`: the storage plan made the long-running workload a StatefulSet.
pub(super) fn workload(svc: &Service, stateful_set: bool) -> WorkloadPlan {
    let object = match svc.kind {
        Kind::Service | Kind::Worker if stateful_set => "StatefulSet",
        Kind::Service | Kind::Worker => "Deployment",
        Kind::Job => "Job",
        Kind::CronJob => "CronJob",
    };
    let restart_policy = match svc.kind {
        Kind::Service | Kind::Worker => "",
        Kind::Job => "Never",
        Kind::CronJob => "OnFailure",
    };
    let hook = if svc.kind == Kind::Job {
        let annotations = |weight: &str, delete: &str| {
            vec![
                (
                    "helm.sh/hook".to_string(),
                    "pre-install,pre-upgrade".to_string(),
                ),
                ("helm.sh/hook-weight".to_string(), weight.to_string()),
                ("helm.sh/hook-delete-policy".to_string(), delete.to_string()),
            ]
        };
        JOB_SUPPORT
            .iter()
            .map(|t| HookObject {
                template: (*t).to_string(),
                annotations: annotations(d::HOOK_WEIGHT_SUPPORT, "before-hook-creation"),
            })
            .chain(std::iter::once(HookObject {
                template: "job".into(),
                // Replaced at the next release, kept until then (with its pod's logs) whether
                // it succeeded or failed.
                annotations: annotations(d::HOOK_WEIGHT_JOB, "before-hook-creation"),
            }))
            .collect()
    } else {
        Vec::new()
    };
    WorkloadPlan {
        kind: svc.kind.name().into(),
        object: object.into(),
        long_running: !svc.kind.completes(),
        serves: svc.kind == Kind::Service && !svc.ports.is_empty(),
        restart_policy: restart_policy.into(),
        hook,
    }
}

pub(super) fn job(svc: &Service) -> Option<JobValues> {
    svc.kind.completes().then(|| JobValues {
        backoff_limit: svc.job.backoff_limit.unwrap_or(d::JOB_BACKOFF_LIMIT),
        active_deadline_seconds: svc
            .job
            .active_deadline_seconds
            .unwrap_or(d::JOB_ACTIVE_DEADLINE_SECONDS),
        ttl_seconds_after_finished: d::JOB_TTL_SECONDS_AFTER_FINISHED,
    })
}

pub(super) fn cron_job(svc: &Service) -> Option<CronJobValues> {
    (svc.kind == Kind::CronJob).then(|| CronJobValues {
        schedule: svc.schedule.clone().unwrap_or_default(),
        concurrency_policy: svc
            .job
            .concurrency_policy
            .clone()
            .unwrap_or_else(|| d::CRON_CONCURRENCY_POLICY.into()),
        starting_deadline_seconds: svc
            .job
            .starting_deadline_seconds
            .unwrap_or(d::CRON_STARTING_DEADLINE_SECONDS),
        successful_jobs_history_limit: d::CRON_SUCCESSFUL_HISTORY,
        failed_jobs_history_limit: d::CRON_FAILED_HISTORY,
        suspend: false,
    })
}

#[cfg(test)]
mod tests {
    use crate::plan::{Plan, ServicePlan, build};

    fn plan(services: &str) -> Plan {
        let text = format!(
            "version: 1\napp: t\nservices:\n{services}backing:\n  postgres: {{ kind: postgres, version: \"16\" }}\n"
        );
        let file = crate::spec::parse("t.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
        build(&file, None).unwrap_or_else(|e| panic!("{e}"))
    }

    fn service<'a>(p: &'a Plan, name: &str) -> &'a ServicePlan {
        p.services.iter().find(|s| s.name == name).unwrap()
    }

    const IMAGE: &str = "registry.example.com/t/app:1.0.0";

    #[test]
    fn a_service_is_a_deployment_reached_on_its_ports() {
        let p = plan(&format!(
            "  web:\n    image: {IMAGE}\n    ports: [{{ name: http, port: 80 }}]\n"
        ));
        let w = &service(&p, "web").workload;
        assert_eq!(
            (w.object.as_str(), w.long_running, w.serves),
            ("Deployment", true, true)
        );
        assert!(w.hook.is_empty() && w.restart_policy.is_empty());
        let v = &service(&p, "web").base;
        assert!(v.job.is_none() && v.cron_job.is_none() && v.tests.enabled);
        // No health declared: a TCP check of the first port, and a note that says so.
        assert_eq!(v.probes.liveness.kind, "tcp");
        assert_eq!(v.probes.liveness.port, "http");
        assert_eq!(v.probes.readiness.path, "");
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("services.web declares no health check"))
        );
    }

    #[test]
    fn a_worker_runs_long_but_serves_nothing() {
        let p = plan(&format!(
            "  worker:\n    kind: worker\n    image: {IMAGE}\n    command: [work]\n    health: {{ liveness: {{ exec: [check] }} }}\n  web:\n    image: {IMAGE}\n    ports: [{{ name: http, port: 80 }}]\n    depends_on: [worker]\n"
        ));
        let s = service(&p, "worker");
        assert_eq!(s.workload.object, "Deployment");
        assert!(s.workload.long_running && !s.workload.serves);
        let v = &s.base;
        assert!(v.ports.is_empty() && v.service.ports.is_empty() && !v.tests.enabled);
        assert!(
            v.network_policy.ingress_from.is_empty(),
            "admits nothing in"
        );
        assert_eq!(v.probes.liveness.kind, "exec");
        assert_eq!(v.probes.readiness.command, ["check"]);
        assert_eq!(v.args, ["work"]);
        // The web service reaches no port of the worker: no connection, no egress rule.
        let web = &service(&p, "web").base;
        assert!(web.network_policy.egress.iter().all(|e| e.name != "worker"));
        assert!(
            web.connections
                .iter()
                .all(|c| !c.name.starts_with("WORKER_"))
        );
        let c = p.compose.services.iter().find(|c| c.name == "web").unwrap();
        assert_eq!(c.depends_on_condition["worker"], "service_healthy");
    }

    #[test]
    fn a_worker_with_liveness_none_has_no_probe_and_dependents_wait_for_its_start() {
        let p = plan(&format!(
            "  worker:\n    kind: worker\n    image: {IMAGE}\n    health: {{ liveness: none }}\n  web:\n    image: {IMAGE}\n    ports: [{{ name: http, port: 80 }}]\n    depends_on: [worker]\n"
        ));
        let v = &service(&p, "worker").base;
        assert!(!v.probes.liveness.enabled && !v.probes.readiness.enabled);
        assert!(!v.probes.startup.enabled);
        let worker = p
            .compose
            .services
            .iter()
            .find(|c| c.name == "worker")
            .unwrap();
        assert!(worker.healthcheck.test.is_empty());
        let web = p.compose.services.iter().find(|c| c.name == "web").unwrap();
        assert_eq!(web.depends_on_condition["worker"], "service_started");
        assert!(p.notes.iter().any(|n| n.starts_with("services.worker: ")));
    }

    #[test]
    fn a_job_is_a_hook_job_run_once_and_gates_its_dependents() {
        let p = plan(&format!(
            "  migrate:\n    kind: job\n    image: {IMAGE}\n    entrypoint: [/bin/entry]\n    command: [migrate]\n    job: {{ backoff_limit: 0 }}\n    depends_on: [postgres]\n  web:\n    image: {IMAGE}\n    ports: [{{ name: http, port: 80 }}]\n    depends_on: [migrate]\n"
        ));
        let s = service(&p, "migrate");
        assert_eq!(s.workload.object, "Job");
        assert!(!s.workload.long_running && !s.workload.serves);
        assert_eq!(s.workload.restart_policy, "Never");
        let job = s
            .workload
            .hook
            .iter()
            .find(|h| h.template == "job")
            .unwrap();
        assert!(
            job.annotations
                .contains(&("helm.sh/hook".into(), "pre-install,pre-upgrade".into()))
        );
        assert!(
            job.annotations
                .iter()
                .any(|(k, _)| k == "helm.sh/hook-delete-policy")
        );
        // What its pod needs comes first.
        for t in [
            "serviceaccount",
            "configmap",
            "externalsecret",
            "networkpolicy",
        ] {
            let h = s.workload.hook.iter().find(|h| h.template == t).unwrap();
            assert!(
                h.annotations
                    .contains(&("helm.sh/hook-weight".into(), "-10".into()))
            );
        }
        let v = &s.base;
        assert_eq!(v.job.as_ref().unwrap().backoff_limit, 0);
        assert!(v.cron_job.is_none());
        assert!(!v.autoscaling.enabled && !v.pod_disruption_budget.enabled);
        assert!(!v.probes.liveness.enabled && !v.probes.readiness.enabled);
        assert_eq!(
            (v.command.as_slice(), v.args.as_slice()),
            (
                &["/bin/entry".to_string()][..],
                &["migrate".to_string()][..]
            )
        );
        let c = p
            .compose
            .services
            .iter()
            .find(|c| c.name == "migrate")
            .unwrap();
        assert!(c.healthcheck.test.is_empty());
        assert_eq!(c.restart, "no");
        assert_eq!(c.entrypoint, ["/bin/entry"]);
        let web = p.compose.services.iter().find(|c| c.name == "web").unwrap();
        assert_eq!(
            web.depends_on_condition["migrate"],
            "service_completed_successfully"
        );
        // No note about the job's health: it has none by nature.
        assert!(p.notes.iter().all(|n| !n.contains("migrate")));
    }

    #[test]
    fn a_cron_job_runs_on_its_schedule_behind_a_compose_profile() {
        let p = plan(&format!(
            "  cleanup:\n    kind: cronjob\n    schedule: \"@daily\"\n    image: {IMAGE}\n    job: {{ concurrency_policy: Replace }}\n"
        ));
        let s = service(&p, "cleanup");
        assert_eq!(s.workload.object, "CronJob");
        assert_eq!(s.workload.restart_policy, "OnFailure");
        assert!(s.workload.hook.is_empty());
        let cron = s.base.cron_job.as_ref().unwrap();
        assert_eq!(cron.schedule, "@daily");
        assert_eq!(cron.concurrency_policy, "Replace");
        assert_eq!(cron.starting_deadline_seconds, 300);
        assert_eq!(
            (
                cron.successful_jobs_history_limit,
                cron.failed_jobs_history_limit
            ),
            (3, 1)
        );
        let c = p
            .compose
            .services
            .iter()
            .find(|c| c.name == "cleanup")
            .unwrap();
        assert_eq!(c.profiles, ["cron"]);
    }

    #[test]
    fn declared_checks_are_kept_as_declared() {
        let p = plan(&format!(
            "  api:\n    image: {IMAGE}\n    ports: [{{ name: grpc, port: 50051 }}, {{ name: admin, port: 9000 }}]\n    health:\n      liveness: {{ grpc: grpc }}\n      readiness: {{ tcp: 9000 }}\n      shell: bash\n"
        ));
        let v = &service(&p, "api").base;
        assert_eq!(
            (v.probes.liveness.kind.as_str(), v.probes.liveness.grpc_port),
            ("grpc", 50051)
        );
        assert_eq!(
            (
                v.probes.readiness.kind.as_str(),
                v.probes.readiness.port.as_str()
            ),
            ("tcp", "admin")
        );
        // Compose follows readiness: a TCP check through bash, since the image has bash.
        let c = p.compose.services.iter().find(|c| c.name == "api").unwrap();
        assert_eq!(
            c.healthcheck.test,
            ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9000"]
        );
        assert!(p.notes.is_empty(), "{:?}", p.notes);
    }
}
