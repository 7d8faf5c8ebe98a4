//! Helm's `include` and `tpl`, which call back into the chart's own template set, and the
//! check that a chart uses only functions chartwright implements.

use std::cell::Cell;
use std::sync::{Arc, OnceLock, Weak};

use gotmpl::parse::{Expr, ListNode, Node, PipeNode};
use gotmpl::{Template, TemplateError, Value};

use super::funcs::{self, is_supported};

/// Nested `include`/`tpl` calls allowed before a template is taken to recurse forever.
const MAX_INCLUDE_DEPTH: u32 = 100;

thread_local! {
    static INCLUDE_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// The template set behind `include`/`tpl`, while its chart is alive.
fn chart_template(
    weak: &Weak<OnceLock<Template>>,
) -> Result<Arc<OnceLock<Template>>, TemplateError> {
    weak.upgrade()
        .ok_or_else(|| TemplateError::Exec("include: the chart is gone".into()))
}

/// Runs `f` one include level deeper, refusing endless recursion (Helm refuses it too).
fn nested<T>(f: impl FnOnce() -> Result<T, TemplateError>) -> Result<T, TemplateError> {
    let depth = INCLUDE_DEPTH.with(|d| {
        d.set(d.get() + 1);
        d.get()
    });
    let out = if depth > MAX_INCLUDE_DEPTH {
        Err(TemplateError::Exec(format!(
            "include nested more than {MAX_INCLUDE_DEPTH} levels deep: a template includes itself"
        )))
    } else {
        f()
    };
    INCLUDE_DEPTH.with(|d| d.set(d.get() - 1));
    out
}

/// Helm's `include NAME DATA`: a named template's output as a string, for piping.
pub(super) fn include(
    weak: &Weak<OnceLock<Template>>,
    args: &[Value],
) -> Result<Value, TemplateError> {
    let (name, data) = match args {
        [n] => (n, Value::Nil),
        [n, d] => (n, d.clone()),
        _ => {
            return Err(TemplateError::ArgCount {
                name: "include".into(),
                expected: 2,
                got: args.len(),
            });
        }
    };
    let name = funcs::strval(name);
    let cell = chart_template(weak)?;
    let t = cell
        .get()
        .ok_or_else(|| TemplateError::Exec("include: the chart is not parsed yet".into()))?;
    nested(|| t.execute_template_to_string(&name, &data))
        .map(|s| Value::String(s.into()))
        .map_err(|e| TemplateError::Exec(format!("include {name:?}: {e}")))
}

/// Helm's `tpl TEXT DATA`: a string rendered as a template, with the chart's definitions.
pub(super) fn tpl(weak: &Weak<OnceLock<Template>>, args: &[Value]) -> Result<Value, TemplateError> {
    let [text, data] = args else {
        return Err(TemplateError::ArgCount {
            name: "tpl".into(),
            expected: 2,
            got: args.len(),
        });
    };
    let cell = chart_template(weak)?;
    let t = cell
        .get()
        .ok_or_else(|| TemplateError::Exec("tpl: the chart is not parsed yet".into()))?;
    let parsed = t.clone().parse(&funcs::strval(text))?;
    if let Some((_, func)) = parsed.lookup("").and_then(unsupported_function) {
        return Err(TemplateError::Exec(format!(
            "tpl: function `{func}` is not supported"
        )));
    }
    nested(|| parsed.execute_to_string(data))
        .map(|s| Value::String(s.replace("<no value>", "").into()))
}

/// The first call of a function chartwright does not implement, with its line.
pub(super) fn unsupported_function(tree: &ListNode) -> Option<(usize, String)> {
    fn list(l: &ListNode) -> Option<(usize, String)> {
        l.nodes.iter().find_map(node)
    }
    fn node(n: &Node) -> Option<(usize, String)> {
        match n {
            Node::List(l) => list(l),
            Node::Action(a) => pipe(&a.pipe),
            Node::If(b) | Node::Range(b) | Node::With(b) => pipe(&b.pipe)
                .or_else(|| list(&b.body))
                .or_else(|| b.else_body.as_ref().and_then(list)),
            Node::Template(t) => t.pipe.as_ref().and_then(pipe),
            Node::Define(d) => list(&d.body),
            Node::Text(_) | Node::Break(_) | Node::Continue(_) => None,
        }
    }
    fn pipe(p: &PipeNode) -> Option<(usize, String)> {
        p.commands.iter().flat_map(|c| c.args.iter()).find_map(expr)
    }
    fn expr(e: &Expr) -> Option<(usize, String)> {
        match e {
            Expr::Identifier(pos, name) if !is_supported(name) => {
                Some((pos.line, name.to_string()))
            }
            Expr::Pipe(_, p) => pipe(p),
            Expr::Chain(_, inner, _) => expr(inner),
            _ => None,
        }
    }
    list(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_functions_are_found_with_their_line() {
        let t = Template::new("x")
            .parse("a\n{{ if .x }}\n{{ .y | quote | regexFind \"z\" }}{{ end }}")
            .unwrap();
        assert_eq!(
            unsupported_function(t.lookup("x").unwrap()),
            Some((3, "regexFind".to_string()))
        );
    }
}
