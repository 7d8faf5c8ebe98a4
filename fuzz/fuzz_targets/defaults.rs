//! Whatever the bytes, `spec::parse_defaults` returns (no panic, no abort), its report renders,
//! and a defaults file it accepts plans a spec under it. The libFuzzer twin of the
//! `defaults_files_never_panic` property in tests/fuzz_spec.rs.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A small valid spec, planned under each accepted defaults file.
const SPEC: &str = "version: 1\napp: shop\nservices:\n  api:\n    image: api:1.0.0\n    ports: [{ name: http, port: 3000 }]\n    ingress: { host: api.example.com }\n    depends_on: [db]\nbacking:\n  db: { kind: postgres, version: \"16\" }\n";

fuzz_target!(|data: &[u8]| {
    static SPEC_FILE: OnceLock<chartwright::spec::SpecFile> = OnceLock::new();
    let spec = SPEC_FILE.get_or_init(|| chartwright::spec::parse("spec.yaml", SPEC).expect("valid"));
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match chartwright::spec::parse_defaults("defaults.yaml", text)
        .and_then(|org| chartwright::plan::build(spec, Some(&org)))
    {
        Ok(plan) => {
            serde_json::to_value(&plan).expect("a plan serializes");
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            let _ = e.to_string();
        }
    }
});
