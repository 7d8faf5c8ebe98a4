//! The command line: a thin shell over [`crate::pipeline`] and [`crate::output`]. Errors become
//! exit codes here and nowhere else: 0 ok, 1 drift or conflict, 2 invalid input or usage, 3 I/O.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::output::{self, WriteOptions};
use crate::pipeline::{self, Error, Inputs};
use crate::plan::Plan;

#[derive(Parser, Debug)]
#[command(
    name = "chartwright",
    version,
    about = "Writes a service's Helm chart, Kubernetes manifests and docker-compose.yml from one spec",
    long_about = "Writes a service's Helm chart, Kubernetes manifests and docker-compose.yml from one spec.\n\n\
                  Best practice is the default: requests and limits, probes, anti-affinity, HPA, PDB, \
                  NetworkPolicies, TLS ingress, secrets by reference, pinned images and a restricted \
                  security context.\n\nExit codes: 0 ok, 1 drift or merge conflict, 2 invalid input or usage, 3 I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct SpecArgs {
    /// The spec file.
    #[arg(
        long = "file",
        short = 'f',
        default_value = "chartwright.yaml",
        value_name = "SPEC"
    )]
    pub spec: PathBuf,
    /// A team template overlay folder (overrides the spec's `templates:` key).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// An org defaults file, layered under the spec.
    #[arg(long, value_name = "FILE")]
    pub defaults: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct OutArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The output directory. Its record (.chartwright/state) remembers the --templates and
    /// --defaults of the last generate, which a run without them repeats.
    #[arg(
        long = "out",
        short = 'o',
        default_value = "deploy",
        value_name = "OUT"
    )]
    pub out: PathBuf,
    /// Do not use the overlay folder the last generate remembered (the spec's `templates:`
    /// key applies again).
    #[arg(long, conflicts_with = "templates")]
    pub no_templates: bool,
    /// Do not use the org defaults file the last generate remembered.
    #[arg(long, conflicts_with = "defaults")]
    pub no_defaults: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a first, commented chartwright.yaml (asked, from flags or from a Compose file), then generate.
    Init(Box<crate::init::InitArgs>),
    /// Render and write the tree (charts/, k8s/, docker-compose.yml, .env.example).
    Generate {
        #[command(flatten)]
        args: OutArgs,
        /// Overwrite files you edited instead of merging your edits.
        #[arg(long)]
        force: bool,
        /// Rebuild a lost or damaged .chartwright/state from the tree: files equal to the
        /// rendering are adopted, files that differ are kept as they are (as your edits).
        #[arg(long, conflicts_with = "force")]
        adopt: bool,
    },
    /// Exit 1 with a diff when the tree on disk differs from what generate would write.
    Check {
        #[command(flatten)]
        args: OutArgs,
    },
    /// Show what generate would change, as a unified diff.
    Diff {
        #[command(flatten)]
        args: OutArgs,
    },
    /// Check a spec without rendering anything.
    Validate {
        #[command(flatten)]
        args: SpecArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the JSON Schema of chartwright.yaml (for editors and other tools).
    Schema {
        /// Write the schema to this file instead of printing it.
        #[arg(long, value_name = "PATH")]
        write: Option<PathBuf>,
    },
    /// List, eject and document the templates (team overlays start here).
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Every template path with its origin: embedded, overlay or excluded.
    List {
        /// The spec file; its `templates:` key names the overlay folder.
        #[arg(long = "file", short = 'f', value_name = "SPEC")]
        spec: Option<PathBuf>,
        /// A team template overlay folder (overrides the spec's `templates:` key).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Copy embedded templates (all, or the given paths or globs) into a folder to edit them.
    Eject {
        /// Template paths or globs (`.j2` may be left out); none means every template.
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        /// Where to copy them. Existing files are never overwritten.
        #[arg(long, value_name = "DIR", default_value = "chartwright-templates")]
        to: PathBuf,
    },
    /// Print the JSON context a template receives, to write templates against.
    Context {
        #[command(flatten)]
        args: SpecArgs,
        /// As in a template path with `__service__`.
        #[arg(long, value_name = "SERVICE")]
        service: Option<String>,
        /// As in a template path with `__env__`.
        #[arg(long, value_name = "ENV")]
        env: Option<String>,
    },
}

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match execute(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

fn inputs(a: &SpecArgs) -> Inputs {
    Inputs {
        spec: a.spec.clone(),
        templates: a.templates.clone(),
        defaults: a.defaults.clone(),
        ..Inputs::default()
    }
}

/// The inputs of a run with an output directory, with what its record remembers filled in,
/// and the options that record them again.
fn out_inputs(a: &OutArgs) -> Result<(Inputs, WriteOptions), Error> {
    let given = Inputs {
        out: Some(a.out.clone()),
        no_templates: a.no_templates,
        no_defaults: a.no_defaults,
        ..inputs(&a.spec)
    };
    let resolved = pipeline::resolve(&given)?;
    let opts = WriteOptions {
        inputs: Some(pipeline::recorded_inputs(&resolved, &a.out)),
        ..WriteOptions::default()
    };
    Ok((resolved, opts))
}

/// Colour only for a terminal, and never when `NO_COLOR` is set (https://no-color.org).
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn print_json<T: Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("report serializes")
    );
}

fn execute(cli: &Cli) -> Result<i32, Error> {
    match &cli.command {
        Command::Init(args) => crate::init::run(args, cli.quiet),
        Command::Generate { args, force, adopt } => {
            let (inputs, opts) = out_inputs(args)?;
            let (plan, files) = pipeline::generate(&inputs)?;
            let opts = WriteOptions {
                force: *force,
                adopt: *adopt,
                ..opts
            };
            let report = output::write(&files, &args.out, &opts)?;
            let code = if report.has_conflicts() { 1 } else { 0 };
            match args.format {
                Format::Json => print_json(&serde_json::json!({
                    "out": args.out,
                    "files": report,
                    "resources": resource_rows(&plan),
                })),
                Format::Text if !cli.quiet => {
                    print_report(&report, &args.out);
                    print!("{}", resource_table(&plan));
                }
                Format::Text => {}
            }
            if report.has_conflicts() {
                eprintln!(
                    "error: merge conflicts in {}; resolve the <<<<<<< markers and run generate again",
                    report.conflicted.join(", ")
                );
            }
            Ok(code)
        }
        Command::Check { args } => {
            let (inputs, opts) = out_inputs(args)?;
            let (_, files) = pipeline::generate(&inputs)?;
            let report = output::check_with(&files, &args.out, &opts)?;
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => {
                    if report.in_sync {
                        if !cli.quiet {
                            println!("{} is up to date", args.out.display());
                        }
                    } else {
                        print!("{}", report.diff);
                        for reason in &report.record {
                            eprintln!("note: {reason}");
                        }
                        eprintln!(
                            "error: {} differs from the spec in {} file(s): {}\nrun `chartwright generate` and commit the result",
                            args.out.display(),
                            report.drifted.len(),
                            report.drifted.join(", ")
                        );
                    }
                }
            }
            Ok(if report.in_sync { 0 } else { 1 })
        }
        Command::Diff { args } => {
            let (inputs, opts) = out_inputs(args)?;
            let (_, files) = pipeline::generate(&inputs)?;
            let color = args.format == Format::Text && use_color();
            let report = output::diff_with(&files, &args.out, color, &opts)?;
            match args.format {
                Format::Json => print_json(&report),
                Format::Text => print!("{}", report.diff),
            }
            Ok(0)
        }
        Command::Validate { args, format } => {
            let result = pipeline::plan(&inputs(args));
            if *format == Format::Json {
                let (valid, file, errors) = match &result {
                    Ok(_) => (true, args.spec.display().to_string(), Vec::new()),
                    Err(Error::Spec(e)) => (false, e.file.clone(), e.diagnostics.clone()),
                    Err(e) => return Err(Error::Usage(e.to_string())),
                };
                print_json(&serde_json::json!({
                    "valid": valid,
                    "file": file,
                    "errors": errors,
                }));
                return Ok(match result {
                    Ok(_) => 0,
                    Err(e) => e.exit_code(),
                });
            }
            let (plan, _) = result?;
            if !cli.quiet {
                println!(
                    "{} is valid: {} service(s), {} backing service(s), environments {}",
                    args.spec.display(),
                    plan.services.len(),
                    plan.backing.len(),
                    plan.environments
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Ok(0)
        }
        Command::Templates { command } => templates_command(command, cli.quiet),
        Command::Schema { write } => {
            let text = crate::schema::spec_schema_text();
            match write {
                Some(path) => {
                    std::fs::write(path, &text).map_err(|e| {
                        Error::Output(output::OutputError::Io {
                            action: "write",
                            path: path.clone(),
                            source: e,
                        })
                    })?;
                    if !cli.quiet {
                        println!("wrote {}", path.display());
                    }
                }
                None => print!("{text}"),
            }
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "chartwright", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => {
            let mut buf = Vec::new();
            man_page(&mut buf)
                .map_err(|e| Error::Usage(format!("cannot render the man page: {e}")))?;
            std::io::stdout()
                .write_all(&buf)
                .map_err(|e| Error::Usage(e.to_string()))?;
            Ok(0)
        }
    }
}

fn templates_command(command: &TemplatesCommand, quiet: bool) -> Result<i32, Error> {
    use crate::render::templates::{TemplateSet, matches_template};
    match command {
        TemplatesCommand::List { spec, templates } => {
            let key = match spec {
                Some(p) => crate::spec::load(p)?.spec.templates.map(|t| t.value),
                None => None,
            };
            let inputs = Inputs {
                spec: spec.clone().unwrap_or_default(),
                templates: templates.clone(),
                ..Inputs::default()
            };
            let set = pipeline::templates(&inputs, key.as_deref())?;
            let mut rows: Vec<(&str, &str)> = set
                .templates
                .iter()
                .map(|(p, t)| {
                    let origin = match t.origin {
                        crate::render::Origin::Embedded => "embedded",
                        crate::render::Origin::Overlay => "overlay",
                    };
                    (p.as_str(), origin)
                })
                .collect();
            rows.extend(set.excluded.iter().map(|p| (p.as_str(), "excluded")));
            rows.sort();
            for (path, origin) in rows {
                println!("{origin:<9} {path}");
            }
            Ok(0)
        }
        TemplatesCommand::Eject { paths, to } => {
            let set = TemplateSet::embedded();
            let mut chosen = Vec::new();
            for pattern in paths {
                let hits: Vec<&String> = set
                    .templates
                    .keys()
                    .filter(|p| matches_template(pattern, p))
                    .collect();
                if hits.is_empty() {
                    return Err(Error::Usage(format!(
                        "`{pattern}` matches no embedded template (see `chartwright templates list`)"
                    )));
                }
                chosen.extend(hits);
            }
            if paths.is_empty() {
                chosen = set.templates.keys().collect();
            }
            chosen.sort();
            chosen.dedup();
            let existing: Vec<String> = chosen
                .iter()
                .map(|p| to.join(p))
                .filter(|p| p.symlink_metadata().is_ok())
                .map(|p| p.display().to_string())
                .collect();
            if !existing.is_empty() {
                return Err(Error::Usage(format!(
                    "refusing to overwrite existing files: {}\nmove them away or eject into another folder with --to",
                    existing.join(", ")
                )));
            }
            for p in &chosen {
                let dest = to.join(p);
                let io = |e: std::io::Error| {
                    Error::Output(output::OutputError::Io {
                        action: "write",
                        path: dest.clone(),
                        source: e,
                    })
                };
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                std::fs::write(&dest, &set.templates[*p].source).map_err(io)?;
                if !quiet {
                    println!("{:>10}  {}", "ejected", dest.display());
                }
            }
            Ok(0)
        }
        TemplatesCommand::Context { args, service, env } => {
            let (plan, set) = pipeline::plan(&inputs(args))?;
            let svc = match service {
                Some(name) => Some(plan.services.iter().find(|s| &s.name == name).ok_or_else(
                    || {
                        Error::Usage(format!(
                            "no service `{name}`; the spec has {}",
                            plan.services
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    },
                )?),
                None => None,
            };
            let environment = match env {
                Some(name) => Some(
                    plan.environments
                        .iter()
                        .find(|e| &e.name == name)
                        .ok_or_else(|| {
                            Error::Usage(format!(
                                "no environment `{name}`; the spec has {}",
                                plan.environments
                                    .iter()
                                    .map(|e| e.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ))
                        })?,
                ),
                None => None,
            };
            let schema = crate::render::values_schema();
            let env_example = set.generates(".env.example");
            print_json(&crate::render::context(
                &plan,
                svc,
                environment,
                &schema,
                env_example,
            ));
            Ok(0)
        }
    }
}

/// The man page: the main command followed by a section per subcommand.
pub fn man_page(out: &mut Vec<u8>) -> std::io::Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    for sub in cmd.get_subcommands() {
        let name: &'static str =
            Box::leak(format!("chartwright-{}", sub.get_name()).into_boxed_str());
        clap_mangen::Man::new(sub.clone().name(name)).render(out)?;
    }
    Ok(())
}

fn print_report(report: &output::WriteReport, out: &std::path::Path) {
    let groups = [
        ("created", &report.created),
        ("updated", &report.updated),
        ("merged (your edits kept)", &report.merged),
        ("CONFLICT", &report.conflicted),
        ("deleted", &report.deleted),
        ("kept (edited, no longer generated)", &report.kept_edited),
        ("overwrote your edits", &report.overwritten_edits),
        (
            "adopted, differs (kept as your edit)",
            &report.adopted_edits,
        ),
    ];
    let mut any = false;
    for (label, paths) in groups {
        for p in paths.iter() {
            println!("{label:>10}  {}", out.join(p).display());
            any = true;
        }
    }
    if !any {
        println!(
            "{} is up to date ({} files)",
            out.display(),
            report.unchanged.len()
        );
    }
}

#[derive(Serialize)]
pub struct ResourceRow {
    pub service: String,
    pub env: String,
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
    /// `3`, or `2–20 (HPA 70%)` when autoscaled.
    pub replicas: String,
}

pub fn resource_rows(plan: &Plan) -> Vec<ResourceRow> {
    let mut rows = Vec::new();
    for s in &plan.services {
        for e in &s.environments {
            let v = &e.values;
            rows.push(ResourceRow {
                service: s.name.clone(),
                env: e.env.clone(),
                cpu_request: v.resources.requests.cpu.clone(),
                cpu_limit: v.resources.limits.cpu.clone(),
                memory_request: v.resources.requests.memory.clone(),
                memory_limit: v.resources.limits.memory.clone(),
                replicas: if v.autoscaling.enabled {
                    format!(
                        "{}-{} (HPA {}%)",
                        v.autoscaling.min_replicas,
                        v.autoscaling.max_replicas,
                        v.autoscaling.target_cpu_utilization_percentage
                    )
                } else {
                    v.replica_count.to_string()
                },
            });
        }
    }
    rows
}

/// The design summary an orchestration engineer hands over: who gets what, where.
pub fn resource_table(plan: &Plan) -> String {
    let header = [
        "SERVICE", "ENV", "CPU REQ", "CPU LIM", "MEM REQ", "MEM LIM", "REPLICAS",
    ];
    let rows: Vec<[String; 7]> = resource_rows(plan)
        .into_iter()
        .map(|r| {
            [
                r.service,
                r.env,
                r.cpu_request,
                r.cpu_limit,
                r.memory_request,
                r.memory_limit,
                r.replicas,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.push('\n');
        s
    };
    let mut out = String::from("\n");
    out.push_str(&line(header.to_vec()));
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
