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
