//! `chartwright init` without a terminal: flags, `--yes`, refusals and Compose import.

mod common;

use std::path::{Path, PathBuf};

use chartwright::pipeline::{self, Inputs};
use chartwright::spec::{self, SecretEntry, SpecFile};
use common::cli::Project;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/compose").join(name)
}

fn read_spec(dir: &Path) -> SpecFile {
    let text = std::fs::read_to_string(dir.join("chartwright.yaml")).unwrap();
    assert!(text.contains("# "), "the spec is commented");
    spec::parse("chartwright.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn generates(dir: &Path) {
    let (plan, files) = pipeline::generate(&Inputs {
        spec: dir.join("chartwright.yaml"),
        ..Inputs::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!plan.services.is_empty());
    assert!(!files.is_empty());
}

fn secrets(f: &SpecFile, svc: &str) -> Vec<String> {
    f.spec.services[svc]
        .value
        .secrets
        .iter()
        .map(|s| match &s.value {
            SecretEntry::Name(n) => n.clone(),
            SecretEntry::WithValue(_) => panic!("a secret value"),
        })
        .collect()
}

fn deps(f: &SpecFile, svc: &str) -> Vec<String> {
    f.spec.services[svc]
        .value
        .depends_on
        .iter()
        .map(|d| d.value.clone())
        .collect()
}

fn backing(f: &SpecFile) -> Vec<(String, String, String)> {
    f.spec
        .backing
        .iter()
        .map(|(n, b)| {
            (
                n.clone(),
                b.value.kind.value.clone(),
                b.value.version.value.as_text(),
            )
        })
        .collect()
}

#[test]
fn without_a_terminal_and_without_yes_it_fails_fast_naming_the_missing_answers() {
    let dir = Project::empty();
    let out = dir
        .run(["init", "--app", "shop"])
        .within(std::time::Duration::from_secs(30))
        .fails(2);
    let err = out.stderr();
    for flag in ["--image", "--port", "--liveness", "--cpu-request", "--env"] {
        assert!(err.contains(flag), "{flag} not named in: {err}");
    }
    assert!(!err.contains("--app "), "{err}");
    assert!(!dir.path().join("chartwright.yaml").exists());
}

#[test]
fn an_existing_spec_is_never_overwritten_without_force() {
    let dir = Project::with_spec("# mine\n");
    let out = dir
        .run(["init", "--yes", "--image", "api:1.0.0", "--port", "8080"])
        .fails(2);
    assert!(out.stderr().contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("chartwright.yaml")).unwrap(),
        "# mine\n"
    );
    dir.run([
        "init",
        "--yes",
        "--image",
        "api:1.0.0",
        "--port",
        "8080",
        "--force",
        "--app",
        "shop",
    ])
    .succeeds();
    read_spec(dir.path());
}

#[test]
fn bad_flag_values_are_refused_with_the_spec_rule() {
    let dir = Project::empty();
    for (args, needle) in [
        (vec!["--image", "api:latest"], "latest"),
        (vec!["--image", "api:1", "--name", "Shop_App"], "DNS label"),
        (
            vec!["--image", "api:1", "--cpu-request", "lots"],
            "quantity",
        ),
        (
            vec![
                "--image",
                "api:1",
                "--memory-request",
                "1Gi",
                "--memory-limit",
                "512Mi",
            ],
            "below",
        ),
        (
            vec!["--image", "api:1", "--depends-on", "postgress"],
            "postgres",
        ),
        (
            vec!["--image", "api:1", "--depends-on", "postgres:9"],
            "supported versions",
        ),
        (
            vec!["--image", "api:1", "--liveness", "healthz"],
            "start with `/`",
        ),
        (
            vec!["--image", "api:1", "--ingress-host", "API.example.com"],
            "host name",
        ),
    ] {
        let out = dir
            .run(["init", "--yes", "--app", "shop"])
            .args(&args)
            .fails(2);
        let err = out.stderr();
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!dir.path().join("chartwright.yaml").exists());
    }
}

#[test]
fn flags_and_yes_write_a_valid_spec_and_generate() {
    let dir = Project::empty();
    dir.run([
        "init",
        "--yes",
        "--app",
        "shop",
        "--name",
        "api",
        "--image",
        "registry.example.com/shop/api:1.4.2",
        "--port",
        "3000",
        "--port",
        "9090",
        "--liveness",
        "/live",
        "--depends-on",
        "postgres:16",
        "--depends-on",
        "redis",
        "--env",
        "dev",
        "--env",
        "qa",
        "--env",
        "prod",
        "--ingress-host",
        "api.example.com",
        "--autoscale-min",
        "3",
        "--autoscale-max",
        "12",
    ])
    .succeeds();
    let f = read_spec(dir.path());
    assert_eq!(f.spec.app.value, "shop");
    let api = &f.spec.services["api"].value;
    assert_eq!(api.image.value, "registry.example.com/shop/api:1.4.2");
    assert_eq!(
        api.ports
            .iter()
            .map(|p| p.value.port.value)
            .collect::<Vec<_>>(),
        [3000, 9090]
    );
    assert_eq!(
        api.health
            .as_ref()
            .unwrap()
            .liveness
            .as_ref()
            .unwrap()
            .value
            .probe()
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .value,
        "/live"
    );
    assert_eq!(deps(&f, "api"), ["postgres", "redis"]);
    assert_eq!(
        backing(&f),
        [
            ("postgres".into(), "postgres".into(), "16".into()),
            ("redis".into(), "redis".into(), "7".into())
        ]
    );
    let envs: Vec<&str> = f
        .spec
        .environments
        .as_ref()
        .unwrap()
        .value
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(envs, ["dev", "qa", "prod"]);
    let prod = &f.spec.environments.as_ref().unwrap().value[2].value;
    let a = &prod.autoscaling.as_ref().unwrap().value;
    assert_eq!((a.min.value, a.max.value), (3, 12));
    assert!(dir.path().join("deploy/docker-compose.yml").is_file());
    generates(dir.path());
}

#[test]
fn dockerfile_detection_fills_the_defaults() {
    let dir = Project::empty().file(
        "Dockerfile",
        "FROM node:20-alpine AS build\nRUN npm ci\nFROM node:20-alpine\nEXPOSE 3000/tcp 9229\nUSER 1001\nHEALTHCHECK --interval=30s CMD wget -qO- http://localhost:3000/health || exit 1\n",
    );
    let out = dir
        .run([
            "init",
            "--yes",
            "--app",
            "shop",
            "--image",
            "shop/api:1.0.0",
            "--no-generate",
        ])
        .succeeds();
    let err = out.stderr();
    assert!(err.contains("node:20-alpine"), "{err}");
    let f = read_spec(dir.path());
    let s = &f.spec.services["shop"].value;
    assert_eq!(
        s.ports
            .iter()
            .map(|p| p.value.port.value)
            .collect::<Vec<_>>(),
        [3000, 9229]
    );
    assert_eq!(s.run_as_user.as_ref().unwrap().value, 1001);
    assert_eq!(
        s.health
            .as_ref()
            .unwrap()
            .readiness
            .as_ref()
            .unwrap()
            .value
            .probe()
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .value,
        "/health"
    );
    assert!(!dir.path().join("deploy").exists());
}

#[test]
fn an_existing_k8s_folder_is_never_the_output() {
    let dir = Project::empty();
    std::fs::create_dir(dir.path().join("k8s")).unwrap();
    dir.run([
        "init",
        "--yes",
        "--app",
        "shop",
        "--image",
        "api:1.0.0",
        "--port",
        "8080",
        "-o",
        "k8s",
    ])
    .fails(2);
    assert!(!dir.path().join("chartwright.yaml").exists());
    let out = dir
        .run([
            "init",
            "--yes",
            "--app",
            "shop",
            "--image",
            "api:1.0.0",
            "--port",
            "8080",
        ])
        .succeeds();
    assert!(out.stderr().contains("k8s/"));
}

#[test]
fn imports_a_web_api_postgres_redis_stack() {
    let dir = Project::empty();
    let out = dir
        .run(["init", "--app", "acme", "--from-compose"])
        .arg(fixture("web-api-postgres-redis.yml"))
        .succeeds();
    let err = out.stderr();
    let f = read_spec(dir.path());
    assert_eq!(f.spec.services.keys().collect::<Vec<_>>(), ["api", "web"]);
    assert_eq!(
        backing(&f),
        [
            ("cache".into(), "redis".into(), "7".into()),
            ("db".into(), "postgres".into(), "16".into())
        ]
    );
    let api = &f.spec.services["api"].value;
    assert_eq!(api.image.value, "ghcr.io/acme/api:1.9.0");
    assert_eq!(api.ports[0].value.port.value, 3000);
    assert_eq!(
        api.health
            .as_ref()
            .unwrap()
            .liveness
            .as_ref()
            .unwrap()
            .value
            .probe()
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .value,
        "/healthz"
    );
    assert_eq!(api.env["LOG_LEVEL"].value.as_text(), "info");
    assert!(!api.env.contains_key("DATABASE_URL"), "injected from db");
    // Only secret-looking names become secrets; `${SENTRY_DSN}` has no value in the file and is
    // listed instead.
    assert_eq!(secrets(&f, "api"), ["JWT_SECRET"]);
    assert!(err.contains("SENTRY_DSN"), "{err}");
    assert_eq!(deps(&f, "api"), ["db", "cache"]);
    assert_eq!(deps(&f, "web"), ["api"]);
    let web = &f.spec.services["web"].value;
    assert_eq!(web.ports[0].value.port.value, 8080);
    assert_eq!(
        web.health
            .as_ref()
            .unwrap()
            .readiness
            .as_ref()
            .unwrap()
            .value
            .probe()
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .value,
        "/"
    );
    // Secret values were dropped with a warning; the bind mount is listed, the named volume not.
    assert!(
        err.contains("JWT_SECRET") && err.contains("value was dropped"),
        "{err}"
    );
    assert!(err.contains("./init.sql"), "{err}");
    assert!(!err.contains("pgdata:"), "{err}");
    let text = std::fs::read_to_string(dir.path().join("chartwright.yaml")).unwrap();
    assert!(!text.contains("hunter2") && !text.contains("changeme") && !text.contains("example\""));
    assert!(text.contains("# Not carried over") && text.contains("init.sql"));
    assert!(dir.path().join("deploy/docker-compose.yml").is_file());
    generates(dir.path());
}

#[test]
fn imports_short_depends_on_without_healthchecks() {
    let dir = Project::empty();
    // `backend` is `latest`: refused until pinned.
    let out = dir
        .run(["init", "--app", "shop", "--from-compose"])
        .arg(fixture("short-depends.yml"))
        .fails(2);
    let err = out.stderr();
    assert!(
        err.contains("backend") && err.contains("--image-tag"),
        "{err}"
    );
    assert!(!dir.path().join("chartwright.yaml").exists());

    let out = dir
        .run([
            "init",
            "--app",
            "shop",
            "--image-tag",
            "backend=2.0.1",
            "--from-compose",
        ])
        .arg(fixture("short-depends.yml"))
        .succeeds();
    let err = out.stderr();
    let f = read_spec(dir.path());
    // `legacy` publishes only a port range and `olddb` (postgres 9.6, outside the catalog's
    // range, so a service of its own) no port: neither is given an invented one, both are
    // workers, and the range is listed.
    assert_eq!(
        f.spec.services.keys().collect::<Vec<_>>(),
        ["backend", "frontend", "legacy", "olddb"]
    );
    for w in ["legacy", "olddb"] {
        let s = &f.spec.services[w].value;
        assert!(s.ports.is_empty(), "{w}");
        assert_eq!(s.kind.as_ref().unwrap().value, "worker");
    }
    assert_eq!(
        f.spec.services["backend"].value.image.value,
        "acme/backend:2.0.1"
    );
    assert_eq!(
        f.spec.services["backend"].value.ports[0].value.port.value,
        5000
    );
    assert!(f.spec.services["backend"].value.health.is_none());
    assert_eq!(
        backing(&f),
        [
            ("mongo".into(), "mongodb".into(), "7".into()),
            ("queue".into(), "rabbitmq".into(), "3.12".into())
        ]
    );
    assert_eq!(deps(&f, "frontend"), ["backend"]);
    assert_eq!(deps(&f, "backend"), ["mongo", "queue", "legacy", "olddb"]);
    assert_eq!(secrets(&f, "backend"), ["API_TOKEN"]);
    for dropped in ["network_mode", "9000-9005", "networks"] {
        assert!(err.contains(dropped), "{dropped} not listed: {err}");
    }
    generates(dir.path());
}

#[test]
fn imports_build_contexts_and_lists_env_files() {
    let dir = Project::empty();
    let out = dir
        .run(["init", "--app", "acme", "--from-compose"])
        .arg(fixture("build-envfile.yml"))
        .fails(2);
    let err = out.stderr();
    assert!(err.contains("worker") && err.contains("api"), "{err}");

    let out = dir
        .run([
            "init",
            "--app",
            "acme",
            "--image-tag",
            "worker=0.3.0",
            "--image-tag",
            "api=1.0.0",
            "--from-compose",
        ])
        .arg(fixture("build-envfile.yml"))
        .succeeds();
    let err = out.stderr();
    let f = read_spec(dir.path());
    let worker = &f.spec.services["worker"].value;
    assert_eq!(worker.kind.as_ref().unwrap().value, "worker");
    // Rebased from the Compose file's folder onto the spec's (issue 16: copied unchanged, the
    // context pointed at a folder that does not exist).
    let resolves_to = |build: &str| {
        let mut p = std::fs::canonicalize(dir.path()).unwrap();
        for c in Path::new(build).components() {
            match c {
                std::path::Component::ParentDir => {
                    p.pop();
                }
                std::path::Component::CurDir => {}
                other => p.push(other),
            }
        }
        p
    };
    let compose_dir = std::fs::canonicalize(fixture("build-envfile.yml"))
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    assert_eq!(
        resolves_to(&worker.build.as_ref().unwrap().value),
        compose_dir.join("worker")
    );
    assert_eq!(worker.image.value, "acme/worker:0.3.0");
    assert_eq!(
        worker.command.as_ref().unwrap().value,
        ["python", "-m", "worker"]
    );
    assert!(!worker.env.contains_key("REDIS_URL"), "injected from cache");
    assert_eq!(worker.env["QUEUE"].value.as_text(), "jobs");
    let api = &f.spec.services["api"].value;
    assert_eq!(
        resolves_to(&api.build.as_ref().unwrap().value),
        compose_dir.join("api")
    );
    assert_eq!(api.image.value, "registry.example.com/acme/api:1.0.0");
    assert_eq!(api.ports[0].value.port.value, 8000);
    assert_eq!(
        api.health
            .as_ref()
            .unwrap()
            .liveness
            .as_ref()
            .unwrap()
            .value
            .probe()
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .value,
        "/health/live"
    );
    assert_eq!(deps(&f, "api"), ["cache"]);
    assert_eq!(backing(&f), [("cache".into(), "redis".into(), "7".into())]);
    for dropped in [
        "env_file `.env`",
        "env_file `.env.local`",
        "Dockerfile.prod",
        "./api:/app",
    ] {
        assert!(err.contains(dropped), "{dropped} not listed: {err}");
    }
    generates(dir.path());
}

/// `init --yes --from-compose compose.yaml` in `dir`, which must succeed.
fn import_compose_yaml(dir: &Project) -> common::cli::Ran {
    dir.run([
        "init",
        "--app",
        "acme",
        "--yes",
        "--from-compose",
        "compose.yaml",
    ])
    .succeeds()
}

#[test]
fn a_service_with_a_hundred_pass_through_variables_imports() {
    // Jitsi Meet's web service passes ~190 variables through from the shell: each is listed
    // as not carried, and that long comment block must not stop the written spec (or the
    // Compose file, whose comment blocks are as long) from parsing.
    let mut compose = String::from(
        "services:\n  web:\n    image: acme/web:1.0.0\n    ports: [\"8000:80\"]\n    environment:\n",
    );
    for i in 0..150 {
        compose.push_str(&format!("      - PASS_{i}\n"));
    }
    for i in 0..150 {
        compose.push_str(&format!("      # a comment line {i}\n"));
    }
    compose.push_str("      - LAST=1\n");
    let dir = Project::empty().file("compose.yaml", &compose);
    import_compose_yaml(&dir);
    let f = read_spec(dir.path());
    assert!(f.spec.services.contains_key("web"));
    let text = std::fs::read_to_string(dir.path().join("chartwright.yaml")).unwrap();
    assert!(text.contains("PASS_149"), "every variable is listed");
}

#[test]
fn a_service_publishing_udp_first_imports_without_an_invented_probe() {
    // Jitsi's videobridge publishes its UDP media port before its TCP API, and has no
    // healthcheck; a DNS relay publishes only UDP. The probes default to the first port, and
    // no probe can check UDP.
    let dir = Project::empty().file(
        "compose.yaml",
        "services:\n  jvb:\n    image: jitsi/jvb:10133\n    ports:\n      - '10000:10000/udp'\n      - '127.0.0.1:8080:8080'\n  dns:\n    image: acme/dns:1.0.0\n    ports: ['53:53/udp']\n",
    );
    import_compose_yaml(&dir);
    let f = read_spec(dir.path());
    let jvb = &f.spec.services["jvb"].value;
    let ports: Vec<_> = jvb.ports.iter().map(|p| p.value.port.value).collect();
    assert_eq!(ports, [8080, 10000], "the TCP port goes first");
    assert!(
        jvb.health.is_none(),
        "the plan's TCP check of 8080, nothing made up"
    );
    let text = std::fs::read_to_string(dir.path().join("chartwright.yaml")).unwrap();
    assert!(text.contains("liveness: none"), "{text}");
    generates(dir.path());
}

#[test]
fn deploy_resources_include_and_extends_are_imported() {
    // Swarm-style limits, a file `include`d and a service that `extends` another in a second
    // file: all read as `docker compose` reads them, nothing made up.
    let dir = Project::empty()
        .file(
            "compose.yaml",
            "include:\n  - jobs.yaml\nservices:\n  api:\n    extends:\n      file: common.yaml\n      service: base\n    ports: ['8080:8080']\n    deploy:\n      replicas: 2\n      resources:\n        limits: { cpus: '0.1', memory: 64M }\n        reservations: { memory: 32m }\n    depends_on:\n      cache:\n        condition: service_started\n        restart: true\n",
        )
        .file(
            "common.yaml",
            "services:\n  base:\n    image: acme/api:1.0.0\n    environment:\n      LOG_LEVEL: info\n",
        )
        .file(
            "jobs.yaml",
            "services:\n  cache:\n    image: acme/cache:2.0.0\n    expose: ['7000']\n",
        );
    let out = import_compose_yaml(&dir);
    let err = out.stderr();
    let f = read_spec(dir.path());
    let api = &f.spec.services["api"].value;
    assert_eq!(
        api.image.value, "acme/api:1.0.0",
        "from the extended service"
    );
    let r = api.resources.as_ref().unwrap();
    let limits = r.limits.clone().unwrap();
    assert_eq!(limits.cpu.unwrap().value.as_text(), "0.1");
    assert_eq!(limits.memory.unwrap().value.as_text(), "64Mi");
    let requests = r.requests.clone().unwrap();
    assert_eq!(requests.memory.unwrap().value.as_text(), "32Mi");
    assert_eq!(
        requests.cpu.unwrap().value.as_text(),
        "0.1",
        "a limit below the default request is the request too"
    );
    assert!(
        f.spec.services.contains_key("cache"),
        "the included service"
    );
    for listed in ["deploy.replicas", "`restart: true`"] {
        assert!(err.contains(listed), "{listed} not listed: {err}");
    }
    generates(dir.path());
}
