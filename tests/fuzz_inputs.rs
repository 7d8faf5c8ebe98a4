//! Property-based fuzzing of the other files a run reads (issue 18): an org defaults file and an
//! overlay's `chartwright-overlay.yaml`. Whatever the text, parsing returns (never panics),
//! the report renders, and it speaks in chartwright's words, not the parser's.
//!
//! `cargo test` runs 256 cases per property; `PROPTEST_CASES=100000` runs more.

use chartwright::render::templates::OverlayConfig;
use chartwright::spec;
use proptest::prelude::*;

const DEFAULTS: &str = "registry: registry.example.com/team\nresources:\n  requests: { cpu: 100m, memory: 128Mi }\n  limits: { cpu: 500m, memory: 256Mi }\nlabels: { team: payments }\n";
const OVERLAY: &str =
    "contract: 1\ndefaults: org.yaml\nexclude:\n  - k8s/**\n  - \"charts/*/templates/hpa.yaml\"\n";

const INTERNALS: &[&str] = &["untagged enum", "budget breached", "<input>", "Nodes {"];

/// Text biased towards YAML punctuation, or a known file with a line mangled.
fn yaml_text(seed: &'static str) -> impl Strategy<Value = String> {
    let punct = proptest::string::string_regex("[-:{}\\[\\],&*!|>'\"#%@` \\n\\ta-z0-9~.]{0,200}")
        .expect("a valid regex");
    let mutated = (0usize..8, "[-:{}\\[\\]&*!~ a-z0-9\"']{0,20}").prop_map(move |(line, junk)| {
        let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
        let i = line % lines.len();
        lines[i] = format!("{}{junk}", &lines[i][..lines[i].len() / 2]);
        lines.join("\n")
    });
    prop_oneof![punct, mutated, any::<String>()]
}

fn check(report: &str) {
    for word in INTERNALS {
        assert!(!report.contains(word), "{word:?} in:\n{report}");
    }
}

proptest! {
    #[test]
    fn a_defaults_file_never_panics(text in yaml_text(DEFAULTS)) {
        if let Err(e) = spec::parse_defaults("org.yaml", &text) {
            check(&e.to_string());
        }
    }

    #[test]
    fn an_overlay_config_never_panics(text in yaml_text(OVERLAY)) {
        if let Err(e) = spec::parse_yaml::<OverlayConfig>("chartwright-overlay.yaml", &text) {
            check(&e.to_string());
        }
    }
}
