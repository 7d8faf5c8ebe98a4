//! `docs/template-context.md` is generated from the context types and must match them.
//! Rewrite it with `UPDATE_DOCS=1 cargo test --test context_doc`.

use std::path::Path;

#[test]
fn template_context_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/template-context.md");
    let expected = chartwright::render::context_doc();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is out of date with the template context types; run `UPDATE_DOCS=1 cargo test --test context_doc` and commit it",
        path.display()
    );
}
