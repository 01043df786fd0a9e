//! Navigation functions of a page's own scripts.
//!
//! Portal homepages link columns as `onclick="goColumn('xxgknb')"` with
//! `function goColumn(c){location.href='/zwgk/'+c+'/index.shtml'}` in the
//! page. A visitor's click opens the URL the function builds; here the
//! function's address expression is read once (string literals and its
//! parameters joined by `+`) and each call's literal arguments filled in.

use super::js;
use crate::page::dom;
use regex::Regex;
use scraper::Html;
use std::collections::HashMap;
use std::sync::LazyLock;

/// `function name(a, b) {` or `name = function (a, b) {`.
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$.]*)\s*=\s*function)\s*\(([\w$,\s]*)\)\s*\{")
        .unwrap()
});
/// Where a function sends the browser: an assignment to a location, or a
/// call that opens a URL (its first argument).
static NAVIGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:location(?:\.href)?\s*=(?:[^=])|window\.open\s*\(|location\.(?:assign|replace)\s*\()",
    )
    .unwrap()
});
/// A call `name(…)` in an onclick or `javascript:` link.
static CALL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([A-Za-z_$][\w$.]*)\s*\(").unwrap());

enum Part {
    Literal(String),
    Param(usize),
}

/// A function whose address is literals and parameters.
struct NavFunction {
    parts: Vec<Part>,
}

#[derive(Default)]
pub(crate) struct NavFunctions {
    by_name: HashMap<String, NavFunction>,
}

impl NavFunctions {
    pub fn from_doc(doc: &Html) -> NavFunctions {
        let mut found = NavFunctions::default();
        for script in doc.select(&dom::INLINE_SCRIPTS) {
            let code = js::without_comments(&script.text().collect::<String>());
            for def in DEFINITION.captures_iter(&code) {
                let Some(name) = def.get(1).or(def.get(2)).map(|m| m.as_str()) else {
                    continue;
                };
                let params: Vec<&str> = def[3].split(',').map(str::trim).collect();
                let open = def.get(0).map_or(0, |m| m.end() - 1);
                let Some(body) = js::enclosed(&code, open) else {
                    continue;
                };
                if let Some(function) = address_of(body, &params) {
                    let short = name.rsplit('.').next().unwrap_or(name);
                    found.by_name.insert(short.to_string(), function);
                }
            }
        }
        found
    }

    /// The address a link's script builds with one of these functions.
    pub fn target(&self, code: &str) -> Option<String> {
        if self.by_name.is_empty() {
            return None;
        }
        CALL.captures_iter(code).find_map(|call| {
            let name = call[1].rsplit('.').next().unwrap_or(&call[1]);
            let function = self.by_name.get(name)?;
            let open = call.get(0)?.end() - 1;
            let args: Vec<String> = js::split_top(js::enclosed(code, open)?, b',')
                .into_iter()
                .map(js::scalar_literal)
                .collect::<Option<_>>()?;
            function
                .parts
                .iter()
                .map(|part| match part {
                    Part::Literal(s) => Some(s.clone()),
                    Part::Param(i) => args.get(*i).cloned(),
                })
                .collect::<Option<String>>()
        })
    }
}

/// The address expression of the first navigation in `body`, when it is
/// only string literals and parameters.
fn address_of(body: &str, params: &[&str]) -> Option<NavFunction> {
    let nav = NAVIGATION.find(body)?;
    let address = if nav.as_str().ends_with('(') {
        let args = js::enclosed(body, nav.end() - 1)?;
        js::split_top(args, b',').into_iter().next()?
    } else {
        // The pattern took the expression's first character to rule out `==`.
        let start = nav.end() - nav.as_str().chars().last()?.len_utf8();
        let expr = &body[start..];
        expr[..expr.find([';', '\n', '}']).unwrap_or(expr.len())].trim()
    };
    let parts = js::split_top(address, b'+')
        .into_iter()
        .map(|piece| match js::string_literal(piece) {
            Some(s) => Some(Part::Literal(s)),
            None => params.iter().position(|p| *p == piece).map(Part::Param),
        })
        .collect::<Option<Vec<_>>>()?;
    parts
        .iter()
        .any(|p| matches!(p, Part::Param(_)))
        .then_some(NavFunction { parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn functions(script: &str) -> NavFunctions {
        NavFunctions::from_doc(&Html::parse_document(&format!(
            "<html><head><script>{script}</script></head><body></body></html>"
        )))
    }

    #[test]
    fn a_column_function_builds_its_address() {
        let f = functions("function goColumn(c){location.href='/zwgk/'+c+'/index.shtml'}");
        assert_eq!(
            f.target("goColumn('xxgknb')").as_deref(),
            Some("/zwgk/xxgknb/index.shtml")
        );
        let f = functions(
            "var nav = {}; nav.openArt = function (col, id) { window.open(\"/art/\" + col + \"/\" + id + \".html\", \"_blank\"); };",
        );
        assert_eq!(
            f.target("nav.openArt('2023', 51)").as_deref(),
            Some("/art/2023/51.html")
        );
        let f = functions("function go(u) { window.location.href = u; }");
        assert_eq!(
            f.target("go(\"/a/b.html\");return false;").as_deref(),
            Some("/a/b.html")
        );
    }

    #[test]
    fn computed_or_unknown_calls_build_nothing() {
        let f = functions(
            "function goColumn(c){location.href='/zwgk/'+map[c]+'/index.shtml'}
             function tab(n){ document.getElementById('t'+n).style.display='block'; }
             function same(a){ if (location.href == a) return; }",
        );
        assert!(f.target("goColumn('xxgknb')").is_none());
        assert!(f.target("tab(2)").is_none());
        assert!(f.target("same('/x.html')").is_none());
        assert!(f.target("other('/x.html')").is_none());
        let f = functions("function goColumn(c){location.href='/zwgk/'+c+'/index.shtml'}");
        assert!(f.target("goColumn(window.col)").is_none());
    }
}
