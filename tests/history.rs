//! Memory across runs: two demo runs over a fixture site with a page
//! removed in between; `diff` reports the regression with its exit code,
//! `history` shows the flip, and an override shows in the next run's
//! matrix and scores.

mod common;
use common::{copy_dir, warcio_checks};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct World {
    _tmp: tempfile::TempDir,
    fixtures: PathBuf,
    db: PathBuf,
    root: PathBuf,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = tmp.path().join("sites");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites/beian"),
        &fixtures.join("beian"),
    );
    World {
        fixtures,
        db: tmp.path().join("history.sqlite"),
        root: tmp.path().to_path_buf(),
        _tmp: tmp,
    }
}

fn govcheck(world: &World, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .args(args)
        .arg("--db")
        .arg(&world.db)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .unwrap()
}

fn demo(world: &World, name: &str) -> PathBuf {
    let out = world.root.join(name);
    let fixtures = world.fixtures.to_string_lossy().into_owned();
    let dir = out.to_string_lossy().into_owned();
    let result = govcheck(
        world,
        &["demo", "--quiet", "--fixtures", &fixtures, "--out", &dir],
    );
    assert!(
        matches!(result.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

fn status_of(run: &Path, item: &str) -> (String, Vec<String>) {
    let bytes = std::fs::read(run.join("matrix.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    for row in rdr.records() {
        let row = row.unwrap();
        if &row[2] == item {
            return (row[4].to_string(), row.iter().map(String::from).collect());
        }
    }
    panic!("no row for {item} in {header:?}");
}

#[test]
fn a_removed_report_is_a_regression_and_overrides_hold_across_runs() {
    let world = world();
    let first = demo(&world, "run1");
    assert_eq!(status_of(&first, "9").0, "pass");

    // The county takes its 2022 annual report down.
    let report = walk(&world.fixtures)
        .into_iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("<meta name=\"ArticleTitle\" content=\"北安市人民政府2022年政府信息公开工作年度报告")))
        .expect("the fixture holds the county's 2022 annual report");
    std::fs::remove_file(report).unwrap();
    let second = demo(&world, "run2");
    assert_ne!(status_of(&second, "9").0, "pass");

    let diff = govcheck(&world, &["diff"]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(3), "{text}");
    assert!(
        text.contains("REGRESSION") && text.contains("北安市"),
        "{text}"
    );
    assert!(
        text.contains("snapshots/"),
        "diff links the earlier snapshot: {text}"
    );

    let history = govcheck(&world, &["history", "--county", "北安市", "--item", "9"]);
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(history.status.success(), "{text}");
    assert!(
        text.contains("北安市") && text.contains(" 1 "),
        "one flip recorded: {text}"
    );

    // A county the history never checked takes no override (a typo would
    // otherwise sit unused forever).
    let unknown = govcheck(
        &world,
        &[
            "override", "--county", "北安", "--item", "9", "--status", "pass", "--note", "x",
        ],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no complete run"));

    // The evaluator checked by hand and found the report elsewhere.
    let set = govcheck(
        &world,
        &[
            "override",
            "--county",
            "北安市",
            "--item",
            "9",
            "--status",
            "pass",
            "--note",
            "年报 found under 部门信息公开 by hand",
            "--who",
            "evaluator-1",
        ],
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let third = demo(&world, "run3");
    let (machine, row) = status_of(&third, "9");
    assert_ne!(
        machine, "pass",
        "the status column stays the machine's verdict"
    );
    assert_eq!(row[16], "pass", "override_status");
    assert!(row[17].contains("by hand"));
    assert!(row[18].starts_with("evaluator-1"));
    assert_eq!(row[5], "4", "the score follows the override");
    let report = std::fs::read_to_string(third.join("report.html")).unwrap();
    assert!(report.contains("pass (override)"));

    let removed = govcheck(
        &world,
        &["override", "--county", "北安市", "--item", "9", "--remove"],
    );
    assert!(removed.status.success());
    let fourth = demo(&world, "run4");
    assert_eq!(status_of(&fourth, "9").1[16], "");
}

#[test]
fn two_runs_never_share_a_database() {
    let world = world();
    // Hold the database's lock as a running crawl would.
    let mut lock_name = world.db.as_os_str().to_owned();
    lock_name.push(".lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_name)
        .unwrap();
    lock.try_lock().unwrap();
    let fixtures = world.fixtures.to_string_lossy().into_owned();
    let dir = world.root.join("run");
    let dir_arg = dir.to_string_lossy().into_owned();
    // The second run still produces its run directory, unrecorded, and
    // says why.
    let out = govcheck(
        &world,
        &[
            "demo",
            "--quiet",
            "--fixtures",
            &fixtures,
            "--out",
            &dir_arg,
        ],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Under --quiet, in the warnings under the final table.
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("not recorded in the history") && summary.contains("another govcheck run"),
        "{summary}"
    );
    assert!(dir.join("matrix.csv").is_file());
    assert!(!world.db.exists(), "the busy database was not touched");
    // A resume cannot do without the history: it refuses.
    let targets = world.root.join("t.toml");
    std::fs::write(&targets, "[campaign]\nname = \"x\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n[[county]]\nname = \"北安市\"\nurl = \"http://127.0.0.1:9/\"\n").unwrap();
    let targets = targets.to_string_lossy().into_owned();
    let resume = govcheck(
        &world,
        &[
            "crawl",
            "--resume",
            "--quiet",
            "--targets",
            &targets,
            "--out",
            &dir_arg,
        ],
    );
    assert_eq!(resume.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&resume.stderr).contains("another govcheck run"));
    drop(lock);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `check` on a site crawled before looks at the earlier evidence first and
/// then only at links towards what it did not confirm: the same verdicts
/// from far fewer pages.
#[test]
fn a_recheck_confirms_the_last_run_with_far_fewer_pages() {
    let world = world();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let servers = rt
        .block_on(govcheck::serve::start_all(&world.fixtures))
        .unwrap();
    let site = &servers[0];
    let targets = world.root.join("targets.toml");
    std::fs::write(
        &targets,
        format!(
            "[campaign]\nname = \"recheck\"\nwindow_start = \"2022-07-01\"\nwindow_end = \"2023-06-30\"\n\n[[county]]\nname = \"{}\"\nurl = \"{}\"\n",
            site.name,
            site.url()
        ),
    )
    .unwrap();
    let (targets, full_dir, recheck_dir) = (
        targets.to_string_lossy().into_owned(),
        world.root.join("full").to_string_lossy().into_owned(),
        world.root.join("recheck").to_string_lossy().into_owned(),
    );
    let full = govcheck(
        &world,
        &[
            "crawl",
            "--quiet",
            "--rate",
            "0",
            "--targets",
            &targets,
            "--out",
            &full_dir,
        ],
    );
    assert!(
        matches!(full.status.code(), Some(0 | 2)),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    let recheck = govcheck(
        &world,
        &[
            "check",
            &site.url(),
            "--quiet",
            "--rate",
            "0",
            "--targets",
            &targets,
            "--out",
            &recheck_dir,
        ],
    );
    let table = String::from_utf8_lossy(&recheck.stdout);
    assert!(
        matches!(recheck.status.code(), Some(0 | 2)),
        "{table}{}",
        String::from_utf8_lossy(&recheck.stderr)
    );
    assert!(table.contains("changed since"), "{table}");
    assert!(table.contains("recheck of the run of"), "{table}");

    let pages = |dir: &str| {
        let run: serde_json::Value =
            serde_json::from_slice(&std::fs::read(Path::new(dir).join("run.json")).unwrap())
                .unwrap();
        run["sites"][0]["crawl"]["pages_fetched"].as_u64().unwrap()
    };
    let (full_pages, recheck_pages) = (pages(&full_dir), pages(&recheck_dir));
    let fetched = std::fs::read_to_string(Path::new(&recheck_dir).join("pages.jsonl")).unwrap();
    let fetched: Vec<String> = fetched
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{} <- {}", v["url"], v["found_via"]["text"])
        })
        .collect();
    assert!(
        recheck_pages * 2 < full_pages,
        "a recheck fetched {recheck_pages} pages, a full crawl {full_pages}:\n{}",
        fetched.join("\n")
    );
    // Same verdicts.
    for item in [
        "3",
        "4",
        "7.column",
        "7.guide",
        "7.catalogue",
        "8",
        "9",
        "10.tax_fee_cuts",
        "10.township_catalogue",
        "21.debt",
    ] {
        assert_eq!(
            status_of(Path::new(&full_dir), item).0,
            status_of(Path::new(&recheck_dir), item).0,
            "item {item}"
        );
    }
    assert!(!table.contains(" → "), "nothing changed: {table}");

    // The earlier evidence was revalidated with conditional GETs: the
    // fixture server answered 304, the verdicts rest on the earlier bytes,
    // archived as revisit records that `verify` follows to the first run.
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(Path::new(&recheck_dir).join("run.json")).unwrap())
            .unwrap();
    let not_modified = run["sites"][0]["crawl"]["pages_not_modified"]
        .as_u64()
        .unwrap();
    let revisits = std::fs::read_to_string(Path::new(&recheck_dir).join("pages.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            !v["not_modified"].is_null()
        })
        .count() as u64;
    assert!(not_modified >= 3, "{not_modified} pages answered 304");
    assert_eq!(not_modified, revisits);
    assert!(
        table.contains(&format!(
            "{not_modified} of them unchanged (304 Not Modified)"
        )),
        "{table}"
    );
    let (_, row) = status_of(Path::new(&recheck_dir), "9");
    let snapshot = std::fs::read_to_string(Path::new(&recheck_dir).join(&row[9])).unwrap();
    assert!(snapshot.contains("304 Not Modified: content as captured"));
    assert!(snapshot.contains("2022年政府信息公开工作年度报告"));
    let archives: Vec<PathBuf> = std::fs::read_dir(Path::new(&recheck_dir).join("archive"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    warcio_checks(&archives);
    let verify = Command::new(env!("CARGO_BIN_EXE_govcheck"))
        .args(["verify", &recheck_dir])
        .output()
        .unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    // The county edits its report page: the next recheck gets it in full
    // (200), and says the evidence changed while the verdict held.
    let (_, full_row) = status_of(Path::new(&full_dir), "9");
    let path = url::Url::parse(&full_row[8]).unwrap().path().to_string();
    let file = world
        .fixtures
        .join("beian")
        .join(path.trim_start_matches('/'));
    let html = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        html.replace("</body>", "<p>（2023年7月补充说明）</p></body>"),
    )
    .unwrap();
    let again_dir = world.root.join("again").to_string_lossy().into_owned();
    let again = govcheck(
        &world,
        &[
            "check",
            &site.url(),
            "--quiet",
            "--rate",
            "0",
            "--targets",
            &targets,
            "--out",
            &again_dir,
        ],
    );
    let table = String::from_utf8_lossy(&again.stdout);
    let line = table.lines().find(|l| l.starts_with("9 ")).unwrap();
    assert!(
        line.contains("pass") && line.contains("evidence edited"),
        "{table}"
    );
    let refetched = std::fs::read_to_string(Path::new(&again_dir).join("pages.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["url"].as_str() == Some(full_row[8].as_str()))
        .unwrap();
    assert_eq!(refetched["status"], 200);
    assert!(refetched["not_modified"].is_null());
    drop(servers);
}
