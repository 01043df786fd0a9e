//! Reading the parsed DOM: what a visitor sees of an element, and the
//! heading a list stands under.
//!
//! The HTML facts, the links and the list readers all ask the same two
//! questions of the tree: "what text does this element show?" and "under
//! which box title or heading does it stand?". The answers live here, in a
//! leaf that imports no other part of `page`, so those readers can share
//! them without importing each other.

use super::collapse;
use scraper::{ElementRef, Node, Selector};
use std::sync::LazyLock;

/// A CSS selector written in the source: parsing it cannot fail.
pub(super) fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// Scripts written in the page itself: where redirects, navigation
/// functions and list scripts are read.
pub(super) static INLINE_SCRIPTS: LazyLock<Selector> =
    LazyLock::new(|| selector("script:not([src])"));

/// Longest box title, in characters, taken as a section name.
const SECTION_MAX_CHARS: usize = 30;
/// Class-name fragments that mark an element styled as a box title.
const TITLE_CLASS_HINTS: &[&str] = &["title", "tit", "bt", "hd", "head", "lm", "column", "name"];

/// Elements whose text is never shown.
pub(super) const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "select", "option", "iframe",
];
/// Elements that break a line: their text is kept apart from the neighbours'.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "center",
];

/// Visible text under `el`: hidden elements skipped, block boundaries kept
/// as spaces, whitespace collapsed. Iterative, so deep markup cannot
/// exhaust the stack.
pub(super) fn visible_text(el: ElementRef) -> String {
    let mut out = String::new();
    let root = *el;
    let mut next = root.first_child();
    while let Some(node) = next {
        let mut descend = false;
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if BLOCKS.contains(&name) {
                    out.push(' ');
                }
                descend = !HIDDEN.contains(&name);
            }
            _ => {}
        }
        if let Some(child) = node.first_child().filter(|_| descend) {
            next = Some(child);
            continue;
        }
        let mut current = node;
        next = None;
        loop {
            if current
                .value()
                .as_element()
                .is_some_and(|e| BLOCKS.contains(&e.name()))
            {
                out.push(' ');
            }
            if current.id() == root.id() {
                break;
            }
            if let Some(sibling) = current.next_sibling() {
                next = Some(sibling);
                break;
            }
            match current.parent() {
                Some(parent) if parent.id() != root.id() => current = parent,
                _ => break,
            }
        }
    }
    collapse(&out)
}

/// The title of the box or section an element stands in.
pub(super) fn section(el: ElementRef) -> String {
    let mut node = el;
    for _ in 0..6 {
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            break;
        };
        let found = node
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .take(20)
            .find_map(box_title);
        if let Some(title) = found {
            return title;
        }
        node = parent;
    }
    String::new()
}

/// `<p><strong>优化营商环境</strong></p>`: a hand-made site's heading.
fn is_bold_paragraph(el: ElementRef) -> bool {
    if !matches!(el.value().name(), "p" | "div") {
        return false;
    }
    let mut children = el.children().filter_map(ElementRef::wrap);
    match (children.next(), children.next()) {
        (Some(only), None) if matches!(only.value().name(), "strong" | "b") => {
            visible_text(only) == visible_text(el)
        }
        _ => false,
    }
}

fn is_title_class(class: &str) -> bool {
    let class = class.to_ascii_lowercase();
    !class.contains("btn")
        && !class.contains("button")
        && !class.contains("header")
        && TITLE_CLASS_HINTS.iter().any(|h| class.contains(h))
}

/// The short text of a heading or of an element styled as a box title.
fn box_title(el: ElementRef) -> Option<String> {
    let e = el.value();
    let heading = matches!(e.name(), "h1" | "h2" | "h3" | "h4" | "h5") || is_bold_paragraph(el);
    if !heading
        && (matches!(e.name(), "header" | "nav" | "script" | "style")
            || !e.classes().any(is_title_class))
    {
        return None;
    }
    let text = trim_more(&visible_text(el));
    let len = text.chars().count();
    (len > 0 && len < SECTION_MAX_CHARS).then_some(text)
}

/// Drops a trailing 更多 / more / >> from a box title.
fn trim_more(text: &str) -> String {
    let mut t = text.trim();
    loop {
        let before = t;
        for suffix in ["更多", "more", "MORE", "More", ">>", ">", "»", "+", "》"] {
            t = t.strip_suffix(suffix).unwrap_or(t).trim_end();
        }
        if t == before {
            return t.to_string();
        }
    }
}
