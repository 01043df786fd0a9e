//! What a response is, before anything tries to read it.
//!
//! County servers mislabel freely: PDFs come as `application/octet-stream`
//! or `text/html`, JSON as `text/html`, error pages as `application/pdf`.
//! The first bytes win over the header, the header over the URL's extension.
//!
//! The same first bytes name a captured attachment when it is stored beside
//! its snapshot ([`sniff`]): a file is named for what it is, never for what
//! its URL says, so a PDF/HTML polyglot served as `x.htm` is stored as a
//! `.pdf` that a browser will not run.

use super::PageKind;
use std::io::Cursor;
use url::Url;

const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "doc", "docx", "xls", "xlsx", "wps", "et", "dps", "ppt", "pptx", "ofd", "zip", "rar", "7z",
    "tar", "gz", "rtf", "ceb",
];
/// The URL names an attachment (PDF, Word, Excel, WPS, OFD, an archive) by
/// its extension: the document itself, where an article only announces it.
pub fn names_an_attachment(url: &Url) -> bool {
    let last = url.path().rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.').is_some_and(|(_, ext)| {
        let ext = ext.to_ascii_lowercase();
        ext == "pdf" || ATTACHMENT_EXTENSIONS.contains(&ext.as_str())
    })
}

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

/// The container a body's magic bytes announce, the cheap first step of
/// both [`detect`] and [`sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    /// `%PDF-` within the first KiB (where PDF readers look for it).
    Pdf,
    /// A zip local file header at the start: DOCX, XLSX, PPTX, OFD or a
    /// plain zip.
    Zip,
    /// An OLE2 compound file: DOC, XLS, PPT, WPS, ET.
    Ole,
}

fn magic(body: &[u8]) -> Option<Magic> {
    let start = &body[..body.len().min(1024)];
    if start.windows(5).any(|w| w == b"%PDF-") {
        Some(Magic::Pdf)
    } else if body.starts_with(b"PK\x03\x04") {
        Some(Magic::Zip)
    } else if body.starts_with(b"\xD0\xCF\x11\xE0") {
        Some(Magic::Ole)
    } else {
        None
    }
}

/// What a body's bytes say it is, for naming a stored copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A PDF (`%PDF-` in the first KiB).
    Pdf,
    /// A zip holding `word/`: a Word document.
    Docx,
    /// A zip holding `xl/`: an Excel workbook.
    Xlsx,
    /// A zip holding `ppt/`: a PowerPoint deck.
    Pptx,
    /// A zip holding `OFD.xml`: a Chinese OFD document.
    Ofd,
    /// Any other zip.
    Zip,
    /// An OLE2 compound file with a `WordDocument` stream (DOC, WPS).
    Doc,
    /// An OLE2 compound file with a `Workbook` or `Book` stream (XLS, ET).
    Xls,
    /// An OLE2 compound file with a `PowerPoint Document` stream (PPT, DPS).
    Ppt,
    /// An OLE2 compound file of no kind above.
    Ole,
    /// A Rich Text Format document (`{\rtf`).
    Rtf,
    /// Anything else: bytes of no known kind.
    Unknown,
}

impl Sniffed {
    /// The file extension a stored copy gets. Never one a browser renders
    /// as a page (`html`, `htm`, `svg`, `xml`, `xhtml`): an OLE2 file of
    /// unknown kind is `ole`, unknown bytes are `bin`.
    pub fn extension(self) -> &'static str {
        match self {
            Sniffed::Pdf => "pdf",
            Sniffed::Docx => "docx",
            Sniffed::Xlsx => "xlsx",
            Sniffed::Pptx => "pptx",
            Sniffed::Ofd => "ofd",
            Sniffed::Zip => "zip",
            Sniffed::Doc => "doc",
            Sniffed::Xls => "xls",
            Sniffed::Ppt => "ppt",
            Sniffed::Ole => "ole",
            Sniffed::Rtf => "rtf",
            Sniffed::Unknown => "bin",
        }
    }
}

/// What `body` is by its bytes alone (magic numbers, then the entry names
/// of a zip or the stream names of an OLE2 file); the URL and the headers
/// are not asked.
pub fn sniff(body: &[u8]) -> Sniffed {
    match magic(body) {
        Some(Magic::Pdf) => Sniffed::Pdf,
        Some(Magic::Zip) => zip_kind(body),
        Some(Magic::Ole) => ole_kind(body),
        None if body.starts_with(b"{\\rtf") => Sniffed::Rtf,
        None => Sniffed::Unknown,
    }
}

/// An OOXML or OFD package by its entry names: the central directory's
/// when the zip reads, else the first local header's.
fn zip_kind(body: &[u8]) -> Sniffed {
    let by_name = |name: &str| {
        if name.starts_with("word/") {
            Some(Sniffed::Docx)
        } else if name.starts_with("xl/") {
            Some(Sniffed::Xlsx)
        } else if name.starts_with("ppt/") {
            Some(Sniffed::Pptx)
        } else if name.eq_ignore_ascii_case("OFD.xml") {
            Some(Sniffed::Ofd)
        } else {
            None
        }
    };
    if let Ok(zip) = zip::ZipArchive::new(Cursor::new(body)) {
        return zip
            .file_names()
            .filter_map(Result::ok)
            .find_map(|name| by_name(&name))
            .unwrap_or(Sniffed::Zip);
    }
    // A cut zip: the name of the first entry (local header bytes 26..30
    // hold the name's length, the name follows at 30).
    let first = body
        .get(26..28)
        .map(|n| usize::from(u16::from_le_bytes([n[0], n[1]])))
        .and_then(|len| body.get(30..30 + len))
        .map(String::from_utf8_lossy);
    first.as_deref().and_then(by_name).unwrap_or(Sniffed::Zip)
}

/// An OLE2 file by the stream names in its directory (UTF-16LE).
fn ole_kind(body: &[u8]) -> Sniffed {
    let has = |name: &str| {
        let wide: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        body.windows(wide.len()).any(|w| w == wide.as_slice())
    };
    if has("WordDocument") {
        Sniffed::Doc
    } else if has("Workbook") || has("Book\0") {
        Sniffed::Xls
    } else if has("PowerPoint Document") {
        Sniffed::Ppt
    } else {
        Sniffed::Ole
    }
}

/// What kind of document a response is: by its body's first bytes, its
/// `Content-Type` and its URL's extension.
pub(super) fn detect(url: &Url, content_type: Option<&str>, body: &[u8]) -> PageKind {
    let start = &body[..body.len().min(1024)];
    match magic(body) {
        Some(Magic::Pdf) => return PageKind::Pdf,
        // Office files: DOCX/XLSX/OFD are zips, DOC/XLS/WPS/ET are OLE
        // compound files. Download URLs (`download.do?id=`) name neither.
        Some(Magic::Zip | Magic::Ole) => return PageKind::OtherAttachment,
        None => {}
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

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in names {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, b"<x/>").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn ole_with(stream: &str) -> Vec<u8> {
        let mut body = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        body.resize(512, 0);
        body.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        body.extend([0, 0]);
        body
    }

    #[test]
    fn sniffing_names_a_body_by_its_bytes_alone() {
        assert_eq!(sniff(b"<html><script>x</script>%PDF-1.4"), Sniffed::Pdf);
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "word/document.xml"])),
            Sniffed::Docx
        );
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "xl/workbook.xml"])),
            Sniffed::Xlsx
        );
        assert_eq!(sniff(&zip_of(&["ppt/presentation.xml"])), Sniffed::Pptx);
        assert_eq!(
            sniff(&zip_of(&["OFD.xml", "Doc_0/Document.xml"])),
            Sniffed::Ofd
        );
        assert_eq!(sniff(&zip_of(&["a.txt"])), Sniffed::Zip);
        // A zip cut short: its first local header still names the part.
        let cut = zip_of(&["word/document.xml"]);
        assert_eq!(sniff(&cut[..60]), Sniffed::Docx);
        assert_eq!(sniff(b"PK\x03\x04"), Sniffed::Zip);
        assert_eq!(sniff(&ole_with("WordDocument")), Sniffed::Doc);
        assert_eq!(sniff(&ole_with("Workbook")), Sniffed::Xls);
        assert_eq!(sniff(&ole_with("PowerPoint Document")), Sniffed::Ppt);
        assert_eq!(sniff(&ole_with("Other")), Sniffed::Ole);
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Sniffed::Rtf);
        for page in [
            &b"<html><body>x</body></html>"[..],
            b"<svg/>",
            b"",
            b"\x89PNG",
        ] {
            assert_eq!(sniff(page), Sniffed::Unknown);
        }
        for kind in [Sniffed::Pdf, Sniffed::Docx, Sniffed::Ole, Sniffed::Unknown] {
            assert!(!["html", "htm", "svg", "xml", "xhtml"].contains(&kind.extension()));
        }
    }
}
