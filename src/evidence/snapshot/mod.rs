//! "Screenshot-style" evidence: a self-contained, readable HTML copy of a
//! captured page, stamped with what was seen where and when.
//!
//! Built from the captured bytes only (never refetched): decoded to UTF-8,
//! scripts, event handlers and `javascript:` URLs removed, relative URLs made
//! absolute against the captured URL, a fixed banner on top (county, item,
//! verdict, URL, fetch time in UTC and Beijing time, HTTP status, sha256,
//! WARC record, govcheck version) and the matched text in a `<mark>` that
//! the snapshot's `#govcheck-match` fragment scrolls to. A PDF gets a banner
//! page with its extracted text.

use crate::util::escape;
use chrono::{DateTime, FixedOffset, Utc};
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use std::cell::Cell;
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
}

/// The fragment a link to a snapshot should carry to land on the match.
pub const MATCH_ANCHOR: &str = "govcheck-match";

const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("form", "action"),
];

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
    format!(
        "<div id=\"govcheck-banner\" style=\"all:initial;display:block;position:sticky;top:0;z-index:2147483647;\
background:#fffbe6;border-bottom:3px solid #c90;padding:8px 12px;font:13px/1.5 sans-serif;color:#000\">\
<b>govcheck evidence</b> · {county} · {item} {item_name} · <b>{status}</b> — {reason}<br>\
URL: {url}<br>fetched {utc} UTC ({bj} 北京时间) · HTTP {http}{revisit}{tls}<br>\
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

fn is_script_url(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let v = v.to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

/// A stamped, script-free copy of an HTML capture, already decoded to
/// UTF-8. `highlight` is the text to mark (the first occurrence found in a
/// single text run).
pub fn html_snapshot(stamp: &Stamp, html: &str, highlight: &str) -> String {
    let highlight = highlight.trim();
    let marked = Cell::new(false);
    let banner_html = banner(stamp);
    let banner_done = Cell::new(false);
    let base = stamp.url.clone();
    let mut handlers = vec![
        element!("script, noscript, object, applet, base", |el| {
            el.remove();
            Ok(())
        }),
        element!("meta", |el| {
            let equiv = el
                .get_attribute("http-equiv")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if el.has_attribute("charset") || equiv == "content-type" || equiv == "refresh" {
                el.remove();
            }
            Ok(())
        }),
        element!("head", |el| {
            el.prepend(
                "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'\">",
                ContentType::Html,
            );
            Ok(())
        }),
        element!("body", |el| {
            el.prepend(&banner_html, ContentType::Html);
            banner_done.set(true);
            Ok(())
        }),
        element!("*", |el| {
            let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
            for name in names {
                let value = el.get_attribute(&name).unwrap_or_default();
                if name.starts_with("on") || is_script_url(&value) {
                    el.remove_attribute(&name);
                }
            }
            Ok(())
        }),
    ];
    for (tag, attribute) in URL_ATTRIBUTES {
        let base = base.clone();
        handlers.push(element!(*tag, move |el| {
            if let Some(value) = el.get_attribute(attribute) {
                if let Ok(absolute) = base.join(value.trim()) {
                    if absolute.scheme() == "http" || absolute.scheme() == "https" {
                        el.set_attribute(attribute, absolute.as_str())?;
                    } else {
                        el.remove_attribute(attribute);
                    }
                }
            }
            Ok(())
        }));
    }
    handlers.push(text!("body *:not(script):not(style)", |chunk| {
        if marked.get() || highlight.is_empty() {
            return Ok(());
        }
        let content = chunk.as_str().to_string();
        if let Some(at) = content.find(highlight) {
            let replaced = format!(
                "{}<mark id=\"{MATCH_ANCHOR}\" style=\"background:#ff0;outline:2px solid #c00\">{}</mark>{}",
                escape(&content[..at]),
                escape(highlight),
                escape(&content[at + highlight.len()..])
            );
            chunk.replace(&replaced, ContentType::Html);
            marked.set(true);
        }
        Ok(())
    }));
    let rewritten = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: handlers,
            ..RewriteStrSettings::new()
        },
    );
    let mut out = match rewritten {
        Ok(out) => out,
        Err(_) => return text_snapshot(stamp, html, highlight, None),
    };
    if !banner_done.get() {
        out = format!("{banner_html}{out}");
    }
    if !out
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("<!doctype")
    {
        out = format!("<!DOCTYPE html>\n{out}");
    }
    if !marked.get() && !highlight.is_empty() {
        let note = format!(
            "<div style=\"all:initial;display:block;background:#fffbe6;padding:4px 12px;font:13px sans-serif\">matched: <mark id=\"{MATCH_ANCHOR}\">{}</mark></div>",
            escape(highlight)
        );
        out = out.replacen("</div>", &format!("</div>{note}"), 1);
    }
    out
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
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>govcheck evidence — {title}</title></head><body>{banner}\
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(url: &Url) -> Stamp<'_> {
        Stamp {
            county: "北安市",
            item: "9",
            item_name: "政务公开年度报告",
            status: "pass",
            reason: "found: 「2022年北安市政府信息公开工作年度报告」",
            url,
            fetched_at: DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            http_status: 200,
            sha256: "abc123",
            warc: Some(("archive/govcheck-1-00000.warc.gz", "<urn:uuid:1>")),
            not_modified_since: None,
            tls_unverified: false,
        }
    }

    #[test]
    fn scripts_handlers_and_js_urls_are_gone_and_urls_absolute() {
        let url = Url::parse("http://127.0.0.1:8080/bas/c100/202301/c1_2.shtml").unwrap();
        let html = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><script>alert(1)</script><link rel="stylesheet" href="../css/a.css"></head>
<body onload="location='http://evil/'"><h1>2022年北安市政府信息公开工作年度报告</h1>
<a href="javascript:alert(2)">x</a><img src="/img/a.png" onerror="alert(3)"><a href="list.shtml">列表</a></body></html>"#;
        let out = html_snapshot(&stamp(&url), html, "2022年北安市政府信息公开工作年度报告");
        assert!(!out.contains("alert("), "{out}");
        assert!(!out.contains("onload") && !out.contains("onerror"));
        assert!(!out.contains("gb2312"));
        assert!(
            out.contains("href=\"http://127.0.0.1:8080/bas/c100/css/a.css\""),
            "{out}"
        );
        assert!(out.contains("src=\"http://127.0.0.1:8080/img/a.png\""));
        assert!(out.contains("href=\"http://127.0.0.1:8080/bas/c100/202301/list.shtml\""));
        assert!(out.contains("<mark id=\"govcheck-match\""));
        assert!(out.contains("10:00:00 北京时间"), "{out}");
        assert!(out.contains("sha256 abc123"));
        assert!(out.contains("govcheck-banner"));
    }

    #[test]
    fn pdf_text_gets_a_banner_page() {
        let url = Url::parse("http://127.0.0.1/a.pdf").unwrap();
        let out = text_snapshot(&stamp(&url), "一、总体情况 <b>", "总体情况", Some("ab.pdf"));
        assert!(out.contains("<mark id=\"govcheck-match\">总体情况</mark>"));
        assert!(out.contains("&lt;b&gt;"));
        assert!(out.contains("href=\"ab.pdf\""));
    }
}
