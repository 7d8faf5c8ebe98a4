//! Name rules shared by validation and the interactive prompt, so both say the same thing.

/// Longest name of an application or service: object names such as `<service>-test-connection`
/// and namespaces `<app>-<env>` must still fit a 63-character DNS label.
pub const MAX_NAME: usize = 40;
/// Longest environment name.
pub const MAX_ENV_NAME: usize = 20;

/// RFC 1035 label (what a Kubernetes Service name must be): lowercase alphanumerics and `-`,
/// starting with a letter, ending with an alphanumeric, at most 63 characters.
pub fn check_dns_label(name: &str, max: usize) -> Result<(), String> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if name.is_empty() {
        return Err("a name cannot be empty".into());
    }
    if name.len() > max {
        return Err(format!(
            "`{name}` is {} characters long; the limit here is {max}",
            name.len()
        ));
    }
    if !ok_chars || !name.as_bytes()[0].is_ascii_lowercase() || name.ends_with('-') {
        let suggestion: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .trim_matches('-')
            .to_string();
        let hint = if !suggestion.is_empty() && suggestion.as_bytes()[0].is_ascii_lowercase() {
            format!(" (for example `{suggestion}`)")
        } else {
            String::new()
        };
        return Err(format!(
            "`{name}` is not a DNS label: use lowercase letters, digits and `-`, starting with a letter{hint}"
        ));
    }
    Ok(())
}

/// Environment variable names: portable C identifiers, as POSIX shells and Compose accept them.
pub fn check_env_name(name: &str) -> Result<(), String> {
    let b = name.as_bytes();
    if b.is_empty()
        || !(b[0].is_ascii_alphabetic() || b[0] == b'_')
        || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        return Err(format!(
            "`{name}` is not a valid environment variable name (letters, digits and `_`, not starting with a digit)"
        ));
    }
    Ok(())
}

/// Plain environment variable names as Kubernetes and Compose accept them: C identifiers plus
/// `.` and `-` (`discovery.type` configures Elasticsearch). Secret names stay C identifiers.
pub fn check_env_key(name: &str) -> Result<(), String> {
    let b = name.as_bytes();
    let ok = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-');
    if b.is_empty() || b[0].is_ascii_digit() || !b.iter().all(ok) {
        return Err(format!(
            "`{name}` is not a valid environment variable name (letters, digits, `_`, `.` and `-`, not starting with a digit)"
        ));
    }
    Ok(())
}

/// Host names for ingress rules: a lowercase DNS name, optionally a `*.` wildcard.
pub fn is_hostname(host: &str) -> bool {
    let body = host.strip_prefix("*.").unwrap_or(host);
    !body.is_empty()
        && body.len() <= 253
        && body.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

pub fn check_hostname(host: &str) -> Result<(), String> {
    if is_hostname(host) {
        return Ok(());
    }
    // The usual slips: a URL instead of a host, a port, capitals. Say what to write instead.
    let bare = host.split_once("://").map_or(host, |(_, rest)| rest);
    let bare = bare.split(['/', '?', '#']).next().unwrap_or_default();
    let bare = bare
        .rsplit_once(':')
        .map_or(bare, |(h, _)| h)
        .to_ascii_lowercase();
    let suggestion = if bare != host && is_hostname(&bare) {
        format!("; write the host alone, e.g. `{bare}`")
    } else {
        String::new()
    };
    Err(format!(
        "`{host}` is not a valid host name (a lowercase DNS name, optionally starting with `*.`, without scheme, port or path){suggestion}"
    ))
}

/// Names that say "secret": a value under such a name belongs in `secrets`, not in `env`.
/// `_PASS` ends many real ones (Mastodon's `DB_PASS`, `SMTP_PASS`), but only as the last word:
/// `PASSENGER_PORT` says nothing.
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| upper.contains(w))
        || upper == "PASS"
        || upper.ends_with("_PASS")
}

/// The closest candidate within a small distance, if any.
///
/// Words and candidates longer than a name can sensibly be are skipped, and so are candidates
/// whose length alone puts them out of reach, so that a hostile file of long names cannot make
/// the quadratic distance computation take forever.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    const LONGEST: usize = 64;
    let len = word.chars().count();
    if len > LONGEST {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| {
            let n = c.chars().count();
            n <= LONGEST && n.abs_diff(len) <= 2.max(n / 3)
        })
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

/// A Compose profile name (the Compose specification's pattern `[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
pub fn is_profile_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(check_dns_label("api-server", 63).is_ok());
        for bad in ["Api", "api_server", "-api", "api-", "1api", "../etc", ""] {
            assert!(check_dns_label(bad, 63).is_err(), "{bad}");
        }
        assert!(check_dns_label(&"a".repeat(64), 63).is_err());
        assert!(
            check_dns_label("api_server", 63)
                .unwrap_err()
                .contains("api-server")
        );
    }

    #[test]
    fn env_names_and_secrets() {
        assert!(check_env_name("LOG_LEVEL").is_ok());
        assert!(check_env_name("1X").is_err());
        assert!(check_env_name("A-B").is_err());
        assert!(check_env_key("discovery.type").is_ok() && check_env_key("A-B").is_ok());
        assert!(check_env_key("1X").is_err() && check_env_key("A B").is_err());
        assert!(
            looks_secret("DB_PASSWORD")
                && looks_secret("github_token")
                && !looks_secret("LOG_LEVEL")
        );
        assert!(looks_secret("DB_PASS") && looks_secret("smtp_pass") && looks_secret("PASS"));
        assert!(!looks_secret("PASSENGER_PORT") && !looks_secret("BYPASS_CACHE"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("imgae", ["image", "ports", "env"]),
            Some("image")
        );
        assert_eq!(did_you_mean("zzzzzz", ["image", "ports"]), None);
    }

    #[test]
    fn compose_profile_names() {
        for ok in ["ai", "feature-complete", "gpu-nvidia", "a.b_c", "0x"] {
            assert!(is_profile_name(ok), "{ok}");
        }
        for bad in ["", "a", "-ai", "_ai", "a i", "ai!", "é1"] {
            assert!(!is_profile_name(bad), "{bad}");
        }
    }
}
