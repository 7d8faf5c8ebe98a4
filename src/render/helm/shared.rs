//! Chart templates parsed once per process, shared by every chart whose templates differ only
//! in the chart's name (issue 17: a thousand services parsed one chart's templates a thousand
//! times).
//!
//! The embedded templates name their helpers after the chart (`define "api.fullname"`, so that
//! two charts combine as subcharts of an umbrella chart), which makes every chart's text
//! different. A chart is parsed in its *chart-free form*: its text with the chart's name
//! replaced by [`CHART`], two private-use characters that no input holds. The form is parsed
//! once, and every chart with the same form executes that parse:
//!
//! - a template name holding the chart name (a `define`, a `template` call, a literal
//!   `include "api.x"`) is looked up by its chart-free form, which is the same lookup: the
//!   replacement is one-to-one on texts without [`CHART`];
//! - a name computed while rendering (`include (printf "%s.x" .Chart.Name)`) is turned into
//!   its chart-free form before the lookup ([`lookup_key`]);
//! - a literal `include` is rewritten to call [`CHART_INCLUDE`], a function name no template
//!   can spell (it holds a space), so a value that happens to hold [`CHART`] is never taken
//!   for one.
//!
//! A form is shared only when the placeholder lands in those places and nowhere else (not in
//! text, a field, a comparison), the chart name is a plain chart name, and no template calls
//! `tpl` (which parses text at render time); anything else is parsed per chart as before
//! ([`shared`] returns `None`). Any error while rendering a shared parse is rendered again
//! from the chart's own parse, so messages name the chart's own templates. Debug builds (every
//! test) render both and compare them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use gotmpl::Template;
use gotmpl::parse::{Expr, ListNode, Node, PipeNode};

use super::include::{base_template, unsupported_function};

/// What stands for the chart's name in a shared parse. Two characters, so that it never
/// forms a valid character constant; private-use, so that it is in no identifier or keyword.
pub(super) const CHART: &str = "\u{F8FE}\u{F8FF}";

/// The function a literal `include "<chart>.x"` is rewritten to call.
pub(super) const CHART_INCLUDE: &str = "include chart-free";

/// Distinct chart-free forms kept: one per shape of service, which a monorepo has a handful
/// of. Past this, further forms are parsed per chart, so that memory stays bounded.
const MAX_FORMS: usize = 64;

/// Chart-free form (every template's name and text) -> its parse, or `None` if not shareable.
type Cache = HashMap<String, Option<Arc<Template>>>;

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Whether `name` is a chart name whose replacement is safe: lowercase letters, digits and
/// inner hyphens (what chartwright writes), so that it never holds a quote, brace, comment
/// or trim marker, nor starts or ends a `-` next to a delimiter.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The chart-free form of a text of chart `chart`, `None` when it cannot have one (it holds
/// the placeholder's characters, or the NUL that separates texts in the cache key).
pub(super) fn chart_free(text: &str, chart: &str) -> Option<String> {
    (!text.contains(['\u{F8FE}', '\u{F8FF}', '\0'])).then(|| text.replace(chart, CHART))
}

/// The key a template name computed while rendering chart `chart` is found under in a shared
/// parse; `None` for a name holding the placeholder's characters, which no chart defines.
pub(super) fn lookup_key(name: &str, chart: &str) -> Option<String> {
    chart_free(name, chart)
}

/// The shared parse of a chart named `chart` whose templates are `files` (Helm's template
/// name and text, in parse order), and each template's name in it; `None` when not shareable.
pub(super) fn shared(chart: &str, files: &[(&str, &str)]) -> Option<(Arc<Template>, Vec<String>)> {
    if !plain_name(chart) {
        return None;
    }
    let mut names = Vec::with_capacity(files.len());
    let mut key = String::new();
    for (name, text) in files {
        let name = chart_free(name, chart)?;
        key.push_str(&name);
        key.push('\0');
        key.push_str(&chart_free(text, chart)?);
        key.push('\0');
        names.push(name);
    }
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = cache.get(&key) {
        return found.clone().map(|t| (t, names));
    }
    let parsed = parse(&key).map(Arc::new);
    if cache.len() < MAX_FORMS {
        cache.insert(key, parsed.clone());
    }
    parsed.map(|t| (t, names))
}

/// Parses a chart-free form (as [`shared`] keys it): every template into one set, literal
/// includes rewritten; `None` when the placeholder is anywhere else, or on any error.
fn parse(key: &str) -> Option<Template> {
    let mut root = base_template().clone();
    let mut parts = key.split('\0');
    while let (Some(name), Some(text)) = (parts.next(), parts.next()) {
        let parsed = Template::new(name).parse(text).ok()?;
        for name in parsed.templates() {
            let mut tree = parsed.lookup(name)?.clone();
            if unsupported_function(&tree).is_some() || !rewrite_list(&mut tree) {
                return None;
            }
            root = root.add_parse_tree(name, tree);
        }
    }
    Some(root)
}

fn has_chart(s: &str) -> bool {
    s.contains(CHART)
}

/// Rewrites the literal includes of a tree; false when the placeholder is anywhere else
/// or `tpl` is called.
fn rewrite_list(l: &mut ListNode) -> bool {
    l.nodes.iter_mut().all(rewrite_node)
}

fn rewrite_node(n: &mut Node) -> bool {
    match n {
        Node::List(l) => rewrite_list(l),
        Node::Text(t) => !has_chart(&t.text),
        Node::Action(a) => rewrite_pipe(&mut a.pipe),
        Node::If(b) | Node::Range(b) | Node::With(b) => {
            rewrite_pipe(&mut b.pipe)
                && rewrite_list(&mut b.body)
                && b.else_body.as_mut().is_none_or(rewrite_list)
        }
        // A `template` call is looked up by its chart-free name, like its `define`.
        Node::Template(t) => t.pipe.as_mut().is_none_or(rewrite_pipe),
        Node::Define(d) => rewrite_list(&mut d.body),
        Node::Break(_) | Node::Continue(_) => true,
    }
}

fn rewrite_pipe(p: &mut PipeNode) -> bool {
    if p.decl.iter().any(|d| has_chart(d)) {
        return false;
    }
    p.commands.iter_mut().all(|c| {
        if let [Expr::Identifier(_, f), Expr::String(_, name), ..] = c.args.as_mut_slice()
            && f.as_str() == "include"
            && has_chart(name)
        {
            *f = CHART_INCLUDE.into();
            return c.args[2..].iter_mut().all(rewrite_expr);
        }
        c.args.iter_mut().all(rewrite_expr)
    })
}

fn rewrite_expr(e: &mut Expr) -> bool {
    match e {
        Expr::Identifier(_, name) => name.as_str() != "tpl" && !has_chart(name),
        Expr::String(_, s) => !has_chart(s),
        Expr::Field(_, names) => !names.iter().any(|n| has_chart(n)),
        Expr::Variable(_, var, names) => !has_chart(var) && !names.iter().any(|n| has_chart(n)),
        Expr::Pipe(_, p) => rewrite_pipe(p),
        Expr::Chain(_, inner, names) => rewrite_expr(inner) && !names.iter().any(|n| has_chart(n)),
        Expr::Dot(_) | Expr::Number(..) | Expr::Bool(..) | Expr::Nil(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Option<Template> {
        let key = format!("c/templates/x.yaml\0{}\0", chart_free(text, "svc-1")?);
        parse(&key)
    }

    #[test]
    fn names_and_literal_includes_are_shared() {
        let t = form(
            r#"{{- define "svc-1.name" -}}x{{- end }}{{ include "svc-1.name" . }}{{/* svc-1 */}}"#,
        )
        .expect("shareable");
        assert!(t.lookup(&format!("{CHART}.name")).is_some());
    }

    #[test]
    fn the_name_anywhere_else_is_not_shared() {
        // In text, a comparison, a field, a variable, or under `tpl`: parsed per chart.
        assert!(form("name: svc-1").is_none());
        assert!(form(r#"{{ if eq .Chart.Name "svc-1" }}a{{ end }}"#).is_none());
        assert!(form(r#"{{ .Values.svc-1 }}"#).is_none());
        assert!(form(r#"{{ tpl "x" . }}"#).is_none());
        assert!(form(r#"{{ printf "%s" "svc-1.name" | include }}"#).is_none());
    }

    /// Two charts of the same templates share one parse, which renders each chart as its own
    /// parse would: literal and computed includes, `template` calls.
    #[test]
    fn charts_of_the_same_templates_share_one_parse() {
        use super::super::include::{Current, rendering};
        let helpers = |c: &str| {
            format!(
                r#"{{{{- define "{c}.name" -}}}}{{{{ .Chart.Name }}}}{{{{- end }}}}{{{{ define "{c}.x" }}}}x{{{{ end }}}}"#
            )
        };
        let body = |c: &str| {
            format!(
                r#"a: {{{{ include "{c}.name" . }}}} b: {{{{ include (printf "%s.x" .Chart.Name) . }}}} c: {{{{ template "{c}.x" }}}}"#
            )
        };
        let (h1, b1, h2, b2) = (
            helpers("svc-1"),
            body("svc-1"),
            helpers("svc-2"),
            body("svc-2"),
        );
        let a = [
            ("svc-1/templates/_helpers.tpl", h1.as_str()),
            ("svc-1/templates/cm.yaml", &b1),
        ];
        let b = [
            ("svc-2/templates/_helpers.tpl", h2.as_str()),
            ("svc-2/templates/cm.yaml", &b2),
        ];
        let (ta, names_a) = shared("svc-1", &a).expect("shareable");
        let (tb, names_b) = shared("svc-2", &b).expect("shareable");
        assert!(Arc::ptr_eq(&ta, &tb));
        assert_eq!(names_a, names_b);
        let chart = gotmpl::tmap! { "Name" => "svc-2" };
        let data = gotmpl::tmap! { "Chart" => chart };
        let current = Current {
            template: tb.clone(),
            shared_as: Some("svc-2".into()),
        };
        let out = rendering(current, || {
            tb.execute_template_to_string(&names_b[1], &data)
        });
        assert_eq!(out.unwrap(), "a: svc-2 b: x c: x");
    }

    #[test]
    fn only_plain_chart_names_are_replaced() {
        assert!(plain_name("svc-1"));
        assert!(!plain_name("-a") && !plain_name("a-") && !plain_name("A") && !plain_name(""));
        assert!(shared("a{{", &[("a{{/templates/x", "")]).is_none());
        assert_eq!(chart_free("a\u{F8FE}", "a"), None);
    }
}
