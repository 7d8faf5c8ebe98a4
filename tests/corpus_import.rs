//! Issue 14's proof on real files: every Compose file of `tests/corpus/` imports without hand
//! edits (flags only pin images the file leaves unpinned), generates, passes the conformance
//! tools (Helm lint, kubernetes-validate, Compose config; skipped like the others when a tool is
//! missing), invents no port and no probe (each traces back to the Compose file), and a service
//! with nothing left out round-trips to the same image, command, ports and environment in the
//! generated docker-compose.yml.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chartwright::output::{self, WriteOptions};
use chartwright::pipeline::{self, Inputs};
use chartwright::plan::Plan;
use chartwright::yaml::parse_documents;
use serde_json::Value;

use chartwright::init::compose::{shell_words, vars};
use common::{require, root, run, tool};

struct Case {
    dir: &'static str,
    file: &'static str,
    /// `--image-tag` pins, only for images the file leaves unpinned.
    pins: &'static [&'static str],
    /// The project's documented `.env` template, copied to `.env` as its install guide says
    /// (`cp env.example .env`), when the repository ships no `.env` itself.
    dot_env: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        dir: "authentik",
        file: "docker-compose.yml",
        pins: &["redis=7-alpine"],
        dot_env: None,
    },
    Case {
        dir: "elasticsearch-logstash-kibana",
        file: "compose.yaml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "gitea-postgres",
        file: "compose.yaml",
        pins: &["gitea=1.22.3", "db=16-alpine"],
        dot_env: None,
    },
    Case {
        dir: "hexbug",
        file: "compose.yml",
        pins: &["bot=ghcr.io/object-object/hexbug:1.0.0"],
        dot_env: None,
    },
    Case {
        dir: "immich",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "mastodon",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "mattermost",
        file: "docker-compose.yml",
        pins: &["mattermost=mattermost/mattermost-team-edition:10.5.2"],
        dot_env: None,
    },
    Case {
        dir: "n8n-ai-starter-kit",
        file: "docker-compose.yml",
        pins: &[
            "n8nio/n8n=1.80.3",
            "qdrant=v1.13.4",
            "ollama/ollama=0.5.12",
            "nginx=2.12.3",
        ],
        dot_env: None,
    },
    Case {
        dir: "n8n-queue-mode",
        file: "docker-compose.yml",
        pins: &["docker.n8n.io/n8nio/n8n=1.80.3", "n8nio/runners=1.80.3"],
        dot_env: None,
    },
    Case {
        dir: "nextcloud-redis-mariadb",
        file: "docker-compose.yaml",
        pins: &["redis=7-alpine", "db=10.11"],
        dot_env: None,
    },
    Case {
        dir: "nginx-golang-postgres",
        file: "compose.yaml",
        pins: &["backend=1.0.0", "db=16", "proxy=1.27.3"],
        dot_env: None,
    },
    Case {
        dir: "paperless-ngx",
        file: "docker-compose.postgres-tika.yml",
        pins: &["webserver=2.14.7", "tika=2.9.2.1"],
        dot_env: None,
    },
    Case {
        dir: "pihole-cloudflared-doh",
        file: "compose.yaml",
        pins: &["cloudflared=2024.12.1", "pihole=2024.07.0"],
        dot_env: None,
    },
    Case {
        dir: "plausible-ce",
        file: "compose.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "prometheus-grafana",
        file: "compose.yaml",
        pins: &["prometheus=v2.55.1", "grafana=11.3.1"],
        dot_env: None,
    },
    Case {
        dir: "react-java-mysql",
        file: "compose.yaml",
        pins: &["backend=1.0.0", "frontend=1.0.0"],
        dot_env: None,
    },
    Case {
        dir: "sentry-self-hosted",
        file: "docker-compose.yml",
        pins: &[
            "sentry-self-hosted-local=25.1.0",
            "tianon/exim4=20241209",
            "clickhouse-self-hosted-local=25.1.0",
            "symbolicator-cleanup-self-hosted-local=25.1.0",
            "vroom-cleanup-self-hosted-local=25.1.0",
            "sentry-cleanup-self-hosted-local=25.1.0",
        ],
        dot_env: None,
    },
    Case {
        dir: "supabase",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: None,
    },
    // Applications not seen while the import was built (issue 14's acceptance).
    Case {
        dir: "confluent-kraft",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "jitsi-meet",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: Some("env.example"),
    },
    Case {
        dir: "langfuse",
        file: "docker-compose.yml",
        pins: &[
            "clickhouse=25.3",
            "minio=RELEASE.2025-04-22T22-12-26Z",
            "postgres=17",
        ],
        dot_env: None,
    },
    Case {
        dir: "nextcloud-aio",
        file: "compose.yaml",
        pins: &["nextcloud-aio-mastercontainer=20250325_084656"],
        dot_env: None,
    },
    Case {
        dir: "penpot",
        file: "docker-compose.yaml",
        pins: &[
            "penpotapp/frontend=2.4.3",
            "penpotapp/backend=2.4.3",
            "penpotapp/exporter=2.4.3",
            "sj26/mailcatcher=v0.10.0",
        ],
        dot_env: None,
    },
    Case {
        dir: "plane",
        file: "docker-compose.yml",
        pins: &[
            "makeplane/plane-frontend=v0.24.1",
            "makeplane/plane-space=v0.24.1",
            "makeplane/plane-backend=v0.24.1",
            "makeplane/plane-proxy=v0.24.1",
            "minio/minio=RELEASE.2025-04-22T22-12-26Z",
            "minio/mc=RELEASE.2025-04-16T18-13-26Z",
        ],
        dot_env: None,
    },
    Case {
        dir: "signoz",
        file: "docker-compose.yaml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "temporal-postgres",
        file: "docker-compose-postgres.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "twenty",
        file: "docker-compose.yml",
        pins: &["ubuntu=24.04", "twentycrm/twenty=v0.40.0", "redis=7.4"],
        dot_env: None,
    },
    Case {
        dir: "zammad",
        file: "docker-compose.yml",
        pins: &[],
        dot_env: None,
    },
    Case {
        dir: "zulip",
        file: "compose.yaml",
        pins: &["memcached=1.6.38-alpine", "redis=7.4-alpine"],
        dot_env: None,
    },
];

/// One corpus file, imported and generated.
struct Imported {
    _dir: tempfile::TempDir,
    out: PathBuf,
    plan: Plan,
    spec_text: String,
    /// The Compose side: the file, its override and its `.env`, as text.
    source: String,
    /// The import report (stderr of `init`).
    report: String,
    /// The Compose file as Compose reads it (merge keys resolved), and its `.env`.
    original: Value,
    env_file: std::collections::BTreeMap<String, String>,
    /// The folder the Compose file was imported from (the corpus copy and any fixtures).
    copy: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn import(case: &Case) -> Result<Imported, String> {
    import_with(case, &[])
}

/// `case` imported with `extra` files written beside the corpus copy first (fixtures for the
/// files the corpus lacks: a bind-mounted config file, a user's env file), in a repository.
fn import_with(case: &Case, extra: &[(&str, &str)]) -> Result<Imported, String> {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("tests/corpus/compose").join(case.dir);
    copy_dir(&from, dir.path());
    if let Some(template) = case.dot_env {
        std::fs::copy(from.join(template), dir.path().join(".env")).unwrap();
    }
    for (rel, text) in extra {
        common::put(dir.path(), rel, text);
    }
    if !extra.is_empty() {
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartwright"));
    cmd.current_dir(dir.path())
        .args([
            "init", "--yes", "--app", "corpus", "--env", "dev", "--env", "prod",
        ])
        .args(["--no-generate", "--from-compose", case.file]);
    for p in case.pins {
        cmd.arg("--image-tag").arg(p);
    }
    let (ok, _, report) = run(&mut cmd);
    if !ok {
        return Err(format!("init failed:\n{report}"));
    }
    let spec = dir.path().join("chartwright.yaml");
    let out = dir.path().join("deploy");
    // As `generate` runs: bind-mount sources are rebased onto the output folder.
    let inputs = pipeline::resolve(&Inputs {
        spec: spec.clone(),
        out: Some(out.clone()),
        ..Default::default()
    })
    .map_err(|e| format!("generate failed: {e}"))?;
    let (plan, files) = pipeline::generate(&inputs).map_err(|e| format!("generate failed: {e}"))?;
    output::write(&files, &out, &WriteOptions::default()).map_err(|e| e.to_string())?;
    let from = dir.path();
    let mut source = std::fs::read_to_string(from.join(case.file)).unwrap();
    for extra in ["compose.override.yml", "compose.override.yaml", ".env"] {
        if let Ok(t) = std::fs::read_to_string(from.join(extra)) {
            source.push('\n');
            source.push_str(&t);
        }
    }
    let original =
        chartwright::init::compose::parse(&std::fs::read_to_string(from.join(case.file)).unwrap())
            .unwrap();
    let env_file = std::fs::read_to_string(from.join(".env"))
        .map(|t| vars::parse_env_file(&t))
        .unwrap_or_default();
    Ok(Imported {
        original,
        env_file,
        copy: from.to_path_buf(),
        spec_text: std::fs::read_to_string(&spec).unwrap(),
        _dir: dir,
        out,
        plan,
        source,
        report,
    })
}

/// Whether `n` appears in `text` as a whole number.
fn has_number(text: &str, n: i64) -> bool {
    let n = n.to_string();
    text.match_indices(&n).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + n.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Every port and probe of the generated manifests traces back to the Compose file.
fn invented(imp: &Imported) -> Vec<String> {
    let mut out = Vec::new();
    for env in &imp.plan.environments {
        let dir = imp.out.join("k8s").join(&env.name);
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for doc in parse_documents(&text).unwrap() {
                for c in containers(&doc) {
                    let ports: Vec<(String, i64)> = c["ports"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| {
                            (
                                p["name"].as_str().unwrap_or_default().to_string(),
                                p["containerPort"].as_i64().unwrap_or_default(),
                            )
                        })
                        .collect();
                    for (_, n) in &ports {
                        if !has_number(&imp.source, *n) {
                            out.push(format!(
                                "{}: port {n} is not in the Compose file",
                                path.display()
                            ));
                        }
                    }
                    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                        let p = &c[probe];
                        if p.is_null() {
                            continue;
                        }
                        if let Some(path_) = p["httpGet"]["path"].as_str()
                            && !imp.source.contains(path_)
                        {
                            out.push(format!(
                                "{}: {probe} path {path_} is not in the Compose file",
                                path.display()
                            ));
                        }
                        for how in ["httpGet", "tcpSocket", "grpc"] {
                            let port = &p[how]["port"];
                            let n = port.as_i64().or_else(|| {
                                port.as_str()
                                    .and_then(|name| ports.iter().find(|(n, _)| n == name))
                                    .map(|(_, n)| *n)
                            });
                            if let Some(n) = n
                                && !has_number(&imp.source, n)
                            {
                                out.push(format!(
                                    "{}: {probe} port {n} is not in the Compose file",
                                    path.display()
                                ));
                            }
                        }
                        if let Some(cmd) = p["exec"]["command"].as_array() {
                            let words: Vec<&str> = cmd.iter().filter_map(Value::as_str).collect();
                            let last = words.last().copied().unwrap_or_default();
                            let first_word = last.split_whitespace().next().unwrap_or_default();
                            if !imp.source.contains(first_word) {
                                out.push(format!(
                                    "{}: {probe} command {words:?} is not in the Compose file",
                                    path.display()
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn containers(doc: &Value) -> Vec<&Value> {
    let spec = &doc["spec"];
    let pod = if !spec["template"].is_null() {
        &spec["template"]["spec"]
    } else if !spec["jobTemplate"].is_null() {
        &spec["jobTemplate"]["spec"]["template"]["spec"]
    } else {
        return Vec::new();
    };
    pod["containers"].as_array().into_iter().flatten().collect()
}

/// helm lint --strict, kubernetes-validate --strict and compose config on the output.
fn conformance(imp: &Imported) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(helm) = tool("helm3").or_else(|| require("helm3")) {
        for svc in &imp.plan.services {
            let chart = imp.out.join("charts").join(&svc.name);
            let (ok, stdout, stderr) = run(Command::new(&helm)
                .arg("lint")
                .arg("--strict")
                .arg(&chart)
                .arg("-f")
                .arg(chart.join("values-prod.yaml")));
            if !ok {
                out.push(format!(
                    "helm lint --strict {}:\n{stdout}\n{stderr}",
                    svc.name
                ));
            }
        }
    }
    if let Some(kv) = require("kubernetes-validate") {
        let mut files = Vec::new();
        for env in &imp.plan.environments {
            for e in std::fs::read_dir(imp.out.join("k8s").join(&env.name)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.sort();
        let (ok, stdout, stderr) = run(Command::new(&kv)
            .args(["--strict", "-k", "1.33", "--quiet"])
            .args(&files));
        if !ok {
            out.push(format!("kubernetes-validate:\n{stdout}\n{stderr}"));
        }
    }
    if let Some(compose) = require("docker-compose") {
        common::write_dot_env(&imp.plan, &imp.out);
        let (ok, _, stderr) = run(Command::new(&compose)
            .arg("-f")
            .arg(imp.out.join("docker-compose.yml"))
            .arg("--project-directory")
            .arg(&imp.out)
            .env_remove("COMPOSE_PROJECT_NAME")
            .args(["config", "-q"]));
        if !ok {
            out.push(format!("docker-compose config:\n{stderr}"));
        }
    }
    out
}

#[test]
fn every_corpus_file_imports_generates_passes_the_tools_and_invents_nothing() {
    let mut failures = Vec::new();
    let mut figures = Vec::new();
    for case in CASES {
        let imp = match import(case) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{}: {e}", case.dir));
                continue;
            }
        };
        let inv = invented(&imp);
        let conf = conformance(&imp);
        let listed = imp.spec_text.matches("#   - ").count();
        figures.push(format!(
            "{}: {} services, {} backing, {} not-carried lines, invented {}, conformance {}",
            case.dir,
            imp.plan.services.len(),
            imp.plan.backing.len(),
            listed,
            inv.len(),
            if conf.is_empty() { "passed" } else { "FAILED" }
        ));
        failures.extend(inv.into_iter().map(|m| format!("{}: {m}", case.dir)));
        failures.extend(conf.into_iter().map(|m| format!("{}: {m}", case.dir)));
        let _ = &imp.report;
    }
    eprintln!("{}", figures.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The spec's services, each with what the import listed as not carried over for it (the
/// comment block above it).
fn services_and_listed(spec_text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut block = String::new();
    let mut in_services = false;
    for line in spec_text.lines() {
        if line == "services:" {
            in_services = true;
            continue;
        }
        if !in_services {
            continue;
        }
        if !line.starts_with(' ') && !line.starts_with('#') {
            break;
        }
        if line.starts_with("  #") {
            block.push_str(line);
            block.push('\n');
        } else if let Some(name) = line
            .strip_prefix("  \"")
            .and_then(|l| l.strip_suffix("\":"))
        {
            out.push((name.to_string(), std::mem::take(&mut block)));
        }
    }
    out
}

fn words(v: &Value, vars_: &std::collections::BTreeMap<String, String>) -> Option<Vec<String>> {
    let raw = match v {
        Value::Array(a) => a.iter().map(text).collect(),
        Value::Null => return None,
        other => shell_words(&text(other))?,
    };
    Some(
        raw.iter()
            .map(|w| vars::interpolate(w, vars_).text)
            .collect(),
    )
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Compose escapes `$` as `$$` in what chartwright writes: read it back as Compose does.
fn unescape(s: &str) -> String {
    s.replace("$$", "$")
}

/// Compares each imported service of `imp` with the Compose file: image, command, entrypoint,
/// ports, named volumes and bind-mounted files at the same paths, and the environment Compose
/// would start it with (its env files, then `environment:`), except what the spec lists as not
/// carried. Returns the number of services compared.
fn round_trip(case: &Case, imp: &Imported, failures: &mut Vec<String>) -> usize {
    let mut compared = 0;
    let generated =
        parse_documents(&std::fs::read_to_string(imp.out.join("docker-compose.yml")).unwrap())
            .unwrap()
            .remove(0);
    for (name, listed) in services_and_listed(&imp.spec_text) {
        let Some(orig) = imp.original["services"].get(&name) else {
            continue;
        };
        let generated_svc = &generated["services"][&name];
        let fail = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            format!(
                "{}/{name}: {what}: Compose file {a:?}, generated {b:?}",
                case.dir
            )
        };
        compared += 1;
        // The image; where a flag pinned it, the repository.
        if let Some(img) = orig.get("image") {
            let want = vars::interpolate(&text(img), &imp.env_file).text;
            let repo = chartwright::init::compose::image::split_image(&want).0;
            let pinned = case
                .pins
                .iter()
                .any(|p| p.starts_with(&format!("{name}=")) || p.starts_with(&format!("{repo}=")));
            let got = unescape(generated_svc["image"].as_str().unwrap_or_default());
            let whole = case
                .pins
                .iter()
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .filter(|v| v.contains(['/', ':']));
            let same = if let Some(w) = whole {
                got == w
            } else if pinned {
                got.starts_with(&format!("{repo}:"))
            } else {
                got == want
            };
            if !same {
                failures.push(fail("image", &want, &got));
            }
        }
        // An optional service stays optional, under the same profiles.
        if !listed.contains("profiles ") && !listed.contains("profile `") {
            let list = |v: Option<&Value>| -> Vec<String> {
                v.and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(text)
                    .collect()
            };
            let want = list(orig.get("profiles"));
            let got = list(generated_svc.get("profiles"));
            if !want.is_empty() && want != got {
                failures.push(fail("profiles", &want, &got));
            }
        }
        for key in ["command", "entrypoint"] {
            if listed.contains(&format!("`{key}")) {
                continue;
            }
            let want = orig.get(key).and_then(|v| words(v, &imp.env_file));
            let got = generated_svc
                .get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|w| unescape(&text(w))).collect::<Vec<_>>());
            if want.is_some() && want != got {
                failures.push(fail(key, &want, &got));
            }
        }
        let got_ports: Vec<String> = generated_svc["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(text)
            .collect();
        for key in ["ports", "expose"] {
            for p in orig
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                // The long form (`target:`, `protocol:`) as the short one it means.
                let p = match p {
                    Value::Object(m) => format!(
                        "{}/{}",
                        m.get("target").map(text).unwrap_or_default(),
                        m.get("protocol").map(text).unwrap_or("tcp".into())
                    ),
                    other => text(other),
                };
                let p = vars::interpolate(&p, &imp.env_file).text;
                if listed.contains(&format!("port `{p}`"))
                    || listed.contains("a job runs to completion")
                {
                    continue;
                }
                let (body, proto) = p.split_once('/').unwrap_or((&p, "tcp"));
                let container = body.rsplit(':').next().unwrap_or_default();
                let found = got_ports.iter().any(|g| {
                    let (gb, gp) = g.split_once('/').unwrap_or((g, "tcp"));
                    gb.rsplit(':').next() == Some(container) && gp == proto
                });
                if !found {
                    failures.push(fail("port", &p, &got_ports));
                }
            }
        }
        // Named volumes the import kept are mounted at the same path; bind-mounted files it
        // kept are the same files (each generated bind traces back to one of the file's).
        let mut got_volumes = Vec::new();
        let mut got_binds = Vec::new();
        for v in generated_svc["volumes"].as_array().into_iter().flatten() {
            match v {
                Value::Object(m) => {
                    let target = m.get("target").map(text).unwrap_or_default();
                    let source = imp.out.join(unescape(m["source"].as_str().unwrap()));
                    got_binds.push((target.clone(), source.canonicalize().ok()));
                    got_volumes.push(target);
                }
                other => got_volumes.push(
                    text(other)
                        .split(':')
                        .nth(1)
                        .unwrap_or_default()
                        .to_string(),
                ),
            }
        }
        let mut bind_targets = Vec::new();
        for v in orig
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (written, source, target) = match v {
                Value::Object(m) => {
                    let source = m.get("source").map(text).unwrap_or_default();
                    let target = m.get("target").map(text).unwrap_or_default();
                    (format!("{source}:{target}"), source, target)
                }
                other => {
                    let t = text(other);
                    let i = vars::interpolate(&t, &imp.env_file).text;
                    let mut parts = i.split(':');
                    let source = parts.next().unwrap_or_default().to_string();
                    let target = parts.next().unwrap_or_default().to_string();
                    (t, source, target)
                }
            };
            let target = target.trim_end_matches('/').to_string();
            let source = vars::interpolate(&source, &imp.env_file).text;
            let is_bind = source.starts_with(['.', '/', '~']);
            if is_bind {
                bind_targets.push(target.clone());
            }
            // Listed as not carried (a line of the "Not carried" list, not a note).
            let said = listed.contains(&format!("- volume `{written}`"))
                || (!is_bind && listed.contains("a job runs to completion: persistent volumes"));
            let dir = imp.copy.join(&source);
            if is_bind && dir.is_dir() && !said {
                // A small directory is mounted file by file.
                for e in std::fs::read_dir(&dir).unwrap() {
                    let e = e.unwrap();
                    let want = (
                        format!("{target}/{}", e.file_name().to_string_lossy()),
                        e.path().canonicalize().ok(),
                    );
                    if !got_binds.contains(&want) {
                        failures.push(fail("file of a bind-mounted directory", &want, &got_binds));
                    }
                    bind_targets.push(want.0);
                }
            } else if said {
                continue;
            } else if !got_volumes.contains(&target) {
                failures.push(fail("volume", &written, &got_volumes));
            } else if is_bind {
                let want = dir.canonicalize().ok();
                if !got_binds.contains(&(target.clone(), want.clone())) {
                    failures.push(fail("bind-mounted file", &(want, target), &got_binds));
                }
            }
        }
        for (target, source) in &got_binds {
            if !bind_targets.contains(target) {
                failures.push(fail("invented bind mount", &"nothing", &(target, source)));
            }
        }
        // The environment Compose starts the service with: its env files in order, then
        // `environment:` over them. A file that is not there must be listed.
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        let mut set = |k: String, v: Option<String>| match entries.iter_mut().find(|(n, _)| *n == k)
        {
            Some(slot) => slot.1 = v,
            None => entries.push((k, v)),
        };
        let env_files: Vec<String> = match orig.get("env_file") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|f| f.get("path").map(text).unwrap_or_else(|| text(f)))
                .collect(),
            Some(f) => vec![text(f)],
            None => Vec::new(),
        };
        for f in env_files {
            match std::fs::read_to_string(imp.copy.join(&f)) {
                Ok(t) => {
                    for l in chartwright::spec::env_file::lines(&t).into_iter().flatten() {
                        let v = l.value.clone().map(|v| {
                            if l.interpolated() {
                                v
                            } else {
                                v.replace('$', "$$")
                            }
                        });
                        set(l.name, v);
                    }
                }
                Err(_) => {
                    if !listed.contains(&format!("env_file `{f}`")) {
                        failures.push(fail("a missing env_file is not listed", &f, &listed));
                    }
                }
            }
        }
        for (k, v) in chartwright::init::compose::env::entries(
            orig.get("environment").unwrap_or(&Value::Null),
        ) {
            set(k, v);
        }
        for (k, v) in entries {
            if listed.contains(&format!("`{k}")) {
                continue;
            }
            let got = generated_svc["environment"].get(&k).map(text);
            let Some(got) = got else {
                failures.push(fail(&format!("environment {k}"), &v, &"missing"));
                continue;
            };
            let want = v.map(|v| vars::interpolate(&v, &imp.env_file).text);
            // A secret's value comes from .env: the generated file refers to it.
            let secret = got.contains(&format!("${{{k}"));
            if !secret && want.as_deref() != Some(unescape(&got).as_str()) {
                failures.push(fail(&format!("environment {k}"), &want, &got));
            }
        }
    }
    compared
}

#[test]
fn what_the_import_carries_round_trips_to_the_same_container() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for case in CASES {
        match import(case) {
            Ok(imp) => compared += round_trip(case, &imp, &mut failures),
            Err(e) => failures.push(format!("{}: {e}", case.dir)),
        }
    }
    eprintln!("round-trip: {compared} imported services compared");
    assert!(compared > 0, "no corpus service round-trips");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_dockerfiles_give_the_final_stage_ports_protocols_and_probe_port() {
    use chartwright::init::dockerfile::parse;
    let read = |name: &str| {
        parse(
            &std::fs::read_to_string(
                root()
                    .join("tests/corpus/dockerfiles")
                    .join(name)
                    .join("Dockerfile"),
            )
            .unwrap(),
        )
    };
    let ports = |name: &str| -> Vec<String> {
        read(name)
            .ports
            .iter()
            .map(|p| format!("{}{}", p.number, if p.udp { "/udp" } else { "" }))
            .collect()
    };
    // The final stage's EXPOSE wins over a builder's.
    assert_eq!(ports("vue-contact-app"), ["8080"]);
    assert!(
        ports("iplogger").is_empty(),
        "the builder's 3000 does not run"
    );
    assert!(ports("nginx-golang-postgres-backend").is_empty());
    // Protocols are kept, a number open on both is two ports.
    let adguard = ports("adguardhome");
    for p in [
        "53", "53/udp", "67/udp", "68/udp", "443/udp", "3000/udp", "6060",
    ] {
        assert!(adguard.contains(&p.to_string()), "{p}: {adguard:?}");
    }
    assert_eq!(adguard.len(), 14, "{adguard:?}");
    assert_eq!(ports("frankenphp-joomla"), ["80", "443", "443/udp", "2019"]);
    // The probe port comes from HEALTHCHECK, not from the first EXPOSE.
    assert_eq!(
        read("frankenphp-joomla").health,
        Some(("/metrics".into(), 2019))
    );
    assert_eq!(read("outline").health, Some(("/_health".into(), 3000)));
    // A HEALTHCHECK without a URL is not made into an HTTP probe.
    assert_eq!(read("uptime-kuma").health, None);
    assert_eq!(
        ports("uptime-kuma"),
        Vec::<String>::new(),
        "the last stage is an upload helper"
    );
}

/// Files several corpus applications reference but do not publish (a proxy's configuration, a
/// Logstash pipeline, Prometheus and Grafana configuration folders, Mastodon's
/// `.env.production`, Paperless's settings), written as fixtures
/// beside the corpus copy: with them present, bind-mounted files become config files, env files
/// are named or copied, the output passes the tools, and each service round-trips (the same
/// files at the same paths, the same environment); no secret value reaches the spec or output.
#[test]
fn files_the_corpus_lacks_are_carried_once_present() {
    const NGINX: &str = "server {\n    listen 80;\n    location / {\n        proxy_pass http://backend:8000;\n    }\n}\n";
    const PIPELINE: &str = "input { tcp { port => 5000 } }\noutput { elasticsearch { hosts => [\"elasticsearch:9200\"] } }\n";
    const PROMETHEUS: &str = "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [\"localhost:9090\"]\n";
    const DATASOURCE: &str = "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    url: http://prometheus:9090\n    isDefault: true\n";
    // Written after Mastodon's public `.env.production.sample` keys; the values are made up.
    const MASTODON_ENV: &str = "# Generated with mastodon:setup\nLOCAL_DOMAIN=social.example.com\nSINGLE_USER_MODE=false\nSECRET_KEY_BASE=0f3c9a1b2e\nOTP_SECRET=9a1b0f3c2e\nVAPID_PRIVATE_KEY=vapid-private-value\nVAPID_PUBLIC_KEY=BPx2public\nDB_HOST=db\nDB_PORT=5432\nDB_NAME=postgres\nDB_USER=postgres\nDB_PASS=db-pass-value\nREDIS_HOST=redis\nREDIS_PORT=6379\nS3_ENABLED=false\nSMTP_SERVER=smtp.example.com\nSMTP_PORT=587\nSMTP_LOGIN=mastodon\nSMTP_PASSWORD=smtp-pass-value\nSMTP_FROM_ADDRESS='Mastodon <notifications@social.example.com>'\n";
    const PAPERLESS_ENV: &str = "# docker-compose.env, filled in\nUSERMAP_UID=1000\nPAPERLESS_TIME_ZONE=Europe/Berlin\nPAPERLESS_OCR_LANGUAGE=deu # German\n";
    let secret_values = [
        "0f3c9a1b2e",
        "9a1b0f3c2e",
        "vapid-private-value",
        "db-pass-value",
        "smtp-pass-value",
    ];
    let find = |dir: &str| CASES.iter().find(|c| c.dir == dir).unwrap();
    let runs = [
        (
            find("nginx-golang-postgres"),
            vec![("proxy/nginx.conf", NGINX)],
            vec![r#"{ source: "proxy/nginx.conf", mount_path: "/etc/nginx/conf.d/default.conf" }"#],
        ),
        (
            find("elasticsearch-logstash-kibana"),
            vec![
                ("logstash/pipeline/logstash-nginx.config", PIPELINE),
                ("logstash/nginx.log", "127.0.0.1 - - GET / 200\n"),
            ],
            vec![
                r#"{ source: "logstash/pipeline/logstash-nginx.config", mount_path: "/usr/share/logstash/pipeline/logstash-nginx.config" }"#,
                r#"{ source: "logstash/nginx.log", mount_path: "/home/nginx.log" }"#,
            ],
        ),
        (
            find("prometheus-grafana"),
            vec![
                ("etc/prometheus/prometheus.yml", PROMETHEUS),
                ("grafana/datasource.yml", DATASOURCE),
            ],
            vec![
                r#"{ source: "etc/prometheus/prometheus.yml", mount_path: "/prometheus/prometheus.yml" }"#,
                r#"{ source: "grafana/datasource.yml", mount_path: "/etc/grafana/provisioning/datasources/datasource.yml" }"#,
                "a directory of 1 file(s), mounted file by file",
            ],
        ),
        (
            find("mastodon"),
            vec![(".env.production", MASTODON_ENV)],
            vec![
                "- \"SECRET_KEY_BASE\"",
                "- \"DB_PASS\"",
                "- \"SMTP_PASSWORD\"",
                "\"LOCAL_DOMAIN\": \"social.example.com\"",
                "\"SMTP_FROM_ADDRESS\": \"Mastodon <notifications@social.example.com>\"",
                "`.env.production`: its variables are copied below (`SECRET_KEY_BASE` is a secret)",
            ],
        ),
        (
            find("paperless-ngx"),
            vec![("docker-compose.env", PAPERLESS_ENV)],
            vec!["\"webserver\": { env_file: \"docker-compose.env\" }"],
        ),
    ];
    let mut failures = Vec::new();
    let mut compared = 0;
    for (case, extra, want) in &runs {
        let imp = match import_with(case, extra) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{}: {e}", case.dir));
                continue;
            }
        };
        for w in want {
            if !imp.spec_text.contains(w) {
                failures.push(format!(
                    "{}: the spec lacks {w}:\n{}",
                    case.dir, imp.spec_text
                ));
            }
        }
        for (rel, _) in extra {
            if imp.report.contains(&format!("{rel}` (not found")) {
                failures.push(format!("{}: {rel} is present, yet listed", case.dir));
            }
        }
        let mut files = vec![imp.out.clone()];
        let mut written = vec![imp.spec_text.clone()];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if p.file_name().is_some_and(|n| n != ".env") {
                written.push(std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
        for v in secret_values {
            if written.iter().any(|t| t.contains(v)) {
                failures.push(format!("{}: the secret value {v} was written", case.dir));
            }
        }
        failures.extend(
            invented(&imp)
                .into_iter()
                .map(|m| format!("{}: {m}", case.dir)),
        );
        failures.extend(
            conformance(&imp)
                .into_iter()
                .map(|m| format!("{}: {m}", case.dir)),
        );
        compared += round_trip(case, &imp, &mut failures);
    }
    eprintln!("with fixtures: {compared} services compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Compose `profiles` become optional services. Sentry's `.env` sets
/// `COMPOSE_PROFILES=feature-complete`: every imported environment enables it, and the report
/// says so; the n8n starter kit's `.env` sets none, so no environment deploys its Ollama
/// services, and the report says how to. Compose starts them with `--profile`, as before.
#[test]
fn compose_profiles_become_optional_services() {
    let case = |dir: &str| CASES.iter().find(|c| c.dir == dir).unwrap();
    let sentry = import(case("sentry-self-hosted")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        sentry
            .report
            .contains("COMPOSE_PROFILES in .env enables feature-complete"),
        "{}",
        sentry.report
    );
    assert!(
        sentry
            .spec_text
            .contains("profiles: [\"feature-complete\"]"),
        "the environments enable it"
    );
    let svc = |imp: &Imported, name: &str| {
        imp.plan
            .services
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let replays = svc(&sentry, "snuba-replays-consumer");
    assert_eq!(replays.profiles, ["feature-complete"]);
    assert!(replays.environments.iter().all(|e| e.deployed));
    for env in ["dev", "prod"] {
        assert!(
            sentry
                .out
                .join(format!("k8s/{env}/snuba-replays-consumer.yaml"))
                .is_file()
        );
    }
    // `errors-only` is not enabled: its services are charts, not part of k8s/<env>/.
    let errors_only = svc(&sentry, "web-errors-only");
    assert_eq!(errors_only.profiles, ["errors-only"]);
    assert!(errors_only.environments.iter().all(|e| !e.deployed));
    assert!(!sentry.out.join("k8s/prod/web-errors-only.yaml").exists());
    assert!(
        sentry
            .out
            .join("charts/web-errors-only/values-prod.yaml")
            .is_file()
    );
    assert!(
        sentry
            .report
            .contains("add `profiles: [errors-only]` under an environment"),
        "{}",
        sentry.report
    );

    let n8n = import(case("n8n-ai-starter-kit")).unwrap_or_else(|e| panic!("{e}"));
    let ollama = svc(&n8n, "ollama-cpu");
    assert_eq!(ollama.profiles, ["cpu"]);
    assert!(ollama.environments.iter().all(|e| !e.deployed));
    assert!(!n8n.spec_text.contains("COMPOSE_PROFILES"));
    assert!(
        n8n.report.contains("deployed in no environment"),
        "{}",
        n8n.report
    );
    assert!(
        n8n.plan
            .notes
            .iter()
            .any(|n| n.starts_with("services.ollama-cpu is optional (profiles: cpu)"))
    );
    // The named volume has no invented size: the default applies, and both the spec and
    // generate say so.
    assert!(
        n8n.spec_text
            .contains("No size in Compose: the default applies, set `size`.")
    );
    assert!(!n8n.spec_text.contains("size:"), "no size is written");
    assert!(n8n.plan.notes.iter().any(|n| n.contains("names no size")));
    if let Some(compose) = require("docker-compose") {
        common::write_dot_env(&n8n.plan, &n8n.out);
        let services = |profile: Option<&str>| {
            let mut cmd = Command::new(&compose);
            cmd.arg("-f")
                .arg(n8n.out.join("docker-compose.yml"))
                .arg("--project-directory")
                .arg(&n8n.out)
                .env_remove("COMPOSE_PROJECT_NAME")
                .env_remove("COMPOSE_PROFILES");
            if let Some(p) = profile {
                cmd.args(["--profile", p]);
            }
            let (ok, stdout, stderr) = run(cmd.args(["config", "--services"]));
            assert!(ok, "{stderr}");
            stdout.lines().map(str::to_string).collect::<Vec<_>>()
        };
        assert!(!services(None).contains(&"ollama-cpu".to_string()));
        let cpu = services(Some("cpu"));
        assert!(
            cpu.contains(&"ollama-cpu".to_string())
                && cpu.contains(&"ollama-pull-llama-cpu".to_string())
        );
        assert!(!cpu.contains(&"ollama-gpu".to_string()));
    }
}
