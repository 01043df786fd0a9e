//! End to end on the offline test world: serve every fixture county site on
//! 127.0.0.1, run `govcheck crawl` over all of them, and compare each
//! county × item verdict (status, reason code and, for a pass, the evidence
//! URL's path and query) of `matrix.csv` with the site's `expected.csv`
//! (`item,status,reason,evidence`). Then every reason that says a page
//! links something (「the homepage link 「政务公开」 opens …」) is checked
//! against the links of that page as captured in the run's archive. Every
//! mismatch is listed before the test fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// (status, reason code, evidence path and query) per item.
type Verdicts = BTreeMap<String, (String, String, String)>;

fn read_expected(path: &Path) -> Verdicts {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["item", "status", "reason", "evidence"],
        "{}: columns",
        path.display()
    );
    let mut out = Verdicts::new();
    for row in rdr.records() {
        let row = row.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let evidence = row[3].trim().to_string();
        assert!(
            row[1] != *"pass" || evidence.starts_with('/'),
            "{}: {}: a pass row names its evidence (path and query from the site root)",
            path.display(),
            &row[0]
        );
        out.insert(
            row[0].to_string(),
            (row[1].to_string(), row[2].to_string(), evidence),
        );
    }
    assert_eq!(out.len(), 17, "{}: one row per item", path.display());
    out
}

/// An absolute URL's path and query, as `expected.csv` names evidence.
fn path_and_query(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

/// The reason code: the reason cell up to the first space or colon.
fn reason_code(cell: &str) -> String {
    cell.trim()
        .split([' ', ':', '：'])
        .next()
        .unwrap_or("")
        .to_string()
}

struct Row {
    site: String,
    status: String,
    reason: String,
    evidence_url: String,
}

/// county → item → row, from matrix.csv (UTF-8 with a BOM).
fn read_matrix(path: &Path) -> BTreeMap<String, BTreeMap<String, Row>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "matrix.csv starts with a BOM"
    );
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("matrix.csv has no `{name}` column: {headers:?}"))
    };
    let (site, county, item, status, reason, evidence) = (
        col("url"),
        col("county"),
        col("item"),
        col("status"),
        col("reason"),
        col("evidence_url"),
    );
    let mut out: BTreeMap<String, BTreeMap<String, Row>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        out.entry(rec[county].to_string()).or_default().insert(
            rec[item].to_string(),
            Row {
                site: rec[site].to_string(),
                status: rec[status].to_string(),
                reason: rec[reason].to_string(),
                evidence_url: rec[evidence].to_string(),
            },
        );
    }
    out
}

#[test]
fn reason_codes_are_cut_at_space_or_colon() {
    assert_eq!(reason_code("late 发布日期 2023-04-12"), "late");
    assert_eq!(reason_code("office_report: 县政府办公室"), "office_report");
    assert_eq!(reason_code("found：标题"), "found");
    assert_eq!(reason_code("not_found"), "not_found");
}

#[test]
fn every_fixture_site_has_a_complete_expected_csv() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    let mut n = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("_site.toml").is_file() {
            let expected = read_expected(&dir.join("expected.csv"));
            for (item, (status, _, _)) in &expected {
                assert!(
                    ["pass", "fail", "inconclusive"].contains(&status.as_str()),
                    "{}: {item}: {status}",
                    dir.display()
                );
            }
            n += 1;
        }
    }
    assert!(n >= 6, "at least six fixture sites");
}

#[test]
fn crawl_of_fixture_sites_matches_expected_verdicts() {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites");
    // The servers run on this runtime's worker threads while the binary runs.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let servers = rt.block_on(govcheck::serve::start_all(&root)).unwrap();
    assert!(servers.len() >= 6);

    let tmp = tempfile::tempdir().unwrap();
    let mut targets = String::from(
        "[campaign]\nname = \"fixture campaign\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n",
    );
    let mut expected = BTreeMap::new();
    for s in &servers {
        targets.push_str(&format!(
            "\n[[county]]\nname = \"{}\"\nurl = \"{}\"\n",
            s.name,
            s.url()
        ));
        expected.insert(s.name.clone(), read_expected(&s.dir.join("expected.csv")));
    }
    let targets_path = tmp.path().join("targets.toml");
    std::fs::write(&targets_path, &targets).unwrap();
    let out_dir = tmp.path().join("run");

    let mut child = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .arg("crawl")
        .arg("--targets")
        .arg(&targets_path)
        .arg("--out")
        .arg(&out_dir)
        .args(["--rate", "0"])
        .arg("--db")
        .arg(tmp.path().join("history.sqlite"))
        // Loopback only: no proxy may stand between the crawler and the sites.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a chatty crawl cannot block on them.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = match child.wait_timeout(Duration::from_secs(600)).unwrap() {
        Some(status) => status,
        None => {
            child.kill().ok();
            child.wait().ok();
            panic!("govcheck crawl did not finish within 600 s");
        }
    };
    let stdout = out_thread.join().unwrap();
    let stderr = err_thread.join().unwrap();
    // 0: all decided; 2: completed with inconclusive rows (the WAF site).
    assert!(
        matches!(status.code(), Some(0) | Some(2)),
        "govcheck crawl exited with {status}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );

    let matrix_path = out_dir.join("matrix.csv");
    assert!(
        matrix_path.is_file(),
        "govcheck crawl ({status}) wrote no matrix.csv\n--- stderr (tail)\n{}",
        tail(&stderr, 40)
    );
    let matrix = read_matrix(&matrix_path);
    let mut mismatches = Vec::new();
    let mut total = 0;
    for (county, items) in &expected {
        let got = matrix.get(county);
        for (item, (want_status, want_reason, want_evidence)) in items {
            total += 1;
            match got.and_then(|rows| rows.get(item)) {
                None => mismatches.push(format!(
                    "{county:<8} {item:<26} {:<34} (no row)",
                    format!("{want_status} {want_reason}")
                )),
                Some(row) => {
                    let code = reason_code(&row.reason);
                    let evidence = path_and_query(&row.evidence_url);
                    let evidence_differs = want_status == "pass" && &evidence != want_evidence;
                    if &row.status != want_status || &code != want_reason || evidence_differs {
                        mismatches.push(format!(
                            "{county:<8} {item:<26} {:<34} {:<34} {} {}",
                            format!("{want_status} {want_reason} {want_evidence}"),
                            format!("{} {} {evidence}", row.status, code),
                            row.reason,
                            row.evidence_url
                        ));
                    }
                }
            }
        }
    }
    for county in matrix.keys() {
        if !expected.contains_key(county) {
            mismatches.push(format!("{county}: unexpected county in matrix.csv"));
        }
    }
    mismatches.extend(link_claims::check(&out_dir, &matrix));
    if !mismatches.is_empty() {
        eprintln!(
            "\n{} of {total} verdicts differ from expected.csv:\n{:<8} {:<26} {:<34} {:<34} reason / evidence\n{}",
            mismatches.len(),
            "county",
            "item",
            "expected",
            "got",
            mismatches.join("\n")
        );
        eprintln!("--- govcheck stderr (tail)\n{}", tail(&stderr, 40));
        panic!(
            "{} of {total} verdicts differ from the fixtures' expected.csv",
            mismatches.len()
        );
    }
    drop(servers);
}

/// Every reason that says a page links something, checked against that
/// page's links as captured in the run's archive and parsed as the crawl
/// parsed them.
mod link_claims {
    use super::Row;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// A captured page's links: (text, URL without fragment).
    type Links = Vec<(String, String)>;

    fn without_fragment(url: &url::Url) -> String {
        let mut u = url.clone();
        u.set_fragment(None);
        u.to_string()
    }

    fn squeeze(text: &str) -> String {
        text.split_whitespace().collect()
    }

    /// Each claim of a reason: (the link's text, the page said to carry
    /// it: `Some(url)` named, `None` for the homepage), plus whether it is
    /// a homepage claim.
    fn claims(reason: &str) -> Vec<(String, Option<String>, bool)> {
        let re = regex::Regex::new(r"the (homepage )?link 「([^」]*)」(?: on (\S+))?").unwrap();
        re.captures_iter(reason)
            .map(|c| {
                (
                    c[2].to_string(),
                    c.get(3).map(|m| m.as_str().to_string()),
                    c.get(1).is_some(),
                )
            })
            .collect()
    }

    /// The problems found, one line each.
    pub fn check(run_dir: &Path, matrix: &BTreeMap<String, BTreeMap<String, Row>>) -> Vec<String> {
        // Captured pages by URL, and each site's homepage captures (the
        // depth-0 fetches of pages.jsonl: the homepage and its redirects).
        let mut pages: BTreeMap<String, Links> = BTreeMap::new();
        for c in govcheck::evidence::archive::captured(run_dir).expect("archive readable") {
            let ct = c
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone());
            let page = govcheck::page::parse(&c.url, c.status, ct.as_deref(), &c.body);
            let links = page
                .links
                .iter()
                .map(|l| (squeeze(&l.text), without_fragment(&l.url)))
                .collect();
            pages.insert(without_fragment(&c.url), links);
        }
        let mut homes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // Each fetched page's final URL → the URLs that led to it (the one
        // asked for and every redirect on the way).
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let log = std::fs::read_to_string(run_dir.join("pages.jsonl")).expect("pages.jsonl");
        for line in log.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("pages.jsonl line");
            let parse = |u: &serde_json::Value| {
                u.as_str()
                    .and_then(|u| url::Url::parse(u).ok())
                    .map(|u| without_fragment(&u))
            };
            if let Some(last) = parse(&v["final_url"]).or_else(|| parse(&v["url"])) {
                let entry = aliases.entry(last.clone()).or_default();
                entry.push(last);
                entry.extend(parse(&v["url"]));
                if let Some(hops) = v["redirects"].as_array() {
                    entry.extend(hops.iter().filter_map(|h| parse(&h["url"])));
                }
            }
            if v["depth"].as_u64() == Some(0) {
                let county = v["county"].as_str().unwrap_or_default().to_string();
                for key in ["url", "final_url"] {
                    if let Some(u) = v[key].as_str().and_then(|u| url::Url::parse(u).ok()) {
                        homes
                            .entry(county.clone())
                            .or_default()
                            .push(without_fragment(&u));
                    }
                }
            }
        }
        let mut problems = Vec::new();
        let mut checked = 0;
        for (county, rows) in matrix {
            for (item, row) in rows {
                for (text, on, homepage) in claims(&row.reason) {
                    checked += 1;
                    let want = squeeze(&text);
                    let carries = |page: &str, target: Option<&str>| {
                        pages.get(page).is_some_and(|links| {
                            links
                                .iter()
                                .any(|(t, u)| *t == want && target.is_none_or(|x| x == u))
                        })
                    };
                    let evidence = url::Url::parse(&row.evidence_url)
                        .map(|u| without_fragment(&u))
                        .unwrap_or_default();
                    let ok = if homepage {
                        homes
                            .get(county)
                            .is_some_and(|hs| hs.iter().any(|h| carries(h, None)))
                    } else if let Some(on) = &on {
                        carries(on, None)
                    } else {
                        // The page the evidence names carries it (an
                        // external link), or some captured page of the
                        // site links the evidence by that text (a dead end).
                        let targets = aliases
                            .get(&evidence)
                            .cloned()
                            .unwrap_or_else(|| vec![evidence.clone()]);
                        carries(&evidence, None)
                            || pages.keys().any(|p| {
                                p.starts_with(&row.site)
                                    && targets.iter().any(|t| carries(p, Some(t.as_str())))
                            })
                    };
                    if !ok {
                        let place = if homepage {
                            "the captured homepage".to_string()
                        } else {
                            on.clone().unwrap_or_else(|| "no captured page".into())
                        };
                        problems.push(format!(
                            "{county:<8} {item:<26} claims a link 「{text}」 that {place} does not have: {}",
                            row.reason
                        ));
                    }
                }
            }
        }
        assert!(
            checked > 0,
            "no reason claims a link: the check checks nothing"
        );
        problems
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
