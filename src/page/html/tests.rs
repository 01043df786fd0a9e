use super::title::strip_site_name;
use crate::page::parse;
use crate::types::{DateSource, LinkOrigin, Page, PageKind};
use chrono::NaiveDate;
use url::Url;

fn page(url: &str, html: &str) -> Page {
    parse(
        &Url::parse(url).unwrap(),
        200,
        Some("text/html; charset=utf-8"),
        html.as_bytes(),
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const ARTICLE: &str = r#"<!DOCTYPE html><html><head>
<meta charset="utf-8">
<title>北安市2022年政府信息公开工作年度报告_北安市人民政府</title>
<meta name="SiteName" content="北安市人民政府">
<meta name="SiteIDCode" content="2311810001">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="PubDate" content="2023-01-10 09:00">
<script>var x = "当前位置：不是这里";</script>
</head><body>
<div class="header"><h1><img src="/logo.png" alt=""></h1><ul class="nav"><li><a href="/">首页</a></li></ul></div>
<div class="location"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/bas/zwgk/zwgk.shtml">政务公开</a> &gt;&gt; <a href="/bas/c100784/list.shtml">政府信息公开年报</a> &gt; 正文</div>
<table class="xxgk-table">
<tr><td>索 引 号：</td><td>11231181MB0000000X/2023-00012</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>北安市人民政府办公室</td><td>成文日期：</td><td>2023-01-15</td></tr>
<tr><td>标　　题：</td><td>北安市2022年政府信息公开工作年度报告</td></tr>
<tr><td>文　　号：</td><td></td><td>发布日期：</td><td>2023-01-18</td></tr>
</table>
<div class="article-title"><h2>北安市2022年政府信息公开工作年度报告</h2></div>
<div id="zoom"><p>本报告根据《中华人民共和国政府信息公开条例》编制。</p><style>p{color:red}</style>
<p>一、总体情况</p><p>统计期限为2022年1月1日至2022年12月31日。</p></div>
</body></html>"#;

#[test]
fn article_facts() {
    let p = page(
        "https://www.hljba.gov.cn/bas/c100784/202301/c12_345.shtml",
        ARTICLE,
    );
    assert_eq!(p.kind, PageKind::Html);
    assert_eq!(p.charset, "utf-8");
    assert_eq!(
        p.html_title,
        "北安市2022年政府信息公开工作年度报告_北安市人民政府"
    );
    assert_eq!(p.title, "北安市2022年政府信息公开工作年度报告");
    assert_eq!(
        p.meta.get("columnname").map(String::as_str),
        Some("政府信息公开年报")
    );
    assert_eq!(
        p.meta.get("siteidcode").map(String::as_str),
        Some("2311810001")
    );
    assert_eq!(
        p.breadcrumb,
        ["首页", "政务公开", "政府信息公开年报", "正文"]
    );
    assert_eq!(
        p.index_number.as_deref(),
        Some("11231181MB0000000X/2023-00012")
    );
    assert_eq!(p.publisher.as_deref(), Some("北安市人民政府办公室"));
    assert_eq!(p.written, Some(d(2023, 1, 15)));
    let published = p.published.unwrap();
    assert_eq!(
        (published.date, published.source),
        (d(2023, 1, 18), DateSource::Visible)
    );
    assert!(p.text.starts_with("本报告根据"), "{}", p.text);
    assert!(p
        .text
        .contains("一、总体情况 统计期限为2022年1月1日至2022年12月31日。"));
    assert!(!p.text.contains("color"));
    assert!(p
        .headings
        .contains(&"北安市2022年政府信息公开工作年度报告".to_string()));
}

#[test]
fn metadata_as_text_and_written_only() {
    let html = r#"<html><body><ul class="xxgk">
<li><span>索引号：</span>000014349/2023-00031</li><li>发布机构：孙吴县人民政府</li>
<li>成文日期：2023-03-20</li></ul>
<div class="content">孙吴县2022年度法治政府建设情况报告全文。</div></body></html>"#;
    let p = page(
        "http://www.hljsunwu.gov.cn/swx/c100790/202304/c12_9.shtml",
        html,
    );
    assert_eq!(p.index_number.as_deref(), Some("000014349/2023-00031"));
    assert_eq!(p.publisher.as_deref(), Some("孙吴县人民政府"));
    assert_eq!(p.written, Some(d(2023, 3, 20)));
    let published = p.published.unwrap();
    assert_eq!(
        (published.date, published.source),
        (d(2023, 4, 1), DateSource::UrlYearMonth)
    );
}

#[test]
fn visible_date_line_with_source() {
    let html = r#"<html><head><title>北安市司法局2022年度法治政府建设工作报告-北安市人民政府网</title></head><body>
<div class="info">日期：2023-03-28　来源：北安市司法局　浏览次数：35</div>
<div class="TRS_Editor"><p>2022年，北安市司法局……</p></div></body></html>"#;
    let p = page("http://www.hljba.gov.cn/zwgk/202303/t20230328_1.html", html);
    assert_eq!(p.publisher.as_deref(), Some("北安市司法局"));
    assert_eq!(
        p.published.map(|f| (f.date, f.source)),
        Some((d(2023, 3, 28), DateSource::Visible))
    );
    assert_eq!(p.title, "北安市司法局2022年度法治政府建设工作报告");
    assert_eq!(p.text, "2022年，北安市司法局……");
}

#[test]
fn visible_dates_split_across_elements_and_in_list_rows() {
    let split = r#"<html><body><div class="info"><span class="label">发布时间：</span><span>2023-03-28</span>
<span>来源：</span><span>嫩江市司法局</span></div><div id="zoom"><p>正文</p></div></body></html>"#;
    let p = page("http://www.nenjiang.gov.cn/zwgk/a.html", split);
    assert_eq!(
        p.published.map(|f| (f.date, f.source)),
        Some((d(2023, 3, 28), DateSource::Visible))
    );
    assert_eq!(p.publisher.as_deref(), Some("嫩江市司法局"));

    let blocks = r#"<html><body><div class="meta"><div>发布日期</div><div>2023年03月28日 10:30</div></div>
<table><tr><td>成文日期</td><td>2023年03月20日</td></tr></table><div class="content">正文</div></body></html>"#;
    let p = page("http://www.nenjiang.gov.cn/zwgk/b.html", blocks);
    assert_eq!(p.written, Some(d(2023, 3, 20)));
    assert_eq!(
        p.published.map(|f| (f.date, f.source)),
        Some((d(2023, 3, 28), DateSource::Visible))
    );

    let chinese = r#"<html><body><p class="date">发布日期：2023年03月28日</p><div class="content">正文</div></body></html>"#;
    let p = page("http://www.xunke.gov.cn/a.html", chinese);
    assert_eq!(
        p.published.map(|f| (f.date, f.source)),
        Some((d(2023, 3, 28), DateSource::Visible))
    );

    let list = r#"<html><body><div class="title">政府信息公开年报</div><ul>
<li><a href="/a.html">北安市2022年政府信息公开工作年度报告</a><span>[2023-03-28]</span></li>
<li><span class="date">2023年01月18日</span><a href="/b.html">北安市2021年政府信息公开工作年度报告</a></li>
</ul></body></html>"#;
    let p = page("http://www.hljba.gov.cn/bas/c100784/list.shtml", list);
    let dates: Vec<Option<NaiveDate>> = p.links.iter().map(|l| l.date).collect();
    assert_eq!(dates, [Some(d(2023, 3, 28)), Some(d(2023, 1, 18))]);
    assert_eq!(p.links[0].context, "[2023-03-28]");
    // A list's row dates are not the list page's own publish date.
    assert_ne!(p.published.map(|f| f.source), Some(DateSource::Visible));
}

#[test]
fn title_rules() {
    let meta = r#"<html><head><title>x</title><meta name="ArticleTitle" content="关于2022年度法治政府建设工作情况的报告"></head><body><h1>嫩江市人民政府</h1></body></html>"#;
    assert_eq!(
        page("http://www.nenjiang.gov.cn/a.html", meta).title,
        "关于2022年度法治政府建设工作情况的报告"
    );
    // A copied template leaves the site name in ArticleTitle.
    let suffixed = r#"<html><head><meta name="ArticleTitle" content="嘉荫县2021年政府信息公开工作年度报告_嘉荫县人民政府"></head><body></body></html>"#;
    assert_eq!(
        page("http://www.jiayin.gov.cn/a.html", suffixed).title,
        "嘉荫县2021年政府信息公开工作年度报告"
    );
    let heading = r#"<html><head><title>通知公告 - 逊克县人民政府</title></head><body><h1>逊克县人民政府</h1>
<div class="box"><div class="title">逊克县政府信息公开指南</div><div class="content">一、主动公开</div></div></body></html>"#;
    assert_eq!(
        page("http://www.xunke.gov.cn/a.html", heading).title,
        "逊克县政府信息公开指南"
    );
    assert_eq!(
        strip_site_name("通知公告-政务公开-北安市人民政府", None),
        "通知公告-政务公开"
    );
    assert_eq!(
        strip_site_name("2022-2023学年校历 | 黑河政府网", None),
        "2022-2023学年校历"
    );
    assert_eq!(
        strip_site_name("年报——五大连池市人民政府门户网站", None),
        "年报"
    );
    assert_eq!(strip_site_name("爱辉区人民政府", None), "爱辉区人民政府");
    assert_eq!(
        strip_site_name("政务公开_首页_AIHUI", Some("AIHUI")),
        "政务公开_首页"
    );
}

#[test]
fn tab_page_yields_its_data_endpoint() {
    let html = r#"<html><head><title>政府信息公开_北安市人民政府</title><meta name="ColumnName" content="政府信息公开">
<script>var tab = GetQueryString("tab"); $.get("/bas/zfxxgk/" + tab + "/index.json", render);</script></head>
<body><div id="list">暂无数据</div></body></html>"#;
    let p = page(
        "https://www.hljba.gov.cn/bas/zfxxgk/zfxxgkba.shtml?tab=zfyjs",
        html,
    );
    let endpoint = p
        .links
        .iter()
        .find(|l| l.origin == LinkOrigin::Script)
        .unwrap();
    assert_eq!(
        endpoint.url.as_str(),
        "https://www.hljba.gov.cn/bas/zfxxgk/zfyjs/index.json"
    );
    assert_eq!(endpoint.section, "政府信息公开");
}

#[test]
fn plain_text_breadcrumb() {
    let html = "<html><body><div>您现在的位置是：首页 » 政务公开 » 政府信息公开指南</div><p>正文</p></body></html>";
    let p = page("http://www.wdlc.gov.cn/a.html", html);
    assert_eq!(p.breadcrumb, ["首页", "政务公开", "政府信息公开指南"]);
}

#[test]
fn an_application_shell_is_drawn_by_script() {
    let shell = r#"<html><head><title>政务公开-富锦市人民政府</title></head><body>
<noscript>We're sorry but fjgk doesn't work properly without JavaScript enabled.</noscript>
<div id="app"></div><script src="/static/js/chunk-vendors.3b1f07.js"></script>
<script src="/static/js/app.8f3a1c.js"></script></body></html>"#;
    let p = page("http://www.fujin.gov.cn/zwgk/", shell);
    assert!(p.drawn_by_script);
    assert!(
        p.script_gaps[0].contains("app.8f3a1c.js"),
        "{:?}",
        p.script_gaps
    );
    // A mounted page already holding its content, or one without a
    // script of the site's own, is read as it is.
    let filled = shell.replace(r#"<div id="app"></div>"#, r#"<div id="app"><ul><li><a href="/a.html">富锦市2022年政府信息公开工作年度报告</a></li></ul></div>"#);
    assert!(!page("http://www.fujin.gov.cn/zwgk/", &filled).drawn_by_script);
    let no_script = r#"<html><body><div id="app"></div></body></html>"#;
    assert!(!page("http://www.fujin.gov.cn/zwgk/", no_script).drawn_by_script);
}

#[test]
fn links_bound_in_a_template_are_a_list_drawn_by_script() {
    let html = r#"<html><head><meta name="ColumnName" content="政府信息公开年报"></head><body>
<div class="list-box" ms-controller="nblist"><ul><li ms-repeat="rows">
<a ms-attr-href="/zfxxgk/content/{{el.cid}}/{{el.id}}.html">{{el.title}}</a></li></ul></div>
<div class="box"><div class="hd">权责清单</div><ul><li v-for="d in list">
<a :href="base + d.path">{{ d.name }}</a></li></ul></div></body></html>"#;
    let p = page("http://www.longjiang.gov.cn/zfxxgk/nb/index.html", html);
    assert_eq!(p.script_gaps.len(), 2, "{:?}", p.script_gaps);
    assert!(
        p.script_gaps[0].contains("{{el.cid}}"),
        "{:?}",
        p.script_gaps
    );
    // Without a heading of its own, the list is the page's column.
    assert_eq!(p.script_gap_sections, ["政府信息公开年报", "权责清单"]);
    assert!(p.links.iter().all(|l| !l.url.path().contains("%7B")));
    // Plain links are read as they are.
    let plain = r#"<html><body><ul><li><a href="/a.html">年报</a></li></ul></body></html>"#;
    assert!(page("http://www.longjiang.gov.cn/", plain)
        .script_gaps
        .is_empty());
}

#[test]
fn the_documents_own_heading_beats_a_units_header() {
    let html = r#"<html><head><title>延寿县教育局政府信息公开指南-延寿县人民政府</title>
<meta name="SiteName" content="延寿县人民政府"></head><body>
<div class="bm-top"><h1>延寿县教育局</h1></div>
<div class="content"><h1>延寿县教育局政府信息公开指南</h1><p>正文</p></div></body></html>"#;
    let p = page("http://www.yanshou.gov.cn/bm/jyj/xxgkzn.htm", html);
    assert_eq!(p.title, "延寿县教育局政府信息公开指南");
}
