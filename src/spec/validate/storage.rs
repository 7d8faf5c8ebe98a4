//! The rules of a service's storage, files, user and egress: volumes, writable paths, config
//! files, the image's own user, a writable root filesystem (only with a reason), declared egress;
//! and what an environment may change of them (volume size and class, the image).

use std::collections::BTreeSet;

use super::super::image::ImageRef;
use super::super::names::{check_dns_label, check_hostname};
use super::super::quantity::Quantity;
use super::super::types::*;
use super::Collector;
use crate::spec::error::ErrorKind;

/// Kubernetes' PersistentVolumeClaim access modes.
pub const ACCESS_MODES: [&str; 4] = [
    "ReadWriteOnce",
    "ReadWriteOncePod",
    "ReadWriteMany",
    "ReadOnlyMany",
];

/// Paths the generator mounts itself.
const RESERVED: [&str; 1] = ["/tmp"];

pub(super) fn storage(c: &mut Collector, path: &str, s: &ServiceSpec) {
    // Every mount of the container, to catch two at one path.
    let mut mounts: BTreeSet<String> = RESERVED.iter().map(|p| p.to_string()).collect();
    let mut mount = |c: &mut Collector, field: String, at: &S<String>| {
        let p = at.value.trim_end_matches('/');
        if let Err(m) = absolute_path(&at.value) {
            c.push(ErrorKind::Invalid, field, at, m, None);
        } else if !mounts.insert(p.to_string()) {
            c.push(
                ErrorKind::Invalid,
                field,
                at,
                format!("`{}` is mounted twice in this service", at.value),
                None,
            );
        }
    };
    let mut names = BTreeSet::new();
    for (i, v) in s.volumes.iter().enumerate() {
        let vp = format!("{path}.volumes[{i}]");
        let v = &v.value;
        // The claim is named `<volume>-<service>-<ordinal>` by the StatefulSet: keep it short.
        if let Err(m) = check_dns_label(&v.name.value, 30) {
            c.push(ErrorKind::Invalid, format!("{vp}.name"), &v.name, m, None);
        } else if v.name.value == "tmp" || v.name.value.starts_with("config-") {
            c.push(
                ErrorKind::Invalid,
                format!("{vp}.name"),
                &v.name,
                format!(
                    "`{}` is a volume name chartwright uses itself",
                    v.name.value
                ),
                Some("pick another name".into()),
            );
        } else if !names.insert(v.name.value.clone()) {
            c.push(
                ErrorKind::Invalid,
                format!("{vp}.name"),
                &v.name,
                format!("volume `{}` is declared twice", v.name.value),
                None,
            );
        }
        mount(c, format!("{vp}.mount_path"), &v.mount_path);
        if let Some(q) = &v.size {
            size(c, format!("{vp}.size"), q);
        }
        if let Some(m) = &v.access_mode
            && !ACCESS_MODES.contains(&m.value.as_str())
        {
            c.push(
                ErrorKind::Invalid,
                format!("{vp}.access_mode"),
                m,
                format!("`{}` is not a Kubernetes access mode", m.value),
                Some(format!("one of {}", ACCESS_MODES.join(", "))),
            );
        }
        if let Some(sc) = &v.storage_class {
            storage_class(c, format!("{vp}.storage_class"), sc);
        }
    }
    for (i, w) in s.writable_paths.iter().enumerate() {
        let wp = format!("{path}.writable_paths[{i}]");
        let (p, sz) = match &w.value {
            WritablePathSpec::Path(p) => (p, None),
            WritablePathSpec::Sized(sp) => (&sp.path, sp.size.as_ref()),
        };
        let at = S::new(p.clone(), w.referenced, w.defined);
        mount(c, wp.clone(), &at);
        if let Some(q) = sz {
            size(
                c,
                format!("{wp}.size"),
                &S::new(q.clone(), w.referenced, w.defined),
            );
        }
    }
    for (i, f) in s.config_files.iter().enumerate() {
        let fp = format!("{path}.config_files[{i}]");
        let src = &f.value.source;
        if src.value.is_empty() || src.value.ends_with('/') {
            c.push(
                ErrorKind::Invalid,
                format!("{fp}.source"),
                src,
                format!("`{}` does not name a file", src.value),
                None,
            );
        } else if src.value.starts_with('/') || std::path::Path::new(&src.value).is_absolute() {
            c.push(
                ErrorKind::Invalid,
                format!("{fp}.source"),
                src,
                format!("`{}` is an absolute path; a config file is named relative to the spec, inside its repository", src.value),
                None,
            );
        }
        mount(c, format!("{fp}.mount_path"), &f.value.mount_path);
    }
    if let (Some(b), Some(u)) = (&s.run_as_image_user, &s.run_as_user)
        && b.value
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.run_as_image_user"),
            b,
            format!(
                "`run_as_image_user: true` and `run_as_user: {}` contradict each other",
                u.value
            ),
            Some("keep one of them".into()),
        );
    }
    let reason = s
        .read_only_root_filesystem_reason
        .as_ref()
        .filter(|r| !r.value.trim().is_empty());
    match (&s.read_only_root_filesystem, reason) {
        (Some(ro), None) if !ro.value => c.push(
            ErrorKind::Invalid,
            format!("{path}.read_only_root_filesystem"),
            ro,
            "a writable root filesystem needs a written reason",
            Some(
                "add `read_only_root_filesystem_reason: \"…\"`, or mount what the image writes with `writable_paths:`"
                    .into(),
            ),
        ),
        (ro, Some(r)) if ro.as_ref().is_none_or(|ro| ro.value) => c.push(
            ErrorKind::Invalid,
            format!("{path}.read_only_root_filesystem_reason"),
            r,
            "a reason is given but the root filesystem stays read-only",
            Some("add `read_only_root_filesystem: false`, or drop the reason".into()),
        ),
        _ => {}
    }
    if let Some(r) = &s.read_only_root_filesystem_reason
        && r.value.chars().any(char::is_control)
    {
        c.push(
            ErrorKind::Invalid,
            format!("{path}.read_only_root_filesystem_reason"),
            r,
            "the reason is written as a one-line comment: no line breaks or control characters",
            None,
        );
    }
    for (i, e) in s.egress.iter().enumerate() {
        egress(c, &format!("{path}.egress[{i}]"), &e.value);
    }
}

fn egress(c: &mut Collector, ep: &str, e: &EgressSpec) {
    let to = &e.to.value;
    let is_host = to != "internet" && !to.contains('/');
    if to.contains('/') {
        if let Err(m) = cidr(to) {
            c.push(ErrorKind::Invalid, format!("{ep}.to"), &e.to, m, None);
        }
    } else if is_host && check_hostname(to).is_err() {
        c.push(
            ErrorKind::Invalid,
            format!("{ep}.to"),
            &e.to,
            format!("`{to}` is not `internet`, a CIDR or a host name"),
            Some("e.g. `internet`, `10.20.0.0/16` or `smtp.example.com`".into()),
        );
    }
    if is_host && e.ports.is_empty() {
        c.push(
            ErrorKind::Invalid,
            format!("{ep}.ports"),
            &e.to,
            format!("egress to host `{to}` needs its ports: a NetworkPolicy cannot match a host name, so only the ports narrow it"),
            Some("add `ports: [443]`, or give the host's CIDR in `to:`".into()),
        );
    }
    for (j, p) in e.ports.iter().enumerate() {
        let (n, proto) = match &p.value {
            EgressPortSpec::Number(n) => (*n, None),
            EgressPortSpec::WithProtocol(pp) => (pp.port, pp.protocol.as_deref()),
        };
        if !(1..=65535).contains(&n) {
            c.push(
                ErrorKind::Invalid,
                format!("{ep}.ports[{j}]"),
                p,
                format!("port {n} is outside 1–65535"),
                None,
            );
        }
        if let Some(proto) = proto
            && !["TCP", "UDP", "SCTP"].contains(&proto)
        {
            c.push(
                ErrorKind::Invalid,
                format!("{ep}.ports[{j}].protocol"),
                p,
                format!("`{proto}` is not TCP, UDP or SCTP"),
                None,
            );
        }
    }
}

/// What an environment's override may change of a service's storage and image.
pub(super) fn override_(c: &mut Collector, op: &str, svc: &ServiceSpec, o: &ServiceOverride) {
    if let Some(f) = &o.env_file
        && (f.value.is_empty()
            || f.value.starts_with('/')
            || std::path::Path::new(&f.value).is_absolute())
    {
        c.push(
            ErrorKind::Invalid,
            format!("{op}.env_file"),
            f,
            format!("`{}` is not a file named relative to the spec", f.value),
            None,
        );
    }
    if let Some(i) = &o.image
        && let Err(e) = ImageRef::parse(&i.value)
    {
        c.push(
            ErrorKind::Invalid,
            format!("{op}.image"),
            i,
            e.message,
            Some(e.hint),
        );
    }
    for (name, v) in &o.volumes {
        let vp = format!("{op}.volumes.{name}");
        if !svc.volumes.iter().any(|d| &d.value.name.value == name) {
            c.push_at_key(
                ErrorKind::Reference,
                &vp,
                &vp,
                v,
                format!("`{name}` is not a volume of this service"),
                None,
            );
            continue;
        }
        if let Some(q) = &v.value.size {
            size(c, format!("{vp}.size"), q);
        }
        if let Some(sc) = &v.value.storage_class {
            storage_class(c, format!("{vp}.storage_class"), sc);
        }
    }
}

pub(super) fn size(c: &mut Collector, path: String, q: &S<Scalar>) {
    match Quantity::parse(&q.value.as_text()) {
        Ok(parsed) if parsed.value >= 1.0 => {}
        Ok(_) => c.push(
            ErrorKind::Invalid,
            path,
            q,
            format!("`{}` is less than one byte", q.value.as_text()),
            Some("a size such as `10Gi`".into()),
        ),
        Err(e) => c.push(
            ErrorKind::Invalid,
            path,
            q,
            e.0,
            Some("a size such as `10Gi`".into()),
        ),
    }
}

fn storage_class(c: &mut Collector, path: String, sc: &S<String>) {
    if check_hostname(&sc.value).is_err() {
        c.push(
            ErrorKind::Invalid,
            path,
            sc,
            format!("`{}` is not a valid StorageClass name", sc.value),
            None,
        );
    }
}

/// An absolute, normalised container path.
fn absolute_path(p: &str) -> Result<(), String> {
    if !p.starts_with('/') {
        return Err(format!("`{p}` is not an absolute path"));
    }
    if p == "/" {
        return Err("`/` cannot be mounted over".into());
    }
    if p.split('/').any(|seg| seg == ".." || seg == ".") || p.contains("//") {
        return Err(format!(
            "`{p}` is not a normalised path (no `.`, `..` or `//`)"
        ));
    }
    if p.chars().any(|ch| ch.is_control() || ch == ':') {
        return Err(format!("`{p}` holds a control character or `:`"));
    }
    Ok(())
}

/// An IPv4 or IPv6 CIDR.
fn cidr(s: &str) -> Result<(), String> {
    let bad = || format!("`{s}` is not a CIDR such as `10.20.0.0/16`");
    let (addr, bits) = s.split_once('/').ok_or_else(bad)?;
    let bits: u8 = bits.parse().map_err(|_| bad())?;
    let max = match addr.parse::<std::net::IpAddr>().map_err(|_| bad())? {
        std::net::IpAddr::V4(_) => 32,
        std::net::IpAddr::V6(_) => 128,
    };
    if bits > max {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_and_paths() {
        assert!(cidr("10.0.0.0/8").is_ok());
        assert!(cidr("2001:db8::/32").is_ok());
        assert!(cidr("10.0.0.0/33").is_err());
        assert!(cidr("example.com/8").is_err());
        assert!(absolute_path("/var/lib/app").is_ok());
        assert!(absolute_path("var/lib").is_err());
        assert!(absolute_path("/var/../etc").is_err());
        assert!(absolute_path("/").is_err());
    }
}
