//! Env files (`NAME=value` lines), read the way Compose reads them: the one reader behind an
//! override's `env_file:`, the `.env` beside an imported Compose file and a Compose service's
//! own `env_file:`, so that a file means the same thing to all three.
//!
//! Compose's syntax: blank lines and `#` lines are skipped; an `export ` prefix is allowed;
//! an unquoted value is trimmed and ends at ` #` (a comment); a single-quoted value is literal
//! (`\'` is a quote); a double-quoted value knows `\n`, `\r`, `\t`, `\\` and `\"`, and a comment
//! may follow its closing quote. A name without `=` has no value (Compose takes it from the
//! shell).

use std::collections::BTreeMap;

use super::names::{check_env_name, looks_secret};

/// How a value was written: Compose interpolates `${VAR}` in unquoted and double-quoted values,
/// never in single-quoted ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    None,
    Single,
    Double,
}

/// One `NAME=value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub name: String,
    /// `None` for a bare `NAME` (its value comes from the shell running Compose).
    pub value: Option<String>,
    pub quoting: Quoting,
}

impl EnvLine {
    /// Whether Compose would expand `$` in the value.
    pub fn interpolated(&self) -> bool {
        self.quoting != Quoting::Single
    }
}

/// Every line of `text`, in order; a line that cannot be read is `Err((line, message))`. A
/// quoted value may span lines (a PEM key), as in Compose; the text is read once, whatever it
/// holds.
pub fn lines(text: &str) -> Vec<Result<EnvLine, (usize, String)>> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let mut out = Vec::new();
    // `pos`: the start of the next line; `at`: its number.
    let (mut pos, mut at) = (0, 0);
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let raw = &text[pos..end];
        at += 1;
        let this = at;
        pos = end + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((name, value)) = line.split_once('=') else {
            if line.contains(char::is_whitespace) {
                out.push(Err((this, format!("`{line}` is not `NAME=value`"))));
            } else {
                out.push(Ok(EnvLine {
                    line: this,
                    name: line.to_string(),
                    value: None,
                    quoting: Quoting::None,
                }));
            }
            continue;
        };
        let name = name.trim().to_string();
        let value = value.trim();
        let read = match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                // Where the value starts in the whole text: it may close lines later.
                let start = value.as_ptr() as usize - text.as_ptr() as usize + 1;
                quoted(&text[start..], q).map(|(v, quoting, used)| {
                    let spanned = text[start..start + used].matches('\n').count();
                    if spanned > 0 {
                        at += spanned;
                        pos = text[start + used..]
                            .find('\n')
                            .map_or(text.len(), |i| start + used + i + 1);
                    }
                    (v, quoting)
                })
            }
            _ => Ok((unquoted(value), Quoting::None)),
        };
        match read {
            Ok((value, quoting)) => out.push(Ok(EnvLine {
                line: this,
                name,
                value: Some(value),
                quoting,
            })),
            Err(Quote::Unclosed) => out.push(Err((
                this,
                format!("`{name}`: the quote that opens its value is never closed"),
            ))),
            Err(Quote::Trailing) => out.push(Err((
                this,
                format!("`{name}`: text follows the quoted value (only a ` #` comment may)"),
            ))),
        }
    }
    out
}

/// Why a quoted value cannot be read.
enum Quote {
    Unclosed,
    Trailing,
}

/// An unquoted value: it ends at a `#` that follows whitespace.
fn unquoted(value: &str) -> String {
    let mut end = value.len();
    let mut prev_space = false;
    for (i, c) in value.char_indices() {
        if c == '#' && prev_space {
            end = i;
            break;
        }
        prev_space = c.is_whitespace();
    }
    value[..end].trim_end().to_string()
}

/// The value inside quotes `q` (`rest` follows the opening one), its quoting and the bytes of
/// `rest` it used (through the closing quote). Only a comment may follow the closing quote on
/// its line.
fn quoted(rest: &str, q: char) -> Result<(String, Quoting, usize), Quote> {
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, next) = chars.next().ok_or(Quote::Unclosed)?;
                match (q, next) {
                    ('"', 'n') => out.push('\n'),
                    ('"', 'r') => out.push('\r'),
                    ('"', 't') => out.push('\t'),
                    ('"', '\\') => out.push('\\'),
                    (_, c) if c == q => out.push(c),
                    (_, c) => {
                        out.push('\\');
                        out.push(c);
                    }
                }
            }
            c if c == q => {
                let used = chars.offset();
                let after = rest[used..]
                    .split('\n')
                    .next()
                    .unwrap_or_default()
                    .trim_start();
                if !after.is_empty() && !after.starts_with('#') {
                    return Err(Quote::Trailing);
                }
                let quoting = if q == '"' {
                    Quoting::Double
                } else {
                    Quoting::Single
                };
                return Ok((out, quoting, used));
            }
            c => out.push(c),
        }
    }
    Err(Quote::Unclosed)
}

/// An env file as spec configuration (an override's `env_file:`): every line a plain
/// `NAME=value`, never a secret. Every problem is reported with the file's own line.
/// `secrets`: the service's secret names, which a plain variable may not shadow.
pub fn parse(
    file: &str,
    text: &str,
    secrets: &[String],
) -> Result<BTreeMap<String, String>, Vec<String>> {
    let mut vars = BTreeMap::new();
    let mut problems = Vec::new();
    for l in lines(text) {
        let l = match l {
            Ok(l) => l,
            Err((n, m)) => {
                problems.push(format!("{file}:{n}: {m}"));
                continue;
            }
        };
        let at = format!("{file}:{}", l.line);
        let key = l.name.as_str();
        let Some(value) = l.value else {
            problems.push(format!(
                "{at}: `{key}` has no `=value` (Compose would take it from the shell; chartwright does not read the shell)"
            ));
            continue;
        };
        if let Err(m) = check_env_name(key) {
            problems.push(format!("{at}: {m}"));
        } else if looks_secret(key) && !value.is_empty() {
            problems.push(format!(
                "{at}: `{key}` looks like a secret but has a plaintext value; an env file is non-secret configuration (list `{key}` under the service's `secrets:` instead)"
            ));
        } else if secrets.iter().any(|s| s == key) {
            problems.push(format!(
                "{at}: `{key}` is a secret of this service; an env file may not set it"
            ));
        } else if vars.insert(key.to_string(), value).is_some() {
            problems.push(format!("{at}: `{key}` is set twice"));
        }
    }
    if problems.is_empty() {
        Ok(vars)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, Option<String>)> {
        lines(text)
            .into_iter()
            .map(|l| {
                let l = l.unwrap();
                (l.name, l.value)
            })
            .collect()
    }

    #[test]
    fn values_read_as_compose_documents_them() {
        let text = r#"# a comment
  # an indented one
export REGION=eu-west
PLAIN=VAL # comment
HASH=VAL# not a comment
DQ="VAL # not a comment" # comment
SQ='${OTHER}'
ESC='Let\'s go!'
JSON="{\"hello\": \"json\"}"
TAB="some\tvalue"
RAW=some\tvalue
SQRAW='some\tvalue'
EMPTY=
SPACED = x y
BARE
"#;
        let v = values(text);
        let get = |k: &str| v.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(get("REGION").as_deref(), Some("eu-west"));
        assert_eq!(get("PLAIN").as_deref(), Some("VAL"));
        assert_eq!(get("HASH").as_deref(), Some("VAL# not a comment"));
        assert_eq!(get("DQ").as_deref(), Some("VAL # not a comment"));
        assert_eq!(get("SQ").as_deref(), Some("${OTHER}"));
        assert_eq!(get("ESC").as_deref(), Some("Let's go!"));
        assert_eq!(get("JSON").as_deref(), Some(r#"{"hello": "json"}"#));
        assert_eq!(get("TAB").as_deref(), Some("some\tvalue"));
        assert_eq!(get("RAW").as_deref(), Some(r"some\tvalue"));
        assert_eq!(get("SQRAW").as_deref(), Some(r"some\tvalue"));
        assert_eq!(get("EMPTY").as_deref(), Some(""));
        assert_eq!(get("SPACED").as_deref(), Some("x y"));
        assert_eq!(get("BARE"), None);
        assert_eq!(v.len(), 13);
        let sq = lines("SQ='$X'\nDQ=\"$X\"\nU=$X\n");
        let interpolated: Vec<bool> = sq
            .iter()
            .map(|l| l.as_ref().unwrap().interpolated())
            .collect();
        assert_eq!(interpolated, [false, true, true]);
    }

    #[test]
    fn unreadable_lines_name_their_line() {
        let l = lines("A=1\nnot a line\nC='x' trailing\nB=\"open\nD=1\n");
        assert!(l[0].is_ok());
        assert_eq!(l[1].as_ref().unwrap_err().0, 2);
        assert_eq!(l[2].as_ref().unwrap_err().0, 3);
        // Never closed: the error is the opening line's, and the lines after it still count.
        assert_eq!(l[3].as_ref().unwrap_err().0, 4);
        assert_eq!(l[4].as_ref().unwrap().name, "D");
    }

    #[test]
    fn quoted_values_span_lines_and_windows_files_read_the_same() {
        let v =
            values("\u{feff}KEY=\"-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----\"\r\nNEXT=1\r\n");
        assert_eq!(
            v,
            [
                (
                    "KEY".to_string(),
                    Some("-----BEGIN KEY-----\nabc\n-----END KEY-----".to_string())
                ),
                ("NEXT".to_string(), Some("1".to_string())),
            ]
        );
        assert_eq!(lines("A=\"x\ny\"\nB=2\n")[1].as_ref().unwrap().line, 3);
    }

    #[test]
    fn env_files_read_like_compose_ones_and_refuse_secrets() {
        let vars = parse(
            "p.env",
            "# prod\nLOG_LEVEL=warn\n\nREGION=\"eu west\"\nEMPTY=\nexport MODE=x # why\n",
            &[],
        )
        .unwrap();
        assert_eq!(vars["LOG_LEVEL"], "warn");
        assert_eq!(vars["REGION"], "eu west");
        assert_eq!(vars["EMPTY"], "");
        assert_eq!(vars["MODE"], "x");
        let errors = parse(
            "p.env",
            "API_TOKEN=abc\nnot a line\nA=1\nA=2\nJWT=x\nBARE\n",
            &["JWT".to_string()],
        )
        .unwrap_err();
        assert!(errors[0].starts_with("p.env:1: `API_TOKEN` looks like a secret"));
        assert!(errors[1].starts_with("p.env:2:"));
        assert!(errors[2].starts_with("p.env:4: `A` is set twice"));
        assert!(errors[3].contains("is a secret of this service"));
        assert!(errors[4].starts_with("p.env:6: `BARE` has no `=value`"));
    }
}
