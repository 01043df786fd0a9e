//! The fixture server behaves like the county sites it stands in for: GBK
//! pages without a charset header, `?page=`/`?tab=` files, hidden `_` files,
//! a 412 WAF, a soft-404 host, transient failures and redirects, and
//! `POST`-only list endpoints (TRS 动静结合 pagers).

use govcheck::serve::{start_all, start_site, SiteServer};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode};
use std::io::Read;
use std::path::{Path, PathBuf};

fn sites_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites")
}

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn site(slug: &str) -> SiteServer {
    start_site(&sites_dir().join(slug)).await.unwrap()
}

async fn get(server: &SiteServer, path: &str) -> reqwest::Response {
    let url = format!("http://{}{}", server.addr, path);
    client().get(url).send().await.unwrap()
}

fn content_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn start_all_serves_every_site_in_name_order() {
    let servers = start_all(&sites_dir()).await.unwrap();
    let names: Vec<&str> = servers.iter().map(|s| s.name.as_str()).collect();
    // Sorted by directory name: aihui, beian, the hold-out sites, nenjiang, …
    let dirs: Vec<String> = servers
        .iter()
        .map(|s| s.dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut sorted = dirs.clone();
    sorted.sort();
    assert_eq!(dirs, sorted);
    assert!(names.len() >= 11, "{names:?}");
    for county in [
        "爱辉区",
        "北安市",
        "嫩江市",
        "孙吴县",
        "五大连池市",
        "逊克县",
    ] {
        assert!(names.contains(&county), "{county} missing from {names:?}");
    }
    for s in &servers {
        assert_eq!(s.url(), format!("http://127.0.0.1:{}/", s.addr.port()));
        assert!(s.addr.ip().is_loopback());
        assert!(s.dir.join("expected.csv").is_file());
    }
    let mut ports: Vec<u16> = servers.iter().map(|s| s.addr.port()).collect();
    ports.dedup();
    assert_eq!(ports.len(), servers.len());
}

#[tokio::test]
async fn gbk_page_is_served_without_a_charset_header() {
    let s = site("wudalianchi").await;
    let resp = get(&s, "/col/col1004/index.html").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(content_type(&resp), "text/html");
    let bytes = resp.bytes().await.unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK bytes expected");
    let (text, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
    assert!(!had_errors);
    assert!(text.contains("charset=gb2312"));
    assert!(text.contains("五大连池风景区管委会2022年政府信息公开工作年度报告"));
}

#[tokio::test]
async fn conditional_gets_are_answered_with_304() {
    let s = site("xunke").await;
    let url = format!("http://{}/xkx/zwgk/zwgk.shtml", s.addr);
    let first = client().get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let modified = first.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(etag.starts_with('"') && modified.ends_with("GMT"));
    let by_tag = client()
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(by_tag.status(), StatusCode::NOT_MODIFIED);
    assert!(by_tag.bytes().await.unwrap().is_empty());
    let by_date = client()
        .get(&url)
        .header("If-Modified-Since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);
    let other = client()
        .get(&url)
        .header("If-None-Match", "\"0000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn html_charset_option_adds_the_header_parameter() {
    let s = site("nenjiang").await;
    let resp = get(&s, "/zwgk/").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(content_type(&resp), "text/html; charset=utf-8");
    assert!(resp.text().await.unwrap().contains("政府信息公开目录"));
    let resp = get(&s, "/robots.txt").await;
    assert_eq!(content_type(&resp), "text/plain");
}

#[tokio::test]
async fn query_strings_select_sibling_files() {
    let s = site("beian").await;
    let page1 = get(&s, "/bas/c100752/list.shtml")
        .await
        .text()
        .await
        .unwrap();
    let page3 = get(&s, "/bas/c100752/list.shtml?page=3")
        .await
        .text()
        .await
        .unwrap();
    let report = "北安市人民政府2022年政府信息公开工作年度报告";
    assert!(!page1.contains(report));
    assert!(page3.contains(report));
    // No file for this tab: the template itself answers.
    let tab = get(&s, "/bas/zfxxgk.shtml?tab=gfxwj").await;
    assert_eq!(tab.status(), StatusCode::OK);
    assert!(tab.text().await.unwrap().contains("getQueryString"));
    let json = get(&s, "/bas/zfxxgk/gfxwj.json").await;
    assert_eq!(content_type(&json), "application/json");
    let value: serde_json::Value = serde_json::from_slice(&json.bytes().await.unwrap()).unwrap();
    assert!(value["list"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("/bas/c100760/"));
}

#[tokio::test]
async fn underscore_files_expected_csv_and_escapes_are_hidden() {
    let s = site("beian").await;
    for path in [
        "/_site.toml",
        "/expected.csv",
        "/../nenjiang/index.html",
        "/bas/%2e%2e/%2e%2e/nenjiang/index.html",
        "/%5fsite.toml",
        "/no/such/page.html",
    ] {
        let resp = get(&s, path).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(content_type(&resp).starts_with("text/html"));
    }
}

#[tokio::test]
async fn gzip_when_asked_and_enabled() {
    let s = site("beian").await;
    let url = format!("http://{}/", s.addr);
    let plain = client().get(&url).send().await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain = plain.bytes().await.unwrap();
    let resp = client()
        .get(&url)
        .header("Accept-Encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers().get(CONTENT_ENCODING).unwrap(), "gzip");
    let gz = resp.bytes().await.unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, plain);
}

#[tokio::test]
async fn waf_site_answers_412_everywhere() {
    let s = site("sunwu").await;
    for path in ["/", "/robots.txt", "/swx/zwgk/zwgk.shtml", "/nothing"] {
        let resp = get(&s, path).await;
        assert_eq!(resp.status(), StatusCode::PRECONDITION_FAILED, "{path}");
        assert!(resp.headers().get(SET_COOKIE).is_some());
        let body = resp.text().await.unwrap();
        assert!(body.contains("$_ts"), "{body}");
    }
}

#[tokio::test]
async fn soft_404_site_answers_missing_paths_with_the_homepage() {
    let s = site("aihui").await;
    let home = get(&s, "/").await.text().await.unwrap();
    let resp = get(&s, "/ahq/qzqd/index.html").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), home);
    let real = get(&s, "/ahq/zwgk/index.html").await.text().await.unwrap();
    assert_ne!(real, home);
}

#[tokio::test]
async fn routes_fail_first_then_serve_and_redirect() {
    let s = site("beian").await;
    let first = get(&s, "/bas/c100790/list.shtml").await;
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    let second = get(&s, "/bas/c100790/list.shtml").await;
    assert_eq!(second.status(), StatusCode::OK);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_site.toml"),
        "name = \"北安市\"\nslow_ms = 5\n\
         [[route]]\npath = \"/old/\"\nredirect = \"/new/\"\n\
         [[route]]\npath = \"/down.html\"\nstatus = 502\n\
         [[route]]\npath = \"/q.html?x=1\"\nstatus = 500\ntimes = 1\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("new")).unwrap();
    std::fs::create_dir_all(dir.path().join("附件")).unwrap();
    std::fs::write(dir.path().join("index.htm"), "<html>home</html>").unwrap();
    std::fs::write(dir.path().join("new/index.shtml"), "<html>new</html>").unwrap();
    std::fs::write(dir.path().join("down.html"), "<html>down</html>").unwrap();
    std::fs::write(dir.path().join("q.html"), "<html>q</html>").unwrap();
    std::fs::write(dir.path().join("附件/报告.pdf"), b"%PDF-1.4\n").unwrap();
    let t = start_site(dir.path()).await.unwrap();
    assert_eq!(t.name, "北安市");
    assert_eq!(
        get(&t, "/").await.text().await.unwrap(),
        "<html>home</html>"
    );
    let r = get(&t, "/old/").await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers().get(LOCATION).unwrap(), "/new/");
    assert_eq!(
        get(&t, "/new/").await.text().await.unwrap(),
        "<html>new</html>"
    );
    for _ in 0..3 {
        assert_eq!(
            get(&t, "/down.html").await.status(),
            StatusCode::BAD_GATEWAY
        );
    }
    assert_eq!(
        get(&t, "/q.html?x=1").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(get(&t, "/q.html?x=1").await.status(), StatusCode::OK);
    let pdf = get(&t, "/%E9%99%84%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf").await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(content_type(&pdf), "application/pdf");
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let s = site("aihui").await;
    let addr = s.addr;
    assert_eq!(get(&s, "/").await.status(), StatusCode::OK);
    drop(s);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let fresh = Client::builder().no_proxy().build().unwrap();
    assert!(fresh.get(format!("http://{addr}/")).send().await.is_err());
}

/// A site with a `[[post]]` endpoint and a JSON route, in a temporary dir.
fn post_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("_site.toml"),
        "name = \"绥棱县\"\n\
         [[route]]\npath = \"/api/list\"\ncontent_type = \"application/json\"\n\
         [[post]]\npath = \"/search\"\nfile = \"search/{channelId}/{page}.json\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("search/4812")).unwrap();
    std::fs::create_dir_all(dir.path().join("api")).unwrap();
    std::fs::write(dir.path().join("search/4812/3.json"), r#"{"page":3}"#).unwrap();
    std::fs::write(
        dir.path().join("api/list@channelId=7&page=1"),
        r#"{"id":7}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("index.html"), "<html>home</html>").unwrap();
    dir
}

#[tokio::test]
async fn post_endpoints_answer_files_named_by_the_body_and_refuse_get() {
    let dir = post_site();
    let s = start_site(dir.path()).await.unwrap();
    let url = format!("http://{}/search", s.addr);
    let get = client().get(&url).send().await.unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get.headers()["allow"], "POST");
    let head = client().head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::METHOD_NOT_ALLOWED);

    let form = client()
        .post(&url)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("channelId=4812&page=3&pageSize=8")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(content_type(&form), "application/json");
    assert_eq!(form.text().await.unwrap(), r#"{"page":3}"#);
    let json = client()
        .post(&url)
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"channelId":"4812","page":3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.text().await.unwrap(), r#"{"page":3}"#);

    let post = |body: &'static str| client().post(&url).body(body).send();
    assert_eq!(
        post("channelId=4812").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        post("channelId=..&page=3").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        post("channelId=4812&page=9").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    // Elsewhere the method is ignored, as before.
    let home = client()
        .post(format!("http://{}/", s.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(home.text().await.unwrap(), "<html>home</html>");
}

#[tokio::test]
async fn a_route_may_declare_the_content_type_of_an_extensionless_file() {
    let dir = post_site();
    let s = start_site(dir.path()).await.unwrap();
    let resp = get(&s, "/api/list?channelId=7&page=1").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(content_type(&resp), "application/json");
    assert_eq!(resp.text().await.unwrap(), r#"{"id":7}"#);
    let other = get(&s, "/index.html").await;
    assert_eq!(content_type(&other), "text/html");
}
