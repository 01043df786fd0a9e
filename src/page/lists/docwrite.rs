//! List rows a page prints with `document.write`.
//!
//! TRS templates often print each list row from an inline script so the
//! title can be cut to fit: `var title = "…"; var href = "./202301/t…html";
//! document.write('<a href="' + href + '">' + title + '</a>');`. A browser
//! shows the row where the script stands, beside its date; the crawler
//! replaces such a script with what it writes, when every piece of that is
//! a string literal or a variable holding one. Anything computed (a
//! `substr`, a function's argument) leaves the script as it is.

use super::js::fold::Folder;
use super::js::{self, Code};
use regex::{Captures, Regex};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

static INLINE_SCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)<script\b([^>]*)>(.*?)</script\s*>"#).unwrap());

/// The page with every resolvable `document.write` script replaced by its
/// output; unchanged when there is none.
pub(crate) fn expand(html: &str) -> Cow<'_, str> {
    if !html.contains("document.write") {
        return Cow::Borrowed(html);
    }
    let writes =
        |c: &Captures| !c[1].to_ascii_lowercase().contains("src") && c[2].contains("document");
    let scripts: Vec<&str> = INLINE_SCRIPT
        .captures_iter(html)
        .filter(|c| writes(c))
        .filter_map(|c| c.get(2).map(|m| m.as_str()))
        .collect();
    let mut codes = js::read_all(&scripts).into_iter();
    INLINE_SCRIPT.replace_all(html, |c: &Captures| {
        let whole = c[0].to_string();
        if !writes(c) {
            return whole;
        }
        codes
            .next()
            .and_then(|code| written(&code))
            .unwrap_or(whole)
    })
}

/// What the script writes, if every write can be worked out. When some
/// writes cannot (the `if` branch that cuts a long title), the ones that
/// can stand for them: they print the same row. The folder's budget keeps
/// a script that doubles its text line by line from printing gigabytes.
fn written(code: &Code) -> Option<String> {
    if code.unreadable.is_some() || !code.functions.is_empty() {
        return None; // a writer defined for later calls (a pager)
    }
    let no_query = HashMap::new();
    let folder = Folder::new(code, &no_query);
    let outputs: Vec<String> = code
        .calls
        .iter()
        .filter(|call| {
            matches!(
                call.callee.path(),
                Some("document.write" | "document.writeln")
            )
        })
        .filter_map(|call| folder.text(call.args.first()?))
        .collect();
    let first = outputs.first()?.clone();
    Some(if code.branches > 0 {
        first
    } else {
        outputs.concat()
    })
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
