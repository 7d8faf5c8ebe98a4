//! Property-based fuzzing of the input boundaries: whatever the text, `spec::parse` returns (it
//! never panics), its report renders, and a spec it accepts plans without panicking. The same
//! holds for an org defaults file (`spec::parse_defaults`, then planned under a spec) and for an
//! overlay's `chartwright-overlay.yaml` (`TemplateSet::with_overlay`, then rendered), which must
//! also answer quickly (an exclude glob once took exponential time).
//!
//! Inputs are (a) arbitrary bytes and strings, plain and biased towards YAML punctuation, and
//! (b) mutations of known specs (the examples, a spec using every field, the bad-spec
//! catalogue): lines deleted, duplicated, swapped or re-indented, characters substituted, keys
//! renamed, values replaced with awkward scalars.
//!
//! `cargo test` runs 256 cases per property; `PROPTEST_CASES=100000` runs more. For a time-boxed
//! run that counts executions, see `fuzz_for_a_while` and `scripts/fuzz`.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chartwright::render::TemplateSet;
use chartwright::spec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// A spec that uses every field, so that mutations reach every rule.
const KITCHEN_SINK: &str = r#"version: 1
app: sink
contract: 1
services:
  api:
    image: registry.example.com/sink/api:1.4.2
    build: ./api
    ports:
      - { name: http, port: 3000 }
      - name: metrics
        port: 9090
        protocol: TCP
    health:
      liveness: { http: /healthz, port: http, initial_delay_seconds: 5, period_seconds: 10 }
      readiness: { http: /ready, port: 9090, timeout_seconds: 2, failure_threshold: 3 }
      startup: { http: /started }
      compose_command: [CMD, /bin/check]
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { cpu: "1", memory: 1Gi }
    env:
      LOG_LEVEL: info
      WORKERS: 4
      RATIO: 0.5
      DEBUG: false
      MODE: "0755"
    secrets: [DATABASE_PASSWORD, JWT_SECRET]
    depends_on: [db, cache, queue]
    ingress: { host: api.example.com, path: /api, port: http }
    run_as_user: 1000
    command: [./api, --serve]
    external_secret:
      store: vault
      store_kind: ClusterSecretStore
      refresh_interval: 1h
      remote_key_prefix: sink/
  worker:
    image: registry.example.com/sink/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    ports: [{ name: admin, port: 8081 }]
    depends_on: [api, events]
backing:
  db: { kind: postgres, version: "16", database: sink }
  cache: { kind: redis, version: "7" }
  queue: { kind: rabbitmq, version: "4.0" }
  events: { kind: kafka, version: "3.9", host: kafka.internal.example.com }
  docs: { kind: mongodb, version: "7" }
  legacy: { kind: mysql, version: "8.4" }
environments:
  dev: { replicas: 1, namespace: sink-dev }
  staging:
    replicas: 2
    ingress: { class: nginx, issuer: letsencrypt-staging }
  prod:
    replicas: 3
    autoscaling: { min: 2, max: 20, cpu: 70 }
    ingress: { tls: true, rate_limit_rps: 50 }
    overrides:
      api:
        replicas: 4
        resources: { limits: { memory: 2Gi } }
        autoscaling: { min: 3, max: 30 }
        env: { LOG_LEVEL: warn }
        ingress_host: api.sink.example.com
defaults:
  registry: registry.example.com/sink
  resources: { requests: { cpu: 100m, memory: 128Mi } }
  ingress_class: nginx
  issuer: letsencrypt
  labels: { team: sink }
  annotations: { owner: sink@example.com }
  ingress_controller_namespace: ingress-nginx
"#;

/// The specs mutations start from: valid ones first, then the bad-spec catalogue.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let example = |name| std::fs::read_to_string(common::example(name)).unwrap();
        let mut seeds = vec![
            KITCHEN_SINK.to_string(),
            example("quickstart"),
            example("shop"),
        ];
        let mut bad: Vec<_> = std::fs::read_dir(common::root().join("tests/bad_specs"))
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        bad.sort();
        seeds.extend(bad.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        seeds
    })
}

/// The property: parse, render the report or plan the spec, and nothing panics. Returns
/// whether the spec was accepted.
fn check(text: &str) -> bool {
    // A spec is accepted once it also plans: rules across layers are the plan's.
    match spec::parse("fuzz.yaml", text).and_then(|file| chartwright::plan::build(&file, None)) {
        Ok(plan) => {
            serde_json::to_value(&plan).expect("a plan serializes");
            true
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "an error without diagnostics");
            // Lines as YAML counts them: a lone CR breaks a line too.
            let lines = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .lines()
                .count()
                .max(1) as u32;
            for d in &e.diagnostics {
                assert!(!d.message.is_empty(), "an empty message: {d:?}");
                assert!(d.line <= lines, "line {} of {lines}: {d:?}", d.line);
            }
            let _ = e.to_string();
            false
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Add (or, negative, remove) leading spaces.
    Reindent(usize, i8),
    Substitute(usize, char),
    Insert(usize, String),
    DeleteRange(usize, u8),
    /// Replace the key on a `key:` line.
    RenameKey(usize, String),
    /// Replace the value after `key: ` on a line.
    ReplaceValue(usize, String),
}

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "version", "app", "services", "backing", "environments", "defaults", "image", "ports",
    "name", "port", "protocol", "health", "liveness", "readiness", "http", "resources",
    "requests", "limits", "cpu", "memory", "env", "secrets", "depends_on", "ingress", "host",
    "path", "replicas", "autoscaling", "min", "max", "overrides", "kind", "tls", "<<", "? x",
    "api", "db", "\"quoted key\"", "Api", "api_server", "-", "",
    "registry", "ingress_class", "issuer", "labels", "annotations", "ingress_controller_namespace",
    "exclude", "contract", "app.kubernetes.io/name", "example.com/team",
];

/// Scalars and fragments that sit on the edges of YAML and of the spec's rules.
#[rustfmt::skip]
const AWKWARD: &[&str] = &[
    "", "~", "null", "-1", "0", "65536", "99999999999999999999", "-9223372036854775808",
    "1e400", ".nan", "-.inf", "0x1F", "0o17", "1_000", "yes", "NO", "on", "[]", "{}", "[[[[",
    "]]", "{a: [b, {c: d}]}", "*a", "&a x", "&a [*a]", "!!binary aGk=", "!!str 3", "!!int x",
    "!custom x", "\"\\u0000\\e[2J\"", "'", "\"", "'it''s'", "latest", "api:latest",
    "api@sha256:abc", "250mm", "1.5.0Gi", "-250m", "1e3", "1Ei", "9999999Ei", "|\n  block",
    ">-\n  folded", "\t", " \t ", "# comment", "a # b", "a: b: c", "- x", "? complex",
    "${HOME}", "%YAML 1.2", "---", "...", "\u{feff}", "\u{202e}evil", "ünïcödé", "🦀", "x\ny",
    "../../etc/passwd", "https://example.com/", "*.example.com",
];

/// Values a valid spec might hold somewhere: replacing one often keeps the spec valid, so that
/// the plan is built from many shapes of spec, not only refused.
#[rustfmt::skip]
const PLAUSIBLE: &[&str] = &[
    "1", "2", "3", "5", "100", "1000", "70", "8080", "http", "metrics", "api", "web", "db",
    "cache", "worker", "500m", "2", "0.5", "2Gi", "100Mi", "true", "false", "/healthz", "/",
    "[api]", "[db, cache]", "[]", "{}", "\"16\"", "\"7\"", "\"8.4\"", "postgres", "redis",
    "kafka", "registry.example.com/x/y:2.0.0", "y:1", "a.example.com", "*.example.com", "TCP",
    "UDP", "SCTP", "{ name: http, port: 80 }", "[{ name: grpc, port: 50051 }]", "info",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let fragment = prop_oneof![
        4 => proptest::sample::select(PLAUSIBLE).prop_map(str::to_string),
        4 => proptest::sample::select(AWKWARD).prop_map(str::to_string),
        2 => "[ -~]{0,12}",
        1 => any::<String>(),
        1 => (1usize..2000).prop_map(|n| "x".repeat(n)),
    ];
    let key = prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-z_]{1,12}",
    ];
    let ch = prop_oneof![
        4 => proptest::sample::select(
            &[':', '-', ' ', '\t', '\n', '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>',
              '"', '\'', '%', '@', '`', '?', '0', '9', 'a', 'Z', '.', '\\', '\u{0}', '\u{85}']
                [..]
        ),
        1 => any::<char>(),
    ];
    let i = any::<usize>();
    prop_oneof![
        3 => i.prop_map(Mutation::DeleteLine),
        2 => i.prop_map(Mutation::DuplicateLine),
        1 => (i, i).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (i, -4i8..=4).prop_map(|(a, d)| Mutation::Reindent(a, d)),
        3 => (i, ch).prop_map(|(a, c)| Mutation::Substitute(a, c)),
        2 => (i, fragment.clone()).prop_map(|(a, s)| Mutation::Insert(a, s)),
        1 => (i, any::<u8>()).prop_map(|(a, n)| Mutation::DeleteRange(a, n)),
        3 => (i, key).prop_map(|(a, k)| Mutation::RenameKey(a, k)),
        4 => (i, fragment).prop_map(|(a, s)| Mutation::ReplaceValue(a, s)),
    ]
}

/// The char boundary at or before `i` (mod the length).
fn boundary(text: &str, i: usize) -> usize {
    if text.is_empty() {
        return 0;
    }
    let mut i = i % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len();
    let pick = |i: usize| if n == 0 { 0 } else { i % n };
    match m {
        Mutation::DeleteLine(i) if n > 0 => {
            lines.remove(pick(*i));
        }
        Mutation::DuplicateLine(i) if n > 0 => {
            let l = lines[pick(*i)].clone();
            lines.insert(pick(*i), l);
        }
        Mutation::SwapLines(a, b) if n > 0 => lines.swap(pick(*a), pick(*b)),
        Mutation::Reindent(i, d) if n > 0 => {
            let l = &mut lines[pick(*i)];
            if *d >= 0 {
                l.insert_str(0, &" ".repeat(*d as usize));
            } else {
                let strip = l.len() - l.trim_start_matches(' ').len();
                l.drain(..strip.min(d.unsigned_abs() as usize));
            }
        }
        Mutation::RenameKey(i, k) | Mutation::ReplaceValue(i, k) if n > 0 => {
            // The nth line with a `key:` on it, counting from line i.
            let rename = matches!(m, Mutation::RenameKey(..));
            if let Some(idx) = (0..n)
                .map(|o| (pick(*i) + o) % n)
                .find(|&j| lines[j].contains(": ") || lines[j].trim_end().ends_with(':'))
            {
                let l = &lines[idx];
                let indent = l.len() - l.trim_start().len();
                let colon = l.find(':').unwrap_or(l.len());
                lines[idx] = if rename {
                    format!("{}{k}{}", &l[..indent], &l[colon..])
                } else {
                    format!("{}: {k}", &l[..colon])
                };
            }
        }
        Mutation::Substitute(i, c) => {
            let mut t = text.to_string();
            let at = boundary(&t, *i);
            let end = t[at..].chars().next().map_or(at, |ch| at + ch.len_utf8());
            t.replace_range(at..end, &c.to_string());
            return t;
        }
        Mutation::Insert(i, s) => {
            let mut t = text.to_string();
            t.insert_str(boundary(&t, *i), s);
            return t;
        }
        Mutation::DeleteRange(i, len) => {
            let mut t = text.to_string();
            let at = boundary(&t, *i);
            let end = boundary(&t[at..], *len as usize) + at;
            t.replace_range(at..end.max(at), "");
            return t;
        }
        _ => {}
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// How many seeds are valid specs (they come first).
const VALID_SEEDS: usize = 3;

fn mutated_spec() -> impl Strategy<Value = String> {
    (
        // Mostly from a valid spec, so that many mutants are still accepted and get planned.
        prop_oneof![3 => 0..VALID_SEEDS, 1 => 0..usize::MAX],
        proptest::collection::vec(mutation(), 1..5),
    )
        .prop_map(|(seed, ms)| {
            let seeds = seeds();
            let mut text = seeds[seed % seeds.len()].clone();
            for m in &ms {
                text = apply(&text, m);
            }
            text
        })
}

/// A valid spec with a few values replaced by other plausible ones: mostly still valid, so
/// these exercise the plan rather than the refusals.
fn tweaked_spec() -> impl Strategy<Value = String> {
    let tweak = (
        any::<usize>(),
        proptest::sample::select(PLAUSIBLE).prop_map(str::to_string),
    )
        .prop_map(|(i, v)| Mutation::ReplaceValue(i, v));
    (0..VALID_SEEDS, proptest::collection::vec(tweak, 1..4)).prop_map(|(seed, ms)| {
        let mut text = seeds()[seed].clone();
        for m in &ms {
            text = apply(&text, m);
        }
        text
    })
}

/// Text made of YAML's punctuation, keys and awkward scalars, without the examples' structure.
fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(|k| format!("{k}:")),
        3 => proptest::sample::select(AWKWARD).prop_map(str::to_string),
        3 => "[ \n:\\-\\[\\]{},#&*!|>'\"a-z0-9]{1,6}",
        2 => (0usize..8).prop_map(|n| format!("\n{}", " ".repeat(n))),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn bytes_as_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..512)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Org defaults files the mutations start from: a complete one, then the bad-defaults catalogue.
fn defaults_seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![DEFAULTS_SINK.to_string()];
        seeds.extend(catalogue("tests/bad_defaults"));
        seeds
    })
}

const DEFAULTS_SINK: &str = r#"registry: registry.example.com/org
resources:
  requests: { cpu: 100m, memory: 128Mi }
  limits: { cpu: "1", memory: 1Gi }
ingress_class: nginx
issuer: letsencrypt-prod
labels: { example.com/team: payments, cost-center: "1234" }
annotations: { example.com/owner: "payments@example.com", example.com/runbook: "https://x/y" }
ingress_controller_namespace: ingress-nginx
"#;

/// Overlay configurations the mutations start from.
const OVERLAY_SEEDS: &[&str] = &[
    "exclude: [k8s/**, \"charts/__service__/templates/hpa.yaml\"]\ncontract: 1\n",
    "exclude:\n  - \"**/networkpolicy.yaml.j2\"\n  - .env.example\ndefaults: org.yaml\n",
    "exclude: [\"*/*/*/*\", \"charts/*/README.md\", \"**/?*.j2\"]\n",
    "contract: 2\n",
    "defaults: ../outside.yaml\n",
    // The exponential shape for a backtracking glob matcher, `a*a*a*…b`, with `?` for `a` so
    // that every character of a real template name matches it, and a last character no name
    // ends with: a backtracking matcher tries C(26, 13) ≈ 10^7 splits of
    // `test-networkpolicy.yaml.j2` alone before it fails. globset compiles the pattern to an
    // automaton, so this and its mutations must end at once (check_overlay allows 5 s).
    "exclude: [\"**/*?*?*?*?*?*?*?*?*?*?*?*?*?#\"]\n",
];

fn catalogue(folder: &str) -> Vec<String> {
    let root = common::root();
    let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn small_spec() -> &'static spec::SpecFile {
    static SPEC: OnceLock<spec::SpecFile> = OnceLock::new();
    SPEC.get_or_init(|| spec::parse("spec.yaml", KITCHEN_SINK).expect("the kitchen sink is valid"))
}

/// The property for a defaults file: parse it, then plan the kitchen sink under it, or render
/// the report. Returns whether it was accepted.
fn check_defaults(text: &str) -> bool {
    let outcome = spec::parse_defaults("defaults.yaml", text)
        .and_then(|org| chartwright::plan::build(small_spec(), Some(&org)));
    match outcome {
        Ok(plan) => {
            serde_json::to_value(&plan).expect("a plan serializes");
            true
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "an error without diagnostics");
            for d in &e.diagnostics {
                assert!(!d.message.is_empty(), "an empty message: {d:?}");
            }
            let _ = e.to_string();
            false
        }
    }
}

/// The property for an overlay configuration: load an overlay folder holding it (and a valid
/// org defaults file it may name), render the kitchen sink with it when it loads, all within a
/// few seconds. Returns whether the overlay loaded.
fn check_overlay(text: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("overlay");
    std::fs::create_dir(&overlay).unwrap();
    std::fs::write(overlay.join("chartwright-overlay.yaml"), text).unwrap();
    std::fs::write(overlay.join("org.yaml"), DEFAULTS_SINK).unwrap();
    let started = Instant::now();
    let loaded = match TemplateSet::with_overlay(&overlay) {
        Ok(set) => {
            if let Ok(plan) = chartwright::plan::build(small_spec(), None) {
                // Excluding a partial that another template imports is the overlay's mistake,
                // reported as a render error; only a panic or a hang would be ours.
                let _ = chartwright::render::render(&std::sync::Arc::new(plan), &set)
                    .map_err(|e| e.to_string());
            }
            true
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            false
        }
    };
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?} for {text:?}",
        started.elapsed()
    );
    loaded
}

fn mutated_from(seeds: fn() -> Vec<String>) -> impl Strategy<Value = String> {
    (any::<usize>(), proptest::collection::vec(mutation(), 1..5)).prop_map(move |(seed, ms)| {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for m in &ms {
            text = apply(&text, m);
        }
        text
    })
}

fn mutated_defaults() -> impl Strategy<Value = String> {
    mutated_from(|| defaults_seeds().to_vec())
}

fn mutated_overlay_config() -> impl Strategy<Value = String> {
    mutated_from(|| OVERLAY_SEEDS.iter().map(|s| s.to_string()).collect())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(text in bytes_as_text()) {
        check(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn yaml_like_text_never_panics(text in yamlish()) {
        check(&text);
    }

    #[test]
    fn mutated_specs_never_panic(text in mutated_spec()) {
        check(&text);
    }

    #[test]
    fn tweaked_specs_never_panic(text in tweaked_spec()) {
        check(&text);
    }

    #[test]
    fn defaults_files_never_panic(text in prop_oneof![mutated_defaults(), yamlish()]) {
        check_defaults(&text);
    }
}

proptest! {
    // Each case writes a folder and loads the template tree: fewer cases than the others.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn overlay_configs_never_panic_or_hang(text in prop_oneof![3 => mutated_overlay_config(), 1 => yamlish()]) {
        check_overlay(&text);
    }
}

#[test]
fn the_defaults_and_overlay_seeds_are_what_they_claim() {
    assert!(
        check_defaults(DEFAULTS_SINK),
        "the complete defaults file is valid"
    );
    assert!(
        defaults_seeds().len() > 8,
        "the bad-defaults catalogue is missing"
    );
    for bad in &defaults_seeds()[1..] {
        assert!(!check_defaults(bad), "{bad}");
    }
    assert!(check_overlay(OVERLAY_SEEDS[0]) && check_overlay(OVERLAY_SEEDS[1]));
    check_overlay(OVERLAY_SEEDS[2]);
    assert!(!check_overlay(OVERLAY_SEEDS[3]) && !check_overlay(OVERLAY_SEEDS[4]));
    // Matches no template, so the overlay is refused (quickly: check_overlay times it).
    assert!(!check_overlay(OVERLAY_SEEDS[5]));
}

#[test]
fn the_seeds_are_what_they_claim() {
    // The kitchen sink and the examples are valid, so that mutations start from valid specs.
    for seed in &seeds()[..VALID_SEEDS] {
        let file = spec::parse("seed.yaml", seed).unwrap_or_else(|e| panic!("{e}"));
        chartwright::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(seeds().len() > 40, "the bad-spec catalogue is missing");
}

/// A time-boxed run that counts executions, for `scripts/fuzz`:
/// `FUZZ_SECONDS=180 cargo test --test fuzz_spec fuzz_for_a_while -- --ignored --nocapture`.
/// Stops at `FUZZ_SECONDS` (default 60) or `PROPTEST_CASES` inputs per generator, whichever
/// comes first; a panicking input is written to `target/fuzz-failures/` and fails the test.
#[test]
#[ignore = "long-running; scripts/fuzz runs it"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let max_cases: u64 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    type Check = fn(&str) -> bool;
    let generators: Vec<(&str, BoxedStrategy<String>, Check)> = vec![
        ("bytes", bytes_as_text().boxed(), check),
        ("strings", any::<String>().boxed(), check),
        ("yaml-like", yamlish().boxed(), check),
        ("mutated", mutated_spec().boxed(), check),
        ("tweaked", tweaked_spec().boxed(), check),
        ("defaults", mutated_defaults().boxed(), check_defaults),
        ("defaults-yaml-like", yamlish().boxed(), check_defaults),
        ("overlay", mutated_overlay_config().boxed(), check_overlay),
    ];
    let mut runner = TestRunner::default();
    let mut counts = vec![0u64; generators.len()];
    let (mut accepted, mut refused) = (0u64, 0u64);
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let out = common::root().join("target/fuzz-failures");
    // Quiet the default hook: a panic is reported once, below, with its input saved.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    'run: while Instant::now() < deadline {
        for (g, (_, strategy, check)) in generators.iter().enumerate() {
            if counts[g] >= max_cases {
                break 'run;
            }
            let text = strategy
                .new_tree(&mut runner)
                .expect("strategies do not reject")
                .current();
            counts[g] += 1;
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| check(&text)));
            if started.elapsed() > slowest.0 {
                slowest = (started.elapsed(), text.clone());
            }
            match outcome {
                Ok(true) => accepted += 1,
                Ok(false) => refused += 1,
                Err(p) => {
                    let why = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    std::fs::create_dir_all(&out).ok();
                    let file = out.join(format!("failure-{}.yaml", failures.len()));
                    std::fs::write(&file, &text).ok();
                    failures.push(format!("{}: {why}", file.display()));
                }
            }
        }
    }
    std::panic::set_hook(hook);
    let total: u64 = counts.iter().sum();
    let per: Vec<String> = generators
        .iter()
        .zip(&counts)
        .map(|((name, _, _), n)| format!("{name} {n}"))
        .collect();
    println!(
        "fuzz_spec: {total} executions in {seconds}s or less ({}); {accepted} accepted, {refused} refused, {} panics",
        per.join(", "),
        failures.len()
    );
    // Not a failure, but where a hang would show first.
    std::fs::create_dir_all(&out).ok();
    std::fs::write(out.join("slowest.yaml"), &slowest.1).ok();
    println!(
        "fuzz_spec: slowest input took {:?} ({} bytes), saved as {}",
        slowest.0,
        slowest.1.len(),
        out.join("slowest.yaml").display()
    );
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}
