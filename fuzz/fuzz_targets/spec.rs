//! Whatever the bytes, `spec::parse` returns (no panic, no abort), its report renders, and a
//! spec it accepts plans and serialises. The same property as tests/fuzz_spec.rs, driven by
//! libFuzzer's coverage feedback instead of proptest's generators.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match chartwright::spec::parse("fuzz.yaml", text)
        .and_then(|file| chartwright::plan::build(&file, None))
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
