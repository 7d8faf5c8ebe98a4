//! The bad-input catalogue: every file in `tests/bad_specs/` must be refused, with exactly the
//! diagnostics its header announces.
//!
//! A file starts with one `# expect:` line per diagnostic, in any order:
//!
//! ```text
//! # expect: kind=invalid path=services.api.image line=5 contains="latest" hint="pin a version"
//! ```
//!
//! `kind` is the kebab-case [`ErrorKind`]; `path` and `line` must be equal; `column` too when
//! given; `contains` and `hint` are substrings of the message and the hint (each may be
//! repeated). Each `# expect:` line
//! must match its own diagnostic, and every diagnostic must be expected, so a new error that
//! appears in a file (a cascade, a duplicate) fails the test as surely as a missing one.
//!
//! The resource-limit tests (size, alias bomb, a large valid spec) are at the end.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod common;

use chartwright::spec::{self, Diagnostic, ErrorKind, MAX_SPEC_BYTES};
use common::cli::Project;

#[derive(Debug, Default)]
struct Expect {
    source: String,
    kind: Option<String>,
    path: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    /// Every one must be a substring of the message.
    contains: Vec<String>,
    /// Every one must be a substring of the hint.
    hint: Vec<String>,
}

fn kind_name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("ErrorKind serializes to a string")
}

/// `key=value` pairs; a value is a bare word or a double-quoted string with `\"` and `\\`.
fn parse_expect(line: &str) -> Result<Expect, String> {
    let mut e = Expect {
        source: line.to_string(),
        ..Expect::default()
    };
    let mut rest = line.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("expected key=value at `{rest}`"))?;
        let key = key.trim();
        let (value, after) = if let Some(q) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = q.char_indices();
            let mut end = None;
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '\\' => value.push(chars.next().map(|(_, c)| c).unwrap_or('\\')),
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            let end = end.ok_or_else(|| format!("unclosed quote in `{line}`"))?;
            (value, &q[end..])
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        let number = |v: &str| {
            v.parse::<u32>()
                .map_err(|_| format!("`{v}` is not a number"))
        };
        match key {
            "kind" => e.kind = Some(value),
            "path" => e.path = Some(value),
            "line" => e.line = Some(number(&value)?),
            "column" => e.column = Some(number(&value)?),
            "contains" => e.contains.push(value),
            "hint" => e.hint.push(value),
            other => return Err(format!("unknown expectation key `{other}`")),
        }
        rest = after.trim_start();
    }
    if e.kind.is_none() {
        return Err(format!("`{line}` has no kind"));
    }
    Ok(e)
}

fn matches(e: &Expect, d: &Diagnostic) -> bool {
    e.kind.as_deref().is_none_or(|k| k == kind_name(d.kind))
        && e.path.as_deref().is_none_or(|p| p == d.path)
        && e.line.is_none_or(|l| l == d.line)
        && e.column.is_none_or(|c| c == d.column)
        && e.contains.iter().all(|s| d.message.contains(s.as_str()))
        && e.hint
            .iter()
            .all(|s| d.hint.as_deref().is_some_and(|h| h.contains(s.as_str())))
}

/// A one-to-one assignment of expectations to diagnostics (augmenting paths; the sets are tiny).
fn assign(expects: &[Expect], diags: &[Diagnostic]) -> bool {
    fn try_assign(
        e: usize,
        expects: &[Expect],
        diags: &[Diagnostic],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for d in 0..diags.len() {
            if !seen[d] && matches(&expects[e], &diags[d]) {
                seen[d] = true;
                if owner[d].is_none_or(|o| try_assign(o, expects, diags, seen, owner)) {
                    owner[d] = Some(e);
                    return true;
                }
            }
        }
        false
    }
    if expects.len() != diags.len() {
        return false;
    }
    let mut owner = vec![None; diags.len()];
    (0..expects.len())
        .all(|e| try_assign(e, expects, diags, &mut vec![false; diags.len()], &mut owner))
}

fn describe(d: &Diagnostic) -> String {
    format!(
        "kind={} path={} line={} column={} message={:?} hint={:?}",
        kind_name(d.kind),
        d.path,
        d.line,
        d.column,
        d.message,
        d.hint
    )
}

fn catalogue() -> Vec<PathBuf> {
    catalogue_in("tests/bad_specs")
}

/// The org defaults files (`--defaults`) that must be refused, with the same headers; their
/// paths and lines are the defaults file's own.
fn defaults_catalogue() -> Vec<PathBuf> {
    catalogue_in("tests/bad_defaults")
}

fn catalogue_in(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Checks one file; returns a description of what is wrong with it, if anything.
fn check_file(path: &Path) -> Option<String> {
    // Refused by the spec's own checks or, for rules across layers, by the plan.
    check_file_with(path, |name, text| {
        spec::parse(name, text)
            .and_then(|f| chartwright::plan::build(&f, None))
            .map(|_| ())
    })
}

fn check_file_with(
    path: &Path,
    parse: fn(&str, &str) -> Result<(), spec::SpecError>,
) -> Option<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let mut expects = Vec::new();
    for line in text.lines() {
        let Some(e) = line.strip_prefix("# expect:") else {
            break;
        };
        match parse_expect(e) {
            Ok(e) => expects.push(e),
            Err(m) => return Some(format!("{name}: bad header: {m}")),
        }
    }
    if expects.is_empty() {
        return Some(format!("{name}: no `# expect:` header on the first line"));
    }
    let err = match parse(&name, &text) {
        Ok(()) => return Some(format!("{name}: parsed without error")),
        Err(e) => e,
    };
    // The rendered report must be producible for every error, and every diagnostic must say
    // something and point somewhere.
    let rendered = err.to_string();
    let mut problems = String::new();
    for d in &err.diagnostics {
        if d.message.trim().is_empty() {
            writeln!(problems, "  empty message: {}", describe(d)).unwrap();
        }
        if d.line == 0 && d.kind != ErrorKind::Limit {
            writeln!(problems, "  no line: {}", describe(d)).unwrap();
        }
        if d.line as usize > text.lines().count().max(1) {
            writeln!(problems, "  line past the end: {}", describe(d)).unwrap();
        }
    }
    if !assign(&expects, &err.diagnostics) {
        writeln!(problems, "  expected:").unwrap();
        for e in &expects {
            writeln!(problems, "    {}", e.source.trim()).unwrap();
        }
        writeln!(problems, "  got:").unwrap();
        for d in &err.diagnostics {
            writeln!(problems, "    {}", describe(d)).unwrap();
        }
    }
    (!problems.is_empty()).then(|| format!("{name}:\n{problems}  rendered:\n{rendered}\n"))
}

#[test]
fn every_bad_spec_is_refused_as_announced() {
    let files = catalogue();
    assert!(files.len() >= 120, "only {} bad specs", files.len());
    let failures: Vec<String> = files.iter().filter_map(|f| check_file(f)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad specs are not refused as announced:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The catalogue as users meet it: `chartwright generate` on each file exits 2, reports every
/// expected diagnostic at its `file:line` with its message on stderr, prints nothing on stdout,
/// and writes nothing at all (no output directory, no state, no temporary file).
#[test]
fn every_bad_spec_fails_generate_with_exit_2_located_and_writes_nothing() {
    generate_refuses(&catalogue(), None);
}

#[test]
fn every_bad_defaults_file_is_refused_as_announced() {
    let files = defaults_catalogue();
    assert!(files.len() >= 8, "only {} bad defaults files", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            check_file_with(f, |name, text| spec::parse_defaults(name, text).map(|_| ()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `generate --defaults <file>` with a valid spec: refused like a bad spec.
#[test]
fn every_bad_defaults_file_fails_generate_with_exit_2_located_and_writes_nothing() {
    generate_refuses(&defaults_catalogue(), Some(SMALL_SPEC));
}

/// Runs `chartwright generate` on each file (as the spec, or as `--defaults` beside `spec`) in
/// a fresh folder and checks exit code, report and that the folder is unchanged.
fn generate_refuses(files: &[PathBuf], spec: Option<&str>) {
    let mut failures = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(f).unwrap();
        let expects: Vec<Expect> = text
            .lines()
            .map_while(|l| l.strip_prefix("# expect:"))
            .map(|e| parse_expect(e).unwrap())
            .collect();
        let mut dir = Project::empty().file(&name, &text);
        let mut args = vec!["generate", "-o", "deploy", "-f"];
        match spec {
            Some(spec) => {
                dir = dir.file("chartwright.yaml", spec);
                args.extend(["chartwright.yaml", "--defaults", &name]);
            }
            None => args.push(&name),
        }
        let before = common::snapshot(dir.path());
        let out = dir.run(&args).output();
        let stderr = out.stderr();
        let mut problems = Vec::new();
        if out.code != Some(2) {
            problems.push(format!("exit code {:?}, not 2", out.code));
        }
        if !out.stdout.is_empty() {
            problems.push(format!("stdout: {}", out.stdout()));
        }
        for e in &expects {
            if let Some(line) = e.line {
                let place = match e.column {
                    Some(c) => format!("--> {name}:{line}:{c}\n"),
                    None => format!("--> {name}:{line}:"),
                };
                if !stderr.contains(&place) {
                    problems.push(format!("no `{}` in the report", place.trim_end()));
                }
            }
            for c in &e.contains {
                if !stderr.contains(spec::error::printable(c).as_ref()) {
                    problems.push(format!("no {c:?} in the report"));
                }
            }
        }
        if common::snapshot(dir.path()) != before {
            problems.push(format!(
                "files were written: {:?}",
                common::snapshot(dir.path()).keys().collect::<Vec<_>>()
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}\n{stderr}", problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn catalogue_files_are_named_nn_short_name() {
    for f in catalogue().into_iter().chain(defaults_catalogue()) {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        // Two digits or more: the catalogue has grown past 99 entries.
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        let (nn, rest) = name.split_at(digits);
        assert!(
            nn.len() >= 2
                && rest.starts_with('-')
                && rest[1..]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{name} is not NN-short-name"
        );
    }
}

#[test]
fn empty_and_blank_texts_are_refused() {
    for text in ["", "\n", "   \n\t\n", "\u{feff}"] {
        let err = spec::parse("blank.yaml", text).unwrap_err();
        assert_eq!(err.diagnostics.len(), 1, "{text:?}: {err}");
        let d = &err.diagnostics[0];
        assert_eq!(d.kind, ErrorKind::Syntax, "{text:?}: {err}");
        assert!(d.message.contains("empty"), "{text:?}: {err}");
    }
}

/// CRLF (Windows) and lone CR (classic Mac) line endings: YAML breaks lines at both, and so must
/// the line numbers, paths and source lines of the report.
#[test]
fn line_endings_are_counted_as_yaml_counts_them() {
    let spec = "version: 1\napp: shop\nservices:\n  api:\n    image: api:latest\n    ports: [{ name: http, port: 80 }]\n";
    for eol in ["\r\n", "\r"] {
        let text = spec.replace('\n', eol);
        let err = spec::parse("eol.yaml", &text).unwrap_err();
        assert_eq!(err.diagnostics.len(), 1, "{err}");
        let d = &err.diagnostics[0];
        assert_eq!(
            (d.path.as_str(), d.line),
            ("services.api.image", 5),
            "{eol:?}: {err}"
        );
        assert!(
            err.to_string().contains("5 |     image: api:latest\n"),
            "{eol:?}: {err}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// Resource limits
// ------------------------------------------------------------------------------------------

const SMALL_SPEC: &str = "version: 1\napp: shop\nservices:\n  api:\n    image: registry.example.com/shop/api:1.4.2\n    ports: [{ name: http, port: 3000 }]\n";

fn ten_megabytes_of_keys() -> String {
    let mut text = String::from(SMALL_SPEC);
    text.push_str("    env:\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        writeln!(text, "      VAR_{i:08}: value-{i}").unwrap();
        i += 1;
    }
    text
}

fn ten_megabyte_string() -> String {
    format!(
        "{SMALL_SPEC}    command: [\"{}\"]\n",
        "x".repeat(10 * 1024 * 1024)
    )
}

fn assert_limit(err: &spec::SpecError, what: &str) {
    assert_eq!(err.diagnostics.len(), 1, "{what}: {err}");
    let d = &err.diagnostics[0];
    assert_eq!(d.kind, ErrorKind::Limit, "{what}: {err}");
    assert!(
        d.message.contains(&MAX_SPEC_BYTES.to_string()),
        "{what}: the message should name the limit: {err}"
    );
}

#[test]
fn a_ten_megabyte_spec_is_refused_before_parsing() {
    for (what, text) in [
        ("many keys", ten_megabytes_of_keys()),
        ("one huge string", ten_megabyte_string()),
    ] {
        assert!(text.len() > MAX_SPEC_BYTES);
        assert_limit(&spec::parse("big.yaml", &text).unwrap_err(), what);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chartwright.yaml");
        std::fs::write(&path, &text).unwrap();
        assert_limit(&spec::load(&path).unwrap_err(), what);
    }
}

/// A device or a pipe is not read at all (issue 18: only regular files are read); an endless
/// one would otherwise cost the read up to the limit.
#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_unread() {
    let err = spec::load(Path::new("/dev/zero")).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    assert_eq!(err.diagnostics[0].kind, ErrorKind::Io, "{err}");
    assert!(
        err.diagnostics[0].message.contains("character device"),
        "{err}"
    );
}

#[test]
fn a_spec_just_under_the_limit_is_parsed_not_refused_for_size() {
    // Just under the limit the file is read and judged on its content: here a valid spec padded
    // with a comment.
    let mut text = String::from(SMALL_SPEC);
    text.push('#');
    text.push_str(&"x".repeat(MAX_SPEC_BYTES - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), MAX_SPEC_BYTES);
    spec::parse("padded.yaml", &text).unwrap();
}

#[test]
fn a_non_utf8_file_is_refused_on_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chartwright.yaml");
    let mut bytes = SMALL_SPEC.as_bytes().to_vec();
    bytes.extend_from_slice(b"# \xff\xfe\n");
    std::fs::write(&path, bytes).unwrap();
    let err = spec::load(&path).unwrap_err();
    assert_eq!(err.diagnostics[0].kind, ErrorKind::Syntax, "{err}");
    assert!(err.diagnostics[0].message.contains("UTF-8"), "{err}");
}

/// Nine levels of ten aliases each: 10^9 nodes once expanded.
fn billion_laughs(anchored_under: &str) -> String {
    let mut text = format!("{SMALL_SPEC}    {anchored_under}:\n");
    text.push_str("      L0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..=9 {
        let p = i - 1;
        writeln!(
            text,
            "      L{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]"
        )
        .unwrap();
    }
    text
}

#[test]
fn an_alias_bomb_is_refused() {
    // Under an unknown key and under a known map of strings: either way the expansion must be
    // cut off by the alias limits rather than attempted.
    for under in ["bomb", "env"] {
        let text = billion_laughs(under);
        let err = spec::parse("bomb.yaml", &text).unwrap_err();
        assert!(!err.diagnostics.is_empty(), "{err}");
    }
    // Aliases inside the spec proper, where they would be read as values.
    let mut text = String::from(
        "version: 1\napp: shop\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..=9 {
        let p = i - 1;
        writeln!(
            text,
            "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
        )
        .unwrap();
    }
    text.push_str(
        "services: { api: { image: \"a:1\", ports: [{ name: http, port: 80 }], command: *a9 } }\n",
    );
    let err = spec::parse("bomb.yaml", &text).unwrap_err();
    assert!(!err.diagnostics.is_empty(), "{err}");
}

#[test]
fn deep_nesting_is_refused() {
    for depth in [100, 10_000, 200_000] {
        let text = format!(
            "{SMALL_SPEC}    command: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let err = spec::parse("deep.yaml", &text).unwrap_err();
        assert!(!err.diagnostics.is_empty());
        let text = format!("{SMALL_SPEC}{}", nested_block_maps(depth.min(5_000)));
        let err = spec::parse("deep.yaml", &text).unwrap_err();
        assert!(!err.diagnostics.is_empty());
    }
}

fn nested_block_maps(depth: usize) -> String {
    let mut text = String::new();
    for i in 0..depth {
        writeln!(text, "{:indent$}k{i}:", "", indent = i).unwrap();
    }
    text
}

/// A spec with `n` services, each with ports, probes, resources, env, secrets and a dependency
/// on the one before it (a chain, so the cycle search is exercised end to end), and per-service
/// overrides in prod.
fn large_spec(n: usize) -> String {
    let mut text = String::from("version: 1\napp: big\nservices:\n");
    for i in 0..n {
        writeln!(text, "  svc-{i:04}:").unwrap();
        writeln!(
            text,
            "    image: registry.example.com/big/svc-{i:04}:1.0.{i}"
        )
        .unwrap();
        writeln!(
            text,
            "    ports: [{{ name: http, port: {} }}, {{ name: metrics, port: 9090 }}]",
            8000 + i % 1000
        )
        .unwrap();
        writeln!(text, "    health: {{ liveness: {{ http: /healthz, port: http }}, readiness: {{ http: /ready, port: 9090 }} }}").unwrap();
        writeln!(text, "    resources: {{ requests: {{ cpu: 100m, memory: 128Mi }}, limits: {{ cpu: 500m, memory: 256Mi }} }}").unwrap();
        writeln!(text, "    env: {{ LOG_LEVEL: info, INDEX: {i} }}").unwrap();
        writeln!(text, "    secrets: [API_TOKEN_{i}]").unwrap();
        let mut deps = vec!["db".to_string()];
        if i > 0 {
            deps.push(format!("svc-{:04}", i - 1));
        }
        writeln!(text, "    depends_on: [{}]", deps.join(", ")).unwrap();
    }
    text.push_str("backing:\n  db: { kind: postgres, version: \"16\" }\n");
    text.push_str(
        "environments:\n  dev: { replicas: 1 }\n  prod:\n    replicas: 2\n    overrides:\n",
    );
    for i in (0..n).step_by(3) {
        writeln!(
            text,
            "      svc-{i:04}: {{ replicas: 3, resources: {{ limits: {{ memory: 512Mi }} }} }}"
        )
        .unwrap();
    }
    text
}

#[test]
fn a_thousand_service_spec_parses_validates_and_plans() {
    let text = large_spec(1000);
    assert!(text.len() < MAX_SPEC_BYTES, "{} bytes", text.len());
    let file = spec::parse("big.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.spec.services.len(), 1000);
    let plan = chartwright::plan::build(&file, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.services.len(), 1000);
}

#[test]
fn a_thousand_service_spec_with_one_cycle_reports_it_once() {
    let text = large_spec(1000).replacen(
        "  svc-0000:\n",
        "  svc-0000:\n    # closing the chain into a ring\n",
        1,
    );
    let text = text.replacen(
        "    depends_on: [db]\n",
        "    depends_on: [db, svc-0999]\n",
        1,
    );
    let err = spec::parse("ring.yaml", &text).unwrap_err();
    let cycles: Vec<&Diagnostic> = err
        .diagnostics
        .iter()
        .filter(|d| d.kind == ErrorKind::Cycle)
        .collect();
    assert_eq!(cycles.len(), 1, "{err}");
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    // A cycle of a thousand is shown by its ends.
    assert!(
        cycles[0].message.starts_with("dependency cycle (1000 services): svc-0000 → svc-0999 → svc-0998 → svc-0997 → … → svc-0003 → svc-0002 → svc-0001 → svc-0000"),
        "{err}"
    );
}

/// A long dependency chain whose last service depends on every other one: thousands of cycles,
/// each thousands long. The search must not recurse once per link (a hostile chain would
/// overflow the stack) nor report every cycle (the report would be quadratic in size).
#[test]
fn a_dense_dependency_graph_is_reported_in_bounded_space_and_stack() {
    let n = 4000;
    let mut text = String::from("version: 1\napp: chain\nservices:\n");
    for i in 0..n {
        let deps = if i + 1 < n {
            format!("[s{}]", i + 1)
        } else {
            format!(
                "[{}]",
                (0..n - 1)
                    .map(|j| format!("s{j}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        writeln!(
            text,
            "  s{i}: {{ image: \"a:1\", ports: [{{ name: h, port: 1 }}], depends_on: {deps} }}"
        )
        .unwrap();
    }
    // Parsing needs about 300 KiB of stack in a debug build; a search that recursed once per
    // link would need hundreds more.
    let err = std::thread::Builder::new()
        .stack_size(768 * 1024)
        .spawn(move || spec::parse("chain.yaml", &text).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    let cycles = err
        .diagnostics
        .iter()
        .filter(|d| d.kind == ErrorKind::Cycle)
        .count();
    assert!((1..=10).contains(&cycles), "{cycles} cycles reported");
    assert!(
        err.to_string().len() < 10_000,
        "{} bytes of report",
        err.to_string().len()
    );
}

/// Many unknown references among many services: the report is capped, and the hints (an edit
/// distance against every service name) are not computed past the cap.
#[test]
fn many_problems_are_capped() {
    let mut text = String::from("version: 1\napp: many\nservices:\n");
    for i in 0..300 {
        writeln!(
            text,
            "  s{i}: {{ image: \"a:latest\", ports: [{{ name: h, port: 1 }}], depends_on: [x{i}] }}"
        )
        .unwrap();
    }
    let err = spec::parse("many.yaml", &text).unwrap_err();
    assert_eq!(err.diagnostics.len(), 101, "{err}");
    let last = err.diagnostics.last().unwrap();
    assert_eq!(last.kind, ErrorKind::Limit);
    assert!(
        last.message.starts_with("500 more problems are not shown"),
        "{}",
        last.message
    );
}

/// `cargo test --test bad_specs -- --ignored --nocapture show_catalogue` prints every report.
#[test]
#[ignore = "prints the catalogue's reports for review"]
fn show_catalogue() {
    for f in catalogue() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        match spec::parse(&name, &text) {
            Ok(_) => println!("=== {name}: ACCEPTED\n"),
            Err(e) => println!("=== {name}\n{e}\n"),
        }
    }
}

/// A ConfigMap over 1 MiB is refused by the API server: the service's `env`, and an
/// environment's override merged over it, are measured before anything is written.
#[test]
fn a_configmap_over_one_mebibyte_is_refused_where_it_grows() {
    let big = "x".repeat(600 * 1024);
    let base = format!("{SMALL_SPEC}    env:\n      A: {big}\n");
    spec::parse("ok.yaml", &base).unwrap_or_else(|e| panic!("600 KiB is fine: {e}"));
    let cases = [
        (format!("{base}      B: {big}\n"), "services.api.env", 7),
        (
            format!(
                "{base}environments:\n  prod:\n    overrides:\n      api:\n        env:\n          B: {big}\n"
            ),
            "environments.prod.overrides.api.env",
            13,
        ),
    ];
    for (text, path, line) in cases {
        let err = spec::parse("big-env.yaml", &text).unwrap_err();
        assert_eq!(err.diagnostics.len(), 1, "{err}");
        let d = &err.diagnostics[0];
        assert_eq!((d.path.as_str(), d.line), (path, line), "{err}");
        assert!(d.message.contains("bytes of `env`"), "{err}");
        assert!(
            d.hint.as_deref().unwrap().contains("1048576 bytes"),
            "{err}"
        );
    }
}
