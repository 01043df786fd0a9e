//! Linear bounds on the markup an HTML page may make the parser build.
//!
//! The HTML parser checks "is this element in scope" by walking the stack
//! of open elements, so a page of N nested elements costs N² steps: 100,000
//! nested `<div>`s took over a minute, a million more than ten. Real pages
//! nest a few dozen deep. And the tree costs about 200 bytes a node: 4 MiB
//! of `<p>x</p>` built a 67 MB tree. Real pages, long list pages included,
//! hold a few tens of thousands of elements. One pass over the bytes finds
//! where a page passes [`MAX_NESTING`] or [`MAX_ELEMENTS`]; only what comes
//! before is parsed, and the page says it was cut. Tags are ASCII in every
//! charset county sites use (GBK's second bytes are never `<`), so the
//! bytes can be scanned before decoding.

use crate::types::BodyCut;

/// Open elements a page may nest before the rest of it is left unread.
pub const MAX_NESTING: usize = 4096;

/// Start tags a page may hold (about 40 MB of tree).
pub const MAX_ELEMENTS: usize = 100_000;

/// Elements that never hold others (void) or whose end tag is optional
/// and often left out (`<p>`, `<li>`, `<td>`): they are not counted, so a
/// sloppy page of unclosed list items does not look deep.
const NOT_COUNTED: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
    b"rb",
    b"rt",
    b"rtc",
    b"rp",
];

/// Elements whose content is text, not markup: skipped to their end tag.
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"xmp"];

/// Where the markup passes a bound: the byte offset of the start tag that
/// opens element number `max_depth + 1` of one nesting chain
/// ([`BodyCut::NestingLimit`]) or element number `max_elements + 1` of the
/// page ([`BodyCut::ElementLimit`]); `None` when the page stays within both.
pub fn markup_cut_at(
    body: &[u8],
    max_depth: usize,
    max_elements: usize,
) -> Option<(usize, BodyCut)> {
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut i = 0;
    while let Some(found) = find(body, b"<", i) {
        let at = found;
        let rest = &body[at + 1..];
        if rest.starts_with(b"!--") {
            i = find(body, b"-->", at + 4).map_or(body.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = body[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i = at + 1;
            continue;
        }
        let name = &body[name_start..name_start + name_len];
        let tag_end = find(body, b">", name_start + name_len).unwrap_or(body.len());
        i = tag_end + 1;
        if !closing {
            elements += 1;
            if elements > max_elements {
                return Some((at, BodyCut::ElementLimit));
            }
        }
        if NOT_COUNTED.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if RAW_TEXT.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            let mut end_tag = b"</".to_vec();
            end_tag.extend_from_slice(name);
            i = find_ignore_case(body, &end_tag, i).unwrap_or(body.len());
        } else if body.get(tag_end.wrapping_sub(1)) != Some(&b'/') {
            depth += 1;
            if depth > max_depth {
                return Some((at, BodyCut::NestingLimit));
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|p| p + from)
}

/// Where `needle` (an end tag: its first byte `<` has no case) starts, in
/// any case, at `from` or later.
fn find_ignore_case(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = haystack.get(from..)?;
    memchr::memchr_iter(needle[0], rest)
        .find(|&p| {
            rest.get(p..p + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_cut_where_it_passes_the_bound() {
        let body = "<div>".repeat(10_000);
        assert_eq!(
            markup_cut_at(body.as_bytes(), 100, MAX_ELEMENTS),
            Some((100 * 5, BodyCut::NestingLimit))
        );
        let closed = "<div><span>x</span></div>".repeat(10_000);
        assert_eq!(markup_cut_at(closed.as_bytes(), 100, MAX_ELEMENTS), None);
    }

    #[test]
    fn sloppy_pages_scripts_and_comments_do_not_count() {
        let sloppy = "<ul>".to_string() + &"<li><p>item<br>".repeat(20_000) + "</ul>";
        assert_eq!(markup_cut_at(sloppy.as_bytes(), 100, MAX_ELEMENTS), None);
        let script = format!("<script>{}</script><div></div>", "<div>".repeat(500));
        assert_eq!(markup_cut_at(script.as_bytes(), 100, MAX_ELEMENTS), None);
        let upper = format!("<SCRIPT>{}</Script><DIV></DIV>", "<div>".repeat(500));
        assert_eq!(markup_cut_at(upper.as_bytes(), 100, MAX_ELEMENTS), None);
        let unclosed = format!("<div><script>{}", "<div>".repeat(500));
        assert_eq!(markup_cut_at(unclosed.as_bytes(), 100, MAX_ELEMENTS), None);
        let comment = format!("<!--{}--><img src=a.png/>", "<div>".repeat(500));
        assert_eq!(markup_cut_at(comment.as_bytes(), 100, MAX_ELEMENTS), None);
        let self_closed = "<div/>".repeat(500);
        assert_eq!(
            markup_cut_at(self_closed.as_bytes(), 100, MAX_ELEMENTS),
            None
        );
    }

    #[test]
    fn a_page_of_too_many_elements_is_cut_at_the_first_one_past_the_bound() {
        let flat = "<p>x</p>".repeat(1_000);
        assert_eq!(
            markup_cut_at(flat.as_bytes(), MAX_NESTING, 600),
            Some((600 * 8, BodyCut::ElementLimit))
        );
        assert_eq!(markup_cut_at(flat.as_bytes(), MAX_NESTING, 1_000), None);
    }
}
