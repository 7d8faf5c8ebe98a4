//! The rules of one backing service: name, catalog kind and version, database and host.

use super::super::names::{MAX_NAME, check_dns_label, check_hostname, did_you_mean};
use super::super::types::*;
use super::Collector;
use crate::catalog;
use crate::spec::error::ErrorKind;
use crate::spec::image::ImageRef;

pub(super) fn backing(c: &mut Collector, spec: &Spec, name: &str, b: &S<BackingSpec>) {
    let path = format!("backing.{name}");
    if let Err(m) = check_dns_label(name, MAX_NAME) {
        c.push_at_key(ErrorKind::Invalid, &path, &path, b, m, None);
    }
    if spec.services.contains_key(name) {
        c.push_at_key(
            ErrorKind::Invalid,
            &path,
            &path,
            b,
            format!("`{name}` is both a service and a backing service"),
            None,
        );
    }
    match catalog::lookup(&b.value.kind.value) {
        None => {
            let hint = did_you_mean(&b.value.kind.value, catalog::kinds())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "known kinds: {}",
                        catalog::kinds().collect::<Vec<_>>().join(", ")
                    )
                });
            c.push(
                ErrorKind::Invalid,
                format!("{path}.kind"),
                &b.value.kind,
                format!(
                    "`{}` is not a backing-service kind chartwright knows",
                    b.value.kind.value
                ),
                Some(hint),
            );
        }
        Some(entry) => {
            let version = b.value.version.value.as_text();
            if entry.image_for(&version).is_none() {
                c.push(
                    ErrorKind::Invalid,
                    format!("{path}.version"),
                    &b.value.version,
                    format!("{} version `{version}` is not in the catalog", entry.kind),
                    Some(format!("supported versions: {}", entry.version_list())),
                );
            }
        }
    }
    if let Some(image) = &b.value.image
        && let Err(e) = ImageRef::parse(&image.value)
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.image"),
            image,
            e.message,
            Some(e.hint),
        );
    }
    if let Some(db) = &b.value.database
        && check_env_safe_word(&db.value).is_err()
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.database"),
            db,
            format!(
                "`{}` is not a valid database name (letters, digits, `_` and `-`)",
                db.value
            ),
            None,
        );
    }
    if let Some(h) = &b.value.host
        && let Err(m) = check_hostname(&h.value)
    {
        c.push(ErrorKind::Invalid, format!("{path}.host"), h, m, None);
    }
}

fn check_env_safe_word(s: &str) -> Result<(), ()> {
    if !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err(())
    }
}

/// Where an environment puts a backing service: a managed `host`, or a `host_secret`.
pub(super) fn endpoint(
    c: &mut Collector,
    spec: &Spec,
    path: &str,
    name: &str,
    ep: &S<BackingEndpointSpec>,
) {
    let bp = format!("{path}.backing.{name}");
    if !spec.backing.contains_key(name) {
        super::unknown_name(
            c,
            &bp,
            ep,
            name,
            spec.backing.keys(),
            format!("`{name}` is not a backing service of this spec"),
        );
        return;
    }
    let e = &ep.value;
    match (&e.host, &e.host_secret) {
        (Some(_), Some(s)) => c.push(
            ErrorKind::Invalid,
            format!("{bp}.host_secret"),
            s,
            "give `host` or `host_secret`, not both",
            None,
        ),
        (None, None) => c.push_at_key(
            ErrorKind::Invalid,
            &bp,
            &bp,
            ep,
            "an endpoint needs `host` or `host_secret`",
            Some(
                "e.g. `host: db.prod.example.com` or `host_secret: { name: db, key: host }`".into(),
            ),
        ),
        _ => {}
    }
    if let Some(h) = &e.host
        && let Err(m) = check_hostname(&h.value)
    {
        c.push(ErrorKind::Invalid, format!("{bp}.host"), h, m, None);
    }
    if let Some(s) = &e.host_secret {
        if check_hostname(&s.value.name.value).is_err() {
            c.push(
                ErrorKind::Invalid,
                format!("{bp}.host_secret.name"),
                &s.value.name,
                format!("`{}` is not a valid Secret name", s.value.name.value),
                None,
            );
        }
        let k = &s.value.key.value;
        let valid_key = !k.is_empty()
            && k.len() <= 253
            && k.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "-._".contains(ch));
        if !valid_key {
            c.push(
                ErrorKind::Invalid,
                format!("{bp}.host_secret.key"),
                &s.value.key,
                format!("`{k}` is not a valid Secret key (letters, digits, `-`, `_`, `.`)"),
                None,
            );
        }
    }
}
