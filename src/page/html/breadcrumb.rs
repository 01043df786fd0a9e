//! The 当前位置 trail: where a page stands in its site.
//!
//! Government templates print a "当前位置：首页 > 政务公开 > 年报" line
//! above the document, as links, as plain text, or both. Its entries tell
//! the audit which column a document belongs to even when the URL says
//! nothing (`c12_345.shtml`).

use crate::page::collapse;
use crate::page::dom::{selector, visible_text, HIDDEN};
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static ANCHOR: LazyLock<Selector> = LazyLock::new(|| selector("a"));
/// 当前位置 labels tried before giving up on a trail.
const MAX_BREADCRUMB_LABELS: usize = 5;

static BREADCRUMB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(当前位置|您的位置|你的位置|所在位置|现在的位置|当前的位置)\s*是?\s*[:：]?")
        .unwrap()
});
/// Characters between the trail's entries.
const BREADCRUMB_SEPARATORS: &[char] = &['>', '»', '/', '＞', '›', '→', '》', '〉'];

/// Entries of the 当前位置 trail, home first, label removed.
pub(super) fn breadcrumb(doc: &Html) -> Vec<String> {
    let labelled = doc.root_element().descendants().filter_map(|node| {
        let text = node.value().as_text()?;
        BREADCRUMB_LABEL.find(text).map(|label| (node, text, label))
    });
    for (node, text, label) in labelled.take(MAX_BREADCRUMB_LABELS) {
        let hidden = node
            .ancestors()
            .filter_map(|a| a.value().as_element().map(|e| e.name()))
            .any(|n| HIDDEN.contains(&n) || n == "a");
        let Some(parent) = node.parent().and_then(ElementRef::wrap).filter(|_| !hidden) else {
            continue;
        };
        let mut container = parent;
        for _ in 0..3 {
            if container.select(&ANCHOR).next().is_some() {
                break;
            }
            match container.parent().and_then(ElementRef::wrap) {
                Some(p) if p.value().name() != "body" => container = p,
                _ => break,
            }
        }
        if container.select(&ANCHOR).next().is_none() {
            container = parent;
        }
        let mut entries = Vec::new();
        push_pieces(&mut entries, &text[label.end()..]);
        let mut started = false;
        for n in container.descendants() {
            if n.id() == node.id() {
                started = true;
                continue;
            }
            if !started {
                continue;
            }
            match n.value() {
                Node::Element(e) if e.name() == "a" => {
                    let t = ElementRef::wrap(n).map(visible_text).unwrap_or_default();
                    if !t.is_empty() {
                        entries.push(t);
                    }
                }
                Node::Text(t) => {
                    let in_anchor_or_hidden = n
                        .ancestors()
                        .take_while(|a| a.id() != container.id())
                        .filter_map(|a| a.value().as_element().map(|e| e.name()))
                        .any(|n| n == "a" || HIDDEN.contains(&n));
                    if !in_anchor_or_hidden {
                        push_pieces(&mut entries, t);
                    }
                }
                _ => {}
            }
            if entries.len() >= 12 {
                break;
            }
        }
        if !entries.is_empty() {
            return entries;
        }
    }
    Vec::new()
}

/// Adds the entries of a piece of trail text.
fn push_pieces(entries: &mut Vec<String>, text: &str) {
    for piece in text.split(BREADCRUMB_SEPARATORS) {
        let piece = collapse(piece);
        if !piece.is_empty() && piece.chars().count() <= 100 {
            entries.push(piece);
        }
    }
}
