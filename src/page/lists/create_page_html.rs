//! TRS pagers: `createPageHTML(count, current, "index", "html")`.
//!
//! TRS lists print their pager from a script, so the pages after the first
//! have no link in the markup. The call says how many pages there are and
//! how their files are named (`index.html`, `index_1.html`, …, in the
//! page's directory); this reader lists them as pager links.

use super::js::fold::Folder;
use super::js::{Code, Expr};
use super::script::{Found, Script};
use crate::types::LinkOrigin;
use url::Url;

/// At most this many pager pages are emitted for one `createPageHTML`.
const MAX_PAGER_PAGES: u64 = 200;
/// At most this many for all the calls of one script (a list page has one
/// or two pagers): thousands of calls must not cost a URL each page.
const MAX_SCRIPT_PAGER_PAGES: usize = 2_000;

/// The pager pages of the script's `createPageHTML` calls, as pager links
/// named by page number.
pub(super) fn read(script: &Script, found: &mut Found) {
    if found.is_full() {
        return;
    }
    for (url, text) in pager_pages(script.code, &script.folder, script.page_url) {
        found.link(url, LinkOrigin::Pager, text);
    }
}

/// Pages of TRS `createPageHTML(...)` pagers, in the page's directory.
fn pager_pages(code: &Code, folder: &Folder, page_url: &Url) -> Vec<(Url, String)> {
    let mut pages = Vec::new();
    for call in code.calls_named("createPageHTML") {
        if pages.len() >= MAX_SCRIPT_PAGER_PAGES {
            break;
        }
        let Some((count, prefix, suffix)) = pager_args(&call.args, folder) else {
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
/// A count held in a variable is the last number it is assigned.
fn pager_args(args: &[Expr], folder: &Folder) -> Option<(u64, String, String)> {
    let number = |arg: &Expr| match arg {
        Expr::Num(n) => n.parse().ok(),
        Expr::Path(name) => folder.last_number(name),
        _ => None,
    };
    let text = |arg: Option<&Expr>, default: &str| match arg {
        Some(Expr::Str(text)) => text.clone(),
        _ => default.to_string(),
    };
    let (count, prefix, suffix) = if let Some(Expr::Object(fields)) = args.first() {
        let mut count = None;
        let (mut prefix, mut suffix) = ("index".to_string(), "html".to_string());
        for (key, value) in fields {
            let key = key.to_ascii_lowercase();
            match key.as_str() {
                k if k.contains("count") || k == "total" => {
                    count = count.or(match value {
                        Expr::Num(n) => n.parse().ok(),
                        _ => None,
                    })
                }
                k if k.contains("prefix") || k.contains("name") => {
                    prefix = text(Some(value), &prefix)
                }
                k if k.contains("suffix") || k.contains("ext") => {
                    suffix = text(Some(value), &suffix)
                }
                _ => {}
            }
        }
        (count?, prefix, suffix)
    } else {
        // A leading string is the pager's div id.
        let args = match args.first() {
            Some(Expr::Str(_)) => &args[1..],
            _ => args,
        };
        (
            number(args.first()?)?,
            text(args.get(2), "index"),
            text(args.get(3), "html"),
        )
    };
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    };
    (safe(&prefix) && safe(&suffix)).then_some((count, prefix, suffix))
}
