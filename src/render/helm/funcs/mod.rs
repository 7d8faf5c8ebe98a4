//! The Helm and Sprig functions that chart templates call, over `gotmpl` values.
//!
//! Only what the embedded templates and ordinary team templates use is here. Anything else is
//! refused before rendering ([`is_supported`]), because a function that behaved a little
//! differently from Helm's would make `k8s/` silently differ from the chart. Functions that
//! mutate their argument in Go (`set`, `unset`, `merge`) are deliberately absent: gotmpl values
//! are immutable, so the mutation would be lost without an error.
//!
//! Go passes a piped value as the *last* argument, which is why most string functions take
//! their subject last.

mod defaults;
mod dicts;
mod encoding;
mod go_fmt;
mod lists;
mod numbers;
mod strings;
mod types;

use std::sync::Arc;

use gotmpl::{FuncMap, TemplateError, Value};

pub use encoding::{from_serde, to_serde};
pub use go_fmt::strval;

type R = Result<Value, TemplateError>;

/// Go's `text/template` builtins, which gotmpl provides.
const BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Helm's own functions that need the chart (registered by the chart renderer).
pub const CHART_FUNCS: &[&str] = &["include", "tpl"];

/// Whether a template may call `name`.
pub fn is_supported(name: &str) -> bool {
    BUILTINS.contains(&name) || CHART_FUNCS.contains(&name) || SPRIG.iter().any(|(n, _)| *n == name)
}

type F = fn(&[Value]) -> R;

/// Every Sprig/Helm function implemented here, by name.
const SPRIG: &[(&str, F)] = &[
    ("quote", strings::quote),
    ("squote", strings::squote),
    ("toString", strings::to_string_fn),
    ("toStrings", strings::to_strings),
    ("toJson", encoding::to_json),
    ("toRawJson", encoding::to_raw_json),
    ("toPrettyJson", encoding::to_pretty_json),
    ("mustToJson", encoding::to_json),
    ("fromJson", encoding::from_json),
    ("toYaml", encoding::to_yaml),
    ("mustToYaml", encoding::to_yaml),
    ("fromYaml", encoding::from_yaml),
    ("indent", strings::indent),
    ("nindent", strings::nindent),
    ("trim", strings::trim),
    ("trimAll", strings::trim_all),
    ("trimPrefix", strings::trim_prefix),
    ("trimSuffix", strings::trim_suffix),
    ("trunc", strings::trunc),
    ("upper", strings::upper),
    ("lower", strings::lower),
    ("title", strings::title),
    ("replace", strings::replace),
    ("contains", strings::contains),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("repeat", strings::repeat),
    ("substr", strings::substr),
    ("nospace", strings::nospace),
    ("cat", strings::cat),
    ("splitList", strings::split_list),
    ("join", strings::join),
    ("default", defaults::default),
    ("empty", defaults::empty_fn),
    ("coalesce", defaults::coalesce),
    ("ternary", defaults::ternary),
    ("required", defaults::required),
    ("fail", defaults::fail),
    ("int", numbers::to_int),
    ("int64", numbers::to_int),
    ("atoi", numbers::to_int),
    ("float64", numbers::to_float),
    ("toDecimal", numbers::to_int),
    ("add", numbers::add),
    ("add1", numbers::add1),
    ("sub", numbers::sub),
    ("mul", numbers::mul),
    ("div", numbers::div),
    ("mod", numbers::modulo),
    ("max", numbers::max),
    ("min", numbers::min),
    ("dict", dicts::dict),
    ("list", lists::list),
    ("tuple", lists::list),
    ("hasKey", dicts::has_key),
    ("get", dicts::get),
    ("keys", dicts::keys),
    ("pick", dicts::pick),
    ("omit", dicts::omit),
    ("first", lists::first),
    ("last", lists::last),
    ("rest", lists::rest),
    ("initial", lists::initial),
    ("append", lists::append),
    ("mustAppend", lists::append),
    ("prepend", lists::prepend),
    ("concat", lists::concat),
    ("has", lists::has),
    ("without", lists::without),
    ("uniq", lists::uniq),
    ("compact", lists::compact),
    ("reverse", lists::reverse),
    ("sortAlpha", lists::sort_alpha),
    ("until", lists::until),
    ("deepCopy", types::deep_copy),
    ("kindOf", types::kind_of),
    ("kindIs", types::kind_is),
    ("typeOf", types::type_of),
    ("b64enc", encoding::b64enc),
    ("b64dec", encoding::b64dec),
    ("sha256sum", encoding::sha256sum),
    ("lookup", dicts::lookup),
];

/// The functions as a gotmpl function map (without the chart's own `include` and `tpl`).
pub fn func_map() -> FuncMap {
    let mut m = FuncMap::new();
    for (name, f) in SPRIG {
        let f = *f;
        m.insert((*name).to_string(), Arc::new(f));
    }
    m
}

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError::Exec(msg.into())
}

fn arity(name: &str, args: &[Value], n: usize) -> Result<(), TemplateError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(TemplateError::ArgCount {
            name: name.to_string(),
            expected: n,
            got: args.len(),
        })
    }
}

fn s(v: impl Into<Arc<str>>) -> Value {
    Value::String(v.into())
}

#[cfg(test)]
mod tests {
    use super::defaults::{default, required};
    use super::encoding::{b64dec, b64enc, to_json};
    use super::go_fmt::{go_float, go_quote};
    use super::numbers::to_int;
    use super::strings::{nindent, replace, trim_suffix, trunc};
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        for (f, want) in [
            (3.0, "3"),
            (10001.0, "10001"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e21, "-2.5e+21"),
        ] {
            assert_eq!(go_float(f), want, "{f}");
        }
    }

    #[test]
    fn quoting_and_json_match_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
        assert_eq!(
            to_json(&[s("<a&b>")]).unwrap(),
            s("\"\\u003ca\\u0026b\\u003e\"")
        );
        assert_eq!(to_json(&[Value::Float(3.0)]).unwrap(), s("3"));
        assert_eq!(b64enc(&[s("hello!?")]).unwrap(), s("aGVsbG8hPw=="));
        assert_eq!(b64dec(&[s("aGVsbG8hPw==")]).unwrap(), s("hello!?"));
    }

    #[test]
    fn sprig_argument_order() {
        assert_eq!(trunc(&[Value::Int(3), s("abcdef")]).unwrap(), s("abc"));
        assert_eq!(trim_suffix(&[s("-"), s("ab-")]).unwrap(), s("ab"));
        assert_eq!(replace(&[s("+"), s("_"), s("1+2")]).unwrap(), s("1_2"));
        assert_eq!(default(&[s("d"), s("")]).unwrap(), s("d"));
        assert_eq!(default(&[s("d"), s("x")]).unwrap(), s("x"));
        assert_eq!(
            nindent(&[Value::Int(2), s("a\nb")]).unwrap(),
            s("\n  a\n  b")
        );
        assert!(required(&[s("need x"), Value::Nil]).is_err());
        assert_eq!(to_int(&[s("0x10")]).unwrap(), Value::Int(16));
    }
}
