//! Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?err}`, `${VAR:+alt}`, `$$`), from the `.env` file beside the Compose file and the
//! defaults written in the file. The shell's environment is not read: an import must not depend
//! on who runs it. What stays unresolved is reported, never guessed.

use std::collections::BTreeMap;

/// Variable values from a `.env` file, read as Compose reads it (`crate::spec::env_file`); a
/// line Compose could not read, or a bare name (whose value is the shell's), gives no value.
pub fn parse_env_file(text: &str) -> BTreeMap<String, String> {
    crate::spec::env_file::lines(text)
        .into_iter()
        .flatten()
        .filter_map(|l| Some((l.name, l.value?)))
        .collect()
}

/// The outcome of interpolating one string.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Interpolated {
    /// The text with every resolvable reference replaced; an unresolved one is left as written.
    pub text: String,
    /// Variables with no value and no default.
    pub unresolved: Vec<String>,
    /// `(variable, default)` for each default that was used.
    pub defaults: Vec<(String, String)>,
    /// Variables whose value came from `.env`.
    pub from_env_file: Vec<String>,
}

impl Interpolated {
    pub fn resolved(&self) -> bool {
        self.unresolved.is_empty()
    }
    /// Whether the text refers to any variable at all.
    pub fn is_variable(&self) -> bool {
        !self.unresolved.is_empty() || !self.defaults.is_empty() || !self.from_env_file.is_empty()
    }
}

/// Interpolates `s` with `vars`.
pub fn interpolate(s: &str, vars: &BTreeMap<String, String>) -> Interpolated {
    let mut out = Interpolated::default();
    out.text = walk(s, vars, &mut out);
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn walk(s: &str, vars: &BTreeMap<String, String>, out: &mut Interpolated) -> String {
    let mut text = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            text.push('$');
            rest = r;
        } else if let Some(body) = after.strip_prefix('{') {
            // Find the matching brace (defaults may nest `${…}`).
            let mut depth = 1;
            let mut end = None;
            for (j, c) in body.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(end) = end else {
                text.push_str(&rest[i..]);
                return text;
            };
            text.push_str(&braced(&body[..end], vars, out));
            rest = &body[end + 1..];
        } else {
            let starts_name = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
            let n = if starts_name {
                after
                    .find(|c: char| !is_name_char(c))
                    .unwrap_or(after.len())
            } else {
                0
            };
            if n == 0 {
                text.push('$');
                rest = after;
                continue;
            }
            let name = &after[..n];
            match vars.get(name) {
                Some(v) => {
                    out.from_env_file.push(name.to_string());
                    text.push_str(v);
                }
                None => {
                    out.unresolved.push(name.to_string());
                    text.push_str(&rest[i..i + 1 + n]);
                }
            }
            rest = &after[n..];
        }
    }
    text.push_str(rest);
    text
}

/// The inside of `${…}`.
fn braced(body: &str, vars: &BTreeMap<String, String>, out: &mut Interpolated) -> String {
    let n = body.find(|c: char| !is_name_char(c)).unwrap_or(body.len());
    let (name, op) = body.split_at(n);
    let value = vars.get(name);
    let set = value.is_some();
    let nonempty = value.is_some_and(|v| !v.is_empty());
    let mut use_value = || {
        out.from_env_file.push(name.to_string());
        value.cloned().unwrap_or_default()
    };
    let (colon, op) = match op.strip_prefix(':') {
        Some(o) => (true, o),
        None => (false, op),
    };
    let present = if colon { nonempty } else { set };
    let unresolved = |out: &mut Interpolated| {
        out.unresolved.push(name.to_string());
        format!("${{{body}}}")
    };
    match op.chars().next() {
        None if set => use_value(),
        None => unresolved(out),
        Some('-') if present => use_value(),
        Some('-') => {
            let default = walk(&op[1..], vars, out);
            out.defaults.push((name.to_string(), default.clone()));
            default
        }
        Some('?') if present => use_value(),
        Some('+') if present => walk(&op[1..], vars, out),
        Some('+') => String::new(),
        _ => unresolved(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_used_and_said() {
        let i = interpolate("ghcr.io/x:${V:-v1.135.3}", &vars(&[]));
        assert_eq!(i.text, "ghcr.io/x:v1.135.3");
        assert_eq!(i.defaults, [("V".to_string(), "v1.135.3".to_string())]);
        assert!(i.resolved());
        // A `-` default holding colons (Immich's `${EXPOSE_PORT-:2283:2283}` style).
        assert_eq!(interpolate("${P-2283:2283}", &vars(&[])).text, "2283:2283");
    }

    #[test]
    fn env_file_wins_and_unset_stays_unresolved() {
        let v = vars(&[("TAG", "2.0"), ("EMPTY", "")]);
        assert_eq!(interpolate("a:${TAG:-1}", &v).text, "a:2.0");
        assert_eq!(interpolate("a:${EMPTY:-1}", &v).text, "a:1");
        assert_eq!(interpolate("a:${EMPTY-1}", &v).text, "a:");
        let i = interpolate("n8nio/n8n:${N8N_VERSION}", &v);
        assert_eq!(i.unresolved, ["N8N_VERSION"]);
        assert_eq!(i.text, "n8nio/n8n:${N8N_VERSION}");
        let i = interpolate("$SNUBA_IMAGE", &v);
        assert_eq!(i.unresolved, ["SNUBA_IMAGE"]);
        assert_eq!(interpolate("${P:?required}", &v).unresolved, ["P"]);
    }

    #[test]
    fn dollars_and_nesting() {
        let v = vars(&[("B", "b")]);
        assert_eq!(
            interpolate("$${POSTGRES_DB} $$x", &v).text,
            "${POSTGRES_DB} $x"
        );
        assert_eq!(interpolate("${A:-${B}}", &v).text, "b");
        assert_eq!(interpolate("${B:+set}/${A:+set}", &v).text, "set/");
        assert_eq!(interpolate("cost $5", &v).text, "cost $5");
    }

    #[test]
    fn env_files_parse() {
        let v = parse_env_file("# c\nA=1\nB=\"two words\"\nexport C='x' \nD=y # note\n\nbad\n");
        assert_eq!(v["A"], "1");
        assert_eq!(v["B"], "two words");
        assert_eq!(v["C"], "x");
        assert_eq!(v["D"], "y");
        assert_eq!(v.len(), 4);
    }
}
