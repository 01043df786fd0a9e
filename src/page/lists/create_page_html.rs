//! TRS pagers: `createPageHTML(count, current, "index", "html")`.
//!
//! TRS lists print their pager from a script, so the pages after the first
//! have no link in the markup. The call says how many pages there are and
//! how their files are named (`index.html`, `index_1.html`, …, in the
//! page's directory); this reader lists them as pager links.

use super::script::{Found, Script};
use crate::types::LinkOrigin;
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// At most this many pager pages are emitted for one `createPageHTML`.
const MAX_PAGER_PAGES: u64 = 200;
/// At most this many for all the calls of one script (a list page has one
/// or two pagers): thousands of calls must not cost a URL each page.
const MAX_SCRIPT_PAGER_PAGES: usize = 2_000;

static PAGER_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(function\s+)?\bcreatePageHTML\s*\(([^()]*)\)").unwrap());
static OBJECT_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']?(\w+)["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|(\d+))"#).unwrap());

/// The pager pages of the script's `createPageHTML` calls, as pager links
/// named by page number.
pub(super) fn read(script: &Script, found: &mut Found) {
    if found.is_full() {
        return;
    }
    for (url, text) in pager_pages(script.code, script.page_url) {
        found.link(url, LinkOrigin::Pager, text);
    }
}

/// Pages of a TRS `createPageHTML(...)` pager, in the page's directory.
fn pager_pages(code: &str, page_url: &Url) -> Vec<(Url, String)> {
    let mut pages = Vec::new();
    for call in PAGER_CALL.captures_iter(code) {
        if pages.len() >= MAX_SCRIPT_PAGER_PAGES {
            break;
        }
        if call.get(1).is_some() {
            continue; // the pager's own definition
        }
        let Some((count, prefix, suffix)) = pager_args(&call[2], code) else {
            continue;
        };
        for i in 0..count.min(MAX_PAGER_PAGES) {
            let name = if i == 0 {
                format!("{prefix}.{suffix}")
            } else {
                format!("{prefix}_{i}.{suffix}")
            };
            if let Ok(url) = page_url.join(&name) {
                pages.push((url, (i + 1).to_string()));
            }
        }
    }
    pages
}

/// Page count, file prefix and suffix of a pager call: the positional forms
/// `(count, current, prefix, suffix[, records])` and `(div, count, current,
/// prefix, suffix, records)`, or an object `{countPage: …, prefix: …}`.
/// Identifiers are looked up as `name = number` in the script.
fn pager_args(args: &str, code: &str) -> Option<(u64, String, String)> {
    let args = args.trim();
    if args.starts_with('{') {
        let mut count = None;
        let (mut prefix, mut suffix) = ("index".to_string(), "html".to_string());
        for f in OBJECT_FIELD.captures_iter(args) {
            let key = f[1].to_ascii_lowercase();
            let text = f.get(2).or(f.get(3)).map(|m| m.as_str().to_string());
            let number = f.get(4).and_then(|m| m.as_str().parse::<u64>().ok());
            match key.as_str() {
                k if k.contains("count") || k == "total" || k == "pagecount" => {
                    count = count.or(number)
                }
                k if k.contains("prefix") || k.contains("name") => prefix = text.unwrap_or(prefix),
                k if k.contains("suffix") || k.contains("ext") => suffix = text.unwrap_or(suffix),
                _ => {}
            }
        }
        return Some((count?, prefix, suffix));
    }
    let parts: Vec<&str> = args.split(',').map(str::trim).collect();
    let is_string = |s: &str| s.len() >= 2 && (s.starts_with('"') || s.starts_with('\''));
    let unquote = |s: &str| s.trim_matches(|c| c == '"' || c == '\'').to_string();
    // A leading string is the pager's div id.
    let parts = if parts.first().is_some_and(|p| is_string(p)) {
        &parts[1..]
    } else {
        &parts[..]
    };
    let count = number_of(parts.first()?, code)?;
    let prefix = parts
        .get(2)
        .filter(|p| is_string(p))
        .map(|p| unquote(p))
        .unwrap_or_else(|| "index".into());
    let suffix = parts
        .get(3)
        .filter(|p| is_string(p))
        .map(|p| unquote(p))
        .unwrap_or_else(|| "html".into());
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    };
    (safe(&prefix) && safe(&suffix)).then_some((count, prefix, suffix))
}

/// A number literal, or the last `ident = number` assignment in the script.
fn number_of(arg: &str, code: &str) -> Option<u64> {
    if let Ok(n) = arg.parse() {
        return Some(n);
    }
    if arg.is_empty()
        || !arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    let assignment =
        Regex::new(&format!(r"(?:^|[^\w$.]){}\s*=\s*(\d+)", regex::escape(arg))).ok()?;
    assignment
        .captures_iter(code)
        .last()
        .and_then(|c| c[1].parse().ok())
}
