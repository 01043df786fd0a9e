//! `page::parse` on arbitrary bytes: charset decoding, HTML (title, trail,
//! metadata, links, redirects, script-built lists), JSON list responses and
//! DOCX text. The first byte picks the Content-Type and the URL; the rest
//! is the body. With the DOCX Content-Type, a body that is not a zip is
//! packed as the parts of a DOCX first, so the XML readers see the
//! fuzzer's bytes (a mutated zip would only fail its checksums).
//!
//! libfuzzer-sys aborts on a panic before it unwinds, so the
//! `catch_unwind` inside `parse` does not hide one from the fuzzer.
#![no_main]

use chrono::Datelike;
use govcheck::page;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use url::Url;

const CONTENT_TYPES: [Option<&str>; 8] = [
    None,
    Some("text/html"),
    Some("text/html; charset=gbk"),
    Some("text/html; charset=utf-8"),
    Some("application/json"),
    Some("application/octet-stream"),
    Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    Some("text/plain; charset=gb2312"),
];

static URLS: LazyLock<[Url; 4]> = LazyLock::new(|| {
    [
        "http://www.hljba.gov.cn/bas/c100783/202303/c12_345.shtml?tab=gfxwj",
        "https://www.nehe.gov.cn/xxgk/zfxxgkzn/index.html",
        "http://xxgk.hljaihui.gov.cn/api/list/2805.json?page=1",
        "http://www.sunwu.gov.cn/module/download/downfile.jsp?classid=0&filename=a.docx",
    ]
    .map(|u| Url::parse(u).unwrap())
});

/// The index of the DOCX Content-Type in [`CONTENT_TYPES`].
const DOCX: u8 = 6;

/// A DOCX whose relationships, core properties and document are `xml`,
/// stored uncompressed.
fn docx_of(xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for part in ["_rels/.rels", "docProps/core.xml", "word/document.xml"] {
        zip.start_file(part, options).unwrap();
        zip.write_all(xml).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Links one body may yield: every link needs some bytes of its own, but
/// script pagers and data-page readers list up to 200 pages from one short
/// call, so the bound is a multiple of the input, not the crawl's
/// per-page cap (which the crawler applies after parsing).
fn link_budget(body: &[u8]) -> usize {
    5_000 + 8 * body.len()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    // PDFs go to poppler in a child process: not this crate's parser, and a
    // process per input would starve the fuzzer.
    if body[..body.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return;
    }
    let content_type = CONTENT_TYPES[usize::from(selector & 7)];
    let url = &URLS[usize::from(selector >> 3) % URLS.len()];
    let packed;
    let body = if selector & 7 == DOCX && !body.starts_with(b"PK") {
        packed = docx_of(body);
        &packed[..]
    } else {
        body
    };
    let page = page::parse(url, 200, content_type, body);
    assert_ne!(
        page.extract_error.as_deref(),
        Some("the parser failed on this body")
    );
    assert!(
        page.links.len() <= link_budget(body),
        "{} links from {} bytes",
        page.links.len(),
        body.len()
    );
    for link in &page.links {
        assert!(
            matches!(link.url.scheme(), "http" | "https"),
            "{}",
            link.url
        );
        assert!(link.url.fragment().is_none(), "{}", link.url);
    }
    // dates.rs reads no year outside 1995–2099, whatever the source.
    let dates = page.published.map(|p| p.date).into_iter();
    let dates = dates
        .chain(page.written)
        .chain(page.links.iter().filter_map(|l| l.date));
    for date in dates {
        assert!((1995..=2099).contains(&date.year()), "{date}");
    }
});
