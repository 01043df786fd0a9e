//! URLs a list script names or builds: data endpoints in string literals
//! and concatenations.
//!
//! Besides explicit requests (see `ajax`), list scripts keep their data
//! addresses in plain strings (`load("/common/search/query.do?siteCode=bas")`)
//! or build them from the page's query (`'/bas/zfxxgk/' + tab +
//! '/list.json'` on `…?tab=gfxwj`). A gkmlpt-style tree page builds them
//! from ids its tree links carry (`"/gkmlpt/api/all/" + cid + ".json"`).
//! This reader fills such concatenations with the page's query values or,
//! failing that, with the ids the page offers, each named as the tree
//! names its category.

use super::ajax::same_host;
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

static STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\\n]{1,300})"|'([^'\\\n]{1,300})'"#).unwrap());
static CONCAT: LazyLock<Regex> = LazyLock::new(|| {
    let string = r#"(?:"([^"\\\n]*)"|'([^'\\\n]*)')"#;
    let tail = r#"(?:"([^"\\\n]*)"|'([^'\\\n]*)')"#;
    Regex::new(&format!(
        r#"{string}\s*\+\s*([A-Za-z_$][\w$.]*(?:\s*\(\s*["'][\w-]+["']\s*\))?)(?:\s*\+\s*{tail})?"#
    ))
    .unwrap()
});
/// A category in a config object: `{"id": 2804, "name": "权责清单"}`.
static ID_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']?\b(?:id|cid)["']?\s*:\s*["']?([\w-]{1,40})["']?\s*,\s*["']?(?:name|title|text)["']?\s*:\s*["']([^"'\n]{1,30})["']"#)
        .unwrap()
});
/// A numeric id passed to a page function: `loadList(2808, 1)`. The name
/// starts at a word boundary, which [`call_ids`] checks: with the `\b` in
/// the pattern, a script with any Chinese in it took the regex off its
/// fast engine, 25 times slower.
static CALL_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[A-Za-z_$][\w$]*\s*\(\s*["']?(\d{3,12})["']?\s*[,)]"#).unwrap());
/// One Unicode word character, as `\w` and `\b` read them.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\w\z").unwrap());
/// `"id": 2655` in a script's configuration, and `|| "2655"` defaults.
static ID_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:["']?\b(?:id|cid|tab|channelId|classId)["']?\s*:\s*["']?|\|\|\s*["'])([\w-]{1,40})"#,
    )
    .unwrap()
});
/// At most this many guessed ids per script.
const MAX_ID_EXPANSIONS: usize = 40;
/// A query value read inline: `$.getUrlParam("tab")`.
static CALL_ARG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\(\s*["']([\w-]+)["']\s*\)"#).unwrap());

/// Fragments of a URL that serves a page or a list's data.
const DATA_HINTS: &[&str] = &[
    ".json", ".shtml", ".html", ".htm", ".jsp", ".do", ".aspx", ".php", ".action", "list", "data",
    "api", "query", "search",
];
/// Extensions of files that are never a list.
const ASSET_EXTENSIONS: &[&str] = &[
    ".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf",
    ".mp4", ".swf",
];

/// The endpoints the script names or builds, as script links named by the
/// category they list (empty when nothing names it).
pub(super) fn read(script: &Script, found: &mut Found) {
    let ids = ids(script);
    for (url, name) in endpoints(script, &ids, &found.with_data) {
        found.link(url, LinkOrigin::Script, name);
    }
}

/// Ids the script's list may be called with: the page tree's, the ids of
/// the script's configuration objects and calls, one entry per id, named
/// when anything names it.
fn ids(script: &Script) -> Vec<(String, String)> {
    let code = script.code;
    let mut ids = script.tree_ids.to_vec();
    ids.extend(
        ID_NAME
            .captures_iter(code)
            .map(|c| (c[1].to_string(), c[2].to_string())),
    );
    ids.extend(
        ID_VALUE
            .captures_iter(code)
            .map(|c| c[1].to_string())
            .chain(call_ids(code))
            .map(|id| (id, String::new())),
    );
    ids.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
    ids.dedup_by(|a, b| a.0 == b.0);
    ids.truncate(MAX_ID_EXPANSIONS);
    ids
}

/// The ids of [`CALL_ID`]'s matches whose name starts at a Unicode word
/// boundary: the matches of `\b` followed by the pattern, in order.
fn call_ids(code: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut at = 0;
    while let Some(call) = CALL_ID.captures_at(code, at) {
        let Some(whole) = call.get(0) else {
            break;
        };
        if word_boundary(code, whole.start()) {
            ids.push(call[1].to_string());
            at = whole.end();
        } else {
            // Not a match of `\b…` at this start (an ASCII character:
            // one byte); one may start further on.
            at = whole.start() + 1;
        }
    }
    ids
}

/// `\b` at byte `at` of `text`: a word character on one side only.
fn word_boundary(text: &str, at: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])));
    is_word(text[..at].chars().next_back()) != is_word(text[at..].chars().next())
}

/// Same-site URLs the script would request: URL-like string literals, and
/// concatenations whose variable part is one of the page's query values
/// or, failing that, one of the ids the page's tree offers.
fn endpoints(
    script: &Script,
    ids: &[(String, String)],
    with_data: &HashSet<String>,
) -> Vec<(Url, String)> {
    let (code, page_url) = (script.code, script.page_url);
    let mut urls = Vec::new();
    for m in STRING.captures_iter(code) {
        let Some(whole) = m.get(0) else {
            continue;
        };
        let literal = m.get(1).or(m.get(2)).map_or("", |g| g.as_str());
        let before = code[..whole.start()].trim_end();
        let after = code[whole.end()..].trim_start();
        let concatenated = before.ends_with('+') || after.starts_with('+');
        let rooted = ["/", "./", "../", "http://", "https://"]
            .iter()
            .any(|p| literal.starts_with(p));
        if !concatenated && rooted && looks_like_endpoint(literal) && !with_data.contains(literal) {
            urls.extend(same_site(page_url, literal).map(|u| (u, String::new())));
        }
    }
    for c in CONCAT.captures_iter(code) {
        let head = c.get(1).or(c.get(2)).map_or("", |g| g.as_str());
        let tail = c.get(4).or(c.get(5)).map_or("", |g| g.as_str());
        let ident = &c[3];
        let param = match CALL_ARG.captures(ident) {
            Some(call) => call[1].to_string(),
            None => script
                .query_vars
                .get(ident)
                .cloned()
                .unwrap_or_else(|| ident.to_string()),
        };
        let values: Vec<(&String, &str)> = match script.params.get(&param) {
            Some(value) => vec![(value, "")],
            None if head.contains('/') => {
                ids.iter().map(|(id, name)| (id, name.as_str())).collect()
            }
            None => continue,
        };
        for (value, name) in values {
            let candidate = format!("{head}{value}{tail}");
            if !candidate.contains(char::is_whitespace) && looks_like_endpoint(&candidate) {
                urls.extend(same_site(page_url, &candidate).map(|u| (u, name.to_string())));
            }
        }
    }
    urls
}

/// Whether a string looks like the address of a page or a list's data,
/// not of an image, a style sheet or a script.
fn looks_like_endpoint(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    s.len() >= 3
        && !s.contains(['<', '>', ' ', '{', '}'])
        && !ASSET_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && DATA_HINTS.iter().any(|h| lower.contains(h))
}

/// `raw` resolved against the page, when it stays on the page's site.
fn same_site(page_url: &Url, raw: &str) -> Option<Url> {
    resolve(page_url, raw).filter(|url| same_host(url, page_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ids_are_those_of_the_pattern_with_its_word_boundary() {
        let with_boundary =
            Regex::new(&format!(r"\b(?:{})", CALL_ID.as_str())).expect("the pattern compiles");
        let pieces = [
            "f", "$", "_", "中", "：", "1", "(", "2808", "12345", "'", "\"", ",", ")", " ", "a$",
            "x(", "é",
        ];
        // Every sequence of up to five pieces, and a few longer scripts.
        let mut codes = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            codes = codes
                .iter()
                .flat_map(|c| pieces.iter().map(move |p| format!("{c}{p}")))
                .collect();
            all.extend(codes.iter().cloned());
        }
        all.push("中loadList(2808, 1);$go('3001');x.load(\"4002\")".to_string());
        all.push("var a=中f(123);b=：g(456)".to_string());
        for code in &all {
            let expected: Vec<String> = with_boundary
                .captures_iter(code)
                .map(|c| c[1].to_string())
                .collect();
            assert_eq!(call_ids(code), expected, "{code}");
        }
    }
}
