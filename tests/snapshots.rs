//! One snapshot per example, holding every generated file: a change to any template, default or
//! plan decision shows up as a reviewable diff in `snapshots/`.

mod common;

#[test]
fn every_example_matches_its_snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(common::root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for spec in common::examples() {
            let name = spec
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let files = common::generate(&spec);
            insta::assert_snapshot!(name, common::joined(&files));
        }
    });
}

#[test]
fn generation_is_deterministic() {
    for spec in common::examples() {
        let a = common::joined(&common::generate(&spec));
        let b = common::joined(&common::generate(&spec));
        assert_eq!(a, b, "{}", spec.display());
    }
}
