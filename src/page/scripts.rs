//! Links that only exist once a page's scripts run.
//!
//! TRS lists print their pager with `createPageHTML(count, current, "index",
//! "html")`, and the Heilongjiang platform's disclosure template
//! (`zfxxgk.shtml?tab=gfxwj`) fetches its list from a URL the script builds
//! out of the `tab` query parameter. Without a browser, the crawler reads
//! those scripts here: pager pages, URL literals that look like data
//! endpoints, and string concatenations with the page's own query values
//! substituted.

use super::links::resolve;
use super::{ajax, collapse, dom, frames, jpage, packed, Link, LinkOrigin};
use regex::Regex;
use scraper::{Html, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// At most this many pager pages are emitted for one `createPageHTML`.
const MAX_PAGER_PAGES: u64 = 200;

static SCRIPTS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script:not([src])").expect("static selector"));
static SCRIPT_FILES: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script[src]").expect("static selector"));
/// File-name fragments of libraries that never fetch a page's list.
const LIBRARIES: &[&str] = &[
    "jquery",
    "bootstrap",
    "vue",
    "react",
    "layui",
    "layer",
    "swiper",
    "echarts",
    "html5shiv",
    "respond",
    "polyfill",
    "jweixin",
    "hm.js",
    "cnzz",
    "analytics",
    "gtag",
    "flexible",
    "superslide",
    "slide",
    "lazyload",
    "qrcode",
    "md5",
    "base64",
    "moment",
    "dayjs",
    "lodash",
    "underscore",
    "axios.min",
    "zepto",
    "require",
    "sea.js",
    "pinyin",
    "font",
    "wza",
    "aria",
    "accessib",
    "share",
    "baidu",
    "xxgkweb",
    "kaipu",
];

static PAGER_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(function\s+)?\bcreatePageHTML\s*\(([^()]*)\)").unwrap());
static OBJECT_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']?(\w+)["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|(\d+))"#).unwrap());
static STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\\n]{1,300})"|'([^'\\\n]{1,300})'"#).unwrap());
static CONCAT: LazyLock<Regex> = LazyLock::new(|| {
    let string = r#"(?:"([^"\\\n]*)"|'([^'\\\n]*)')"#;
    let tail = r#"(?:"([^"\\\n]*)"|'([^'\\\n]*)')"#;
    Regex::new(&format!(
        r#"{string}\s*\+\s*([A-Za-z_$][\w$.]*(?:\s*\(\s*["'][\w-]+["']\s*\))?)(?:\s*\+\s*{tail})?"#
    ))
    .unwrap()
});
static PARAM_VAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"([A-Za-z_$][\w$]*)\s*=\s*(?:[\w$]+\.)?(?:getQueryString|GetQueryString|getUrlParam|GetUrlParam|getQueryVariable|getUrlParameter|getParameter|getParam|getQueryParam|getParams|getQuery|queryString|searchParams\.get|params\.get|query\.get|search\.get|urlParams\.get|[\w$]*[Pp]arams\.get)\s*\(\s*["']([\w-]+)["']"#,
    )
    .unwrap()
});
static ID_CARRIERS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("a[href^='#'], [data-cid], [data-id], [data-tab], [data-code], [data-channel]")
        .expect("static selector")
});
/// `"id": 2655` in a script's configuration, and `|| "2655"` defaults.
/// A category in a config object: `{"id": 2804, "name": "权责清单"}`.
static ID_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']?\b(?:id|cid)["']?\s*:\s*["']?([\w-]{1,40})["']?\s*,\s*["']?(?:name|title|text)["']?\s*:\s*["']([^"'\n]{1,30})["']"#)
        .unwrap()
});
/// A numeric id passed to a page function: `loadList(2808, 1)`.
static CALL_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b[A-Za-z_$][\w$]*\s*\(\s*["']?(\d{3,12})["']?\s*[,)]"#).unwrap()
});
static ID_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:["']?\b(?:id|cid|tab|channelId|classId)["']?\s*:\s*["']?|\|\|\s*["'])([\w-]{1,40})"#,
    )
    .unwrap()
});
/// At most this many guessed ids per script.
const MAX_ID_EXPANSIONS: usize = 40;
static CALL_ARG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\(\s*["']([\w-]+)["']\s*\)"#).unwrap());

const DATA_HINTS: &[&str] = &[
    ".json", ".shtml", ".html", ".htm", ".jsp", ".do", ".aspx", ".php", ".action", "list", "data",
    "api", "query", "search",
];
const ASSET_EXTENSIONS: &[&str] = &[
    ".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf",
    ".mp4", ".swf",
];

/// What a page's inline scripts would load.
#[derive(Debug, Default)]
pub struct Scripted {
    /// Pager pages and data endpoints, not repeating the page's own links.
    pub links: Vec<Link>,
    /// Data requests that could not be reproduced (see [`ajax::Requests`]).
    pub gaps: Vec<String>,
    /// The headings under which such a request's script stands (`教育` on
    /// a page with one section per domain): the lists it names were never
    /// read.
    pub gap_sections: Vec<String>,
    /// External scripts of the site's own (not a well-known library): they
    /// may build content the crawler never sees.
    pub app_scripts: Vec<Url>,
}

/// Pager and script links of the page's inline scripts; URLs already in
/// `known` are not repeated.
pub fn extract(doc: &Html, page_url: &Url, known: &[Link]) -> Scripted {
    let mut seen: HashSet<Url> = known.iter().map(|l| l.url.clone()).collect();
    let params: HashMap<String, String> = page_url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = Vec::new();
    let mut push = |url: Url, origin: LinkOrigin, text: String| {
        if seen.insert(url.clone()) {
            out.push(Link {
                url,
                text,
                context: String::new(),
                section: String::new(),
                date: None,
                origin,
            });
        }
    };
    let mut gaps = Vec::new();
    let anchors = anchor_ids(doc);
    // Packed scripts are read as their unpacked text.
    let scripts: Vec<(String, String)> = doc
        .select(&SCRIPTS)
        .map(|s| {
            let code: String = s.text().collect();
            (packed::unpack(&code).unwrap_or(code), dom::section(s))
        })
        .collect();
    let mut gap_sections = Vec::new();
    for (code, heading) in &scripts {
        for (url, text) in pager_pages(code, page_url) {
            push(url, LinkOrigin::Pager, text);
        }
        let vars: HashMap<String, String> = PARAM_VAR
            .captures_iter(code)
            .map(|c| (c[1].to_string(), c[2].to_string()))
            .collect();
        let jpage = jpage::groups(code, page_url);
        for (n, url) in jpage.urls.into_iter().enumerate() {
            push(url, LinkOrigin::Pager, format!("第{}组", n + 2));
        }
        let jpage_gaps = jpage.gaps.len();
        gaps.extend(jpage.gaps);
        let mut requests = ajax::requests(code, page_url, &params, &vars);
        requests.with_data.extend(jpage.proxies);
        for url in requests.urls {
            push(url, LinkOrigin::Script, String::new());
        }
        let unreadable = jpage_gaps > 0 || !requests.gaps.is_empty();
        if unreadable && !heading.is_empty() {
            gap_sections.push(heading.clone());
        }
        gaps.extend(requests.gaps);
        let mut ids = anchors.clone();
        ids.extend(
            ID_NAME
                .captures_iter(code)
                .map(|c| (c[1].to_string(), c[2].to_string())),
        );
        ids.extend(
            ID_VALUE
                .captures_iter(code)
                .chain(CALL_ID.captures_iter(code))
                .map(|c| (c[1].to_string(), String::new())),
        );
        // One entry per id, named when anything names it.
        ids.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
        ids.dedup_by(|a, b| a.0 == b.0);
        ids.truncate(MAX_ID_EXPANSIONS);
        let context = ScriptContext {
            params: &params,
            vars: &vars,
            ids: &ids,
            with_data: &requests.with_data,
        };
        for (url, name) in endpoints(code, page_url, &context) {
            push(url, LinkOrigin::Script, name);
        }
    }
    let codes: Vec<&str> = scripts.iter().map(|(code, _)| code.as_str()).collect();
    let frames = frames::scripted(doc, page_url, &codes);
    for url in frames.urls {
        push(url, LinkOrigin::Frame, String::new());
    }
    gaps.extend(frames.gaps);
    Scripted {
        links: out,
        gaps,
        gap_sections,
        app_scripts: app_scripts(doc, page_url),
    }
}

/// `script[src]` files that are not a well-known library.
fn app_scripts(doc: &Html, page_url: &Url) -> Vec<Url> {
    doc.select(&SCRIPT_FILES)
        .filter_map(|s| resolve(page_url, s.value().attr("src")?))
        .filter(|url| {
            let name = url
                .path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or_default()
                .to_ascii_lowercase();
            !name.is_empty() && !LIBRARIES.iter().any(|l| name.contains(l))
        })
        .collect()
}

/// What a script's URL expressions may draw on.
struct ScriptContext<'a> {
    /// The page URL's query values.
    params: &'a HashMap<String, String>,
    /// Script variables read from the page's query (`tab` → `tab`).
    vars: &'a HashMap<String, String>,
    /// Ids the page's tree offers, for hash-driven lists, with the
    /// category name the tree gives each (empty when none).
    ids: &'a [(String, String)],
    /// URL literals of requests that send data: not fetched bare.
    with_data: &'a HashSet<String>,
}

/// Pages of a TRS `createPageHTML(...)` pager, in the page's directory.
fn pager_pages(code: &str, page_url: &Url) -> Vec<(Url, String)> {
    let mut pages = Vec::new();
    for call in PAGER_CALL.captures_iter(code) {
        if call.get(1).is_some() {
            continue; // the pager's own definition
        }
        let Some((count, prefix, suffix)) = pager_args(&call[2], code) else {
            continue;
        };
        for i in 0..count.min(MAX_PAGER_PAGES) {
            let name = if i == 0 {
                format!("{prefix}.{suffix}")
            } else {
                format!("{prefix}_{i}.{suffix}")
            };
            if let Ok(url) = page_url.join(&name) {
                pages.push((url, (i + 1).to_string()));
            }
        }
    }
    pages
}

/// Page count, file prefix and suffix of a pager call: the positional forms
/// `(count, current, prefix, suffix[, records])` and `(div, count, current,
/// prefix, suffix, records)`, or an object `{countPage: …, prefix: …}`.
/// Identifiers are looked up as `name = number` in the script.
fn pager_args(args: &str, code: &str) -> Option<(u64, String, String)> {
    let args = args.trim();
    if args.starts_with('{') {
        let mut count = None;
        let (mut prefix, mut suffix) = ("index".to_string(), "html".to_string());
        for f in OBJECT_FIELD.captures_iter(args) {
            let key = f[1].to_ascii_lowercase();
            let text = f.get(2).or(f.get(3)).map(|m| m.as_str().to_string());
            let number = f.get(4).and_then(|m| m.as_str().parse::<u64>().ok());
            match key.as_str() {
                k if k.contains("count") || k == "total" || k == "pagecount" => {
                    count = count.or(number)
                }
                k if k.contains("prefix") || k.contains("name") => prefix = text.unwrap_or(prefix),
                k if k.contains("suffix") || k.contains("ext") => suffix = text.unwrap_or(suffix),
                _ => {}
            }
        }
        return Some((count?, prefix, suffix));
    }
    let parts: Vec<&str> = args.split(',').map(str::trim).collect();
    let is_string = |s: &str| s.len() >= 2 && (s.starts_with('"') || s.starts_with('\''));
    let unquote = |s: &str| s.trim_matches(|c| c == '"' || c == '\'').to_string();
    // A leading string is the pager's div id.
    let parts = if parts.first().is_some_and(|p| is_string(p)) {
        &parts[1..]
    } else {
        &parts[..]
    };
    let count = number_of(parts.first()?, code)?;
    let prefix = parts
        .get(2)
        .filter(|p| is_string(p))
        .map(|p| unquote(p))
        .unwrap_or_else(|| "index".into());
    let suffix = parts
        .get(3)
        .filter(|p| is_string(p))
        .map(|p| unquote(p))
        .unwrap_or_else(|| "html".into());
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    };
    (safe(&prefix) && safe(&suffix)).then_some((count, prefix, suffix))
}

/// A number literal, or the last `ident = number` assignment in the script.
fn number_of(arg: &str, code: &str) -> Option<u64> {
    if let Ok(n) = arg.parse() {
        return Some(n);
    }
    if arg.is_empty()
        || !arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    let assignment =
        Regex::new(&format!(r"(?:^|[^\w$.]){}\s*=\s*(\d+)", regex::escape(arg))).ok()?;
    assignment
        .captures_iter(code)
        .last()
        .and_then(|c| c[1].parse().ok())
}

/// Values a list script may be called with when the page URL has none:
/// the ids its tree links carry (`href="#2655"`, `data-cid="2655"`).
fn anchor_ids(doc: &Html) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for el in doc.select(&ID_CARRIERS) {
        let value = el.value();
        let from_fragment = value.attr("href").and_then(|h| h.strip_prefix('#'));
        let from_data = [
            "data-cid",
            "data-id",
            "data-tab",
            "data-code",
            "data-channel",
        ]
        .iter()
        .find_map(|a| value.attr(a));
        for id in [from_fragment, from_data].into_iter().flatten() {
            if (1..=40).contains(&id.len())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                let name = collapse(&el.text().collect::<String>());
                let name = if name.chars().count() <= 30 {
                    name
                } else {
                    String::new()
                };
                ids.push((id.to_string(), name));
            }
        }
    }
    ids
}

/// Same-site URLs the script would request: URL-like string literals, and
/// concatenations whose variable part is one of the page's query values
/// or, failing that, one of the ids the page's tree offers.
fn endpoints(code: &str, page_url: &Url, context: &ScriptContext) -> Vec<(Url, String)> {
    let mut urls = Vec::new();
    for m in STRING.captures_iter(code) {
        let Some(whole) = m.get(0) else {
            continue;
        };
        let literal = m.get(1).or(m.get(2)).map_or("", |g| g.as_str());
        let before = code[..whole.start()].trim_end();
        let after = code[whole.end()..].trim_start();
        let concatenated = before.ends_with('+') || after.starts_with('+');
        let rooted = ["/", "./", "../", "http://", "https://"]
            .iter()
            .any(|p| literal.starts_with(p));
        if !concatenated
            && rooted
            && looks_like_endpoint(literal)
            && !context.with_data.contains(literal)
        {
            urls.extend(same_site(page_url, literal).map(|u| (u, String::new())));
        }
    }
    for c in CONCAT.captures_iter(code) {
        let head = c.get(1).or(c.get(2)).map_or("", |g| g.as_str());
        let tail = c.get(4).or(c.get(5)).map_or("", |g| g.as_str());
        let ident = &c[3];
        let param = match CALL_ARG.captures(ident) {
            Some(call) => call[1].to_string(),
            None => context
                .vars
                .get(ident)
                .cloned()
                .unwrap_or_else(|| ident.to_string()),
        };
        let values: Vec<(&String, &str)> = match context.params.get(&param) {
            Some(value) => vec![(value, "")],
            None if head.contains('/') => context
                .ids
                .iter()
                .map(|(id, name)| (id, name.as_str()))
                .collect(),
            None => continue,
        };
        for (value, name) in values {
            let candidate = format!("{head}{value}{tail}");
            if !candidate.contains(char::is_whitespace) && looks_like_endpoint(&candidate) {
                urls.extend(same_site(page_url, &candidate).map(|u| (u, name.to_string())));
            }
        }
    }
    urls
}

fn looks_like_endpoint(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    s.len() >= 3
        && !s.contains(['<', '>', ' ', '{', '}'])
        && !ASSET_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && DATA_HINTS.iter().any(|h| lower.contains(h))
}

fn same_site(page_url: &Url, raw: &str) -> Option<Url> {
    let url = resolve(page_url, raw)?;
    let bare = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    (bare(&url) == bare(page_url)).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script_links(url: &str, html: &str) -> Vec<Link> {
        extract(&Html::parse_document(html), &Url::parse(url).unwrap(), &[]).links
    }

    fn urls(links: &[Link], origin: LinkOrigin) -> Vec<String> {
        links
            .iter()
            .filter(|l| l.origin == origin)
            .map(|l| l.url.to_string())
            .collect()
    }

    #[test]
    fn trs_pager() {
        let html = r#"<html><body><div class="page"><script language="JavaScript">
var currentPage = 0;//所在页从0开始
var prevPage = currentPage-1//上一页
var countPage = 3//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></body></html>"#;
        let found = script_links("http://www.nenjiang.gov.cn/zwgk/zcwj/index.html", html);
        assert_eq!(
            urls(&found, LinkOrigin::Pager),
            [
                "http://www.nenjiang.gov.cn/zwgk/zcwj/index.html",
                "http://www.nenjiang.gov.cn/zwgk/zcwj/index_1.html",
                "http://www.nenjiang.gov.cn/zwgk/zcwj/index_2.html"
            ]
        );
    }

    #[test]
    fn pager_variants() {
        let six = r#"<script>createPageHTML('page_div',2, 1,'index','shtml',35);</script>"#;
        let found = script_links("http://x.gov.cn/a/b/index_1.shtml", six);
        assert_eq!(
            urls(&found, LinkOrigin::Pager),
            [
                "http://x.gov.cn/a/b/index.shtml",
                "http://x.gov.cn/a/b/index_1.shtml"
            ]
        );
        let object = r#"<script>createPageHTML({countPage: 2, currentPage: 0, prefix: "list", suffix: "htm"});</script>"#;
        let found = script_links("http://x.gov.cn/a/", object);
        assert_eq!(
            urls(&found, LinkOrigin::Pager),
            ["http://x.gov.cn/a/list.htm", "http://x.gov.cn/a/list_1.htm"]
        );
        let huge = r#"<script>createPageHTML(100000, 0, "index", "html");</script>"#;
        assert_eq!(script_links("http://x.gov.cn/", huge).len(), 200);
        let definition = r#"<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}</script>"#;
        assert!(script_links("http://x.gov.cn/", definition).is_empty());
    }

    #[test]
    fn tab_endpoint_of_the_disclosure_template() {
        let html = r##"<html><head><script type="text/javascript">
function getQueryString(name) {
  var reg = new RegExp("(^|&)" + name + "=([^&]*)(&|$)", "i");
  var r = window.location.search.substr(1).match(reg);
  if (r != null) return unescape(r[2]); return null;
}
var tabName = getQueryString('tab');
$(function () {
  $.ajax({ url: "/bas/zfxxgk/" + tabName + "/list.json", dataType: "json", success: render });
  $("#more").attr("href", '/bas/zfxxgk/' + tab + '.shtml');
  load("/common/search/query.do?siteCode=bas");
  var logo = "/images/logo.png"; var cdn = "https://cdn.example.com/api/list.json";
});
</script></head><body></body></html>"##;
        let found = script_links(
            "https://www.hljba.gov.cn/bas/zfxxgk/zfxxgkba.shtml?tab=gfxwj",
            html,
        );
        let script = urls(&found, LinkOrigin::Script);
        assert!(
            script.contains(&"https://www.hljba.gov.cn/bas/zfxxgk/gfxwj/list.json".to_string()),
            "{script:?}"
        );
        assert!(
            script.contains(&"https://www.hljba.gov.cn/bas/zfxxgk/gfxwj.shtml".to_string()),
            "{script:?}"
        );
        assert!(script
            .contains(&"https://www.hljba.gov.cn/common/search/query.do?siteCode=bas".to_string()));
        assert!(!script.iter().any(|u| u.contains("logo.png")
            || u.contains("cdn.example.com")
            || u.ends_with("/bas/zfxxgk/")));
    }

    #[test]
    fn tree_ids_feed_a_hash_driven_list_script() {
        // gkmlpt: the list endpoint is built from the tree's ids, which the
        // page URL does not carry.
        let html = r##"<html><body><ul id="classify-tree"><li><a href="#2655" data-cid="2655">机构职能</a></li>
<li><a href="#2656" data-cid="2656">政府信息公开制度</a></li></ul>
<script>window._CONFIG = {SID: "757009", CLASSIFY: [{"id": 2657, "name": "规范性文件"}]};
function loadList(cid) { $.getJSON("/gkmlpt/api/all/" + cid + ".json", {page: 1}, function (res) {}); }
$(function () { var cid = location.hash.replace("#", "") || "2655"; loadList(cid); });</script></body></html>"##;
        let links = script_links("http://www.huma.gov.cn/gkmlpt/index", html);
        let found = urls(&links, LinkOrigin::Script);
        for id in ["2655", "2656", "2657"] {
            let url = format!("http://www.huma.gov.cn/gkmlpt/api/all/{id}.json");
            assert!(found.contains(&url), "{url} missing from {found:?}");
        }
        // Each endpoint is named as the tree names its category.
        let name = |id: &str| {
            links
                .iter()
                .find(|l| l.url.path().ends_with(&format!("/{id}.json")))
                .map(|l| l.text.clone())
                .unwrap()
        };
        assert_eq!(name("2656"), "政府信息公开制度");
        assert_eq!(name("2657"), "规范性文件");
    }

    #[test]
    fn an_unreadable_request_is_tied_to_its_sections_heading() {
        let html = r#"<html><body><p><strong>就业创业</strong></p>
<p>·<a href="/show/582.html">望奎县2022年公益性岗位招聘公告</a>　2022年7月1日</p>
<p><strong>教育</strong></p><div id="jyList">正在加载...</div>
<script>var tk = (new Date().getTime() * 7 + 13).toString(36);
$.post('/ajax/edu.ashx', {act: 'list', tk: tk}, function (d) { $('#jyList').html(d); });</script>
</body></html>"#;
        let doc = Html::parse_document(html);
        let url = Url::parse("http://www.wangkui.gov.cn/zdly.html").unwrap();
        let scripted = extract(&doc, &url, &[]);
        assert_eq!(scripted.gap_sections, ["教育"]);
        // The row above stands under its own bold heading.
        let rows = crate::page::links::extract(&doc, &url);
        assert_eq!(rows[0].section, "就业创业");
    }

    #[test]
    fn an_id_passed_to_the_list_function_is_requested() {
        let html = r#"<html><body><script>
function loadList(cid, page) { $.getJSON("/gkmlpt/api/all/" + cid, {page: page || 1}, function (res) {}); }
$(function () { loadList(2808, 1); });</script></body></html>"#;
        let links = script_links("http://www.muling.gov.cn/gkmlpt/annualreport", html);
        let found = urls(&links, LinkOrigin::Script);
        assert!(
            found.contains(&"http://www.muling.gov.cn/gkmlpt/api/all/2808".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn inline_getter_in_concatenation() {
        let html =
            r#"<script>var u = '/wdlc/xxgk/' + $.getUrlParam("tab") + '/data.json';</script>"#;
        let found = script_links("https://www.wdlc.gov.cn/wdlc/zfxxgk.shtml?tab=zfyjs", html);
        assert_eq!(
            urls(&found, LinkOrigin::Script),
            ["https://www.wdlc.gov.cn/wdlc/xxgk/zfyjs/data.json"]
        );
    }
}
