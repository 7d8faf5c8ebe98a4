//! Optional services: where a service with `profiles:` runs. One decision per place it can run:
//! an environment deploys it when it enables one of its profiles ([`deployed`]); Compose starts
//! it when one of its Compose profiles is enabled ([`compose_profiles`]). Validation has made
//! sure that wherever a service runs, what it depends on runs too.

use super::defaults as d;
use super::layers::EnvSource;
use crate::spec::checked::{Kind, Service};

/// Whether the environment deploys the service (k8s/<env>/ holds it): always, unless the service
/// is optional and the environment enables none of its profiles.
pub(super) fn deployed(svc: &Service, env: EnvSource<'_>) -> bool {
    svc.profiles.is_empty()
        || env
            .spec()
            .is_some_and(|e| e.profiles.iter().any(|p| svc.profiles.contains(p)))
}

/// The Compose profiles of a service: its own when it is optional; else `cron` for a cron job
/// (which would otherwise run once on every `docker compose up`); else none. An optional cron
/// job is behind its own profiles only: behind `cron` too, `--profile cron` would start it
/// without the optional services it may depend on, which Compose refuses.
pub(super) fn compose_profiles(svc: &Service) -> Vec<String> {
    if !svc.profiles.is_empty() {
        svc.profiles.clone()
    } else if svc.kind == Kind::CronJob {
        vec![d::CRON_COMPOSE_PROFILE.into()]
    } else {
        Vec::new()
    }
}

/// What `generate` says about an optional service that no environment deploys.
pub(super) fn notes(name: &str, svc: &Service, envs: &[EnvSource<'_>]) -> Vec<String> {
    if svc.profiles.is_empty() || envs.iter().any(|e| deployed(svc, *e)) {
        return Vec::new();
    }
    let list = svc.profiles.join(", ");
    vec![format!(
        "services.{name} is optional (profiles: {list}) and no environment enables its profiles: k8s/ deploys it nowhere (its chart is still written); enable one with `environments.<env>.profiles: [{}]`, and in Compose with `docker compose --profile {} up`",
        svc.profiles[0], svc.profiles[0]
    )]
}

#[cfg(test)]
mod tests {
    use crate::plan::Plan;

    fn plan(spec: &str) -> Plan {
        let file = crate::spec::parse("t.yaml", spec).unwrap_or_else(|e| panic!("{e}"));
        crate::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"))
    }

    const SPEC: &str = "version: 1\napp: a\nservices:\n  api:\n    image: r.example.com/api:1.0.0\n    ports: [{name: http, port: 80}]\n  model:\n    image: r.example.com/model:1.0.0\n    ports: [{name: http, port: 11434}]\n    profiles: [ai]\n  digest:\n    kind: cronjob\n    schedule: '@daily'\n    image: r.example.com/api:1.0.0\n    depends_on: [model]\n    profiles: [ai]\n  cleanup:\n    kind: cronjob\n    schedule: '@daily'\n    image: r.example.com/api:1.0.0\n";

    #[test]
    fn an_environment_deploys_an_optional_service_only_where_it_enables_a_profile() {
        let p = plan(&format!(
            "{SPEC}environments:\n  dev: {{replicas: 1}}\n  prod: {{replicas: 1, profiles: [ai]}}\n"
        ));
        let deployed = |svc: &str| -> Vec<bool> {
            let s = p.services.iter().find(|s| s.name == svc).unwrap();
            s.environments.iter().map(|e| e.deployed).collect()
        };
        assert_eq!(deployed("api"), [true, true]);
        assert_eq!(deployed("model"), [false, true]);
        assert_eq!(deployed("digest"), [false, true]);
        assert_eq!(deployed("cleanup"), [true, true]);
        // The quota counts what is deployed: dev has api and cleanup, prod all four.
        assert_eq!(p.environments[0].guard_rails.totals.pods, 2);
        assert_eq!(p.environments[1].guard_rails.totals.pods, 4);
        // Somebody enables `ai`: no note.
        assert!(
            !p.notes.iter().any(|n| n.contains("is optional")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn compose_profiles_are_the_services_own_else_cron_for_a_cron_job() {
        let p = plan(SPEC);
        let profiles = |svc: &str| -> Vec<String> {
            let s = p.compose.services.iter().find(|s| s.name == svc).unwrap();
            s.profiles.clone()
        };
        assert!(profiles("api").is_empty());
        assert_eq!(profiles("model"), ["ai"]);
        // An optional cron job is behind its own profiles only: behind `cron` too,
        // `--profile cron` would start it without `model`.
        assert_eq!(profiles("digest"), ["ai"]);
        assert_eq!(profiles("cleanup"), [super::d::CRON_COMPOSE_PROFILE]);
        assert_eq!(p.compose.profiles, ["ai"]);
    }

    #[test]
    fn an_optional_service_no_environment_enables_is_noted() {
        // The built-in environments enable no profile.
        let p = plan(SPEC);
        assert!(
            p.services
                .iter()
                .find(|s| s.name == "model")
                .unwrap()
                .environments
                .iter()
                .all(|e| !e.deployed)
        );
        for svc in ["model", "digest"] {
            assert!(
                p.notes
                    .iter()
                    .any(|n| n.starts_with(&format!("services.{svc} is optional (profiles: ai)"))),
                "{:?}",
                p.notes
            );
        }
        assert!(
            !p.notes
                .iter()
                .any(|n| n.starts_with("services.api is optional"))
        );
    }
}
