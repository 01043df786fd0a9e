//! How strongly a link points at a rubric item.
//!
//! One scale serves two jobs: the crawler visits high scores first, and a
//! link that scores at all but could not be fetched (robots, budget,
//! errors) keeps its items from failing.
//!
//! The words that make a column or its entries an item's
//! ([`names_topic`], [`entries_name`]) are the same for the crawl's
//! steering and for the detectors: a column the crawl followed for an item
//! is the column the detector judges for it.

use super::text::{contains_any, ends_with_any, normalise_title, title_core};
use crate::rubric::{CrawlVocabulary, Item, ItemKind, Rubric};
use crate::types::Link;

/// The lowest score from an item's own words (in the link's URL or
/// better); below it a link only matches the generic 政务公开 leads.
pub const SPECIFIC: u32 = 3;

/// 10: the link text names the item; 6: it names a way towards it; 4: the
/// list it stands in is the item's column; 3: the URL carries a lead; 2 and
/// 1: the link or its URL leads into the disclosure platform; 0: nothing.
///
/// A dated list entry is one document, judged by its title: it scores 0
/// when the title is not the item's kind ([`entry_is_other_kind`]), and
/// the generic 政务公开 words of its URL or list (2, 1) do not make it
/// relevant — a `/zwgk/` path makes a page a possible list, not every
/// article under it a candidate.
pub fn relevance(item: &Item, link: &Link, crawl: &CrawlVocabulary) -> u32 {
    if link.date.is_some() {
        return if entry_is_other_kind(item, link) {
            0
        } else {
            specific_relevance(item, link)
        };
    }
    let specific = specific_relevance(item, link);
    if specific > 0 {
        specific
    } else if contains_any(&link.text, &crawl.generic_leads)
        || contains_any(&link.section, &crawl.generic_leads)
    {
        2
    } else if contains_any(&url_words(link), &lower(&crawl.generic_leads)) {
        1
    } else {
        0
    }
}

/// The scores from the item's own words (10, 6, 4, 3; else 0).
fn specific_relevance(item: &Item, link: &Link) -> u32 {
    if names_topic(item, &link.text) {
        10
    } else if contains_any(&link.text, &item.leads) {
        6
    } else if contains_any(&link.section, &item.topic) {
        4
    } else {
        let url = url_words(link);
        if contains_any(&url, &lower(&item.leads)) || contains_any(&url, &item.topic) {
            3
        } else {
            0
        }
    }
}

/// A dated list entry whose title says it is not the item: for a report
/// or a guide, a title that does not end as the kind (「…报告」, 「…指南」)
/// or carries an excluded word (要点, 通知, 解读); for the 权责清单, a
/// title that does not name a list (「召开…推进会」); for a key domain, an
/// entry outside any list of the domain (a news headline mentioning
/// 减税降费: only the domain's column proves the domain). Titles cut
/// short (「…」) or too short to read as a title say nothing.
pub fn entry_is_other_kind(item: &Item, link: &Link) -> bool {
    let title = normalise_title(&link.text);
    let cut = title.ends_with("...") || title.ends_with('…');
    if cut || title.chars().count() < 6 {
        return false;
    }
    match item.kind {
        ItemKind::Report | ItemKind::Guide => {
            let core = title_core(&title);
            contains_any(&core, &item.exclude) || !ends_with_any(&core, &item.title_ends)
        }
        ItemKind::List => !names_topic(item, &title),
        ItemKind::Domain => !names_topic(item, &link.section),
        ItemKind::Column | ItemKind::Catalogue | ItemKind::Rules | ItemKind::Debt => false,
    }
}

/// A text (a link's, a column's name, an entry's title) names the item: one
/// of its topic words, none of its excluded ones.
pub fn names_topic(item: &Item, text: &str) -> bool {
    contains_any(text, &item.topic) && !contains_any(text, &item.exclude)
}

/// A list's dated entries name the item: at least one in `wanted` (the
/// window) names its topic, and so do at least half of all `dated`
/// entries — a column given to the domain, not a mixed list where one
/// entry happens to mention it. `subject` is the part of a title that says
/// what it is about (the issuer's name left out: 「教育局2023年部门预算」 is
/// not about 教育). Returns the first wanted entry naming it.
pub fn entries_name<'a>(
    item: &Item,
    dated: &[&'a Link],
    wanted: &[&'a Link],
    subject: impl Fn(&str) -> String,
) -> Option<&'a Link> {
    let names = |l: &Link| names_topic(item, &subject(&l.text));
    let naming = dated.iter().filter(|l| names(l)).count();
    if naming == 0 || naming * 2 < dated.len() {
        return None;
    }
    wanted.iter().copied().find(|l| names(l))
}

/// A link that names one document (it is dated, or its text is a title's
/// length) rather than a way into a section.
pub fn names_a_document(link: &Link) -> bool {
    link.date.is_some() || link.text.chars().count() >= 12
}

/// How strongly a link that could not be looked at (robots, an error,
/// another host) speaks for `item`. As [`relevance`], except that a
/// document link whose text names other items by their own topic words (a
/// title "…政府信息公开工作年度报告"), or a link naming a service platform ("12345便民
/// 惠企服务平台"), is about the items its text names and no other: for the
/// rest only its URL may still speak.
pub fn about(item: &Item, link: &Link, rubric: &Rubric) -> u32 {
    let score = relevance(item, link, &rubric.crawl);
    if score >= 10 {
        return score;
    }
    let generic = &rubric.crawl.generic_leads;
    let names_others = names_a_document(link)
        && rubric.items.iter().any(|other| {
            other
                .topic
                .iter()
                .any(|w| !w.is_empty() && !generic.contains(w) && link.text.contains(w.as_str()))
        });
    let platform = contains_any(&link.text, &rubric.document.service_platforms);
    if !(names_others || platform) {
        return score;
    }
    let url = url_words(link);
    if !platform && (contains_any(&url, &lower(&item.leads)) || contains_any(&url, &item.topic)) {
        3
    } else {
        0
    }
}

/// Whether a list page (as the link that led to it) is named for `item` by
/// more than the generic 政务公开 words every disclosure list carries: a
/// 财政预决算 list (or `?tab=zfyjs`) is the debt item's, a 法定主动公开内容
/// list no one's.
pub fn names_item(item: &Item, list: &Link, crawl: &CrawlVocabulary) -> bool {
    let strip = |text: &str| {
        let mut generic: Vec<&String> = crawl.generic_leads.iter().collect();
        // Longest first, so 政府信息公开 goes before its 信息公开.
        generic.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        generic
            .into_iter()
            .fold(text.to_string(), |t, w| t.replace(w.as_str(), " "))
    };
    let (text, section) = (strip(&list.text), strip(&list.section));
    let generic = lower(&crawl.generic_leads);
    let own_url_leads: Vec<String> = lower(&item.leads)
        .into_iter()
        .filter(|l| l.is_ascii() && !generic.contains(l))
        .collect();
    contains_any(&text, &item.topic)
        || contains_any(&text, &item.leads)
        || contains_any(&section, &item.topic)
        || contains_any(&url_words(list), &own_url_leads)
}

/// A link to an attachment: its URL ends in an attachment's extension, or
/// its text names a file (「…情况表.pdf」) or a download (附件, 点击下载) —
/// a server may send a PDF from a `.htm` address.
pub fn is_attachment_link(link: &Link) -> bool {
    if crate::page::names_an_attachment(&link.url) {
        return true;
    }
    let text = link.text.trim();
    let names_file = text
        .rsplit_once('.')
        .is_some_and(|(_, ext)| FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
    names_file || text.starts_with("附件") || text.contains("下载")
}

/// Extensions a link text names a file by.
const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar",
];

/// Path and query, percent-decoded and lower-cased.
fn url_words(link: &Link) -> String {
    let raw = format!("{}?{}", link.url.path(), link.url.query().unwrap_or(""));
    percent_decode(&raw).to_lowercase()
}

fn lower(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(s.replace('+', "%2B").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;
    use crate::types::LinkOrigin;
    use url::Url;

    fn link(text: &str, url: &str) -> Link {
        Link {
            url: Url::parse(url).unwrap(),
            text: text.into(),
            context: String::new(),
            section: String::new(),
            date: None,
            origin: LinkOrigin::Anchor,
        }
    }

    #[test]
    fn scale() {
        let r = Rubric::default_rubric();
        let nine = r.item("9").unwrap();
        assert_eq!(
            relevance(
                nine,
                &link("2022年政府信息公开工作年度报告", "http://x/a.html"),
                &r.crawl
            ),
            10
        );
        assert_eq!(
            relevance(nine, &link("年报", "http://x/a.html"), &r.crawl),
            6
        );
        assert_eq!(
            relevance(nine, &link("更多", "http://x/zwgk/ndbg/"), &r.crawl),
            3
        );
        assert_eq!(
            relevance(nine, &link("政务公开", "http://x/a/"), &r.crawl),
            2
        );
        assert_eq!(
            relevance(nine, &link("更多", "http://x/zwgk/list.html"), &r.crawl),
            1
        );
        assert_eq!(
            relevance(nine, &link("新闻中心", "http://x/news/"), &r.crawl),
            0
        );
        // Chinese path words are read after percent-decoding.
        assert_eq!(
            relevance(
                nine,
                &link("下载", "http://x/%E5%B9%B4%E6%8A%A5/a.pdf"),
                &r.crawl
            ),
            3
        );
    }

    #[test]
    fn a_link_naming_other_items_or_a_platform_speaks_only_for_them() {
        let r = Rubric::default_rubric();
        let (three, nine) = (r.item("3").unwrap(), r.item("9").unwrap());
        let report = link("2022年政府信息公开工作年度报告", "http://x/xxgk/ndbg/1.htm");
        assert_eq!(relevance(three, &report, &r.crawl), 6);
        assert_eq!(about(three, &report, &r), 0);
        assert_eq!(about(nine, &report, &r), 10);
        // Navigation words keep every item they lead to.
        let nav = link("年度报告", "http://x/ndbg/");
        assert_eq!(about(three, &nav, &r), 6);
        let hub = link("法定主动公开内容", "http://x/fdzdgk/");
        assert_eq!(about(three, &hub, &r), relevance(three, &hub, &r.crawl));
        let business = r.item("10.business_environment").unwrap();
        let platform = link("12345便民惠企服务平台", "http://12345.x.gov.cn/");
        assert_eq!(relevance(business, &platform, &r.crawl), 6);
        assert_eq!(about(business, &platform, &r), 0);
    }

    fn entry(text: &str, section: &str) -> Link {
        Link {
            section: section.into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 3, 1),
            ..link(text, "http://x/zwgk/202303/t1.html")
        }
    }

    #[test]
    fn a_dated_entry_counts_only_as_its_kind() {
        let r = Rubric::default_rubric();
        let three = r.item("3").unwrap();
        let report = entry("2022年度某县法治政府建设情况报告（全文）", "新闻");
        assert_eq!(relevance(three, &report, &r.crawl), 10);
        for headline in [
            "我县召开法治政府建设工作推进会",
            "关于报送2022年度法治政府建设情况报告的通知",
            "2023年法治政府建设工作要点",
        ] {
            assert_eq!(
                relevance(three, &entry(headline, "法治政府建设"), &r.crawl),
                0,
                "{headline}"
            );
        }
        // A title cut short says nothing against it.
        assert!(!entry_is_other_kind(
            three,
            &entry("2022年度某县法治政府建设情况...", "")
        ));
        let four = r.item("4").unwrap();
        for headline in [
            "县财政局召开推进权责清单调整工作会议",
            "我县扎实推进权责清单调整工作",
        ] {
            assert_eq!(
                relevance(four, &entry(headline, "本县要闻"), &r.crawl),
                0,
                "{headline}"
            );
        }
        assert_eq!(
            relevance(
                four,
                &entry("某县财政局权力清单和责任清单", "权责清单"),
                &r.crawl
            ),
            10
        );
        // A key domain is proven by its column, not a headline elsewhere.
        let tax = r.item("10.tax_fee_cuts").unwrap();
        assert_eq!(
            relevance(
                tax,
                &entry("县税务局开展减税降费政策宣传", "本县要闻"),
                &r.crawl
            ),
            0
        );
        assert!(relevance(tax, &entry("留抵退税政策问答", "减税降费"), &r.crawl) >= SPECIFIC);
        // A /zwgk/ path makes an article a possible list entry, not relevant.
        let nine = r.item("9").unwrap();
        assert_eq!(
            relevance(nine, &entry("关于防汛工作的通知", "通知公告"), &r.crawl),
            0
        );
        assert_eq!(
            relevance(nine, &link("更多", "http://x/zwgk/list.html"), &r.crawl),
            1
        );
    }

    #[test]
    fn attachments_by_address_or_by_what_the_link_says() {
        assert!(is_attachment_link(&link("下载", "http://x/a/P0202302.pdf")));
        assert!(is_attachment_link(&link(
            "北安市2023年债务情况表.pdf",
            "http://x/a/P1.htm"
        )));
        assert!(is_attachment_link(&link("附件1", "http://x/a/file?id=3")));
        assert!(!is_attachment_link(&link(
            "2022年政府信息公开工作年度报告",
            "http://x/a/1.htm"
        )));
    }

    #[test]
    fn names_and_entries_are_one_rule() {
        let r = Rubric::default_rubric();
        let docs = r.item("10.official_documents").unwrap();
        assert!(names_topic(docs, "政府公文"));
        assert_eq!(
            relevance(docs, &link("政府公文", "http://x/zfgw/"), &r.crawl),
            10
        );
        let education = r.item("10.education").unwrap();
        assert!(!names_topic(education, "教育培训机构名单"));
        let tax = r.item("10.tax_fee_cuts").unwrap();
        let a = link("减税降费政策汇编", "http://x/1.htm");
        let b = link("留抵退税问答", "http://x/2.htm");
        let c = link("办税提醒", "http://x/3.htm");
        let whole = |t: &str| t.to_string();
        assert!(entries_name(tax, &[&a, &b, &c], &[&a], whole).is_some());
        assert!(entries_name(tax, &[&a, &c], &[&c], whole).is_none());
        let d = link("防汛通知", "http://x/4.htm");
        assert!(entries_name(tax, &[&a, &c, &d], &[&a], whole).is_none());
    }
}
