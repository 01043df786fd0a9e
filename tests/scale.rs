//! One process, hundreds of sites at once: `govcheck crawl` over a campaign
//! of 200 small county sites, every one of them in flight together, and a
//! small campaign whose `--sites-in-flight` bound must hold.
//!
//! One in-test HTTP server on 127.0.0.1 answers every site; the sites are
//! 200 distinct host names (`www.county001.test` …) sent to it with
//! `--resolve`, so govcheck sees 200 hosts (politeness is per host: one
//! request at a time each) and the server tells them apart by `Host`. Each
//! answer waits a moment, as a real server across a network does, so
//! requests of sites in flight together overlap in time and the server can
//! count how many hosts had a request open at once. Each site is a
//! homepage, a 政务公开 section with its county's 政府信息公开指南, and a
//! news column: enough to decide every row. docs/scale.md has the figures
//! at this scale with real-sized sites.

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::convert::Infallible;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// Requests open now, by host.
    open: HashMap<String, usize>,
    /// Most hosts with a request open at the same moment.
    max_open_hosts: usize,
    /// Every host that sent a request.
    hosts: HashSet<String>,
    /// Requests answered.
    requests: usize,
}

/// The server: its port and what it saw.
struct Server {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

/// Serve every `www.countyNNN.test` site on one loopback port; each answer
/// waits `delay`.
async fn serve(delay: Duration) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = shared.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let seen = seen.clone();
                    async move { Ok::<_, Infallible>(answer(req, &seen, delay).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Server { port, seen }
}

async fn answer<B>(req: Request<B>, seen: &Mutex<Seen>, delay: Duration) -> Response<Full<Bytes>> {
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    {
        let mut seen = seen.lock().unwrap();
        seen.hosts.insert(host.clone());
        *seen.open.entry(host.clone()).or_default() += 1;
        let open_hosts = seen.open.values().filter(|n| **n > 0).count();
        seen.max_open_hosts = seen.max_open_hosts.max(open_hosts);
    }
    tokio::time::sleep(delay).await;
    let page = county_of(&host).and_then(|county| page(&county, req.uri().path()));
    {
        let mut seen = seen.lock().unwrap();
        seen.requests += 1;
        if let Some(n) = seen.open.get_mut(&host) {
            *n -= 1;
        }
    }
    let (status, body) = match page {
        Some(body) => (StatusCode::OK, body),
        None => (
            StatusCode::NOT_FOUND,
            "<html><title>404</title>未找到</html>".into(),
        ),
    };
    Response::builder()
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

/// `www.county007.test` → the seventh county name: 东山县, 东河县, …
/// 乐岭县, 200 of them. (Real-looking names: a name with digits in it is
/// not one the issuer test takes for a government.)
fn county_of(host: &str) -> Option<String> {
    let n: usize = host
        .strip_prefix("www.county")?
        .strip_suffix(".test")?
        .parse()
        .ok()?;
    let first: Vec<char> = "东西南北安平宁和兴丰永长清明新福华泰康乐".chars().collect();
    let second: Vec<char> = "山河林川阳源原江桥岭".chars().collect();
    let i = n.checked_sub(1)?;
    Some(format!(
        "{}{}县",
        first.get(i / second.len())?,
        second[i % second.len()]
    ))
}

fn host_of(i: usize) -> String {
    format!("www.county{i:03}.test")
}

/// One small county site: homepage, 政务公开 section, guide, news.
fn page(county: &str, path: &str) -> Option<String> {
    let head = |title: &str| {
        format!("<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>")
    };
    let nav = "<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/zwgk/\">政务公开</a>\
               <a href=\"/xwzx/\">新闻中心</a></div>";
    Some(match path {
        "/" => format!(
            "{}{nav}<p>{county}人民政府门户网站</p></body></html>",
            head(&format!("{county}人民政府"))
        ),
        "/zwgk/" => format!(
            "{}{nav}<h2>政务公开</h2><ul>\
             <li><a href=\"/zwgk/zn.html\">{county}人民政府信息公开指南</a><span>2023-01-10</span></li>\
             </ul></body></html>",
            head(&format!("政务公开_{county}人民政府"))
        ),
        "/zwgk/zn.html" => format!(
            "{}{nav}<h1>{county}人民政府信息公开指南</h1><p>发布日期：2023-01-10</p>\
             <p>一、主动公开。本机关主动公开的政府信息……</p>\
             <p>二、依申请公开。受理机构：{county}人民政府办公室；办公地址：{county}人民大街1号；\
             办公时间：工作日8:30-17:00；联系电话：0456-1234567。</p>\
             <p>三、监督和救济。公民可以依法申请行政复议或者提起行政诉讼。</p></body></html>",
            head(&format!("{county}人民政府信息公开指南"))
        ),
        "/xwzx/" => format!(
            "{}{nav}<h2>新闻中心</h2><p>{county}召开春季农业生产会议</p></body></html>",
            head(&format!("新闻中心_{county}人民政府"))
        ),
        _ => return None,
    })
}

/// A finished `govcheck crawl`: exit code, wall time, matrix rows by county
/// as (item, status, reason).
struct Run {
    code: Option<i32>,
    wall: Duration,
    stderr: String,
    rows: BTreeMap<String, Vec<(String, String, String)>>,
}

/// Crawl `sites` counties served on `port` with the built binary.
fn crawl(dir: &Path, port: u16, sites: usize, in_flight: usize) -> Run {
    let mut targets = String::from(
        "[campaign]\nname = \"scale\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n",
    );
    let mut args: Vec<String> = Vec::new();
    for i in 1..=sites {
        let host = host_of(i);
        targets.push_str(&format!(
            "\n[[county]]\nname = \"{}\"\nurl = \"http://{host}:{port}/\"\n",
            county_of(&host).unwrap()
        ));
        args.push("--resolve".into());
        args.push(format!("{host}=127.0.0.1"));
    }
    let targets_file = dir.join("targets.toml");
    std::fs::write(&targets_file, targets).unwrap();
    let out = dir.join("run");
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("crawl")
        .arg("--targets")
        .arg(&targets_file)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(dir.join("history.sqlite"))
        .args(["--rate", "0", "--quiet"])
        .args(["--sites-in-flight", &in_flight.to_string()])
        .args(&args)
        .output()
        .unwrap();
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    let mut rows: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    if let Ok(mut reader) = csv::Reader::from_path(out.join("matrix.csv")) {
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == name)
                .unwrap()
        };
        let (county, item, status, reason) =
            (col("county"), col("item"), col("status"), col("reason"));
        for record in reader.records() {
            let r = record.unwrap();
            rows.entry(r[county].to_string()).or_default().push((
                r[item].to_string(),
                r[status].to_string(),
                r[reason].to_string(),
            ));
        }
    }
    Run {
        code: run.status.code(),
        wall,
        stderr,
        rows,
    }
}

/// Every county of the campaign has its 17 rows, its guide found on its
/// own host, and no row left open.
fn assert_every_site_decided(run: &Run, sites: usize) {
    assert_eq!(
        run.code,
        Some(0),
        "a finished run with every row decided exits 0: {}",
        run.stderr
    );
    assert_eq!(run.rows.len(), sites, "counties in matrix.csv");
    for i in 1..=sites {
        let county = county_of(&host_of(i)).unwrap();
        let rows = &run.rows[&county];
        assert_eq!(rows.len(), 17, "{county}: {rows:?}");
        for (item, status, reason) in rows {
            assert_ne!(status, "inconclusive", "{county} {item}: {reason}");
        }
        let guide = rows.iter().find(|(item, ..)| item == "7.guide").unwrap();
        assert_eq!(guide.1, "pass", "{county}: {guide:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sites_in_flight_in_one_process() {
    const SITES: usize = 200;
    // Long enough that every site is still waiting on its first answers
    // while the last sites start (starting a site costs CPU in a debug
    // build), so the overlap measures the bound, not the machine.
    let server = serve(Duration::from_millis(500)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let port = server.port;
    let run = tokio::task::spawn_blocking(move || crawl(&path, port, SITES, SITES))
        .await
        .unwrap();
    let seen = server.seen.lock().unwrap();
    eprintln!(
        "{SITES} sites: {:.1} s, {} requests, {} hosts, at most {} hosts with a request open at once",
        run.wall.as_secs_f64(),
        seen.requests,
        seen.hosts.len(),
        seen.max_open_hosts
    );
    assert_every_site_decided(&run, SITES);
    assert_eq!(seen.hosts.len(), SITES, "distinct hosts the server saw");
    assert!(
        seen.max_open_hosts >= SITES / 2,
        "only {} of {SITES} sites had a request open at the same time",
        seen.max_open_hosts
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sites_in_flight_bounds_the_sites_crawled_at_once() {
    const SITES: usize = 12;
    const IN_FLIGHT: usize = 3;
    let server = serve(Duration::from_millis(100)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let port = server.port;
    let run = tokio::task::spawn_blocking(move || crawl(&path, port, SITES, IN_FLIGHT))
        .await
        .unwrap();
    let seen = server.seen.lock().unwrap();
    eprintln!(
        "{SITES} sites, {IN_FLIGHT} in flight: {:.1} s, at most {} hosts with a request open at once",
        run.wall.as_secs_f64(),
        seen.max_open_hosts
    );
    assert_every_site_decided(&run, SITES);
    assert!(
        seen.max_open_hosts <= IN_FLIGHT,
        "{} hosts had a request open at once with --sites-in-flight {IN_FLIGHT}",
        seen.max_open_hosts
    );
    assert!(seen.max_open_hosts >= 2, "sites were crawled one at a time");
}

#[test]
fn zero_sites_in_flight_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .args(["crawl", "--sites-in-flight", "0", "--out"])
        .arg(tempfile::tempdir().unwrap().path().join("run"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "bad input exits 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--sites-in-flight must be at least 1"),
        "{stderr}"
    );
}
