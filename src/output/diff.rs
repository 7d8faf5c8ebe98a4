//! Showing what a regeneration would change, as the unified diff people already read in code
//! review, and turning "would change nothing" into a CI check.
//!
//! Only user-visible files appear in the diff text: the state file and base copies change
//! whenever any generated file does, and their diffs would only repeat the real ones. They are
//! still part of what `check` verifies, and are listed by path (see `metadata_changes` and
//! `CheckReport::drifted`), so a stale or hand-edited `.chartwright/` folder is caught too.

use similar::TextDiff;

use super::plan::Change;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Unified diffs of every change, file by file in path order. Created files are diffed
/// against `/dev/null` and removed files to it, as git does.
pub(crate) fn render(changes: &[Change], color: bool) -> String {
    let mut out = String::new();
    for change in changes {
        let old = change.old.as_deref().map(String::from_utf8_lossy);
        let new = change.new.as_deref().map(String::from_utf8_lossy);
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
        let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string();
        if text.is_empty() {
            // Only possible for an empty file being created or removed: still say so.
            out.push_str(&paint(&format!("--- {a}\n+++ {b}\n"), color));
        } else {
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
            ""
        };
        if style.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(style);
            out.push_str(body);
            out.push_str(RESET);
            out.push_str(newline);
        }
    }
    out
}
