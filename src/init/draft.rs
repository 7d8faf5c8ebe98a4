//! The spec `init` is about to write, before it is text: what the answers and an imported file
//! said, with the notes that go beside each part.

/// One container port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortDraft {
    pub number: u16,
    pub udp: bool,
}

impl PortDraft {
    pub fn tcp(number: u16) -> Self {
        PortDraft { number, udp: false }
    }
}

/// One probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeDraft {
    /// An HTTP GET of `path` on container port `port`.
    Http { path: String, port: u16 },
    /// A TCP connection to container port `port`.
    Tcp { port: u16 },
    /// A command run in the container.
    Exec(Vec<String>),
    /// No probe (`liveness: none`): nothing the file gives can be checked.
    None,
}

impl ProbeDraft {
    /// How the summary and the report say it.
    pub fn describe(&self) -> String {
        match self {
            ProbeDraft::Http { path, port } => format!("http {path} on {port}"),
            ProbeDraft::Tcp { port } => format!("tcp {port}"),
            ProbeDraft::Exec(cmd) => format!("exec `{}`", cmd.join(" ")),
            ProbeDraft::None => "none".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthDraft {
    pub liveness: ProbeDraft,
    pub readiness: ProbeDraft,
    /// Probe timing fields (`period_seconds`, …) from the imported healthcheck.
    pub timing: Vec<(&'static str, i64)>,
}

/// Requests and limits; one left out is the plan's default.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Resources {
    pub cpu_request: Option<String>,
    pub memory_request: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_limit: Option<String>,
}

/// An env file the spec names rather than copies.
#[derive(Debug, Clone)]
pub struct EnvFileDraft {
    /// Relative to the spec.
    pub path: String,
    /// Its variables, in order: where a dependency injects one of them, the file gives way to
    /// copies of the others.
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Default, Clone)]
pub struct ServiceDraft {
    pub name: String,
    /// `worker` or `job`; a `service` when `None`.
    pub kind: Option<String>,
    pub image: String,
    pub build: Option<String>,
    pub ports: Vec<PortDraft>,
    pub health: Option<HealthDraft>,
    pub resources: Option<Resources>,
    pub env: Vec<(String, String)>,
    pub secrets: Vec<String>,
    pub depends_on: Vec<String>,
    pub ingress_host: Option<String>,
    pub run_as_user: Option<i64>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// Persistent volumes: (name, mount path).
    pub volumes: Vec<(String, String)>,
    /// Writable folders (Compose `tmpfs`).
    pub writable_paths: Vec<String>,
    /// Compose profiles that make the service optional.
    pub profiles: Vec<String>,
    /// Repository files mounted read-only (bind-mounted files): (source relative to the spec,
    /// mount path).
    pub config_files: Vec<(String, String)>,
    /// Their size, which one ConfigMap holds.
    pub config_file_bytes: usize,
    /// An env file every environment's override names (Compose `env_file:`).
    pub env_file: Option<EnvFileDraft>,
    /// Comment lines written above the service.
    pub notes: Vec<String>,
    /// What the imported file said that the spec does not carry, one line each.
    pub not_carried: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct BackingDraft {
    pub name: String,
    pub kind: String,
    pub version: String,
    /// The exact image the imported file ran, when it is not the catalog's own.
    pub image: Option<String>,
    pub not_carried: Vec<String>,
}

/// The spec to write.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    pub app: String,
    pub services: Vec<ServiceDraft>,
    pub backing: Vec<BackingDraft>,
    pub environments: Vec<String>,
    /// The profiles every environment enables (an imported `COMPOSE_PROFILES`).
    pub env_profiles: Vec<String>,
    /// Production autoscaling bounds.
    pub autoscale: Option<(i64, i64)>,
    /// Comment lines at the top of the file.
    pub notes: Vec<String>,
    /// The imported file, for "not carried over from …" comments.
    pub source: Option<String>,
}

/// What `init` prints before it writes.
pub fn summary(d: &Draft) -> String {
    let mut s = format!("app {}: environments {}", d.app, d.environments.join(", "));
    if let Some((min, max)) = d.autoscale {
        s.push_str(&format!(" (production autoscales {min}-{max})"));
    }
    s.push('\n');
    for svc in &d.services {
        let ports: Vec<String> = svc
            .ports
            .iter()
            .map(|p| format!("{}{}", p.number, if p.udp { "/udp" } else { "" }))
            .collect();
        s.push_str(&format!("  service {}: {}", svc.name, svc.image));
        if !ports.is_empty() {
            s.push_str(&format!(" ports {}", ports.join(",")));
        }
        if let Some(k) = &svc.kind {
            s.push_str(&format!(" ({k})"));
        }
        if let Some(h) = &svc.health {
            s.push_str(&format!(" liveness {}", h.liveness.describe()));
            if h.readiness != h.liveness {
                s.push_str(&format!(" readiness {}", h.readiness.describe()));
            }
        }
        if let Some(r) = &svc.resources {
            let or_default = |q: &Option<String>| q.clone().unwrap_or_else(|| "default".into());
            s.push_str(&format!(
                " cpu {}/{} memory {}/{}",
                or_default(&r.cpu_request),
                or_default(&r.cpu_limit),
                or_default(&r.memory_request),
                or_default(&r.memory_limit)
            ));
        }
        if !svc.depends_on.is_empty() {
            s.push_str(&format!(" depends on {}", svc.depends_on.join(", ")));
        }
        if !svc.secrets.is_empty() {
            s.push_str(&format!(" secrets {}", svc.secrets.join(", ")));
        }
        if let Some(h) = &svc.ingress_host {
            s.push_str(&format!(" ingress {h}"));
        }
        s.push('\n');
    }
    for b in &d.backing {
        s.push_str(&format!("  backing {}: {} {}", b.name, b.kind, b.version));
        if let Some(i) = &b.image {
            s.push_str(&format!(" (image {i})"));
        }
        s.push('\n');
    }
    s
}
