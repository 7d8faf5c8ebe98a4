//! `chartwright init`: writes a first, commented `chartwright.yaml` from answers (prompted, given
//! as flags, or defaulted under `--yes`) or from an existing Compose file, then generates from it.
//! Nothing is written before every answer is valid, and an existing spec is kept unless `--force`.

pub mod args;
mod ask;
pub mod compose;
pub mod dockerfile;
pub mod draft;
mod import;
pub mod prompt;
pub mod write;

use std::io::IsTerminal;
use std::path::{Component, Path};

pub use args::InitArgs;
pub use ask::parse_dependency;
use draft::Draft;

use crate::output::{self, WriteOptions};
use crate::pipeline::{self, Error, Inputs};
use crate::plan::defaults as d;
use prompt::Asker;

fn usage(m: impl Into<String>) -> Error {
    Error::Usage(m.into())
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
        for (here, what) in [(chart, "a Chart.yaml"), (k8s, "a k8s/ folder")] {
            if here {
                eprintln!(
                    "note: there is {what} here; chartwright leaves it alone and writes into {}",
                    out.display()
                );
            }
        }
    }
    Ok(())
}

/// Runs `chartwright init`.
pub fn run(args: &InitArgs, quiet: bool) -> Result<(), Error> {
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
    // Pinning images (`--image-tag`) only means something for an import.
    let importing = args.from_compose.is_some() || !args.image_tags.is_empty();
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

    let mut draft = Draft::default();
    let mut warnings = Vec::new();
    let default_app = ask::default_app_name();
    draft.app = asker.text(
        "app",
        "Application name",
        args.app.as_deref(),
        default_app.as_deref(),
        &prompt::name_rule,
        false,
    )?;

    // Compose import: explicit, implied by --image-tag, or offered when a Compose file is here.
    let found = compose::compose_file(Path::new("."));
    let compose = match (&args.from_compose, found) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(p)) if !args.image_tags.is_empty() => Some(p),
        (None, Some(p)) if asker.interactive => asker
            .confirm(&format!("Import {}?", p.display()), true)?
            .then_some(p),
        (None, Some(p)) => {
            if !quiet {
                eprintln!(
                    "note: {} found; pass --from-compose {} to import it",
                    p.display(),
                    p.display()
                );
            }
            None
        }
        (None, None) if !args.image_tags.is_empty() => {
            return Err(usage(
                "--image-tag pins images of an imported Compose file, and there is none: pass --from-compose FILE",
            ));
        }
        (None, None) => None,
    };
    let mut top = Vec::new();
    if let Some(path) = compose {
        let (w, t) = import::import(args, &mut asker, &mut draft, &path)?;
        warnings.extend(w);
        top = t;
    } else {
        let s = ask::ask_service(&mut asker, args, &draft.app, &deps, &mut draft.backing)?;
        draft.services.push(s);
    }

    draft.environments = environments(args, &mut asker)?;
    if let Some(prod) = draft
        .environments
        .iter()
        .find(|e| d::is_production(e))
        .cloned()
    {
        let min = asker.text(
            "autoscale-min",
            &format!("{prod} autoscaling: minimum replicas"),
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
            &format!("{prod} autoscaling: maximum replicas"),
            args.autoscale_max.map(|n| n.to_string()).as_deref(),
            Some(&(min_n.max(10)).to_string()),
            &max_rule,
            false,
        )?;
        draft.autoscale = Some((min_n, max.parse().unwrap_or(10)));
    } else if args.autoscale_min.is_some() || args.autoscale_max.is_some() {
        return Err(usage(
            "--autoscale-min/--autoscale-max apply to production (prod, production, prd or live), which is not among the environments",
        ));
    }

    if !asker.missing.is_empty() {
        let how = if args.yes {
            "pass them as flags (--yes accepts defaults, and these have none)"
        } else {
            "pass them as flags, or add --yes to accept the defaults (a terminal asks them interactively)"
        };
        return Err(usage(format!(
            "no terminal to ask on, and these answers are missing:\n  {}\n{how}",
            asker.missing.join("\n  ")
        )));
    }

    let text = resolve_collisions(&mut draft, &args.spec)?;
    // Answers that make an invalid spec are reported as the spec's errors (nothing is written).
    crate::spec::parse_at(&args.spec, &args.spec.display().to_string(), &text)
        .and_then(|file| crate::plan::build(&file, None))?;

    if !quiet {
        eprintln!("\n{}", draft::summary(&draft));
    }
    print_list("note", &warnings);
    for s in &draft.services {
        if !s.notes.is_empty() && draft.source.is_some() {
            print_list(&format!("note ({})", s.name), &s.notes);
        }
    }
    if draft.source.is_some() {
        import::report(&draft, &top);
    }
    if asker.interactive && !asker.confirm(&format!("Write {}?", args.spec.display()), true)? {
        return Err(Error::Declined(format!(
            "nothing written: you declined to write {}",
            args.spec.display()
        )));
    }
    std::fs::write(&args.spec, &text)
        .map_err(|e| output::OutputError::io("write", &args.spec, e))?;
    if !quiet {
        eprintln!("wrote {}", args.spec.display());
    }
    if args.no_generate {
        return Ok(());
    }
    generate(args, quiet)
}

/// The environments: the flags, else chosen (default dev, staging, prod), each once.
fn environments(args: &InitArgs, asker: &mut Asker) -> Result<Vec<String>, Error> {
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
    Ok(seen)
}

/// Renders the draft, dropping each variable of a service that a dependency injects under the
/// same name (an app's own `DB_HOST` beside the injected one): the plan's own list of injected
/// names decides, and each drop is noted.
fn resolve_collisions(draft: &mut Draft, spec: &Path) -> Result<String, Error> {
    let text = write::render(draft);
    let Ok(file) = crate::spec::parse(&spec.display().to_string(), &text) else {
        // Invalid for another reason: the caller reports it.
        return Ok(text);
    };
    let mut changed = false;
    for s in &mut draft.services {
        let Some(checked) = file.checked.services.get(&s.name) else {
            continue;
        };
        let injected = crate::plan::injected_names(&file.checked, checked);
        // An env file setting an injected name cannot be named as it is (the spec refuses
        // it): its variables are copied instead, `environment:` still winning, and the
        // injected one then gives way below.
        if let Some(f) = s.env_file.take_if(|f| {
            f.vars
                .iter()
                .any(|(k, _)| injected.iter().any(|(n, _)| n == k))
        }) {
            for (k, v) in f.vars {
                if !s.env.iter().any(|(n, _)| *n == k) {
                    s.env.push((k, v));
                }
            }
            s.notes.push(format!(
                "env_file `{}`: its variables are copied below (it sets a variable a dependency injects)",
                f.path
            ));
            changed = true;
        }
        for (name, i) in injected {
            let from = &checked.depends_on[i];
            if let Some(pos) = s.env.iter().position(|(k, _)| *k == name) {
                let (_, v) = s.env.remove(pos);
                s.not_carried.push(format!(
                    "environment `{name}: {v}` (`{from}` injects `{name}` itself; the injected value is used)"
                ));
                changed = true;
            }
            if let Some(pos) = s.secrets.iter().position(|k| *k == name) {
                s.secrets.remove(pos);
                s.not_carried.push(format!(
                    "secret `{name}` (`{from}` injects `{name}` itself; the injected value is used)"
                ));
                changed = true;
            }
        }
    }
    Ok(if changed { write::render(draft) } else { text })
}

fn generate(args: &InitArgs, quiet: bool) -> Result<(), Error> {
    let inputs = pipeline::resolve(&Inputs {
        spec: args.spec.clone(),
        out: Some(args.out.clone()),
        ..Inputs::default()
    })?;
    let (_, files) = pipeline::generate(&inputs)?;
    let opts = WriteOptions {
        inputs: Some(pipeline::recorded_inputs(&inputs, &args.out)),
        ..WriteOptions::default()
    };
    let report = output::write(&files, &args.out, &opts)?;
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
    if report.has_conflicts() {
        return Err(Error::Drift(format!(
            "merge conflicts in {}; resolve the <<<<<<< markers and run generate again",
            report.conflicted.join(", ")
        )));
    }
    Ok(())
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
