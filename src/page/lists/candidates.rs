//! The addresses a concatenation may come to when a value in it is known
//! only at run time.
//!
//! `"/gkmlpt/api/all/" + cid + ".json"` on a tree page whose links carry
//! the ids 2655 and 2656, or `'/bas/zfxxgk/' + tab + '/list.json'` on
//! `…?tab=gfxwj`: the page's query values and first pages fill what they
//! can, and one value left open is filled with each id the page offers.
//! The request reader (`ajax`) and the endpoint reader both ask here.

use super::js::fold::{is_page_counter, Hole, Piece};
use super::script::Script;
use std::collections::HashMap;

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

/// The addresses a concatenation with values known only at run time may
/// come to, each with the name of the category it lists: its values
/// filled with the page's query values and first pages, and one value
/// left open filled with each id the page offers (or the script's default
/// when it offers none). Nothing when more than one value is left open or
/// the open one is not a path segment.
pub(super) fn filled_in(pieces: &[Piece], script: &Script) -> Vec<(String, String)> {
    let ids = script.ids();
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

/// Whether a string looks like the address of a page or a list's data,
/// not of an image, a style sheet or a script.
pub(super) fn looks_like_endpoint(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    s.len() >= 3
        && !s.contains(['<', '>', ' ', '{', '}'])
        && !ASSET_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && DATA_HINTS.iter().any(|h| lower.contains(h))
}
