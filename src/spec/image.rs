//! Container image references, parsed the way the distribution spec defines them, because
//! "pinned" has to mean something exact: a tag other than `latest`, or a sha256 digest.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host and path, without tag or digest.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<64 hex>`.
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub message: String,
    pub hint: String,
}

fn is_path_component(c: &str) -> bool {
    // [a-z0-9]+ separated by one '.', one or two '_', or any number of '-'.
    if c.is_empty()
        || !c
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        return false;
    }
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    !c.contains("..")
        && !c.contains("___")
        && !c.contains("._")
        && !c.contains("_.")
        && !c.contains(".-")
        && !c.contains("-.")
}

fn is_registry(c: &str) -> bool {
    c == "localhost" || c.contains('.') || c.contains(':')
}

/// Why `host` (`name[:port]`) is not a registry host an engine pulls from, if it is not one.
/// Host names are lowercase here: Docker and containerd normalise references by their
/// lowercase form, and Kubernetes compares image strings byte for byte, so `Registry.io` and
/// `registry.io` would be two different images to the kubelet.
fn registry_host_problem(host: &str) -> Option<&'static str> {
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if !host.starts_with('[') || n.ends_with(']') => (n, Some(p)),
        _ => (host, None),
    };
    if let Some(p) = port
        && (p.is_empty()
            || !p.bytes().all(|b| b.is_ascii_digit())
            || p.parse::<u32>().is_ok_and(|n| n == 0 || n > 65535)
            || p.len() > 5)
    {
        return Some("the port after `:` must be a number from 1 to 65535");
    }
    if name.is_empty() {
        return Some("the host name is empty");
    }
    if name.starts_with('[') && name.ends_with(']') {
        let inner = &name[1..name.len() - 1];
        return (inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':'))
            .then_some("an IPv6 address in brackets has hex digits and `:` only");
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    if !name.split('.').all(label_ok) {
        return Some("a host name is DNS labels (letters, digits and `-`) joined by `.`");
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("write the host name in lowercase");
    }
    None
}

fn is_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|x| x.is_ascii_alphanumeric() || b"_.-".contains(x))
}

impl ImageRef {
    pub fn parse(text: &str) -> Result<Self, ImageError> {
        let invalid = |why: String| ImageError {
            message: format!("`{text}` is not a valid image reference: {why}"),
            hint: "write `registry.example.com/team/name:1.2.3` or `name@sha256:<64 hex digits>`"
                .into(),
        };
        if text.trim() != text || text.is_empty() {
            return Err(invalid("it is empty or has surrounding spaces".into()));
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => {
                let hex = d
                    .strip_prefix("sha256:")
                    .ok_or_else(|| invalid("a digest must start with `sha256:`".into()))?;
                if hex.len() != 64
                    || !hex
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                {
                    return Err(invalid(
                        "a sha256 digest has exactly 64 lowercase hex digits".into(),
                    ));
                }
                (r, Some(d.to_string()))
            }
            None => (text, None),
        };
        // A ':' after the last '/' separates the tag; one before it belongs to a registry port.
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        let mut components: Vec<&str> = repository.split('/').collect();
        if components.len() > 1 && is_registry(components[0]) {
            let host = components.remove(0);
            if let Some(why) = registry_host_problem(host) {
                return Err(invalid(format!("`{host}` is not a registry host: {why}")));
            }
        }
        if let Some(bad) = components.iter().find(|c| !is_path_component(c)) {
            return Err(invalid(format!(
                "`{bad}` is not a valid path component (lowercase letters, digits and separators)"
            )));
        }
        if let Some(t) = tag
            && !is_tag(t)
        {
            return Err(invalid(format!("`{t}` is not a valid tag")));
        }
        let base = repository.to_string();
        match (tag, &digest) {
            (Some("latest"), None) => Err(ImageError {
                message: format!("`{text}` uses the `latest` tag, which moves under you"),
                hint: format!("pin a version, e.g. `{base}:1.2.3`, or a digest `{base}@sha256:…`"),
            }),
            (None, None) => Err(ImageError {
                message: format!("`{text}` has no tag, so it means `latest`"),
                hint: format!("pin a version, e.g. `{base}:1.2.3`, or a digest `{base}@sha256:…`"),
            }),
            _ => Ok(ImageRef {
                repository: base,
                tag: tag.map(str::to_string),
                digest,
            }),
        }
    }

    /// Whether the repository names a registry host (else a defaults `registry` may be prepended).
    pub fn has_registry(&self) -> bool {
        let mut parts = self.repository.split('/');
        let first = parts.next().unwrap_or_default();
        parts.next().is_some() && is_registry(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_pinned_references() {
        let r = ImageRef::parse("registry.example.com:5000/shop/api:1.4.2").unwrap();
        assert_eq!(r.repository, "registry.example.com:5000/shop/api");
        assert_eq!(r.tag.as_deref(), Some("1.4.2"));
        let d = format!("api@sha256:{}", "a".repeat(64));
        assert_eq!(
            ImageRef::parse(&d).unwrap().digest.unwrap(),
            format!("sha256:{}", "a".repeat(64))
        );
        assert!(ImageRef::parse("ghcr.io/org/app:v1.2.3-rc.1").is_ok());
    }

    #[test]
    fn accepts_registry_hosts() {
        for ok in [
            "localhost:5000/x:1",
            "10.0.0.1:5000/x:1",
            "[::1]:5000/x:1",
            "reg.example.com/a/b:1",
        ] {
            assert!(ImageRef::parse(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn refuses_floating_and_malformed_references() {
        assert!(
            ImageRef::parse("api:latest")
                .unwrap_err()
                .message
                .contains("latest")
        );
        assert!(
            ImageRef::parse("registry.example.com:5000/api")
                .unwrap_err()
                .message
                .contains("no tag")
        );
        for bad in [
            "Api:1.0",
            "api:",
            "api@sha256:abc",
            "api@md5:00",
            "a//b:1",
            "api:1.0 ",
            "api:-x",
            "localhost:/x:1",
            "Registry.Example.com/x:1",
            "my registry.com/x:1",
            "$REGISTRY/x:1",
            "reg.example.com$USER/x:1",
            "reg.example.com:99999/x:1",
            "reg.example.com:0/x:1",
            "-reg.example.com/x:1",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
