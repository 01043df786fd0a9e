//! Parsed facts of one fetched document.
//!
//! The crawler hands every response body here once; what comes out is a
//! [`Page`]: a plain value with the title, dates, links, meta tags and text
//! that the detectors in `audit` need. Nothing downstream sees raw bytes, so
//! detectors are testable from a fixture file without a network, and the body
//! can be dropped as soon as it is archived.
//!
//! Layout, each file one job: `kind` tells what a body is, `charset`
//! decodes it; `html/` reads an HTML page (title, trail, metadata block),
//! `pdf` and `docx` read attachments, `dates` finds dates in text, URLs and
//! values. `links` reads a page's links with their rows and sections, and
//! `redirects` its meta refreshes and script redirects. `lists/` reads the
//! lists that only exist once a page's scripts run, one file per
//! mechanism. `dom` holds what all of them ask of the parsed tree (visible
//! text, box titles).
//!
//! Imports run one way: `html` uses `links`, `redirects`, `lists` and
//! `dom`; `lists` uses `links::resolve` and `dom`; `links` uses only `dom`
//! and `dates`; `dom` uses nothing of `page` but `collapse`.

mod charset;
mod dates;
mod docx;
mod dom;
mod html;
mod kind;
mod links;
mod lists;
mod nesting;
mod pdf;
mod redirects;

pub use charset::decode;
pub use dates::{find_date, url_date, value_date, visible_published};
pub use kind::{names_an_attachment, sniff, Sniffed};
pub use links::strip_session_id;
pub use nesting::{markup_cut_at, MAX_ELEMENTS, MAX_NESTING};

use crate::types::{BodyCut, Page, PageKind};

use url::Url;

/// The most HTML the parser reads of one body. Real county pages are well
/// under 1 MiB; a DOM built from tens of megabytes costs gigabytes, so a
/// longer body is read only up to here and the page says it was cut.
pub const MAX_PARSED_HTML: usize = 4 * 1024 * 1024;

/// Parse one response body into a [`Page`]. Never panics; an undecodable or
/// unparsable body yields a page with what could be read.
pub fn parse(url: &Url, status: u16, content_type: Option<&str>, body: &[u8]) -> Page {
    let kind = kind::detect(url, content_type, body);
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut page = Page::empty(url, status, kind);
        match kind {
            PageKind::Html => {
                let head = &body[..body.len().min(MAX_PARSED_HTML)];
                match nesting::markup_cut_at(head, nesting::MAX_NESTING, nesting::MAX_ELEMENTS) {
                    Some((at, cut)) => {
                        html::fill(&mut page, content_type, &head[..at]);
                        page.cut = Some(cut);
                    }
                    None => {
                        html::fill(&mut page, content_type, head);
                        if head.len() < body.len() {
                            page.cut = Some(BodyCut::ParseLimit);
                        }
                    }
                }
            }
            PageKind::Json => lists::json::fill(&mut page, content_type, body),
            PageKind::Pdf => pdf::fill(&mut page, body),
            PageKind::OtherAttachment => docx::fill(&mut page, content_type, body),
            PageKind::Other => {}
        }
        page
    }));
    parsed.unwrap_or_else(|_| {
        let mut page = Page::empty(url, status, kind);
        page.extract_error = Some("the parser failed on this body".to_string());
        page
    })
}

/// Whitespace runs (including full-width spaces and `&nbsp;`) to one space,
/// trimmed.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_never_panics() {
        let url = Url::parse("http://www.hljba.gov.cn/bas/c100783/202303/c12_345.shtml?tab=gfxwj")
            .unwrap();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let fragments: &[&[u8]] = &[
            b"<a href=\"",
            b"\">",
            b"</a>",
            b"<li>",
            b"<table><tr><td>",
            b"\xD5\xFE\xB8\xAE",
            b"<script>",
            b"</script>",
            b"createPageHTML(",
            b"'/list_' + tab + '.json'",
            b"{\"url\":",
            b"[",
            b"\"title\":\"",
            b"%PDF-",
            b"\xEF\xBB\xBF",
            "当前位置：".as_bytes(),
            "发布日期：2023-03-28".as_bytes(),
            b"<meta charset=gbk>",
            b"<base href=\"::\">",
        ];
        let types = [
            None,
            Some("text/html"),
            Some("application/json"),
            Some("text/html; charset=gbk"),
            Some("application/pdf"),
        ];
        for round in 0..400 {
            let mut body = Vec::new();
            for _ in 0..(next() % 40) {
                if next() % 3 == 0 {
                    body.extend((0..next() % 16).map(|_| next() as u8));
                } else {
                    body.extend_from_slice(fragments[(next() % fragments.len() as u64) as usize]);
                }
            }
            let content_type = types[round % types.len()];
            let page = parse(&url, 200, content_type, &body);
            assert!(
                page.extract_error.as_deref() != Some("the parser failed on this body"),
                "{body:?}"
            );
        }
    }

    /// A hostile homepage: its links come first, then markup that would
    /// cost the parser minutes (nesting) or gigabytes (elements, errors).
    fn hostile(tail: &[u8]) -> Page {
        let url = Url::parse("http://127.0.0.1/").unwrap();
        let mut body =
            b"<html><body><a href=\"/zwgk/\">\xd5\xfe\xce\xf1\xb9\xab\xbf\xaa</a>".to_vec();
        body.extend_from_slice(tail);
        parse(&url, 200, Some("text/html; charset=gbk"), &body)
    }

    #[test]
    fn hostile_markup_is_cut_where_it_passes_a_bound_and_says_so() {
        let deep = hostile("<div>".repeat(100_000).as_bytes());
        assert_eq!(deep.cut, Some(BodyCut::NestingLimit));
        let many = hostile("<p>x</p>".repeat(200_000).as_bytes());
        assert_eq!(many.cut, Some(BodyCut::ElementLimit));
        let nuls = hostile(&vec![0u8; MAX_PARSED_HTML]);
        assert_eq!(nuls.cut, Some(BodyCut::ParseLimit));
        for page in [deep, many, nuls] {
            assert_eq!(page.links.len(), 1, "{:?}", page.links);
            assert_eq!(page.links[0].text, "政务公开");
        }
    }
}
