use super::super::js::read;
use super::super::page_scripts::PageScripts;
use super::*;

fn run(code: &str, page: &str) -> Requests {
    let url = Url::parse(page).unwrap();
    let params = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let code = read(code);
    let page = PageScripts::default();
    requests(&Script::new(
        &code,
        Folder::new(&code, &params),
        &page,
        &url,
        &[],
    ))
}

fn urls(found: &Requests) -> Vec<&str> {
    found.urls.iter().map(|(url, _)| url.as_str()).collect()
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
    let found = run(code, "https://www.x.gov.cn/gk/index.html?tab=nb");
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
    let found = run(
        code,
        "http://www.suibin.gov.cn/sbx/zfxxgk_sb.shtml?tab=zdxzjc",
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
    let found = run(
        code,
        "http://www.hailun.gov.cn/hls/zfxxgk_hl.shtml?tab=gfxwj",
    );
    assert_eq!(
        urls(&found),
        ["http://www.hailun.gov.cn/hls/zfxxgk/json/gfxwj_1.json"]
    );
    // Without a tab in the page URL, the script's default.
    let found = run(code, "http://www.hailun.gov.cn/hls/zfxxgk_hl.shtml");
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
fn a_request_inside_a_function_is_made_once_per_call_the_script_makes() {
    let code = r#"var API = { list: '/api/list' };
function getList(channelId, pageNo) {
  $.ajax({url: API.list, data: {channelId: channelId, pageNo: pageNo, size: 15}, success: render});
}
function more(n) { getList(current, n); }
getList('1205', 1);
getList("1206", 1);"#;
    let found = run(code, "http://www.x.gov.cn/zwgk/");
    assert_eq!(
        urls(&found),
        [
            "http://www.x.gov.cn/api/list?channelId=1205&pageNo=1&size=15",
            "http://www.x.gov.cn/api/list?channelId=1206&pageNo=1&size=15"
        ]
    );
    assert!(found.gaps.is_empty(), "{:?}", found.gaps);
    // Never called with a known value: the request stays a gap.
    let code = "function getList(cid) { $.ajax({url: '/api/list', data: {channelId: cid}}); }";
    let found = run(code, "http://www.x.gov.cn/zwgk/");
    assert!(found.urls.is_empty());
    assert!(found.gaps[0].contains("channelId"), "{:?}", found.gaps);
}

#[test]
fn template_literals_and_constants_fold() {
    let code = r#"const base = '/ztzl/fzzf';
let page = 1;
fetch(`${base}/list_${page}.json`).then(r => r.json());"#;
    let found = run(code, "http://www.x.gov.cn/");
    assert_eq!(urls(&found), ["http://www.x.gov.cn/ztzl/fzzf/list_1.json"]);
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
        let _ = run(&code, page.as_str());
        let _ = super::super::jpage::groups(&read(&code), &page);
    }
}
