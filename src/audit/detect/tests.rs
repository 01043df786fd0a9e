//! Detector tests: realistic documents and the near-misses DOMAIN.md warns
//! about, one verdict each.

use super::*;
use crate::types::{DateSource, LinkOrigin, Page, PageKind};
use crate::types::{Fetched, Visit};
use chrono::Utc;
use std::collections::HashSet;
use url::Url;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn page(url: &str, title: &str) -> Page {
    let mut p = Page::empty(&Url::parse(url).unwrap(), 200, PageKind::Html);
    p.charset = "utf-8".into();
    p.title = title.into();
    p.html_title = title.into();
    p.headings = vec![title.into()];
    p
}

fn published(p: &mut Page, d: &str) {
    p.published = Some(DateFact {
        date: date(d),
        source: DateSource::Visible,
    });
}

fn link(url: &str, text: &str, d: Option<&str>, section: &str) -> Link {
    Link {
        url: Url::parse(url).unwrap(),
        text: text.into(),
        context: d.unwrap_or_default().into(),
        section: section.into(),
        date: d.map(date),
        origin: LinkOrigin::Anchor,
    }
}

fn visit(page: Page, depth: u32, found_via: Option<Link>) -> Visit {
    Visit {
        fetched: Fetched {
            requested: page.url.clone(),
            final_url: page.url.clone(),
            status: page.status,
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
        parent: found_via
            .as_ref()
            .map(|_| Url::parse("http://127.0.0.1/list.html").unwrap()),
        page,
        depth,
        found_via,
        soft_404: false,
    }
}

/// Every candidate one visit yields for the county 北安市, whose site
/// declares `own_domain` (if any) as its own.
fn candidates_of(v: &Visit, own_domain: Option<&str>) -> Vec<Candidate> {
    let rubric = Rubric::default_rubric();
    let columns = HashMap::new();
    let ctx = Context {
        rubric: &rubric,
        county: "北安市",
        window: (date("2022-07-01"), date("2023-06-30")),
        hub_links: &columns,
        home_links: &HashMap::new(),
        sha256: "00",
        own_domain,
    };
    let doc = Doc::new(v, None, &HashSet::new(), &rubric.document);
    all(&doc, v, &ctx)
}

/// The verdicts (item, status, reason) a page yields for the county 北安市.
fn judge(v: &Visit) -> Vec<(String, Status, &'static str)> {
    candidates_of(v, None)
        .into_iter()
        .map(|c| (c.item, c.status, c.reason_code.as_str()))
        .collect()
}

fn verdict_for(v: &Visit, item: &str) -> Option<(Status, &'static str)> {
    judge(v)
        .into_iter()
        .find(|(i, _, _)| i == item)
        .map(|(_, s, r)| (s, r))
}

fn article(title: &str, pub_date: &str) -> Page {
    let mut p = page("http://127.0.0.1/bas/c100770/202303/c01_1.shtml", title);
    published(&mut p, pub_date);
    p.text = format!("{title} 正文内容……");
    p
}

#[test]
fn rule_of_law_report_of_the_county_passes() {
    let v = visit(
        article(
            "北安市人民政府关于2022年度法治政府建设情况的报告",
            "2023-03-28",
        ),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "3"), Some((Status::Pass, "found")));
}

#[test]
fn rule_of_law_report_traps() {
    let v = visit(
        article("北安市司法局2022年度法治政府建设工作报告", "2023-03-10"),
        3,
        None,
    );
    assert_eq!(
        verdict_for(&v, "3"),
        Some((Status::Fail, "department_only"))
    );

    let v = visit(
        article("2023年北安市法治政府建设工作要点", "2023-03-10"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "3"), Some((Status::Fail, "wrong_kind")));

    let v = visit(
        article("北安市2021年度法治政府建设情况报告", "2022-03-10"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "3"), Some((Status::Fail, "wrong_year")));

    let v = visit(
        article("关于报送2022年度法治政府建设年度报告的通知", "2023-01-10"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "3"), Some((Status::Fail, "wrong_kind")));

    let v = visit(
        article("黑河市2022年法治政府建设情况报告", "2023-03-10"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "3"), Some((Status::Fail, "wrong_issuer")));

    // Published after the deadline; the earlier 成文日期 must not rescue it.
    let mut late = article("北安市2022年度法治政府建设情况报告", "2023-04-12");
    late.written = Some(date("2023-03-25"));
    assert_eq!(
        verdict_for(&visit(late, 3, None), "3"),
        Some((Status::Fail, "late"))
    );

    // An unprefixed title published by the 司法局.
    let mut unprefixed = article("2022年度法治政府建设情况报告", "2023-03-10");
    unprefixed.publisher = Some("北安市司法局".into());
    assert_eq!(
        verdict_for(&visit(unprefixed, 3, None), "3"),
        Some((Status::Fail, "department_only"))
    );

    // News that mentions the work is not a candidate at all.
    let v = visit(article("我市召开法治政府建设推进会", "2023-03-10"), 3, None);
    assert_eq!(verdict_for(&v, "3"), None);
}

#[test]
fn annual_disclosure_report() {
    let mut p = article("2022年北安市政府信息公开工作年度报告", "2023-01-18");
    p.text = "本报告统计期限为2022年1月1日至2022年12月31日。一、总体情况".into();
    assert_eq!(
        verdict_for(&visit(p, 3, None), "9"),
        Some((Status::Pass, "found"))
    );

    let v = visit(
        article("北安市2021年政府信息公开工作年度报告", "2022-01-18"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "9"), Some((Status::Fail, "wrong_year")));

    let v = visit(
        article("通北镇2022年政府信息公开工作年度报告", "2023-01-18"),
        3,
        None,
    );
    assert_eq!(
        verdict_for(&v, "9"),
        Some((Status::Fail, "department_only"))
    );

    let v = visit(
        article(
            "北安市人民政府办公室2022年政府信息公开工作年度报告",
            "2023-01-18",
        ),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "9"), Some((Status::Pass, "office_report")));

    let v = visit(
        article("北安市人民政府网站2022年政府网站工作年度报表", "2023-01-18"),
        3,
        None,
    );
    assert_ne!(verdict_for(&v, "9").map(|v| v.0), Some(Status::Pass));

    // An explainer of the report is not the report.
    for title in [
        "图解：北安市2022年政府信息公开工作年度报告",
        "《北安市2022年政府信息公开工作年度报告》解读",
    ] {
        let mut explainer = article(title, "2023-01-20");
        explainer.text = "一、总体情况 二、主动公开政府信息情况".into();
        let v = visit(explainer, 3, None);
        assert_ne!(
            verdict_for(&v, "9").map(|v| v.0),
            Some(Status::Pass),
            "{title}"
        );
    }

    // Late publication passes, with the lateness in the reason.
    let v = visit(
        article("2022年北安市政府信息公开工作年度报告", "2023-05-18"),
        3,
        None,
    );
    assert_eq!(verdict_for(&v, "9"), Some((Status::Pass, "found")));
}

#[test]
fn report_as_pdf_attachment_is_named_by_its_link() {
    let mut p = page("http://127.0.0.1/files/abc.pdf", "");
    p.kind = PageKind::Pdf;
    let via = link(
        "http://127.0.0.1/files/abc.pdf",
        "北安市2022年度法治政府建设情况报告.pdf",
        Some("2023-03-20"),
        "法治政府建设",
    );
    assert_eq!(
        verdict_for(&visit(p, 4, Some(via)), "3"),
        Some((Status::Pass, "found"))
    );
}

#[test]
fn a_list_page_is_not_a_report() {
    let mut p = page("http://127.0.0.1/xxgk/nb/", "政府信息公开年报");
    for i in 0..4 {
        p.links.push(link(
            &format!("http://127.0.0.1/xxgk/nb/{i}.html"),
            &format!("{}年北安市政府信息公开工作年度报告", 2019 + i),
            Some("2023-01-18"),
            "政府信息公开年报",
        ));
    }
    assert_eq!(verdict_for(&visit(p, 2, None), "9"), None);
}

#[test]
fn guide_needs_particulars_and_the_county() {
    let mut p = article("北安市人民政府信息公开指南", "2023-02-01");
    p.text = "一、主动公开 二、依申请公开 受理机构：北安市人民政府办公室 办公地址：北安市和平路1号 办公时间：8:30-17:00 联系电话：0456-6422222".into();
    assert_eq!(
        verdict_for(&visit(p.clone(), 3, None), "7.guide"),
        Some((Status::Pass, "found"))
    );

    let mut news = article("关于更新北安市政府信息公开指南的通知", "2023-02-01");
    news.text = p.text.clone();
    assert_eq!(verdict_for(&visit(news, 3, None), "7.guide"), None);

    let mut dept = article("北安市教育局政府信息公开指南", "2023-02-01");
    dept.text = p.text.clone();
    assert_eq!(
        verdict_for(&visit(dept, 3, None), "7.guide"),
        Some((Status::Fail, "department_only"))
    );
}

#[test]
fn rules_column_of_higher_level_texts_is_inconclusive() {
    let mut p = page("http://127.0.0.1/xxgk/zd/", "政府信息公开制度");
    p.links = vec![
        link(
            "http://127.0.0.1/xxgk/zd/1.html",
            "中华人民共和国政府信息公开条例",
            Some("2019-04-15"),
            "政府信息公开制度",
        ),
        link(
            "http://127.0.0.1/xxgk/zd/2.html",
            "黑龙江省政府信息公开保密审查办法",
            Some("2020-01-15"),
            "政府信息公开制度",
        ),
    ];
    assert_eq!(
        verdict_for(&visit(p.clone(), 2, None), "8"),
        Some((Status::Inconclusive, "only_higher_level_texts"))
    );
    p.links.push(link(
        "http://127.0.0.1/xxgk/zd/3.html",
        "北安市政府信息公开保密审查制度",
        Some("2021-05-15"),
        "政府信息公开制度",
    ));
    assert_eq!(
        verdict_for(&visit(p, 2, None), "8"),
        Some((Status::Pass, "found"))
    );
}

#[test]
fn key_domain_columns_need_an_item_in_the_window() {
    let mut p = page("http://127.0.0.1/zwgk/yshj/", "优化营商环境");
    p.links = vec![
        link(
            "http://127.0.0.1/zwgk/yshj/1.html",
            "北安市惠企政策汇编",
            Some("2022-09-01"),
            "优化营商环境",
        ),
        link(
            "http://127.0.0.1/zwgk/yshj/2.html",
            "关于助企纾困的若干措施",
            Some("2022-08-01"),
            "优化营商环境",
        ),
        link(
            "http://127.0.0.1/zwgk/yshj/3.html",
            "营商环境监督电话",
            Some("2022-07-02"),
            "优化营商环境",
        ),
    ];
    assert_eq!(
        verdict_for(&visit(p.clone(), 2, None), "10.business_environment"),
        Some((Status::Pass, "found"))
    );
    for l in &mut p.links {
        l.date = Some(date("2021-09-01"));
    }
    assert_eq!(
        verdict_for(&visit(p, 2, None), "10.business_environment"),
        Some((Status::Fail, "outside_window"))
    );
    // A single news article that mentions the words is not a column.
    let news = article("我市召开优化营商环境工作会议", "2022-09-01");
    assert_eq!(
        verdict_for(&visit(news, 2, None), "10.business_environment"),
        None
    );
}

#[test]
fn debt_in_budget_packages_counts_but_department_budgets_do_not() {
    let mut p = article("北安市2023年预算草案的报告", "2023-02-10");
    p.text = "……2022年末全市政府债务余额12.3亿元，债务限额13.1亿元……".into();
    assert_eq!(
        verdict_for(&visit(p, 3, None), "21.debt"),
        Some((Status::Pass, "found"))
    );

    let mut dept = article("北安市财政局2023年部门预算", "2023-02-10");
    dept.text = "债务余额 0".into();
    assert_eq!(verdict_for(&visit(dept, 3, None), "21.debt"), None);

    let mut plain = article("北安市2023年预算草案的报告", "2023-02-10");
    plain.text = "一般公共预算收入……".into();
    assert_eq!(verdict_for(&visit(plain, 3, None), "21.debt"), None);

    let old = article("北安市2021年地方政府债务限额及余额情况", "2021-10-10");
    assert_eq!(
        verdict_for(&visit(old, 3, None), "21.debt"),
        Some((Status::Fail, "outside_window"))
    );
}

#[test]
fn dead_links_count_against_the_items_they_name() {
    let mut p = page("http://127.0.0.1/xxgk/zn/", "页面不存在");
    p.status = 404;
    let via = link("http://127.0.0.1/xxgk/zn/", "政府信息公开指南", None, "");
    assert_eq!(
        verdict_for(&visit(p.clone(), 1, Some(via.clone())), "7.guide"),
        Some((Status::Fail, "broken_link"))
    );
    p.status = 200;
    let mut v = visit(p, 1, Some(via));
    v.soft_404 = true;
    assert_eq!(
        verdict_for(&v, "7.guide"),
        Some((Status::Inconclusive, "soft_404"))
    );
}

#[test]
fn a_duties_list_column_needs_the_lists_not_news_about_them() {
    let mut p = page("http://127.0.0.1/col.jsp?cid=111", "权责清单");
    p.breadcrumb = vec!["首页".into(), "政务公开".into(), "权责清单".into()];
    p.links = vec![
        link(
            "http://127.0.0.1/content.jsp?id=1",
            "北安市召开权责清单动态调整工作部署会",
            Some("2023-04-12"),
            "",
        ),
        link(
            "http://127.0.0.1/content.jsp?id=2",
            "北安市2023年权力清单和责任清单动态调整工作方案",
            Some("2023-03-20"),
            "",
        ),
    ];
    assert_ne!(
        verdict_for(&visit(p.clone(), 2, None), "4").map(|v| v.0),
        Some(Status::Pass)
    );
    // The list itself as a table on the column page.
    p.links.clear();
    p.title = "北安市县级政府部门权责清单（2022年版）".into();
    p.text = "序号 实施主体 事项类型 事项名称 设定依据 责任事项 追责情形 1 北安市财政局 行政处罚 对违反会计法行为的处罚 《中华人民共和国会计法》第四十二条 受理、审查、决定 未依法履行监管职责的".into();
    p.links.push(Link {
        origin: LinkOrigin::Pager,
        ..link("http://127.0.0.1/col.jsp?cid=111&page=2", "2", None, "")
    });
    assert_eq!(
        verdict_for(&visit(p, 2, None), "4"),
        Some((Status::Pass, "found"))
    );
}

#[test]
fn a_catalogue_of_departments_beside_a_side_menu_is_a_department_list() {
    let mut p = page("http://127.0.0.1/col.jsp?cid=103", "政府信息公开目录");
    p.breadcrumb = vec!["首页".into(), "政务公开".into(), "政府信息公开目录".into()];
    for (i, menu) in ["政府信息公开制度", "依申请公开", "权责清单"]
        .iter()
        .enumerate()
    {
        p.links.push(link(
            &format!("http://127.0.0.1/col.jsp?cid={i}"),
            menu,
            None,
            "",
        ));
    }
    for (i, unit) in [
        "北安市发展和改革局",
        "北安市财政局",
        "北安市自然资源局",
        "北安市住房和城乡建设局",
        "北安市农业农村局",
        "北安市民政局",
        "北安市司法局",
        "北安市市场监督管理局",
        "北安市赵光镇人民政府",
    ]
    .iter()
    .enumerate()
    {
        p.links.push(link(
            &format!("http://127.0.0.1/col.jsp?cid=20{i}"),
            unit,
            None,
            "",
        ));
    }
    assert_eq!(
        verdict_for(&visit(p.clone(), 2, None), "7.catalogue"),
        Some((Status::Fail, "department_only"))
    );
    // With the county government's own node, it is the county's tree.
    p.links.push(link(
        "http://127.0.0.1/col.jsp?cid=300",
        "北安市人民政府",
        None,
        "",
    ));
    assert_eq!(
        verdict_for(&visit(p, 2, None), "7.catalogue"),
        Some((Status::Pass, "found"))
    );
}

#[test]
fn rules_in_a_departments_tree_are_the_departments() {
    let mut p = page(
        "http://127.0.0.1/bas/c101407/list.shtml",
        "政府信息公开制度",
    );
    p.breadcrumb = vec![
        "首页".into(),
        "政府信息公开".into(),
        "县政府部门".into(),
        "北安市自然资源局".into(),
        "政府信息公开制度".into(),
    ];
    p.links = vec![link(
        "http://127.0.0.1/bas/c101407/202210/c51_1.shtml",
        "北安市自然资源局政府信息依申请公开办理制度",
        Some("2022-10-12"),
        "",
    )];
    assert_eq!(
        verdict_for(&visit(p.clone(), 3, None), "8"),
        Some((Status::Fail, "department_only"))
    );
    // The same unprefixed title in every unit's tree: the tree names it.
    p.links[0].text = "政府信息公开保密审查制度".into();
    assert_eq!(
        verdict_for(&visit(p, 3, None), "8"),
        Some((Status::Fail, "department_only"))
    );
}

#[test]
fn a_rules_column_of_reposted_higher_level_texts_in_any_wording_is_inconclusive() {
    let mut p = page("http://127.0.0.1/zwgk/xxgkzd/", "政府信息公开制度");
    p.links = [
        "中华人民共和国政府信息公开条例",
        "国务院办公厅关于印发《政府信息公开信息处理费管理办法》的通知",
        "黑龙江省人民政府办公厅关于全面推进基层政务公开标准化规范化工作的实施意见",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| {
        link(
            &format!("http://127.0.0.1/zwgk/xxgkzd/202207/t20220712_{i}.html"),
            t,
            Some("2022-07-12"),
            "政府信息公开制度",
        )
    })
    .collect();
    assert_eq!(
        verdict_for(&visit(p, 2, None), "8"),
        Some((Status::Inconclusive, "only_higher_level_texts"))
    );
}

#[test]
fn a_rules_column_of_plans_is_the_wrong_kind() {
    let mut p = page("http://127.0.0.1/zfxxgk/xxgkzd.htm", "政府信息公开制度");
    p.links = vec![
        link(
            "http://127.0.0.1/info/1032/1.htm",
            "北安市2023年政务公开工作要点",
            Some("2023-03-15"),
            "政府信息公开制度",
        ),
        link(
            "http://127.0.0.1/info/1032/2.htm",
            "北安市全面推进基层政务公开标准化规范化工作实施方案",
            Some("2022-09-01"),
            "政府信息公开制度",
        ),
    ];
    assert_eq!(
        verdict_for(&visit(p, 2, None), "8"),
        Some((Status::Fail, "wrong_kind"))
    );
}

#[test]
fn debt_news_without_figures_is_not_a_disclosure() {
    let mut news = article("北安市发行新增专项债券支持重点项目建设", "2022-09-26");
    news.text = "近日，北安市积极争取新增专项债券，支持重点项目建设，助力经济发展。".into();
    assert_eq!(verdict_for(&visit(news.clone(), 3, None), "21.debt"), None);
    news.text = "2022年9月，北安市发行新增专项债券2.5亿元，期限10年。".into();
    assert_eq!(
        verdict_for(&visit(news, 3, None), "21.debt"),
        Some((Status::Pass, "found"))
    );
    // A headline in a news box is not judged by its words alone.
    let mut home = page("http://127.0.0.1/", "北安市人民政府");
    home.links = vec![link(
        "http://127.0.0.1/xwzx/content/post_1.html",
        "北安市发行新增专项债券支持重点项目建设",
        Some("2022-09-26"),
        "北安要闻",
    )];
    assert_eq!(verdict_for(&visit(home, 0, None), "21.debt"), None);
}

#[test]
fn a_domain_section_of_a_page_with_only_old_items_is_outside_the_window() {
    let mut p = page("http://127.0.0.1/zdly.html", "重点领域信息公开");
    p.links = vec![
        link(
            "http://127.0.0.1/show/589.html",
            "北安市供热公司2022年供热收费标准公示",
            Some("2022-06-30"),
            "公共企事业单位信息公开",
        ),
        link(
            "http://127.0.0.1/show/596.html",
            "北安市自来水公司水价公示",
            Some("2021-11-03"),
            "公共企事业单位信息公开",
        ),
        link(
            "http://127.0.0.1/show/582.html",
            "北安市2022年公益性岗位招聘公告",
            Some("2022-07-01"),
            "就业创业",
        ),
    ];
    let v = visit(p, 1, None);
    assert_eq!(
        verdict_for(&v, "10.public_institutions"),
        Some((Status::Fail, "outside_window"))
    );
    assert_eq!(
        verdict_for(&v, "10.employment"),
        Some((Status::Pass, "found"))
    );
}

mod issue11;

#[test]
fn a_young_tree_with_two_coded_rows_under_an_index_heading_is_a_catalogue() {
    let mut p = page(
        "http://127.0.0.1/zfxxgk/fdzdgknr/index.html",
        "法定主动公开内容",
    );
    p.text = "政策文件 财政预决算 索引号 名称 发布日期 \
              11230221MB1A2B3C4D/2023-01021 关于印发春季农业生产工作方案的通知 2023-03-06 \
              11230221MB1A2B3C4D/2022-01022 2022年政府债务限额及余额情况 2022-12-20"
        .into();
    assert_eq!(
        verdict_for(&visit(p.clone(), 2, None), "7.catalogue"),
        Some((Status::Pass, "found"))
    );
    // Two codes without the heading are two articles' metadata, not a table.
    p.text = p.text.replace("索引号 名称 发布日期", "");
    assert_ne!(
        verdict_for(&visit(p, 2, None), "7.catalogue"),
        Some((Status::Pass, "found"))
    );
}
