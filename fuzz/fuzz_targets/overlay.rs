//! Whatever the bytes of `chartwright-overlay.yaml`, loading the overlay folder returns (no
//! panic, no abort, no hang: libFuzzer's `-timeout` catches a slow glob), and an overlay that
//! loads renders a spec or reports a render error. The libFuzzer twin of the
//! `overlay_configs_never_panic_or_hang` property in tests/fuzz_spec.rs.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const SPEC: &str = "version: 1\napp: shop\nservices:\n  api:\n    image: api:1.0.0\n    ports: [{ name: http, port: 3000 }]\n";

/// One overlay folder per fuzzing process, its configuration rewritten for each input.
fn overlay_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("chartwright-fuzz-overlay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        std::fs::write(dir.join("org.yaml"), "labels: { example.com/team: fuzz }\n").expect("write");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    static SPEC_FILE: OnceLock<chartwright::spec::SpecFile> = OnceLock::new();
    let spec = SPEC_FILE.get_or_init(|| chartwright::spec::parse("spec.yaml", SPEC).expect("valid"));
    let dir = overlay_dir();
    std::fs::write(dir.join("chartwright-overlay.yaml"), data).expect("write");
    match chartwright::render::TemplateSet::with_overlay(dir) {
        Ok(set) => {
            if let Ok(plan) = chartwright::plan::build(spec, None) {
                let _ = chartwright::render::render(&plan, &set).map_err(|e| e.to_string());
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
