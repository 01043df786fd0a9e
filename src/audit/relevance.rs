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
use super::vocab::{EntryWords, Found, ItemWords, LinkWords, ListWords, Vocab};
use crate::rubric::{Item, ItemKind};
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
pub fn relevance(item: &ItemWords, link: &LinkWords<'_>, vocab: &Vocab) -> u32 {
    if let Some(entry) = &link.entry {
        return if entry_is_other_kind(item, link, entry) {
            0
        } else {
            specific_relevance(item, link)
        };
    }
    let specific = specific_relevance(item, link);
    if specific > 0 {
        specific
    } else if link.text.any(&vocab.generic) || link.section.any(&vocab.generic) {
        2
    } else if link.url.any(&vocab.generic_in_urls) {
        1
    } else {
        0
    }
}

/// The scores from the item's own words (10, 6, 4, 3; else 0).
fn specific_relevance(item: &ItemWords, link: &LinkWords<'_>) -> u32 {
    if names_topic_in(item, &link.text) {
        10
    } else if link.text.any(&item.leads) {
        6
    } else if link.section.any(&item.topic) {
        4
    } else if link.url.any(&item.url_leads) || link.url.any(&item.topic) {
        3
    } else {
        0
    }
}

/// A dated list entry whose title says it is not the item: for a report
/// or a guide, a title that does not end as the kind (「…报告」, 「…指南」)
/// or carries an excluded word (要点, 通知, 解读); for the 权责清单, a
/// title that does not name a list (「召开…推进会」); for a key domain, an
/// entry outside any list of the domain (a news headline mentioning
/// 减税降费: only the domain's column proves the domain). Titles cut
/// short (「…」) or too short to read as a title say nothing.
pub fn entry_is_other_kind(item: &ItemWords, link: &LinkWords<'_>, entry: &EntryWords) -> bool {
    if !entry.readable {
        return false;
    }
    match item.kind {
        ItemKind::Report | ItemKind::Guide => {
            entry.core.any(&item.exclude) || !entry.core_ends_with_any(&item.title_ends)
        }
        ItemKind::List => !names_topic_in(item, &entry.title),
        ItemKind::Domain => !names_topic_in(item, &link.section),
        ItemKind::Column | ItemKind::Catalogue | ItemKind::Rules | ItemKind::Debt => false,
    }
}

/// A text (a link's, a column's name, an entry's title) names the item: one
/// of its topic words, none of its excluded ones.
pub fn names_topic(item: &Item, text: &str) -> bool {
    contains_any(text, &item.topic) && !contains_any(text, &item.exclude)
}

/// [`names_topic`] for a text already searched: the one rule, compiled.
pub fn names_topic_in(item: &ItemWords, text: &Found) -> bool {
    text.any(&item.topic) && !text.any(&item.exclude)
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
pub fn about(item: &ItemWords, link: &LinkWords<'_>, vocab: &Vocab) -> u32 {
    let score = relevance(item, link, vocab);
    if score >= 10 {
        return score;
    }
    let names_others = names_a_document(link.link) && link.text.any(&vocab.own_topics);
    let platform = link.text.any(&vocab.platforms);
    if !(names_others || platform) {
        return score;
    }
    if !platform && (link.url.any(&item.url_leads) || link.url.any(&item.topic)) {
        3
    } else {
        0
    }
}

/// Whether a list page (as the link that led to it, its generic 政务公开
/// words taken out: [`Vocab::list`]) is named for `item` by more than the
/// generic words every disclosure list carries: a 财政预决算 list (or
/// `?tab=zfyjs`) is the debt item's, a 法定主动公开内容 list no one's.
pub fn names_item(item: &ItemWords, list: &ListWords<'_>) -> bool {
    list.text.any(&item.topic)
        || list.text.any(&item.leads)
        || list.section.any(&item.topic)
        || list.url.any(&item.own_url_leads)
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

    /// The default rubric, compiled.
    struct Words {
        rubric: Rubric,
        vocab: Vocab,
    }

    impl Words {
        fn new() -> Words {
            let rubric = Rubric::default_rubric();
            let vocab = Vocab::new(&rubric);
            Words { rubric, vocab }
        }

        fn item(&self, id: &str) -> &ItemWords {
            let i = self.rubric.items.iter().position(|i| i.id == id);
            &self.vocab.items[i.unwrap()]
        }

        fn relevance(&self, id: &str, link: &Link) -> u32 {
            relevance(self.item(id), &self.vocab.link(link), &self.vocab)
        }

        fn about(&self, id: &str, link: &Link) -> u32 {
            about(self.item(id), &self.vocab.link(link), &self.vocab)
        }

        fn names_item(&self, id: &str, list: &Link) -> bool {
            names_item(self.item(id), &self.vocab.list(&self.vocab.link(list)))
        }

        fn entry_is_other_kind(&self, id: &str, link: &Link) -> bool {
            let words = self.vocab.link(link);
            let entry = words.entry.as_ref().expect("a dated link");
            entry_is_other_kind(self.item(id), &words, entry)
        }
    }

    #[test]
    fn scale() {
        let w = Words::new();
        let nine = |text: &str, url: &str| w.relevance("9", &link(text, url));
        assert_eq!(
            nine("2022年政府信息公开工作年度报告", "http://x/a.html"),
            10
        );
        assert_eq!(nine("年报", "http://x/a.html"), 6);
        assert_eq!(nine("更多", "http://x/zwgk/ndbg/"), 3);
        assert_eq!(nine("政务公开", "http://x/a/"), 2);
        assert_eq!(nine("更多", "http://x/zwgk/list.html"), 1);
        assert_eq!(nine("新闻中心", "http://x/news/"), 0);
        // Chinese path words are read after percent-decoding.
        assert_eq!(nine("下载", "http://x/%E5%B9%B4%E6%8A%A5/a.pdf"), 3);
        // Upper-case URLs are read lower-cased.
        assert_eq!(nine("更多", "http://x/ZWGK/NDBG/"), 3);
    }

    #[test]
    fn a_link_naming_other_items_or_a_platform_speaks_only_for_them() {
        let w = Words::new();
        let report = link("2022年政府信息公开工作年度报告", "http://x/xxgk/ndbg/1.htm");
        assert_eq!(w.relevance("3", &report), 6);
        assert_eq!(w.about("3", &report), 0);
        assert_eq!(w.about("9", &report), 10);
        // Navigation words keep every item they lead to.
        let nav = link("年度报告", "http://x/ndbg/");
        assert_eq!(w.about("3", &nav), 6);
        let hub = link("法定主动公开内容", "http://x/fdzdgk/");
        assert_eq!(w.about("3", &hub), w.relevance("3", &hub));
        let platform = link("12345便民惠企服务平台", "http://12345.x.gov.cn/");
        assert_eq!(w.relevance("10.business_environment", &platform), 6);
        assert_eq!(w.about("10.business_environment", &platform), 0);
    }

    #[test]
    fn a_list_is_named_for_an_item_by_more_than_the_generic_words() {
        let w = Words::new();
        let budget = link("财政预决算", "http://x/zwgk/czyjs/");
        assert!(w.names_item("21.debt", &budget));
        let hub = link("法定主动公开内容", "http://x/zwgk/fdzdgk/");
        assert!(w.rubric.items.iter().all(|i| !w.names_item(&i.id, &hub)));
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
        let w = Words::new();
        let report = entry("2022年度某县法治政府建设情况报告（全文）", "新闻");
        assert_eq!(w.relevance("3", &report), 10);
        for headline in [
            "我县召开法治政府建设工作推进会",
            "关于报送2022年度法治政府建设情况报告的通知",
            "2023年法治政府建设工作要点",
        ] {
            let headline = entry(headline, "法治政府建设");
            assert_eq!(w.relevance("3", &headline), 0, "{}", headline.text);
        }
        // A title cut short says nothing against it.
        assert!(!w.entry_is_other_kind("3", &entry("2022年度某县法治政府建设情况...", "")));
        for headline in [
            "县财政局召开推进权责清单调整工作会议",
            "我县扎实推进权责清单调整工作",
        ] {
            assert_eq!(
                w.relevance("4", &entry(headline, "本县要闻")),
                0,
                "{headline}"
            );
        }
        assert_eq!(
            w.relevance("4", &entry("某县财政局权力清单和责任清单", "权责清单")),
            10
        );
        // A key domain is proven by its column, not a headline elsewhere.
        let tax = "10.tax_fee_cuts";
        assert_eq!(
            w.relevance(tax, &entry("县税务局开展减税降费政策宣传", "本县要闻")),
            0
        );
        assert!(w.relevance(tax, &entry("留抵退税政策问答", "减税降费")) >= SPECIFIC);
        // A /zwgk/ path makes an article a possible list entry, not relevant.
        assert_eq!(
            w.relevance("9", &entry("关于防汛工作的通知", "通知公告")),
            0
        );
        assert_eq!(
            w.relevance("9", &link("更多", "http://x/zwgk/list.html")),
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
        let w = Words::new();
        let r = &w.rubric;
        let docs = r.item("10.official_documents").unwrap();
        assert!(names_topic(docs, "政府公文"));
        assert_eq!(
            w.relevance("10.official_documents", &link("政府公文", "http://x/zfgw/")),
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
