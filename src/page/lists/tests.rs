use super::*;

fn script_links(url: &str, html: &str) -> Vec<Link> {
    read(html, url).links
}

/// What the page's scripts come to.
fn read(html: &str, url: &str) -> Scripted {
    let doc = Html::parse_document(html);
    read_scripts(&doc, &PageScripts::of(&doc), &Url::parse(url).unwrap(), &[])
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
    // Requested as jQuery sends them, with the call's data.
    for id in ["2655", "2656", "2657"] {
        let url = format!("http://www.huma.gov.cn/gkmlpt/api/all/{id}.json?page=1");
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
    let scripted = read_scripts(&doc, &PageScripts::of(&doc), &url, &[]);
    assert_eq!(scripted.gap_sections, ["教育"]);
    // The row above stands under its own bold heading.
    let nav = navfns::NavFunctions::from_scripts(&PageScripts::of(&doc));
    let rows = crate::page::links::extract(&doc, &url, |code| nav.target(code));
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
        found.contains(&"http://www.muling.gov.cn/gkmlpt/api/all/2808?page=1".to_string()),
        "{found:?}"
    );
}

#[test]
fn inline_getter_in_concatenation() {
    let html = r#"<script>var u = '/wdlc/xxgk/' + $.getUrlParam("tab") + '/data.json';</script>"#;
    let found = script_links("https://www.wdlc.gov.cn/wdlc/zfxxgk.shtml?tab=zfyjs", html);
    assert_eq!(
        urls(&found, LinkOrigin::Script),
        ["https://www.wdlc.gov.cn/wdlc/xxgk/zfyjs/data.json"]
    );
}

#[test]
fn thousands_of_pager_calls_stop_at_the_link_cap() {
    // From the parse_page/script_readers fuzz targets' link budget: 300
    // calls of 35 bytes named 60,000 pages (378 MB for 10 KB of script);
    // 4 MiB of them would have named 24 million.
    let calls = |name: &str| -> String {
        (0..300)
            .map(|i| format!("createPageHTML(200,0,\"{name}{i}\",\"html\");"))
            .collect()
    };
    let url = Url::parse("http://www.nenjiang.gov.cn/zwgk/zcwj/index.html").unwrap();
    // One script's pagers stop at 2,000 pages.
    let one = format!("<script>{}</script>", calls("p"));
    let scripted = {
        let doc = Html::parse_document(&one);
        read_scripts(&doc, &PageScripts::of(&doc), &url, &[])
    };
    assert_eq!(scripted.links.len(), 2_000);
    assert!(!scripted.dropped_links);
    // A page's script links stop at 5,000, and the page says so.
    let three = format!(
        "<script>{}</script><script>{}</script><script>{}</script>",
        calls("p"),
        calls("q"),
        calls("r")
    );
    let scripted = {
        let doc = Html::parse_document(&three);
        read_scripts(&doc, &PageScripts::of(&doc), &url, &[])
    };
    assert_eq!(scripted.links.len(), 5_000);
    assert!(scripted.dropped_links);
    let page = crate::page::parse(&url, 200, None, three.as_bytes());
    assert_eq!(page.cut, Some(crate::types::BodyCut::LinkLimit));
}

#[test]
fn tabs_that_call_a_list_function_each_name_their_list() {
    let html = r#"<html><body><ul class="tabs">
<li onclick="getList('1205')">规范性文件</li>
<li><a href="javascript:getList('1206');return false;">政策解读</a></li>
<li onclick="other('1207')">其他</li></ul><div id="list"></div>
<script>function getList(cid) { $.getJSON('/api/' + cid + '/list.json', {page: 1}, render); }</script>
</body></html>"#;
    let scripted = read(html, "http://www.x.gov.cn/zwgk/index.html");
    let named: Vec<(String, String)> = scripted
        .links
        .iter()
        .filter(|l| l.origin == LinkOrigin::Script)
        .map(|l| (l.url.to_string(), l.text.clone()))
        .collect();
    assert_eq!(
        named,
        [
            (
                "http://www.x.gov.cn/api/1205/list.json?page=1".to_string(),
                "规范性文件".to_string()
            ),
            (
                "http://www.x.gov.cn/api/1206/list.json?page=1".to_string(),
                "政策解读".to_string()
            )
        ]
    );
    assert!(scripted.gaps.is_empty(), "{:?}", scripted.gaps);
}

#[test]
fn data_blocks_are_read_and_templates_are_not_scripts() {
    let html = r#"<html><body><div id="list"></div>
<script type="application/json" id="cfg">{"list": "/zwgk/data/list.json", "name": "政府信息公开"}</script>
<script type="text/html" id="row"><li><a href="{{url}}">{{title}}</a> location</li></script>
</body></html>"#;
    let scripted = read(html, "http://www.x.gov.cn/zwgk/");
    assert_eq!(
        urls(&scripted.links, LinkOrigin::Script),
        ["http://www.x.gov.cn/zwgk/data/list.json"]
    );
    assert!(scripted.gaps.is_empty(), "{:?}", scripted.gaps);
}

#[test]
fn a_script_that_cannot_be_parsed_is_a_gap_only_when_it_loads_a_list() {
    let loader = r#"<html><body><div id="list"></div>
<script>var id = <%=id%>; $.getJSON('/api/list.json', {id: id}, render);</script></body></html>"#;
    let gaps = read(loader, "http://www.x.gov.cn/zwgk/").gaps;
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].starts_with("a script could not be read"),
        "{gaps:?}"
    );
    let share = r#"<html><body><script>var u = &quot;x&quot;; window.location.href = u;</script></body></html>"#;
    assert!(read(share, "http://www.x.gov.cn/zwgk/").gaps.is_empty());
}
