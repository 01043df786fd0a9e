//! The page part of an HTML snapshot, written by govcheck itself from the
//! parsed tree with an allow-list, so the snapshot is inert by construction.
//!
//! A deny-list rewriter passes through whatever it does not know: an
//! `<iframe srcdoc>`, an entity-encoded `javascript:` in `formaction`, an
//! SVG `<animate>` that writes an `href`, an `<embed>` of an SVG, a
//! stylesheet on the live site. Here nothing of the captured markup is
//! copied. The body is parsed (the same bounds as `page::parse`: at most
//! [`MAX_PARSED_HTML`] bytes, cut where it nests deeper than
//! [`MAX_NESTING`]), then walked without recursion, and only these come
//! out, each written and escaped by this file under the lists and checks
//! of `allow`:
//!
//! - the elements of [`KEPT`] with the attributes of [`ATTRIBUTES`], a
//!   `style` only when it can load nothing ([`css_is_inert`]);
//! - links (`<a href>`) resolved against the captured URL, kept only when
//!   `http`/`https` (html5ever has already decoded entities, and the URL
//!   parser drops the tabs and spaces that hide a `javascript:`);
//! - text, escaped, with the first occurrence of the match in a `<mark>`;
//! - images as a bracketed note (`[图片: alt]`) linking to the image, since
//!   no remote image may load; only `data:` raster images stay images;
//! - frames as a note with a link to the framed page;
//! - `<style>` text that can load nothing and does not name the banner,
//!   handed back to be written in the head.
//!
//! Elements of [`DROPPED`] go with everything inside them (scripts, frames,
//! plugins, SVG, MathML, forms' controls, metadata); any other element is
//! unwrapped: its children stay, its tag and attributes do not.

use super::allow::{
    css_is_inert, is_data_image, is_ours, link, ATTRIBUTES, DROPPED, HTML_NS, KEPT, VOID,
};
use super::collapse;
use crate::page::{markup_cut_at, MAX_ELEMENTS, MAX_NESTING, MAX_PARSED_HTML};
use crate::types::BodyCut;
use crate::util::{escape, without_controls};
use scraper::{ElementRef, Html, Node};
use url::Url;

/// Why only part of a page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    /// Longer than [`MAX_PARSED_HTML`].
    Length,
    /// Nested deeper than [`MAX_NESTING`].
    Nesting,
    /// More than [`MAX_ELEMENTS`] elements.
    Elements,
}

/// The page's part of a snapshot, every string already safe to write.
pub(super) struct Cleaned {
    /// The page's `<title>`, whitespace collapsed, not yet escaped.
    pub title: String,
    /// The page's `<style>` texts that can load nothing, joined.
    pub styles: String,
    /// The body's content, written by [`Writer`].
    pub body: String,
    /// The match was found and marked in the body.
    pub marked: bool,
    /// The page was cut before parsing.
    pub cut: Option<Cut>,
}

/// The first [`MAX_PARSED_HTML`] bytes of `html` (without a BOM), cut
/// where it nests deeper than [`MAX_NESTING`] or holds more than
/// [`MAX_ELEMENTS`] elements.
fn bounded(html: &str) -> (&str, Option<Cut>) {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let mut end = html.len().min(MAX_PARSED_HTML);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    match markup_cut_at(head.as_bytes(), MAX_NESTING, MAX_ELEMENTS) {
        // The offset is that of a `<`, always a character boundary.
        Some((at, BodyCut::ElementLimit)) if head.is_char_boundary(at) => {
            (&head[..at], Some(Cut::Elements))
        }
        Some((at, _)) if head.is_char_boundary(at) => (&head[..at], Some(Cut::Nesting)),
        _ => (head, (end < html.len()).then_some(Cut::Length)),
    }
}

/// Parse `html` and write its allowed part; links resolve against `base`,
/// the first occurrence of `highlight` (non-empty, trimmed) is marked.
pub(super) fn clean(html: &str, base: &Url, highlight: &str) -> Cleaned {
    let (html, cut) = bounded(html);
    let document = Html::parse_document(html);
    let mut w = Writer {
        base,
        highlight,
        out: String::with_capacity(html.len() / 2),
        styles: String::new(),
        title: None,
        marked: false,
        links_open: 0,
    };
    let root = document.tree.root();
    // The end tags still to write, one per element descended into (`None`
    // for an unwrapped one): the walk's own stack, on the heap.
    let mut closers: Vec<Option<&'static str>> = Vec::new();
    let mut next = root.first_child();
    while let Some(node) = next {
        let descend = match node.value() {
            Node::Text(text) => {
                w.text(text);
                None
            }
            Node::Element(_) => ElementRef::wrap(node).and_then(|el| w.open(el)),
            _ => None,
        };
        if let Some(closer) = descend {
            if let Some(child) = node.first_child() {
                closers.push(closer);
                next = Some(child);
                continue;
            }
            w.close(closer);
        }
        let mut current = node;
        next = None;
        loop {
            if let Some(sibling) = current.next_sibling() {
                next = Some(sibling);
                break;
            }
            match current.parent() {
                Some(parent) if parent.id() != root.id() => {
                    w.close(closers.pop().flatten());
                    current = parent;
                }
                _ => break,
            }
        }
    }
    Cleaned {
        title: w.title.unwrap_or_default(),
        styles: w.styles,
        body: w.out,
        marked: w.marked,
        cut,
    }
}

/// The serialiser's state during one walk.
struct Writer<'a> {
    base: &'a Url,
    highlight: &'a str,
    out: String,
    styles: String,
    title: Option<String>,
    marked: bool,
    /// `<a>` elements open around the current node: an image or frame note
    /// inside one is plain text, not a nested link.
    links_open: usize,
}

impl Writer<'_> {
    /// Write a text node, marking the first occurrence of the match.
    fn text(&mut self, text: &str) {
        if !self.marked && !self.highlight.is_empty() {
            if let Some(at) = text.find(self.highlight) {
                self.marked = true;
                self.out.push_str(&escape(&text[..at]));
                self.out.push_str(&mark(self.highlight));
                self.out
                    .push_str(&escape(&text[at + self.highlight.len()..]));
                return;
            }
        }
        self.out.push_str(&escape(text));
    }

    /// Write what an element's start stands for. `Some(closer)` to walk
    /// its children (`closer` is the end tag to write after them, `None`
    /// for an unwrapped element); `None` to skip them.
    fn open(&mut self, el: ElementRef) -> Option<Option<&'static str>> {
        let e = el.value();
        if &*e.name.ns != HTML_NS {
            return None;
        }
        let name = e.name();
        match name {
            "title" => {
                if self.title.is_none() {
                    self.title = Some(el.text().collect::<Vec<_>>().join(" "));
                }
                return None;
            }
            "style" => {
                let css: String = el.text().collect();
                // Old pages wrap their CSS in `<!-- -->`, which CSS
                // ignores; without them the text may not hold a `<` at all.
                let css = without_controls(&css)
                    .replace("<!--", "")
                    .replace("-->", "");
                if css_is_inert(&css) {
                    self.styles.push_str(&css);
                    self.styles.push('\n');
                }
                return None;
            }
            "img" => {
                self.image(el);
                return None;
            }
            "iframe" | "frame" => {
                self.frame(el);
                return None;
            }
            "input" => {
                self.input(el);
                return None;
            }
            _ if DROPPED.contains(&name) => return None,
            _ => {}
        }
        let Some(&tag) = KEPT.iter().find(|k| **k == name) else {
            return Some(None);
        };
        self.out.push('<');
        self.out.push_str(tag);
        for (attribute, value) in e.attrs() {
            self.attribute(tag, attribute, value);
        }
        self.out.push('>');
        if VOID.contains(&tag) {
            return None;
        }
        if tag == "a" {
            self.links_open += 1;
        }
        // The parser drops a newline right after `<pre>`; write it back so
        // a leading blank line survives the round trip.
        if tag == "pre"
            && el
                .first_child()
                .and_then(|c| c.value().as_text())
                .is_some_and(|t| t.starts_with('\n'))
        {
            self.out.push('\n');
        }
        Some(Some(tag))
    }

    /// Write the end tag of an element whose children were walked.
    fn close(&mut self, closer: Option<&'static str>) {
        if let Some(tag) = closer {
            if tag == "a" {
                self.links_open = self.links_open.saturating_sub(1);
            }
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }

    /// One attribute of a kept element, if it is allowed and its value safe.
    /// The name written is the allow-list's, never the page's bytes.
    fn attribute(&mut self, tag: &str, name: &str, value: &str) {
        let (name, value) = match (tag, name) {
            ("a", "href") => match link(self.base, value) {
                Some(href) => ("href", href),
                None => return,
            },
            ("a", "name") | (_, "id") if is_ours(value) => return,
            ("a", "name") => ("name", value.to_string()),
            (_, "style") if !css_is_inert(&without_controls(value)) => return,
            _ => match ATTRIBUTES.iter().find(|a| **a == name) {
                Some(allowed) => (*allowed, value.to_string()),
                None => return,
            },
        };
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&escape(&value));
        self.out.push('"');
    }

    /// An image: a `data:` raster image stays; any other becomes a note
    /// that links to where it was.
    fn image(&mut self, el: ElementRef) {
        let e = el.value();
        let alt = collapse(e.attr("alt").unwrap_or_default());
        let src = e.attr("src").unwrap_or_default();
        if is_data_image(src) {
            self.out.push_str("<img src=\"");
            self.out.push_str(&escape(src.trim()));
            self.out.push_str("\" alt=\"");
            self.out.push_str(&escape(&alt));
            self.out.push('"');
            for size in ["width", "height"] {
                if let Some(v) = e.attr(size) {
                    self.out.push_str(&format!(" {size}=\"{}\"", escape(v)));
                }
            }
            self.out.push('>');
            return;
        }
        let note = if alt.is_empty() {
            "[图片]".to_string()
        } else {
            format!("[图片: {alt}]")
        };
        self.note(
            &note,
            link(self.base, src).filter(|_| !src.trim().starts_with('#')),
            false,
        );
    }

    /// A frame: what it showed is another document, never loaded here; a
    /// note links to it.
    fn frame(&mut self, el: ElementRef) {
        let src = el.value().attr("src").unwrap_or_default();
        if let Some(url) = link(self.base, src).filter(|_| !src.trim().starts_with('#')) {
            let note = format!("[框架 frame: {url}]");
            self.note(&note, Some(url), true);
        }
    }

    /// A form control: only the caption of a button shows.
    fn input(&mut self, el: ElementRef) {
        let e = el.value();
        let kind = e
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let value = collapse(e.attr("value").unwrap_or_default());
        if matches!(kind.as_str(), "submit" | "button" | "reset") && !value.is_empty() {
            self.out.push_str(&escape(&format!("[{value}]")));
        }
    }

    /// A bracketed note, a link to `href` unless already inside a link.
    fn note(&mut self, text: &str, href: Option<String>, block: bool) {
        if block {
            self.out.push_str("<div>");
        }
        match href.filter(|_| self.links_open == 0) {
            Some(href) => {
                self.out.push_str("<a href=\"");
                self.out.push_str(&escape(&href));
                self.out.push_str("\">");
                self.out.push_str(&escape(text));
                self.out.push_str("</a>");
            }
            None => self.out.push_str(&escape(text)),
        }
        if block {
            self.out.push_str("</div>");
        }
    }
}

/// The `<mark>` around the matched text that the snapshot's
/// `#govcheck-match` fragment scrolls to.
pub(super) fn mark(text: &str) -> String {
    format!(
        "<mark id=\"{}\" style=\"background:#ff0 !important;outline:2px solid #c00 !important;display:inline !important\">{}</mark>",
        super::MATCH_ANCHOR,
        escape(text)
    )
}
