//! A Compose healthcheck, read as the probe it means: an HTTP GET when it fetches a local URL
//! with curl, wget or fetch (on the URL's port, with or without `http://`), a TCP check for a
//! bare `nc -z`, else the command itself. Nothing is assumed: no port or path the file does not
//! give.

use serde_json::Value;

use super::as_str;

/// What a healthcheck checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Http {
        path: String,
        port: u16,
    },
    Tcp {
        port: u16,
    },
    /// The command in exec form (a shell command becomes `sh -c …`).
    Exec(Vec<String>),
    Disabled,
}

/// Hosts that mean "this container".
fn is_local(host: &str, own_names: &[&str]) -> bool {
    matches!(
        host,
        "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "::1"
    ) || own_names.contains(&host)
}

/// The healthcheck's command, in exec form, or `None` when it is disabled.
pub fn command(h: &Value) -> Option<Vec<String>> {
    if h.get("disable").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let test = h.get("test")?;
    let items: Vec<String> = match test {
        Value::Array(items) => items.iter().filter_map(as_str).collect(),
        other => vec!["CMD-SHELL".into(), as_str(other)?],
    };
    match items.first().map(String::as_str) {
        Some("NONE") | None => None,
        Some("CMD") => Some(items[1..].to_vec()),
        Some("CMD-SHELL") => Some(vec!["sh".into(), "-c".into(), items[1..].join(" ")]),
        // Compose reads a list without a keyword as CMD.
        Some(_) => Some(items),
    }
}

/// Reads a healthcheck. `own_names` are the service's names (its key and `hostname`), which
/// also mean the container itself in a URL.
pub fn read(h: &Value, own_names: &[&str]) -> Check {
    let Some(cmd) = command(h) else {
        return Check::Disabled;
    };
    let text = cmd.join(" ");
    let http_client = ["curl", "wget", "fetch("].iter().any(|c| text.contains(c));
    if http_client
        && let Some((host, port, path)) = url(&text)
        && is_local(&host, own_names)
    {
        return Check::Http { path, port };
    }
    if let Some(port) = bare_nc(&text, own_names) {
        return Check::Tcp { port };
    }
    Check::Exec(cmd)
}

/// The first URL of a command: `http://host[:port]/path` or a scheme-less `host:port/path`
/// (curl's own default), as (host, port, path). `https` is left to the command itself.
fn url(text: &str) -> Option<(String, u16, String)> {
    for word in text.split(|c: char| c.is_whitespace() || "\"'`(),;".contains(c)) {
        let (rest, default_port) = if let Some(r) = word.strip_prefix("http://") {
            (r, Some(80))
        } else if word.contains("://") {
            continue;
        } else {
            (word, None)
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().ok()),
            None => (authority, None),
        };
        // Without a scheme, only `host:port` is a URL (a bare word is not).
        let Some(port) = port.or(default_port) else {
            continue;
        };
        if port == 0
            || host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._[]:".contains(c))
        {
            continue;
        }
        let path = path.split(['?', '#']).next().unwrap_or("/");
        return Some((host.to_string(), port, path.to_string()));
    }
    None
}

/// `nc -z [-v] [-w N] HOST PORT` with nothing else in the command.
fn bare_nc(text: &str, own_names: &[&str]) -> Option<u16> {
    let text = text.strip_prefix("sh -c ").unwrap_or(text);
    let text = text.trim_end_matches("|| exit 1").trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.first() != Some(&"nc") || !words.iter().any(|w| w.starts_with('-') && w.contains('z'))
    {
        return None;
    }
    if text.contains(['|', '&', ';', '<', '>']) {
        return None;
    }
    let mut rest: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in &words[1..] {
        if skip {
            skip = false;
        } else if *w == "-w" {
            skip = true;
        } else if !w.starts_with('-') {
            rest.push(w);
        }
    }
    match rest.as_slice() {
        [host, port] if is_local(host, own_names) => port.parse().ok().filter(|p| *p > 0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(test: Value) -> Check {
        read(&json!({ "test": test }), &["web"])
    }

    #[test]
    fn http_urls_give_their_port_and_path() {
        assert_eq!(
            check(json!([
                "CMD-SHELL",
                "curl -s --noproxy localhost localhost:3000/health | grep -q 'OK' || exit 1"
            ])),
            Check::Http {
                path: "/health".into(),
                port: 3000
            }
        );
        assert_eq!(
            check(json!([
                "CMD",
                "wget",
                "--spider",
                "http://127.0.0.1:8123/ping"
            ])),
            Check::Http {
                path: "/ping".into(),
                port: 8123
            }
        );
        assert_eq!(
            check(json!("curl -f http://localhost/")),
            Check::Http {
                path: "/".into(),
                port: 80
            }
        );
        assert_eq!(
            check(json!([
                "CMD",
                "node",
                "-e",
                "fetch('http://web:3000/api/x').then((r) => {if (r.status !== 200) throw new Error(r.status)})"
            ])),
            Check::Http {
                path: "/api/x".into(),
                port: 3000
            }
        );
    }

    #[test]
    fn other_hosts_https_and_commands_stay_commands() {
        assert!(matches!(
            check(json!(["CMD", "curl", "-f", "http://other:80/"])),
            Check::Exec(_)
        ));
        assert!(matches!(
            check(json!(["CMD", "curl", "-fk", "https://localhost:8443/"])),
            Check::Exec(_)
        ));
        assert_eq!(
            check(json!("redis-cli ping || exit 1")),
            Check::Exec(vec![
                "sh".into(),
                "-c".into(),
                "redis-cli ping || exit 1".into()
            ])
        );
        assert_eq!(
            check(json!(["CMD", "pg_isready", "-U", "postgres"])),
            Check::Exec(vec!["pg_isready".into(), "-U".into(), "postgres".into()])
        );
        // A protocol check through nc is a command, not a bare TCP check.
        assert!(matches!(
            check(json!("echo ruok | nc -w 2 localhost 2181 | grep imok")),
            Check::Exec(_)
        ));
    }

    #[test]
    fn bare_nc_is_tcp_and_none_is_disabled() {
        assert_eq!(
            check(json!(["CMD-SHELL", "nc -z localhost 9092"])),
            Check::Tcp { port: 9092 }
        );
        assert_eq!(check(json!(["NONE"])), Check::Disabled);
        assert_eq!(read(&json!({"disable": true}), &[]), Check::Disabled);
    }
}
