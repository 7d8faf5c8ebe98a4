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
            let (name, port) = host.split_once(':').unwrap_or((host, "0"));
            if name.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(format!("`{host}` is not a registry host")));
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
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
