//! "Screenshot-style" evidence: a self-contained, readable HTML copy of a
//! captured page, stamped with what was seen where and when.
//!
//! Built from the captured bytes only (never refetched) and inert by
//! construction: the page is parsed and written out again by govcheck
//! (`clean`) with an allow-list of elements and attributes, so no script,
//! frame, plugin, form, stylesheet or remote image of the page survives,
//! and links are absolute `http`/`https` URLs. Every snapshot opens with the
//! same head ([`PREAMBLE`]): a Content-Security-Policy that lets nothing
//! load but inline styles and `data:` images, whatever the page's shape.
//! A fixed banner comes first in the body (county, item, verdict, URL,
//! fetch time in UTC and Beijing time, HTTP status, sha256, WARC record,
//! govcheck version) and the matched text is in a `<mark>` that the
//! snapshot's `#govcheck-match` fragment scrolls to. A PDF or other
//! attachment gets a banner page with its extracted text.

mod allow;
mod clean;
#[cfg(test)]
mod tests;

use crate::util::escape;
use chrono::{DateTime, FixedOffset, Utc};
use clean::Cut;
use url::Url;

/// Everything a snapshot states about its capture.
pub struct Stamp<'a> {
    /// The county's name.
    pub county: &'a str,
    /// The rubric item id.
    pub item: &'a str,
    /// The rubric item's name.
    pub item_name: &'a str,
    /// The verdict: `pass`, `fail` or `inconclusive`.
    pub status: &'a str,
    /// Why, in one line.
    pub reason: &'a str,
    /// The captured URL.
    pub url: &'a Url,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// The HTTP status of the capture.
    pub http_status: u16,
    /// sha256 of the payload, lowercase hex.
    pub sha256: &'a str,
    /// WARC file (relative to the run directory) and record id.
    pub warc: Option<(&'a str, &'a str)>,
    /// The page was fetched without certificate checks.
    pub tls_unverified: bool,
    /// The server answered 304 Not Modified: the content shown is the
    /// earlier capture (its `WARC-Date` and record id).
    pub not_modified_since: Option<(&'a str, &'a str)>,
    /// Not the server's bytes but the DOM a headless browser built from
    /// them, and how (the archive record's `GovCheck-Rendered` note).
    pub rendered: Option<&'a str>,
}

/// The fragment a link to a snapshot should carry to land on the match.
pub const MATCH_ANCHOR: &str = "govcheck-match";

/// How every snapshot begins: nothing of the page comes before this
/// policy, which forbids scripts, frames, plugins, fonts, remote images and
/// stylesheets (only inline styles and `data:` images remain).
pub const PREAMBLE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">";

/// The look of the notes under the banner.
const NOTE_STYLE: &str =
    "all:initial !important;display:block !important;background:#fffbe6 !important;\
padding:4px 12px !important;font:13px sans-serif !important;color:#000 !important";

fn banner(stamp: &Stamp) -> String {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    let warc = stamp
        .warc
        .map(|(file, id)| format!("{} {}", escape(file), escape(id)))
        .unwrap_or_else(|| "—".into());
    let tls = if stamp.tls_unverified {
        " · TLS certificate not verified"
    } else {
        ""
    };
    let revisit = stamp
        .not_modified_since
        .map(|(date, id)| {
            format!(
                " · 304 Not Modified: content as captured {} (record {})",
                escape(date),
                escape(id)
            )
        })
        .unwrap_or_default();
    let rendered = stamp
        .rendered
        .map(|note| format!("<br><b>Rendered page</b>: the DOM the page's scripts built, not the bytes the server sent ({})", escape(note)))
        .unwrap_or_default();
    format!(
        "<div id=\"govcheck-banner\" style=\"all:initial !important;display:block !important;\
position:sticky !important;top:0 !important;z-index:2147483647 !important;background:#fffbe6 !important;\
border-bottom:3px solid #c90 !important;padding:8px 12px !important;font:13px/1.5 sans-serif !important;\
color:#000 !important;visibility:visible !important;opacity:1 !important\">\
<b>govcheck evidence</b> · {county} · {item} {item_name} · <b>{status}</b> — {reason}<br>\
URL: {url}<br>fetched {utc} UTC ({bj} 北京时间) · HTTP {http}{revisit}{tls}{rendered}<br>\
sha256 {sha} · WARC {warc} · govcheck {version}</div>",
        county = escape(stamp.county),
        item = escape(stamp.item),
        item_name = escape(stamp.item_name),
        status = escape(stamp.status),
        reason = escape(stamp.reason),
        url = escape(stamp.url.as_str()),
        utc = stamp.fetched_at.format("%Y-%m-%d %H:%M:%S"),
        bj = stamp.fetched_at.with_timezone(&beijing).format("%Y-%m-%d %H:%M:%S"),
        http = stamp.http_status,
        sha = escape(stamp.sha256),
        warc = warc,
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// A stamped, inert copy of an HTML capture, already decoded to UTF-8:
/// [`PREAMBLE`], the page's title and safe inline styles, the banner, then
/// the page as `clean` writes it. `highlight` is the text to mark (the
/// first occurrence within one text node); when no text node holds it, a
/// note under the banner shows it. Never panics: should the parser fail,
/// the page's source is shown as escaped text.
pub fn html_snapshot(stamp: &Stamp, html: &str, highlight: &str) -> String {
    let highlight = highlight.trim();
    let cleaned = match std::panic::catch_unwind(|| clean::clean(html, stamp.url, highlight)) {
        Ok(cleaned) => cleaned,
        Err(_) => return text_snapshot(stamp, html, highlight, None),
    };
    let title = collapse(&cleaned.title);
    let title = if title.is_empty() {
        stamp.item_name.to_string()
    } else {
        title
    };
    let mut out = String::with_capacity(cleaned.body.len() + 4096);
    out.push_str(PREAMBLE);
    out.push_str("<title>");
    out.push_str(&escape(&title));
    out.push_str("</title>");
    if !cleaned.styles.is_empty() {
        // Checked by `clean::css_is_inert`: no `<`, so it cannot end the
        // element, and nothing that loads or names the banner.
        out.push_str("<style>");
        out.push_str(&cleaned.styles);
        out.push_str("</style>");
    }
    out.push_str("</head><body>");
    out.push_str(&banner(stamp));
    if !cleaned.marked && !highlight.is_empty() {
        out.push_str(&format!(
            "<div style=\"{NOTE_STYLE}\">matched: {}</div>",
            clean::mark(highlight)
        ));
    }
    if let Some(cut) = cleaned.cut {
        let why = match cut {
            Cut::Length => "is longer than govcheck reads",
            Cut::Nesting => "nests deeper than govcheck reads",
            Cut::Elements => "holds more elements than govcheck reads",
        };
        out.push_str(&format!(
            "<div style=\"{NOTE_STYLE}\">This page {why}: only its beginning is shown; \
the whole response is in the WARC record.</div>"
        ));
    }
    out.push_str(&cleaned.body);
    out.push_str("</body></html>\n");
    out
}

/// Whitespace runs to one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A banner page for a document whose text was extracted (PDF) or could not
/// be shown as HTML: the text, escaped, with the match highlighted, and a
/// link to the captured file (`captured`, a path beside the snapshot) or,
/// without one, to the original URL.
pub fn text_snapshot(stamp: &Stamp, text: &str, highlight: &str, captured: Option<&str>) -> String {
    let body = match (!highlight.is_empty())
        .then(|| text.find(highlight))
        .flatten()
    {
        Some(at) => format!(
            "{}<mark id=\"{MATCH_ANCHOR}\">{}</mark>{}",
            escape(&text[..at]),
            escape(highlight),
            escape(&text[at + highlight.len()..])
        ),
        None => format!(
            "<p>matched: <mark id=\"{MATCH_ANCHOR}\">{}</mark></p>{}",
            escape(highlight),
            escape(text)
        ),
    };
    format!(
        "{PREAMBLE}<title>govcheck evidence — {title}</title></head><body lang=\"zh-CN\">{banner}\
<p>{link}</p><pre style=\"white-space:pre-wrap;font:14px/1.6 serif\">{body}</pre></body></html>\n",
        title = escape(stamp.item_name),
        banner = banner(stamp),
        link = match captured {
            Some(file) => format!(
                "<a href=\"{}\">the captured file</a>, fetched from {}",
                escape(file),
                escape(stamp.url.as_str())
            ),
            None => format!("<a href=\"{0}\">{0}</a>", escape(stamp.url.as_str())),
        },
    )
}
