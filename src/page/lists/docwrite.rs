//! List rows a page prints with `document.write`.
//!
//! TRS templates often print each list row from an inline script so the
//! title can be cut to fit: `var title = "…"; var href = "./202301/t…html";
//! document.write('<a href="' + href + '">' + title + '</a>');`. A browser
//! shows the row where the script stands, beside its date; the crawler
//! replaces such a script with what it writes, when every piece of that is
//! a string literal or a variable holding one. Anything computed (a
//! `substr`, a function's argument) leaves the script as it is.

use super::js::{split_top, string_literal, without_comments, IDENT};
use regex::{Captures, Regex};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

static INLINE_SCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)<script\b([^>]*)>(.*?)</script\s*>"#).unwrap());
static WRITE_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bdocument\s*\.\s*write(?:ln)?\s*\(").unwrap());
static BRANCH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bif\s*\(").unwrap());
/// How deep a variable may refer to another.
const MAX_INDIRECTION: usize = 4;
/// What one script may write: a row prints its literals a few times over
/// (the title in `title=` and as text), well within this many bytes per
/// byte of script, plus a floor for short scripts.
const WRITE_BUDGET_PER_BYTE: usize = 8;
const WRITE_BUDGET_BASE: usize = 4096;

/// The page with every resolvable `document.write` script replaced by its
/// output; unchanged when there is none.
pub(crate) fn expand(html: &str) -> Cow<'_, str> {
    if !html.contains("document.write") {
        return Cow::Borrowed(html);
    }
    INLINE_SCRIPT.replace_all(html, |c: &Captures| {
        let attributes = c[1].to_ascii_lowercase();
        let whole = c[0].to_string();
        if attributes.contains("src") || !c[2].contains("document") {
            return whole;
        }
        written(&c[2]).unwrap_or(whole)
    })
}

/// What the script writes, if every write can be worked out. When some
/// writes cannot (the `if` branch that cuts a long title), the ones that
/// can stand for them: they print the same row.
fn written(script: &str) -> Option<String> {
    let code = without_comments(script);
    if code.contains("function") {
        return None; // a writer defined for later calls (a pager)
    }
    let mut writer = Writer::new(&code);
    let mut outputs = Vec::new();
    for call in WRITE_CALL.find_iter(&code) {
        let args = super::js::enclosed(&code, call.end() - 1)?;
        if let Some(text) = writer.evaluate(args, 0) {
            outputs.push(text);
        }
    }
    let first = outputs.first()?.clone();
    let branches = BRANCH.is_match(&code);
    Some(if branches { first } else { outputs.concat() })
}

/// Evaluates the writes of one script. Variables are looked up once per
/// depth, and everything written counts against a budget: `var b = a+a+a;
/// var c = b+b+b; …` doubles its output with every line, and a few hundred
/// bytes of it would otherwise print gigabytes.
struct Writer<'a> {
    code: &'a str,
    /// Value of a variable at a depth of indirection, once worked out.
    values: HashMap<(&'a str, usize), Option<String>>,
    /// Bytes the script may still produce, intermediate values included.
    budget: usize,
}

impl<'a> Writer<'a> {
    fn new(code: &'a str) -> Self {
        Writer {
            code,
            values: HashMap::new(),
            budget: WRITE_BUDGET_PER_BYTE * code.len() + WRITE_BUDGET_BASE,
        }
    }

    /// A `+` concatenation of string literals and variables holding them.
    fn evaluate(&mut self, expr: &'a str, depth: usize) -> Option<String> {
        if depth > MAX_INDIRECTION {
            return None;
        }
        let mut out = String::new();
        for term in split_top(expr.trim(), b'+') {
            let text = if let Some(text) = string_literal(term) {
                unescape(&text)
            } else if IDENT.is_match(term) && !term.contains('.') {
                self.variable(term, depth + 1)?
            } else {
                return None;
            };
            self.budget = self.budget.checked_sub(text.len())?;
            out.push_str(&text);
        }
        Some(out)
    }

    /// The value of `name` at `depth`.
    fn variable(&mut self, name: &'a str, depth: usize) -> Option<String> {
        if let Some(value) = self.values.get(&(name, depth)) {
            return value.clone();
        }
        let value = first_assignment(self.code, name).and_then(|expr| self.evaluate(expr, depth));
        self.values.insert((name, depth), value.clone());
        value
    }
}

/// The expression first assigned to `name` (`var name = …;`), as written.
fn first_assignment<'a>(code: &'a str, name: &str) -> Option<&'a str> {
    let pattern = Regex::new(&format!(
        r"(?:^|[^\w$.]){}\s*=\s*([^;\n]+)",
        regex::escape(name)
    ))
    .ok()?;
    let found = pattern.captures(code)?.get(1)?;
    Some(found.as_str().trim())
}

/// `\"`, `\'` and `\/` as a browser reads them inside a literal.
fn unescape(text: &str) -> String {
    text.replace("\\\"", "\"")
        .replace("\\'", "'")
        .replace("\\/", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trs_rows_are_printed_in_place() {
        let page = r#"<ul><li><script>
var title = "北安市2022年政府信息公开工作年度报告";
var href = "./202301/t20230128_12345.html";
var shown = title;
if (title.length > 26) { document.write('<a href="' + href + '" title="' + title + '">' + title.substr(0, 26) + '...</a>'); }
else { document.write('<a href="' + href + '" title="' + title + '">' + shown + '</a>'); }
</script><span>2023-01-28</span></li></ul>"#;
        let out = expand(page);
        assert_eq!(
            out,
            r#"<ul><li><a href="./202301/t20230128_12345.html" title="北安市2022年政府信息公开工作年度报告">北安市2022年政府信息公开工作年度报告</a><span>2023-01-28</span></li></ul>"#
        );
    }

    #[test]
    fn computed_writes_and_writer_functions_stay() {
        let pager = r#"<script>function createPageHTML(n, c, p, s) { document.write("<a href=\"" + p + "_1." + s + "\">下一页</a>"); }</script>"#;
        assert_eq!(expand(pager), pager);
        let computed =
            r#"<script>document.write('<a href="' + location.href + '">x</a>');</script>"#;
        assert_eq!(expand(computed), computed);
        let plain = "<p>no scripts</p>";
        assert!(matches!(expand(plain), Cow::Borrowed(_)));
        let external = r#"<script src="/js/write.js">document.write("x")</script>"#;
        assert_eq!(expand(external), external);
    }

    #[test]
    fn a_script_that_doubles_its_output_is_left_as_it_is() {
        // Seen while writing the script_readers fuzz target: each line
        // writes the last one twenty times, 160,000 copies of a row from
        // 274 bytes, and a regex compiled for every term on the way.
        let terms = |v: &str| vec![v; 20].join("+");
        let script = format!(
            "var b='<a href=\"/x\">x</a>';\nvar c={};\nvar d={};\nvar e={};\nvar f={};\ndocument.write({});",
            terms("b"),
            terms("c"),
            terms("d"),
            terms("e"),
            terms("f")
        );
        let page = format!("<ul><li><script>{script}</script></li></ul>");
        let started = std::time::Instant::now();
        assert_eq!(expand(&page), page);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // A row that writes its variables a few times still comes out.
        let row = "<script>var t='年度报告'; var h='./a.html'; document.write('<a href=\"'+h+'\" title=\"'+t+'\">'+t+'</a>');</script>";
        assert_eq!(expand(row), "<a href=\"./a.html\" title=\"年度报告\">年度报告</a>");
    }
}
