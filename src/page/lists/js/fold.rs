//! What script expressions come to, without running them.
//!
//! A list script's URL is rarely one literal: `api + '?tab=' + tab`, `var
//! base = '/x/'`, `CONFIG.api.list`, `getQueryString('tab') || 'gfxwj'`.
//! [`Folder`] works out what such an expression comes to from the
//! script's own assignments and the page's query: text, with holes where
//! a value is known only at run time. Each reader decides how to fill a
//! hole (the first page for a page counter, the ids a tree offers, or not
//! at all).

use super::{Code, Expr, Function};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

/// How many variables deep a value is followed.
const MAX_INDIRECTION: usize = 4;
/// Work one script's folding may do, per byte of script, plus a floor:
/// each node visited costs 1 and each byte of text produced 1. `var b =
/// a+a+a; var c = b+b+b; …` doubles its text with every line and its work
/// with every variable.
const BUDGET_PER_BYTE: usize = 8;
const BUDGET_BASE: usize = 4096;

/// Functions that read a value of the page's query (`getQueryString('tab')`).
const QUERY_GETTERS: &[&str] = &[
    "getQueryString",
    "GetQueryString",
    "getUrlParam",
    "GetUrlParam",
    "getQueryVariable",
    "getUrlParameter",
    "getParameter",
    "getParam",
    "getQueryParam",
    "getParams",
    "getQuery",
    "queryString",
];
/// Objects whose `get` reads the page's query (`searchParams.get('tab')`).
const QUERY_OBJECTS: &[&str] = &["searchParams", "params", "query", "search", "urlParams"];
/// Functions that turn a value into text and leave it otherwise alone.
const ENCODERS: &[&str] = &[
    "encodeURIComponent",
    "encodeURI",
    "escape",
    "String",
    "Number",
    "parseInt",
];

/// A part of a folded expression.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::page::lists) enum Piece {
    Text(String),
    Hole(Hole),
}

/// A value known only at run time.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::page::lists) struct Hole {
    /// The query key the value is read from, or the variable's name
    /// (empty for a computed value with a default, outside a variable).
    pub name: String,
    /// The value when the page's query has none (`|| 'gfxwj'`).
    pub default: Option<String>,
}

/// Folds the expressions of one script, in the script's own scope or in
/// one function's, its parameters bound to the arguments of one call.
pub(in crate::page::lists) struct Folder<'c> {
    bindings: Rc<Bindings<'c>>,
    /// A function's parameters, bound to one call's arguments (`None`:
    /// no argument, a value known only at run time).
    arguments: HashMap<&'c str, Option<&'c Expr>>,
}

/// What the script's assignments and the page's query say.
struct Bindings<'c> {
    /// The page URL's query values.
    params: &'c HashMap<String, String>,
    /// The first value assigned to each path.
    first: HashMap<&'c str, &'c Expr>,
    /// Every number assigned to each path, in order.
    numbers: HashMap<&'c str, Vec<u64>>,
    /// Variables read from the page's query, with the key they read.
    query_vars: HashMap<&'c str, &'c str>,
    /// Work left.
    budget: Cell<usize>,
}

impl<'c> Folder<'c> {
    /// A folder for `code` on a page whose query is `params`.
    pub fn new(code: &'c Code, params: &'c HashMap<String, String>) -> Folder<'c> {
        let mut first = HashMap::new();
        let mut numbers: HashMap<&str, Vec<u64>> = HashMap::new();
        let mut query_vars = HashMap::new();
        for assignment in &code.assignments {
            let Some(path) = assignment.target.path() else {
                continue;
            };
            first.entry(path).or_insert(&assignment.value);
            if let Expr::Num(n) = &assignment.value {
                if let Ok(n) = n.parse() {
                    numbers.entry(path).or_default().push(n);
                }
            }
            let read = match &assignment.value {
                Expr::Or(left, _) => query_key(left),
                value => query_key(value),
            };
            if let Some(key) = read {
                query_vars.entry(path).or_insert(key);
            }
        }
        Folder {
            bindings: Rc::new(Bindings {
                params,
                first,
                numbers,
                query_vars,
                budget: Cell::new(BUDGET_PER_BYTE * code.bytes + BUDGET_BASE),
            }),
            arguments: HashMap::new(),
        }
    }

    /// This script's folder inside `function`, called with `args`: its
    /// parameters hold the arguments, worked out in the script's scope,
    /// and hide the script's variables of the same names. Called with no
    /// arguments, its parameters are values known only at run time.
    pub fn with_arguments(&self, function: &'c Function, args: &'c [Expr]) -> Folder<'c> {
        Folder {
            bindings: Rc::clone(&self.bindings),
            arguments: function
                .params
                .iter()
                .enumerate()
                .filter(|(_, param)| !param.is_empty())
                .map(|(i, param)| (param.as_str(), args.get(i)))
                .collect(),
        }
    }

    /// The same script's folder outside any function.
    fn outside(&self) -> Folder<'c> {
        Folder {
            bindings: Rc::clone(&self.bindings),
            arguments: HashMap::new(),
        }
    }

    /// The page URL's query values.
    pub fn params(&self) -> &HashMap<String, String> {
        self.bindings.params
    }

    /// The query key the variable `name` is read from, if it is.
    pub fn query_key(&self, name: &str) -> Option<&str> {
        self.bindings.query_vars.get(name).copied()
    }

    /// Whether anything is assigned to `name`, or it is a parameter bound
    /// to an argument.
    pub fn is_assigned(&self, name: &str) -> bool {
        match self.arguments.get(name) {
            Some(arg) => arg.is_some(),
            None => self.value_of(name).is_some(),
        }
    }

    /// The last number assigned to `name` (`var countPage = 5`).
    pub fn last_number(&self, name: &str) -> Option<u64> {
        self.bindings.numbers.get(name)?.last().copied()
    }

    /// What `expr` comes to, with adjacent text joined; `None` when a part
    /// is neither text nor a value read at run time (a computation).
    pub fn pieces(&self, expr: &Expr) -> Option<Vec<Piece>> {
        let mut pieces = Vec::new();
        self.push(expr, 0, &mut pieces)?;
        Some(joined(pieces))
    }

    /// What `expr` comes to when every part of it is known.
    pub fn text(&self, expr: &Expr) -> Option<String> {
        self.text_at(expr, 0)
    }

    /// The object literal `expr` is or a variable holds.
    pub fn object(&self, expr: &'c Expr) -> Option<&'c Expr> {
        let mut expr = expr;
        for _ in 0..=MAX_INDIRECTION {
            match expr {
                Expr::Object(_) => return Some(expr),
                Expr::Path(name) => match self.arguments.get(name.as_str()) {
                    Some(arg) => return self.outside().object((*arg)?),
                    None => expr = self.value_of(name)?,
                },
                _ => return None,
            }
        }
        None
    }

    fn text_at(&self, expr: &Expr, depth: usize) -> Option<String> {
        let mut pieces = Vec::new();
        self.push(expr, depth, &mut pieces)?;
        pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(text) => Some(text),
                Piece::Hole(_) => None,
            })
            .collect()
    }

    /// Adds what `expr` comes to to `out`.
    fn push(&self, expr: &Expr, depth: usize, out: &mut Vec<Piece>) -> Option<()> {
        self.spend(1)?;
        match expr {
            Expr::Str(text) | Expr::Num(text) => self.push_text(text, out),
            Expr::Bool(value) => self.push_text(&value.to_string(), out),
            Expr::Concat(parts) => match self.sum(parts, depth) {
                Some(sum) => self.push_text(&sum, out),
                None => parts.iter().try_for_each(|p| self.push(p, depth, out)),
            },
            Expr::Path(name) => self.push_variable(name, depth, out),
            Expr::Call(callee, args) => {
                if let Some(key) = getter_key(callee, args) {
                    return match self.params().get(key) {
                        Some(value) => self.push_text(value, out),
                        None => {
                            out.push(Piece::Hole(Hole {
                                name: key.to_string(),
                                default: None,
                            }));
                            Some(())
                        }
                    };
                }
                let encoder = callee.path().is_some_and(|p| ENCODERS.contains(&p));
                match args.as_slice() {
                    [arg] if encoder => self.push(arg, depth, out),
                    _ => None,
                }
            }
            Expr::Or(left, right) => {
                let mut left_pieces = Vec::new();
                let known = self.push(left, depth, &mut left_pieces).is_some();
                if known && !left_pieces.iter().any(|p| matches!(p, Piece::Hole(_))) {
                    out.extend(left_pieces);
                    return Some(());
                }
                // `getParam('tab') || 'gfxwj'`, `location.hash.slice(1) ||
                // '2655'`: a value of the page's, and its default.
                let name = match left_pieces.as_slice() {
                    [Piece::Hole(hole)] if known => hole.name.clone(),
                    _ => String::new(),
                };
                let default = self.text_at(right, depth)?;
                out.push(Piece::Hole(Hole {
                    name,
                    default: Some(default),
                }));
                Some(())
            }
            _ => None,
        }
    }

    /// `page + 1` when every part is a number literal or a variable
    /// assigned one: JavaScript adds them.
    fn sum(&self, parts: &[Expr], depth: usize) -> Option<String> {
        let mut sum = 0.0;
        for part in parts {
            let number = match part {
                Expr::Num(n) => n,
                Expr::Path(name) if depth < MAX_INDIRECTION => match self.value_of(name)? {
                    Expr::Num(n) if !self.arguments.contains_key(name.as_str()) => n,
                    _ => return None,
                },
                _ => return None,
            };
            sum += number.parse::<f64>().ok()?;
        }
        Some(super::collect::number_text(sum))
    }

    /// The value of a variable: the page's own query value it reads, what
    /// it is assigned, or a hole.
    fn push_variable(&self, name: &str, depth: usize, out: &mut Vec<Piece>) -> Option<()> {
        match self.arguments.get(name) {
            Some(Some(arg)) => return self.outside().push(arg, depth + 1, out),
            Some(None) => {
                out.push(Piece::Hole(Hole {
                    name: name.to_string(),
                    default: None,
                }));
                return Some(());
            }
            None => {}
        }
        let key = self.query_key(name);
        if let Some(value) = key.and_then(|k| self.params().get(k)) {
            return self.push_text(value, out);
        }
        if depth < MAX_INDIRECTION {
            if let Some(value) = self.value_of(name) {
                let mut pieces = Vec::new();
                if self.push(value, depth + 1, &mut pieces).is_some() {
                    // A default's hole is named after the variable.
                    for piece in &mut pieces {
                        if let Piece::Hole(hole) = piece {
                            if hole.name.is_empty() {
                                hole.name = key.unwrap_or(name).to_string();
                            }
                        }
                    }
                    out.extend(pieces);
                    return Some(());
                }
            }
        }
        self.spend(name.len())?;
        out.push(Piece::Hole(Hole {
            name: key.unwrap_or(name).to_string(),
            default: None,
        }));
        Some(())
    }

    /// The first value assigned to a path, or the field of an object
    /// literal assigned to a shorter one (`CONFIG.api` of `var CONFIG =
    /// {api: '/list.json'}`).
    fn value_of(&self, name: &str) -> Option<&'c Expr> {
        let first = &self.bindings.first;
        if let Some(value) = first.get(name) {
            return Some(value);
        }
        let mut split = name.len();
        while let Some(dot) = name[..split].rfind('.') {
            split = dot;
            if let Some(object) = first.get(&name[..dot]) {
                let mut value = *object;
                for field in name[dot + 1..].split('.') {
                    value = value.field(field)?;
                }
                return Some(value);
            }
        }
        None
    }

    fn push_text(&self, text: &str, out: &mut Vec<Piece>) -> Option<()> {
        self.spend(text.len())?;
        out.push(Piece::Text(text.to_string()));
        Some(())
    }

    fn spend(&self, cost: usize) -> Option<()> {
        let budget = &self.bindings.budget;
        budget.set(budget.get().checked_sub(cost)?);
        Some(())
    }
}

/// Adjacent text pieces joined.
fn joined(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
            (_, piece) => out.push(piece),
        }
    }
    out
}

/// The query key a getter call reads (`getQueryString('tab')` → `tab`).
fn query_key(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Call(callee, args) => getter_key(callee, args),
        _ => None,
    }
}

fn getter_key<'e>(callee: &Expr, args: &'e [Expr]) -> Option<&'e str> {
    let [Expr::Str(key)] = args else {
        return None;
    };
    let path = callee.path()?;
    let mut names = path.rsplit('.');
    let last = names.next()?;
    let getter = QUERY_GETTERS.contains(&last)
        || (last == "get"
            && names.next().is_some_and(|object| {
                QUERY_OBJECTS.contains(&object)
                    || object.ends_with("Params")
                    || object.ends_with("params")
            }));
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
    (getter && plain).then_some(key.as_str())
}

/// Request parameters that select a page of a list; when their value is
/// computed, the first page is what a visitor sees.
pub(in crate::page::lists) fn is_page_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "page",
        "pageno",
        "pagenum",
        "pagenumber",
        "pageindex",
        "curpage",
        "currentpage",
        "current",
        "nowpage",
        "cpage",
        "pn",
        "p",
    ]
    .contains(&key.as_str())
}

/// Whether a value known only at run time is a page number, the first
/// page being what a visitor sees: a page counter (`loadPage(n)`), or the
/// value of a page key (`'&pageNo=' + p`) in the text `before` it.
pub(in crate::page::lists) fn is_page_counter(hole: &Hole, before: &str) -> bool {
    let key = before
        .strip_suffix('=')
        .and_then(|head| head.rsplit(['?', '&']).next())
        .unwrap_or_default();
    hole.name == "n" || is_page_key(&hole.name) || is_page_key(key)
}
