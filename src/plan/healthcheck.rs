//! The Compose healthcheck of an own service, derived from the declaration its readiness probe
//! comes from, or none (with the reason `generate` prints) when no check fits the image.

use super::compose::escape_dollars;
use crate::spec::checked::{Check, Service};

pub(super) fn escape_all(args: &[String]) -> Vec<String> {
    args.iter().map(|a| escape_dollars(a)).collect()
}

/// The Compose healthcheck test of an own service, derived from the same declaration as its
/// readiness probe; `Err` says why there is none (empty when nothing needs saying: a job).
pub(super) fn healthcheck_test(svc: &Service) -> Result<Vec<String>, String> {
    if svc.kind.completes() {
        return Err(String::new());
    }
    let cmd = |args: &[String]| {
        let mut t = vec!["CMD".to_string()];
        t.extend(escape_all(args));
        t
    };
    if let Some(c) = &svc.compose_command {
        return Ok(cmd(c));
    }
    let number = |name: &str| {
        svc.ports
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.number)
            .unwrap_or_default()
    };
    let after = "services that depend on it in Compose wait for `service_started` only";
    match super::probes::readiness_check(svc) {
        None => Err(format!(
            "no health check, so no Compose healthcheck; {after}"
        )),
        Some(Check::Exec { command }) => Ok(cmd(&command)),
        Some(Check::Http { path, port }) => Ok(vec![
            "CMD".into(),
            "wget".into(),
            "-q".into(),
            "-O".into(),
            "/dev/null".into(),
            format!(
                "http://127.0.0.1:{}{}",
                number(port.as_deref().unwrap_or_default()),
                escape_dollars(&path)
            ),
        ]),
        Some(Check::Tcp { port }) if svc.shell.as_deref() == Some("bash") => Ok(vec![
            "CMD".into(),
            "bash".into(),
            "-c".into(),
            format!("exec 3<>/dev/tcp/127.0.0.1/{}", number(&port)),
        ]),
        Some(Check::Tcp { port }) => Err(format!(
            "no Compose healthcheck: a TCP check of port `{port}` needs a tool in the image that chartwright cannot assume (declare `health.shell: bash` if the image has bash, or `health.compose_command`); {after}"
        )),
        Some(Check::Grpc { .. }) => Err(format!(
            "no Compose healthcheck: a gRPC check needs a client in the image (declare `health.compose_command`, e.g. [\"grpc_health_probe\", \"-addr=:50051\"]); {after}"
        )),
    }
}
