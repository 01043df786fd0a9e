//! Issue 11, one rule each: the rubric's own words name key-domain
//! columns, a column also counts by its entries, only entries on the
//! county's own host are evidence, and a guide is judged by what its body
//! explains, its particulars only reported.

use super::*;

/// Every candidate (with its note and evidence) one visit yields for
/// `item`, judged for 北安市 whose site declares `hljba.gov.cn`.
fn candidates(v: &Visit, item: &str) -> Vec<Candidate> {
    candidates_of(v, Some("hljba.gov.cn"))
        .into_iter()
        .filter(|c| c.item == item)
        .collect()
}

/// A list page `title` at `url` whose rows are (text, href, date).
fn list(url: &str, title: &str, rows: &[(&str, &str, &str)]) -> Page {
    let mut p = page(url, title);
    p.meta.insert("columnname".into(), title.into());
    p.links = rows
        .iter()
        .map(|(t, u, d)| link(u, t, Some(d), title))
        .collect();
    p
}

#[test]
fn the_rubrics_own_words_name_key_domain_columns() {
    for (title, item) in [
        ("政府公文", "10.official_documents"),
        ("重点项目", "10.effective_investment"),
        ("重点建设项目计划", "10.effective_investment"),
        ("公用事业信息公开", "10.public_institutions"),
    ] {
        let p = list(
            "http://127.0.0.1/zdly/a/list.htm",
            title,
            &[
                (
                    "第一条信息",
                    "http://127.0.0.1/art/2023/0301/1.htm",
                    "2023-03-01",
                ),
                (
                    "第二条信息",
                    "http://127.0.0.1/art/2022/0301/2.htm",
                    "2022-03-01",
                ),
                (
                    "第三条信息",
                    "http://127.0.0.1/art/2022/0201/3.htm",
                    "2022-02-01",
                ),
            ],
        );
        let found = candidates(&visit(p, 2, None), item);
        assert_eq!(found.len(), 1, "{title}");
        assert_eq!(found[0].status, Status::Pass, "{title}");
        assert_eq!(
            found[0].evidence.url.as_str(),
            "http://127.0.0.1/zdly/a/list.htm"
        );
    }
}

#[test]
fn a_column_counts_by_its_entries_titles() {
    let rows = [
        (
            "北安县减税降费政策汇编",
            "http://127.0.0.1/art/2023/0418/1.htm",
            "2023-04-18",
        ),
        (
            "2022年增值税留抵退税政策问答",
            "http://127.0.0.1/art/2022/0811/2.htm",
            "2022-08-11",
        ),
        (
            "个人所得税年度汇算办税提醒",
            "http://127.0.0.1/art/2022/0301/3.htm",
            "2022-03-01",
        ),
    ];
    let p = list("http://127.0.0.1/zdly/sszc/list.htm", "税收政策", &rows);
    let found = candidates(&visit(p, 2, None), "10.tax_fee_cuts");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].status, found[0].reason_code.as_str()),
        (Status::Pass, "found")
    );
    assert!(
        found[0].note.contains("减税降费政策汇编"),
        "{}",
        found[0].note
    );

    // One entry among many is a mixed list, not the domain's column.
    let mut mixed: Vec<(&str, &str, &str)> = rows[..1].to_vec();
    mixed.extend([
        (
            "关于调整供热价格的通知",
            "http://127.0.0.1/art/2023/0401/4.htm",
            "2023-04-01",
        ),
        (
            "关于做好防汛工作的通知",
            "http://127.0.0.1/art/2023/0402/5.htm",
            "2023-04-02",
        ),
        (
            "关于加强城市管理的通知",
            "http://127.0.0.1/art/2023/0403/6.htm",
            "2023-04-03",
        ),
    ]);
    let p = list("http://127.0.0.1/tzgg/list.htm", "通知公告", &mixed);
    assert!(candidates(&visit(p, 2, None), "10.tax_fee_cuts").is_empty());

    // A news list's rows are headlines.
    let p = list("http://127.0.0.1/xwzx/list.htm", "北安要闻", &rows);
    assert!(candidates(&visit(p, 2, None), "10.tax_fee_cuts").is_empty());

    // A column another item names is that item's, whatever its entries say.
    let p = list("http://127.0.0.1/xxgk/zcwj/list.htm", "政策文件", &rows);
    assert!(candidates(&visit(p, 2, None), "10.tax_fee_cuts").is_empty());
}

#[test]
fn a_domain_entry_on_another_host_is_not_the_countys() {
    let p = list(
        "http://127.0.0.1/zdly/zdxm/list.htm",
        "重大项目",
        &[(
            "北安市2023年重大项目建设计划",
            "http://fgw.heihe.gov.cn/art/2023/0301/1.htm",
            "2023-03-01",
        )],
    );
    let found = candidates(&visit(p, 2, None), "10.effective_investment");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].status, found[0].reason_code.as_str()),
        (Status::Fail, "wrong_kind")
    );
    // The county's other host (its declared domain) is its own.
    let p = list(
        "http://127.0.0.1/zdly/zdxm/list.htm",
        "重大项目",
        &[(
            "北安市2023年重大项目建设计划",
            "http://xxgk.hljba.gov.cn/art/2023/0301/1.htm",
            "2023-03-01",
        )],
    );
    let found = candidates(&visit(p, 2, None), "10.effective_investment");
    assert_eq!(found[0].status, Status::Pass);
}

#[test]
fn a_debt_entry_pointing_at_the_national_bond_platform_is_not_a_pass() {
    let mut rows = vec![(
        "北安市地方政府债务信息公开",
        "http://www.celma.org.cn/dfzfzwxxgk/index.jhtml?areaCode=231181",
        "2023-03-02",
    )];
    let p = list("http://127.0.0.1/xxgk/czyjs/list.htm", "财政预决算", &rows);
    let found = candidates(&visit(p, 2, None), "21.debt");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].status, found[0].reason_code.as_str()),
        (Status::Fail, "wrong_kind")
    );
    assert!(found[0].note.contains("celma.org.cn"), "{}", found[0].note);

    rows.push((
        "北安市2022年地方政府债务限额及余额情况",
        "http://127.0.0.1/art/2022/0915/9.htm",
        "2022-09-15",
    ));
    let p = list("http://127.0.0.1/xxgk/czyjs/list.htm", "财政预决算", &rows);
    let found = candidates(&visit(p, 2, None), "21.debt");
    assert_eq!(found[0].status, Status::Pass);
    assert!(found[0].note.contains("限额及余额"), "{}", found[0].note);
}

#[test]
fn a_guide_without_particulars_passes_and_says_what_it_lacks() {
    let mut p = article("北安市人民政府信息公开指南", "2023-02-20");
    p.text = "一、主动公开 公开范围与渠道。二、依申请公开 受理机构：北安市人民政府办公室。申请方式：在线申请。三、监督和救济 可以申请行政复议。".into();
    let found = candidates(&visit(p.clone(), 3, None), "7.guide");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].status, found[0].reason_code.as_str()),
        (Status::Pass, "found")
    );
    let note = &found[0].note;
    assert!(note.contains("names office"), "{note}");
    assert!(note.contains("lacks address, hours, phone"), "{note}");

    // A page that names the guide but explains nothing is not one.
    let mut bare = article("北安市人民政府信息公开指南", "2023-02-20");
    bare.text = "地址：北安市和平路1号 电话：0456-6422222".into();
    assert!(candidates(&visit(bare, 3, None), "7.guide").is_empty());

    // A notice about revising the guide, and a department's guide.
    let mut notice = article("关于修订《北安市人民政府信息公开指南》的通知", "2023-02-20");
    notice.text = p.text.clone();
    assert!(candidates(&visit(notice, 3, None), "7.guide").is_empty());
    let mut dept = article("北安市教育局政府信息公开指南", "2023-02-20");
    dept.text = p.text.clone();
    let found = candidates(&visit(dept, 3, None), "7.guide");
    assert_eq!(found[0].reason_code.as_str(), "department_only");
}

#[test]
fn units_are_not_the_county_government() {
    let v = visit(
        article("北安市供销合作社2022年度法治政府建设情况报告", "2023-03-10"),
        3,
        None,
    );
    assert_eq!(
        verdict_for(&v, "3"),
        Some((Status::Fail, "department_only"))
    );
    let mut guide = article("北安市档案馆政府信息公开指南", "2023-02-20");
    guide.text = "一、主动公开 二、依申请公开 三、监督和救济".into();
    assert_eq!(
        verdict_for(&visit(guide, 3, None), "7.guide"),
        Some((Status::Fail, "department_only"))
    );
    let mut report = article(
        "北安市第一人民医院2022年政府信息公开工作年度报告",
        "2023-01-20",
    );
    report.text = "本报告统计期限为2022年1月1日至2022年12月31日。".into();
    assert_eq!(
        verdict_for(&visit(report, 3, None), "9"),
        Some((Status::Fail, "department_only"))
    );
}

#[test]
fn a_departments_name_is_not_a_key_domain_column() {
    let mut p = article("北安市教育局2022年度法治政府建设工作报告", "2023-03-10");
    p.meta.insert("columnname".into(), "北安市教育局".into());
    p.breadcrumb = vec!["首页".into(), "北安市教育局".into(), "法治政府建设".into()];
    assert!(candidates(&visit(p.clone(), 3, None), "10.education").is_empty());
    // The same article filed under the domain's own column counts.
    p.meta.insert("columnname".into(), "教育领域".into());
    p.breadcrumb = vec!["首页".into(), "重点领域".into(), "教育领域".into()];
    let found = candidates(&visit(p, 3, None), "10.education");
    assert_eq!(found[0].status, Status::Pass);
}

#[test]
fn a_document_naming_the_county_is_marked_so() {
    let mut named = article("北安市2022年政府信息公开工作年度报告", "2023-01-20");
    named.text = "本报告统计期限为2022年1月1日至2022年12月31日。".into();
    let found = candidates(&visit(named, 3, None), "9");
    assert!(found[0].issuer_named);
    let mut bare = article("2022年政府信息公开工作年度报告", "2023-01-20");
    bare.text = "本报告统计期限为2022年1月1日至2022年12月31日。".into();
    let found = candidates(&visit(bare, 3, None), "9");
    assert_eq!(found[0].status, Status::Pass);
    assert!(!found[0].issuer_named);
}

#[test]
fn entries_naming_a_department_are_not_the_domains() {
    let p = list(
        "http://127.0.0.1/zwgk/czxx/list.htm",
        "财政信息",
        &[
            (
                "北安市教育局2023年部门预算",
                "http://127.0.0.1/art/2023/0221/1.htm",
                "2023-02-21",
            ),
            (
                "北安市卫生健康局2023年部门预算",
                "http://127.0.0.1/art/2023/0221/2.htm",
                "2023-02-21",
            ),
        ],
    );
    assert!(candidates(&visit(p, 2, None), "10.education").is_empty());
}
