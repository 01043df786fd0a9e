//! The fixture sites in `fixtures/render/` (issue 14: lists only a browser
//! can read) are well-formed and served as designed. No crawl runs here:
//! these sites wait for rendering. The checks keep the fixtures honest until
//! then: both label files name the rubric's 17 items; the static labels
//! differ from the truth only by `inconclusive script_list`; every cited page
//! is served; the script-only paths really are script-only (no static text
//! names them); the SPA's channel chain, the `POST /search` pager and the
//! template data resolve to the documents the labels cite.

mod common;

use common::{render_root, RENDER_SITES};
use govcheck::serve::{start_site, SiteServer};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::path::Path;

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// item → (status, reason, evidence), in file order.
fn labels(site: &str, file: &str) -> Vec<(String, String, String, String)> {
    let path = render_root().join(site).join(file);
    let mut rdr =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["item", "status", "reason", "evidence"],
        "{}",
        path.display()
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].into(), r[1].into(), r[2].into(), r[3].into())
        })
        .collect()
}

fn rubric_items() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/heihe-2023.toml");
    let value: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    value["item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

async fn get(s: &SiteServer, path: &str) -> reqwest::Response {
    client()
        .get(format!("http://{}{}", s.addr, path))
        .send()
        .await
        .unwrap()
}

async fn get_json(s: &SiteServer, path: &str) -> serde_json::Value {
    let resp = get(s, path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn json_of(resp: reqwest::Response) -> serde_json::Value {
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

async fn post_search(s: &SiteServer, body: &str) -> reqwest::Response {
    client()
        .post(format!("http://{}/search", s.addr))
        .header(
            CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// The text of every HTML and script file of a site (GBK decoded): what a
/// reader that runs no script and calls no data endpoint can see.
fn static_text(site: &str) -> String {
    let mut out = String::new();
    let mut stack = vec![render_root().join(site)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if [".html", ".htm", ".shtml", ".js"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                let bytes = std::fs::read(&path).unwrap();
                out.push_str(&encoding_rs::GB18030.decode(&bytes).0);
            }
        }
    }
    out
}

#[test]
fn label_files_name_the_rubric_items_and_differ_only_by_script_list() {
    let items = rubric_items();
    assert_eq!(items.len(), 17);
    for site in RENDER_SITES {
        let truth = labels(site, "expected.csv");
        let stat = labels(site, "expected-static.csv");
        for (file, rows) in [("expected.csv", &truth), ("expected-static.csv", &stat)] {
            let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
            assert_eq!(ids, items.iter().collect::<Vec<_>>(), "{site}/{file}");
            for (item, status, reason, evidence) in rows {
                assert!(
                    ["pass", "fail", "inconclusive"].contains(&status.as_str()),
                    "{site}/{file} {item}"
                );
                assert!(!reason.is_empty(), "{site}/{file} {item}");
                assert_eq!(
                    status == "pass",
                    evidence.starts_with('/'),
                    "{site}/{file} {item}"
                );
            }
        }
        let mut script_rows = 0;
        for (t, s) in truth.iter().zip(&stat) {
            if s.1 == "inconclusive" && s.2 == "script_list" {
                script_rows += 1;
                assert!(s.3.is_empty(), "{site} {}", s.0);
            } else {
                assert_eq!(t, s, "{site}: a static row is the truth or script_list");
            }
        }
        let statuses: Vec<&str> = truth.iter().map(|r| r.1.as_str()).collect();
        assert!(script_rows >= 3, "{site}: {script_rows} script rows");
        assert!(
            statuses.contains(&"pass") && statuses.contains(&"fail"),
            "{site}"
        );
        assert!(
            render_root().join(site).join("README.md").is_file(),
            "{site}"
        );
    }
}

/// The `href` and `src` values of an HTML page outside its scripts, as
/// site paths (path and query; other hosts, `javascript:` and fragments
/// dropped).
fn static_links(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        text.push_str(&rest[..open]);
        rest = rest[open..]
            .find("</script>")
            .map_or("", |e| &rest[open + e..]);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in text.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or("").replace("&amp;", "&");
            let value = value.split('#').next().unwrap_or("");
            if value.starts_with('/') && !value.starts_with("//") {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// Every site path a reader that follows only static `href`/`src`
/// attributes reaches from the homepage (GBK pages decoded).
async fn static_reach(s: &SiteServer) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::from(["/".to_string()]);
    let mut queue = vec!["/".to_string()];
    while let Some(path) = queue.pop() {
        let resp = get(s, &path).await;
        let html = resp
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        if resp.status() != StatusCode::OK || !html {
            continue;
        }
        let bytes = resp.bytes().await.unwrap();
        let text = encoding_rs::GB18030.decode(&bytes).0.into_owned();
        for link in static_links(&text) {
            if seen.insert(link.clone()) {
                queue.push(link);
            }
        }
        assert!(seen.len() < 2000, "runaway static crawl");
    }
    seen
}

#[test]
fn static_links_skip_scripts_other_hosts_and_fragments() {
    let html = r#"<a href="/a.html#x">a</a><script>var s = '<a href="/hidden.html">';</script>
        <iframe src="/v.html?file=/f.pdf"></iframe><a href="http://zwfw.hlj.gov.cn/">p</a>
        <a href="/l?x=1&amp;y=2">l</a><a ms-attr-href="/t/{{el.id}}.html">t</a>"#;
    assert_eq!(
        static_links(html),
        ["/a.html", "/l?x=1&y=2", "/v.html?file=/f.pdf"]
    );
}

#[tokio::test]
async fn cited_pages_are_served_and_reached_statically_exactly_when_labelled_so() {
    // The SPA shell is reached statically, but shows nothing without script.
    let shell_only = [("render_vue_app_huachuan", "7.column")];
    for site in RENDER_SITES {
        let s = start_site(&render_root().join(site)).await.unwrap();
        let reach = static_reach(&s).await;
        let stat = labels(site, "expected-static.csv");
        for (i, (item, _, _, evidence)) in labels(site, "expected.csv").into_iter().enumerate() {
            if evidence.is_empty() {
                continue;
            }
            let resp = get(&s, &evidence).await;
            assert_eq!(resp.status(), StatusCode::OK, "{site} {item}: {evidence}");
            let body = resp.bytes().await.unwrap();
            assert!(body.len() > 100, "{site} {item}: {evidence} is a stub");
            let script_only = stat[i].2 == "script_list";
            if shell_only.contains(&(site, item.as_str())) {
                continue;
            }
            assert_eq!(
                reach.contains(&evidence),
                !script_only,
                "{site} {item}: {evidence} static reach must match the static label"
            );
        }
    }
}

#[tokio::test]
async fn spa_channel_chain_resolves_only_through_the_first_answer() {
    let site = "render_vue_app_huachuan";
    let s = start_site(&render_root().join(site)).await.unwrap();
    let shell = get(&s, "/zwgk/").await.text().await.unwrap();
    assert!(shell.contains(r#"<div id="app"></div>"#));
    assert!(!shell.contains("content/"), "the shell links no document");
    let channels = get_json(&s, "/api/channels.json").await;
    let salt = channels["salt"].as_i64().unwrap();
    let ids: BTreeMap<String, i64> = channels["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["cid"].as_i64().unwrap() ^ salt,
            )
        })
        .collect();
    assert_eq!(ids.len(), 8);
    let text = static_text(site);
    for (name, id) in &ids {
        let list = get_json(&s, &format!("/api/list?channelId={id}&page=1")).await;
        assert_eq!(list["channelName"], name.as_str());
        assert!(
            !text.contains(&format!("channelId={id}")),
            "{name}: id in static text"
        );
        // The raw (unsalted) number is not the id: a guess from it answers 404.
        let raw = id ^ salt;
        assert_eq!(
            get(&s, &format!("/api/list?channelId={raw}&page=1"))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    let list = get(
        &s,
        &format!("/api/list?channelId={}&page=1", ids["政府信息公开年报"]),
    )
    .await;
    assert_eq!(list.headers()[CONTENT_TYPE], "application/json");
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_string())
            .collect()
    };
    let nb = format!("/api/list?channelId={}&page=", ids["政府信息公开年报"]);
    let page1 = get_json(&s, &format!("{nb}1")).await;
    let page2 = get_json(&s, &format!("{nb}2")).await;
    let county = "桦川县人民政府2022年政府信息公开工作年度报告".to_string();
    assert_eq!(page1["pageCount"], 2);
    assert!(!titles(&page1).contains(&county));
    assert!(titles(&page2).contains(&county));
    let fz = get_json(
        &s,
        &format!("/api/list?channelId={}&page=1", ids["法治政府建设"]),
    )
    .await;
    let row = fz["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "桦川县人民政府关于2022年度法治政府建设情况的报告")
        .unwrap();
    let page = get(&s, row["url"].as_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("2023-03-27"));
}

#[tokio::test]
async fn trs_pager_serves_later_pages_only_by_post() {
    let site = "render_post_pager_suileng";
    let s = start_site(&render_root().join(site)).await.unwrap();
    let page1 = get(&s, "/xxgk/xxgknb/index.html").await;
    assert_eq!(page1.status(), StatusCode::OK);
    let page1 = encoding_rs::GB18030
        .decode(&page1.bytes().await.unwrap())
        .0
        .into_owned();
    assert!(page1.contains("charset=gb2312"));
    assert!(page1.contains(r#""maxStaticIndex": 1"#) && page1.contains(r#""channelId": "4812""#));
    assert!(!page1.contains("绥棱县人民政府2022年政府信息公开工作年度报告"));
    assert!(page1.contains("绥棱县人民政府2023年政府信息公开工作年度报告"));
    for path in ["/search", "/search?channelId=4812&page=3"] {
        let resp = get(&s, path).await;
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
    assert_eq!(
        get(&s, "/xxgk/xxgknb/index_1.html").await.status(),
        StatusCode::NOT_FOUND
    );

    let resp = post_search(&s, "channelId=4812&page=3&pageSize=8").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
    let page3 = json_of(resp).await;
    assert_eq!(page3["page"], 3);
    let first = &page3["list"][0];
    assert_eq!(
        first["title"],
        "绥棱县人民政府2022年政府信息公开工作年度报告"
    );
    let report = get(&s, first["url"].as_str().unwrap()).await;
    assert_eq!(report.status(), StatusCode::OK);

    let fz1 = encoding_rs::GB18030
        .decode(
            &get(&s, "/xxgk/fzzfjs/index.html")
                .await
                .bytes()
                .await
                .unwrap(),
        )
        .0
        .into_owned();
    assert!(fz1.contains("绥棱县2023年法治政府建设工作要点"));
    assert!(!fz1.contains("关于2022年度法治政府建设情况的报告"));
    let fz2 = json_of(post_search(&s, "channelId=4815&page=2").await).await;
    assert_eq!(
        fz2["list"][0]["title"],
        "绥棱县人民政府关于2022年度法治政府建设情况的报告"
    );
    let json_body = json_of(
        client()
            .post(format!("http://{}/search", s.addr))
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"channelId":"4831","page":2}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(json_body["list"][0]["pubDate"], "2023-05-18");
    assert_eq!(
        post_search(&s, "channelId=4812&page=4").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn template_links_come_from_data_and_the_report_from_a_pdf_viewer() {
    let site = "render_template_links_longjiang";
    let s = start_site(&render_root().join(site)).await.unwrap();
    let landing = get(&s, "/zfxxgk/index.html").await.text().await.unwrap();
    assert!(
        landing.contains("ms-repeat")
            && landing.contains(r#"ms-attr-href="/zfxxgk/{{el.dir}}/index.html""#)
    );
    assert!(!landing.contains(r#"href="/zfxxgk/zn/"#) && !landing.contains(r#"href="/zfxxgk/nb/"#));
    for dir in ["zn", "zd", "nb", "qzqd"] {
        assert_eq!(
            get(&s, &format!("/zfxxgk/{dir}/index.html")).await.status(),
            StatusCode::OK,
            "{dir}"
        );
    }
    let qzqd = get_json(&s, "/data/qzqd.json").await;
    for row in qzqd["rows"].as_array().unwrap() {
        let path = format!("/zfxxgk/qzqd/{}.html", row["code"].as_str().unwrap());
        assert_eq!(get(&s, &path).await.status(), StatusCode::OK, "{path}");
    }
    let zdxm = get_json(&s, "/data/zdxm.json").await;
    let r = &zdxm["rows"][0];
    let path = format!(
        "/zdly/zdxm/{}/t{}_{}.html",
        r["ym"].as_str().unwrap(),
        r["day"].as_str().unwrap(),
        r["id"]
    );
    assert_eq!(path, "/zdly/zdxm/202304/t20230412_5561.html");
    let page = get(&s, "/ztzl/fzzfjs/202303/t20230330_7905.html")
        .await
        .text()
        .await
        .unwrap();
    let pdf = "/uploads/2023/03/P020230330391245.pdf";
    assert!(page.contains(&format!("viewer.html?file={pdf}")));
    assert!(!page.contains("2022年度"), "only the PDF names the year");
    assert_eq!(
        get(&s, "/static/pdfjs/web/viewer.html?file=x")
            .await
            .status(),
        StatusCode::OK
    );
    let resp = get(&s, pdf).await;
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/pdf");
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(
        get(&s, "/zdly/zdjc/index.html").await.status(),
        StatusCode::NOT_FOUND
    );
}
