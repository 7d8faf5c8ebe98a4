//! The command line: a thin shell over [`crate::pipeline`] and [`crate::output`]. Results go to
//! standard output through [`boundary::Stdout`]; errors are returned to [`boundary::finish`],
//! which prints them and picks the exit code.
//!
//! Longer than 400 lines on purpose: most of it is the clap definitions, whose doc comments are
//! the `--help` text and the man page, and one short arm per command; splitting them would only
//! move the commands away from their flags.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::allocation::{resource_rows, resource_table};
use crate::boundary::{self, Stdout, print_json};
use crate::output::{self, WriteOptions};
use crate::pipeline::{self, Error, Inputs};

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
    let mut out = Stdout::real();
    let result = execute(&cli, &mut out);
    boundary::finish(result, &mut out, cli.command.json())
}

impl Command {
    /// Whether the command was asked for `--format json` (its errors are then JSON too).
    fn json(&self) -> bool {
        let format = match self {
            Command::Generate { args, .. } | Command::Check { args } | Command::Diff { args } => {
                args.format
            }
            Command::Validate { format, .. } => *format,
            _ => Format::Text,
        };
        format == Format::Json
    }
}

fn inputs(a: &SpecArgs) -> Inputs {
    if let Some(dir) = &a.templates
        && let Ok(root) = crate::input::repository_of(&a.spec)
        && !crate::input::is_inside(&root, dir)
    {
        boundary::note(&format!(
            "using templates from {} (--templates), outside the spec's repository {}",
            dir.display(),
            root.display()
        ));
    }
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
    // The record is a committed file like the spec: what it remembers must stay inside the
    // repository, as the spec's `templates:` must (issue 18), or a one-line change to it in a
    // pull request could read any folder on the CI machine into the output and its log.
    for (what, given, remembered) in [
        ("--templates", &given.templates, &resolved.templates),
        ("--defaults", &given.defaults, &resolved.defaults),
    ] {
        if given.is_none()
            && let Some(path) = remembered
            && let Ok(root) = crate::input::repository_of(&a.spec.spec)
            && !crate::input::is_inside(&root, path)
        {
            return Err(Error::Usage(format!(
                "{}/.chartwright remembers {what} {}, which is outside the spec's repository {}; pass {what} explicitly to use it, or --no-{} to drop it",
                a.out.display(),
                path.display(),
                root.display(),
                &what[2..]
            )));
        }
    }
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

/// A line (or lines) of results on standard output.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err(Error::Stdout)
    };
}

fn execute(cli: &Cli, out: &mut Stdout) -> Result<(), Error> {
    match &cli.command {
        Command::Init(args) => crate::init::run(args, cli.quiet),
        Command::Generate { args, force, adopt } => {
            let (inputs, opts) = out_inputs(args)?;
            let (plan, templates) = pipeline::plan(&inputs)?;
            let generation = pipeline::Generation::new(&plan, &templates, &inputs)?;
            let opts = WriteOptions {
                force: *force,
                adopt: *adopt,
                ..opts
            };
            let report = output::write(&generation, &args.out, &opts)?;
            let plan = &plan;
            for path in &report.derived_edits {
                boundary::note(&pipeline::derived_edit_reason(path));
            }
            match args.format {
                Format::Json => print_json(
                    out,
                    &serde_json::json!({
                        "out": args.out,
                        "files": report,
                        "resources": resource_rows(plan),
                        "notes": plan.notes,
                    }),
                )?,
                Format::Text if !cli.quiet => {
                    print_report(out, &report, &args.out)?;
                    write!(out, "{}", resource_table(plan)).map_err(Error::Stdout)?;
                    for n in &plan.notes {
                        boundary::note(n);
                    }
                }
                Format::Text => {}
            }
            if report.has_conflicts() {
                return Err(Error::Drift(format!(
                    "merge conflicts in {}; resolve the <<<<<<< markers and run generate again",
                    report.conflicted.join(", ")
                )));
            }
            Ok(())
        }
        Command::Check { args } => {
            let (inputs, opts) = out_inputs(args)?;
            let (plan, templates) = pipeline::plan(&inputs)?;
            let generation = pipeline::Generation::new(&plan, &templates, &inputs)?;
            let report = output::check_with(&generation, &args.out, &opts)?;
            match args.format {
                Format::Json => print_json(out, &report)?,
                Format::Text if report.in_sync => {
                    if !cli.quiet {
                        say!(out, "{} is up to date", args.out.display())?;
                    }
                }
                Format::Text => {
                    write!(out, "{}", report.diff).map_err(Error::Stdout)?;
                    for reason in &report.record {
                        boundary::note(reason);
                    }
                    for path in &report.derived_edits {
                        boundary::note(&pipeline::derived_edit_reason(path));
                    }
                }
            }
            if report.in_sync {
                return Ok(());
            }
            let todo = if report.derived_edits.is_empty() {
                "run `chartwright generate` and commit the result"
            } else {
                "move the hand edits of k8s/ into the chart (see the notes), then run `chartwright generate` and commit the result"
            };
            Err(Error::Drift(format!(
                "{} differs from the spec in {} file(s): {}\n{todo}",
                args.out.display(),
                report.drifted.len(),
                report.drifted.join(", ")
            )))
        }
        Command::Diff { args } => {
            let (inputs, opts) = out_inputs(args)?;
            let (plan, templates) = pipeline::plan(&inputs)?;
            let generation = pipeline::Generation::new(&plan, &templates, &inputs)?;
            let color = args.format == Format::Text && use_color();
            let report = output::diff_with(&generation, &args.out, color, &opts)?;
            match args.format {
                Format::Json => print_json(out, &report),
                Format::Text => write!(out, "{}", report.diff).map_err(Error::Stdout),
            }
        }
        Command::Validate { args, format } => {
            let result = pipeline::plan(&inputs(args));
            if *format == Format::Json {
                let (file, errors) = match &result {
                    Ok(_) => (None, Vec::new()),
                    Err(e) => boundary::diagnostics(e),
                };
                print_json(
                    out,
                    &serde_json::json!({
                        "valid": result.is_ok(),
                        "file": file.unwrap_or_else(|| args.spec.display().to_string()),
                        "errors": errors,
                    }),
                )?;
                return result.map(|_| ());
            }
            let (plan, _) = result?;
            if !cli.quiet {
                say!(
                    out,
                    "{} is valid: {} service(s), {} backing service(s), environments {}",
                    if args.spec.as_os_str() == "-" {
                        "<stdin>".into()
                    } else {
                        args.spec.display().to_string()
                    },
                    plan.services.len(),
                    plan.backing.len(),
                    plan.environments
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )?;
            }
            Ok(())
        }
        Command::Templates { command } => templates_command(command, cli.quiet, out),
        Command::Schema { write } => {
            let text = crate::schema::spec_schema_text();
            match write {
                Some(path) => {
                    std::fs::write(path, &text)
                        .map_err(|e| output::OutputError::io("write", path, e))?;
                    if !cli.quiet {
                        say!(out, "wrote {}", path.display())?;
                    }
                    Ok(())
                }
                None => write!(out, "{text}").map_err(Error::Stdout),
            }
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "chartwright", &mut buf);
            out.write_all(&buf).map_err(Error::Stdout)
        }
        Command::Man => {
            let mut buf = Vec::new();
            man_page(&mut buf)
                .map_err(|e| Error::Usage(format!("cannot render the man page: {e}")))?;
            out.write_all(&buf).map_err(Error::Stdout)
        }
    }
}

fn templates_command(
    command: &TemplatesCommand,
    quiet: bool,
    out: &mut Stdout,
) -> Result<(), Error> {
    use crate::render::templates::{TemplateGlob, TemplateSet};
    match command {
        TemplatesCommand::List { spec, templates } => {
            let key = match spec {
                Some(p) if templates.is_none() => {
                    let file = crate::spec::load(p)?;
                    crate::input::check_templates_key(p, &file)?;
                    file.spec.templates.map(|t| t.value)
                }
                _ => None,
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
                say!(out, "{origin:<9} {path}")?;
            }
            Ok(())
        }
        TemplatesCommand::Eject { paths, to } => {
            let set = TemplateSet::embedded();
            let mut chosen = Vec::new();
            for pattern in paths {
                let glob = TemplateGlob::new(pattern).map_err(Error::Usage)?;
                let hits: Vec<&String> = set.templates.keys().filter(|p| glob.matches(p)).collect();
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
                let io = |e: std::io::Error| output::OutputError::io("write", &dest, e);
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                std::fs::write(&dest, set.templates[*p].source.as_bytes()).map_err(io)?;
                if !quiet {
                    say!(out, "{:>10}  {}", "ejected", dest.display())?;
                }
            }
            Ok(())
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
            print_json(
                out,
                &crate::render::context(&plan, svc, environment, &schema, env_example),
            )
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

fn print_report(
    out: &mut Stdout,
    report: &output::WriteReport,
    dir: &std::path::Path,
) -> Result<(), Error> {
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
        ("EDITED k8s/ (not in the chart)", &report.derived_edits),
    ];
    let mut any = false;
    for (label, paths) in groups {
        for p in paths.iter() {
            say!(out, "{label:>10}  {}", dir.join(p).display())?;
            any = true;
        }
    }
    if !any {
        say!(
            out,
            "{} is up to date ({} files)",
            dir.display(),
            report.unchanged.len()
        )?;
    }
    Ok(())
}
