//! The list readers of `page/lists/` (TRS pagers, Hanweb datastores,
//! ajax/fetch requests, endpoint literals, frames, `document.write` rows,
//! navigation functions, packed and script-drawn pages), reached the way
//! the crawler reaches them: through `page::parse` on an HTML page. The
//! first byte picks where the input stands in a county list page; the
//! rest is put there as it is.
#![no_main]

use govcheck::page;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use url::Url;

const HEAD: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告_北安市人民政府</title>\
    <meta name=\"ColumnName\" content=\"通知公告\"></head><body>\
    <div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"./\">通知公告</a></div>";
const TAIL: &str = "</body></html>";

/// (before, after) the input, by the first byte.
const TEMPLATES: [(&str, &str); 8] = [
    // An inline script after the list: pagers, ajax, endpoints, frames.
    (
        "<div class=\"list\"><ul id=\"list\"><li><a href=\"./202301/t20230128_1.html\">北安市2022年政府信息公开工作年度报告</a><span>2023-01-28</span></li></ul></div><script>",
        "</script>",
    ),
    // A list row printed by document.write.
    (
        "<ul class=\"list\"><li><script>",
        "</script><span>2023-01-28</span></li></ul>",
    ),
    // A Hanweb datastore and its jpage call.
    (
        "<div id=\"1234\"><script type=\"text/xml\">",
        "</script></div><script>$('#1234').jpage({dataStore:dataStore,perPage:15,totalRecord:120,proxyUrl:'/module/web/jpage/dataproxy.jsp',ajaxParam:{col:1,webid:1,columnid:2805}});</script>",
    ),
    // Navigation functions behind onclick and javascript: links.
    (
        "<ul><li><a href=\"javascript:;\" onclick=\"goColumn('xxgknb')\">年度报告</a></li><li><a href=\"javascript:goPage(2)\">下一页</a></li></ul><script>",
        "</script>",
    ),
    // Tree ids the list scripts fill in.
    (
        "<ul id=\"tree\"><li><a href=\"#2655\">教育</a></li><li><a data-cid=\"2656\" href=\"javascript:;\">卫生</a></li></ul><div id=\"list\"></div><script>",
        "</script>",
    ),
    // A frame whose address a script sets.
    (
        "<iframe id=\"main\" name=\"main\" src=\"about:blank\"></iframe><script>",
        "</script>",
    ),
    // A page drawn by the site's own script.
    (
        "<div id=\"app\"></div><script src=\"/js/app.8c1f.js\"></script><script>",
        "</script>",
    ),
    // The input as the whole list markup (onclick attributes, forms, pagers).
    ("<div class=\"list\">", "</div>"),
];

static URLS: LazyLock<[Url; 2]> = LazyLock::new(|| {
    [
        "http://www.hljba.gov.cn/bas/c100783/index.shtml?tab=gfxwj&cid=2805",
        "http://www.nehe.gov.cn/col/col2805/index.html",
    ]
    .map(|u| Url::parse(u).unwrap())
});

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let (before, after) = TEMPLATES[usize::from(selector & 7)];
    let url = &URLS[usize::from(selector >> 3) % URLS.len()];
    let mut body =
        Vec::with_capacity(HEAD.len() + before.len() + input.len() + after.len() + TAIL.len());
    for part in [
        HEAD.as_bytes(),
        before.as_bytes(),
        input,
        after.as_bytes(),
        TAIL.as_bytes(),
    ] {
        body.extend_from_slice(part);
    }
    let page = page::parse(url, 200, Some("text/html; charset=utf-8"), &body);
    assert_ne!(
        page.extract_error.as_deref(),
        Some("the parser failed on this body")
    );
    // As in parse_page: linear in the input, pagers included.
    assert!(
        page.links.len() <= 5_000 + 8 * input.len(),
        "{} links from {} bytes",
        page.links.len(),
        input.len()
    );
});
