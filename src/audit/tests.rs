//! A whole site's audit: what was not looked at keeps items from failing.

use super::*;
use crate::types::{FetchError, Fetched, LinkOrigin, PageKind, SiteStart, SkipReason};
use chrono::Utc;

const HOME: &str = "http://www.hljba.gov.cn/";

fn audit() -> SiteAudit {
    let date = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    SiteAudit::new(
        Arc::new(Rubric::default_rubric()),
        County {
            name: "北安市".into(),
            url: Url::parse(HOME).unwrap(),
        },
        (date("2022-07-01"), date("2023-06-30")),
    )
}

fn visit(page: Page, parent: Option<&str>) -> Visit {
    Visit {
        fetched: Fetched {
            requested: page.url.clone(),
            final_url: page.url.clone(),
            status: 200,
            headers: vec![],
            body: bytes::Bytes::new(),
            truncated: false,
            hops: vec![],
            fetched_at: Utc::now(),
            tls_unverified: false,
            remote_addr: None,
            from_archive: false,
            revisit: None,
            posted: None,
            rendered: None,
        },
        page,
        depth: u32::from(parent.is_some()),
        found_via: None,
        parent: parent.map(|p| Url::parse(p).unwrap()),
        soft_404: false,
    }
}

/// A homepage as a site has one: HTML with a link into the site.
fn homepage() -> Page {
    let mut home = Page::empty(&Url::parse(HOME).unwrap(), 200, PageKind::Html);
    home.links = vec![link("http://www.hljba.gov.cn/xwzx/", "新闻中心")];
    home
}

fn link(url: &str, text: &str) -> Link {
    Link {
        url: Url::parse(url).unwrap(),
        text: text.into(),
        context: String::new(),
        section: String::new(),
        date: None,
        origin: LinkOrigin::Anchor,
    }
}

fn outcome(pages: usize) -> CrawlOutcome {
    CrawlOutcome {
        pages_fetched: pages,
        ..CrawlOutcome::starting(SiteStart::Reached {
            homepage: Url::parse(HOME).unwrap(),
        })
    }
}

fn verdict<'a>(findings: &'a [Finding], item: &str) -> (&'a Status, &'a str) {
    let f = findings.iter().find(|f| f.item == item).unwrap();
    (&f.status, f.reason_code.as_str())
}

#[test]
fn a_sibling_host_of_the_county_domain_is_not_covered_another_domain_is() {
    let mut audit = audit();
    let mut home = homepage();
    home.title = "北安市人民政府".into();
    audit.observe(&visit(home, None), "00");
    let parent = Url::parse(HOME).unwrap();
    // The county's disclosure platform on its own subdomain: not crawled.
    audit.note_skip(
        &link(
            "http://xxgk.hljba.gov.cn/zfxxgknb/index.html",
            "政府信息公开年报",
        ),
        &parent,
        SkipReason::OutOfScope,
    );
    // The city's site: not the county's, so no claim either way.
    audit.note_skip(
        &link("http://www.heihe.gov.cn/zwgk/fzzfjs/", "法治政府建设"),
        &parent,
        SkipReason::OutOfScope,
    );
    let findings = audit.finish(&outcome(1));
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "out_of_scope")
    );
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));
}

#[test]
fn a_list_filled_by_an_unreproducible_request_is_not_covered() {
    let mut audit = audit();
    let home = homepage();
    audit.observe(&visit(home, None), "00");
    let url = Url::parse("http://www.hljba.gov.cn/bas/c100752/list.shtml").unwrap();
    let mut list = Page::empty(&url, 200, PageKind::Html);
    list.title = "政府信息公开年报".into();
    list.script_gaps = vec!["/api/list: the value of `channelId` is known only at run time".into()];
    audit.observe(&visit(list, Some(HOME)), "01");
    let findings = audit.finish(&outcome(2));
    let (status, code) = verdict(&findings, "9");
    assert_eq!((status, code), (&Status::Inconclusive, "script_list"));
    let reason = &findings.iter().find(|f| f.item == "9").unwrap().reason;
    assert!(reason.contains("list.shtml"), "{reason}");
    // Items the page does not name are not affected.
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));
}

#[test]
fn an_iframe_list_sits_in_its_parents_column() {
    let mut audit = audit();
    let home = homepage();
    audit.observe(&visit(home, None), "00");
    let column_url = "http://www.hljba.gov.cn/zdly/zdjc/index.html";
    let mut column = Page::empty(&Url::parse(column_url).unwrap(), 200, PageKind::Html);
    column.title = "重大行政决策".into();
    let frame_url = Url::parse("http://www.hljba.gov.cn/cms/list.jsp?cat=1182").unwrap();
    column.links = vec![Link {
        origin: LinkOrigin::Frame,
        ..link(frame_url.as_str(), "")
    }];
    audit.observe(&visit(column.clone(), Some(HOME)), "01");
    // The framed page has no title and no breadcrumb of its own.
    let mut framed = Page::empty(&frame_url, 200, PageKind::Html);
    framed.links = ["2023-02-10", "2022-11-03", "2022-08-19"]
        .iter()
        .enumerate()
        .map(|(i, d)| Link {
            date: Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            ..link(
                &format!("http://www.hljba.gov.cn/cms/show.jsp?id={i}"),
                &format!("关于北安市重大行政决策事项目录（第{i}批）的公告"),
            )
        })
        .collect();
    let mut v = visit(framed, Some(column_url));
    v.found_via = Some(column.links[0].clone());
    audit.observe(&v, "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(
        verdict(&findings, "10.major_decisions"),
        (&Status::Pass, "found")
    );
}

#[test]
fn a_failed_list_page_keeps_open_only_the_items_its_list_is_named_for() {
    let error = |url: &str| FetchError {
        class: crate::types::FetchErrorClass::ServerError,
        message: "503 Service Unavailable".into(),
        url: Url::parse(url).unwrap(),
    };
    let frame = |url: &str| Link {
        origin: LinkOrigin::Frame,
        ..link(url, "")
    };
    // The 财政预决算 list holds the debt disclosure, not the 法治 report.
    let (mut audit, column) = audit_after_column("czyjs", "财政预决算");
    let list = "http://www.hljba.gov.cn/xxgk/czyjs/list.html";
    audit.note_error(&frame(list), &column, &error(list));
    let findings = audit.finish(&outcome(2));
    assert_eq!(
        verdict(&findings, "21.debt"),
        (&Status::Inconclusive, "unreachable")
    );
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));

    // A generic list (法定主动公开内容) may hold anything.
    let (mut audit, column) = audit_after_column("fdzdgk", "法定主动公开内容");
    let list = "http://www.hljba.gov.cn/xxgk/fdzdgk/list.html";
    audit.note_error(&frame(list), &column, &error(list));
    let findings = audit.finish(&outcome(2));
    assert_eq!(
        verdict(&findings, "3"),
        (&Status::Inconclusive, "unreachable")
    );
}

#[test]
fn a_list_whose_next_pages_were_refused_keeps_its_items_open() {
    let next_page = |status: u16, origin: LinkOrigin, column: &Url| {
        let url = Url::parse("http://www.hljba.gov.cn/search?channelid=1432&page=2").unwrap();
        let mut v = visit(
            Page::empty(&url, status, PageKind::Html),
            Some(column.as_str()),
        );
        v.found_via = Some(Link {
            origin,
            ..link(url.as_str(), "下一页")
        });
        v
    };
    // A TRS pager that POSTs to /search: the GET answers 405.
    let (mut audit, column) = audit_after_column("xxgknb", "政府信息公开年报");
    audit.observe(&next_page(405, LinkOrigin::Script, &column), "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "script_list")
    );
    // A server that refused the next page.
    let (mut audit, column) = audit_after_column("xxgknb", "政府信息公开年报");
    audit.observe(&next_page(503, LinkOrigin::Pager, &column), "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "unreachable")
    );
    // An off-by-one 下一页 that does not exist proves nothing missing.
    let (mut audit, column) = audit_after_column("xxgknb", "政府信息公开年报");
    audit.observe(&next_page(404, LinkOrigin::Pager, &column), "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(verdict(&findings, "9"), (&Status::Fail, "not_found"));
}

/// An audit that has seen the homepage and one column page under 政务公开.
fn audit_after_column(path: &str, title: &str) -> (SiteAudit, Url) {
    let mut audit = audit();
    let home = homepage();
    audit.observe(&visit(home, None), "00");
    let url = Url::parse(&format!("http://www.hljba.gov.cn/xxgk/{path}/index.html")).unwrap();
    let mut page = Page::empty(&url, 200, PageKind::Html);
    page.title = title.into();
    page.breadcrumb = vec!["首页".into(), "政务公开".into(), title.into()];
    audit.observe(&visit(page, Some(HOME)), "01");
    (audit, url)
}

#[test]
fn a_site_served_under_another_name_knows_its_domain_from_site_domain() {
    let mirror = "http://127.0.0.1:8080/";
    let mut audit = audit();
    let mut home = Page::empty(&Url::parse(mirror).unwrap(), 200, PageKind::Html);
    home.meta
        .insert("sitedomain".into(), "www.hljba.gov.cn".into());
    home.links = vec![link("http://127.0.0.1:8080/xwzx/", "新闻中心")];
    audit.observe(&visit(home, None), "00");
    let parent = Url::parse(mirror).unwrap();
    audit.note_skip(
        &link(
            "http://xxgk.hljba.gov.cn/zfxxgkzd/index.html",
            "信息公开制度",
        ),
        &parent,
        SkipReason::OutOfScope,
    );
    audit.note_skip(
        &link("http://www.heihe.gov.cn/zwgk/fzzfjs/", "法治政府建设"),
        &parent,
        SkipReason::OutOfScope,
    );
    let findings = audit.finish(&outcome(1));
    assert_eq!(
        verdict(&findings, "8"),
        (&Status::Inconclusive, "out_of_scope")
    );
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));
}

#[test]
fn a_disclosure_page_drawn_by_script_keeps_open_only_items_without_a_verdict_of_their_own() {
    let mut audit = audit();
    let home = homepage();
    audit.observe(&visit(home, None), "00");
    let shell_url = "http://www.hljba.gov.cn/zwgk/";
    let mut shell = Page::empty(&Url::parse(shell_url).unwrap(), 200, PageKind::Html);
    shell.title = "政务公开".into();
    shell.drawn_by_script = true;
    shell.script_gaps = vec!["the page is drawn in the browser by /static/js/app.js".into()];
    audit.observe(&visit(shell, Some(HOME)), "01");
    // The 减税降费 column, plain HTML, says it is empty.
    let mut empty = Page::empty(
        &Url::parse("http://www.hljba.gov.cn/zdly/jsjf/index.html").unwrap(),
        200,
        PageKind::Html,
    );
    empty.title = "减税降费".into();
    empty.text = "减税降费 暂无信息".into();
    audit.observe(&visit(empty, Some(HOME)), "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(
        verdict(&findings, "10.tax_fee_cuts"),
        (&Status::Fail, "empty_column")
    );
    // The annual report has no column of its own outside the shell.
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "script_list")
    );
}

#[test]
fn a_homepage_without_links_into_the_site_keeps_every_row_open() {
    let mut audit = audit();
    let mut home = Page::empty(&Url::parse(HOME).unwrap(), 200, PageKind::Html);
    home.links = vec![link("http://www.heihe.gov.cn/", "黑河市人民政府")];
    audit.observe(&visit(home, None), "00");
    let findings = audit.finish(&outcome(1));
    assert!(findings.iter().all(|f| f.status == Status::Inconclusive
        && f.reason.starts_with("homepage_unreadable: no_links")));
}

#[test]
fn a_homepage_read_in_part_keeps_every_row_open() {
    let mut audit = audit();
    let mut home = homepage();
    home.cut = Some(crate::types::BodyCut::BodyTooLarge);
    audit.observe(&visit(home, None), "00");
    let findings = audit.finish(&outcome(1));
    assert!(findings.iter().all(|f| f.status == Status::Inconclusive
        && f.reason.starts_with("homepage_unreadable: body_too_large")));
}

#[test]
fn an_unread_disclosure_section_keeps_open_what_it_could_hold_but_a_sub_column_does_not() {
    let mut audit = audit();
    let mut home = homepage();
    home.links
        .push(link("http://www.hljba.gov.cn/zwgk/", "政务公开"));
    home.links
        .push(link("http://www.hljba.gov.cn/jczwgk/", "基层政务公开"));
    audit.observe(&visit(home, None), "00");
    let parent = Url::parse(HOME).unwrap();
    // A sub-column whose name holds the section's is not the section.
    audit.note_skip(
        &link("http://www.hljba.gov.cn/jczwgk/", "基层政务公开"),
        &parent,
        SkipReason::Budget,
    );
    let findings = audit.finish(&outcome(1));
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));

    let mut audit = audit_with_home();
    audit.note_skip(
        &link("http://www.hljba.gov.cn/zwgk/", "政务公开"),
        &parent,
        SkipReason::Budget,
    );
    let findings = audit.finish(&outcome(1));
    for item in ["3", "4", "7.guide", "9", "10.education", "21.debt"] {
        assert_eq!(
            verdict(&findings, item),
            (&Status::Inconclusive, "budget_exhausted")
        );
    }
    let reason = &findings.iter().find(|f| f.item == "9").unwrap().reason;
    assert!(reason.contains("「政务公开」"), "{reason}");
}

fn audit_with_home() -> SiteAudit {
    let mut audit = audit();
    let mut home = homepage();
    home.links
        .push(link("http://www.hljba.gov.cn/zwgk/", "政务公开"));
    audit.observe(&visit(home, None), "00");
    audit
}

#[test]
fn a_site_whose_time_ran_out_keeps_its_open_rows_open() {
    let audit = audit_with_home();
    let mut crawled = outcome(40);
    crawled.timed_out = true;
    let findings = audit.finish(&crawled);
    assert!(findings
        .iter()
        .all(|f| f.status == Status::Inconclusive && f.reason.starts_with("site_timeout: ")));
}

#[test]
fn skipped_links_past_what_the_crawler_remembers_fail_nothing() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let findings = audit.finish(&CrawlOutcome {
        skips_unreported: 3,
        ..outcome(1)
    });
    for f in &findings {
        assert_eq!(
            (&f.status, f.reason_code.as_str()),
            (&Status::Inconclusive, "budget_exhausted"),
            "{}: {}",
            f.item,
            f.reason
        );
    }
}

mod issue11;
mod script_lists;
