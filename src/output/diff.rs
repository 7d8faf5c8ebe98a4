//! Showing what a regeneration would change, as the unified diff people already read in code
//! review, and turning "would change nothing" into a CI check.
//!
//! Only user-visible files appear in the diff text: the state file and base copies change
//! whenever any generated file does, and their diffs would only repeat the real ones. They are
//! still part of what `check` verifies, and are listed by path (see `metadata_changes` and
//! `CheckReport::drifted`), so a stale or hand-edited `.chartwright/` folder is caught too.

use anstyle::{AnsiColor, Style};

use super::plan::Change;

const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();

/// Unified diffs of every change, file by file in path order. Created files are diffed
/// against `/dev/null` and removed files to it, as git does.
pub(crate) fn render(changes: &[Change], color: bool) -> String {
    let mut out = String::new();
    for change in changes {
        let old = change.old.map(String::from_utf8_lossy);
        let new = change.new.map(String::from_utf8_lossy);
        let a = match old {
            Some(_) => format!("a/{}", change.rel),
            None => "/dev/null".to_owned(),
        };
        let b = match new {
            Some(_) => format!("b/{}", change.rel),
            None => "/dev/null".to_owned(),
        };
        let old = old.unwrap_or_default();
        let new = new.unwrap_or_default();
        // diffy, the crate that also merges edits three ways (output::plan): one diff engine.
        let patch = diffy::DiffOptions::new()
            .set_context_len(3)
            .set_original_filename(a.clone())
            .set_modified_filename(b.clone())
            .create_patch(old.as_ref(), new.as_ref());
        if patch.hunks().is_empty() {
            // Only possible for an empty file being created or removed: still say so.
            out.push_str(&paint(&format!("--- {a}\n+++ {b}\n"), color));
        } else {
            let text = diffy::PatchFormatter::new()
                .suppress_blank_empty(false)
                .fmt_patch(&patch)
                .to_string();
            out.push_str(&paint(&text, color));
        }
    }
    out
}

fn paint(text: &str, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let style = if body.starts_with("--- ") || body.starts_with("+++ ") {
            BOLD
        } else if body.starts_with("@@") {
            CYAN
        } else if body.starts_with('-') {
            RED
        } else if body.starts_with('+') {
            GREEN
        } else {
            Style::new()
        };
        if style == Style::new() {
            out.push_str(line);
        } else {
            out.push_str(&format!("{style}{body}{style:#}{newline}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change<'a>(old: Option<&'a str>, new: Option<&'a str>) -> Change<'a> {
        Change {
            rel: "a.yaml",
            old: old.map(str::as_bytes),
            new: new.map(str::as_bytes),
        }
    }

    /// The format `diff -u` and git print: a blank context line keeps its space, a created
    /// file is diffed against /dev/null, a missing final newline is marked.
    #[test]
    fn unified_diffs_read_as_gnu_diff_writes_them() {
        let shown = render(&[change(Some("a\n\nb\nc\n"), Some("a\n\nb\nd"))], false);
        assert_eq!(
            shown,
            "--- a/a.yaml\n+++ b/a.yaml\n@@ -1,4 +1,4 @@\n a\n \n b\n-c\n+d\n\\ No newline at end of file\n"
        );
        let shown = render(&[change(None, Some("x\n"))], false);
        assert_eq!(shown, "--- /dev/null\n+++ b/a.yaml\n@@ -0,0 +1 @@\n+x\n");
        let shown = render(&[change(None, Some(""))], false);
        assert_eq!(shown, "--- /dev/null\n+++ b/a.yaml\n");
    }

    #[test]
    fn colour_marks_headers_hunks_and_lines() {
        let shown = render(&[change(Some("a\n"), Some("b\n"))], true);
        assert_eq!(
            shown,
            "\u{1b}[1m--- a/a.yaml\u{1b}[0m\n\u{1b}[1m+++ b/a.yaml\u{1b}[0m\n\u{1b}[36m@@ -1 +1 @@\u{1b}[0m\n\u{1b}[31m-a\u{1b}[0m\n\u{1b}[32m+b\u{1b}[0m\n"
        );
    }
}
