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
use super::candidates::{filled_in, looks_like_endpoint};
use super::js::fold::Piece;
use super::js::Expr;
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use std::collections::HashSet;
use url::Url;

/// The endpoints the script names or builds, as script links named by the
/// category they list (empty when nothing names it).
pub(super) fn read(script: &Script, found: &mut Found) {
    for (url, name) in endpoints(script, &found.with_data) {
        found.link(url, LinkOrigin::Script, name);
    }
}

/// Same-site URLs the script would request: URL-like string literals and
/// concatenations that come to one, and concatenations with one value
/// known only at run time, filled with one of the page's query values or,
/// failing that, with each id the page offers.
fn endpoints(script: &Script, with_data: &HashSet<String>) -> Vec<(Url, String)> {
    let page_url = script.page_url;
    let mut urls = Vec::new();
    let mut concatenations = Vec::new();
    for string in &script.code.strings {
        match string {
            Expr::Str(literal) => {
                if is_rooted(literal)
                    && looks_like_endpoint(literal)
                    && !with_data.contains(literal)
                {
                    urls.extend(same_site(page_url, literal).map(|u| (u, String::new())));
                }
            }
            concatenation => concatenations.push(concatenation),
        }
    }
    for concatenation in concatenations {
        let Some(pieces) = script.folder.pieces(concatenation) else {
            continue;
        };
        if let [Piece::Text(whole)] = pieces.as_slice() {
            if is_rooted(whole) && looks_like_endpoint(whole) && !with_data.contains(whole) {
                urls.extend(same_site(page_url, whole).map(|u| (u, String::new())));
            }
            continue;
        }
        for (candidate, name) in filled_in(&pieces, script) {
            if !with_data.contains(&candidate) {
                urls.extend(same_site(page_url, &candidate).map(|u| (u, name)));
            }
        }
    }
    urls
}

/// Whether a literal is an address, not a word or a fragment of one.
fn is_rooted(literal: &str) -> bool {
    ["/", "./", "../", "http://", "https://"]
        .iter()
        .any(|p| literal.starts_with(p))
}

/// `raw` resolved against the page, when it stays on the page's site.
fn same_site(page_url: &Url, raw: &str) -> Option<Url> {
    resolve(page_url, raw).filter(|url| same_host(url, page_url))
}
