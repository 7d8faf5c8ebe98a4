//! What a Dockerfile in the working directory says about the container that runs: the final
//! stage's `EXPOSE` (protocols kept), its `HEALTHCHECK` (path and port), its `USER` and base.

use std::path::{Path, PathBuf};

use super::compose::health::{self, Check};
use super::draft::PortDraft;

#[derive(Debug, Default, Clone)]
pub struct DockerfileInfo {
    pub file: String,
    pub ports: Vec<PortDraft>,
    /// An HTTP `HEALTHCHECK`: (path, port).
    pub health: Option<(String, u16)>,
    pub run_as_user: Option<i64>,
    pub base_image: Option<String>,
    pub notes: Vec<String>,
}

/// The first `Dockerfile*` in `dir`, read.
pub fn dockerfile(dir: &Path) -> Option<DockerfileInfo> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("Dockerfile"))
        })
        .collect();
    names.sort();
    let path = names.first()?;
    let text = crate::input::read_text(path, crate::input::MAX_INPUT_BYTES).ok()?;
    let mut info = parse(&text);
    info.file = path.file_name()?.to_string_lossy().into_owned();
    Some(info)
}

/// Instructions as (keyword, arguments), continuation lines joined, comments dropped.
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') && cur.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            // A comment inside a continued instruction is skipped.
            continue;
        }
        if let Some(body) = t.strip_suffix('\\') {
            cur.push_str(body);
            cur.push(' ');
            continue;
        }
        cur.push_str(t);
        let joined = std::mem::take(&mut cur);
        let joined = joined.trim();
        if joined.is_empty() {
            continue;
        }
        let (instr, rest) = joined
            .split_once(char::is_whitespace)
            .unwrap_or((joined, ""));
        out.push((instr.to_ascii_uppercase(), rest.trim().to_string()));
    }
    out
}

/// Reads the final stage (instructions after the last `FROM`): earlier stages build, the last
/// one runs.
pub fn parse(text: &str) -> DockerfileInfo {
    let all = instructions(text);
    let last_from = all.iter().rposition(|(i, _)| i == "FROM").unwrap_or(0);
    let mut info = DockerfileInfo::default();
    if last_from > 0 && all[..last_from].iter().any(|(i, _)| i == "EXPOSE") {
        info.notes.push(
            "an earlier build stage EXPOSEs ports; only the final stage's count (it is the one that runs)".into(),
        );
    }
    for (instr, rest) in &all[last_from..] {
        match instr.as_str() {
            "FROM" => {
                let image = rest
                    .split_whitespace()
                    .find(|w| !w.starts_with("--"))
                    .unwrap_or_default();
                info.base_image = Some(image.to_string());
            }
            "EXPOSE" => {
                for w in rest.split_whitespace() {
                    let (num, proto) = w.split_once('/').unwrap_or((w, "tcp"));
                    match num.parse::<u16>() {
                        Ok(p) if p > 0 => {
                            let port = PortDraft {
                                number: p,
                                udp: proto.eq_ignore_ascii_case("udp"),
                            };
                            if !info.ports.contains(&port) {
                                info.ports.push(port);
                            }
                        }
                        _ => info
                            .notes
                            .push(format!("EXPOSE {w} is not a port number; ignored")),
                    }
                }
            }
            "HEALTHCHECK" => {
                let cmd = rest
                    .split_once("CMD")
                    .map(|(_, c)| c.trim())
                    .unwrap_or(rest);
                if rest.eq_ignore_ascii_case("none") {
                    continue;
                }
                let test = if cmd.starts_with('[') {
                    serde_json::from_str::<serde_json::Value>(cmd)
                        .map(|v| {
                            let mut items = vec![serde_json::Value::from("CMD")];
                            items.extend(v.as_array().cloned().unwrap_or_default());
                            serde_json::Value::Array(items)
                        })
                        .unwrap_or_else(|_| cmd.into())
                } else {
                    cmd.into()
                };
                // `${PORT:-3000}`: the default written in the file is the port.
                let test = match test {
                    serde_json::Value::String(s) => serde_json::Value::String(
                        super::compose::vars::interpolate(&s, &Default::default()).text,
                    ),
                    other => other,
                };
                match health::read(&serde_json::json!({ "test": test }), &[]) {
                    Check::Http { path, port } => info.health = Some((path, port)),
                    _ => info.notes.push(format!(
                        "the HEALTHCHECK `{cmd}` fetches no local http URL; it is not turned into an HTTP probe"
                    )),
                }
            }
            "USER" => {
                let user = rest.split(':').next().unwrap_or_default().trim();
                match user.parse::<i64>() {
                    Ok(0) => {
                        info.run_as_user = None;
                        info.notes.push("USER 0 is root; the generated security context requires a non-root UID, so set `run_as_user`".into());
                    }
                    Ok(uid) => info.run_as_user = Some(uid),
                    Err(_) if user == "root" => {
                        info.run_as_user = None;
                        info.notes.push("USER root: the generated security context requires a non-root UID, so set `run_as_user`".into());
                    }
                    Err(_) => {
                        info.run_as_user = None;
                        info.notes.push(format!("USER {user} is a name; Kubernetes needs the numeric UID, so set `run_as_user` to it"));
                    }
                }
            }
            _ => {}
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_final_stage_wins_and_protocols_stay() {
        let d = parse(
            "FROM node AS build\nEXPOSE 3000\nFROM nginx:1.27\nEXPOSE 80 53/udp \\\n  443/tcp\nHEALTHCHECK --interval=5s CMD curl -f localhost:8081/health || exit 1\nUSER 101\n",
        );
        assert_eq!(
            d.ports,
            [
                PortDraft::tcp(80),
                PortDraft {
                    number: 53,
                    udp: true
                },
                PortDraft::tcp(443)
            ]
        );
        assert_eq!(d.health, Some(("/health".into(), 8081)));
        assert_eq!(d.run_as_user, Some(101));
        assert_eq!(d.base_image.as_deref(), Some("nginx:1.27"));
        assert!(
            parse("FROM a AS b\nEXPOSE 3000\nFROM nginx\n")
                .ports
                .is_empty()
        );
    }

    #[test]
    fn exec_form_and_variable_defaults() {
        let d = parse(
            "FROM x\nHEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://localhost:2019/metrics\"]\n",
        );
        assert_eq!(d.health, Some(("/metrics".into(), 2019)));
        let d =
            parse("FROM x\nHEALTHCHECK CMD wget -qO- \"http://localhost:${PORT:-3000}/_health\"\n");
        assert_eq!(d.health, Some(("/_health".into(), 3000)));
    }
}
