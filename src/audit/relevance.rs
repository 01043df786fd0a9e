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

use super::text::contains_any;
use crate::rubric::{CrawlVocabulary, Item, Rubric};
use crate::types::Link;

/// The lowest score from an item's own words (in the link's URL or
/// better); below it a link only matches the generic 政务公开 leads.
pub const SPECIFIC: u32 = 3;

/// 10: the link text names the item; 6: it names a way towards it; 4: the
/// list it stands in is the item's column; 3: the URL carries a lead; 2 and
/// 1: the link or its URL leads into the disclosure platform; 0: nothing.
pub fn relevance(item: &Item, link: &Link, crawl: &CrawlVocabulary) -> u32 {
    let url = url_words(link);
    if names_topic(item, &link.text) {
        10
    } else if contains_any(&link.text, &item.leads) {
        6
    } else if contains_any(&link.section, &item.topic) {
        4
    } else if contains_any(&url, &lower(&item.leads)) || contains_any(&url, &item.topic) {
        3
    } else if contains_any(&link.text, &crawl.generic_leads)
        || contains_any(&link.section, &crawl.generic_leads)
    {
        2
    } else if contains_any(&url, &lower(&crawl.generic_leads)) {
        1
    } else {
        0
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
