//! Broken and hostile county sites, served from loopback, crawled as one
//! campaign by the built binary: a site that could not be read is never
//! failed. Each fault is one small raw-HTTP server, so a test can send what
//! no well-behaved server would (a 200 MB body, a gzip bomb, random bytes).
//! The measured bounds (time, memory) are in docs/reliability.md.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What one fault site answers for a path.
#[derive(Clone)]
enum Answer {
    /// A complete response: status, content type, extra headers, body.
    Whole(u16, &'static str, Vec<(&'static str, String)>, Arc<Vec<u8>>),
    /// `len` bytes of HTML filler with an honest Content-Length, written
    /// until the client stops reading.
    Endless(usize),
    /// A 100 KB page sent ten bytes a second.
    Trickle,
    /// A page of 6,000 links (more than are read from one page) to further
    /// pages like it, new ones on every page.
    Generator,
}

type Routes = HashMap<&'static str, Answer>;

fn html(status: u16, body: &str) -> Answer {
    Answer::Whole(
        status,
        "text/html; charset=utf-8",
        vec![],
        Arc::new(body.as_bytes().to_vec()),
    )
}

/// Serve `routes` (anything else: 404) on a fresh loopback port.
async fn serve(routes: Routes) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let routes = Arc::new(routes);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, routes.clone()));
        }
    });
    url
}

async fn answer(mut stream: TcpStream, routes: Arc<Routes>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = routes
        .get(path.as_str())
        .or_else(|| routes.get("*"))
        .cloned()
        .unwrap_or_else(|| html(404, "<html><title>404</title>not found</html>"));
    let _ = match reply {
        Answer::Whole(status, ctype, extra, body) => {
            let mut out = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in extra {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes()).await;
            stream.write_all(&body).await
        }
        Answer::Endless(len) => {
            let out = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n<html><body>"
            );
            let _ = stream.write_all(out.as_bytes()).await;
            let chunk = "<p>政务公开 filler</p>\n".repeat(2048).into_bytes();
            let mut sent = 0;
            while sent < len {
                if stream.write_all(&chunk).await.is_err() {
                    break;
                }
                sent += chunk.len();
            }
            Ok(())
        }
        Answer::Generator => {
            let mut body = HOME.replace("</body></html>", "");
            let seed = path.len() * 31 + path.bytes().map(usize::from).sum::<usize>();
            for i in 0..6_000 {
                // Named like disclosure pages, so the crawl wants them.
                body.push_str(&format!(
                    "<a href=\"/g/{seed}/{i}.html\">信息公开第{i}页</a>\n"
                ));
            }
            body.push_str("</body></html>");
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            stream.write_all(body.as_bytes()).await
        }
        Answer::Trickle => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            for _ in 0..10_000 {
                if stream.write_all(b"<p>slow</p>").await.is_err() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            Ok(())
        }
    };
}

const HOME: &str = r#"<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/xwzx/">新闻中心</a></div>
<p>某县人民政府门户网站</p></body></html>"#;

const SECTION: &str = r#"<html><head><meta charset="utf-8"><title>政务公开_某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a></div><h2>政务公开</h2>
<ul><li><a href="/zwgk/a1.html">关于印发某县2023年重点工作的通知</a><span>2023-02-01</span></li></ul>
</body></html>"#;

const ARTICLE: &str = r#"<html><head><meta charset="utf-8"><title>关于印发某县2023年重点工作的通知</title></head><body>
<h1>关于印发某县2023年重点工作的通知</h1><p>发布日期：2023-02-01</p><p>各乡镇人民政府……</p></body></html>"#;

/// A small healthy site: homepage, disclosure section, one article.
fn healthy() -> Routes {
    HashMap::from([
        ("/", html(200, HOME)),
        ("/zwgk/", html(200, SECTION)),
        ("/zwgk/a1.html", html(200, ARTICLE)),
        (
            "/xwzx/",
            html(200, "<html><body><a href='/'>首页</a>新闻</body></html>"),
        ),
    ])
}

fn gzip_of_zeros(len: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..len >> 20 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap()
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Crawl `sites` (county name → URL) as one campaign with the built
/// binary; the matrix rows by county: (item, status, reason).
fn crawl(
    dir: &Path,
    sites: &[(&str, &str)],
    extra: &[&str],
) -> HashMap<String, Vec<(String, String, String)>> {
    let mut targets = String::from(
        "[campaign]\nname = \"faults\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n",
    );
    for (name, url) in sites {
        targets.push_str(&format!(
            "\n[[county]]\nname = \"{name}\"\nurl = \"{url}\"\n"
        ));
    }
    let targets_file = dir.join("targets.toml");
    std::fs::write(&targets_file, targets).unwrap();
    let out = dir.join("run");
    let run = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("crawl")
        .arg("--targets")
        .arg(&targets_file)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(dir.join("history.sqlite"))
        .args(["--rate", "0", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0 | 2)),
        "{:?}: {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let mut rows: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    let mut reader = csv::Reader::from_path(out.join("matrix.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (county, item, status, reason) = (col("county"), col("item"), col("status"), col("reason"));
    for record in reader.records() {
        let r = record.unwrap();
        rows.entry(r[county].to_string()).or_default().push((
            r[item].to_string(),
            r[status].to_string(),
            r[reason].to_string(),
        ));
    }
    rows
}

fn assert_all_open(rows: &[(String, String, String)], reason_start: &str) {
    assert_eq!(rows.len(), 17, "{rows:?}");
    for (item, status, reason) in rows {
        assert_eq!(status, "inconclusive", "{item}: {reason}");
        assert!(
            reason.starts_with(reason_start),
            "{item}: {reason} (expected {reason_start})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_homepage_or_section_keeps_every_row_open() {
    let big = serve(HashMap::from([("/", Answer::Endless(200 << 20))])).await;
    let bomb = serve(HashMap::from([(
        "/",
        Answer::Whole(
            200,
            "text/html",
            vec![("content-encoding", "gzip".to_string())],
            Arc::new(gzip_of_zeros(96 << 20)),
        ),
    )]))
    .await;
    let binary = serve(HashMap::from([(
        "/",
        Answer::Whole(
            200,
            "application/octet-stream",
            vec![],
            Arc::new(random_bytes(65536)),
        ),
    )]))
    .await;
    let no_links = serve(HashMap::from([(
        "/",
        html(200, "<html><body><p>网站维护中</p></body></html>"),
    )]))
    .await;
    let mut refused_section = healthy();
    refused_section.insert(
        "/zwgk/",
        html(431, "<html>Request Header Fields Too Large</html>"),
    );
    let refused_section = serve(refused_section).await;
    let control = serve(healthy()).await;
    let trickle = serve(HashMap::from([("/", Answer::Trickle)])).await;

    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let sites = [
        ("大文件县", big.as_str()),
        ("压缩炸弹县", bomb.as_str()),
        ("二进制县", binary.as_str()),
        ("无链接县", no_links.as_str()),
        ("栏目拒绝县", refused_section.as_str()),
        ("对照县", control.as_str()),
        ("慢速县", trickle.as_str()),
    ];
    let rows = tokio::task::spawn_blocking({
        let path = dir.path().to_path_buf();
        let sites: Vec<(&'static str, String)> =
            sites.iter().map(|(n, u)| (*n, u.to_string())).collect();
        move || {
            let sites: Vec<(&str, &str)> = sites.iter().map(|(n, u)| (*n, u.as_str())).collect();
            crawl(&path, &sites, &[])
        }
    })
    .await
    .unwrap();

    assert_all_open(&rows["大文件县"], "homepage_unreadable: body_too_large");
    assert_all_open(
        &rows["压缩炸弹县"],
        "homepage_unreadable: decompression_limit",
    );
    assert_all_open(&rows["二进制县"], "homepage_unreadable: not_html");
    assert_all_open(&rows["无链接县"], "homepage_unreadable: no_links");
    assert_all_open(
        &rows["栏目拒绝县"],
        "unreachable: the disclosure section 「政务公开」",
    );
    // A body trickling at 10 bytes/s is abandoned after the grace period,
    // not read for the whole request deadline, four times over.
    assert_all_open(&rows["慢速县"], "unreachable");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "the fault campaign took {:?}",
        started.elapsed()
    );
    // The healthy site is judged: its section passes, missing items fail.
    let control = &rows["对照县"];
    assert!(
        control
            .iter()
            .any(|(i, s, _)| i == "7.column" && s == "pass"),
        "{control:?}"
    );
    assert!(control.iter().any(|(_, s, _)| s == "fail"), "{control:?}");
    assert!(control
        .iter()
        .all(|(_, _, r)| !r.starts_with("homepage_unreadable")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_that_stops_before_the_section_fails_nothing() {
    let site = serve(healthy()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let rows = tokio::task::spawn_blocking(move || {
        crawl(&path, &[("预算县", site.as_str())], &["--max-pages", "1"])
    })
    .await
    .unwrap();
    assert_all_open(&rows["预算县"], "budget_exhausted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_generating_links_without_end_is_bounded_and_not_failed() {
    let site = serve(HashMap::from([("*", Answer::Generator)])).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let rows = tokio::task::spawn_blocking(move || {
        crawl(&path, &[("链接县", site.as_str())], &["--max-pages", "5"])
    })
    .await
    .unwrap();
    for (item, status, reason) in &rows["链接县"] {
        assert_ne!(status, "fail", "{item}: {reason}");
    }
    let skipped = std::fs::read_to_string(dir.path().join("run/skipped.jsonl")).unwrap();
    let lines = skipped.lines().count();
    assert!(lines <= 10_000 + 10, "{lines} lines in skipped.jsonl");
    assert!(skipped.contains("more_not_listed"), "no summary line");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_cannot_send_the_crawler_to_internal_addresses() {
    // The "internal service": another port on this machine, which the
    // county site (served under a public-looking name) redirects to.
    let internal_hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let internal = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let internal_port = internal.local_addr().unwrap().port();
    let hits = internal_hits.clone();
    tokio::spawn(async move {
        while let Ok((_stream, _)) = internal.accept().await {
            hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let redirect = |to: String| {
        Answer::Whole(
            302,
            "text/html",
            vec![("location", to)],
            Arc::new(Vec::new()),
        )
    };
    // One site's homepage redirects to the internal service by address,
    // another's robots.txt to a name that resolves to a private address.
    let by_address = serve(HashMap::from([(
        "/",
        redirect(format!(
            "http://127.0.0.1:{internal_port}/latest/meta-data/"
        )),
    )]))
    .await;
    let by_name = serve(HashMap::from([(
        "/robots.txt",
        redirect("http://intranet.test/robots.txt".to_string()),
    )]))
    .await;
    let port = |url: &str| {
        url.rsplit(':')
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string()
    };
    let a = format!("http://county-a.test:{}/", port(&by_address));
    let b = format!("http://county-b.test:{}/", port(&by_name));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let rows = tokio::task::spawn_blocking(move || {
        crawl(
            &path,
            &[("地址县", a.as_str()), ("域名县", b.as_str())],
            &[
                "--resolve",
                "county-a.test=127.0.0.1",
                "--resolve",
                "county-b.test=127.0.0.1",
                "--resolve",
                "intranet.test=10.0.0.5",
            ],
        )
    })
    .await
    .unwrap();
    for county in ["地址县", "域名县"] {
        assert_all_open(&rows[county], "");
        for (item, _, reason) in &rows[county] {
            assert!(
                reason.contains("not fetched (only public addresses"),
                "{county} {item}: {reason}"
            );
        }
    }
    assert!(
        rows["地址县"][0].2.starts_with("unreachable"),
        "{:?}",
        rows["地址县"][0]
    );
    assert!(
        rows["域名县"][0].2.contains("private address"),
        "{:?}",
        rows["域名县"][0]
    );
    assert_eq!(
        internal_hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the internal service was contacted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_homepage_that_leaves_the_registered_domain_is_reported_not_adopted() {
    // The county's homepage answers 302 to a healthy site under another
    // registered domain: a new address or a hijack, the evaluator decides.
    // (The county is named by its loopback address, so the address guard
    // lets the redirect reach the other name on loopback.)
    let elsewhere = serve(healthy()).await;
    let port = |url: &str| {
        url.rsplit(':')
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string()
    };
    let target = format!("http://www.elsewhere.test:{}/", port(&elsewhere));
    let moving = serve(HashMap::from([(
        "/",
        Answer::Whole(
            302,
            "text/html",
            vec![("location", target.clone())],
            Arc::new(Vec::new()),
        ),
    )]))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let rows = tokio::task::spawn_blocking(move || {
        crawl(
            &path,
            &[("迁址县", moving.as_str())],
            &["--resolve", "www.elsewhere.test=127.0.0.1"],
        )
    })
    .await
    .unwrap();
    assert_all_open(&rows["迁址县"], "homepage_moved");
    assert!(
        rows["迁址县"][0].2.contains(&target),
        "{:?}",
        rows["迁址县"][0]
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("run/run.json")).unwrap()).unwrap();
    let site = &run["sites"][0];
    assert_eq!(site["crawl"]["moved_to"], target.as_str(), "{site}");
    assert_eq!(site["crawl"]["pages_fetched"], 0, "{site}");
}
