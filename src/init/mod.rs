//! `chartwright init`: writes a first, commented `chartwright.yaml` from answers (prompted, given
//! as flags, or defaulted under `--yes`) or from an existing Compose file, then generates from it.
//! Nothing is written before every answer is valid, and an existing spec is kept unless `--force`.

pub mod detect;
pub mod prompt;
pub mod write;

use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};

use crate::catalog;
use crate::output::{self, WriteOptions};
use crate::pipeline::{self, Error, Inputs};
use crate::plan::defaults as d;
use crate::spec::names::did_you_mean;
use prompt::Asker;

/// Flags of `chartwright init`: each one answers a question.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InitArgs {
    /// The spec file to write.
    #[arg(
        long = "file",
        short = 'f',
        default_value = "chartwright.yaml",
        value_name = "SPEC"
    )]
    pub spec: PathBuf,
    /// The output directory for the generated tree.
    #[arg(
        long = "out",
        short = 'o',
        default_value = "deploy",
        value_name = "OUT"
    )]
    pub out: PathBuf,
    /// Application name (a DNS label).
    #[arg(long)]
    pub app: Option<String>,
    /// Service name (a DNS label).
    #[arg(long)]
    pub name: Option<String>,
    /// Pinned image reference (`repo:tag` or `repo@sha256:…`; not `latest`).
    #[arg(long)]
    pub image: Option<String>,
    /// Container port (repeatable).
    #[arg(long = "port", value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub ports: Vec<u16>,
    /// Liveness probe HTTP path.
    #[arg(long, value_name = "PATH")]
    pub liveness: Option<String>,
    /// Readiness probe HTTP path.
    #[arg(long, value_name = "PATH")]
    pub readiness: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub cpu_request: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub memory_request: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub cpu_limit: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub memory_limit: Option<String>,
    /// A backing-service kind, optionally with a version (`postgres:16`) (repeatable).
    #[arg(long = "depends-on", value_name = "KIND[:VERSION]")]
    pub depends_on: Vec<String>,
    /// An environment, in promotion order (repeatable; default dev, staging, prod).
    #[arg(long = "env", value_name = "NAME")]
    pub envs: Vec<String>,
    /// Ingress host name.
    #[arg(long, value_name = "HOST")]
    pub ingress_host: Option<String>,
    /// Autoscaling minimum replicas in prod.
    #[arg(long, value_name = "N")]
    pub autoscale_min: Option<i64>,
    /// Autoscaling maximum replicas in prod.
    #[arg(long, value_name = "N")]
    pub autoscale_max: Option<i64>,
    /// Import this Compose file without prompting.
    #[arg(long, value_name = "FILE")]
    pub from_compose: Option<PathBuf>,
    /// Pin an imported service's untagged or `latest` image (repeatable).
    #[arg(long = "image-tag", value_name = "SERVICE=TAG")]
    pub image_tags: Vec<String>,
    /// Accept the defaults for every question a flag does not answer.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Write the spec only; do not generate.
    #[arg(long)]
    pub no_generate: bool,
    /// Overwrite an existing spec file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Resources {
    pub cpu_request: String,
    pub memory_request: String,
    pub cpu_limit: String,
    pub memory_limit: String,
}

#[derive(Debug, Default, Clone)]
pub struct ServiceDraft {
    pub name: String,
    pub image: String,
    pub build: Option<String>,
    pub ports: Vec<u16>,
    pub liveness: Option<String>,
    pub readiness: Option<String>,
    pub resources: Option<Resources>,
    pub env: Vec<(String, String)>,
    pub secrets: Vec<String>,
    pub depends_on: Vec<String>,
    pub ingress_host: Option<String>,
    pub run_as_user: Option<i64>,
    pub command: Option<Vec<String>>,
    /// Comment lines written above the service.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BackingDraft {
    pub name: String,
    pub kind: String,
    pub version: String,
}

/// The spec to write.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    pub app: String,
    pub services: Vec<ServiceDraft>,
    pub backing: Vec<BackingDraft>,
    pub environments: Vec<String>,
    /// Prod autoscaling bounds.
    pub autoscale: Option<(i64, i64)>,
    /// Comment lines at the top of the file.
    pub notes: Vec<String>,
}

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
}

/// `KIND[:VERSION]` → (kind, version), checked against the catalog.
pub fn parse_dependency(s: &str) -> Result<(String, String), String> {
    let (kind, version) = match s.split_once(':') {
        Some((k, v)) => (k, Some(v)),
        None => (s, None),
    };
    let entry = catalog::lookup(kind).ok_or_else(|| {
        let hint = did_you_mean(kind, catalog::kinds())
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        format!(
            "`{kind}` is not a backing-service kind chartwright knows; {hint}known kinds: {}",
            catalog::kinds().collect::<Vec<_>>().join(", ")
        )
    })?;
    let version = match version {
        Some(v) if entry.image_for(v).is_some() => v.to_string(),
        Some(v) => {
            return Err(format!(
                "{kind} version `{v}` is not in the catalog; supported versions: {}",
                entry.version_list()
            ));
        }
        None => entry
            .versions
            .last()
            .map(|(v, _)| v.to_string())
            .unwrap_or_default(),
    };
    Ok((kind.to_string(), version))
}

fn default_app_name() -> Option<String> {
    let dir = std::env::current_dir().ok()?;
    let base = dir.file_name()?.to_str()?;
    let s: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    prompt::name_rule(&s).ok().map(|_| s)
}

/// Refuses output folders that would overwrite a hand-made chart or manifests in the cwd.
fn check_out_dir(out: &Path, quiet: bool) -> Result<(), Error> {
    let chart = Path::new("Chart.yaml").is_file();
    let k8s = Path::new("k8s").is_dir();
    let parts: Vec<Component> = out
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let is_cwd = parts.is_empty();
    let in_k8s = parts.first().is_some_and(|c| c.as_os_str() == "k8s");
    if (is_cwd && (chart || k8s)) || (in_k8s && k8s) {
        return Err(usage(format!(
            "the output folder `{}` would write over the existing {} here; choose another with -o (e.g. `-o deploy`)",
            out.display(),
            if chart { "Chart.yaml" } else { "k8s/ folder" }
        )));
    }
    if !quiet {
        if chart {
            eprintln!(
                "note: there is a Chart.yaml here; chartwright leaves it alone and writes into {}",
                out.display()
            );
        }
        if k8s {
            eprintln!(
                "note: there is a k8s/ folder here; chartwright leaves it alone and writes into {}",
                out.display()
            );
        }
    }
    Ok(())
}

/// Runs `chartwright init`; returns the exit code.
pub fn run(args: &InitArgs, quiet: bool) -> Result<i32, Error> {
    if args.spec.exists() && !args.force {
        return Err(usage(format!(
            "{} already exists; chartwright init never overwrites it without --force",
            args.spec.display()
        )));
    }
    if !args.no_generate {
        check_out_dir(&args.out, quiet)?;
    }
    let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let importing = args.from_compose.is_some();
    let mut asker = Asker {
        interactive: tty && !args.yes && !importing,
        strict: !tty && !args.yes && !importing,
        missing: Vec::new(),
    };
    // Validate the flags that are not plain questions up front.
    let deps: Vec<(String, String)> = args
        .depends_on
        .iter()
        .map(|d| parse_dependency(d).map_err(|m| usage(format!("--depends-on: {m}"))))
        .collect::<Result<_, _>>()?;
    for e in &args.envs {
        prompt::env_rule(e).map_err(|m| usage(format!("--env: {m}")))?;
    }
    let mut tags = Vec::new();
    for t in &args.image_tags {
        let (svc, tag) = t
            .split_once('=')
            .ok_or_else(|| usage(format!("--image-tag `{t}`: write SERVICE=TAG")))?;
        tags.push((svc.to_string(), tag.to_string()));
    }

    let mut draft = Draft::default();
    let mut warnings = Vec::new();
    let default_app = default_app_name();
    draft.app = asker.text(
        "app",
        "Application name",
        args.app.as_deref(),
        default_app.as_deref(),
        &prompt::name_rule,
        false,
    )?;

    // Compose import: explicit, or offered when a Compose file is here.
    let compose = match &args.from_compose {
        Some(p) => Some(p.clone()),
        None => match detect::compose_file(Path::new(".")) {
            Some(p) if asker.interactive => asker
                .confirm(&format!("Import {}?", p.display()), true)?
                .then_some(p),
            Some(p) => {
                if !quiet {
                    eprintln!(
                        "note: {} found; pass --from-compose {} to import it",
                        p.display(),
                        p.display()
                    );
                }
                None
            }
            None => None,
        },
    };
    if let Some(path) = compose {
        let imp = detect::import_compose(&path, &draft.app).map_err(usage)?;
        let needs = imp.needs_tag.clone();
        warnings.extend(imp.warnings.iter().cloned());
        let dropped = imp.dropped.clone();
        imp.into_draft(&mut draft);
        draft
            .notes
            .insert(0, format!("Imported from {}.", path.display()));
        let mut needs = needs;
        for (svc, _) in &tags {
            let Some(s) = draft.services.iter().find(|s| &s.name == svc) else {
                return Err(usage(format!(
                    "--image-tag: `{svc}` is not an imported service"
                )));
            };
            if !needs.iter().any(|(n, _)| n == svc) {
                needs.push((svc.clone(), detect::split_image(&s.image).0));
            }
        }
        let mut unpinned = Vec::new();
        for (svc, repo) in needs {
            let rule = prompt::tag_rule(&repo);
            let given = tags
                .iter()
                .find(|(s, _)| *s == svc)
                .map(|(_, t)| t.as_str());
            let tag = match given {
                Some(t) => {
                    rule(t).map_err(|m| usage(format!("--image-tag {svc}: {m}")))?;
                    Some(t.to_string())
                }
                None if asker.interactive => Some(asker.text(
                    "image-tag",
                    &format!("Image tag for `{svc}` ({repo}, untagged or latest in Compose)"),
                    None,
                    None,
                    &rule,
                    false,
                )?),
                None => None,
            };
            match tag {
                Some(t) => {
                    let s = draft
                        .services
                        .iter_mut()
                        .find(|s| s.name == svc)
                        .expect("imported");
                    s.image = if t.starts_with("sha256:") {
                        format!("{repo}@{t}")
                    } else {
                        format!("{repo}:{t}")
                    };
                }
                None => unpinned.push(format!("{svc} (image `{repo}`)")),
            }
        }
        if !unpinned.is_empty() {
            return Err(usage(format!(
                "these imported services have no pinned image tag (none, or `latest`): {}\npin each with --image-tag SERVICE=TAG, e.g. --image-tag {}=1.0.0",
                unpinned.join(", "),
                unpinned[0].split(' ').next().unwrap_or("api")
            )));
        }
        print_list("not carried over from the Compose file", &dropped);
    } else {
        let s = ask_service(&mut asker, args, &draft.app, &deps, &mut draft.backing)?;
        draft.services.push(s);
    }

    // Environments.
    let envs: Vec<String> = if !args.envs.is_empty() {
        args.envs.clone()
    } else {
        if asker.strict {
            asker.missing.push("--env (environments)".into());
        }
        // The environments the plan uses when a spec lists none.
        let items: Vec<String> = d::ENVIRONMENTS.iter().map(|(n, _)| n.to_string()).collect();
        let chosen = asker.multi("Environments", &items, &vec![true; items.len()])?;
        let mut envs: Vec<String> = chosen.into_iter().map(|i| items[i].clone()).collect();
        if asker.interactive {
            let extra = asker.text(
                "env",
                "Other environments (comma separated, empty for none)",
                None,
                None,
                &prompt::env_list_rule,
                true,
            )?;
            envs.extend(
                extra
                    .split([',', ' '])
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
        envs
    };
    let mut seen = Vec::new();
    for e in envs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    if seen.is_empty() {
        return Err(usage("choose at least one environment"));
    }
    draft.environments = seen;

    if draft.environments.iter().any(|e| e == "prod") {
        let min = asker.text(
            "autoscale-min",
            "Prod autoscaling: minimum replicas",
            args.autoscale_min.map(|n| n.to_string()).as_deref(),
            Some("2"),
            &prompt::replicas_rule,
            false,
        )?;
        let min_n: i64 = min.parse().unwrap_or(2);
        let max_rule = move |s: &str| {
            prompt::replicas_rule(s)?;
            if s.parse::<i64>().unwrap_or(0) < min_n {
                return Err(format!(
                    "the maximum must be at least the minimum ({min_n})"
                ));
            }
            Ok(())
        };
        let max = asker.text(
            "autoscale-max",
            "Prod autoscaling: maximum replicas",
            args.autoscale_max.map(|n| n.to_string()).as_deref(),
            Some(&(min_n.max(10)).to_string()),
            &max_rule,
            false,
        )?;
        draft.autoscale = Some((min_n, max.parse().unwrap_or(10)));
    } else if args.autoscale_min.is_some() || args.autoscale_max.is_some() {
        return Err(usage(
            "--autoscale-min/--autoscale-max apply to `prod`, which is not among the environments",
        ));
    }

    if !asker.missing.is_empty() {
        return Err(usage(format!(
            "no terminal to ask on, and these answers are missing:\n  {}\npass them as flags, or add --yes to accept the defaults (a terminal asks them interactively)",
            asker.missing.join("\n  ")
        )));
    }

    let text = write::render(&draft);
    crate::spec::parse(&args.spec.display().to_string(), &text)
        .and_then(|file| crate::plan::build(&file, None))
        .map_err(|e| {
            usage(format!(
                "the answers do not make a valid spec (nothing was written):\n{e}"
            ))
        })?;

    if !quiet {
        eprintln!("\n{}", summary(&draft));
    }
    print_list("note", &warnings);
    if asker.interactive && !asker.confirm(&format!("Write {}?", args.spec.display()), true)? {
        eprintln!("nothing written");
        return Ok(1);
    }
    std::fs::write(&args.spec, &text)
        .map_err(|e| Error::Usage(format!("cannot write {}: {e}", args.spec.display())))?;
    if !quiet {
        eprintln!("wrote {}", args.spec.display());
    }
    if args.no_generate {
        return Ok(0);
    }
    let (_, files) = pipeline::generate(&Inputs {
        spec: args.spec.clone(),
        ..Inputs::default()
    })?;
    let report = output::write(&files, &args.out, &WriteOptions { force: false })?;
    if !quiet {
        eprintln!(
            "generated {} file(s) into {}",
            report.created.len()
                + report.updated.len()
                + report.merged.len()
                + report.unchanged.len(),
            args.out.display()
        );
    }
    Ok(if report.has_conflicts() { 1 } else { 0 })
}

fn print_list(label: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    eprintln!("{label}:");
    for i in items {
        eprintln!("  - {i}");
    }
}

fn summary(d: &Draft) -> String {
    let mut s = format!("app {}: environments {}", d.app, d.environments.join(", "));
    if let Some((min, max)) = d.autoscale {
        s.push_str(&format!(" (prod autoscales {min}-{max})"));
    }
    s.push('\n');
    for svc in &d.services {
        s.push_str(&format!(
            "  service {}: {} ports {}",
            svc.name,
            svc.image,
            svc.ports
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ));
        if let Some(p) = &svc.liveness {
            s.push_str(&format!(" liveness {p}"));
        }
        if let Some(p) = &svc.readiness {
            s.push_str(&format!(" readiness {p}"));
        }
        if let Some(r) = &svc.resources {
            s.push_str(&format!(
                " cpu {}/{} memory {}/{}",
                r.cpu_request, r.cpu_limit, r.memory_request, r.memory_limit
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
        s.push_str(&format!("  backing {}: {} {}\n", b.name, b.kind, b.version));
    }
    s
}

fn ask_service(
    asker: &mut Asker,
    args: &InitArgs,
    app: &str,
    deps: &[(String, String)],
    backing: &mut Vec<BackingDraft>,
) -> Result<ServiceDraft, Error> {
    let docker = detect::dockerfile(Path::new("."));
    let mut notes = Vec::new();
    if let Some(d) = &docker {
        let mut what = Vec::new();
        if !d.ports.is_empty() {
            what.push(format!(
                "EXPOSE {}",
                d.ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if let Some(p) = &d.health_path {
            what.push(format!("HEALTHCHECK {p}"));
        }
        if let Some(u) = d.run_as_user {
            what.push(format!("USER {u}"));
        }
        if let Some(b) = &d.base_image {
            what.push(format!("base image {b}"));
        }
        let line = format!("Detected from {}: {}", d.file, what.join(", "));
        eprintln!("{line}");
        notes.push(line);
        for n in &d.notes {
            eprintln!("note: {n}");
            notes.push(n.clone());
        }
    }
    let name = asker.text(
        "name",
        "Service name",
        args.name.as_deref(),
        Some(app),
        &prompt::name_rule,
        false,
    )?;
    let image = asker.text(
        "image",
        "Image (repository:tag, pinned; not latest)",
        args.image.as_deref(),
        None,
        &prompt::image_rule,
        false,
    )?;
    let detected_ports = docker.as_ref().map(|d| d.ports.clone()).unwrap_or_default();
    let ports_flag = (!args.ports.is_empty()).then(|| {
        args.ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    let ports_default = if detected_ports.is_empty() {
        "8080".to_string()
    } else {
        detected_ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let ports = asker.text(
        "port",
        "Container port(s), comma separated",
        ports_flag.as_deref(),
        Some(&ports_default),
        &prompt::ports_rule,
        false,
    )?;
    let health = docker.as_ref().and_then(|d| d.health_path.clone());
    let liveness = asker.text(
        "liveness",
        "Liveness probe path",
        args.liveness.as_deref(),
        Some(health.as_deref().unwrap_or(d::LIVENESS_PATH)),
        &prompt::path_rule,
        false,
    )?;
    let readiness = asker.text(
        "readiness",
        "Readiness probe path",
        args.readiness.as_deref(),
        Some(health.as_deref().unwrap_or(d::READINESS_PATH)),
        &prompt::path_rule,
        false,
    )?;
    let cpu_request = asker.text(
        "cpu-request",
        "CPU request",
        args.cpu_request.as_deref(),
        Some(d::REQUEST_CPU),
        &prompt::quantity_rule,
        false,
    )?;
    let cpu_limit_rule = prompt::limit_rule(cpu_request.clone());
    let cpu_limit = asker.text(
        "cpu-limit",
        "CPU limit",
        args.cpu_limit.as_deref(),
        Some(d::LIMIT_CPU),
        &cpu_limit_rule,
        false,
    )?;
    let memory_request = asker.text(
        "memory-request",
        "Memory request",
        args.memory_request.as_deref(),
        Some(d::REQUEST_MEMORY),
        &prompt::quantity_rule,
        false,
    )?;
    let mem_limit_rule = prompt::limit_rule(memory_request.clone());
    let memory_limit = asker.text(
        "memory-limit",
        "Memory limit",
        args.memory_limit.as_deref(),
        Some(d::LIMIT_MEMORY),
        &mem_limit_rule,
        false,
    )?;

    // Dependencies: backing-service kinds from the catalog.
    let mut chosen: Vec<(String, String)> = deps.to_vec();
    if args.depends_on.is_empty() {
        if asker.strict {
            asker
                .missing
                .push("--depends-on (backing services; --yes for none)".into());
        }
        let items: Vec<String> = catalog::kinds().map(str::to_string).collect();
        let picked = asker.multi("Dependencies", &items, &vec![false; items.len()])?;
        for i in picked {
            let entry = catalog::lookup(&items[i]).expect("a catalog kind");
            let latest = entry.versions.last().map(|(v, _)| *v).unwrap_or_default();
            let kind = items[i].clone();
            let rule = move |v: &str| parse_dependency(&format!("{kind}:{v}")).map(|_| ());
            let v = asker.text(
                "depends-on",
                &format!("{} version ({})", items[i], entry.version_list()),
                None,
                Some(latest),
                &rule,
                false,
            )?;
            chosen.push((items[i].clone(), v));
        }
    }
    let mut depends_on = Vec::new();
    for (kind, version) in chosen {
        if !depends_on.contains(&kind) {
            depends_on.push(kind.clone());
            backing.push(BackingDraft {
                name: kind.clone(),
                kind,
                version,
            });
        }
    }
    let host = asker.text(
        "ingress-host",
        "Ingress host (empty for none)",
        args.ingress_host.as_deref(),
        None,
        &prompt::host_rule,
        true,
    )?;
    Ok(ServiceDraft {
        name,
        image,
        ports: prompt::parse_ports(&ports).unwrap_or_default(),
        liveness: Some(liveness),
        readiness: Some(readiness),
        resources: Some(Resources {
            cpu_request,
            memory_request,
            cpu_limit,
            memory_limit,
        }),
        depends_on,
        ingress_host: (!host.is_empty()).then_some(host),
        run_as_user: docker.as_ref().and_then(|d| d.run_as_user),
        notes,
        ..ServiceDraft::default()
    })
}
