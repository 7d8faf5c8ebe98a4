//! A template that failed, and how minijinja's and the YAML parser's errors become one.

use std::fmt;

use super::TemplateSet;

/// A template that failed: where, and what the template text says there.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub template: String,
    /// The overlay file, when the template came from one.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
    pub snippet: Option<String>,
}

impl std::error::Error for RenderError {}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self
            .file
            .clone()
            .unwrap_or_else(|| format!("templates/{}", self.template));
        let title = match self.line {
            Some(l) => format!("template {place}:{l}: {}", self.message),
            None => format!("template {place}: {}", self.message),
        };
        writeln!(f, "{}", crate::snippet::error(&title))?;
        if let Some(s) = &self.snippet {
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

pub(super) fn from_minijinja(e: &minijinja::Error, path: &str, set: &TemplateSet) -> RenderError {
    let name = e.name().unwrap_or(path).to_string();
    let template = set.get(&name);
    let snippet = match (e.line(), template) {
        (Some(line), Some(t)) => Some(crate::snippet::excerpt(&t.source, line)),
        _ => None,
    };
    RenderError {
        file: template
            .and_then(|t| t.file.as_ref())
            .map(|f| f.display().to_string()),
        template: name,
        line: e.line(),
        message: e
            .detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.kind().to_string()),
        snippet,
    }
}

/// The line a YAML parser's message points at (`… line 3 …`), if it names one.
pub(super) fn error_line(message: &str) -> Option<usize> {
    let at = message.find("line ")? + "line ".len();
    let digits: String = message[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|l| *l > 0)
}
