//! List scripts, parsed.
//!
//! County list scripts keep what the crawler needs in their code: request
//! URLs, `data` objects, pager settings, the addresses navigation
//! functions build. Each inline script is parsed once with `oxc_parser`
//! (a maintained JavaScript parser, so comments, regular expressions,
//! template literals and nesting are read as a browser reads them) and
//! boiled down to the facts the list readers ask about, as plain owned
//! values ([`Code`]): every call with its arguments, every assignment,
//! every string expression, the first navigation of every function.
//! [`fold`] then works out the constant ones (`var base = '/x/'; base +
//! 'list.json'`) without running any JavaScript.
//!
//! A parser recurses as deep as the code nests, and a county page's bytes
//! are untrusted: a script is parsed on a thread whose stack is sized for
//! its length, scripts past [`MAX_SCRIPT_BYTES`] are not parsed at all,
//! and the facts keep expressions only [`collect::MAX_DEPTH`] deep, so
//! nothing after the parse recurses further.

mod collect;
pub(super) mod fold;

use std::ops::Range;

/// Scripts longer than this are not parsed: a list script is a few
/// kilobytes; this is an inlined library.
pub(super) const MAX_SCRIPT_BYTES: usize = 128 * 1024;
/// Stack a parse may need per byte of script. Measured: 5,242 nested
/// parentheses (10 KB) fill 8 MiB in a release build, about 800 bytes of
/// stack per byte of script; nested objects and arrow functions less.
const STACK_PER_BYTE: usize = 2 * 1024;
/// Stack for the rest of the reading.
const STACK_BASE: usize = 512 * 1024;
/// Scripts this short are parsed on the caller's thread: their worst
/// nesting needs a fraction of any thread's stack.
const SHORT_SCRIPT_BYTES: usize = 256;

/// A JavaScript expression as far as the list readers follow it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    /// A string literal, or a template literal with nothing substituted.
    Str(String),
    /// A number literal as JavaScript prints it (`15`, `1.5`).
    Num(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An identifier or a dotted path of them (`SITE.channels.zdjc`).
    Path(String),
    /// A property of what is not a path (`$('#list').jpage`).
    Member(Box<Expr>, String),
    /// `a + b + c`, and template literals with substitutions, in order; a
    /// sum when every part is a number.
    Concat(Vec<Expr>),
    /// `a || b` (and `a ?? b`).
    Or(Box<Expr>, Box<Expr>),
    /// A call: callee and arguments.
    Call(Box<Expr>, Vec<Expr>),
    /// An object literal's `key: value` fields, keys as written unquoted.
    Object(Vec<(String, Expr)>),
    /// Anything else, by (the start of) its source text.
    Other(String),
}

impl Expr {
    /// The dotted path this is, if it is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Expr::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The last name of a path or member (`ajax` of `$.ajax`).
    pub fn last_name(&self) -> Option<&str> {
        match self {
            Expr::Path(path) => path.rsplit('.').next(),
            Expr::Member(_, name) => Some(name),
            _ => None,
        }
    }

    /// The field `key` of an object literal.
    pub fn field(&self, key: &str) -> Option<&Expr> {
        match self {
            Expr::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string, number or boolean literal as text.
    pub fn scalar(&self) -> Option<String> {
        match self {
            Expr::Str(text) | Expr::Num(text) => Some(text.clone()),
            Expr::Bool(value) => Some(value.to_string()),
            _ => None,
        }
    }

    /// The expression written out again, shortened, for a person.
    pub fn describe(&self) -> String {
        let text = self.written();
        if text.chars().count() > 60 {
            text.chars().take(57).chain("...".chars()).collect()
        } else {
            text
        }
    }

    fn written(&self) -> String {
        match self {
            Expr::Str(text) => format!("'{text}'"),
            Expr::Num(text) | Expr::Path(text) | Expr::Other(text) => text.clone(),
            Expr::Bool(value) => value.to_string(),
            Expr::Null => "null".into(),
            Expr::Member(object, name) => format!("{}.{name}", object.written()),
            Expr::Concat(parts) => parts
                .iter()
                .map(Expr::written)
                .collect::<Vec<_>>()
                .join(" + "),
            Expr::Or(left, right) => format!("{} || {}", left.written(), right.written()),
            Expr::Call(callee, args) => format!(
                "{}({})",
                callee.written(),
                args.iter()
                    .map(Expr::written)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expr::Object(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.written()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A call in a script.
#[derive(Debug, Clone)]
pub(super) struct Call {
    /// Where the call stands in the script, in bytes.
    pub span: Range<usize>,
    pub callee: Expr,
    pub args: Vec<Expr>,
    /// The function it stands in, innermost, as an index of
    /// [`Code::functions`].
    pub within: Option<usize>,
}

/// A function the script defines.
#[derive(Debug, Clone, Default)]
pub(super) struct Function {
    /// Its name (`goColumn`, the last name of `nav.openArt`), or empty.
    pub name: String,
    /// Its parameters' names; a destructured one is an empty name.
    pub params: Vec<String>,
}

/// `target = value`, and `var target = value`.
#[derive(Debug, Clone)]
pub(super) struct Assignment {
    /// A path (`tab`, `params.page`) or a member (`$('#f')[0].src`).
    pub target: Expr,
    pub value: Expr,
}

/// A function that sends the browser somewhere (`location.href = …`,
/// `window.open(…)`), with the address of its first such statement.
#[derive(Debug, Clone)]
pub(super) struct Navigation {
    /// The function, as an index of [`Code::functions`].
    pub function: usize,
    pub address: Expr,
}

/// What one script holds, as the list readers ask for it.
#[derive(Debug, Default)]
pub(super) struct Code {
    /// Every call, outer before inner, in source order.
    pub calls: Vec<Call>,
    /// Every assignment and initialised declaration, in source order.
    pub assignments: Vec<Assignment>,
    /// Every string literal or concatenation that is not part of a
    /// larger one, in source order.
    pub strings: Vec<Expr>,
    /// Every object literal, in source order.
    pub objects: Vec<Expr>,
    /// The string literals after `||`: defaults (`getParam('id') || '2655'`).
    pub defaults: Vec<String>,
    /// Functions that navigate.
    pub navigations: Vec<Navigation>,
    /// Every address the script sends the browser to by changing its
    /// `location` (assigned, `assign`ed or `replace`d), in or out of a
    /// function, in source order.
    pub location_changes: Vec<Expr>,
    /// The functions the script defines, in source order.
    pub functions: Vec<Function>,
    /// How many `if` statements and conditional expressions it has.
    pub branches: usize,
    /// Why the script could not be read, when it could not.
    pub unreadable: Option<String>,
    /// The script's length.
    pub bytes: usize,
}

impl Code {
    /// The function a call stands in.
    pub fn function_of(&self, call: &Call) -> Option<&Function> {
        self.functions.get(call.within?)
    }

    /// The calls whose callee's last name is `name`.
    pub fn calls_named<'c>(&'c self, name: &'c str) -> impl Iterator<Item = &'c Call> + 'c {
        self.calls
            .iter()
            .filter(move |c| c.callee.last_name() == Some(name))
    }
}

/// The facts of one script.
pub(super) fn read(script: &str) -> Code {
    read_all(&[script]).pop().unwrap_or_default()
}

/// The facts of each script, in order, parsed on a stack sized for the
/// longest.
pub(super) fn read_all(scripts: &[&str]) -> Vec<Code> {
    let longest = scripts
        .iter()
        .map(|s| s.len())
        .filter(|&n| n <= MAX_SCRIPT_BYTES)
        .max()
        .unwrap_or(0);
    let parse_each = || scripts.iter().map(|s| parse(s)).collect::<Vec<_>>();
    if longest <= SHORT_SCRIPT_BYTES {
        return parse_each();
    }
    let stack = STACK_BASE + STACK_PER_BYTE * longest;
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("script-parse".into())
            .stack_size(stack)
            .spawn_scoped(scope, parse_each)
            .ok()
            .and_then(|thread| thread.join().ok())
    })
    .unwrap_or_else(|| {
        scripts
            .iter()
            .map(|_| Code {
                unreadable: Some("no thread could be started to parse it".into()),
                ..Code::default()
            })
            .collect()
    })
}

/// Parses one script; on the thread [`read_all`] chose.
fn parse(script: &str) -> Code {
    if script.len() > MAX_SCRIPT_BYTES {
        return Code {
            unreadable: Some(format!(
                "a script of {} KiB is longer than a list script",
                script.len() / 1024
            )),
            ..Code::default()
        };
    }
    collect::collect(script)
}

#[cfg(test)]
mod tests;
