//! Data requests a list script makes, reproduced as plain GET URLs.
//!
//! Many county CMSs render their lists in the browser:
//! `$.ajax({url: '/api/list.json', data: {channelId: 123, page: 1}})`,
//! `$.getJSON(url, {page: 1})`, or `data: params` with the object declared
//! elsewhere in the script. jQuery sends `data` as a query string in the
//! object's order, so the crawler can make the same request. A request it
//! cannot reproduce (a value known only at run time, a JSON body) is
//! reported as a gap, so the audit knows that list was never read and no
//! item is failed on its account.

use super::js::{
    enclosed, object_fields, scalar_literal, split_top, string_literal, without_comments, IDENT,
};
use super::links::resolve;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// What the page's data requests come to.
#[derive(Debug, Default)]
pub struct Requests {
    /// GET URLs with their query built from the request's data.
    pub urls: Vec<Url>,
    /// Requests that could not be reproduced, described for a person.
    pub gaps: Vec<String>,
    /// URL literals used by requests that carry data: fetched bare they
    /// return some default list, not this page's, so nobody should.
    pub with_data: HashSet<String>,
}

static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\$|\bjQuery)\s*\.\s*(ajax|get|getJSON|post)\s*\(|\baxios\s*\.\s*(get|post)\s*\(|\b(fetch)\s*\(",
    )
    .unwrap()
});
static GETTER_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(?:[\w$]+\.)?\w+\s*\(\s*["']([\w-]+)["']\s*\)$"#).unwrap());
static ENCODER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:encodeURIComponent|encodeURI|escape|String|Number|parseInt)\s*\(([\s\S]*)\)$")
        .unwrap()
});

/// Request parameters that select a page of a list; when their value is
/// computed, the first page is what a visitor sees.
pub fn is_page_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "page",
        "pageno",
        "pagenum",
        "pagenumber",
        "pageindex",
        "curpage",
        "currentpage",
        "current",
        "nowpage",
        "cpage",
        "pn",
        "p",
    ]
    .contains(&key.as_str())
}

/// The page's data requests. `params` are the page URL's own query values
/// and `query_vars` the script variables read from them (`var tab =
/// getQueryString('tab')` → `tab` → `tab`).
pub fn requests(
    code: &str,
    page_url: &Url,
    params: &HashMap<String, String>,
    query_vars: &HashMap<String, String>,
) -> Requests {
    let code = &without_comments(code);
    let scope = Scope {
        code,
        params,
        query_vars,
    };
    let mut found = Requests::default();
    for call in CALL.captures_iter(code) {
        let whole = call.get(0).expect("match");
        let Some(args) = enclosed(code, whole.end() - 1) else {
            continue;
        };
        let args = split_top(args, b',');
        let method = call
            .get(1)
            .or(call.get(2))
            .or(call.get(3))
            .map_or("", |m| m.as_str());
        let Some(request) = scope.request(method, call.get(2).is_some(), &args) else {
            continue;
        };
        let Some(literal) = scope.url_literal(request.url) else {
            if scope.unreadable_url(request.url) {
                found.gaps.push(format!(
                    "{}: its URL is built at run time",
                    shorten(request.url)
                ));
            }
            continue;
        };
        let Some(mut url) = resolve(page_url, &literal).filter(|u| same_host(u, page_url)) else {
            continue;
        };
        let data = request.data.map(|d| scope.data(d));
        if request.data.is_some() {
            found.with_data.insert(literal.clone());
        }
        match data {
            Some(Err(why)) => {
                found.gaps.push(format!("{literal}: {why}"));
                continue;
            }
            Some(Ok(pairs)) if !pairs.is_empty() => {
                let mut query = url.query_pairs_mut();
                for (k, v) in &pairs {
                    query.append_pair(k, v);
                }
            }
            _ => {}
        }
        if request.post {
            found
                .gaps
                .push(format!("{literal}: a POST request, tried as a GET"));
        }
        found.urls.push(url);
    }
    found
}

struct Request<'a> {
    url: &'a str,
    data: Option<&'a str>,
    post: bool,
}

struct Scope<'a> {
    code: &'a str,
    params: &'a HashMap<String, String>,
    query_vars: &'a HashMap<String, String>,
}

impl<'a> Scope<'a> {
    /// URL, data and method of one call, from its argument list.
    fn request(&self, method: &str, axios: bool, args: &[&'a str]) -> Option<Request<'a>> {
        let first = *args.first()?;
        if method == "ajax" {
            let (settings, url) = if first.starts_with('{') {
                let fields = object_fields(first)?;
                (fields.clone(), lookup(&fields, "url")?)
            } else {
                let fields = args
                    .get(1)
                    .filter(|a| a.starts_with('{'))
                    .and_then(|a| object_fields(a))
                    .unwrap_or_default();
                (fields, first)
            };
            let verb = lookup(&settings, "type")
                .or_else(|| lookup(&settings, "method"))
                .and_then(string_literal)
                .unwrap_or_default();
            return Some(Request {
                url,
                data: lookup(&settings, "data"),
                post: verb.eq_ignore_ascii_case("post"),
            });
        }
        let second = args.get(1).copied();
        if method == "fetch" {
            // fetch(url, {method: 'POST', body: …}): the query is in the URL.
            let verb = second
                .and_then(object_fields)
                .and_then(|fields| lookup(&fields, "method").and_then(string_literal))
                .unwrap_or_default();
            return Some(Request {
                url: first,
                data: None,
                post: verb.eq_ignore_ascii_case("post"),
            });
        }
        let data = if axios {
            // axios.get(url, {params: {...}}); axios.post(url, body)
            match (method, second) {
                ("get", Some(config)) => {
                    object_fields(config).and_then(|fields| lookup(&fields, "params"))
                }
                (_, body) => body,
            }
        } else {
            second.filter(|d| d.starts_with('{') || self.object_of(d).is_some())
        };
        Some(Request {
            url: first,
            data,
            post: method == "post",
        })
    }

    /// The URL when it is string literals and variables holding them,
    /// joined by `+` (`base + file`, `var file = 'jy' + '_list.html'`).
    fn url_literal(&self, expr: &str) -> Option<String> {
        self.url_expression(expr, 0)
    }

    fn url_expression(&self, expr: &str, depth: u8) -> Option<String> {
        let mut url = String::new();
        for piece in split_top(expr, b'+') {
            let value = match string_literal(piece) {
                Some(text) => text,
                // `'?tab=' + tab`: the value of a query key, as for `data`.
                None if url.ends_with('=') => {
                    let key = url[..url.len() - 1]
                        .rsplit(['?', '&'])
                        .next()
                        .unwrap_or_default();
                    let value = self.value(key, piece)?;
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
                }
                None if depth < 3 && IDENT.is_match(piece) => self.variable(piece, depth)?,
                None => return None,
            };
            url.push_str(&value);
        }
        (!url.is_empty()).then_some(url)
    }

    /// A variable in a request URL: the page's own query value it reads
    /// (`var tab = getParam('tab') || 'fdzdgknr'`, its default when the
    /// page has none), what it is assigned, or 1 for a page counter.
    fn variable(&self, name: &str, depth: u8) -> Option<String> {
        let from_query = self
            .query_vars
            .get(name)
            .and_then(|key| self.params.get(key))
            .cloned();
        from_query
            .or_else(|| {
                let assigned = self.assigned_expression(name)?;
                let fallback = assigned.rsplit("||").next().unwrap_or(&assigned);
                self.url_expression(&assigned, depth + 1)
                    .or_else(|| string_literal(fallback))
            })
            // `loadPage(n)`: a page number, as in a query key.
            .or_else(|| (name == "n" || is_page_key(name)).then(|| "1".to_string()))
    }

    /// Whether a request URL the page builds at run time cannot be
    /// reproduced: pieces that are not literals, or a variable assigned
    /// something computed. A bare parameter of a helper function is not
    /// a request of this page.
    fn unreadable_url(&self, expr: &str) -> bool {
        let expr = expr.trim();
        if string_literal(split_top(expr, b'+').first().copied().unwrap_or_default()).is_some() {
            return false; // `'/api/' + tab + '.json'`: the concatenation reader's
        }
        expr.contains('+') || self.assigned_expression(expr).is_some()
    }

    /// The expression first assigned to variable `name`, up to the end of
    /// its statement.
    fn assigned_expression(&self, name: &str) -> Option<String> {
        let pattern = Regex::new(&format!(
            r#"(?:^|[^\w$.]){}\s*=\s*([^=;\n][^;\n]*)"#,
            regex::escape(name)
        ))
        .ok()?;
        pattern.captures(self.code).map(|c| c[1].trim().to_string())
    }

    /// The query pairs of a request's `data`.
    fn data(&self, expr: &str) -> Result<Vec<(String, String)>, String> {
        let expr = expr.trim();
        if let Some(text) = string_literal(expr) {
            return Ok(
                url::form_urlencoded::parse(text.trim_start_matches('?').as_bytes())
                    .into_owned()
                    .collect(),
            );
        }
        let object = if expr.starts_with('{') {
            expr
        } else if IDENT.is_match(expr) {
            self.object_of(expr)
                .ok_or_else(|| format!("its data `{expr}` is not declared in the page"))?
        } else {
            return Err(format!(
                "its data is built at run time (`{}`)",
                shorten(expr)
            ));
        };
        let fields = object_fields(object)
            .ok_or_else(|| format!("its data object could not be read (`{}`)", shorten(object)))?;
        fields
            .iter()
            .map(|(key, value)| {
                self.value(key, value)
                    .map(|v| (key.clone(), v))
                    .ok_or_else(|| {
                        format!(
                            "the value of `{key}` is known only at run time ({})",
                            shorten(value)
                        )
                    })
            })
            .collect()
    }

    /// One data value: a literal, a variable holding one, the page's own
    /// query value, or the first page for a computed page number.
    fn value(&self, key: &str, expr: &str) -> Option<String> {
        let expr = expr.trim();
        if let Some(inner) = ENCODER.captures(expr) {
            return self.value(key, &inner[1]);
        }
        let direct = scalar_literal(expr)
            .or_else(|| {
                let name = self.query_vars.get(expr).map(String::as_str).or_else(|| {
                    GETTER_CALL
                        .captures(expr)
                        .map(|c| c.get(1).expect("group").as_str())
                })?;
                self.params.get(name).cloned()
            })
            .or_else(|| {
                IDENT
                    .is_match(expr)
                    .then(|| self.assigned(expr))
                    .flatten()
                    .and_then(|v| scalar_literal(&v))
            });
        direct.or_else(|| is_page_key(key).then(|| "1".to_string()))
    }

    /// The object literal assigned to `name` (`var params = {…}`).
    fn object_of(&self, name: &str) -> Option<&'a str> {
        let pattern =
            Regex::new(&format!(r"(?:^|[^\w$.]){}\s*=\s*\{{", regex::escape(name))).ok()?;
        let m = pattern.find(self.code)?;
        let open = m.end() - 1;
        enclosed(self.code, open).map(|inner| &self.code[open..open + inner.len() + 2])
    }

    /// The first value assigned to variable `name`, as written.
    fn assigned(&self, name: &str) -> Option<String> {
        let pattern = Regex::new(&format!(
            r#"(?:^|[^\w$.]){}\s*=\s*("[^"\n]*"|'[^'\n]*'|-?\d+(?:\.\d+)?|true|false)"#,
            regex::escape(name)
        ))
        .ok()?;
        pattern.captures(self.code).map(|c| c[1].to_string())
    }
}

fn lookup<'a>(fields: &[(String, &'a str)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

fn same_host(url: &Url, page_url: &Url) -> bool {
    let bare = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    bare(url) == bare(page_url)
}

fn shorten(expr: &str) -> String {
    let flat: String = expr.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        flat.chars().take(57).chain("...".chars()).collect()
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, page: &str) -> Requests {
        run_with_query_vars(code, page, &[])
    }

    /// `query_vars`: script variables read from the page's query.
    fn run_with_query_vars(code: &str, page: &str, query_vars: &[(&str, &str)]) -> Requests {
        let url = Url::parse(page).unwrap();
        let params = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let vars = query_vars
            .iter()
            .map(|(var, key)| (var.to_string(), key.to_string()))
            .collect();
        requests(code, &url, &params, &vars)
    }

    fn urls(found: &Requests) -> Vec<&str> {
        found.urls.iter().map(Url::as_str).collect()
    }

    #[test]
    fn inline_data_object_in_its_order() {
        let code = r#"function go(p){$.ajax({url: '/api/list.json', type: 'get', dataType: 'json', data: {channelId: 122, page: p}, success: render});}
$(function(){ $.ajax({
    url: '/api/list.json',
    data: {channelId: 122, page: 1},
    success: function (res) { if (res.list) { render(res); } }
  }); });"#;
        let found = run(code, "http://www.ningan.gov.cn/xxgk/zd.html");
        assert_eq!(
            urls(&found),
            [
                "http://www.ningan.gov.cn/api/list.json?channelId=122&page=1",
                "http://www.ningan.gov.cn/api/list.json?channelId=122&page=1"
            ]
        );
        assert!(found.gaps.is_empty(), "{:?}", found.gaps);
        assert!(found.with_data.contains("/api/list.json"));
    }

    #[test]
    fn data_object_declared_apart() {
        let code = r#"var params = {
  channelId: 136, // 教育
  page: 1,
  keyword: ""
};
function loadList(){ $.ajax({url: '/api/list.json', type: 'GET', data: params, success: render}); }
function go(p){params.page = p; loadList();}"#;
        let found = run(code, "http://www.ningan.gov.cn/zdly/jy.html");
        assert_eq!(
            urls(&found),
            ["http://www.ningan.gov.cn/api/list.json?channelId=136&page=1&keyword="]
        );
    }

    #[test]
    fn get_and_getjson_with_data_and_query_values() {
        let code = r#"var tab = getQueryString('tab'); var size = 15;
$.getJSON("/gk/list.do", {tab: tab, pageSize: size, pageNo: current}, render);
$.get('/gk/count.do', render);
$.post("/gk/search.do", {q: "年报"}, render);"#;
        let found = run_with_query_vars(
            code,
            "https://www.x.gov.cn/gk/index.html?tab=nb",
            &[("tab", "tab")],
        );
        assert_eq!(
            urls(&found),
            [
                "https://www.x.gov.cn/gk/list.do?tab=nb&pageSize=15&pageNo=1",
                "https://www.x.gov.cn/gk/count.do",
                "https://www.x.gov.cn/gk/search.do?q=%E5%B9%B4%E6%8A%A5"
            ]
        );
        assert_eq!(found.gaps.len(), 1, "{:?}", found.gaps);
        assert!(found.gaps[0].contains("POST"));
    }

    #[test]
    fn unreproducible_requests_are_gaps() {
        let code = r#"$.ajax({url: "/api/list", data: {channelId: window.CHANNEL_ID, page: 1}});
$.ajax({url: "/api/other", data: JSON.stringify({a: 1}), type: "POST"});
$.ajax({url: "/api/third", data: settings});
$.ajax({url: "https://other.example.com/api", data: {a: 1}});
$.ajax({url: base + "/list", data: {a: 1}});"#;
        let found = run(code, "http://www.x.gov.cn/");
        assert!(found.urls.is_empty(), "{:?}", urls(&found));
        assert_eq!(found.gaps.len(), 4, "{:?}", found.gaps);
        assert!(found.gaps[0].contains("channelId"));
        assert!(found.gaps[2].contains("settings"));
        assert!(found.gaps[3].contains("built at run time"));
    }

    #[test]
    fn a_fetch_built_from_the_pages_tab_and_a_page_counter() {
        let code = r#"var params = new URLSearchParams(window.location.search);
var tab = params.get('tab') || 'fdzdgknr';
var api = '/sbx/zfxxgk/list.json';
function load(n) {
  fetch(api + '?tab=' + tab + '&pageNo=' + n).then(function (r) { return r.json(); });
}
fetch('/sbx/api/save', {method: 'POST', body: JSON.stringify({a: 1})});
load(1);"#;
        let found = run_with_query_vars(
            code,
            "http://www.suibin.gov.cn/sbx/zfxxgk_sb.shtml?tab=zdxzjc",
            &[("tab", "tab")],
        );
        assert_eq!(
            urls(&found),
            [
                "http://www.suibin.gov.cn/sbx/zfxxgk/list.json?tab=zdxzjc&pageNo=1",
                "http://www.suibin.gov.cn/sbx/api/save"
            ]
        );
        assert_eq!(found.gaps.len(), 1, "{:?}", found.gaps);
        assert!(found.gaps[0].contains("POST"));
    }

    #[test]
    fn a_tab_list_file_named_from_the_query_and_a_page_counter() {
        let code = r#"var tab = getParam('tab') || 'fdzdgknr';
function loadPage(n) {
  $.ajax({url: '/hls/zfxxgk/json/' + tab + '_' + n + '.json', type: 'get', dataType: 'json'});
}
loadPage(1);"#;
        let found = run_with_query_vars(
            code,
            "http://www.hailun.gov.cn/hls/zfxxgk_hl.shtml?tab=gfxwj",
            &[("tab", "tab")],
        );
        assert_eq!(
            urls(&found),
            ["http://www.hailun.gov.cn/hls/zfxxgk/json/gfxwj_1.json"]
        );
        // Without a tab in the page URL, the script's default.
        let found = run_with_query_vars(
            code,
            "http://www.hailun.gov.cn/hls/zfxxgk_hl.shtml",
            &[("tab", "tab")],
        );
        assert_eq!(
            urls(&found),
            ["http://www.hailun.gov.cn/hls/zfxxgk/json/fdzdgknr_1.json"]
        );
    }

    #[test]
    fn urls_joined_from_declared_pieces_are_read() {
        let code = r#"var base = '/zwgk/jyxx/data/';
var file = 'jy' + '_' + 'list' + '.html';
$.get(base + file, function (html) { $('#infoList').html(html); });
function load(url) { $.get(url, render); }
var channel = window.CHANNELS[current];
$.get(base + channel + '.html', render);"#;
        let found = run(code, "http://www.x.gov.cn/zwgk/jyxx/index.shtml");
        assert_eq!(
            urls(&found),
            ["http://www.x.gov.cn/zwgk/jyxx/data/jy_list.html"]
        );
        // `channel` is computed: a gap; the helper's parameter is not.
        assert_eq!(found.gaps.len(), 1, "{:?}", found.gaps);
    }

    #[test]
    fn axios_params_and_string_data() {
        let code = r#"axios.get('/api/articles', { params: { catId: "2655", page: 1 } }).then(r => r);
$.ajax({url: "/api/list.json", data: "channel=7&page=1"});"#;
        let found = run(code, "http://www.x.gov.cn/a.html");
        assert_eq!(
            urls(&found),
            [
                "http://www.x.gov.cn/api/articles?catId=2655&page=1",
                "http://www.x.gov.cn/api/list.json?channel=7&page=1"
            ]
        );
    }

    #[test]
    fn brackets_in_strings_and_comments() {
        let code = r#"$.ajax({url: '/a/list.json', /* ) } */ data: {t: "x)}"}, // }
success: r});"#;
        let found = run(code, "http://www.x.gov.cn/");
        assert_eq!(urls(&found), ["http://www.x.gov.cn/a/list.json?t=x%29%7D"]);
    }

    #[test]
    fn mangled_scripts_never_panic() {
        let tokens = [
            "$.ajax(",
            "$.get(",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "'",
            "\"",
            "`",
            "\\",
            ",",
            ":",
            "url",
            "data",
            "/api/列表.json",
            "中文",
            "//",
            "/*",
            "*/",
            "\n",
            "params",
            "=",
            "1",
            ".jpage(",
            "totalRecord",
            "${",
        ];
        let page = Url::parse("http://www.x.gov.cn/").unwrap();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut code = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                code.push_str(tokens[(seed % tokens.len() as u64) as usize]);
            }
            let _ = requests(&code, &page, &HashMap::new(), &HashMap::new());
            let _ = super::super::jpage::groups(&code, &page);
        }
    }
}
