//! Lists a static reader could not read whole: they keep their items
//! open (`script_list`) instead of proving an absence.

use super::*;

/// A list page under 政务公开 whose pager fetches later pages from `/search`.
fn paged_list(path: &str, title: &str) -> Page {
    let url = Url::parse(&format!("http://www.hljba.gov.cn/{path}/index.html")).unwrap();
    let mut page = Page::empty(&url, 200, PageKind::Html);
    page.title = title.into();
    page.breadcrumb = vec!["首页".into(), title.into()];
    page.links = vec![Link {
        origin: LinkOrigin::Script,
        ..link("http://www.hljba.gov.cn/search", "")
    }];
    page
}

#[test]
fn lists_sharing_a_refused_pager_request_all_stay_open() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let reports = paged_list("xxgk/xxgknb", "政府信息公开年报");
    let reports_url = reports.url.clone();
    audit.observe(&visit(reports, Some(HOME)), "01");
    audit.observe(
        &visit(paged_list("xxgk/fzzfjs", "法治政府建设"), Some(HOME)),
        "02",
    );
    // The pager POSTs: the crawler's one GET of /search answers 405.
    let search = Url::parse("http://www.hljba.gov.cn/search").unwrap();
    let mut refused = visit(
        Page::empty(&search, 405, PageKind::Html),
        Some(reports_url.as_str()),
    );
    refused.found_via = Some(Link {
        origin: LinkOrigin::Script,
        ..link(search.as_str(), "")
    });
    audit.observe(&refused, "03");
    // A list read after the refusal, through the same request.
    audit.observe(
        &visit(paged_list("zdly/jycy", "就业创业"), Some(HOME)),
        "04",
    );
    let findings = audit.finish(&outcome(5));
    for item in ["9", "3", "10.employment"] {
        assert_eq!(
            verdict(&findings, item),
            (&Status::Inconclusive, "script_list"),
            "{item}"
        );
    }
    let reason = &findings.iter().find(|f| f.item == "3").unwrap().reason;
    assert!(reason.contains("/search"), "{reason}");
    // Items none of the lists is named for are not affected.
    assert_eq!(verdict(&findings, "8"), (&Status::Fail, "not_found"));
}
