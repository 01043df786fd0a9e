//! The parsed facts of one fetched document: what `page` makes of a body
//! and what `audit` reads. A plain value, so detectors are testable from a
//! fixture file without a network.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use url::Url;

/// What kind of document a response was, decided from Content-Type, the
/// URL's extension and the first bytes (a `%PDF-` body is a PDF whatever the
/// header says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// An HTML page.
    Html,
    /// A PDF attachment.
    Pdf,
    /// JSON from a list endpoint that a script would have rendered.
    Json,
    /// DOC, DOCX, XLS, XLSX, WPS, ET, OFD, ZIP…: archived and named by its
    /// link text. Text (and title and dates) are extracted from DOCX only.
    OtherAttachment,
    /// Images, CSS, plain text and the rest.
    Other,
}

/// Where a publish date came from, strongest first. `成文日期` is never one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A visible 发布日期 / 发布时间 / 日期 line on the page.
    Visible,
    /// The `PubDate` (or similar) meta tag.
    Meta,
    /// A full date in the URL (`t20230218_`, `/art/2023/3/31/`).
    Url,
    /// Year and month in the path (`/202302/`): the day is set to 1.
    UrlYearMonth,
    /// The date printed beside the link in the list that led here.
    ListContext,
    /// Document metadata: PDF CreationDate, DOCX `dcterms:created`.
    DocumentMetadata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
/// A date and where it was read.
pub struct DateFact {
    /// The date.
    pub date: NaiveDate,
    /// Where it came from.
    pub source: DateSource,
}

/// How a link was found on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkOrigin {
    /// An `<a href>`.
    Anchor,
    /// An `<iframe>`/`<frame>` source.
    Frame,
    /// A next/numbered page of a list (`index_1.html`, `?page=2`, a
    /// `createPageHTML(...)` pager).
    Pager,
    /// A URL found in an inline script (a list data endpoint).
    Script,
    /// An entry of a JSON list endpoint.
    Data,
    /// From robots.txt `Sitemap:` or a sitemap file.
    Sitemap,
    /// An earlier run's evidence, revisited first by a recheck.
    Evidence,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
/// A link found on a page, with what a reader sees around it.
pub struct Link {
    /// Absolute, fragment removed.
    pub url: Url,
    /// Anchor text (or `title` attribute when the text is cut short with
    /// `...`), whitespace collapsed.
    pub text: String,
    /// Text of the list row around the link (the enclosing `li`/`tr`/`dd`)
    /// without the anchor text: often the date and the source.
    pub context: String,
    /// Nearest heading or box title above the link: the column name of the
    /// list it stands in ("政务公开", "通知公告").
    pub section: String,
    /// The date shown beside the link in its list row, if any.
    pub date: Option<NaiveDate>,
    /// How it was found.
    pub origin: LinkOrigin,
}

#[derive(Debug, Clone, serde::Serialize)]
/// What `page` read from one fetched document.
pub struct Page {
    /// The final URL after redirects.
    pub url: Url,
    /// HTTP status of the response.
    pub status: u16,
    /// What kind of document it is.
    pub kind: PageKind,
    /// Charset the body was decoded with (`utf-8`, `gb18030`, …).
    pub charset: String,
    /// The charset the page declared, when its bytes could not be that and
    /// were read as `charset` instead (a GBK template over UTF-8 text).
    pub declared_charset: Option<String>,
    /// The document's own title: `ArticleTitle` meta, else the main heading,
    /// else `<title>` with a trailing site name (`_北安市人民政府`) removed.
    /// For attachments, the PDF or DOCX title metadata if meaningful, else
    /// empty.
    pub title: String,
    /// `<title>` as written.
    pub html_title: String,
    /// `<h1>`–`<h3>` texts, in document order.
    pub headings: Vec<String>,
    /// Entries of the 当前位置 / 您的位置 trail, home first.
    pub breadcrumb: Vec<String>,
    /// Meta tags by lower-cased name (`articletitle`, `pubdate`,
    /// `columnname`, `sitename`, `siteidcode`, `contentsource`, `keywords`,
    /// `description`, …).
    pub meta: BTreeMap<String, String>,
    /// The publish date (发布日期), best source first; never 成文日期.
    pub published: Option<DateFact>,
    /// 成文日期 when shown, kept apart so nobody mistakes it for the other.
    pub written: Option<NaiveDate>,
    /// 发布机构 / 来源 / 信息来源 as shown.
    pub publisher: Option<String>,
    /// 索引号 when the page carries the disclosure platform's metadata table.
    pub index_number: Option<String>,
    /// Every link found (anchors, frames, pagers, script and data endpoints).
    pub links: Vec<Link>,
    /// Visible text of the main content (body container when one is found,
    /// else the whole body), whitespace collapsed; for a PDF the extracted
    /// text; for a DOCX one line per paragraph. Scripts and styles removed.
    pub text: String,
    /// Why text could not be extracted from an attachment, if it could not.
    pub extract_error: Option<String>,
    /// Data requests of the page's scripts that could not be reproduced
    /// without running them: a list they fill was never read.
    pub script_gaps: Vec<String>,
    /// Headings of the page's sections whose list such a request fills.
    pub script_gap_sections: Vec<String>,
    /// The list says it has this many pages, but no link to its other
    /// pages could be followed (a postback pager, a form).
    pub unfollowable_pages: Option<u32>,
    /// The body is an empty mount point (`<div id="app"></div>`) that the
    /// site's scripts fill in a browser: nothing of the page was seen.
    pub drawn_by_script: bool,
    /// Some of its links exist only as template bindings (avalon
    /// `ms-attr-href`, Vue `:href`, `href="…{{el.id}}…"`): the rows a
    /// browser repeats from them were never seen.
    pub template_links: bool,
    /// Read from the rendering browser (the DOM its scripts built, or a
    /// response to a request they made), not from a plain fetch.
    pub rendered: bool,
    /// External scripts of the site's own (libraries left out), which may
    /// fill the page in a browser.
    pub app_scripts: Vec<Url>,
    /// Only part of the body was read, and why: what the page holds
    /// beyond the cut was never seen.
    pub cut: Option<BodyCut>,
}

/// Why only part of a page was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyCut {
    /// The body was longer than the transfer cap and was cut on the wire.
    BodyTooLarge,
    /// Undoing gzip/deflate produced more than the decompression cap.
    DecompressionLimit,
    /// The HTML was longer than the parser's size cap; only its head was
    /// parsed.
    ParseLimit,
    /// The HTML nested deeper than any real page; only what came before
    /// was parsed.
    NestingLimit,
    /// The page held more elements than the parser builds a tree of; only
    /// what came before was parsed.
    ElementLimit,
    /// The page had more links than are read from one page; the rest
    /// were not looked at.
    LinkLimit,
}

impl BodyCut {
    /// The cut as written in reasons (`body_too_large`).
    pub fn as_str(self) -> &'static str {
        match self {
            BodyCut::BodyTooLarge => "body_too_large",
            BodyCut::DecompressionLimit => "decompression_limit",
            BodyCut::ParseLimit => "parse_limit",
            BodyCut::NestingLimit => "nesting_limit",
            BodyCut::ElementLimit => "element_limit",
            BodyCut::LinkLimit => "link_limit",
        }
    }
}

impl Page {
    /// A page with nothing read from its body yet.
    pub fn empty(url: &Url, status: u16, kind: PageKind) -> Page {
        Page {
            url: url.clone(),
            status,
            kind,
            charset: String::new(),
            declared_charset: None,
            title: String::new(),
            html_title: String::new(),
            headings: vec![],
            breadcrumb: vec![],
            meta: BTreeMap::new(),
            published: None,
            written: None,
            publisher: None,
            index_number: None,
            links: vec![],
            text: String::new(),
            extract_error: None,
            script_gaps: Vec::new(),
            script_gap_sections: Vec::new(),
            unfollowable_pages: None,
            drawn_by_script: false,
            template_links: false,
            rendered: false,
            app_scripts: Vec::new(),
            cut: None,
        }
    }
}
