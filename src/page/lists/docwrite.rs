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
use std::sync::LazyLock;

static INLINE_SCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)<script\b([^>]*)>(.*?)</script\s*>"#).unwrap());
static WRITE_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bdocument\s*\.\s*write(?:ln)?\s*\(").unwrap());
static BRANCH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bif\s*\(").unwrap());
/// How deep a variable may refer to another.
const MAX_INDIRECTION: usize = 4;

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
    let mut outputs = Vec::new();
    for call in WRITE_CALL.find_iter(&code) {
        let args = super::js::enclosed(&code, call.end() - 1)?;
        if let Some(text) = evaluate(&code, args, 0) {
            outputs.push(text);
        }
    }
    let first = outputs.first()?.clone();
    let branches = BRANCH.is_match(&code);
    Some(if branches { first } else { outputs.concat() })
}

/// A `+` concatenation of string literals and variables holding them.
fn evaluate(code: &str, expr: &str, depth: usize) -> Option<String> {
    if depth > MAX_INDIRECTION {
        return None;
    }
    let mut out = String::new();
    for term in split_top(expr.trim(), b'+') {
        if let Some(text) = string_literal(term) {
            out.push_str(&unescape(&text));
        } else if IDENT.is_match(term) && !term.contains('.') {
            out.push_str(&evaluate(code, first_assignment(code, term)?, depth + 1)?);
        } else {
            return None;
        }
    }
    Some(out)
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
}
