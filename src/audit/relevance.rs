//! How strongly a link points at a rubric item.
//!
//! One scale serves two jobs: the crawler visits high scores first, and a
//! link that scores at all but could not be fetched (robots, budget,
//! errors) keeps its items from failing.

use super::text::contains_any;
use crate::rubric::{CrawlVocabulary, Item};
use crate::types::Link;

/// The lowest score from an item's own words (in the link's URL or
/// better); below it a link only matches the generic 政务公开 leads.
pub const SPECIFIC: u32 = 3;

/// 10: the link text names the item; 6: it names a way towards it; 4: the
/// list it stands in is the item's column; 3: the URL carries a lead; 2 and
/// 1: the link or its URL leads into the disclosure platform; 0: nothing.
pub fn relevance(item: &Item, link: &Link, crawl: &CrawlVocabulary) -> u32 {
    let url = url_words(link);
    if contains_any(&link.text, &item.topic) {
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
}
