//! Lists whose other pages no link reaches.
//!
//! An ASP.NET postback pager (`javascript:__doPostBack('AspNetPager1','2')`)
//! or a form-driven pager says "共2页" but gives the crawler nothing to
//! follow. Such a list is marked, so the audit knows it saw only its first
//! page and leaves undecided what the others might hold.

use crate::types::{Link, LinkOrigin};
use regex::Regex;
use std::sync::LazyLock;

/// "共2页", "第1/3页": how many pages a list says it has.
static PAGE_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"共\s*(\d{1,4})\s*页|第\s*\d{1,4}\s*/\s*(\d{1,4})\s*页").unwrap());

/// How many pages a list says it has when none of its other pages has a
/// link the crawler can follow: an ASP.NET postback pager
/// (`javascript:__doPostBack('AspNetPager1','2')`) or a form. `None` for a
/// one-page list, or one with a pager or data request to follow.
pub(crate) fn unfollowable_pages(body_text: &str, links: &[Link]) -> Option<u32> {
    let followable = links.iter().any(|l| {
        matches!(
            l.origin,
            LinkOrigin::Pager | LinkOrigin::Script | LinkOrigin::Data
        )
    });
    if followable {
        return None;
    }
    PAGE_COUNT
        .captures_iter(body_text)
        .filter_map(|c| c.get(1).or(c.get(2))?.as_str().parse::<u32>().ok())
        .find(|&pages| pages >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::dom::visible_text;
    use crate::page::links::extract;
    use scraper::Html;
    use url::Url;

    #[test]
    fn a_postback_pager_is_a_list_with_pages_out_of_reach() {
        let html = r#"<ul><li><a href="/xxgk/show.aspx?id=1">东宁市重大项目</a><span>2023-07-05</span></li></ul>
<div id="AspNetPager1">共17条记录　共2页　当前第1页 <a href="javascript:__doPostBack('AspNetPager1','2')">2</a>
<a href="javascript:__doPostBack('AspNetPager1','2')">下一页</a></div>"#;
        let doc = Html::parse_document(html);
        let url = Url::parse("http://www.dongning.gov.cn/xxgk/list.aspx?cid=2503").unwrap();
        let links = extract(&doc, &url, |_| None);
        let text = visible_text(doc.root_element());
        assert_eq!(unfollowable_pages(&text, &links), Some(2));
        // With a plain link to page 2, or a one-page list: nothing out of reach.
        let html = html.replace(
            "javascript:__doPostBack('AspNetPager1','2')\">下一页",
            "list.aspx?cid=2503&page=2\">下一页",
        );
        let doc = Html::parse_document(&html);
        let links = extract(&doc, &url, |_| None);
        assert_eq!(
            unfollowable_pages(&visible_text(doc.root_element()), &links),
            None
        );
        assert_eq!(unfollowable_pages("共1页 当前第1页", &[]), None);
        assert_eq!(unfollowable_pages("第1/3页", &[]), Some(3));
    }
}
