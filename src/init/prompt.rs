//! Questions, answered by a flag, by the user at a terminal, or by a default under `--yes`.
//! Every answer passes the same rule the spec validation applies, so a wrong answer is re-asked
//! (terminal) or refused with exit 2 (flag).

use dialoguer::{Confirm, Input, MultiSelect};

use crate::pipeline::Error;
use crate::spec::image::ImageRef;
use crate::spec::names::{MAX_ENV_NAME, MAX_NAME, check_dns_label, check_hostname};
use crate::spec::quantity::Quantity;

pub type Rule<'a> = &'a dyn Fn(&str) -> Result<(), String>;

pub fn name_rule(s: &str) -> Result<(), String> {
    check_dns_label(s, MAX_NAME)
}

pub fn env_rule(s: &str) -> Result<(), String> {
    check_dns_label(s, MAX_ENV_NAME)
}

pub fn image_rule(s: &str) -> Result<(), String> {
    ImageRef::parse(s)
        .map(|_| ())
        .map_err(|e| format!("{}; {}", e.message, e.hint))
}

pub fn tag_rule(repo: &str) -> impl Fn(&str) -> Result<(), String> + '_ {
    move |t: &str| {
        let image = if t.starts_with("sha256:") {
            format!("{repo}@{t}")
        } else {
            format!("{repo}:{t}")
        };
        image_rule(&image)
    }
}

pub fn quantity_rule(s: &str) -> Result<(), String> {
    Quantity::parse(s).map(|_| ()).map_err(|e| e.0)
}

pub fn limit_rule(request: String) -> impl Fn(&str) -> Result<(), String> {
    move |s: &str| {
        let limit = Quantity::parse(s).map_err(|e| e.0)?;
        match Quantity::parse(&request) {
            Ok(r) if limit.value < r.value => Err(format!(
                "the limit `{s}` is below the request `{request}`; a limit must be at least the request"
            )),
            _ => Ok(()),
        }
    }
}

pub fn path_rule(s: &str) -> Result<(), String> {
    if s.starts_with('/') && !s.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not an HTTP path (it must start with `/`)"
        ))
    }
}

/// A path, or empty for none.
pub fn optional_path_rule(s: &str) -> Result<(), String> {
    if s.is_empty() { Ok(()) } else { path_rule(s) }
}

pub fn host_rule(s: &str) -> Result<(), String> {
    if s.is_empty() {
        Ok(())
    } else {
        check_hostname(s)
    }
}

pub fn parse_ports(s: &str) -> Result<Vec<u16>, String> {
    let mut out = Vec::new();
    for w in s.split([',', ' ']).filter(|w| !w.is_empty()) {
        let p: u16 = w
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("`{w}` is not a port in 1–65535"))?;
        if out.contains(&p) {
            return Err(format!("port {p} is used twice"));
        }
        out.push(p);
    }
    if out.is_empty() {
        return Err("a service needs at least one port".into());
    }
    Ok(out)
}

pub fn ports_rule(s: &str) -> Result<(), String> {
    parse_ports(s).map(|_| ())
}

pub fn env_list_rule(s: &str) -> Result<(), String> {
    for e in s.split([',', ' ']).filter(|w| !w.is_empty()) {
        env_rule(e)?;
    }
    Ok(())
}

pub fn replicas_rule(s: &str) -> Result<(), String> {
    match s.parse::<i64>() {
        Ok(n) if crate::spec::REPLICAS.contains(&n) => Ok(()),
        _ => Err(format!(
            "`{s}` is not a replica count in {}–{}",
            crate::spec::REPLICAS.start(),
            crate::spec::REPLICAS.end()
        )),
    }
}

/// How questions are answered.
pub struct Asker {
    /// A terminal is attached and `--yes` was not given.
    pub interactive: bool,
    /// Without a terminal and without `--yes`: every question a flag did not answer is missing.
    pub strict: bool,
    /// Questions that had no answer and no way to get one (non-interactive runs).
    pub missing: Vec<String>,
}

fn io(e: dialoguer::Error) -> Error {
    Error::Usage(format!("the prompt failed: {e}"))
}

impl Asker {
    /// A text answer: the flag when given (validated), else the prompt, else the default.
    pub fn text(
        &mut self,
        flag_name: &str,
        prompt: &str,
        flag: Option<&str>,
        default: Option<&str>,
        rule: Rule,
        optional: bool,
    ) -> Result<String, Error> {
        if let Some(v) = flag {
            rule(v).map_err(|m| Error::Usage(format!("--{flag_name}: {m}")))?;
            return Ok(v.to_string());
        }
        if self.interactive {
            let mut input = Input::<String>::new()
                .with_prompt(prompt)
                .allow_empty(optional)
                .validate_with(|s: &String| rule(s));
            if let Some(d) = default {
                input = input.default(d.to_string());
            }
            return input.interact_text().map_err(io);
        }
        if self.strict {
            self.missing.push(format!("--{flag_name} ({prompt})"));
            return Ok(default.unwrap_or_default().to_string());
        }
        match default {
            Some(d) => Ok(d.to_string()),
            None if optional => Ok(String::new()),
            None => {
                self.missing.push(format!("--{flag_name} ({prompt})"));
                Ok(String::new())
            }
        }
    }

    /// Several choices; `extra` names the flag values when given.
    pub fn multi(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Error> {
        if self.interactive {
            return MultiSelect::new()
                .with_prompt(format!("{prompt} (space toggles, enter accepts)"))
                .items(items)
                .defaults(checked)
                .interact()
                .map_err(io);
        }
        Ok((0..items.len()).filter(|i| checked[*i]).collect())
    }

    pub fn confirm(&self, prompt: &str, default: bool) -> Result<bool, Error> {
        if !self.interactive {
            return Ok(default);
        }
        Confirm::new()
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(io)
    }
}
