//! Parser errors turned into diagnostics that say what is wrong in the user's terms, where, and
//! what to write instead.
//!
//! The parser's own messages are written for the developer holding the Rust types ("invalid
//! i64", "expected mapping start", "set DuplicateKeyPolicy in Options"); here each error kind is
//! reworded, placed on the field path read off the text (see [`super::locate`]), and moved to
//! where the mistake most likely is when the parser noticed it later (an unclosed `[`, a tab).
//!
//! Over 400 lines on purpose: one match over every error kind of the parser, each with its
//! wording and hint; the hints for YAML syntax sit next to the match that uses them.

use serde_saphyr::Error;
use serde_saphyr::budget::BudgetBreach;

use super::error::{Diagnostic, ErrorKind};
use super::locate::{self, Seg, Step};
use super::names::did_you_mean;

/// Turns a parser error into a diagnostic.
pub(crate) fn from_parse_error(e: &Error, text: &str) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| within_text(text, clamp(l.line()), clamp(l.column())))
        .unwrap_or((0, 0));
    let token = e
        .location()
        .and_then(|l| token_at(text, l.span().byte_offset(), l.span().byte_len()))
        .unwrap_or_default();
    let mut d = Diagnostic {
        kind: ErrorKind::Syntax,
        path: String::new(),
        line,
        column,
        message: String::new(),
        hint: None,
    };
    let at = locate::path_at(text, line, column);
    d.path = locate::render(&at.steps);
    let inner = innermost(e);
    match inner {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            d.kind = ErrorKind::UnknownField;
            d.path = with_last_key(&at.steps, field);
            d.message = format!("unknown field `{}`", printable(field));
            let known = expected.join(", ");
            d.hint = Some(match did_you_mean(field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? (known fields here: {known})"),
                None if known.is_empty() => "no fields are expected here".into(),
                None => format!("known fields here: {known}"),
            });
        }
        Error::SerdeMissingField { field, .. } => {
            // Reported at the mapping's last key: the field belongs to the enclosing mapping.
            let mut steps = at.steps.clone();
            if at.on_key {
                steps.pop();
            }
            d.path = locate::render(&steps);
            (d.line, d.column) = match steps.last() {
                Some(s) => (s.line, s.column),
                None => first_content(text),
            };
            d.message = if d.path.is_empty() {
                format!("the spec has no `{field}`")
            } else {
                format!("`{}` has no `{field}`", printable(&d.path))
            };
            d.hint = Some(missing_field_hint(field));
        }
        Error::DuplicateMappingKey { key, .. } => {
            d.kind = ErrorKind::DuplicateKey;
            let key = key.clone().unwrap_or_else(|| token.clone());
            d.path = with_last_key(&at.steps, &key);
            d.message = format!("`{}` is given twice in the same mapping", printable(&key));
            let first = locate::key_positions(text)
                .get(&d.path)
                .filter(|(l, _)| *l != line)
                .map(|(l, _)| format!(" (the first is on line {l})"))
                .unwrap_or_default();
            d.hint = Some(format!(
                "keep one of them{first}; YAML does not merge repeated keys"
            ));
        }
        Error::InvalidScalar { ty, .. } => {
            let what = match *ty {
                "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128"
                | "isize" | "usize" => "a whole number",
                "f32" | "f64" => "a number",
                "bool" => "`true` or `false`",
                other => other,
            };
            let digits = token.strip_prefix('-').unwrap_or(&token);
            d.message = if what == "a whole number"
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
            {
                format!("`{}` is too large a number here", printable(&token))
            } else if token.is_empty() {
                format!("expected {what}")
            } else {
                format!("expected {what}, found `{}`", printable(&token))
            };
        }
        Error::InvalidBooleanStrict { .. } => {
            d.message = format!(
                "`{}` is not a boolean: write `true` or `false`",
                printable(&token)
            );
            d.hint = Some("only `true` and `false` are booleans in a spec, so that `yes`, `on` and `NO` can stay text".into());
        }
        Error::NullIntoString { .. } => {
            d.message = "expected text, found nothing (null)".into();
            d.hint = Some("give it a value, or remove the line".into());
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => {
            d.message = format!("expected {expected}, found {}", printable(unexpected));
        }
        Error::Unexpected { expected, .. } => {
            let found = describe(text, e, &token);
            d.message = match *expected {
                "mapping start" if at.steps.is_empty() => {
                    d.hint = Some("start from `chartwright init`, or from examples/quickstart/chartwright.yaml".into());
                    format!(
                        "a spec is a mapping of fields (`version: 1`, `app: …`, `services: …`), but this document is {found}"
                    )
                }
                "mapping start" | "empty mapping start" => {
                    format!("expected a mapping (`key: value` fields) here, found {found}")
                }
                "sequence start" => format!("expected a list here, found {found}"),
                "string scalar" | "scalar" => {
                    format!("expected a single value here, found {found}")
                }
                other => format!("expected {other}, found {found}"),
            };
        }
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => multiple_documents(&mut d, text),
            BudgetBreach::Depth { .. } => {
                d.kind = ErrorKind::Limit;
                d.message = format!("the spec nests deeper than {} levels", super::MAX_DEPTH);
                d.hint =
                    Some("a spec needs a handful of levels; is this the file you meant?".into());
            }
            other => {
                d.kind = ErrorKind::Limit;
                d.message = format!("the spec exceeds a parser limit: {other:?}");
                d.hint = Some(
                    "a spec is a few kilobytes of plain YAML; is this the file you meant?".into(),
                );
            }
        },
        Error::MultipleDocuments { .. } => multiple_documents(&mut d, text),
        Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::RecursiveReferencesRequireWeakTypes { .. } => {
            d.kind = ErrorKind::Limit;
            d.message = "YAML aliases here expand to more content than a spec may hold".into();
            d.hint = Some("write the values out instead of repeating them with anchors (`&`) and aliases (`*`)".into());
        }
        Error::UnknownAnchor { .. } => {
            d.message = format!(
                "the alias `{}` refers to no anchor defined above it",
                printable(&token)
            );
        }
        _ => {
            d.message = parser_message(inner);
            syntax_hints(&mut d, text);
        }
    }
    d
}

/// The field the parser found missing, if that is where it stopped (a misspelt key often
/// explains it).
pub(crate) fn missing_field(e: &Error) -> Option<&str> {
    match innermost(e) {
        Error::SerdeMissingField { field, .. } => Some(field),
        _ => None,
    }
}

/// The parser reports an error found at the end of input (`?` with no key, a value left empty
/// on the last line) on the line after the final line break, which no editor shows: such a
/// position moves to the end of the last line.
fn within_text(text: &str, line: u32, column: u32) -> (u32, u32) {
    let last = text.lines().count().max(1);
    if (line as usize) <= last {
        return (line, column);
    }
    let width = text.lines().last().map_or(0, |l| l.chars().count());
    (last as u32, width as u32 + 1)
}

/// The error under snippet and alias wrappers (whose position is already taken).
fn innermost(e: &Error) -> &Error {
    let mut e = e.without_snippet();
    loop {
        match e {
            #[allow(deprecated)]
            Error::AliasError { error, .. } => e = error.without_snippet(),
            Error::WithSnippet { error, .. } => e = error,
            other => return other,
        }
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The parser's message without its own position prefix.
fn parser_message(e: &Error) -> String {
    let message = e.to_string();
    let mut first = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if let Some(rest) = first.strip_prefix("error: ") {
        first = rest.to_string();
    }
    if first.starts_with("line ")
        && let Some((_, rest)) = first.split_once(": ")
    {
        first = rest.to_string();
    }
    // ...and without its position suffix: the diagnostic carries the place.
    if let Some(i) = first.rfind(" at line ")
        && first[i + 9..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b", column".contains(&b))
    {
        first.truncate(i);
    }
    if first.is_empty() {
        first = "the file is not valid YAML here".into();
    }
    printable(&first)
}

/// Hints (and better places) for errors of the YAML syntax itself.
fn syntax_hints(d: &mut Diagnostic, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let lower = d.message.to_ascii_lowercase();
    // A flow collection that never closes: the parser notices only where the text stops making
    // sense, often lines later; the place to fix is the bracket.
    if let Some(open) = locate::unclosed_flow(text)
        && (open.line, open.column) <= (d.line.max(1), d.column)
    {
        let close = if open.bracket == '[' { ']' } else { '}' };
        d.hint = Some(format!(
            "close it with `{close}`; the parser read on to line {} and stopped there: {}",
            d.line, d.message
        ));
        d.message = format!("this `{}` is never closed", open.bracket);
        d.path = locate::render(&open.steps);
        (d.line, d.column) = (open.line, open.column);
        return;
    }
    if lower.contains("tab") {
        let start = (d.line.max(1) - 1) as usize;
        let tabbed = lines
            .iter()
            .enumerate()
            .skip(start)
            .take(4)
            .find_map(|(i, l)| {
                let indent: String = l.chars().take_while(|c| c.is_whitespace()).collect();
                indent.find('\t').map(|t| (i, indent[..t].chars().count()))
            });
        if let Some((i, t)) = tabbed {
            d.line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            d.column = u32::try_from(t + 1).unwrap_or(u32::MAX);
            d.path = locate::render(&locate::path_at(text, d.line, d.column + 1).steps);
            d.message = "a tab is used for indentation; YAML indents with spaces only".into();
            d.hint = Some(format!(
                "replace the tab on line {} with spaces, aligned with the lines around it",
                d.line
            ));
        }
        return;
    }
    if lower.contains("mapping values are not allowed") {
        d.hint = Some(indentation_hint(&lines, d.line).unwrap_or_else(|| {
            "check this line's indentation against the lines above it; a value that contains `: ` must be quoted".into()
        }));
        d.message = "a `key: value` cannot start here".into();
        return;
    }
    if lower.contains("quote") {
        d.hint = Some("add the closing quote: a quoted value may run over several lines, so the parser looked for it up to the end of the file".into());
    }
}

/// "`ports` is indented more than `image`, which already has a value": the common way to get
/// "mapping values are not allowed here".
fn indentation_hint(lines: &[&str], line: u32) -> Option<String> {
    let idx = (line as usize).checked_sub(1)?;
    let here = lines.get(idx)?;
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let key = |l: &str| {
        l.trim_start()
            .trim_start_matches("- ")
            .split_once(':')
            .map(|(k, _)| k.trim().to_string())
    };
    let above = lines[..idx]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let (k_here, k_above) = (key(here)?, key(above)?);
    let above_has_value = above
        .split_once(':')
        .is_some_and(|(_, v)| !v.trim().is_empty() && !v.trim_start().starts_with('#'));
    (indent(here) > indent(above) && above_has_value).then(|| {
        format!(
            "`{}` is indented {} spaces, more than `{}` above it ({}), which already has a value: align the two",
            printable(&k_here),
            indent(here),
            printable(&k_above),
            indent(above)
        )
    })
}

fn multiple_documents(d: &mut Diagnostic, text: &str) {
    d.kind = ErrorKind::Syntax;
    d.message = "a spec is a single YAML document, but a second one starts here".into();
    d.hint = Some(
        "remove this `---` and what follows it, or split the documents into separate spec files"
            .into(),
    );
    // Point at the marker that starts the second document.
    let mut seen_content = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_end();
        if t == "---" || t.starts_with("--- ") {
            if seen_content {
                d.line = u32::try_from(i + 1).unwrap_or(u32::MAX);
                d.column = 1;
                d.path = String::new();
                return;
            }
        } else if !t.trim().is_empty() && !t.trim_start().starts_with('#') && !t.starts_with('%') {
            seen_content = true;
        }
    }
}

fn missing_field_hint(field: &str) -> String {
    match field {
        "version" => "add `version: 1`".into(),
        "app" => {
            "add `app: <name>`, the application's name (lowercase letters, digits and `-`)".into()
        }
        "image" => "add `image: registry.example.com/team/name:1.2.3`".into(),
        "name" | "port" => "a port is written `{ name: http, port: 8080 }`".into(),
        "kind" => "a backing service is written `{ kind: postgres, version: \"16\" }`".into(),
        "http" => "a probe is written `{ http: /healthz, port: http }`".into(),
        "host" => "add `host: app.example.com`".into(),
        "min" | "max" => "autoscaling is written `{ min: 2, max: 10 }`".into(),
        "store" => "add `store: <the name of your SecretStore>`".into(),
        other => format!("add `{other}: …`"),
    }
}

/// The path with `key` as its last step (the parser may point at the key or at its mapping).
fn with_last_key(steps: &[Step], key: &str) -> String {
    let mut steps = steps.to_vec();
    if !matches!(steps.last(), Some(Step { seg: Seg::Key(k), .. }) if k == key) {
        steps.push(Step {
            seg: Seg::Key(key.to_string()),
            line: 0,
            column: 0,
        });
    }
    locate::render(&steps)
}

/// The source text of the node at the error: its span, or the rest of its line.
fn token_at(text: &str, offset: Option<u64>, len: Option<u64>) -> Option<String> {
    let start = usize::try_from(offset?).ok()?;
    let rest = text.get(start..)?;
    let len = len.and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
    let token = match rest.get(..len).filter(|t| !t.trim().is_empty()) {
        Some(t) => t,
        None => rest.lines().next().unwrap_or_default(),
    };
    let token = token.trim();
    let token = if let Some((value, _)) = token.split_once(" #") {
        value.trim_end()
    } else {
        token
    };
    Some(truncate(token, 60))
}

/// What the document has where the parser expected something else.
fn describe(text: &str, e: &Error, token: &str) -> String {
    let offset = e
        .location()
        .and_then(|l| l.span().byte_offset())
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(text.len());
    let rest = text.get(offset..).unwrap_or_default();
    let first_line = rest.lines().next().unwrap_or_default().trim();
    match first_line.chars().next() {
        None => "empty".into(),
        _ if first_line == "---"
            || first_line == "..."
            || first_line == "~"
            || first_line == "null" =>
        {
            "empty".into()
        }
        Some('[') => "a list".into(),
        Some('-') if first_line.len() == 1 || first_line[1..].starts_with(' ') => "a list".into(),
        Some('{') => "a mapping".into(),
        _ if first_line.contains(": ") || first_line.ends_with(':') => "a mapping".into(),
        _ => format!(
            "the value `{}`",
            printable(if token.is_empty() { first_line } else { token })
        ),
    }
}

fn first_content(text: &str) -> (u32, u32) {
    text.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && t != "---" && !t.starts_with('%')
        })
        .map(|i| (u32::try_from(i + 1).unwrap_or(u32::MAX), 1))
        .unwrap_or((1, 1))
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Control characters (a terminal escape sequence in a hostile file) shown escaped.
pub(crate) fn printable(s: &str) -> String {
    super::error::printable(s).into_owned()
}
