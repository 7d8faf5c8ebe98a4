//! `init --from-compose` and the files a Compose service names (issue 14): `env_file:` entries
//! (named by the spec where it can read them as they are, else copied with Compose's precedence,
//! secrets by name only) and bind-mounted files (config files of the repository, or listed with
//! the reason). The Compose file sits in a sub-folder of the repository while the spec is written
//! at its root, so every path is rebased.

mod common;

use std::path::{Path, PathBuf};

use chartwright::init::compose::MAX_DIRECTORY_FILES;
use chartwright::pipeline::{self, Inputs};
use chartwright::plan::Plan;
use chartwright::yaml::parse_documents;
use common::cli::Project;
use serde_json::Value;

/// A repository (a `.git` folder) holding `files`.
fn repository(files: &[(&str, &[u8])]) -> Project {
    let p = Project::empty();
    std::fs::create_dir_all(p.join(".git")).unwrap();
    for (rel, bytes) in files {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    p
}

/// `init --from-compose COMPOSE` run in `dir`: the spec written, and the report.
fn import(dir: &Path, compose: &str) -> (String, String) {
    let out = common::cli::chartwright([
        "init",
        "--yes",
        "--app",
        "acme",
        "--env",
        "dev",
        "--env",
        "prod",
        "--no-generate",
        "--from-compose",
        compose,
    ])
    .in_dir(dir)
    .succeeds();
    (
        std::fs::read_to_string(dir.join("chartwright.yaml")).unwrap(),
        out.stderr(),
    )
}

/// Generates `<dir>/chartwright.yaml` into `<dir>/deploy` as `chartwright generate` does: the
/// plan and the generated docker-compose.yml, parsed.
fn generate_in(dir: &Path) -> (Plan, Value) {
    let inputs = pipeline::resolve(&Inputs {
        spec: dir.join("chartwright.yaml"),
        out: Some(dir.join("deploy")),
        ..Inputs::default()
    })
    .unwrap();
    let (plan, files) = pipeline::generate(&inputs).unwrap_or_else(|e| panic!("{e}"));
    chartwright::output::write(
        &files,
        &dir.join("deploy"),
        &chartwright::output::WriteOptions::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.join("deploy/docker-compose.yml")).unwrap();
    (plan, parse_documents(&text).unwrap().remove(0))
}

fn generate(p: &Project) -> Value {
    generate_in(p.path()).1
}

fn env_of(compose: &Value, svc: &str) -> Vec<(String, String)> {
    compose["services"][svc]["environment"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn get<'a>(env: &'a [(String, String)], k: &str) -> Option<&'a str> {
    env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

const ENV_COMPOSE: &str = r#"services:
  api:
    image: acme/api:1.2.3
    ports: ["8080:8080"]
    env_file: app.env
    environment:
      LOG_LEVEL: debug
  worker:
    image: acme/worker:1.2.3
    env_file:
      - base.env
      - path: ./secret.env
        required: true
      - path: ./.env.production
        required: false
    environment:
      MODE: from-environment
  missing:
    image: acme/missing:1.2.3
    env_file: .env.missing
  web:
    image: acme/web:1.2.3
    ports: ["3000:3000"]
    env_file: web.env
    depends_on: [db]
  db:
    image: postgres:16
"#;

#[test]
fn env_files_are_named_where_the_spec_reads_them_else_copied_as_compose_merges_them() {
    let p = repository(&[
        ("ops/compose.yaml", ENV_COMPOSE.as_bytes()),
        ("ops/app.env", b"REGION=eu\nexport TIMEOUT=\"30\"  # seconds\n"),
        (
            "ops/base.env",
            b"MODE=base\nURL=http://x\nSHARED=first\nGREETING=hello $$USER\n",
        ),
        (
            "ops/secret.env",
            b"SHARED=second\nAPI_TOKEN=token-value\nPLAIN='$literal'\nDB_URL=postgres://u:url-pass@db/x\nJWT_PRIVATE_KEY=\"-----BEGIN KEY-----\r\nkey-body\r\n-----END KEY-----\"\r\nAFTER_KEY=1\r\n",
        ),
        ("ops/web.env", b"DB_HOST=elsewhere\nREGION=eu\n"),
    ]);
    let (spec, report) = import(p.path(), "ops/compose.yaml");
    // `api`: one plain file, named by every environment (relative to the spec, not to the
    // Compose file), and not copied.
    assert_eq!(
        spec.matches(r#""api": { env_file: "ops/app.env" }"#)
            .count(),
        2,
        "{spec}"
    );
    let api = &spec[spec.find("  \"api\":").unwrap()..spec.find("  \"worker\":").unwrap()];
    assert!(!api.contains("REGION"), "{api}");
    // `worker`: later files over earlier ones, `environment:` over all, secrets by name only,
    // a single-quoted `$` literal.
    assert!(
        report.contains("env_file `./.env.production` (optional, `required: false`, and not found at ops/.env.production)"),
        "{report}"
    );
    // `missing`: a required file that is not there is listed (Compose refuses to start), and the
    // import goes on.
    assert!(
        report.contains("env_file `.env.missing` (not found at ops/.env.missing: `docker compose` refuses to start without it"),
        "{report}"
    );
    // `web`: the file sets a variable `db` injects, so it cannot be named; it is copied and
    // the injected one wins.
    assert!(!spec.contains("\"web\": { env_file"), "{spec}");
    assert!(
        report.contains("environment `DB_HOST: elsewhere` (`db` injects `DB_HOST` itself"),
        "{report}"
    );
    for secret in ["token-value", "url-pass", "key-body"] {
        assert!(!spec.contains(secret), "{secret} in the spec:\n{spec}");
    }

    let compose = generate(&p);
    let api = env_of(&compose, "api");
    assert_eq!(get(&api, "REGION"), Some("eu"));
    assert_eq!(get(&api, "TIMEOUT"), Some("30"));
    assert_eq!(get(&api, "LOG_LEVEL"), Some("debug"));
    let worker = env_of(&compose, "worker");
    assert_eq!(get(&worker, "MODE"), Some("from-environment"));
    assert_eq!(get(&worker, "SHARED"), Some("second"));
    assert_eq!(get(&worker, "URL"), Some("http://x"));
    assert_eq!(get(&worker, "GREETING"), Some("hello $$USER"));
    assert_eq!(get(&worker, "PLAIN"), Some("$$literal"));
    // A quoted value spans lines (a PEM key, in a Windows file): the lines after it still count.
    assert_eq!(get(&worker, "AFTER_KEY"), Some("1"));
    for s in ["API_TOKEN", "DB_URL", "JWT_PRIVATE_KEY"] {
        assert!(
            get(&worker, s).unwrap().starts_with(&format!("${{{s}:?")),
            "{worker:?}"
        );
    }
    let web = env_of(&compose, "web");
    assert_eq!(get(&web, "REGION"), Some("eu"));
    assert_ne!(get(&web, "DB_HOST"), Some("elsewhere"));
    let generated = std::fs::read_to_string(p.join("deploy/docker-compose.yml")).unwrap();
    for secret in ["token-value", "url-pass", "key-body"] {
        assert!(
            !generated.contains(secret),
            "{secret} in docker-compose.yml"
        );
    }

    // The named file stays the one source: an edit reaches the output without a new import.
    std::fs::write(p.join("ops/app.env"), "REGION=us\nTIMEOUT=30\n").unwrap();
    assert_eq!(get(&env_of(&generate(&p), "api"), "REGION"), Some("us"));
}

/// A few bytes that are not UTF-8.
fn binary() -> Vec<u8> {
    vec![0xff, 0xfe, 0x00, 0x01]
}

const BIND_COMPOSE: &str = r#"services:
  proxy:
    image: acme/proxy:1.2.3
    ports: ["80:80"]
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - ./app.ini:/etc/app/app.ini
      - type: bind
        source: ./conf/long.yaml
        target: /etc/long.yaml
        read_only: true
      - ./conf:/etc/conf.d
      - ./snippets:/etc/snippets/
      - ./many:/etc/many
      - ./empty:/etc/empty
      - /var/run/docker.sock:/var/run/docker.sock
      - ./gone.conf:/etc/gone.conf
      - ./blob.bin:/etc/blob.bin
      - ./big.txt:/etc/big.txt
      - ../../outside.conf:/etc/outside.conf
      - ${CONF_DIR}/x.conf:/etc/x.conf
      - ~/.ssh/id_ed25519:/root/.ssh/id_ed25519
      - data:/var/lib/proxy
volumes:
  data:
"#;

#[test]
fn bind_mounted_files_become_config_files_named_from_the_spec_and_the_rest_is_listed() {
    let big = "a".repeat(chartwright::spec::MAX_CONFIG_FILE_BYTES + 1);
    let p = repository(&[
        ("repo/ops/compose.yaml", BIND_COMPOSE.as_bytes()),
        (
            "repo/ops/nginx.conf",
            b"events {}\nhttp { server { listen 80; } }\n",
        ),
        ("repo/ops/app.ini", b"[app]\nmode = fast\n"),
        ("repo/ops/conf/long.yaml", b"key: value\n"),
        ("repo/ops/conf/nested/deep.conf", b"x\n"),
        ("repo/ops/snippets/b.conf", b"b = 2\n"),
        ("repo/ops/snippets/a.conf", b"a = 1\n"),
        ("repo/ops/blob.bin", &binary()),
        ("repo/ops/big.txt", big.as_bytes()),
        ("outside.conf", b"not the repository's\n"),
    ]);
    for i in 0..=MAX_DIRECTORY_FILES {
        common::put(&p.join("repo/ops/many"), &format!("{i}.conf"), "x\n");
    }
    std::fs::create_dir_all(p.join("repo/ops/empty")).unwrap();
    // The repository is `repo/` (its own .git), inside the project folder.
    std::fs::create_dir_all(p.join("repo/.git")).unwrap();
    let repo = p.join("repo");
    let (spec, report) = import(&repo, "ops/compose.yaml");
    let config: Vec<&str> = spec
        .lines()
        .filter(|l| l.contains("{ source: "))
        .map(str::trim)
        .collect();
    assert_eq!(
        config,
        [
            r#"- { source: "ops/nginx.conf", mount_path: "/etc/nginx/nginx.conf" }"#,
            r#"- { source: "ops/app.ini", mount_path: "/etc/app/app.ini" }"#,
            r#"- { source: "ops/conf/long.yaml", mount_path: "/etc/long.yaml" }"#,
            r#"- { source: "ops/snippets/a.conf", mount_path: "/etc/snippets/a.conf" }"#,
            r#"- { source: "ops/snippets/b.conf", mount_path: "/etc/snippets/b.conf" }"#,
        ],
        "{spec}"
    );
    assert!(
        spec.contains(
            "volume `./snippets:/etc/snippets/`: a directory of 2 file(s), mounted file by file"
        ),
        "{spec}"
    );
    assert!(
        spec.contains("volume `./app.ini:/etc/app/app.ini`: a config file, mounted read-only"),
        "a writable bind mount is said to become read-only:\n{spec}"
    );
    for (volume, why) in [
        (
            "./conf:/etc/conf.d",
            "a directory with folders in it (`nested`)",
        ),
        ("./many:/etc/many", "a directory of 9 files (more than 8)"),
        ("./empty:/etc/empty", "an empty directory"),
        (
            "/var/run/docker.sock:/var/run/docker.sock",
            "the Docker socket",
        ),
        ("./gone.conf:/etc/gone.conf", "not found at ops/gone.conf"),
        ("./blob.bin:/etc/blob.bin", "not UTF-8"),
        ("./big.txt:/etc/big.txt", "larger than 1 MiB"),
        (
            "../../outside.conf:/etc/outside.conf",
            "outside the repository",
        ),
        (
            "${CONF_DIR}/x.conf:/etc/x.conf",
            "`${CONF_DIR}` has no value",
        ),
        ("~/.ssh/id_ed25519:/root/.ssh/id_ed25519", "home folder"),
    ] {
        let line = report
            .lines()
            .find(|l| l.contains(&format!("volume `{volume}`")))
            .unwrap_or_else(|| panic!("{volume} not listed:\n{report}"));
        assert!(line.contains(why), "{volume}: {line}");
        assert!(
            spec.contains(line.trim()),
            "{volume} not in the spec's comments"
        );
    }

    let (plan, compose) = generate_in(&repo);
    // The generated Compose file mounts the same files at the same paths, read-only.
    let real = |p: PathBuf| p.canonicalize().unwrap();
    let binds: Vec<(PathBuf, String, bool)> = compose["services"]["proxy"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["type"] == "bind")
        .map(|v| {
            (
                real(repo.join("deploy").join(v["source"].as_str().unwrap())),
                v["target"].as_str().unwrap().to_string(),
                v["read_only"] == true,
            )
        })
        .collect();
    let ops = repo.join("ops");
    assert_eq!(
        binds,
        [
            (
                real(ops.join("nginx.conf")),
                "/etc/nginx/nginx.conf".into(),
                true
            ),
            (real(ops.join("app.ini")), "/etc/app/app.ini".into(), true),
            (
                real(ops.join("conf/long.yaml")),
                "/etc/long.yaml".into(),
                true
            ),
            (
                real(ops.join("snippets/a.conf")),
                "/etc/snippets/a.conf".into(),
                true
            ),
            (
                real(ops.join("snippets/b.conf")),
                "/etc/snippets/b.conf".into(),
                true
            ),
        ]
    );
    // Kubernetes gets them from a ConfigMap holding the files' text.
    let k8s = std::fs::read_to_string(repo.join("deploy/k8s/dev/proxy.yaml")).unwrap();
    assert!(
        k8s.contains("mode = fast") && k8s.contains("listen 80;"),
        "{k8s}"
    );
    assert!(
        k8s.contains("mountPath: \"/etc/nginx/nginx.conf\""),
        "{k8s}"
    );
    // Compose itself reads the generated file the same way.
    if let Some(tool) = common::require("docker-compose") {
        let config = common::compose_config(&tool, &plan, &repo.join("deploy")).unwrap();
        let mounted: Vec<(String, String)> = config["services"]["proxy"]["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["type"] == "bind")
            .map(|v| {
                (
                    v["source"].as_str().unwrap().to_string(),
                    v["target"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = binds
            .iter()
            .map(|(s, t, _)| (s.display().to_string(), t.clone()))
            .collect();
        assert_eq!(mounted, want);
    }
}

#[test]
fn a_compose_file_given_as_text_lists_its_files_as_not_read() {
    let imp = chartwright::init::compose::import_text(
        "services:\n  api:\n    image: acme/api:1.0.0\n    env_file: app.env\n    volumes: [\"./a.conf:/etc/a.conf\"]\n",
        "acme",
        &Default::default(),
        &Default::default(),
    )
    .unwrap();
    let listed = &imp.services[0].not_carried;
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("env_file `app.env` (not read")),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with("volume `./a.conf:/etc/a.conf` (not read")),
        "{listed:?}"
    );
}
