//! Helm's `include` and `tpl`, which call back into the chart's own template set, and the
//! check that a chart uses only functions chartwright implements.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use gotmpl::parse::{Expr, ListNode, Node, PipeNode};
use gotmpl::{Template, TemplateError, Value};

use super::funcs::{self, is_supported};
use super::shared::{CHART_INCLUDE, lookup_key};

/// Nested `include`/`tpl` calls allowed before a template is taken to recurse forever.
const MAX_INCLUDE_DEPTH: u32 = 100;

/// The chart being rendered on this thread, which `include` and `tpl` call back into.
pub(super) struct Current {
    pub template: Arc<Template>,
    /// The chart's name when `template` is a shared parse (see `shared`), whose template
    /// names are chart-free.
    pub shared_as: Option<String>,
}

thread_local! {
    static INCLUDE_DEPTH: Cell<u32> = const { Cell::new(0) };
    static CURRENT: RefCell<Option<Rc<Current>>> = const { RefCell::new(None) };
}

/// Helm's functions and chartwright's `include` and `tpl`, registered once per process: every
/// chart's template set starts as a copy of this one (a copy shares the function map).
pub(super) fn base_template() -> &'static Template {
    static BASE: OnceLock<Template> = OnceLock::new();
    BASE.get_or_init(|| {
        Template::new("")
            .funcs(funcs::func_map())
            .func("include", |args| include(args, false))
            .func(CHART_INCLUDE, |args| include(args, true))
            .func("tpl", tpl)
    })
}

/// Runs `f` with `current` as the chart `include` and `tpl` call back into.
pub(super) fn rendering<T>(current: Current, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Rc<Current>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(Some(Rc::new(current)))));
    f()
}

/// The chart being rendered, for `include` and `tpl`.
fn current(func: &str) -> Result<Rc<Current>, TemplateError> {
    CURRENT
        .with(|c| c.borrow().clone())
        .ok_or_else(|| TemplateError::Exec(format!("{func}: no chart is being rendered")))
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

/// Helm's `include NAME DATA`: a named template's output as a string, for piping. `literal`:
/// called as [`CHART_INCLUDE`], with a name already in the shared parse's chart-free form.
fn include(args: &[Value], literal: bool) -> Result<Value, TemplateError> {
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
    let chart = current("include")?;
    let key = match &chart.shared_as {
        Some(chart_name) if !literal => lookup_key(&name, chart_name)
            .ok_or_else(|| TemplateError::UndefinedTemplate(name.clone()))?,
        _ => name.clone(),
    };
    nested(|| chart.template.execute_template_to_string(&key, &data))
        .map(|s| Value::String(s.into()))
        .map_err(|e| TemplateError::Exec(format!("include {name:?}: {e}")))
}

/// Helm's `tpl TEXT DATA`: a string rendered as a template, with the chart's definitions.
/// (A shared parse never calls it: `shared` keeps charts that do to their own parse.)
fn tpl(args: &[Value]) -> Result<Value, TemplateError> {
    let [text, data] = args else {
        return Err(TemplateError::ArgCount {
            name: "tpl".into(),
            expected: 2,
            got: args.len(),
        });
    };
    let chart = current("tpl")?;
    let parsed = (*chart.template).clone().parse(&funcs::strval(text))?;
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
