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
/// A character that makes a name part of a longer name or a property.
static NAME_CHAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\w$.]").unwrap());
/// `= value` after a name, up to the end of the statement or line.
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*=\s*([^;\n]+)").unwrap());
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

/// The expression first assigned to `name` (`var name = …;`), as written:
/// the first `name` not part of a longer name or a property, followed by
/// `=`. Searched as text, not with a regex built for the name: compiling
/// one per variable cost a millisecond each, most of a row-by-row list
/// page's parse.
fn first_assignment<'a>(code: &'a str, name: &str) -> Option<&'a str> {
    code.match_indices(name).find_map(|(at, _)| {
        let mut before = [0; 4];
        let standalone = code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !NAME_CHAR.is_match(c.encode_utf8(&mut before)));
        let assigned = ASSIGNED.captures(&code[at + name.len()..])?.get(1)?;
        standalone.then(|| assigned.as_str().trim())
    })
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
        assert_eq!(
            expand(row),
            "<a href=\"./a.html\" title=\"年度报告\">年度报告</a>"
        );
    }

    #[test]
    fn assignments_are_found_as_the_old_per_name_regex_found_them() {
        let code = "var ab = 1; xab = 2; o.a = 3; $a = 4;\nvar a=  '5' ;a = 6\nvar c == 7";
        let old = |name: &str| {
            let pattern = format!(r"(?:^|[^\w$.]){}\s*=\s*([^;\n]+)", regex::escape(name));
            Regex::new(&pattern)
                .unwrap()
                .captures(code)
                .map(|c| c[1].trim().to_string())
        };
        for name in ["a", "ab", "xab", "$a", "c", "b", "var"] {
            assert_eq!(
                first_assignment(code, name).map(str::to_string),
                old(name),
                "{name}"
            );
        }
        assert_eq!(first_assignment("a=1", "a"), Some("1"));
        assert_eq!(first_assignment("（a=1", "a"), Some("1"));
        assert_eq!(
            first_assignment("中a=1", "a"),
            None,
            "CJK is a word character"
        );
        assert_eq!(first_assignment("_a=1", "a"), None);
    }

    #[test]
    fn a_long_list_of_written_rows_costs_no_regex_per_row() {
        // The parse_page fuzz target's slow units (0.4 s for a 5 KB list
        // page of 17 rows, in its instrumented build) were a regex compiled
        // for every variable of every row.
        let rows: String = (0..20_000)
            .map(|i| format!("<li><script>var t{i} = '第{i}条'; document.write('<a href=\"./{i}.html\">' + t{i} + '</a>');</script></li>"))
            .collect();
        let started = std::time::Instant::now();
        let out = expand(&rows);
        assert!(out.contains("<li><a href=\"./19999.html\">第19999条</a></li>"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
