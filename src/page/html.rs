//! The facts of an HTML page that detectors judge a document by.
//!
//! Government pages wrap one article in a heavy template: navigation,
//! sidebars, a 当前位置 trail, the national meta tags and, on disclosure
//! articles, a metadata table (索引号, 发布机构, 成文日期, 发布日期). This
//! module finds the document inside the template: its own title (not the
//! site's), the content text, the trail and the metadata, keeping 成文日期
//! apart from 发布日期.

use super::dom::{selector, visible_text, HIDDEN};
use super::lists::{self, docwrite, jpage, navfns::NavFunctions, postback, rendered};
use super::{charset, collapse, dates, links, redirects, Link, Page};
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static HEADINGS: LazyLock<Selector> = LazyLock::new(|| selector("h1, h2, h3"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static AREA_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("h2, .title"));
static ROWS: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| selector("a"));
static CONTENT: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "#UCAP-CONTENT",
        ".TRS_Editor",
        "#zoom",
        ".xxgk-content",
        ".article-content",
        ".article",
        "#content",
        ".content",
        "article",
    ]
    .iter()
    .map(|css| selector(css))
    .collect()
});

/// Matches of one container selector measured to find the main one.
const MAX_CONTAINER_CANDIDATES: usize = 20;
/// 当前位置 labels tried before giving up on a trail.
const MAX_BREADCRUMB_LABELS: usize = 5;

static BREADCRUMB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(当前位置|您的位置|你的位置|所在位置|现在的位置|当前的位置)\s*是?\s*[:：]?")
        .unwrap()
});
const BREADCRUMB_SEPARATORS: &[char] = &['>', '»', '/', '＞', '›', '→', '》', '〉'];

/// Labels of the disclosure metadata table.
const METADATA_LABELS: &[&str] = &[
    "索引号",
    "发布机构",
    "发文机关",
    "成文日期",
    "发布日期",
    "发布时间",
    "上载日期",
    "公开日期",
    "公布日期",
    "发文字号",
    "文号",
    "主题分类",
    "信息来源",
    "文章来源",
    "来源",
    "有效性",
    "公开方式",
    "公开范围",
    "生成日期",
    "主题词",
    "标题",
    "名称",
];
/// Words after a `label：value` pair that start the next field.
const VALUE_STOPS: &[&str] = &[
    "作者", "浏览", "点击", "访问", "阅读", "字号", "字体", "打印", "分享", "日期", "时间", "编辑",
    "责任", "【", "[", "|", "丨", "（",
];

static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    let labels: Vec<String> = METADATA_LABELS
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(r"\s*")
        })
        .collect();
    Regex::new(&format!(r"({})\s*[:：]\s*", labels.join("|"))).unwrap()
});

/// Parse an HTML body into `page`.
pub fn fill(page: &mut Page, content_type: Option<&str>, body: &[u8]) {
    let (text, charset) = charset::decode(content_type, body);
    page.charset = charset;
    let text = jpage::unwrap_records(&text);
    let text = docwrite::expand(&text);
    let doc = Html::parse_document(&text);
    page.html_title = doc
        .select(&TITLE)
        .next()
        .map(visible_text)
        .unwrap_or_default();
    page.meta = meta_tags(&doc);
    page.headings = doc
        .select(&HEADINGS)
        .map(visible_text)
        .filter(|h| !h.is_empty() && h.chars().count() <= 200)
        .take(50)
        .collect();
    page.breadcrumb = breadcrumb(&doc);

    let body_el = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());
    let body_text = visible_text(body_el);
    let content = content_container(&doc);
    page.text = content
        .map(visible_text)
        .unwrap_or_else(|| body_text.clone());
    page.title = document_title(&doc, content, &page.meta, &page.html_title);

    let fields = metadata(&doc, &body_text);
    let field = |names: &[&str]| names.iter().find_map(|n| fields.get(*n)).cloned();
    page.index_number = field(&["索引号"]).filter(|v| v.chars().count() <= 60);
    page.publisher = field(&["发布机构", "发文机关", "信息来源", "文章来源", "来源"])
        .filter(|v| v.chars().count() <= 40);
    page.written = field(&["成文日期"]).and_then(|v| dates::find_date(&v));
    let nav = NavFunctions::from_doc(&doc);
    let mut found = links::extract(&doc, &page.url, |code| nav.target(code));
    // A "时间：2022-11-18" inside a list row dates the row, not the page: a
    // column page must not look like an article published that day.
    let row_dates: Vec<_> = found.iter().filter_map(|l| l.date).collect();
    let shown = field(&["发布日期", "发布时间", "上载日期", "公开日期", "公布日期"])
        .and_then(|v| dates::find_date(&v))
        .or_else(|| dates::visible_published(&body_text).filter(|d| !row_dates.contains(d)));
    page.published = match shown {
        Some(date) => Some(super::DateFact {
            date,
            source: super::DateSource::Visible,
        }),
        None => dates::published("", &page.meta, &page.url),
    };

    // Meta refresh and script navigation: a stub homepage's only way on.
    let redirects = redirects::extract(&doc, &links::base(&doc, &page.url));
    for link in redirects {
        if !found.iter().any(|l| l.url == link.url) {
            found.push(link);
        }
    }
    // Script pagers and data endpoints fill this page's own list: its column
    // is their section.
    let column = page
        .meta
        .get("columnname")
        .cloned()
        .unwrap_or_else(|| page.title.clone());
    let scripted = lists::read_scripts(&doc, &page.url, &found);
    page.script_gaps = scripted.gaps;
    page.script_gap_sections = scripted.gap_sections;
    page.app_scripts = scripted.app_scripts;
    found.extend(scripted.links.into_iter().map(|l| Link {
        section: column.clone(),
        ..l
    }));
    page.unfollowable_pages = postback::unfollowable_pages(&body_text, &found);
    page.drawn_by_script = !page.app_scripts.is_empty() && rendered::has_empty_mount_point(&doc);
    if page.drawn_by_script {
        page.script_gaps.push(format!(
            "the page is drawn in the browser by {}",
            page.app_scripts
                .iter()
                .map(|u| u.path())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    page.links = found;
}

fn meta_tags(doc: &Html) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::new();
    for el in doc.select(&META) {
        let e = el.value();
        let name = e
            .attr("name")
            .or_else(|| e.attr("http-equiv"))
            .or_else(|| e.attr("property"));
        let (Some(name), Some(content)) = (name, e.attr("content")) else {
            continue;
        };
        let name = name.trim().to_lowercase();
        let content = collapse(content);
        if name.is_empty() || content.is_empty() {
            continue;
        }
        meta.entry(name).or_insert(content);
    }
    meta
}

/// The element holding the document's own content, if the template marks it.
fn content_container(doc: &Html) -> Option<ElementRef<'_>> {
    // Nested matches make measuring every one quadratic; the outermost come
    // first in document order.
    CONTENT.iter().find_map(|sel| {
        doc.select(sel)
            .take(MAX_CONTAINER_CANDIDATES)
            .map(|el| (visible_text(el).chars().count(), el))
            .filter(|(len, _)| *len >= 2)
            .max_by_key(|(len, _)| *len)
            .map(|(_, el)| el)
    })
}

/// `ArticleTitle` meta, else the main heading, else `<title>` without the
/// site name.
fn document_title(
    doc: &Html,
    content: Option<ElementRef>,
    meta: &BTreeMap<String, String>,
    html_title: &str,
) -> String {
    let site_name = meta.get("sitename").map(String::as_str);
    // Copied templates leave the site name in ArticleTitle
    // ("…年度报告_嘉荫县人民政府"), or only the site name.
    if let Some(t) = meta
        .get("articletitle")
        .map(|t| strip_site_name(t, site_name))
        .filter(|t| !t.is_empty() && !is_site_name(t, site_name))
    {
        return t;
    }
    let plausible =
        |t: &String| (2..=200).contains(&t.chars().count()) && !is_site_name(t, site_name);
    // A unit's name in a header <h1> comes before the document's own: the
    // longest <h1> the <title> repeats is the document's.
    let h1s: Vec<String> = doc
        .select(&H1)
        .map(visible_text)
        .filter(plausible)
        .collect();
    let in_title = h1s
        .iter()
        .filter(|h| html_title.contains(h.as_str()))
        .max_by_key(|h| h.chars().count());
    if let Some(h1) = in_title.or(h1s.first()) {
        return h1.clone();
    }
    let areas = content.into_iter().flat_map(|c| {
        let parent = c
            .parent()
            .and_then(ElementRef::wrap)
            .filter(|p| !matches!(p.value().name(), "body" | "html"));
        std::iter::once(c).chain(parent)
    });
    for area in areas {
        if let Some(t) = area.select(&AREA_TITLE).map(visible_text).find(plausible) {
            return t;
        }
    }
    strip_site_name(html_title, site_name)
}

fn is_site_name(text: &str, site_name: Option<&str>) -> bool {
    let text = text.trim();
    text.is_empty()
        || site_name.is_some_and(|s| s.trim() == text)
        || ["人民政府", "政府", "网", "门户网站", "门户", "政府网站"]
            .iter()
            .any(|s| text.ends_with(s))
}

/// `<title>` minus trailing `_北安市人民政府`-style parts.
pub fn strip_site_name(title: &str, site_name: Option<&str>) -> String {
    const SEPARATORS: &[char] = &['_', '-', '|', '—', '｜', '－', '–'];
    let mut title = title.trim();
    while let Some(idx) = title.rfind(SEPARATORS) {
        let sep_len = title[idx..].chars().next().map_or(1, char::len_utf8);
        let (head, tail) = (
            title[..idx].trim_end_matches(SEPARATORS).trim(),
            &title[idx + sep_len..],
        );
        if head.is_empty() || !is_site_name(tail, site_name) {
            break;
        }
        title = head;
    }
    title.to_string()
}

/// Entries of the 当前位置 trail, home first, label removed.
fn breadcrumb(doc: &Html) -> Vec<String> {
    let labelled = doc.root_element().descendants().filter_map(|node| {
        let text = node.value().as_text()?;
        BREADCRUMB_LABEL.find(text).map(|label| (node, text, label))
    });
    for (node, text, label) in labelled.take(MAX_BREADCRUMB_LABELS) {
        let hidden = node
            .ancestors()
            .filter_map(|a| a.value().as_element().map(|e| e.name()))
            .any(|n| HIDDEN.contains(&n) || n == "a");
        let Some(parent) = node.parent().and_then(ElementRef::wrap).filter(|_| !hidden) else {
            continue;
        };
        let mut container = parent;
        for _ in 0..3 {
            if container.select(&ANCHOR).next().is_some() {
                break;
            }
            match container.parent().and_then(ElementRef::wrap) {
                Some(p) if p.value().name() != "body" => container = p,
                _ => break,
            }
        }
        if container.select(&ANCHOR).next().is_none() {
            container = parent;
        }
        let mut entries = Vec::new();
        push_pieces(&mut entries, &text[label.end()..]);
        let mut started = false;
        for n in container.descendants() {
            if n.id() == node.id() {
                started = true;
                continue;
            }
            if !started {
                continue;
            }
            match n.value() {
                Node::Element(e) if e.name() == "a" => {
                    let t = ElementRef::wrap(n).map(visible_text).unwrap_or_default();
                    if !t.is_empty() {
                        entries.push(t);
                    }
                }
                Node::Text(t) => {
                    let in_anchor_or_hidden = n
                        .ancestors()
                        .take_while(|a| a.id() != container.id())
                        .filter_map(|a| a.value().as_element().map(|e| e.name()))
                        .any(|n| n == "a" || HIDDEN.contains(&n));
                    if !in_anchor_or_hidden {
                        push_pieces(&mut entries, t);
                    }
                }
                _ => {}
            }
            if entries.len() >= 12 {
                break;
            }
        }
        if !entries.is_empty() {
            return entries;
        }
    }
    Vec::new()
}

fn push_pieces(entries: &mut Vec<String>, text: &str) {
    for piece in text.split(BREADCRUMB_SEPARATORS) {
        let piece = collapse(piece);
        if !piece.is_empty() && piece.chars().count() <= 100 {
            entries.push(piece);
        }
    }
}

/// The disclosure metadata fields shown on the page, by label (whitespace
/// removed from the label): from `<table>` label/value cells first, then
/// from `label：value` text.
fn metadata(doc: &Html, body_text: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let label_of = |cell: &ElementRef| -> Option<&'static str> {
        let squeezed: String = visible_text(*cell)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let squeezed = squeezed.trim_end_matches([':', '：']);
        METADATA_LABELS.iter().copied().find(|l| *l == squeezed)
    };
    for row in doc.select(&ROWS) {
        let cells: Vec<ElementRef> = row
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .collect();
        for pair in cells.windows(2) {
            let Some(label) = label_of(&pair[0]) else {
                continue;
            };
            if label_of(&pair[1]).is_some() {
                continue;
            }
            let value = visible_text(pair[1]);
            if !value.is_empty() {
                fields.entry(label.to_string()).or_insert(value);
            }
        }
    }
    for caps in LABELLED.captures_iter(body_text) {
        let (Some(label), Some(whole)) = (caps.get(1), caps.get(0)) else {
            continue;
        };
        let label: String = label
            .as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let value = value_after(&body_text[whole.end()..]);
        if !value.is_empty() {
            fields.entry(label).or_insert(value);
        }
    }
    fields
}

/// The value of a `label：value` pair: up to whitespace or the next label.
fn value_after(rest: &str) -> String {
    let mut end = rest.len();
    for (idx, c) in rest.char_indices() {
        let tail = &rest[idx..];
        let next_field = METADATA_LABELS
            .iter()
            .chain(VALUE_STOPS)
            .any(|l| tail.starts_with(l));
        if c.is_whitespace() || next_field {
            end = idx;
            break;
        }
    }
    rest[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{parse, DateSource, PageKind};
    use super::*;
    use chrono::NaiveDate;
    use url::Url;

    fn page(url: &str, html: &str) -> Page {
        parse(
            &Url::parse(url).unwrap(),
            200,
            Some("text/html; charset=utf-8"),
            html.as_bytes(),
        )
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const ARTICLE: &str = r#"<!DOCTYPE html><html><head>
<meta charset="utf-8">
<title>北安市2022年政府信息公开工作年度报告_北安市人民政府</title>
<meta name="SiteName" content="北安市人民政府">
<meta name="SiteIDCode" content="2311810001">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="PubDate" content="2023-01-10 09:00">
<script>var x = "当前位置：不是这里";</script>
</head><body>
<div class="header"><h1><img src="/logo.png" alt=""></h1><ul class="nav"><li><a href="/">首页</a></li></ul></div>
<div class="location"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/bas/zwgk/zwgk.shtml">政务公开</a> &gt;&gt; <a href="/bas/c100784/list.shtml">政府信息公开年报</a> &gt; 正文</div>
<table class="xxgk-table">
<tr><td>索 引 号：</td><td>11231181MB0000000X/2023-00012</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>北安市人民政府办公室</td><td>成文日期：</td><td>2023-01-15</td></tr>
<tr><td>标　　题：</td><td>北安市2022年政府信息公开工作年度报告</td></tr>
<tr><td>文　　号：</td><td></td><td>发布日期：</td><td>2023-01-18</td></tr>
</table>
<div class="article-title"><h2>北安市2022年政府信息公开工作年度报告</h2></div>
<div id="zoom"><p>本报告根据《中华人民共和国政府信息公开条例》编制。</p><style>p{color:red}</style>
<p>一、总体情况</p><p>统计期限为2022年1月1日至2022年12月31日。</p></div>
</body></html>"#;

    #[test]
    fn article_facts() {
        let p = page(
            "https://www.hljba.gov.cn/bas/c100784/202301/c12_345.shtml",
            ARTICLE,
        );
        assert_eq!(p.kind, PageKind::Html);
        assert_eq!(p.charset, "utf-8");
        assert_eq!(
            p.html_title,
            "北安市2022年政府信息公开工作年度报告_北安市人民政府"
        );
        assert_eq!(p.title, "北安市2022年政府信息公开工作年度报告");
        assert_eq!(
            p.meta.get("columnname").map(String::as_str),
            Some("政府信息公开年报")
        );
        assert_eq!(
            p.meta.get("siteidcode").map(String::as_str),
            Some("2311810001")
        );
        assert_eq!(
            p.breadcrumb,
            ["首页", "政务公开", "政府信息公开年报", "正文"]
        );
        assert_eq!(
            p.index_number.as_deref(),
            Some("11231181MB0000000X/2023-00012")
        );
        assert_eq!(p.publisher.as_deref(), Some("北安市人民政府办公室"));
        assert_eq!(p.written, Some(d(2023, 1, 15)));
        let published = p.published.unwrap();
        assert_eq!(
            (published.date, published.source),
            (d(2023, 1, 18), DateSource::Visible)
        );
        assert!(p.text.starts_with("本报告根据"), "{}", p.text);
        assert!(p
            .text
            .contains("一、总体情况 统计期限为2022年1月1日至2022年12月31日。"));
        assert!(!p.text.contains("color"));
        assert!(p
            .headings
            .contains(&"北安市2022年政府信息公开工作年度报告".to_string()));
    }

    #[test]
    fn metadata_as_text_and_written_only() {
        let html = r#"<html><body><ul class="xxgk">
<li><span>索引号：</span>000014349/2023-00031</li><li>发布机构：孙吴县人民政府</li>
<li>成文日期：2023-03-20</li></ul>
<div class="content">孙吴县2022年度法治政府建设情况报告全文。</div></body></html>"#;
        let p = page(
            "http://www.hljsunwu.gov.cn/swx/c100790/202304/c12_9.shtml",
            html,
        );
        assert_eq!(p.index_number.as_deref(), Some("000014349/2023-00031"));
        assert_eq!(p.publisher.as_deref(), Some("孙吴县人民政府"));
        assert_eq!(p.written, Some(d(2023, 3, 20)));
        let published = p.published.unwrap();
        assert_eq!(
            (published.date, published.source),
            (d(2023, 4, 1), DateSource::UrlYearMonth)
        );
    }

    #[test]
    fn visible_date_line_with_source() {
        let html = r#"<html><head><title>北安市司法局2022年度法治政府建设工作报告-北安市人民政府网</title></head><body>
<div class="info">日期：2023-03-28　来源：北安市司法局　浏览次数：35</div>
<div class="TRS_Editor"><p>2022年，北安市司法局……</p></div></body></html>"#;
        let p = page("http://www.hljba.gov.cn/zwgk/202303/t20230328_1.html", html);
        assert_eq!(p.publisher.as_deref(), Some("北安市司法局"));
        assert_eq!(
            p.published.map(|f| (f.date, f.source)),
            Some((d(2023, 3, 28), DateSource::Visible))
        );
        assert_eq!(p.title, "北安市司法局2022年度法治政府建设工作报告");
        assert_eq!(p.text, "2022年，北安市司法局……");
    }

    #[test]
    fn visible_dates_split_across_elements_and_in_list_rows() {
        let split = r#"<html><body><div class="info"><span class="label">发布时间：</span><span>2023-03-28</span>
<span>来源：</span><span>嫩江市司法局</span></div><div id="zoom"><p>正文</p></div></body></html>"#;
        let p = page("http://www.nenjiang.gov.cn/zwgk/a.html", split);
        assert_eq!(
            p.published.map(|f| (f.date, f.source)),
            Some((d(2023, 3, 28), DateSource::Visible))
        );
        assert_eq!(p.publisher.as_deref(), Some("嫩江市司法局"));

        let blocks = r#"<html><body><div class="meta"><div>发布日期</div><div>2023年03月28日 10:30</div></div>
<table><tr><td>成文日期</td><td>2023年03月20日</td></tr></table><div class="content">正文</div></body></html>"#;
        let p = page("http://www.nenjiang.gov.cn/zwgk/b.html", blocks);
        assert_eq!(p.written, Some(d(2023, 3, 20)));
        assert_eq!(
            p.published.map(|f| (f.date, f.source)),
            Some((d(2023, 3, 28), DateSource::Visible))
        );

        let chinese = r#"<html><body><p class="date">发布日期：2023年03月28日</p><div class="content">正文</div></body></html>"#;
        let p = page("http://www.xunke.gov.cn/a.html", chinese);
        assert_eq!(
            p.published.map(|f| (f.date, f.source)),
            Some((d(2023, 3, 28), DateSource::Visible))
        );

        let list = r#"<html><body><div class="title">政府信息公开年报</div><ul>
<li><a href="/a.html">北安市2022年政府信息公开工作年度报告</a><span>[2023-03-28]</span></li>
<li><span class="date">2023年01月18日</span><a href="/b.html">北安市2021年政府信息公开工作年度报告</a></li>
</ul></body></html>"#;
        let p = page("http://www.hljba.gov.cn/bas/c100784/list.shtml", list);
        let dates: Vec<Option<NaiveDate>> = p.links.iter().map(|l| l.date).collect();
        assert_eq!(dates, [Some(d(2023, 3, 28)), Some(d(2023, 1, 18))]);
        assert_eq!(p.links[0].context, "[2023-03-28]");
        // A list's row dates are not the list page's own publish date.
        assert_ne!(p.published.map(|f| f.source), Some(DateSource::Visible));
    }

    #[test]
    fn title_rules() {
        let meta = r#"<html><head><title>x</title><meta name="ArticleTitle" content="关于2022年度法治政府建设工作情况的报告"></head><body><h1>嫩江市人民政府</h1></body></html>"#;
        assert_eq!(
            page("http://www.nenjiang.gov.cn/a.html", meta).title,
            "关于2022年度法治政府建设工作情况的报告"
        );
        // A copied template leaves the site name in ArticleTitle.
        let suffixed = r#"<html><head><meta name="ArticleTitle" content="嘉荫县2021年政府信息公开工作年度报告_嘉荫县人民政府"></head><body></body></html>"#;
        assert_eq!(
            page("http://www.jiayin.gov.cn/a.html", suffixed).title,
            "嘉荫县2021年政府信息公开工作年度报告"
        );
        let heading = r#"<html><head><title>通知公告 - 逊克县人民政府</title></head><body><h1>逊克县人民政府</h1>
<div class="box"><div class="title">逊克县政府信息公开指南</div><div class="content">一、主动公开</div></div></body></html>"#;
        assert_eq!(
            page("http://www.xunke.gov.cn/a.html", heading).title,
            "逊克县政府信息公开指南"
        );
        assert_eq!(
            strip_site_name("通知公告-政务公开-北安市人民政府", None),
            "通知公告-政务公开"
        );
        assert_eq!(
            strip_site_name("2022-2023学年校历 | 黑河政府网", None),
            "2022-2023学年校历"
        );
        assert_eq!(
            strip_site_name("年报——五大连池市人民政府门户网站", None),
            "年报"
        );
        assert_eq!(strip_site_name("爱辉区人民政府", None), "爱辉区人民政府");
        assert_eq!(
            strip_site_name("政务公开_首页_AIHUI", Some("AIHUI")),
            "政务公开_首页"
        );
    }

    #[test]
    fn tab_page_yields_its_data_endpoint() {
        let html = r#"<html><head><title>政府信息公开_北安市人民政府</title><meta name="ColumnName" content="政府信息公开">
<script>var tab = GetQueryString("tab"); $.get("/bas/zfxxgk/" + tab + "/index.json", render);</script></head>
<body><div id="list">暂无数据</div></body></html>"#;
        let p = page(
            "https://www.hljba.gov.cn/bas/zfxxgk/zfxxgkba.shtml?tab=zfyjs",
            html,
        );
        let endpoint = p
            .links
            .iter()
            .find(|l| l.origin == super::super::LinkOrigin::Script)
            .unwrap();
        assert_eq!(
            endpoint.url.as_str(),
            "https://www.hljba.gov.cn/bas/zfxxgk/zfyjs/index.json"
        );
        assert_eq!(endpoint.section, "政府信息公开");
    }

    #[test]
    fn plain_text_breadcrumb() {
        let html = "<html><body><div>您现在的位置是：首页 » 政务公开 » 政府信息公开指南</div><p>正文</p></body></html>";
        let p = page("http://www.wdlc.gov.cn/a.html", html);
        assert_eq!(p.breadcrumb, ["首页", "政务公开", "政府信息公开指南"]);
    }

    #[test]
    fn an_application_shell_is_drawn_by_script() {
        let shell = r#"<html><head><title>政务公开-富锦市人民政府</title></head><body>
<noscript>We're sorry but fjgk doesn't work properly without JavaScript enabled.</noscript>
<div id="app"></div><script src="/static/js/chunk-vendors.3b1f07.js"></script>
<script src="/static/js/app.8f3a1c.js"></script></body></html>"#;
        let p = page("http://www.fujin.gov.cn/zwgk/", shell);
        assert!(p.drawn_by_script);
        assert!(
            p.script_gaps[0].contains("app.8f3a1c.js"),
            "{:?}",
            p.script_gaps
        );
        // A mounted page already holding its content, or one without a
        // script of the site's own, is read as it is.
        let filled = shell.replace(r#"<div id="app"></div>"#, r#"<div id="app"><ul><li><a href="/a.html">富锦市2022年政府信息公开工作年度报告</a></li></ul></div>"#);
        assert!(!page("http://www.fujin.gov.cn/zwgk/", &filled).drawn_by_script);
        let no_script = r#"<html><body><div id="app"></div></body></html>"#;
        assert!(!page("http://www.fujin.gov.cn/zwgk/", no_script).drawn_by_script);
    }

    #[test]
    fn the_documents_own_heading_beats_a_units_header() {
        let html = r#"<html><head><title>延寿县教育局政府信息公开指南-延寿县人民政府</title>
<meta name="SiteName" content="延寿县人民政府"></head><body>
<div class="bm-top"><h1>延寿县教育局</h1></div>
<div class="content"><h1>延寿县教育局政府信息公开指南</h1><p>正文</p></div></body></html>"#;
        let p = page("http://www.yanshou.gov.cn/bm/jyj/xxgkzn.htm", html);
        assert_eq!(p.title, "延寿县教育局政府信息公开指南");
    }
}
