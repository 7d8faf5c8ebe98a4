//! Messages with source snippets, drawn by `annotate-snippets` (the renderer rustc's own
//! diagnostics use): one look for a bad spec, a bad template and a bad rendered file.
//!
//! This is the one place a message gets its `error:` prefix ([`Level::ERROR`]); every error the
//! CLI prints goes through [`error`] or [`located`], from [`crate::boundary`] or from the
//! `Display` of the error types that carry source text.

use std::borrow::Cow;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// A problem at a place in a file's text.
pub struct Located<'a> {
    pub message: &'a str,
    pub file: &'a str,
    /// The whole text of the file, or `None` when it is not at hand.
    pub source: Option<&'a str>,
    /// 1-based; 0 when the problem has no single place.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub hint: Option<&'a str>,
    /// Hide the source line from this column on (a secret's value): `<redacted>` is shown.
    pub redact_from: Option<usize>,
}

/// `error: message`, nothing more.
pub fn error(message: &str) -> String {
    let message = printable_lines(message);
    render(&[Group::with_title(Level::ERROR.primary_title(message))])
}

/// `error: message`, then `--> file:line:column` and the line with a caret under the column.
pub fn located(p: &Located<'_>) -> String {
    let message = printable(p.message);
    let file = printable(p.file);
    let line_text = p
        .line
        .checked_sub(1)
        .and_then(|i| p.source.and_then(|s| s.lines().nth(i)));
    let title = Level::ERROR.primary_title(message);
    let mut group = match line_text {
        None => title.element(match p.line {
            0 => Origin::path(file.clone()),
            l => Origin::path(file.clone())
                .line(l)
                .char_column(p.column.max(1)),
        }),
        Some(text) => {
            let column = p.column.max(1) - 1;
            let text: String = match p.redact_from {
                Some(from) => {
                    let kept: String = text.chars().take(from.saturating_sub(1)).collect();
                    format!("{kept}<redacted>")
                }
                None => text.to_string(),
            };
            // The caret goes under the character the column counts, in the line as shown (with
            // control characters escaped, a long line cut).
            let before: String = text.chars().take(column).collect();
            let shown: String = printable(&text).chars().take(160).collect();
            let at = printable(&before).len().min(shown.len());
            let end = shown[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            title.element(
                Snippet::source(shown)
                    .line_start(p.line)
                    .path(file.clone())
                    .annotation(AnnotationKind::Primary.span(at..end)),
            )
        }
    };
    if let Some(h) = p.hint {
        group = group.element(Level::HELP.with_name("hint").message(printable(h)));
    }
    render(&[group])
}

/// Lines `line - 2 ..= line + 2` of `text` (1-based), the middle one marked: the excerpt under
/// a template error.
pub fn excerpt(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(index) = line.checked_sub(1).filter(|i| *i < lines.len()) else {
        return String::new();
    };
    let from = index.saturating_sub(2);
    let to = (index + 3).min(lines.len());
    let window: Vec<Cow<'_, str>> = lines[from..to].iter().map(|l| printable(l)).collect();
    let source = window.join("\n");
    let start: usize = window[..index - from].iter().map(|l| l.len() + 1).sum();
    let end = start + window[index - from].len();
    let group = Group::with_level(Level::ERROR).element(
        Snippet::source(source)
            .line_start(from + 1)
            .fold(false)
            .annotation(AnnotationKind::Primary.span(start..end.max(start))),
    );
    let mut s = render(&[group]);
    s.push('\n');
    s
}

fn render(groups: &[Group<'_>]) -> String {
    Renderer::plain().render(groups)
}

/// Text from an input made safe for a terminal: control characters (an escape sequence in a
/// hostile file could rewrite the screen; a line break could fake another message) and
/// invisible direction overrides are shown escaped; a tab becomes a space so that the caret
/// under a source line stays aligned.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// [`printable`] for a message of several lines: its line breaks are kept.
fn printable_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    if !s.chars().any(|c| hidden(c) || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\t' {
            out.push(' ');
        } else if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_error_points_at_its_column() {
        let text = "version: 1\napp: shop\n  image: api:latest\n";
        let shown = located(&Located {
            message: "`latest` is not a pinned version",
            file: "chartwright.yaml",
            source: Some(text),
            line: 3,
            column: 10,
            hint: Some("pin a version"),
            redact_from: None,
        });
        assert_eq!(
            shown,
            "error: `latest` is not a pinned version\n --> chartwright.yaml:3:10\n  |\n3 |   image: api:latest\n  |          ^\n  |\n  = hint: pin a version",
            "{shown}"
        );
    }

    #[test]
    fn a_redacted_line_never_shows_the_value() {
        let shown = located(&Located {
            message: "secret `X` is given a value",
            file: "s.yaml",
            source: Some("secrets: [{X: hunter2}]\n"),
            line: 1,
            column: 12,
            hint: None,
            redact_from: Some(15),
        });
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("secrets: [{X: <redacted>"), "{shown}");
    }

    #[test]
    fn an_excerpt_marks_the_line() {
        let shown = excerpt("a\nb\nc\nd\ne\nf\n", 4);
        assert!(shown.contains("4 | d"), "{shown}");
        assert!(!shown.contains("1 | a"), "{shown}");
        assert!(shown.contains("6 | f"), "{shown}");
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_act_on() {
        assert_eq!(printable("api"), "api");
        assert_eq!(printable("\u{1b}[2Jx\u{7}"), "\\u{1b}[2Jx\\u{7}");
        assert_eq!(printable("a\u{202E}b"), "a\\u{202e}b");
        assert_eq!(printable("a\tb"), "a b");
        assert_eq!(printable("a\nb"), "a\\u{a}b");
        assert_eq!(printable_lines("a\nb"), "a\nb");
    }
}
