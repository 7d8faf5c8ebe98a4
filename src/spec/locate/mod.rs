//! Field paths read off the spec text.
//!
//! The parser reports a line and column but no path, and a spanned value knows where its value
//! starts but not where its key is. This module scans the text itself, block and flow style
//! alike, to answer both questions: which field path encloses a position (for parse errors), and
//! where the key of a field path is written (for errors about a name, such as a service's).
//!
//! It is a lenient outline of YAML, not a parser: it runs on text the parser has just refused,
//! so it must cope with anything and never panic. Where the text is ambiguous (a tab used for
//! indentation, a key indented under a key that already has a value) it guesses what the user
//! most likely meant.

mod scanner;

use std::collections::HashMap;

use scanner::Scanner;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A step with where it is written (the key, or the `-` / first item of a sequence entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub seg: Seg,
    pub line: u32,
    pub column: u32,
}

/// Renders steps the way diagnostics write paths: `services.api.ports[0].port`.
///
/// Text the parser refused may nest without end; a path is cut after a depth no spec reaches.
pub(crate) fn render(steps: &[Step]) -> String {
    const DEEPEST: usize = 2 * super::MAX_DEPTH;
    let mut out = String::new();
    if steps.len() > DEEPEST {
        out.push('…');
    }
    for s in &steps[steps.len().saturating_sub(DEEPEST)..] {
        match &s.seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// What encloses a position.
#[derive(Debug, Default)]
pub(crate) struct At {
    /// The path down to the innermost field at the position.
    pub steps: Vec<Step>,
    /// Whether the position is the key of the last step itself (not inside its value).
    pub on_key: bool,
}

/// A flow collection (`[` or `{`) left open at the end of the text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unclosed {
    pub bracket: char,
    pub line: u32,
    pub column: u32,
    pub steps: Vec<Step>,
}

/// The path enclosing 1-based `(line, column)`.
pub(crate) fn path_at(text: &str, line: u32, column: u32) -> At {
    let mut s = Scanner::new(Some((line, column)));
    s.run(text);
    s.result.unwrap_or_default()
}

/// The flow collection that is still open at the end of the text, if any (the outermost one).
pub(crate) fn unclosed_flow(text: &str) -> Option<Unclosed> {
    let mut s = Scanner::new(None);
    s.run(text);
    let first = s.flow.first()?;
    let steps = s.steps_below_flow(0);
    Some(Unclosed {
        bracket: if first.map { '{' } else { '[' },
        line: first.line,
        column: first.column,
        steps,
    })
}

/// Where each mapping key is written, by rendered path (the first occurrence wins).
pub(crate) fn key_positions(text: &str) -> HashMap<String, (u32, u32)> {
    let mut s = Scanner::new(None);
    s.keys = Some(HashMap::new());
    s.run(text);
    s.keys.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: u32, column: u32) -> String {
        render(&path_at(text, line, column).steps)
    }

    #[test]
    fn block_and_flow_paths() {
        let text = "version: 1\nservices:\n  api:\n    ports:\n      - name: http\n        port: x\n    env: { A: b, C: [1, 2] }\n";
        assert_eq!(at(text, 1, 10), "version");
        assert_eq!(at(text, 6, 15), "services.api.ports[0].port");
        assert_eq!(at(text, 5, 9), "services.api.ports[0].name");
        assert_eq!(at(text, 7, 15), "services.api.env.A");
        assert_eq!(at(text, 7, 25), "services.api.env.C[1]");
        let p = path_at(text, 7, 5);
        assert!(p.on_key);
        assert_eq!(render(&p.steps), "services.api.env");
    }

    #[test]
    fn sequences_at_the_key_indentation_and_misindented_keys() {
        let text = "ports:\n- a\n- b\nenv:\n  X: 1\n   Y: 2\n";
        assert_eq!(at(text, 3, 3), "ports[1]");
        assert_eq!(at(text, 6, 4), "env.Y");
    }

    #[test]
    fn key_positions_and_unclosed_flows() {
        let text = "services:\n  \"Api\":\n    image: x\nbacking:\n  db: { kind: postgres }\n";
        let keys = key_positions(text);
        assert_eq!(keys["services.Api"], (2, 3));
        assert_eq!(keys["backing.db.kind"], (5, 9));
        let u = unclosed_flow("a:\n  b: [1, 2\n  c: 3\n").unwrap();
        assert_eq!((u.bracket, u.line, u.column), ('[', 2, 6));
        assert_eq!(render(&u.steps), "a.b");
        assert_eq!(unclosed_flow("a: [1,\n  2]\n"), None);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "-",
            "- -",
            ":",
            "::",
            "'",
            "\"",
            "[",
            "]",
            "}{",
            "a: '",
            "a: [\"",
            "\t\t:",
            "- \t- a: [b: c]",
            "? a\n: b",
            "a: |\n  x\n b: c",
            "\u{feff}a: b",
            "a: \"\\",
        ] {
            for line in 0..4 {
                for column in 0..6 {
                    let _ = path_at(text, line, column);
                }
            }
            let _ = key_positions(text);
            let _ = unclosed_flow(text);
        }
    }
}
