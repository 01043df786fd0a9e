//! Issue 11 at the level of a whole site: a link that could not be looked
//! at keeps open only the items its text or URL is about.

use super::*;

#[test]
fn a_blocked_annual_disclosure_report_keeps_item_9_open_not_item_3() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let parent = Url::parse("http://www.hljba.gov.cn/xxgk/xxgknb/list.htm").unwrap();
    let mut report = link(
        "http://www.hljba.gov.cn/xxgk/ndbg/2023/0129/1.htm",
        "北安市2022年政府信息公开工作年度报告",
    );
    report.date = NaiveDate::from_ymd_opt(2023, 1, 29);
    audit.note_skip(&report, &parent, SkipReason::Robots);
    let findings = audit.finish(&outcome(5));
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "robots_disallowed")
    );
    // 年度报告 is one of item 3's leads, but the title names item 9's topic.
    assert_eq!(verdict(&findings, "3"), (&Status::Fail, "not_found"));
}

#[test]
fn a_blocked_link_naming_item_3_keeps_it_open() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let parent = Url::parse(HOME).unwrap();
    audit.note_skip(
        &link(
            "http://www.hljba.gov.cn/fzzf/2023/1.htm",
            "北安市2022年度法治政府建设情况报告",
        ),
        &parent,
        SkipReason::Robots,
    );
    let findings = audit.finish(&outcome(5));
    assert_eq!(
        verdict(&findings, "3"),
        (&Status::Inconclusive, "robots_disallowed")
    );
}

#[test]
fn a_service_platform_on_another_county_host_keeps_no_domain_open() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let parent = Url::parse(HOME).unwrap();
    audit.note_skip(
        &link("http://12345.hljba.gov.cn/", "12345便民惠企服务平台"),
        &parent,
        SkipReason::OutOfScope,
    );
    // A platform link that names the domain's own words still does.
    audit.note_skip(
        &link("http://yshj.hljba.gov.cn/", "优化营商环境服务平台"),
        &parent,
        SkipReason::OutOfScope,
    );
    let findings = audit.finish(&outcome(5));
    assert_eq!(
        verdict(&findings, "10.business_environment"),
        (&Status::Inconclusive, "out_of_scope")
    );
    let reason = &findings
        .iter()
        .find(|f| f.item == "10.business_environment")
        .unwrap()
        .reason;
    assert!(reason.contains("1 relevant link"), "{reason}");
    assert!(reason.contains("yshj"), "{reason}");
}

#[test]
fn a_service_platform_alone_leaves_the_domain_failing() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let parent = Url::parse(HOME).unwrap();
    audit.note_skip(
        &link("http://12345.hljba.gov.cn/", "12345便民惠企服务平台"),
        &parent,
        SkipReason::OutOfScope,
    );
    let findings = audit.finish(&outcome(5));
    assert_eq!(
        verdict(&findings, "10.business_environment"),
        (&Status::Fail, "not_found")
    );
}

/// A dated report page at `url` for the audit's county.
fn report(url: &str, title: &str) -> Page {
    let mut p = Page::empty(&Url::parse(url).unwrap(), 200, PageKind::Html);
    p.title = title.into();
    p.text = "本报告统计期限为2022年1月1日至2022年12月31日。一、总体情况".into();
    p.published = Some(crate::types::DateFact {
        date: NaiveDate::from_ymd_opt(2023, 1, 20).unwrap(),
        source: crate::types::DateSource::Visible,
    });
    p
}

#[test]
fn the_countys_named_report_is_the_evidence_over_an_unnamed_one() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    // A unit's sub-site page that names no one is seen first.
    let unit = report(
        "http://www.hljba.gov.cn/gxs/2023/1.htm",
        "2022年政府信息公开工作年度报告",
    );
    audit.observe(&visit(unit, Some(HOME)), "01");
    let county = report(
        "http://www.hljba.gov.cn/xxgk/nb/2023/2.htm",
        "北安市2022年政府信息公开工作年度报告",
    );
    audit.observe(&visit(county, Some(HOME)), "02");
    let findings = audit.finish(&outcome(3));
    let nine = findings.iter().find(|f| f.item == "9").unwrap();
    assert_eq!(nine.status, Status::Pass);
    assert_eq!(
        nine.evidence.as_ref().unwrap().url.as_str(),
        "http://www.hljba.gov.cn/xxgk/nb/2023/2.htm"
    );
}

#[test]
fn item_9_fails_on_its_nearest_miss_not_a_broken_link_of_another_year() {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    let dead_url = "http://www.hljba.gov.cn/xxgk/nb/2022/1.htm";
    let mut dead = Page::empty(&Url::parse(dead_url).unwrap(), 404, PageKind::Html);
    dead.title = "404".into();
    let mut v = visit(dead, Some(HOME));
    v.found_via = Some(link(dead_url, "北安市2020年政府信息公开工作年度报告"));
    audit.observe(&v, "01");
    let mut media = report(
        "http://www.hljba.gov.cn/xxgk/nb/2023/3.htm",
        "北安市政务新媒体2022年信息公开工作年度报告",
    );
    media.text = "政务新媒体".into();
    audit.observe(&visit(media, Some(HOME)), "02");
    let findings = audit.finish(&outcome(3));
    assert_eq!(verdict(&findings, "9"), (&Status::Fail, "wrong_kind"));

    // A 404 on the report year's entry is nearer than the wrong year.
    let mut audit = audit_for_year_links();
    let old = report(
        "http://www.hljba.gov.cn/xxgk/nb/2022/5.htm",
        "北安市2021年政府信息公开工作年度报告",
    );
    let mut v = visit(old, Some(HOME));
    v.found_via = Some(link(
        "http://www.hljba.gov.cn/xxgk/nb/2022/5.htm",
        "2022年年报",
    ));
    audit.observe(&v, "03");
    let findings = audit.finish(&outcome(3));
    let nine = findings.iter().find(|f| f.item == "9").unwrap();
    assert_eq!(nine.reason_code.as_str(), "wrong_year");
    assert!(nine.reason.contains("「2022年年报」"), "{}", nine.reason);
    let dead_url = "http://www.hljba.gov.cn/xxgk/nb/2023/9.htm";
    let mut audit = audit_for_year_links();
    let mut dead = Page::empty(&Url::parse(dead_url).unwrap(), 404, PageKind::Html);
    dead.title = "404".into();
    let mut v = visit(dead, Some(HOME));
    v.found_via = Some(link(dead_url, "北安市2022年政府信息公开工作年度报告"));
    audit.observe(&v, "04");
    let old = report(
        "http://www.hljba.gov.cn/xxgk/nb/2022/5.htm",
        "北安市2021年政府信息公开工作年度报告",
    );
    audit.observe(&visit(old, Some(HOME)), "05");
    let findings = audit.finish(&outcome(3));
    assert_eq!(verdict(&findings, "9"), (&Status::Fail, "broken_link"));
}

/// A fresh audit that has read the homepage.
fn audit_for_year_links() -> SiteAudit {
    let mut audit = audit();
    audit.observe(&visit(homepage(), None), "00");
    audit
}
