//! Links with what surrounds them.
//!
//! The crawler decides what to fetch from a link's anchor text, its list
//! row and the column box it stands in, and the detectors take the date
//! printed beside it in the list; a URL alone (`c12_345.shtml`) says
//! nothing. Pager links are marked so that list pagination is followed but
//! never mistaken for content.

use super::dom::{section, visible_text};
use super::{collapse, dates};
use crate::types::{Link, LinkOrigin};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;
use url::Url;

static LINKS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("a[href], area[href], iframe[src], frame[src], [onclick]")
        .expect("static selector")
});
/// A quoted URL in a script link: `window.open('/a/b.html')`,
/// `location.href='…'`, `openUrl("…")`.
static SCRIPT_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']([^"'\s<>]{2,300})["']"#).unwrap());
static DOCUMENT_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\w\-./]+\.(?:s?html?|jsp|aspx?|php|do|pdf|docx?|xlsx?|wps)(?:\?\S*)?$")
        .unwrap()
});
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static selector"));
static IMG: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("img[alt]").expect("static selector"));
static ANCHORS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a").expect("static selector"));

static PAGER_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|&)(?:page|pageno|pageindex|pagenum|curpage|currentpage|cpage|pn)=\d+")
        .unwrap()
});
static PAGER_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/index_\d+\.[a-z]+$").unwrap());

const PAGER_WORDS: &[&str] = &[
    "下一页",
    "上一页",
    "尾页",
    "末页",
    "下页",
    "上页",
    "最后一页",
    "前一页",
    "后一页",
];
const ROW_TAGS: &[&str] = &["li", "tr", "dd", "dt", "p"];
const CONTEXT_MAX_CHARS: usize = 200;
/// A list row links its title, an attachment or two, perhaps a "查看".
const ROW_MAX_LINKS: usize = 4;

/// Every link of the document, resolved against `<base href>` or the page.
/// `nav_target` gives the address a link's script (`goColumn('nb')`) opens
/// through one of the page's own navigation functions, if it can tell.
pub(super) fn extract(
    doc: &Html,
    page_url: &Url,
    nav_target: impl Fn(&str) -> Option<String>,
) -> Vec<Link> {
    let base = base(doc, page_url);
    let mut links = Vec::new();
    for el in doc.select(&LINKS) {
        let e = el.value();
        let (raw, origin) = match e.name() {
            "iframe" | "frame" => (e.attr("src"), LinkOrigin::Frame),
            _ => (e.attr("href"), LinkOrigin::Anchor),
        };
        // `href="javascript:openWin('/…')"` or an onclick navigation: the
        // URL a visitor's click would open.
        let url = raw.and_then(|r| resolve(&base, r)).or_else(|| {
            let scripted = raw.filter(|r| {
                r.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
            });
            [scripted, e.attr("onclick")]
                .into_iter()
                .flatten()
                .find_map(|code| {
                    nav_target(code)
                        .and_then(|raw| resolve(&base, &raw))
                        .or_else(|| script_target(&base, code))
                })
        });
        let Some(url) = url else {
            continue;
        };
        let shown = visible_text(el);
        let text = link_text(el, &shown);
        let context = row_context(el, &shown);
        let date = dates::find_date(&context);
        let origin = if origin == LinkOrigin::Anchor && is_pager(el, &text, &url) {
            LinkOrigin::Pager
        } else {
            origin
        };
        links.push(Link {
            url,
            text,
            context,
            section: section(el),
            date,
            origin,
        });
    }
    links
}

/// The first quoted URL in a link's script (`window.open('/x.html')`):
/// rooted, absolute, or a relative path naming a document. Tab switches
/// (`showTab('zcwj')`) and window names (`'_blank'`) are not URLs.
fn script_target(base: &Url, code: &str) -> Option<Url> {
    SCRIPT_TARGET.captures_iter(code).find_map(|c| {
        let raw = &c[1];
        let rooted = ["/", "./", "../", "http://", "https://"]
            .iter()
            .any(|p| raw.starts_with(p));
        (rooted || DOCUMENT_PATH.is_match(raw))
            .then(|| resolve(base, raw))
            .flatten()
    })
}

/// The URL relative links resolve against: `<base href>` or the page.
pub(super) fn base(doc: &Html, page_url: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

/// An absolute http(s) URL without fragment, or `None` for script, mail,
/// phone and data links and same-page anchors.
pub(super) fn resolve(base: &Url, raw: &str) -> Option<Url> {
    let raw = raw.trim();
    let lower = raw.get(..11).unwrap_or(raw).to_ascii_lowercase();
    let skipped = [
        "javascript:",
        "mailto:",
        "tel:",
        "data:",
        "vbscript:",
        "about:",
    ];
    if raw.is_empty() || raw.starts_with('#') || skipped.iter().any(|s| lower.starts_with(s)) {
        return None;
    }
    let mut url = base.join(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    strip_session_id(&mut url);
    Some(url)
}

/// Query parameters that carry a server session, not a page.
const SESSION_PARAMS: &[&str] = &["jsessionid", "phpsessid"];

/// Drops a session id a Java or PHP server writes into its links
/// (`/col.jsp;jsessionid=7D41…?cid=100`, `?PHPSESSID=…`): the page is the
/// same without it, and keeping it would make every visitor's links new
/// URLs.
pub fn strip_session_id(url: &mut Url) {
    if let Some(path) = without_jsessionid(url.path()) {
        url.set_path(&path);
    }
    let has_session_param = url
        .query_pairs()
        .any(|(k, _)| SESSION_PARAMS.contains(&k.to_ascii_lowercase().as_str()));
    if has_session_param {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !SESSION_PARAMS.contains(&k.to_ascii_lowercase().as_str()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
}

/// `path` without any of its `;jsessionid=…` parameters (each up to the
/// next `/`); `None` when it has none. Every one goes: a URL that kept a
/// second would change again when normalised again.
fn without_jsessionid(path: &str) -> Option<String> {
    const PARAM: &str = ";jsessionid=";
    // ASCII lower-casing keeps every byte where it was.
    let lower = path.to_ascii_lowercase();
    let mut found = lower.find(PARAM)?;
    let mut out = String::with_capacity(path.len());
    let mut from = 0;
    loop {
        out.push_str(&path[from..found]);
        from = path[found..]
            .find('/')
            .map_or(path.len(), |slash| found + slash);
        match lower[from..].find(PARAM) {
            Some(next) => found = from + next,
            None => break,
        }
    }
    out.push_str(&path[from..]);
    Some(out)
}

/// Anchor text; the `title` attribute when the text is empty or cut short;
/// an image's alt when the anchor holds only an image.
fn link_text(el: ElementRef, shown: &str) -> String {
    let cut =
        shown.is_empty() || shown.ends_with("...") || shown.ends_with('…') || shown.ends_with("..");
    if cut {
        let title = el.value().attr("title").map(collapse).unwrap_or_default();
        if !title.is_empty() {
            return title;
        }
    }
    if shown.is_empty() {
        return el
            .select(&IMG)
            .find_map(|img| img.value().attr("alt").map(collapse))
            .unwrap_or_default();
    }
    shown.to_string()
}

/// The text of the link's list row without the anchor text.
fn row_context(el: ElementRef, shown: &str) -> String {
    let row = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(4)
        .find(|a| {
            let name = a.value().name();
            ROW_TAGS.contains(&name)
                || name == "div"
                    && a.child_elements().count() <= 4
                    && a.select(&ANCHORS).take(2).count() == 1
        });
    // A "row" holding many links is a paragraph of links or a layout table,
    // not a list row: its text would say nothing about this link.
    let Some(row) =
        row.filter(|r| r.select(&ANCHORS).take(ROW_MAX_LINKS + 1).count() <= ROW_MAX_LINKS)
    else {
        return String::new();
    };
    let text = visible_text(row);
    let rest = if shown.is_empty() {
        text
    } else {
        collapse(&text.replacen(shown, " ", 1))
    };
    rest.chars().take(CONTEXT_MAX_CHARS).collect()
}

fn is_pager(el: ElementRef, text: &str, url: &Url) -> bool {
    let word = text.trim_matches(|c: char| c.is_whitespace() || "[]【】<>《》«»".contains(c));
    if PAGER_WORDS.iter().any(|w| word.starts_with(w)) {
        return true;
    }
    let number = !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit());
    let pager_url =
        PAGER_PATH.is_match(url.path()) || url.query().is_some_and(|q| PAGER_QUERY.is_match(q));
    if pager_url && (number || word == "首页") {
        return true;
    }
    let in_pager = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(3)
        .any(|a| {
            let e = a.value();
            let marked = e.id().into_iter().chain(e.classes()).any(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("page") || c.contains("pag") || c.contains("fenye")
            });
            marked && visible_text(a).chars().count() < 300
        });
    in_pager && (number || word == "首页" || pager_url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn links(url: &str, html: &str) -> Vec<Link> {
        extract(
            &Html::parse_document(html),
            &Url::parse(url).unwrap(),
            |_| None,
        )
    }

    const LIST: &str = r##"<html><body>
<div class="header"><a href="/">首页</a><a href="javascript:void(0)">无障碍</a><a href="mailto:ba@hljba.gov.cn">信箱</a></div>
<div class="main"><div class="lm-title">政府信息公开年报</div>
<ul class="list">
<li><a href="c12_345.shtml" target="_blank">2022年政府信息公开工作年度报告</a><span>2023-01-18</span></li>
<li><a href="/bas/c100784/202201/c12_111.shtml#top" title="北安市2021年政府信息公开工作年度报告（全文）">北安市2021年政府信息公开工作年...</a><span>[2022/1/20]</span></li>
<li><a href="/uploadfiles/P020230118.pdf"><img src="/images/pdf.png" alt="附件：年报全文"></a></li>
</ul>
<div class="page"><a href="list.shtml">首页</a><a href="list_2.shtml">2</a><a href="list_2.shtml">下一页</a><a href="list_9.shtml">尾页</a></div>
</div>
<div class="box"><div class="box-hd"><h3>通知公告</h3><a href="/bas/tzgg/list.shtml">更多&gt;&gt;</a></div>
<table><tr><td><a href="/bas/tzgg/202303/c12_9.shtml">关于开展政务公开工作考核的通知</a></td><td>2023.03.02</td></tr></table></div>
<iframe src="/bas/xxgk/frame.html"></iframe><a href="tel:0456-6422222">电话</a><a href="#">顶部</a>
</body></html>"##;

    #[test]
    fn list_rows_have_context_section_and_date() {
        let found = links("https://www.hljba.gov.cn/bas/c100784/list.shtml", LIST);
        let urls: Vec<&str> = found.iter().map(|l| l.url.as_str()).collect();
        assert!(!urls.iter().any(|u| u.starts_with("javascript")
            || u.starts_with("mailto")
            || u.starts_with("tel")));
        let report = &found[1];
        assert_eq!(
            report.url.as_str(),
            "https://www.hljba.gov.cn/bas/c100784/c12_345.shtml"
        );
        assert_eq!(report.text, "2022年政府信息公开工作年度报告");
        assert_eq!(report.context, "2023-01-18");
        assert_eq!(report.section, "政府信息公开年报");
        assert_eq!(report.date, NaiveDate::from_ymd_opt(2023, 1, 18));
        assert_eq!(report.origin, LinkOrigin::Anchor);

        let cut = &found[2];
        assert_eq!(cut.text, "北安市2021年政府信息公开工作年度报告（全文）");
        assert_eq!(
            cut.url.as_str(),
            "https://www.hljba.gov.cn/bas/c100784/202201/c12_111.shtml"
        );
        assert_eq!(cut.date, NaiveDate::from_ymd_opt(2022, 1, 20));

        assert_eq!(found[3].text, "附件：年报全文");
        assert_eq!(found[3].section, "政府信息公开年报");

        let pager: Vec<&str> = found
            .iter()
            .filter(|l| l.origin == LinkOrigin::Pager)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(pager, ["首页", "2", "下一页", "尾页"]);
        assert_eq!(
            found[0].origin,
            LinkOrigin::Anchor,
            "the site's 首页 is not a pager link"
        );

        let notice = found
            .iter()
            .find(|l| l.text == "关于开展政务公开工作考核的通知")
            .unwrap();
        assert_eq!(notice.section, "通知公告");
        assert_eq!(notice.date, NaiveDate::from_ymd_opt(2023, 3, 2));
        let more = found.iter().find(|l| l.text == "更多>>").unwrap();
        assert_eq!(
            more.url.as_str(),
            "https://www.hljba.gov.cn/bas/tzgg/list.shtml"
        );

        let frame = found
            .iter()
            .find(|l| l.origin == LinkOrigin::Frame)
            .unwrap();
        assert_eq!(
            frame.url.as_str(),
            "https://www.hljba.gov.cn/bas/xxgk/frame.html"
        );
        assert!(!found.iter().any(|l| l.text == "顶部"));
    }

    #[test]
    fn paragraph_of_links_is_no_row() {
        let html = r#"<html><body><p><a href="/a">政务公开</a> | <a href="/b">政府信息公开指南</a> | <a href="/c">政府信息公开制度</a> |
<a href="/d">法定主动公开内容</a> | <a href="/e">政府信息公开年报</a> 更新于2023-03-01</p></body></html>"#;
        let found = links("http://www.aihui.gov.cn/", html);
        assert_eq!(found.len(), 5);
        assert!(found
            .iter()
            .all(|l| l.context.is_empty() && l.date.is_none()));
    }

    #[test]
    fn base_href_and_query_pagers() {
        let html = r#"<html><head><base href="http://www.aihui.gov.cn/zwgk/"></head><body>
<a href="xxgk/index.html">信息公开</a><a href="list.jsp?page=3">3</a><a href="list.jsp?page=4">专题</a></body></html>"#;
        let found = links("http://www.aihui.gov.cn/other/page.html", html);
        assert_eq!(
            found[0].url.as_str(),
            "http://www.aihui.gov.cn/zwgk/xxgk/index.html"
        );
        assert_eq!(found[1].origin, LinkOrigin::Pager);
        assert_eq!(found[2].origin, LinkOrigin::Anchor);
    }

    #[test]
    fn script_navigations_are_links() {
        let html = r#"<html><body><ul class="gk-nav">
<li onclick="window.open('/xxgk/nb/index.html','_blank')">政府信息公开年报</li>
<li><a href="javascript:void(0)" onclick="location.href='zn.html'">政府信息公开指南</a></li>
<li><a href="javascript:openWin('/xxgk/zd/index.shtml')">政府信息公开制度</a></li>
<li><a href="javascript:;" onclick="showTab(this, 'zcwj')">政策文件</a></li>
<li><a href="javascript:void(0)">无障碍</a></li>
</ul></body></html>"#;
        let found = links("http://www.xunke.gov.cn/xxgk/index.html", html);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|l| (l.text.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "政府信息公开年报",
                    "http://www.xunke.gov.cn/xxgk/nb/index.html"
                ),
                ("政府信息公开指南", "http://www.xunke.gov.cn/xxgk/zn.html"),
                (
                    "政府信息公开制度",
                    "http://www.xunke.gov.cn/xxgk/zd/index.shtml"
                ),
            ]
        );
    }

    #[test]
    fn session_ids_are_not_part_of_a_link() {
        let base = Url::parse("http://www.yian.gov.cn/index.jsp").unwrap();
        let cases = [
            (
                "/col.jsp;jsessionid=7D41C0B9E2A35F8C16E0D4A9B7F25C83?cid=100",
                "http://www.yian.gov.cn/col.jsp?cid=100",
            ),
            (
                "list.jsp;JSESSIONID=ab12.node1",
                "http://www.yian.gov.cn/list.jsp",
            ),
            (
                "/content.jsp?id=5&PHPSESSID=9f8e&page=2",
                "http://www.yian.gov.cn/content.jsp?id=5&page=2",
            ),
            ("/a.php?phpsessid=1", "http://www.yian.gov.cn/a.php"),
            (
                "/a.jsp;jsessionid=1/b/c.jsp;jsessionid=2",
                "http://www.yian.gov.cn/a.jsp/b/c.jsp",
            ),
            (
                "/col.jsp?cid=100&sid=3",
                "http://www.yian.gov.cn/col.jsp?cid=100&sid=3",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(resolve(&base, raw).unwrap().as_str(), want, "{raw}");
        }
    }
}
