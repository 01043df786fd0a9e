//! What a response is, before anything tries to read it.
//!
//! County servers mislabel freely: PDFs come as `application/octet-stream`
//! or `text/html`, JSON as `text/html`, error pages as `application/pdf`.
//! The first bytes win over the header, the header over the URL's extension.

use super::PageKind;
use url::Url;

const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "doc", "docx", "xls", "xlsx", "wps", "et", "dps", "ppt", "pptx", "ofd", "zip", "rar", "7z",
    "tar", "gz", "rtf", "ceb",
];
const OTHER_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "css", "js", "txt",
    "xml", "mp3", "mp4", "avi", "flv", "swf", "woff", "woff2", "ttf", "eot", "apk", "exe",
];
const ATTACHMENT_MIME_HINTS: &[&str] = &[
    "msword",
    "ms-excel",
    "ms-powerpoint",
    "ms-works",
    "officedocument",
    "wps",
    "kingsoft",
    "ofd",
    "zip",
    "rar",
    "7z",
    "x-tar",
    "gzip",
    "rtf",
];

/// The extension of the URL's last path segment, lower-cased.
pub(super) fn extension(url: &Url) -> String {
    let last = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default();
    match last.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 5 => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The first non-blank byte of the body, after a UTF-8 BOM.
fn first_byte(body: &[u8]) -> Option<u8> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// What kind of document a response is: by its body's first bytes, its
/// `Content-Type` and its URL's extension.
pub(super) fn detect(url: &Url, content_type: Option<&str>, body: &[u8]) -> PageKind {
    let start = &body[..body.len().min(1024)];
    if start.windows(5).any(|w| w == b"%PDF-") {
        return PageKind::Pdf;
    }
    // Office files: DOCX/XLSX/OFD are zips, DOC/XLS/WPS/ET are OLE
    // compound files. Download URLs (`download.do?id=`) name neither.
    if body.starts_with(b"PK\x03\x04") || body.starts_with(b"\xD0\xCF\x11\xE0") {
        return PageKind::OtherAttachment;
    }
    let first = first_byte(body);
    let looks_html = first == Some(b'<');
    let looks_json = matches!(first, Some(b'{' | b'['));
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let ext = extension(url);
    if mime.contains("json") {
        return if looks_html {
            PageKind::Html
        } else {
            PageKind::Json
        };
    }
    if mime == "application/pdf" {
        return if looks_html {
            PageKind::Html
        } else {
            PageKind::Pdf
        };
    }
    if mime.contains("html") {
        return if looks_json && ext == "json" {
            PageKind::Json
        } else {
            PageKind::Html
        };
    }
    if ATTACHMENT_MIME_HINTS.iter().any(|h| mime.contains(h)) {
        return PageKind::OtherAttachment;
    }
    if [
        "image/",
        "audio/",
        "video/",
        "font/",
        "text/css",
        "javascript",
    ]
    .iter()
    .any(|p| mime.contains(p))
    {
        return PageKind::Other;
    }
    match ext.as_str() {
        "pdf" if !looks_html => PageKind::Pdf,
        "json" if looks_json => PageKind::Json,
        e if ATTACHMENT_EXTENSIONS.contains(&e) && !looks_html => PageKind::OtherAttachment,
        e if OTHER_EXTENSIONS.contains(&e) => PageKind::Other,
        _ if looks_html => PageKind::Html,
        // A list endpoint sent as octet-stream or plain text (`/api/all/2805`).
        _ if looks_json
            && matches!(
                mime.as_str(),
                "" | "application/octet-stream" | "text/plain"
            )
            && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() =>
        {
            PageKind::Json
        }
        _ if mime.is_empty() || mime == "application/octet-stream" => {
            if has_binary_bytes(start) {
                PageKind::Other
            } else if body.is_empty()
                || ext.is_empty()
                || matches!(
                    ext.as_str(),
                    "html" | "htm" | "shtml" | "jsp" | "asp" | "aspx" | "php" | "do"
                )
            {
                PageKind::Html
            } else {
                PageKind::Other
            }
        }
        _ => PageKind::Other,
    }
}

/// Bytes no text document holds (the WHATWG sniffing rule's "binary data
/// bytes"): a body that has them is not a page, whatever its URL says.
fn has_binary_bytes(start: &[u8]) -> bool {
    start
        .iter()
        .any(|&b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str, ct: Option<&str>, body: &[u8]) -> PageKind {
        detect(&Url::parse(url).unwrap(), ct, body)
    }

    #[test]
    fn json_sent_as_octet_stream_or_plain_text_is_json() {
        let body = br#"{"total": 1, "articles": [{"title": "a", "url": "/a.html"}]}"#;
        for ct in [
            Some("application/octet-stream"),
            Some("text/plain; charset=utf-8"),
            None,
        ] {
            assert_eq!(
                kind("http://x.gov.cn/gkmlpt/api/all/2805", ct, body),
                PageKind::Json
            );
        }
        // Random bytes sent as octet-stream are no page.
        assert_eq!(
            kind(
                "http://x.gov.cn/",
                Some("application/octet-stream"),
                b"\x89\x01\x02<a>"
            ),
            PageKind::Other
        );
        // Not JSON after all: left as it was.
        assert_eq!(
            kind(
                "http://x.gov.cn/a",
                Some("application/octet-stream"),
                b"{oops"
            ),
            PageKind::Html
        );
    }

    #[test]
    fn bytes_and_headers_decide() {
        let base = "http://www.hljba.gov.cn";
        assert_eq!(
            kind(&format!("{base}/a.html"), Some("text/html"), b"%PDF-1.4\n"),
            PageKind::Pdf
        );
        assert_eq!(
            kind(
                &format!("{base}/a.pdf"),
                Some("application/octet-stream"),
                b"\0\0"
            ),
            PageKind::Pdf
        );
        assert_eq!(
            kind(
                &format!("{base}/a.pdf"),
                Some("text/html"),
                b"<html>404</html>"
            ),
            PageKind::Html
        );
        assert_eq!(
            kind(
                &format!("{base}/list.json"),
                Some("text/html"),
                b" [{\"a\":1}]"
            ),
            PageKind::Json
        );
        assert_eq!(
            kind(
                &format!("{base}/api/list"),
                Some("application/json;charset=utf-8"),
                b"{}"
            ),
            PageKind::Json
        );
        assert_eq!(
            kind(&format!("{base}/P0202303.docx"), None, b"PK\x03\x04"),
            PageKind::OtherAttachment
        );
        assert_eq!(
            kind(
                &format!("{base}/x"),
                Some("application/msword"),
                b"\xD0\xCF"
            ),
            PageKind::OtherAttachment
        );
        assert_eq!(
            kind(
                &format!("{base}/download.do?id=7"),
                Some("application/octet-stream"),
                b"PK\x03\x04\x14\0"
            ),
            PageKind::OtherAttachment
        );
        assert_eq!(
            kind(
                &format!("{base}/file.jsp"),
                Some("text/html"),
                b"\xD0\xCF\x11\xE0\xA1\xB1"
            ),
            PageKind::OtherAttachment
        );
        assert_eq!(
            kind(&format!("{base}/logo.png"), Some("image/png"), b"\x89PNG"),
            PageKind::Other
        );
        assert_eq!(
            kind(&format!("{base}/"), None, b"<!DOCTYPE html>"),
            PageKind::Html
        );
        assert_eq!(
            kind(&format!("{base}/style.css"), None, b"body{}"),
            PageKind::Other
        );
    }
}
