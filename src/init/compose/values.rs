//! Small readers of Compose values: a service name, a port entry, a duration, a named volume, a command
//! string, a value with its variables interpolated.

use serde_json::Value;

use super::vars::interpolate;
use super::{Plan, as_str};
use crate::init::draft::PortDraft;
use crate::spec::names::{MAX_NAME, check_dns_label};

/// A Compose service name as a spec name: kept when it is a DNS label, else its suggestion.
pub(super) fn spec_name(name: &str) -> String {
    if check_dns_label(name, MAX_NAME).is_ok() {
        return name.to_string();
    }
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    let s = if s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s
    } else {
        format!("s-{s}")
    };
    s.chars()
        .take(MAX_NAME)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// The container side of a Compose port entry: `[ip:][host:]container[/proto]` or the long form.
/// A range (`9000-9005`) is not a single port.
pub(super) fn container_port(v: &Value, plan: &Plan) -> Result<PortDraft, String> {
    let (text, proto) = match v {
        Value::Object(m) => (
            m.get("target").and_then(as_str).unwrap_or_default(),
            m.get("protocol").and_then(as_str),
        ),
        other => (as_str(other).unwrap_or_default(), None),
    };
    let text = interpolate(&text, plan.vars).text;
    let (body, proto) = match (text.split_once('/'), proto) {
        (Some((b, p)), _) => (b.to_string(), p.to_string()),
        (None, Some(p)) => (text.clone(), p),
        (None, None) => (text.clone(), "tcp".to_string()),
    };
    let container = body.rsplit(':').next().unwrap_or_default();
    container
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .map(|number| PortDraft {
            number,
            udp: proto.eq_ignore_ascii_case("udp"),
        })
        .ok_or_else(|| format!("port `{text}` (not a single container port)"))
}

/// A Compose duration (`1m30s`, `500ms`) in whole seconds, rounded up.
pub(super) fn seconds(d: &str) -> Option<i64> {
    let mut total_ms: i64 = 0;
    let mut rest = d.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let num: i64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let ms = match &rest[..u] {
            "h" => 3_600_000,
            "m" => 60_000,
            "s" => 1000,
            "ms" => 1,
            _ => return None,
        };
        total_ms = total_ms.checked_add(num.checked_mul(ms)?)?;
        rest = &rest[u..];
    }
    Some((total_ms + 999) / 1000)
}

/// A named volume (`name:/path`, or the long form with `type: volume`) as (spec volume name,
/// mount path); a bind mount, an anonymous volume or a variable source is `None`.
pub(super) fn named_volume(v: &Value, text: &str, plan: &Plan) -> Option<(String, String)> {
    let (source, target) = match v {
        Value::Object(m) => {
            if m.get("type")
                .and_then(as_str)
                .is_some_and(|t| t != "volume")
            {
                return None;
            }
            (
                m.get("source").and_then(as_str)?,
                m.get("target").and_then(as_str)?,
            )
        }
        _ => {
            let i = interpolate(text, plan.vars);
            if !i.resolved() {
                return None;
            }
            let mut parts = i.text.splitn(3, ':');
            (parts.next()?.to_string(), parts.next()?.to_string())
        }
    };
    if source.is_empty() || source.starts_with(['.', '/', '~', '$']) || !target.starts_with('/') {
        return None;
    }
    let name: String = source
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-').chars().take(30).collect::<String>();
    let name = name.trim_end_matches('-').to_string();
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name != "tmp"
        && !name.starts_with("config-");
    ok.then(|| (name, target.trim_end_matches('/').to_string()))
}

/// A `command:` (or healthcheck) string split the way Compose splits it: shell words, quotes
/// removed, no expansion.
pub fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// A value with every string interpolated.
pub(super) fn interpolated(v: &Value, plan: &Plan) -> Value {
    match v {
        Value::String(s) => Value::String(interpolate(s, plan.vars).text),
        Value::Array(a) => Value::Array(a.iter().map(|x| interpolated(x, plan)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), interpolated(x, plan)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_like_compose() {
        assert_eq!(
            shell_words(r#"sh -c "a && b 'c d'" e\ f"#).unwrap(),
            ["sh", "-c", "a && b 'c d'", "e f"]
        );
        assert_eq!(
            shell_words("--transaction-isolation=READ-COMMITTED --binlog-format=ROW")
                .unwrap()
                .len(),
            2
        );
        assert!(shell_words("unbalanced 'quote").is_none());
        assert_eq!(seconds("1m30s"), Some(90));
        assert_eq!(seconds("500ms"), Some(1));
        assert_eq!(seconds("10"), None);
    }
}
