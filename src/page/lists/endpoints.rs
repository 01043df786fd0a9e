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

use super::ajax::{is_page_counter, same_host};
use super::js::fold::{Hole, Piece};
use super::js::Expr;
use super::script::{Found, Script};
use crate::page::links::resolve;
use crate::types::LinkOrigin;
use std::collections::{HashMap, HashSet};
use url::Url;

/// Keys whose value is a list's id in a script's configuration.
const ID_KEYS: &[&str] = &["id", "cid", "tab", "channelId", "classId"];
/// Keys that name what an id stands for.
const NAME_KEYS: &[&str] = &["name", "title", "text"];
/// At most this many guessed ids per script.
const MAX_ID_EXPANSIONS: usize = 40;

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
/// the script's configuration objects, its defaults and the numbers its
/// calls pass, one entry per id, named when anything names it.
pub(super) fn ids(script: &Script) -> Vec<(String, String)> {
    let code = script.code;
    let mut ids = script.tree_ids.to_vec();
    for object in &code.objects {
        let Expr::Object(fields) = object else {
            continue;
        };
        let value_of = |keys: &[&str]| {
            fields
                .iter()
                .find(|(k, _)| keys.contains(&k.as_str()))
                .and_then(|(_, v)| v.scalar())
        };
        if let Some(id) = value_of(ID_KEYS).filter(|id| is_id(id)) {
            let name = value_of(&["id", "cid"])
                .and(value_of(NAME_KEYS))
                .filter(|n| (1..=30).contains(&n.chars().count()))
                .unwrap_or_default();
            ids.push((id, name));
        }
    }
    let defaults = code.defaults.iter().filter(|d| is_id(d)).cloned();
    // A numeric id passed to a page function: `loadList(2808, 1)`.
    let call_ids = code.calls.iter().filter_map(|call| {
        let id = call.args.first()?.scalar()?;
        let digits = (3..=12).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
        (digits && call.callee.path().is_some()).then_some(id)
    });
    ids.extend(defaults.chain(call_ids).map(|id| (id, String::new())));
    ids.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
    ids.dedup_by(|a, b| a.0 == b.0);
    ids.truncate(MAX_ID_EXPANSIONS);
    ids
}

/// A value that can be an id: a short word of letters, digits, `_`, `-`.
fn is_id(value: &str) -> bool {
    (1..=40).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Same-site URLs the script would request: URL-like string literals and
/// concatenations that come to one, and concatenations with one value
/// known only at run time, filled with one of the page's query values or,
/// failing that, with each id the page offers.
fn endpoints(
    script: &Script,
    ids: &[(String, String)],
    with_data: &HashSet<String>,
) -> Vec<(Url, String)> {
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
        for (candidate, name) in filled_in(&pieces, script, ids) {
            if !with_data.contains(&candidate) {
                urls.extend(same_site(page_url, &candidate).map(|u| (u, name)));
            }
        }
    }
    urls
}

/// The addresses a concatenation with values known only at run time may
/// come to, each with the name of the category it lists: its values
/// filled with the page's query values and first pages, and one value
/// left open filled with each id the page offers (or the script's default
/// when it offers none). Nothing when more than one value is left open or
/// the open one is not a path segment.
pub(super) fn filled_in(
    pieces: &[Piece],
    script: &Script,
    ids: &[(String, String)],
) -> Vec<(String, String)> {
    let Some((head, free, tail)) = filled(pieces, script.folder.params()) else {
        return Vec::new();
    };
    let values: Vec<(&String, &str)> = match free {
        // Every value came from the page's query or is a first page.
        None => vec![(&tail, "")],
        Some(hole) if head.contains('/') => match &hole.default {
            Some(default) if ids.is_empty() => vec![(default, "")],
            _ => ids.iter().map(|(id, name)| (id, name.as_str())).collect(),
        },
        Some(_) => Vec::new(),
    };
    let tail = if free.is_some() { tail.as_str() } else { "" };
    values
        .into_iter()
        .map(|(value, name)| (format!("{head}{value}{tail}"), name.to_string()))
        .filter(|(candidate, _)| {
            !candidate.contains(char::is_whitespace) && looks_like_endpoint(candidate)
        })
        .collect()
}

/// A concatenation's text before and after its one value known only at
/// run time, the page's query values and first pages filled in (with no
/// value left open, all of it is the tail); `None` when more than one
/// value is left open.
fn filled<'p>(
    pieces: &'p [Piece],
    params: &HashMap<String, String>,
) -> Option<(String, Option<&'p Hole>, String)> {
    let (mut head, mut free, mut tail) = (String::new(), None, String::new());
    for piece in pieces {
        let text = match piece {
            Piece::Text(text) => Some(text.clone()),
            Piece::Hole(hole) if free.is_none() && !params.contains_key(&hole.name) => {
                if is_page_counter(hole, &head) {
                    Some("1".to_string())
                } else {
                    free = Some(hole);
                    continue;
                }
            }
            Piece::Hole(hole) => params.get(&hole.name).cloned().or_else(|| {
                let before = if free.is_some() { &tail } else { &head };
                is_page_counter(hole, before).then(|| "1".to_string())
            }),
        };
        match (text, free) {
            (Some(text), None) => head.push_str(&text),
            (Some(text), Some(_)) => tail.push_str(&text),
            (None, _) => return None,
        }
    }
    Some(match free {
        Some(_) => (head, free, tail),
        None => (String::new(), None, head),
    })
}

/// Whether a literal is an address, not a word or a fragment of one.
fn is_rooted(literal: &str) -> bool {
    ["/", "./", "../", "http://", "https://"]
        .iter()
        .any(|p| literal.starts_with(p))
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
