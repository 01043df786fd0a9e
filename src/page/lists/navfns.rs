//! Navigation functions of a page's own scripts.
//!
//! Portal homepages link columns as `onclick="goColumn('xxgknb')"` with
//! `function goColumn(c){location.href='/zwgk/'+c+'/index.shtml'}` in the
//! page. A visitor's click opens the URL the function builds; here the
//! function's address expression is read once (string literals and its
//! parameters joined by `+`) and each call's literal arguments filled in.

use super::js::fold::Folder;
use super::js::{self, Expr, Function};
use super::page_scripts::PageScripts;
use std::collections::HashMap;

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
    /// The navigation functions of the page's scripts.
    pub fn from_scripts(scripts: &PageScripts) -> NavFunctions {
        let mut found = NavFunctions::default();
        let no_query = HashMap::new();
        for code in scripts.codes() {
            let folder = Folder::new(code, &no_query);
            for navigation in &code.navigations {
                let defined = &code.functions[navigation.function];
                if let Some(function) = address_of(defined, &navigation.address, &folder) {
                    found.by_name.insert(defined.name.clone(), function);
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
        js::read(code).calls.iter().find_map(|call| {
            let function = self.by_name.get(call.callee.last_name()?)?;
            let args: Vec<String> = call.args.iter().map(Expr::scalar).collect::<Option<_>>()?;
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

/// The function's address when it is string literals (or constants) and
/// its parameters joined by `+`.
fn address_of(defined: &Function, address: &Expr, folder: &Folder) -> Option<NavFunction> {
    if defined.name.is_empty() {
        return None;
    }
    let pieces = match address {
        Expr::Concat(pieces) => pieces.as_slice(),
        single => std::slice::from_ref(single),
    };
    let parts = pieces
        .iter()
        .map(|piece| match piece {
            Expr::Path(name) => match defined.params.iter().position(|p| p == name) {
                Some(i) => Some(Part::Param(i)),
                None => folder.text(piece).map(Part::Literal),
            },
            other => folder.text(other).map(Part::Literal),
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
        NavFunctions::from_scripts(&PageScripts::of(&scraper::Html::parse_document(&format!(
            "<html><head><script>{script}</script></head><body></body></html>"
        ))))
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
