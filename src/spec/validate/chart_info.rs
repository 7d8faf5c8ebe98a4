//! The spec's `chart:` key: what Helm writes into every Chart.yaml (`home`, `sources`,
//! `maintainers`). Helm's lint refuses a URL it cannot parse; chartwright asks for http(s).

use super::Collector;
use crate::spec::error::ErrorKind;
use crate::spec::types::{ChartInfoSpec, S};

pub(super) fn validate(c: &mut Collector, chart: &ChartInfoSpec) {
    if let Some(home) = &chart.home {
        url(c, "chart.home".into(), home);
    }
    for (i, s) in chart.sources.iter().enumerate() {
        url(c, format!("chart.sources[{i}]"), s);
    }
    for (i, m) in chart.maintainers.iter().enumerate() {
        let path = format!("chart.maintainers[{i}]");
        if m.value.name.value.trim().is_empty() {
            c.push(
                ErrorKind::Invalid,
                format!("{path}.name"),
                &m.value.name,
                "a maintainer needs a name",
                None,
            );
        }
        if let Some(email) = &m.value.email {
            let e = &email.value;
            let ok = e.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
            });
            if !ok {
                c.push(
                    ErrorKind::Invalid,
                    format!("{path}.email"),
                    email,
                    format!("`{e}` is not an e-mail address"),
                    Some("write e.g. `shop-team@example.com`".into()),
                );
            }
        }
        if let Some(u) = &m.value.url {
            url(c, format!("{path}.url"), u);
        }
    }
}

fn url(c: &mut Collector, path: String, at: &S<String>) {
    let u = &at.value;
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !u.contains(char::is_whitespace)
    });
    if !ok {
        c.push(
            ErrorKind::Invalid,
            path,
            at,
            format!("`{u}` is not an http(s) URL"),
            Some("write e.g. `https://git.example.com/shop/shop`".into()),
        );
    }
}
