//! A deterministic generator of a large county portal (about 20,000
//! pages), written at test time into a directory that
//! `govcheck::serve::start_site` serves, with the verdict an evaluator
//! would give each of the 17 rubric items.
//!
//! The portal is TRS-WCM-like (`/xwzx/yw/index.html`, `index_1.html`, …,
//! articles at `…/202303/t20230318_5801234.html`): a homepage with a nav
//! and news boxes; four news columns of about 200 list pages each (20
//! items a page, pagers showing only the nearby page numbers, so most list
//! pages are many clicks deep), about one headline a page mentioning an
//! item's words without being the item (「市财政局召开推进权责清单调整工作
//! 会议」); 24 department and 10 township sub-sites, each with its own news
//! and a disclosure list of its own guide, annual reports, 法治 reports,
//! rules and budgets (near misses for the county's items, also listed in
//! the county's columns); a 政务公开 section with 指南, 制度, 法定主动公开内容
//! (a category tree with 索引号), 年报, 法治政府建设, 权责清单, 财政预决算 and a
//! 重点领域 hub of the rubric's nine key-domain columns. Each document the
//! rubric asks for sits 3–10 list pages deep in its column, behind newer
//! department and township items.
//!
//! Two variants: [`Variant::HalfAbsent`] (抚远市) lacks nine items (their
//! columns empty, or holding only department items, or only entries
//! outside the window 2022-07-01 – 2023-06-30); [`Variant::AllPresent`]
//! (同江市) has all 17.
//!
//! Nothing here reads govcheck's rubric data or crawler: the labels follow
//! `DOMAIN.md` as an evaluator reads it.

mod text;

use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use text::*;

/// Items a page in every list.
pub const PER_PAGE: usize = 20;

/// Which portal to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// 抚远市: nine of the 17 items absent.
    HalfAbsent,
    /// 同江市: every item present.
    AllPresent,
}

/// The verdict an evaluator gives one item.
#[derive(Debug, Clone)]
pub struct Expected {
    pub item: &'static str,
    pub status: &'static str,
    pub reason: &'static str,
    /// Path (and query) of the evidence for a pass; empty otherwise.
    pub evidence: String,
    /// Other evidence an evaluator accepts: for a key-domain column (a
    /// column item, DOMAIN.md item 10) the list page whose row shows the
    /// in-window entry and its date, besides the entry itself.
    pub also: Vec<String>,
    /// Where the item (or its absence) is: the column and the list page.
    pub place: Place,
}

/// The column that holds (or would hold) an item.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// The column's name and list pages (first page first).
    pub column: String,
    pub list_pages: Vec<String>,
    /// The list page (1-based) whose row links the item's document.
    pub target_page: Option<usize>,
    /// What the column holds, for the report.
    pub note: String,
}

/// What was written.
pub struct Portal {
    pub county: &'static str,
    pub pages: usize,
    pub bytes: u64,
    /// Pages per section (`/xwzx/yw`, `/bm`, `/zwgk/xxgknb`, …).
    pub sections: BTreeMap<String, usize>,
    pub expected: Vec<Expected>,
}

#[derive(Clone)]
struct Entry {
    title: String,
    url: String,
    date: NaiveDate,
}

/// A list column: its directory (no trailing slash), name and the
/// breadcrumb above it.
#[derive(Clone)]
struct Col {
    dir: String,
    name: String,
    crumbs: Vec<(String, String)>,
    section: String,
}

impl Col {
    fn new(dir: &str, name: &str, crumbs: &[(&str, &str)], section: &str) -> Col {
        Col {
            dir: dir.to_string(),
            name: name.to_string(),
            crumbs: crumbs
                .iter()
                .map(|(n, u)| (n.to_string(), u.to_string()))
                .collect(),
            section: section.to_string(),
        }
    }

    fn page_url(&self, i: usize) -> String {
        if i == 0 {
            format!("{}/index.html", self.dir)
        } else {
            format!("{}/index_{i}.html", self.dir)
        }
    }

    fn pages(&self, entries: usize) -> Vec<String> {
        (0..entries.div_ceil(PER_PAGE).max(1))
            .map(|i| self.page_url(i))
            .collect()
    }
}

/// One article to write.
struct Art<'a> {
    title: String,
    date: NaiveDate,
    source: &'a str,
    /// 发布机构 for a disclosure article (with its 索引号 table).
    org: Option<&'a str>,
    chengwen: Option<NaiveDate>,
    body: String,
}

struct Gen {
    root: PathBuf,
    c: &'static County,
    rng: Rng,
    next_id: u64,
    dirs: HashSet<PathBuf>,
    pages: usize,
    bytes: u64,
    sections: BTreeMap<String, usize>,
    nav: String,
    foot: String,
}

/// A unit (department or township) and the documents of its sub-site.
struct Unit {
    name: String,
    dir: String,
    township: bool,
    guide: Entry,
    /// Annual disclosure reports for 2024, 2023, 2022.
    reports: [Entry; 3],
    /// 法治政府建设 reports for 2024, 2023, 2022.
    rule_of_law: [Entry; 3],
    rules: Vec<Entry>,
    /// 部门预算 2025, 2024, 2023; 部门决算 2023, 2022.
    budgets: Vec<Entry>,
}

const WINDOW_START: (i32, u32, u32) = (2022, 7, 1);
const WINDOW_END: (i32, u32, u32) = (2023, 6, 30);

fn in_window(d: NaiveDate) -> bool {
    let (a, b) = (WINDOW_START, WINDOW_END);
    d >= date(a.0, a.1, a.2) && d <= date(b.0, b.1, b.2)
}

impl Gen {
    fn write(&mut self, section: &str, path: &str, html: &str) {
        let full = self.root.join(path.trim_start_matches('/'));
        if let Some(parent) = full.parent() {
            if self.dirs.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent).unwrap();
            }
        }
        std::fs::write(&full, html).unwrap();
        self.pages += 1;
        self.bytes += html.len() as u64;
        *self.sections.entry(section.to_string()).or_default() += 1;
    }

    fn site_name(&self) -> String {
        format!("{}人民政府", self.c.name)
    }

    fn head(&self, title: &str, column: &str, art: Option<(&str, &str, &str)>) -> String {
        let mut s = String::with_capacity(4096);
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"SiteName\" content=\"{}\">\n<meta name=\"SiteIDCode\" content=\"{}0001\">\n",
            self.site_name(),
            self.c.adcode
        );
        if !column.is_empty() {
            let _ = writeln!(s, "<meta name=\"ColumnName\" content=\"{}\">", esc(column));
        }
        if let Some((t, pubdate, src)) = art {
            let _ = write!(
                s,
                "<meta name=\"ArticleTitle\" content=\"{}\">\n<meta name=\"PubDate\" content=\"{pubdate}\">\n<meta name=\"ContentSource\" content=\"{}\">\n",
                esc(t),
                esc(src)
            );
        }
        let _ = write!(s, "<title>{}</title>\n</head>\n<body>\n", esc(title));
        s
    }

    fn page(
        &self,
        title: &str,
        column: &str,
        art: Option<(&str, &str, &str)>,
        crumbs: &[(String, String)],
        inner: &str,
    ) -> String {
        let mut s = self.head(title, column, art);
        s.push_str(&self.nav);
        s.push_str("<div class=\"crumb\">当前位置：<a href=\"/index.html\">首页</a>");
        for (name, url) in crumbs {
            if url.is_empty() {
                let _ = write!(s, " &gt; <span>{name}</span>");
            } else {
                let _ = write!(s, " &gt; <a href=\"{url}\">{name}</a>");
            }
        }
        s.push_str("</div>\n<div class=\"main\">\n");
        s.push_str(inner);
        s.push_str("\n</div>\n");
        s.push_str(&self.foot);
        s
    }

    fn article(&mut self, col: &Col, a: Art) -> Entry {
        self.next_id += 7 + self.rng.below(40) as u64;
        let id = self.next_id;
        let url = format!(
            "{}/{}/t{}_{id}.html",
            col.dir,
            a.date.format("%Y%m"),
            a.date.format("%Y%m%d")
        );
        let minute = id % 60;
        let pubdate = format!("{} {:02}:{minute:02}", a.date, 8 + id % 9);
        let mut inner = String::with_capacity(2048);
        inner.push_str("<div class=\"article\">");
        if let Some(org) = a.org {
            let _ = write!(
                inner,
                "<table class=\"xxgk-info\"><tr><th>索引号：</th><td>11{}MB1C5637XP/{}-{:05}</td><th>发布机构：</th><td>{}</td></tr><tr><th>成文日期：</th><td>{}</td><th>发布日期：</th><td>{}</td></tr></table>",
                self.c.adcode,
                a.date.year(),
                id % 100_000,
                esc(org),
                a.chengwen.unwrap_or(a.date),
                a.date
            );
        }
        let _ = write!(
            inner,
            "<h1>{}</h1><div class=\"info\">发布时间：{pubdate}　来源：{}</div><div class=\"TRS_Editor\">{}</div></div>",
            esc(&a.title),
            esc(a.source),
            a.body
        );
        let mut crumbs = col.crumbs.clone();
        crumbs.push((col.name.clone(), col.page_url(0)));
        crumbs.push(("正文".into(), String::new()));
        let html = self.page(
            &format!("{}_{}", a.title, self.site_name()),
            &col.name,
            Some((&a.title, &pubdate, a.source)),
            &crumbs,
            &inner,
        );
        let section = col.section.clone();
        self.write(&section, &url, &html);
        Entry {
            title: a.title,
            url,
            date: a.date,
        }
    }

    /// The pager of list page `i` of `n`: 首页, 上一页, the page numbers
    /// within two of the current one, 下一页, 尾页.
    fn pager(i: usize, n: usize) -> String {
        if n <= 1 {
            return String::new();
        }
        let file = |k: usize| {
            if k == 0 {
                "index.html".to_string()
            } else {
                format!("index_{k}.html")
            }
        };
        let mut s = String::from("<div class=\"page\">");
        let _ = write!(s, "<a href=\"{}\">首页</a>", file(0));
        if i > 0 {
            let _ = write!(s, "<a href=\"{}\">上一页</a>", file(i - 1));
        }
        let lo = i.saturating_sub(2);
        let hi = (i + 2).min(n - 1);
        if lo > 0 {
            s.push_str("<span>…</span>");
        }
        for k in lo..=hi {
            if k == i {
                let _ = write!(s, "<span class=\"current\">{}</span>", k + 1);
            } else {
                let _ = write!(s, "<a href=\"{}\">{}</a>", file(k), k + 1);
            }
        }
        if hi < n - 1 {
            s.push_str("<span>…</span>");
        }
        if i + 1 < n {
            let _ = write!(s, "<a href=\"{}\">下一页</a>", file(i + 1));
        }
        let _ = write!(
            s,
            "<a href=\"{}\">尾页</a><span>共{n}页</span></div>",
            file(n - 1)
        );
        s
    }

    /// Write the list pages of a column (newest first); an empty column
    /// says 暂无信息.
    fn list(&mut self, col: &Col, entries: &[Entry]) -> Vec<String> {
        let urls = col.pages(entries.len());
        let n = urls.len();
        let mut crumbs = col.crumbs.clone();
        crumbs.push((col.name.clone(), String::new()));
        for (i, url) in urls.iter().enumerate() {
            let mut inner = format!("<div class=\"list\"><h2>{}</h2>", col.name);
            if entries.is_empty() {
                inner.push_str("<div class=\"nodata\">暂无信息</div>");
            } else {
                inner.push_str("<ul class=\"list-ul\">");
                for e in entries.iter().skip(i * PER_PAGE).take(PER_PAGE) {
                    let _ = write!(
                        inner,
                        "<li><a href=\"{}\" target=\"_blank\" title=\"{t}\">{t}</a><span class=\"date\">{}</span></li>",
                        e.url,
                        e.date,
                        t = esc(&e.title)
                    );
                }
                inner.push_str("</ul>");
                inner.push_str(&Self::pager(i, n));
            }
            inner.push_str("</div>");
            let title = if i == 0 {
                format!("{}_{}", col.name, self.site_name())
            } else {
                format!("{}（第{}页）_{}", col.name, i + 1, self.site_name())
            };
            let html = self.page(&title, &col.name, None, &crumbs, &inner);
            let section = col.section.clone();
            self.write(&section, url, &html);
        }
        urls
    }

    fn boxed(title: &str, more: &str, entries: &[Entry], n: usize) -> String {
        let mut s = format!("<div class=\"box\"><div class=\"box-title\"><h3>{title}</h3><a href=\"{more}\">更多</a></div><ul>");
        if entries.is_empty() {
            s.push_str("<li>暂无信息</li>");
        }
        for e in entries.iter().take(n) {
            let _ = write!(
                s,
                "<li><a href=\"{}\">{}</a><span>{}</span></li>",
                e.url,
                esc(&e.title),
                e.date
            );
        }
        s.push_str("</ul></div>\n");
        s
    }
}

/// The county government's office, the source line of its disclosures.
fn office(c: &County) -> String {
    format!("{}人民政府办公室", c.name)
}

/// The county government, the 发布机构 of its disclosures.
fn government(c: &County) -> String {
    format!("{}人民政府", c.name)
}

/// Write the portal for `variant` into `dir` (which must exist).
pub fn generate(dir: &Path, variant: Variant) -> Portal {
    let c: &'static County = match variant {
        Variant::HalfAbsent => &FUYUAN,
        Variant::AllPresent => &TONGJIANG,
    };
    let all = variant == Variant::AllPresent;
    let mut g = Gen {
        root: dir.to_path_buf(),
        c,
        rng: Rng(match variant {
            Variant::HalfAbsent => 0x9E37_79B9_7F4A_7C15,
            Variant::AllPresent => 0xD1B5_4A32_D192_ED03,
        }),
        next_id: 5_800_000,
        dirs: HashSet::new(),
        pages: 0,
        bytes: 0,
        sections: BTreeMap::new(),
        nav: String::new(),
        foot: String::new(),
    };
    g.nav = format!(
        "<div class=\"top\"><span>{}</span></div>\n<div class=\"nav\"><a href=\"/index.html\">首页</a><a href=\"/xwzx/index.html\">新闻中心</a><a href=\"/zwgk/index.html\">政务公开</a><a href=\"/bmxz/index.html\">部门乡镇</a><a href=\"/hdjl/index.html\">互动交流</a><a href=\"https://zwfw.hlj.gov.cn/\">政务服务</a></div>\n",
        g.site_name()
    );
    g.foot = format!(
        "<div class=\"foot\"><p><a href=\"https://www.gov.cn/\">中国政府网</a> <a href=\"https://www.hlj.gov.cn/\">黑龙江省人民政府</a> <a href=\"https://www.jms.gov.cn/\">佳木斯市人民政府</a></p><p>主办：{}　地址：{}　电话：{}</p><p>网站标识码：{}0001　黑ICP备05002761号</p></div>\n</body>\n</html>\n",
        office(c),
        c.address,
        c.phone,
        c.adcode
    );
    std::fs::write(dir.join("_site.toml"), format!("name = \"{}\"\n", c.name)).unwrap();
    std::fs::write(
        dir.join("robots.txt"),
        "User-agent: *\nDisallow: /search/\n",
    )
    .unwrap();

    let news = news_columns(&mut g);
    let units = unit_sites(&mut g);

    let mut expected = vec![
        guide_column(&mut g, &units),
        rules_column(&mut g, &units, all),
        reports_column(&mut g, &units),
        rule_of_law_column(&mut g, &units, all),
        powers_column(&mut g, &units, all),
        budget_column(&mut g, &units),
    ];
    let (domains, latest_docs) = key_domains(&mut g, variant);
    expected.extend(domains);
    let (catalogue, rows) = catalogue(&mut g, &units, &latest_docs);
    expected.push(catalogue);
    expected.push(section(&mut g, &rows));
    navigation(&mut g, &units, &news);

    let order = [
        "3",
        "4",
        "7.column",
        "7.guide",
        "7.catalogue",
        "8",
        "9",
        "10.business_environment",
        "10.tax_fee_cuts",
        "10.effective_investment",
        "10.employment",
        "10.public_institutions",
        "10.education",
        "10.official_documents",
        "10.major_decisions",
        "10.township_catalogue",
        "21.debt",
    ];
    expected.sort_by_key(|e| order.iter().position(|o| *o == e.item).unwrap());
    assert_eq!(expected.len(), 17);
    Portal {
        county: c.name,
        pages: g.pages,
        bytes: g.bytes,
        sections: g.sections,
        expected,
    }
}

const ZW: &[(&str, &str)] = &[("政务公开", "/zwgk/index.html")];

/// 7.guide: the county's guide on page 3 behind unit guides and notices about guides.
fn guide_column(g: &mut Gen, units: &[Unit]) -> Expected {
    let c = g.c;
    let zw = ZW;
    let col = Col::new("/zwgk/xxgkzn", "政府信息公开指南", zw, "/zwgk/xxgkzn");
    let mut newer: Vec<Entry> = units.iter().map(|u| u.guide.clone()).collect();
    for (i, d) in spread(8, date(2024, 6, 20), date(2023, 3, 6))
        .into_iter()
        .enumerate()
    {
        let u = &units[i * 3];
        let e = g.article(&col, Art {
            title: format!("关于{}政府信息公开指南更新的说明", u.name),
            date: d,
            source: &u.name,
            org: Some(&u.name),
            chengwen: None,
            body: p(&[&format!("根据机构职能调整，{}对政府信息公开指南中的办公地址和联系电话进行了更新，更新后的指南已在本单位信息公开专栏发布。", u.name)]),
        });
        newer.push(e);
    }
    let county_guide = g.article(
        &col,
        Art {
            title: format!("{}人民政府信息公开指南", c.name),
            date: date(2023, 1, 10),
            source: &office(c),
            org: Some(&government(c)),
            chengwen: None,
            body: guide(&government(c), c),
        },
    );
    let mut older = Vec::new();
    for (i, d) in spread(10, date(2021, 6, 30), date(2020, 3, 2))
        .into_iter()
        .enumerate()
    {
        let u = &units[i * 2 + 1];
        let e = g.article(
            &col,
            Art {
                title: format!("{}政府信息公开指南（2020年版）", u.name),
                date: d,
                source: &u.name,
                org: Some(&u.name),
                chengwen: None,
                body: guide(&u.name, c),
            },
        );
        older.push(e);
    }
    let (pages, at) = column_with(g, &col, newer, Some(county_guide.clone()), older);
    pass(
        "7.guide",
        &county_guide,
        &col,
        pages,
        at,
        "the county's guide behind 34 unit guides and 8 notices about guides",
    )
}

/// 8: 制度 — department rules; the county's own rule only in B.
fn rules_column(g: &mut Gen, units: &[Unit], all: bool) -> Expected {
    let c = g.c;
    let zw = ZW;
    let col = Col::new("/zwgk/xxgkzd", "政府信息公开制度", zw, "/zwgk/xxgkzd");
    let mut rules_all: Vec<Entry> = units.iter().flat_map(|u| u.rules.clone()).collect();
    rules_all.sort_by_key(|e| std::cmp::Reverse(e.date));
    let cut = rules_all
        .iter()
        .position(|e| e.date < date(2022, 9, 5))
        .unwrap_or(rules_all.len());
    let older = rules_all.split_off(cut);
    if all {
        let county_rule = g.article(
            &col,
            Art {
                title: format!("{}政府信息公开保密审查制度", c.name),
                date: date(2022, 9, 5),
                source: &office(c),
                org: Some(&government(c)),
                chengwen: Some(date(2022, 8, 29)),
                body: rules(&government(c), "保密审查"),
            },
        );
        let (pages, at) = column_with(g, &col, rules_all, Some(county_rule.clone()), older);
        // DOMAIN: "the 政府信息公开制度 sub-column or pages with the
        // county's own rules": the rule, or the column page listing it.
        let mut e = pass(
            "8",
            &county_rule,
            &col,
            pages,
            at,
            "the county's 保密审查制度 behind the departments' own rules",
        );
        e.also = at
            .map(|p| e.place.list_pages[p - 1].clone())
            .into_iter()
            .collect();
        e
    } else {
        let (pages, _) = column_with(g, &col, rules_all, None, older);
        fail("8", "department_only", &col, pages, "48 rules, every one a department's own (保密审查, 依申请公开办理); none of the county's")
    }
}

/// 9: 年报 — the county's 2022 report on page 6.
fn reports_column(g: &mut Gen, units: &[Unit]) -> Expected {
    let c = g.c;
    let zw = ZW;
    let col = Col::new("/zwgk/xxgknb", "政府信息公开年报", zw, "/zwgk/xxgknb");
    let mut newer = Vec::new();
    let gov = government(c);
    for (year, day, sheet) in [
        (2024, date(2025, 1, 22), date(2025, 1, 15)),
        (2023, date(2024, 1, 25), date(2024, 1, 18)),
    ] {
        newer.push(g.article(
            &col,
            Art {
                title: format!("{}{}年政府信息公开工作年度报告", c.name, year),
                date: day,
                source: &office(c),
                org: Some(&gov),
                chengwen: None,
                body: disclosure_report(&gov, year),
            },
        ));
        newer.push(g.article(&col, Art {
            title: format!("{}人民政府网站{}年工作年度报表", c.name, year),
            date: sheet,
            source: &office(c),
            org: Some(&gov),
            chengwen: None,
            body: p(&[&format!("网站名称：{}人民政府；网站标识码：{}0001；独立用户访问总量：183220个；网站总访问量：912300次。", c.name, c.adcode)]),
        }));
    }
    for u in units {
        newer.push(u.reports[0].clone());
        newer.push(u.reports[1].clone());
    }
    let mut older = Vec::new();
    for u in units {
        if u.reports[2].date > date(2023, 1, 18) {
            newer.push(u.reports[2].clone());
        } else {
            older.push(u.reports[2].clone());
        }
    }
    let report = g.article(
        &col,
        Art {
            title: format!("{}2022年政府信息公开工作年度报告", c.name),
            date: date(2023, 1, 18),
            source: &office(c),
            org: Some(&gov),
            chengwen: None,
            body: disclosure_report(&gov, 2022),
        },
    );
    older.push(g.article(
        &col,
        Art {
            title: format!("{}人民政府网站2022年工作年度报表", c.name),
            date: date(2023, 1, 12),
            source: &office(c),
            org: Some(&gov),
            chengwen: None,
            body: p(&["网站名称：人民政府门户网站；独立用户访问总量：160311个。"]),
        },
    ));
    older.push(g.article(
        &col,
        Art {
            title: format!("{}2021年政府信息公开工作年度报告", c.name),
            date: date(2022, 1, 20),
            source: &office(c),
            org: Some(&gov),
            chengwen: None,
            body: disclosure_report(&gov, 2021),
        },
    ));
    let (pages, at) = column_with(g, &col, newer, Some(report.clone()), older);
    pass("9", &report, &col, pages, at, "the county's 2022 report behind its 2024/2023 reports, the 网站年度报表 and 98 unit reports")
}

/// 3: 法治政府建设 — the county's 2022 report on page 4 (B); only unit reports, 要点 and a 报送 notice (A).
fn rule_of_law_column(g: &mut Gen, units: &[Unit], all: bool) -> Expected {
    let c = g.c;
    let gov = government(g.c);
    let zw = ZW;
    let col = Col::new("/zwgk/fzzfjs", "法治政府建设", zw, "/zwgk/fzzfjs");
    let mut newer = Vec::new();
    for (y, d) in [
        (2025, date(2025, 4, 10)),
        (2024, date(2024, 4, 12)),
        (2023, date(2023, 4, 15)),
    ] {
        newer.push(g.article(&col, Art {
            title: format!("{}{}年法治政府建设工作要点", c.name, y),
            date: d,
            source: &office(c),
            org: Some(&gov),
            chengwen: None,
            body: p(&[&format!("{y}年全市法治政府建设工作要点如下：一、深入学习贯彻习近平法治思想；二、健全依法行政制度体系；三、严格规范公正文明执法。")]),
        }));
    }
    if all {
        for (y, d) in [(2024, date(2025, 3, 27)), (2023, date(2024, 3, 28))] {
            newer.push(g.article(
                &col,
                Art {
                    title: format!("{}人民政府关于{}年度法治政府建设情况的报告", c.name, y),
                    date: d,
                    source: &office(c),
                    org: Some(&gov),
                    chengwen: Some(d - chrono::Duration::days(6)),
                    body: rule_of_law_report(&gov, y),
                },
            ));
        }
    }
    for u in units {
        newer.push(u.rule_of_law[0].clone());
        newer.push(u.rule_of_law[1].clone());
    }
    let mut older: Vec<Entry> = units.iter().map(|u| u.rule_of_law[2].clone()).collect();
    older.push(g.article(&col, Art {
        title: "关于报送2022年度法治政府建设情况报告的通知".into(),
        date: date(2023, 1, 5),
        source: &format!("中共{}委全面依法治市委员会办公室", c.name),
        org: Some(&office(c)),
        chengwen: None,
        body: p(&["各乡镇人民政府，市政府各部门：请于2023年2月28日前报送本单位2022年度法治政府建设情况报告。"]),
    }));
    older.push(g.article(&col, Art {
        title: format!("{}2022年法治政府建设工作要点", c.name),
        date: date(2022, 4, 8),
        source: &office(c),
        org: Some(&gov),
        chengwen: None,
        body: p(&["2022年全市法治政府建设工作要点如下：一、加强党对法治政府建设的领导；二、推进严格规范公正文明执法。"]),
    }));
    if all {
        older.push(g.article(
            &col,
            Art {
                title: format!("{}人民政府关于2021年度法治政府建设情况的报告", c.name),
                date: date(2022, 3, 25),
                source: &office(c),
                org: Some(&gov),
                chengwen: None,
                body: rule_of_law_report(&gov, 2021),
            },
        ));
        let report = g.article(
            &col,
            Art {
                title: format!("{}人民政府关于2022年度法治政府建设情况的报告", c.name),
                date: date(2023, 3, 28),
                source: &office(c),
                org: Some(&gov),
                chengwen: Some(date(2023, 3, 20)),
                body: rule_of_law_report(&gov, 2022),
            },
        );
        let (pages, at) = column_with(g, &col, newer, Some(report.clone()), older);
        pass("3", &report, &col, pages, at, "the county's 2022 report (2023-03-28) behind its 2024/2023 reports, 要点 and 68 unit reports; 司法局's and every unit's 2022 report beside it")
    } else {
        let (pages, _) = column_with(g, &col, newer, None, older);
        fail("3", "department_only", &col, pages, "unit 法治 reports for 2024/2023/2022 (the 司法局's among them), 要点 and a 报送 notice; no county report")
    }
}

/// 4: 权责清单 — the departments' lists (B); empty (A).
fn powers_column(g: &mut Gen, units: &[Unit], all: bool) -> Expected {
    let zw = ZW;
    let col = Col::new("/zwgk/qzqd", "权责清单", zw, "/zwgk/qzqd");
    if all {
        let mut lists = Vec::new();
        for (u, d) in units
            .iter()
            .zip(spread(units.len(), date(2022, 12, 20), date(2022, 11, 15)))
        {
            lists.push(g.article(
                &col,
                Art {
                    title: format!("{}权责清单", u.name),
                    date: d,
                    source: &u.name,
                    org: Some(&u.name),
                    chengwen: None,
                    body: powers_list(&u.name),
                },
            ));
        }
        let pages = g.list(&col, &lists);
        Expected {
            item: "4",
            status: "pass",
            reason: "found",
            evidence: pages[0].clone(),
            also: Vec::new(),
            place: Place {
                column: col.name.clone(),
                list_pages: pages,
                target_page: Some(1),
                note: "a column of 34 units' 权责清单 (the column is the evidence)".into(),
            },
        }
    } else {
        let pages = g.list(&col, &[]);
        fail(
            "4",
            "empty_column",
            &col,
            pages,
            "暂无信息; news and a notice about 权责清单 work elsewhere",
        )
    }
}

/// 21.debt: 财政预决算 — the 2023 budget with its debt table on page 7.
fn budget_column(g: &mut Gen, units: &[Unit]) -> Expected {
    let c = g.c;
    let gov = government(g.c);
    let zw = ZW;
    let col = Col::new("/zwgk/czyjs", "财政预决算", zw, "/zwgk/czyjs");
    let fin = format!("{}财政局", c.name);
    let mut pkgs = Vec::new();
    for (what, d, debt) in [
        ("2025年政府预算", date(2025, 2, 6), Some(("32.40", "31.06"))),
        (
            "2023年政府决算",
            date(2024, 8, 20),
            Some(("31.90", "30.52")),
        ),
        ("2024年政府预算", date(2024, 2, 7), Some(("31.90", "30.41"))),
        (
            "2022年政府决算",
            date(2023, 8, 18),
            Some(("30.90", "29.99")),
        ),
        ("2022年政府预算", date(2022, 2, 9), Some(("29.80", "28.77"))),
    ] {
        pkgs.push(g.article(
            &col,
            Art {
                title: format!("{}{}公开", c.name, what),
                date: d,
                source: &fin,
                org: Some(&gov),
                chengwen: None,
                body: budget(c, what, debt),
            },
        ));
    }
    let target = g.article(
        &col,
        Art {
            title: format!("{}2023年政府预算公开", c.name),
            date: date(2023, 2, 10),
            source: &fin,
            org: Some(&gov),
            chengwen: None,
            body: budget(c, "2023年政府预算", Some(("30.90", "29.99"))),
        },
    );
    let mut newer: Vec<Entry> = pkgs
        .iter()
        .filter(|e| e.date > target.date)
        .cloned()
        .collect();
    let mut older: Vec<Entry> = pkgs
        .iter()
        .filter(|e| e.date < target.date)
        .cloned()
        .collect();
    for u in units {
        for b in &u.budgets {
            if b.date > target.date {
                newer.push(b.clone());
            } else {
                older.push(b.clone());
            }
        }
    }
    let (pages, at) = column_with(g, &col, newer, Some(target.clone()), older);
    pass("21.debt", &target, &col, pages, at, "the 2023 budget (2023-02-10) with its 限额/余额 table, behind 部门预算/决算 and the county's later budgets and 决算 (outside the window)")
}

/// the 重点领域 hub and its nine columns.
fn key_domains(g: &mut Gen, variant: Variant) -> (Vec<Expected>, Vec<Entry>) {
    let mut expected = Vec::new();
    let zd: &[(&str, &str)] = &[
        ("政务公开", "/zwgk/index.html"),
        ("重点领域信息公开", "/zwgk/zdly/index.html"),
    ];
    let mut hub = String::from("<div class=\"zdly\"><h2>重点领域信息公开</h2>\n");
    let mut latest_docs = Vec::new();
    for d in DOMAINS.iter() {
        let col = Col::new(
            &format!("/zwgk/zdly/{}", d.slug),
            d.name,
            zd,
            &format!("/zwgk/zdly/{}", d.slug),
        );
        let state = domain_state(variant, d.slug);
        let (entries, exp) = domain_column(g, &col, d, state);
        if d.slug == "zfgw" {
            latest_docs = entries.iter().take(15).cloned().collect();
        }
        hub.push_str(&Gen::boxed(d.name, &col.page_url(0), &entries, 5));
        expected.push(exp);
    }
    hub.push_str("</div>");
    let html = g.page(
        &format!("重点领域信息公开_{}", g.site_name()),
        "重点领域信息公开",
        None,
        &[
            ("政务公开".into(), "/zwgk/index.html".into()),
            ("重点领域信息公开".into(), String::new()),
        ],
        &hub,
    );
    g.write("/zwgk/zdly", "/zwgk/zdly/index.html", &html);
    (expected, latest_docs)
}

/// 7.catalogue: the 法定主动公开内容 tree with 索引号 rows.
fn catalogue(g: &mut Gen, units: &[Unit], latest_docs: &[Entry]) -> (Expected, Vec<Entry>) {
    let c = g.c;
    let gov = government(g.c);
    let fd: &[(&str, &str)] = &[
        ("政务公开", "/zwgk/index.html"),
        ("法定主动公开内容", "/zwgk/fdzdgknr/index.html"),
    ];
    let mut small = Vec::new();
    for (slug, name, n, titles) in [
        (
            "jgzn",
            "机构职能",
            12usize,
            &["{u}主要职责", "{u}内设机构"][..],
        ),
        (
            "ghjh",
            "规划计划",
            14,
            &["{c}{y}年国民经济和社会发展计划", "{c}“十四五”{s}专项规划"][..],
        ),
        (
            "rsxx",
            "人事信息",
            24,
            &[
                "关于{y}年公开招聘事业单位工作人员拟聘用人员的公示",
                "{c}人民政府关于任免工作人员的通知（{y}年第{n}号）",
            ][..],
        ),
        (
            "tjxx",
            "统计信息",
            30,
            &[
                "{c}{y}年1-{n}月主要经济指标",
                "{c}{y}年国民经济和社会发展统计公报",
            ][..],
        ),
    ] {
        let dir = format!("/zwgk/fdzdgknr/{slug}");
        let col = Col::new(&dir, name, fd, &dir);
        let mut entries = Vec::new();
        for (i, d) in spread(n, date(2025, 5, 20), date(2019, 3, 1))
            .into_iter()
            .enumerate()
        {
            let u = &units[i % units.len()].name;
            let template = *g.rng.pick(titles);
            let t = template
                .replace("{u}", u)
                .replace("{c}", c.name)
                .replace("{y}", &d.year().to_string())
                .replace("{n}", &(i % 11 + 2).to_string())
                .replace("{s}", ["交通", "水利", "林业", "旅游"][i % 4]);
            entries.push(g.article(
                &col,
                Art {
                    title: t.clone(),
                    date: d,
                    source: &office(c),
                    org: Some(&gov),
                    chengwen: None,
                    body: p(&[&format!("{t}。"), SENTENCES[i % SENTENCES.len()]]),
                },
            ));
        }
        g.list(&col, &entries);
        small.push((slug, name, entries));
    }
    let mut tree = String::from("<div class=\"gk-tree\"><h3>法定主动公开内容</h3><ul>");
    for (slug, name, _) in &small {
        let _ = write!(
            tree,
            "<li><a href=\"/zwgk/fdzdgknr/{slug}/index.html\">{name}</a></li>"
        );
    }
    tree.push_str("<li><a href=\"/zwgk/zdly/zfgw/index.html\">政府公文</a></li><li><a href=\"/zwgk/czyjs/index.html\">财政预决算</a></li><li><a href=\"/zwgk/qzqd/index.html\">权责清单</a></li><li><a href=\"/zwgk/zdly/index.html\">重点领域信息公开</a></li></ul></div>\n<table class=\"gk-table\"><tr><th>索引号</th><th>名称</th><th>发布机构</th><th>发布日期</th></tr>");
    let mut rows: Vec<Entry> = small
        .iter()
        .flat_map(|(_, _, e)| e.iter().take(4).cloned())
        .collect();
    rows.extend(latest_docs.iter().take(4).cloned());
    rows.sort_by_key(|e| std::cmp::Reverse(e.date));
    for (i, e) in rows.iter().enumerate() {
        let _ = write!(tree, "<tr><td>11{}MB1C5637XP/{}-{:05}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>", c.adcode, e.date.year(), 120 + i, e.url, esc(&e.title), gov, e.date);
    }
    tree.push_str("</table>");
    let html = g.page(
        &format!("法定主动公开内容_{}", g.site_name()),
        "法定主动公开内容",
        None,
        &[
            ("政务公开".into(), "/zwgk/index.html".into()),
            ("法定主动公开内容".into(), String::new()),
        ],
        &tree,
    );
    g.write("/zwgk/fdzdgknr", "/zwgk/fdzdgknr/index.html", &html);
    let expected = Expected {
        item: "7.catalogue",
        status: "pass",
        reason: "found",
        evidence: "/zwgk/fdzdgknr/index.html".into(),
        also: Vec::new(),
        place: Place {
            column: "法定主动公开内容".into(),
            list_pages: vec!["/zwgk/fdzdgknr/index.html".into()],
            target_page: Some(1),
            note: "a category tree with a table of 索引号 rows".into(),
        },
    };
    (expected, rows)
}

/// 7.column: the 政务公开 section the homepage links.
fn section(g: &mut Gen, rows: &[Entry]) -> Expected {
    let mut sec = String::from("<div class=\"gk\"><h2>政府信息公开</h2><ul class=\"gk-nav\"><li><a href=\"/zwgk/xxgkzn/index.html\">政府信息公开指南</a></li><li><a href=\"/zwgk/xxgkzd/index.html\">政府信息公开制度</a></li><li><a href=\"/zwgk/fdzdgknr/index.html\">法定主动公开内容</a></li><li><a href=\"/zwgk/xxgknb/index.html\">政府信息公开年报</a></li></ul>\n<h3>专项公开</h3><ul class=\"gk-nav\"><li><a href=\"/zwgk/fzzfjs/index.html\">法治政府建设</a></li><li><a href=\"/zwgk/qzqd/index.html\">权责清单</a></li><li><a href=\"/zwgk/czyjs/index.html\">财政预决算</a></li><li><a href=\"/zwgk/zdly/index.html\">重点领域信息公开</a></li><li><a href=\"/bmxz/index.html\">部门和乡镇信息公开</a></li></ul></div>\n");
    sec.push_str(&Gen::boxed(
        "最新公开",
        "/zwgk/fdzdgknr/index.html",
        rows,
        10,
    ));
    let html = g.page(
        &format!("政务公开_{}", g.site_name()),
        "政务公开",
        None,
        &[("政务公开".into(), String::new())],
        &sec,
    );
    g.write("/zwgk", "/zwgk/index.html", &html);
    Expected {
        item: "7.column",
        status: "pass",
        reason: "found",
        evidence: "/zwgk/index.html".into(),
        also: Vec::new(),
        place: Place {
            column: "政务公开".into(),
            list_pages: vec!["/zwgk/index.html".into()],
            target_page: Some(1),
            note: "the section the homepage nav links".into(),
        },
    }
}

/// The directory of units, 新闻中心, 互动交流, the homepage.
fn navigation(g: &mut Gen, units: &[Unit], news: &[Vec<Entry>]) {
    let mut dirx = String::from("<div class=\"units\"><h2>部门</h2><ul>");
    for u in units.iter().filter(|u| !u.township) {
        let _ = write!(
            dirx,
            "<li><a href=\"{}/index.html\">{}</a></li>",
            u.dir, u.name
        );
    }
    dirx.push_str("</ul><h2>乡镇</h2><ul>");
    for u in units.iter().filter(|u| u.township) {
        let _ = write!(
            dirx,
            "<li><a href=\"{}/index.html\">{}</a></li>",
            u.dir, u.name
        );
    }
    dirx.push_str("</ul></div>");
    let html = g.page(
        &format!("部门乡镇_{}", g.site_name()),
        "部门乡镇",
        None,
        &[("部门乡镇".into(), String::new())],
        &dirx,
    );
    g.write("/bmxz", "/bmxz/index.html", &html);

    let mut center = String::new();
    for ((slug, name, _), entries) in NEWS.iter().zip(news) {
        center.push_str(&Gen::boxed(
            name,
            &format!("/xwzx/{slug}/index.html"),
            entries,
            6,
        ));
    }
    let html = g.page(
        &format!("新闻中心_{}", g.site_name()),
        "新闻中心",
        None,
        &[("新闻中心".into(), String::new())],
        &center,
    );
    g.write("/xwzx", "/xwzx/index.html", &html);

    let html = g.page(&format!("互动交流_{}", g.site_name()), "互动交流", None, &[("互动交流".into(), String::new())], "<div class=\"hd\"><h2>互动交流</h2><p>市长信箱、在线咨询请登录黑龙江省12345政务服务便民热线平台。</p><a href=\"https://12345.hlj.gov.cn/\">12345政务服务便民热线</a></div>");
    g.write("/hdjl", "/hdjl/index.html", &html);

    let mut home = String::new();
    for ((slug, name, _), entries) in NEWS.iter().zip(news) {
        home.push_str(&Gen::boxed(
            name,
            &format!("/xwzx/{slug}/index.html"),
            entries,
            8,
        ));
    }
    home.push_str("<div class=\"box\"><div class=\"box-title\"><h3>政务公开</h3><a href=\"/zwgk/index.html\">更多</a></div><ul><li><a href=\"/zwgk/index.html\">政府信息公开</a></li><li><a href=\"/zwgk/zdly/index.html\">重点领域信息公开</a></li><li><a href=\"/bmxz/index.html\">部门和乡镇</a></li></ul></div>\n");
    let mut s = g.head(&g.site_name(), "首页", None);
    s.push_str(&g.nav);
    s.push_str("<div class=\"main\">\n");
    s.push_str(&home);
    s.push_str("</div>\n");
    s.push_str(&g.foot);
    g.write("/", "/index.html", &s);
}

fn pass(
    item: &'static str,
    doc: &Entry,
    col: &Col,
    pages: Vec<String>,
    at: Option<usize>,
    note: &str,
) -> Expected {
    Expected {
        item,
        status: "pass",
        reason: "found",
        evidence: doc.url.clone(),
        also: Vec::new(),
        place: Place {
            column: format!("{} ({}/)", col.name, col.dir),
            list_pages: pages,
            target_page: at,
            note: note.into(),
        },
    }
}

fn fail(
    item: &'static str,
    reason: &'static str,
    col: &Col,
    pages: Vec<String>,
    note: &str,
) -> Expected {
    Expected {
        item,
        status: "fail",
        reason,
        evidence: String::new(),
        also: Vec::new(),
        place: Place {
            column: format!("{} ({}/)", col.name, col.dir),
            list_pages: pages,
            target_page: None,
            note: note.into(),
        },
    }
}

/// A column of `newer` entries, then `target`, then `older` (each sorted
/// newest first here): the list pages and the target's page (1-based).
fn column_with(
    g: &mut Gen,
    col: &Col,
    mut newer: Vec<Entry>,
    target: Option<Entry>,
    mut older: Vec<Entry>,
) -> (Vec<String>, Option<usize>) {
    newer.sort_by_key(|e| std::cmp::Reverse(e.date));
    older.sort_by_key(|e| std::cmp::Reverse(e.date));
    if let Some(t) = &target {
        assert!(
            newer.iter().all(|e| e.date >= t.date),
            "{}: newer entries are newer",
            col.name
        );
        assert!(
            older.iter().all(|e| e.date <= t.date),
            "{}: older entries are older",
            col.name
        );
    }
    let at = target.as_ref().map(|_| newer.len() / PER_PAGE + 1);
    let mut all = newer;
    all.extend(target);
    all.extend(older);
    let pages = g.list(col, &all);
    (pages, at)
}

#[derive(Clone, Copy)]
enum DomainState {
    /// The one in-window entry on this list page (1-based).
    Present(usize),
    /// Entries after the window on this many pages, then entries before it.
    Outside(usize),
    /// 暂无信息.
    Empty,
}

fn domain_state(variant: Variant, slug: &str) -> DomainState {
    use DomainState::*;
    match (variant, slug) {
        (Variant::HalfAbsent, "yshj") => Outside(3),
        (Variant::HalfAbsent, "jsjf") => Empty,
        (Variant::HalfAbsent, "zdxm") => Present(5),
        (Variant::HalfAbsent, "jycy") => Outside(2),
        (Variant::HalfAbsent, "ggqsy") => Empty,
        (Variant::HalfAbsent, "jyly") => Present(3),
        (Variant::HalfAbsent, "zfgw") => Present(8),
        (Variant::HalfAbsent, "zdxzjc") => Empty,
        (Variant::HalfAbsent, _) => Outside(2),
        (Variant::AllPresent, "yshj") => Present(4),
        (Variant::AllPresent, "jsjf") => Present(3),
        (Variant::AllPresent, "zdxm") => Present(5),
        (Variant::AllPresent, "jycy") => Present(6),
        (Variant::AllPresent, "ggqsy") => Present(3),
        (Variant::AllPresent, "jyly") => Present(3),
        (Variant::AllPresent, "zfgw") => Present(10),
        (Variant::AllPresent, "zdxzjc") => Present(4),
        (Variant::AllPresent, _) => Present(3),
    }
}

fn domain_column(g: &mut Gen, col: &Col, d: &Domain, state: DomainState) -> (Vec<Entry>, Expected) {
    let c = g.c;
    let source = if d.source.is_empty() {
        String::new()
    } else if d.slug == "jsjf" {
        format!("国家税务总局{}{}", c.name, d.source)
    } else {
        format!("{}{}", c.name, d.source)
    };
    let filler = |g: &mut Gen, day: NaiveDate, n: usize| -> Entry {
        let title = domain_filler(&mut g.rng, d, c, day, n);
        let src = if source.is_empty() {
            title
                .chars()
                .take_while(|&ch| ch != '政')
                .collect::<String>()
        } else {
            source.clone()
        };
        g.article(
            col,
            Art {
                title: title.clone(),
                date: day,
                source: &src,
                org: Some(&src),
                chengwen: None,
                body: p(&[&format!("{title}。"), SENTENCES[n % SENTENCES.len()]]),
            },
        )
    };
    let (newer_n, older_n, target) = match state {
        DomainState::Present(page) => (
            (page - 1) * PER_PAGE + 3 + g.rng.below(14),
            12 + g.rng.below(12),
            true,
        ),
        DomainState::Outside(pages) => (pages * PER_PAGE - 6, 18, false),
        DomainState::Empty => (0, 0, false),
    };
    let mut entries = Vec::new();
    for (i, day) in spread(newer_n, date(2025, 5, 28), date(2023, 7, 1))
        .into_iter()
        .enumerate()
    {
        entries.push(filler(g, day, newer_n - i));
    }
    let mut target_entry = None;
    if target {
        let (title, day, body) = domain_target(d, c);
        let src = if source.is_empty() {
            c.towns[0].0.to_string()
        } else {
            source.clone()
        };
        let e = g.article(
            col,
            Art {
                title,
                date: day,
                source: &src,
                org: Some(&src),
                chengwen: None,
                body,
            },
        );
        entries.push(e.clone());
        target_entry = Some(e);
    }
    for (i, day) in spread(older_n, date(2022, 6, 30), date(2020, 4, 1))
        .into_iter()
        .enumerate()
    {
        entries.push(filler(g, day, older_n - i));
    }
    if newer_n == 0 && older_n == 0 {
        entries.clear();
    }
    let inside = entries.iter().filter(|e| in_window(e.date)).count();
    assert_eq!(inside, usize::from(target), "{}: in-window entries", d.name);
    let pages = g.list(col, &entries);
    let column = format!("{} ({}/)", col.name, col.dir);
    let exp = match (state, target_entry) {
        (DomainState::Present(page), Some(e)) => {
            let idx = entries.iter().position(|x| x.url == e.url).unwrap();
            assert_eq!(idx / PER_PAGE + 1, page, "{}: target page", d.name);
            Expected {
                item: d.item,
                status: "pass",
                reason: "found",
                evidence: e.url.clone(),
                also: vec![pages[page - 1].clone()],
                place: Place {
                    column,
                    list_pages: pages.clone(),
                    target_page: Some(page),
                    note: format!(
                        "one in-window entry ({}) behind {} later entries",
                        e.date, idx
                    ),
                },
            }
        }
        (DomainState::Outside(_), _) => Expected {
            item: d.item,
            status: "fail",
            reason: "outside_window",
            evidence: String::new(),
            also: Vec::new(),
            place: Place {
                column,
                list_pages: pages.clone(),
                target_page: None,
                note: format!(
                    "{} entries from 2023-07-01 on, {} up to 2022-06-30, none inside the window",
                    newer_n, older_n
                ),
            },
        },
        _ => Expected {
            item: d.item,
            status: "fail",
            reason: "empty_column",
            evidence: String::new(),
            also: Vec::new(),
            place: Place {
                column,
                list_pages: pages.clone(),
                target_page: None,
                note: "暂无信息 (news items mention the domain elsewhere)".into(),
            },
        },
    };
    (entries, exp)
}

/// The four news columns; each column's entries, newest first.
fn news_columns(g: &mut Gen) -> Vec<Vec<Entry>> {
    let c = g.c;
    let mut out = Vec::new();
    for (slug, name, pages) in NEWS {
        let col = Col::new(
            &format!("/xwzx/{slug}"),
            name,
            &[("新闻中心", "/xwzx/index.html")],
            &format!("/xwzx/{slug}"),
        );
        let n = pages * PER_PAGE;
        let mut entries = Vec::with_capacity(n);
        for day in spread(n, date(2025, 6, 18), date(2019, 1, 8)) {
            let (title, _) = headline(&mut g.rng, c, slug, day);
            let body = news_body(&mut g.rng, &title, day);
            let source = match slug {
                "tzgg" => office(c),
                _ => format!("{}融媒体中心", c.name),
            };
            entries.push(g.article(
                &col,
                Art {
                    title,
                    date: day,
                    source: &source,
                    org: None,
                    chengwen: None,
                    body,
                },
            ));
        }
        g.list(&col, &entries);
        out.push(entries);
    }
    out
}

/// The department and township sub-sites: a home, a news list of two
/// pages and a disclosure list of the unit's own documents.
fn unit_sites(g: &mut Gen) -> Vec<Unit> {
    let c = g.c;
    let mut units = Vec::new();
    let all: Vec<(String, String, bool)> = DEPARTMENTS
        .iter()
        .map(|(n, s)| (format!("{}{}", c.name, n), format!("/bm/{s}"), false))
        .chain(
            c.towns
                .iter()
                .map(|(n, s)| (format!("{n}人民政府"), format!("/xz/{s}"), true)),
        )
        .collect();
    let count = all.len();
    for (i, (name, dir, township)) in all.into_iter().enumerate() {
        let section = if township { "/xz" } else { "/bm" };
        let unit_crumbs: Vec<(String, String)> = vec![
            ("部门乡镇".into(), "/bmxz/index.html".into()),
            (name.clone(), format!("{dir}/index.html")),
        ];
        let mk = |sub: &str, cname: &str| Col {
            dir: format!("{dir}/{sub}"),
            name: cname.to_string(),
            crumbs: unit_crumbs.clone(),
            section: section.to_string(),
        };
        let news_col = mk("gzdt", "工作动态");
        let gk_col = mk("xxgk", "信息公开");
        // Dates spread by the unit's index so each county column sorts them.
        let frac = |a: NaiveDate, b: NaiveDate| {
            a + chrono::Duration::days((b - a).num_days() * i as i64 / (count as i64 - 1))
        };
        let mut news = Vec::new();
        for day in spread(
            2 * PER_PAGE,
            date(2025, 5, 30) - chrono::Duration::days(i as i64),
            date(2021, 3, 1),
        ) {
            let title = if g.rng.below(10) == 0 {
                format!("{}{}", name, g.rng.pick(&UNIT_NEAR_MISS))
            } else {
                format!("{}{}", name, g.rng.pick(&ACTIVITIES))
            };
            let body = news_body(&mut g.rng, &title, day);
            news.push(g.article(
                &news_col,
                Art {
                    title,
                    date: day,
                    source: &name,
                    org: None,
                    chengwen: None,
                    body,
                },
            ));
        }
        g.list(&news_col, &news);

        let doc = |g: &mut Gen, title: String, day: NaiveDate, body: String| -> Entry {
            g.article(
                &gk_col,
                Art {
                    title,
                    date: day,
                    source: &name,
                    org: Some(&name),
                    chengwen: None,
                    body,
                },
            )
        };
        let guide_entry = doc(
            g,
            format!("{name}政府信息公开指南"),
            frac(date(2024, 12, 20), date(2023, 2, 1)),
            guide(&name, c),
        );
        let reports = [
            doc(
                g,
                format!("{name}2024年政府信息公开工作年度报告"),
                frac(date(2025, 1, 31), date(2025, 1, 5)),
                disclosure_report(&name, 2024),
            ),
            doc(
                g,
                format!("{name}2023年政府信息公开工作年度报告"),
                frac(date(2024, 1, 31), date(2024, 1, 5)),
                disclosure_report(&name, 2023),
            ),
            // 30 of the 34 after the county's report (2023-01-18), 4 before.
            doc(
                g,
                format!("{name}2022年政府信息公开工作年度报告"),
                if i < 30 {
                    date(2023, 2, 20) - chrono::Duration::days(i as i64)
                } else {
                    date(2023, 1, 8) + chrono::Duration::days(i as i64 - 30)
                },
                disclosure_report(&name, 2022),
            ),
        ];
        let rol = [
            doc(
                g,
                format!("{name}2024年度法治政府建设情况报告"),
                frac(date(2025, 3, 20), date(2025, 1, 10)),
                rule_of_law_report(&name, 2024),
            ),
            doc(
                g,
                format!("{name}2023年度法治政府建设情况报告"),
                frac(date(2024, 3, 22), date(2024, 1, 10)),
                rule_of_law_report(&name, 2023),
            ),
            doc(
                g,
                format!("{name}2022年度法治政府建设情况报告"),
                frac(date(2023, 3, 25), date(2023, 1, 10)),
                rule_of_law_report(&name, 2022),
            ),
        ];
        let mut rule_entries = Vec::new();
        let mut budgets = Vec::new();
        if !township {
            // Rules: 22 of 24 units after the county's own (2022-09-05).
            let d1 = if i < 22 {
                frac(date(2024, 11, 20), date(2022, 9, 6))
            } else {
                date(2021, 5, 10) + chrono::Duration::days(i as i64)
            };
            let d2 = if i < 22 {
                frac(date(2024, 10, 15), date(2022, 9, 10))
            } else {
                date(2021, 4, 12) + chrono::Duration::days(i as i64)
            };
            rule_entries.push(doc(
                g,
                format!("{name}政府信息公开保密审查制度"),
                d1,
                rules(&name, "保密审查"),
            ));
            rule_entries.push(doc(
                g,
                format!("{name}依申请公开政府信息办理制度"),
                d2,
                rules(&name, "依申请公开办理"),
            ));
            for (what, day) in [
                (
                    "2025年部门预算",
                    date(2025, 2, 12) + chrono::Duration::days(i as i64),
                ),
                (
                    "2023年部门决算",
                    date(2024, 8, 22) + chrono::Duration::days(i as i64),
                ),
                (
                    "2024年部门预算",
                    date(2024, 2, 13) + chrono::Duration::days(i as i64),
                ),
                (
                    "2022年部门决算",
                    date(2023, 8, 21) + chrono::Duration::days(i as i64),
                ),
                // 20 of 24 after the county's budget (2023-02-10), 4 before.
                (
                    "2023年部门预算",
                    if i < 20 {
                        date(2023, 2, 11) + chrono::Duration::days(i as i64)
                    } else {
                        date(2023, 2, 1) + chrono::Duration::days(i as i64 - 20)
                    },
                ),
            ] {
                budgets.push(doc(
                    g,
                    format!("{name}{what}公开"),
                    day,
                    department_budget(&name, what),
                ));
            }
        }
        let mut gk: Vec<Entry> = [guide_entry.clone()]
            .into_iter()
            .chain(reports.iter().cloned())
            .chain(rol.iter().cloned())
            .chain(rule_entries.iter().cloned())
            .chain(budgets.iter().cloned())
            .collect();
        gk.sort_by_key(|e| std::cmp::Reverse(e.date));
        g.list(&gk_col, &gk);

        let mut home = format!("<div class=\"unit-head\"><h1>{name}</h1><a href=\"{dir}/index.html\">单位首页</a><a href=\"{dir}/gzdt/index.html\">工作动态</a><a href=\"{dir}/xxgk/index.html\">信息公开</a></div>\n");
        home.push_str(&Gen::boxed(
            "工作动态",
            &format!("{dir}/gzdt/index.html"),
            &news,
            6,
        ));
        home.push_str(&Gen::boxed(
            "信息公开",
            &format!("{dir}/xxgk/index.html"),
            &gk,
            6,
        ));
        let html = g.page(
            &format!("{}_{}", name, g.site_name()),
            &name,
            None,
            &[
                ("部门乡镇".into(), "/bmxz/index.html".into()),
                (name.clone(), String::new()),
            ],
            &home,
        );
        g.write(section, &format!("{dir}/index.html"), &html);

        units.push(Unit {
            name,
            dir,
            township,
            guide: guide_entry,
            reports,
            rule_of_law: rol,
            rules: rule_entries,
            budgets,
        });
    }
    units
}
