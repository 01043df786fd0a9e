//! Bytes to text, the way county sites need it.
//!
//! New platforms are UTF-8, older county sites GBK/GB2312, often declared
//! only in a `<meta>` tag and sometimes declared wrongly. The sources are
//! tried in order (BOM, Content-Type header, `<meta>` in the first 4 KiB,
//! statistical detection), and a declared charset that turns the body into
//! replacement characters gives way to the next source.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;
use std::sync::LazyLock;

/// How many replacement characters a declared charset may produce before
/// the next source is tried.
const TOLERATED_REPLACEMENTS: usize = 4;
const META_WINDOW: usize = 4096;
/// chardetng sees this much of the body; more does not change its guess.
const DETECT_WINDOW: usize = 256 * 1024;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_:.\-]+)"#)
        .unwrap()
});

/// Text of `body` and the lower-case name of the charset it was decoded with
/// (`utf-8`, `gb18030`, …).
pub fn decode(content_type: Option<&str>, body: &[u8]) -> (String, String) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(body) {
        let (text, _) = encoding.decode_without_bom_handling(&body[bom_len..]);
        return (text.into_owned(), name(encoding));
    }
    let declared = [content_type.and_then(header_charset), meta_charset(body)];
    for encoding in declared.into_iter().flatten() {
        if encoding != UTF_8 && is_multibyte_utf8(body) {
            // GBK text is virtually never valid UTF-8: the declaration is a
            // template left over from an older site.
            continue;
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if !had_errors || text.matches('\u{FFFD}').count() <= TOLERATED_REPLACEMENTS {
            return (text.into_owned(), name(encoding));
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&body[..body.len().min(DETECT_WINDOW)], true);
    let encoding = widen(detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow));
    let (text, _) = encoding.decode_without_bom_handling(body);
    (text.into_owned(), name(encoding))
}

/// The charset `body` declares (Content-Type header first, then `<meta>`),
/// lower-case, when it is not `used`: a page whose declaration could not
/// be what its bytes are, recorded so the mismatch can be seen.
pub fn overruled_declaration(
    content_type: Option<&str>,
    body: &[u8],
    used: &str,
) -> Option<String> {
    if Encoding::for_bom(body).is_some() {
        return None;
    }
    [content_type.and_then(header_charset), meta_charset(body)]
        .into_iter()
        .flatten()
        .next()
        .map(name)
        .filter(|declared| declared != used)
}

fn is_multibyte_utf8(body: &[u8]) -> bool {
    !body.is_ascii() && std::str::from_utf8(body).is_ok()
}

fn name(encoding: &'static Encoding) -> String {
    encoding.name().to_ascii_lowercase()
}

/// GBK and GB2312 pages are decoded as their superset GB18030.
fn widen(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    }
}

/// The encoding a label names, GBK-family labels read as GB18030. Unknown
/// labels and the `replacement` encoding give `None`.
fn for_label(label: &str) -> Option<&'static Encoding> {
    let label = label
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_lowercase();
    if matches!(
        label.as_str(),
        "gbk" | "gb2312" | "x-gbk" | "gb_2312-80" | "gb_2312" | "gb18030" | "cp936"
    ) {
        return Some(GB18030);
    }
    let encoding = Encoding::for_label(label.as_bytes())?;
    (encoding != encoding_rs::REPLACEMENT).then(|| widen(encoding))
}

fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| for_label(value))
            .flatten()
    })
}

/// The charset declared by `<meta charset>`, `<meta http-equiv>` or an XML
/// declaration near the top of the document. A UTF-16 declaration in a body
/// without a BOM cannot be true and is read as UTF-8, as browsers do.
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(META_WINDOW)];
    let caps = META_CHARSET.captures(head)?;
    let label = caps.get(1).or_else(|| caps.get(2))?;
    let encoding = for_label(std::str::from_utf8(label.as_bytes()).ok()?)?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gbk_declaration_on_utf8_bytes_is_read_as_utf8_and_noted() {
        let body = "<meta charset=\"gbk\"><p>政府信息公开工作年度报告</p>".as_bytes();
        let (text, used) = decode(None, body);
        assert!(text.contains("政府信息公开工作年度报告"));
        assert_eq!(used, "utf-8");
        assert_eq!(
            overruled_declaration(None, body, &used).as_deref(),
            Some("gb18030")
        );
        assert_eq!(
            overruled_declaration(Some("text/html; charset=utf-8"), body, &used),
            None
        );
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    const PAGE: &str = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
        <title>北安市2022年政府信息公开工作年度报告_北安市人民政府</title></head>\
        <body><p>根据《中华人民共和国政府信息公开条例》规定，现公布北安市2022年政府信息公开工作年度报告。</p></body></html>";

    #[test]
    fn gbk_declared_only_in_meta() {
        let (text, charset) = decode(Some("text/html"), &gbk(PAGE));
        assert_eq!(charset, "gb18030");
        assert!(text.contains("北安市2022年政府信息公开工作年度报告"));
    }

    #[test]
    fn meta_charset_attribute() {
        let page = PAGE.replace(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
            "<meta charset='GBK'>",
        );
        let (text, charset) = decode(None, &gbk(&page));
        assert_eq!(charset, "gb18030");
        assert!(text.contains("政府信息公开条例"));
    }

    #[test]
    fn header_beats_meta() {
        let page = PAGE.replace("charset=gb2312", "charset=utf-8");
        let (text, charset) = decode(Some("text/html; charset=GBK"), &gbk(&page));
        assert_eq!(charset, "gb18030");
        assert!(text.contains("年度报告"));
    }

    #[test]
    fn bom_beats_header() {
        let mut body = vec![0xEF, 0xBB, 0xBF];
        body.extend_from_slice(PAGE.as_bytes());
        let (text, charset) = decode(Some("text/html; charset=gbk"), &body);
        assert_eq!(charset, "utf-8");
        assert!(text.starts_with("<html>"));
        assert!(text.contains("北安市人民政府"));
    }

    #[test]
    fn wrong_declared_charset_falls_back() {
        // Declared GB2312 in both places, actually UTF-8.
        let (text, charset) = decode(Some("text/html; charset=gb2312"), PAGE.as_bytes());
        assert_eq!(charset, "utf-8");
        assert!(text.contains("北安市2022年政府信息公开工作年度报告"));
    }

    #[test]
    fn header_utf8_on_a_gbk_page_gives_way_to_meta() {
        let (text, charset) = decode(Some("text/html; charset=UTF-8"), &gbk(PAGE));
        assert_eq!(charset, "gb18030");
        assert!(text.contains("北安市2022年政府信息公开工作年度报告"));
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let page = PAGE.replace(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
            "",
        );
        let (text, charset) = decode(None, &gbk(&page));
        assert_eq!(charset, "gb18030");
        assert!(text.contains("政府信息公开条例"));
    }

    #[test]
    fn unknown_labels_are_ignored() {
        let (text, charset) = decode(
            Some("text/html; charset=nonsense"),
            "<p>黑河</p>".as_bytes(),
        );
        assert_eq!(charset, "utf-8");
        assert_eq!(text, "<p>黑河</p>");
    }
}
