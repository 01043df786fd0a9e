//! Text and dates of DOCX attachments.
//!
//! Reports and budget tables are often published only as Word files. A DOCX
//! is a zip whose main part (`word/document.xml`) holds paragraphs (`<w:p>`)
//! of runs whose text sits in `<w:t>`; reading that needs no Word and no
//! child process, only a zip reader and a scan of the tags. Everything read
//! is capped, and a damaged or hostile zip yields an error, never a panic.
//! Old binary `.doc`, WPS and OFD files are left to their link text.

use super::{collapse, dates, kind, pdf};
use crate::types::{DateFact, DateSource, Page};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Largest uncompressed XML part read (the rest is cut).
const MAX_PART_BYTES: u64 = 8 * 1024 * 1024;
/// A visible publish date is looked for this far into the text.
const DATE_WINDOW_CHARS: usize = 2000;
const MAIN_PART: &str = "word/document.xml";
const OFFICE_DOCUMENT_REL: &str = "/officeDocument";

/// Fill `page` from `body` when it is a DOCX: text (one line per
/// paragraph), a meaningful title, the publish and written dates. Any other
/// attachment is left alone; a file that claims to be a DOCX (by extension
/// or Content-Type) but cannot be read gets an `extract_error`.
pub(super) fn fill(page: &mut Page, content_type: Option<&str>, body: &[u8]) {
    let claimed = kind::extension(&page.url) == "docx"
        || content_type.is_some_and(|c| c.to_ascii_lowercase().contains("wordprocessingml"));
    if !body.starts_with(b"PK\x03\x04") {
        if claimed {
            page.extract_error = Some("docx: not a zip file".to_string());
        }
        return;
    }
    let mut zip = match ZipArchive::new(Cursor::new(body)) {
        Ok(zip) => zip,
        Err(e) => {
            if claimed {
                page.extract_error = Some(format!("docx: unreadable zip: {e}"));
            }
            return;
        }
    };
    let Some(main) = main_part(&mut zip) else {
        if claimed {
            page.extract_error = Some("docx: the package holds no Word document".to_string());
        }
        return;
    };
    let xml = match read_part(&mut zip, &main) {
        Ok(xml) => xml,
        Err(e) => {
            if claimed || main != MAIN_PART {
                page.extract_error = Some(format!("docx: {main}: {e}"));
            }
            return;
        }
    };
    page.charset = "utf-8".to_string();
    page.text = document_text(&xml);
    let core = read_part(&mut zip, "docProps/core.xml").unwrap_or_default();
    page.title = element_text(&core, "dc:title")
        .and_then(|t| pdf::meaningful_title(&t))
        .unwrap_or_default();
    let head: String = page.text.chars().take(DATE_WINDOW_CHARS).collect();
    let visible = dates::visible_published(&head).map(|date| DateFact {
        date,
        source: DateSource::Visible,
    });
    let created = element_text(&core, "dcterms:created")
        .and_then(|v| dates::find_date(&v))
        .map(|date| DateFact {
            date,
            source: DateSource::DocumentMetadata,
        });
    page.published = visible.or_else(|| dates::url_date(&page.url)).or(created);
    page.written = dates::visible_written(&head);
}

/// The main document part: the target of the package's officeDocument
/// relationship, else `word/document.xml`. `None` when the package is
/// another Office format (its main part is `xl/…`, `ppt/…`).
fn main_part(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let rels = read_part(zip, "_rels/.rels").unwrap_or_default();
    let target = tags(&rels)
        .filter(|t| t.name == "Relationship")
        .find(|t| attr(t.attrs, "Type").is_some_and(|ty| ty.ends_with(OFFICE_DOCUMENT_REL)))
        .and_then(|t| attr(t.attrs, "Target"))
        .map(|target| target.trim_start_matches('/').to_string())
        .filter(|target| !target.is_empty());
    match target {
        Some(t) if t.starts_with("word/") => Some(t),
        Some(_) => None,
        None => Some(MAIN_PART.to_string()),
    }
}

/// One part as text, at most [`MAX_PART_BYTES`] of it.
fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let file = zip.by_name(name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One tag of an XML text: its name (with prefix), the raw attributes, and
/// where it stands.
struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
    closing: bool,
    self_closing: bool,
    /// Byte offsets of `<` and just after `>`.
    start: usize,
    end: usize,
}

/// The tags of `xml` in order; comments, processing instructions and
/// declarations skipped. A tag cut off at the end is dropped.
fn tags(xml: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || loop {
        let start = pos + xml.get(pos..)?.find('<')?;
        let rest = &xml[start + 1..];
        if rest.starts_with("!--") {
            pos = start + 1 + rest.find("-->").map_or(rest.len(), |i| i + 3);
            continue;
        }
        let close = rest.find('>')?;
        pos = start + 1 + close + 1;
        let inner = &rest[..close];
        if inner.starts_with(['?', '!']) {
            continue;
        }
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/');
        let (name, attrs) = inner
            .split_once(|c: char| c.is_ascii_whitespace())
            .unwrap_or((inner, ""));
        return Some(Tag {
            name,
            attrs,
            closing,
            self_closing,
            start,
            end: pos,
        });
    })
}

/// An attribute value from a tag's raw attributes (name with prefix).
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_end = after[1..].find(quote)?;
        if key == name {
            return Some(&after[1..1 + value_end]);
        }
        rest = &after[1 + value_end + 1..];
    }
    None
}

/// The local part of a tag name (`w:t` → `t`).
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The document's text: runs (`<w:t>`) concatenated, one line per
/// paragraph (`<w:p>`), tabs as spaces and breaks as new lines, whitespace
/// of each line collapsed, empty lines dropped. Deleted text (`w:delText`),
/// field codes and the VML fallback copy of text boxes are not text.
fn document_text(xml: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut end_line = |line: &mut String| {
        let collapsed = collapse(line);
        if !collapsed.is_empty() {
            lines.push(collapsed);
        }
        line.clear();
    };
    let mut text_from: Option<usize> = None;
    let mut fallback_depth = 0usize;
    for tag in tags(xml) {
        if tag.name == "mc:Fallback" && !tag.self_closing {
            fallback_depth = if tag.closing {
                fallback_depth.saturating_sub(1)
            } else {
                fallback_depth + 1
            };
            continue;
        }
        if fallback_depth > 0 {
            continue;
        }
        match (local(tag.name), tag.closing) {
            ("t", false) if !tag.self_closing => text_from = Some(tag.end),
            ("t", true) => {
                if let Some(from) = text_from.take() {
                    line.push_str(&unescape(&xml[from..tag.start]));
                }
            }
            ("tab", false) => line.push(' '),
            ("br" | "cr", false) => end_line(&mut line),
            ("p", true) => end_line(&mut line),
            _ => {}
        }
    }
    // A part cut at the cap ends inside a run: keep its text up to the cut.
    if let Some(from) = text_from {
        let rest = &xml[from..];
        let rest = match rest.rfind('<') {
            Some(i) if !rest[i..].contains('>') => &rest[..i],
            _ => rest,
        };
        if !rest.contains('<') {
            line.push_str(&unescape(rest));
        }
    }
    end_line(&mut line);
    lines.join("\n")
}

/// The text of the first `<name>` element, unescaped and collapsed.
fn element_text(xml: &str, name: &str) -> Option<String> {
    let mut tags = tags(xml);
    let open = tags.find(|t| t.name == name && !t.closing && !t.self_closing)?;
    let close = tags.find(|t| t.name == name && t.closing)?;
    let text = collapse(&unescape(&xml[open.end..close.start]));
    (!text.is_empty()).then_some(text)
}

/// XML character and entity references to text; unknown ones kept as
/// written.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short; look for its `;` in the first bytes only
        // (`;` is ASCII, so where it is found is a character boundary).
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse;
    use crate::types::PageKind;
    use chrono::NaiveDate;
    use std::io::Write;
    use url::Url;
    use zip::write::SimpleFileOptions;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    /// A DOCX with the given parts (name, content), deflated.
    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(content.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn tiny_docx(title: &str) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>北安市2022年</w:t></w:r><w:r><w:t xml:space="preserve">政府信息公开工作年度报告</w:t></w:r></w:p>
<w:p><w:r><w:t>发布日期：2023-01-18</w:t></w:r><w:r><w:tab/><w:t>成文日期：2023-01-15</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:t>统计期限为2022年1月1日</w:t></w:r><w:r><w:br/><w:t>至2022年12月31日 &amp; 其他 &#x4E00;</w:t></w:r><w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:sectPr/></w:body></w:document>"#
        );
        let core = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{title}</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">2023-01-16T08:00:00Z</dcterms:created></cp:coreProperties>"#
        );
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
        zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("_rels/.rels", rels),
            ("docProps/core.xml", &core),
            ("word/document.xml", &document),
        ])
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn extracts_paragraphs_title_and_dates() {
        let url = Url::parse("http://www.hljba.gov.cn/bas/c100784/202301/P0_report.docx").unwrap();
        let page = parse(
            &url,
            200,
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            &tiny_docx("北安市2022年政府信息公开工作年度报告"),
        );
        assert_eq!(page.kind, PageKind::OtherAttachment);
        assert_eq!(page.extract_error, None);
        assert_eq!(
            page.text,
            "北安市2022年政府信息公开工作年度报告\n\
             发布日期：2023-01-18 成文日期：2023-01-15\n\
             统计期限为2022年1月1日\n\
             至2022年12月31日 & 其他 一\n\
             项目\n数量\n文本框"
        );
        assert_eq!(page.title, "北安市2022年政府信息公开工作年度报告");
        assert_eq!(
            page.published.map(|f| (f.date, f.source)),
            Some((d(2023, 1, 18), DateSource::Visible))
        );
        assert_eq!(page.written, Some(d(2023, 1, 15)));
    }

    #[test]
    fn title_needs_chinese_and_metadata_dates_come_last() {
        let body = tiny_docx("Microsoft Word - report.docx");
        // A download URL without extension or date: only the bytes say DOCX.
        let url = Url::parse("http://www.xunke.gov.cn/download.do?id=12").unwrap();
        let page = parse(&url, 200, Some("application/octet-stream"), &body);
        assert_eq!(page.kind, PageKind::OtherAttachment);
        assert_eq!(page.title, "");
        assert!(page.text.starts_with("北安市2022年"));
        // Without a visible date, the core properties' creation date.
        let undated = zip_of(&[
            ("word/document.xml", &format!("<w:document {W}><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>")),
            ("docProps/core.xml", "<cp:coreProperties><dcterms:created>2023-02-03T00:00:00Z</dcterms:created></cp:coreProperties>"),
        ]);
        let page = parse(&url, 200, None, &undated);
        assert_eq!(page.text, "正文");
        assert_eq!(
            page.published.map(|f| (f.date, f.source)),
            Some((d(2023, 2, 3), DateSource::DocumentMetadata))
        );
    }

    #[test]
    fn bad_zips_are_errors_not_panics() {
        let url = Url::parse("http://www.aihui.gov.cn/files/report.docx").unwrap();
        let good = tiny_docx("标题");
        for cut in [4, 30, good.len() / 2, good.len() - 10] {
            let page = parse(&url, 200, None, &good[..cut]);
            assert_eq!(page.kind, PageKind::OtherAttachment);
            assert!(page.text.is_empty(), "cut at {cut}");
            assert!(
                page.extract_error
                    .as_deref()
                    .is_some_and(|e| e.starts_with("docx")),
                "cut at {cut}: {:?}",
                page.extract_error
            );
        }
        let mut flipped = good.clone();
        for i in (40..flipped.len()).step_by(7) {
            flipped[i] ^= 0x5A;
        }
        let page = parse(&url, 200, None, &flipped);
        assert_ne!(
            page.extract_error.as_deref(),
            Some("the parser failed on this body")
        );
        // A zip that is not a Word file, under another name: left alone.
        let other = zip_of(&[("data/table.csv", "a,b")]);
        let page = parse(
            &Url::parse("http://www.aihui.gov.cn/files/tables.zip").unwrap(),
            200,
            None,
            &other,
        );
        assert_eq!((page.text.as_str(), page.extract_error), ("", None));
    }

    #[test]
    fn parts_are_capped() {
        let big = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p><w:p><w:r><w:t>尾</w:t></w:r></w:p></w:body></w:document>",
            "字".repeat(3 * 1024 * 1024)
        );
        let body = zip_of(&[("word/document.xml", &big)]);
        let url = Url::parse("http://www.aihui.gov.cn/files/big.docx").unwrap();
        let page = parse(&url, 200, None, &body);
        assert_eq!(page.extract_error, None);
        assert!(page.text.len() <= MAX_PART_BYTES as usize);
        assert!(
            page.text.len() > 7 * 1024 * 1024,
            "text up to the cut is kept"
        );
        assert!(!page.text.contains('尾'), "the cut drops the tail");
    }

    #[test]
    fn xml_helpers() {
        assert_eq!(
            unescape("a &lt;b&gt; &#20013;&#x6587; &bogus; &"),
            "a <b> 中文 &bogus; &"
        );
        assert_eq!(
            attr(r#"Id="r1" Target='a/b.xml'"#, "Target"),
            Some("a/b.xml")
        );
        assert_eq!(attr(r#"Id="r1""#, "Target"), None);
        assert_eq!(
            element_text(
                "<x><!-- <dc:title>no</dc:title> --><dc:title> 是 </dc:title></x>",
                "dc:title"
            )
            .as_deref(),
            Some("是")
        );
        assert_eq!(document_text("<w:p><w:r><w:t>cut here</w:"), "cut here");
        assert_eq!(document_text("<w:p><w:r><w:t>a</w:t><w:t>b<w:x/>c"), "a");
    }

    #[test]
    fn an_ampersand_before_chinese_text_does_not_panic() {
        // The `;` of a reference was looked for in the first 12 bytes by
        // slicing, which panicked when byte 12 fell inside a character
        // (seen while writing the parse_page fuzz target; it now reaches
        // the DOCX readers too). `parse` caught the panic and lost the
        // whole document's text.
        assert_eq!(unescape("&abcdefghij中文"), "&abcdefghij中文");
        assert_eq!(unescape("&amp;中&#x4E00;&中"), "&中一&中");
        let document = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>R&amp;D 费用&nbsp中文说明</w:t></w:r></w:p></w:body></w:document>"
        );
        let body = zip_of(&[("word/document.xml", &document)]);
        let url = Url::parse("http://www.hljba.gov.cn/a.docx").unwrap();
        let page = crate::page::parse(&url, 200, None, &body);
        assert_eq!(page.extract_error, None);
        assert_eq!(page.text, "R&D 费用&nbsp中文说明");
    }
}
