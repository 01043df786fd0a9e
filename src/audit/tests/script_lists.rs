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

/// An audit of a site whose homepage links its disclosure section
/// (`/zwgk/`, an application shell) and `routes` into it, then reads the
/// shell and an empty 减税降费 column outside it.
fn audit_with_shell_section(routes: &[(&str, &str)]) -> Vec<Finding> {
    audit_with_section(routes, |shell| {
        shell.drawn_by_script = true;
        shell.script_gaps = vec!["the page is drawn in the browser by /static/js/app.js".into()];
    })
}

/// [`audit_with_shell_section`] with the section page shaped by `shape`.
fn audit_with_section(routes: &[(&str, &str)], shape: fn(&mut Page)) -> Vec<Finding> {
    let mut audit = audit();
    let mut home = homepage();
    let section = link("http://www.hljba.gov.cn/zwgk/", "政务公开");
    home.links.push(section.clone());
    for (url, text) in routes {
        home.links.push(link(url, text));
    }
    audit.observe(&visit(home, None), "00");
    let mut shell = Page::empty(&section.url, 200, PageKind::Html);
    shell.title = "政务公开".into();
    shape(&mut shell);
    let mut shell_visit = visit(shell, Some(HOME));
    shell_visit.found_via = Some(section);
    audit.observe(&shell_visit, "01");
    let mut empty = Page::empty(
        &Url::parse("http://www.hljba.gov.cn/zdly/jsjf/index.html").unwrap(),
        200,
        PageKind::Html,
    );
    empty.title = "减税降费".into();
    empty.text = "减税降费 暂无信息".into();
    audit.observe(&visit(empty, Some(HOME)), "02");
    audit.finish(&outcome(3))
}

#[test]
fn a_disclosure_section_drawn_by_script_with_no_known_columns_proves_no_absence() {
    // Nothing names what the application holds: it may hold a 减税降费
    // column with entries, whatever the one outside it shows.
    let findings = audit_with_shell_section(&[]);
    for item in ["10.tax_fee_cuts", "9", "3"] {
        assert_eq!(
            verdict(&findings, item),
            (&Status::Inconclusive, "script_list"),
            "{item}"
        );
    }
    let reason = &findings
        .iter()
        .find(|f| f.item == "10.tax_fee_cuts")
        .unwrap()
        .reason;
    assert!(reason.contains("「政务公开」"), "{reason}");
    // The homepage names the application's columns: an item with a column
    // of its own elsewhere is judged there.
    let findings = audit_with_shell_section(&[
        (
            "http://www.hljba.gov.cn/zwgk/#/column/101",
            "政府信息公开指南",
        ),
        (
            "http://www.hljba.gov.cn/zwgk/#/column/104",
            "政府信息公开年报",
        ),
    ]);
    assert_eq!(
        verdict(&findings, "10.tax_fee_cuts"),
        (&Status::Fail, "empty_column")
    );
    assert_eq!(
        verdict(&findings, "9"),
        (&Status::Inconclusive, "script_list")
    );
}

#[test]
fn a_disclosure_section_whose_menu_is_a_template_proves_no_absence_until_rendered() {
    // Static markup: the menu of columns is an avalon template, never seen.
    let findings = audit_with_section(&[], |section| {
        section.template_links = true;
        section.script_gaps =
            vec!["links bound in a template are drawn by script: /zwgk/{{el.dir}}/".into()];
    });
    assert_eq!(
        verdict(&findings, "10.tax_fee_cuts"),
        (&Status::Inconclusive, "script_list")
    );
    // Read in the browser, the menu was seen: the empty column stands.
    let findings = audit_with_section(&[], |section| section.rendered = true);
    assert_eq!(
        verdict(&findings, "10.tax_fee_cuts"),
        (&Status::Fail, "empty_column")
    );
}
