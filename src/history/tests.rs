//! The history store against real SQLite files in temporary directories:
//! schema upgrades, recording and reading runs, diffs, item history,
//! overrides, crash recovery, site twins and two handles on one file.

use super::*;
use chrono::{Duration as Days, TimeZone};
use tempfile::TempDir;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 3, day, 10, 0, 0).unwrap()
}

fn run(dir: &str, started: DateTime<Utc>) -> RunRow {
    RunRow {
        id: 0,
        run_dir: dir.to_string(),
        campaign: "黑河市政务诚信第三方评价".to_string(),
        rubric_version: "heihe 2023".to_string(),
        tool_version: "0.1.0".to_string(),
        started,
        finished: None,
        state: RunState::Complete, // ignored by begin_run
    }
}

fn site(county: &str, url: &str) -> SiteRow {
    SiteRow {
        county: county.to_string(),
        url: url.to_string(),
        pages_fetched: 12,
        outcome_json: r#"{"start":"ok"}"#.to_string(),
    }
}

fn finding(item: &str, status: &str, sha: Option<&str>) -> FindingRow {
    FindingRow {
        item: item.to_string(),
        status: status.to_string(),
        reason_code: if status == "pass" {
            "found"
        } else {
            "not_found"
        }
        .to_string(),
        reason: String::new(),
        evidence_sha256: sha.map(str::to_string),
        ..FindingRow::default()
    }
}

fn fresh() -> (TempDir, History) {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(&dir.path().join("nested/dir/govcheck.sqlite")).unwrap();
    (dir, history)
}

/// A complete run of `sites`, each `(county, url, findings)`.
fn complete_run(
    h: &History,
    dir: &str,
    started: DateTime<Utc>,
    sites: &[(&str, &str, Vec<FindingRow>)],
) -> i64 {
    let id = h.begin_run(run(dir, started)).unwrap();
    for (county, url, findings) in sites {
        h.record_site(id, site(county, url), findings).unwrap();
    }
    h.finish_run(id, started + Days::hours(1), true).unwrap();
    id
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn migrations_apply_once_and_a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/govcheck.sqlite");
    let h = History::open(&path).unwrap();
    assert_eq!(user_version(&path), schema::LATEST);
    let journal: String = h
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = h
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let id = complete_run(
        &h,
        "runs/1",
        at(1),
        &[(
            "爱辉区",
            "http://www.aihui.gov.cn/",
            vec![finding("3", "pass", Some("aa"))],
        )],
    );
    drop(h);

    // Reopening applies nothing twice and keeps the data.
    let h = History::open(&path).unwrap();
    assert_eq!(user_version(&path), schema::LATEST);
    assert_eq!(h.findings_of_run(id).unwrap().len(), 1);
    drop(h);

    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", schema::LATEST + 1)
        .unwrap();
    let err = format!(
        "{:#}",
        anyhow::Error::from(History::open(&path).err().expect("newer schema refused"))
    );
    assert!(err.contains("newer than this govcheck"), "{err}");
}

#[test]
fn default_path_is_the_env_var_or_beside_the_runs() {
    assert_eq!(
        db_path_from(Some("/var/lib/govcheck.sqlite".into())),
        PathBuf::from("/var/lib/govcheck.sqlite")
    );
    let fallback = PathBuf::from("runs/govcheck.sqlite");
    assert_eq!(db_path_from(Some("".into())), fallback);
    assert_eq!(db_path_from(None), fallback);
    // Whatever the environment says, it is one of the two.
    let actual = default_db_path();
    assert!(
        actual == fallback
            || Some(actual.as_os_str()) == std::env::var_os("GOVCHECK_DB").as_deref()
    );
}

#[test]
fn a_run_is_recorded_and_read_back() {
    let (_dir, h) = fresh();
    let id = h.begin_run(run("runs/20230301T100000Z", at(1))).unwrap();
    let started = h.run_by_id(id).unwrap().unwrap();
    assert_eq!(started.state, RunState::Running);
    assert_eq!(started.finished, None);

    let full = FindingRow {
        item: "7.guide".into(),
        status: "pass".into(),
        reason_code: "found".into(),
        reason: "标题《2023年政府信息公开指南》".into(),
        evidence_url: Some("http://www.aihui.gov.cn/zwgk/zn.html".into()),
        evidence_sha256: Some("ab".repeat(32)),
        published: Some("2023-01-05".into()),
        fetched_at: Some(at(1) + Days::minutes(3)),
        snapshot: Some("snapshots/ab12.html".into()),
        warc_file: Some("archive/run-00000.warc.gz".into()),
        warc_record_id: Some("<urn:uuid:0b5e1c2a-1111-4222-8333-444455556666>".into()),
        warc_offset: Some(4096),
        warc_length: Some(1234),
        etag: Some("\"5f-1a\"".into()),
        last_modified: Some("Thu, 05 Jan 2023 08:00:00 GMT".into()),
        evidence_title: Some("爱辉区政府信息公开指南".into()),
        excerpt: Some("政府信息公开指南".into()),
    };
    let failed = FindingRow {
        reason: "budget spent".into(),
        ..finding("21.debt", "inconclusive", None)
    };
    h.record_site(
        id,
        site("爱辉区", "http://www.aihui.gov.cn/"),
        &[full.clone(), failed.clone()],
    )
    .unwrap();
    h.record_site(
        id,
        site("孙吴县", "http://www.sunwu.gov.cn/"),
        &[finding("3", "fail", None)],
    )
    .unwrap();
    // A second pass over 爱辉区 replaces its row and findings.
    let retried = FindingRow {
        reason_code: "found".into(),
        ..finding("21.debt", "pass", Some("cd"))
    };
    let mut again = site("爱辉区", "https://www.aihui.gov.cn/");
    again.pages_fetched = 30;
    h.record_site(id, again.clone(), &[full.clone(), retried.clone()])
        .unwrap();
    h.finish_run(id, at(1) + Days::hours(2), true).unwrap();

    let back = h.run_by_dir("runs/20230301T100000Z").unwrap().unwrap();
    assert_eq!(back.id, id);
    assert_eq!(back.state, RunState::Complete);
    assert_eq!(back.started, at(1));
    assert_eq!(back.finished, Some(at(1) + Days::hours(2)));
    assert_eq!(back.campaign, "黑河市政务诚信第三方评价");
    assert_eq!(h.run_by_dir("runs/elsewhere").unwrap(), None);
    assert_eq!(h.run_by_id(id + 100).unwrap(), None);

    assert_eq!(
        h.findings_of_run(id).unwrap(),
        vec![
            ("孙吴县".to_string(), finding("3", "fail", None)),
            ("爱辉区".to_string(), retried),
            ("爱辉区".to_string(), full),
        ]
    );
    assert_eq!(
        h.sites_of_run(id).unwrap(),
        vec![site("孙吴县", "http://www.sunwu.gov.cn/"), again]
    );
    assert_eq!(h.last_complete_runs(5).unwrap(), vec![back]);

    // One finding per site × item; a bad status is refused, whole.
    let err = h
        .record_site(
            id,
            site("逊克县", "http://www.xunke.gov.cn/"),
            &[finding("3", "pass", None), finding("4", "maybe", None)],
        )
        .unwrap_err();
    assert!(format!("{err:#}").contains("item 4 (maybe)"), "{err:#}");
    assert_eq!(h.sites_of_run(id).unwrap().len(), 2, "rolled back");
    assert!(h
        .record_site(
            id,
            site("逊克县", "x"),
            &[finding("3", "pass", None), finding("3", "fail", None)]
        )
        .is_err());
    assert!(
        h.record_site(id + 100, site("逊克县", "x"), &[]).is_err(),
        "no such run"
    );
    assert!(h.finish_run(id + 100, at(2), true).is_err());
}

#[test]
fn a_run_is_resumed_by_its_directory_but_a_complete_one_is_not() {
    let (_dir, h) = fresh();
    let id = h.begin_run(run("runs/a", at(1))).unwrap();
    h.record_site(
        id,
        site("北安市", "http://www.bei-an.gov.cn/"),
        &[finding("3", "pass", None)],
    )
    .unwrap();
    h.finish_run(id, at(1) + Days::hours(1), false).unwrap();
    assert_eq!(
        h.run_by_id(id).unwrap().unwrap().state,
        RunState::Incomplete
    );

    assert_eq!(h.begin_run(run("runs/a", at(2))).unwrap(), id);
    let resumed = h.run_by_id(id).unwrap().unwrap();
    assert_eq!((resumed.state, resumed.finished), (RunState::Running, None));
    assert_eq!(resumed.started, at(1), "a resume keeps the start time");
    assert_eq!(
        h.sites_of_run(id).unwrap().len(),
        1,
        "keeps what it recorded"
    );

    h.finish_run(id, at(2), true).unwrap();
    let err = h.begin_run(run("runs/a", at(3))).unwrap_err();
    assert!(err.to_string().contains("already complete"), "{err}");
}

#[test]
fn a_diff_shows_status_and_evidence_changes_and_counts_regressions() {
    let (_dir, h) = fresh();
    let url = "http://www.aihui.gov.cn/";
    let a = complete_run(
        &h,
        "runs/a",
        at(1),
        &[
            (
                "爱辉区",
                url,
                vec![
                    finding("3", "pass", Some("aa")),
                    finding("4", "pass", Some("bb")),
                    finding("8", "fail", None),
                    finding("9", "pass", Some("cc")),
                    finding("21.debt", "inconclusive", None),
                ],
            ),
            (
                "孙吴县",
                "http://www.sunwu.gov.cn/",
                vec![finding("3", "pass", Some("dd"))],
            ),
        ],
    );
    let b = complete_run(
        &h,
        "runs/b",
        at(2),
        &[
            (
                "爱辉区",
                url,
                vec![
                    finding("3", "fail", None),               // regression
                    finding("4", "pass", Some("b2")),         // new evidence
                    finding("8", "pass", Some("ee")),         // improvement
                    finding("9", "pass", Some("cc")),         // unchanged
                    finding("21.debt", "inconclusive", None), // unchanged
                    finding("10.education", "fail", None),    // new item
                ],
            ),
            (
                "孙吴县",
                "http://www.sunwu.gov.cn/",
                vec![finding("3", "fail", None)],
            ), // regression
        ],
    );
    let changes = h.diff(a, b).unwrap();
    let keys: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c.county.as_str(), c.item.as_str()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("孙吴县", "3"),
            ("爱辉区", "10.education"),
            ("爱辉区", "3"),
            ("爱辉区", "4"),
            ("爱辉区", "8"),
        ]
    );
    assert_eq!(changes[1].before, None);
    assert_eq!(changes[2].before, Some(finding("3", "pass", Some("aa"))));
    assert_eq!(changes[2].after, Some(finding("3", "fail", None)));
    assert!(changes[2].is_regression());
    assert!(!changes[4].is_regression(), "fail → pass is no regression");
    assert_eq!(regressions(&changes), 2);

    // The other way round, the improvements are the regressions.
    let back = h.diff(b, a).unwrap();
    assert_eq!(regressions(&back), 1);
    assert!(back[1].after.is_none(), "10.education is gone in run a");
    assert!(h.diff(a, a).unwrap().is_empty());
}

#[test]
fn item_history_counts_flips_and_first_and_last_pass_over_complete_runs() {
    let (_dir, h) = fresh();
    let url = "http://www.nenjiang.gov.cn/";
    // Day by day: item 3 goes fail, pass, inconclusive, pass, fail, pass;
    // item 8 always fails. Day 4 is incomplete and does not count.
    let statuses = [
        "fail",
        "pass",
        "inconclusive",
        "fail",
        "pass",
        "fail",
        "pass",
    ];
    for (i, status) in statuses.iter().enumerate() {
        let day = i as u32 + 1;
        let dir = format!("runs/{day}");
        let findings = vec![finding("3", status, None), finding("8", "fail", None)];
        if day == 4 {
            let id = h.begin_run(run(&dir, at(day))).unwrap();
            h.record_site(id, site("嫩江市", url), &findings).unwrap();
            h.finish_run(id, at(day), false).unwrap();
        } else {
            complete_run(&h, &dir, at(day), &[("嫩江市", url, findings)]);
        }
    }
    complete_run(
        &h,
        "runs/other",
        at(9),
        &[(
            "逊克县",
            "http://xk.gov.cn",
            vec![finding("3", "pass", None)],
        )],
    );

    let all = h.item_history(Some("嫩江市"), None).unwrap();
    assert_eq!(
        all,
        vec![
            ItemHistory {
                county: "嫩江市".into(),
                item: "3".into(),
                first_pass: Some(at(2)),
                last_pass: Some(at(7)),
                // fail → pass (2), [inconclusive], pass → fail (6), fail → pass (7)
                flips: 3,
                runs: 6,
                current: "pass".into(),
            },
            ItemHistory {
                county: "嫩江市".into(),
                item: "8".into(),
                first_pass: None,
                last_pass: None,
                flips: 0,
                runs: 6,
                current: "fail".into(),
            },
        ]
    );
    let item3 = h.item_history(None, Some("3")).unwrap();
    assert_eq!(
        item3.iter().map(|h| h.county.as_str()).collect::<Vec<_>>(),
        vec!["嫩江市", "逊克县"]
    );
    assert_eq!(item3[1].runs, 1);
    assert_eq!(h.item_history(Some("逊克县"), Some("8")).unwrap(), vec![]);
    assert_eq!(h.item_history(None, None).unwrap().len(), 3);
}

#[test]
fn overrides_are_added_listed_superseded_and_removed() {
    let (_dir, h) = fresh();
    let o = |item: &str, status: &str, note: &str, day: u32| OverrideRow {
        id: 0,
        county: "五大连池市".into(),
        item: item.into(),
        status: status.into(),
        note: note.into(),
        evidence_url: Some("http://www.wdlc.gov.cn/zwgk/2023.html".into()),
        who: "张三".into(),
        created: at(day),
        removed: None,
    };
    let first = h
        .add_override(o("7.guide", "pass", "published in print", 1))
        .unwrap();
    let debt = h
        .add_override(o("21.debt", "fail", "report is 2021's", 1))
        .unwrap();
    let second = h
        .add_override(o("7.guide", "fail", "print copy withdrawn", 2))
        .unwrap();
    assert_ne!(first, second);

    let active = h.active_overrides().unwrap();
    assert_eq!(
        active,
        vec![
            OverrideRow {
                id: debt,
                ..o("21.debt", "fail", "report is 2021's", 1)
            },
            OverrideRow {
                id: second,
                ..o("7.guide", "fail", "print copy withdrawn", 2)
            },
        ]
    );
    let superseded: (String, String) = h
        .conn()
        .query_row(
            "SELECT removed, removed_by FROM overrides WHERE id = ?1",
            [first],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(superseded, (ts(&at(2)), "张三".to_string()));

    assert!(h.remove_override("五大连池市", "7.guide", "李四").unwrap());
    assert!(
        !h.remove_override("五大连池市", "7.guide", "李四").unwrap(),
        "already gone"
    );
    assert!(
        !h.remove_override("爱辉区", "21.debt", "李四").unwrap(),
        "other county"
    );
    assert_eq!(h.active_overrides().unwrap().len(), 1);
    assert!(h.add_override(o("3", "inconclusive", "?", 3)).is_err());
}

#[test]
fn a_run_left_running_by_a_killed_process_becomes_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("govcheck.sqlite");
    let done = {
        let h = History::open(&path).unwrap();
        let done = complete_run(&h, "runs/done", at(1), &[]);
        let id = h.begin_run(run("runs/killed", at(2))).unwrap();
        h.record_site(
            id,
            site("爱辉区", "http://www.aihui.gov.cn/"),
            &[finding("3", "pass", None)],
        )
        .unwrap();
        // The process dies here: no finish_run.
        done
    };
    let h = History::open(&path).unwrap();
    assert_eq!(h.mark_incomplete_stale_runs().unwrap(), 1);
    let killed = h.run_by_dir("runs/killed").unwrap().unwrap();
    assert_eq!(
        (killed.state, killed.finished),
        (RunState::Incomplete, None)
    );
    assert_eq!(
        h.findings_of_run(killed.id).unwrap().len(),
        1,
        "what it recorded stays"
    );
    assert_eq!(
        h.run_by_id(done).unwrap().unwrap().state,
        RunState::Complete
    );
    assert_eq!(h.mark_incomplete_stale_runs().unwrap(), 0);
    assert_eq!(h.last_complete_runs(10).unwrap().len(), 1);
}

#[test]
fn site_keys_ignore_scheme_www_and_trailing_slash() {
    for twin in [
        "http://www.aihui.gov.cn/",
        "https://www.aihui.gov.cn",
        "https://AIHUI.gov.cn/",
        "www.aihui.gov.cn",
        " aihui.gov.cn// ",
    ] {
        assert_eq!(site_key(twin), "aihui.gov.cn", "{twin}");
    }
    assert_eq!(
        site_key("http://127.0.0.1:8080/site/"),
        "127.0.0.1:8080/site"
    );
    assert_eq!(
        site_key("http://127.0.0.1:8081/site/"),
        "127.0.0.1:8081/site"
    );
    assert_eq!(
        site_key("https://aihui.gov.cn/index.php?id=3"),
        "aihui.gov.cn/index.php?id=3"
    );
    assert_ne!(
        site_key("http://wwwx.gov.cn/"),
        site_key("http://x.gov.cn/")
    );
}

#[test]
fn last_findings_for_a_url_come_from_the_newest_complete_run_of_its_twins() {
    let (_dir, h) = fresh();
    assert_eq!(
        h.last_findings_for_url("http://www.aihui.gov.cn/").unwrap(),
        None
    );
    complete_run(
        &h,
        "runs/1",
        at(1),
        &[(
            "爱辉区",
            "http://www.aihui.gov.cn/",
            vec![finding("3", "fail", None)],
        )],
    );
    let newest = complete_run(
        &h,
        "runs/2",
        at(2),
        &[
            (
                "爱辉区",
                "https://aihui.gov.cn",
                vec![finding("3", "pass", Some("aa")), finding("4", "fail", None)],
            ),
            (
                "孙吴县",
                "http://www.sunwu.gov.cn/",
                vec![finding("3", "pass", None)],
            ),
        ],
    );
    // Newer, but incomplete: not a base for a recheck.
    let id = h.begin_run(run("runs/3", at(3))).unwrap();
    h.record_site(
        id,
        site("爱辉区", "http://aihui.gov.cn/"),
        &[finding("3", "inconclusive", None)],
    )
    .unwrap();
    h.finish_run(id, at(3), false).unwrap();

    for twin in [
        "http://www.aihui.gov.cn/",
        "https://www.aihui.gov.cn",
        "aihui.gov.cn/",
    ] {
        let (run, findings) = h.last_findings_for_url(twin).unwrap().expect(twin);
        assert_eq!(run.id, newest, "{twin}");
        assert_eq!(run.run_dir, "runs/2");
        assert_eq!(
            findings,
            vec![finding("3", "pass", Some("aa")), finding("4", "fail", None)]
        );
    }
    assert_eq!(
        h.last_findings_for_url("http://www.heihe.gov.cn/").unwrap(),
        None
    );
}

#[test]
fn two_handles_and_several_threads_share_one_database() {
    fn shareable<T: Send + Sync>() {}
    shareable::<History>();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite");
    let a = History::open(&path).unwrap();
    let b = History::open(&path).unwrap();
    let ra = a.begin_run(run("runs/a", at(1))).unwrap();
    let rb = b.begin_run(run("runs/b", at(2))).unwrap();
    a.record_site(
        ra,
        site("爱辉区", "http://www.aihui.gov.cn/"),
        &[finding("3", "pass", None)],
    )
    .unwrap();
    b.record_site(
        rb,
        site("爱辉区", "http://www.aihui.gov.cn/"),
        &[finding("3", "fail", None)],
    )
    .unwrap();
    a.finish_run(ra, at(1), true).unwrap();
    b.finish_run(rb, at(2), true).unwrap();
    // Each sees the other's writes.
    assert_eq!(regressions(&a.diff(ra, rb).unwrap()), 1);
    assert_eq!(b.last_complete_runs(2).unwrap().len(), 2);

    // Writers on separate connections (fresh file, so the migration races
    // too) wait for each other instead of failing with SQLITE_BUSY.
    let path = dir.path().join("race.sqlite");
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                let h = History::open(&path).unwrap();
                for i in 0..10 {
                    let id = h.begin_run(run(&format!("runs/{t}-{i}"), at(1))).unwrap();
                    let findings: Vec<_> = (0..17)
                        .map(|n| finding(&n.to_string(), "pass", Some("aa")))
                        .collect();
                    h.record_site(id, site("爱辉区", "http://www.aihui.gov.cn/"), &findings)
                        .unwrap();
                    h.finish_run(id, at(1), true).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let h = History::open(&path).unwrap();
    assert_eq!(h.last_complete_runs(100).unwrap().len(), 40);
    assert_eq!(h.item_history(None, Some("3")).unwrap()[0].runs, 40);
}

#[test]
fn a_forgotten_run_leaves_its_directory_free_and_keeps_the_overrides() {
    let (_dir, h) = fresh();
    let id = complete_run(
        &h,
        "runs/a",
        at(1),
        &[(
            "北安市",
            "http://www.hljba.gov.cn/",
            vec![finding("3", "pass", None)],
        )],
    );
    h.add_override(OverrideRow {
        id: 0,
        county: "北安市".into(),
        item: "3".into(),
        status: "fail".into(),
        note: "n".into(),
        evidence_url: None,
        who: "w".into(),
        created: at(2),
        removed: None,
    })
    .unwrap();
    h.forget_run(id).unwrap();
    assert_eq!(h.run_by_dir("runs/a").unwrap(), None);
    assert!(h.findings_of_run(id).unwrap().is_empty());
    assert_eq!(h.active_overrides().unwrap().len(), 1);
    assert!(h.forget_run(id).is_err(), "gone already");
    let again = h.begin_run(run("runs/a", at(3))).unwrap();
    assert!(h.sites_of_run(again).unwrap().is_empty(), "a fresh start");
    assert_eq!(h.run_by_id(again).unwrap().unwrap().started, at(3));
}

#[test]
fn previous_verdicts_come_per_county_from_the_newest_earlier_complete_run_of_the_rubric() {
    let (_dir, h) = fresh();
    let override_at = |item: &str, status: &str, created: DateTime<Utc>| OverrideRow {
        id: 0,
        county: "北安市".into(),
        item: item.into(),
        status: status.into(),
        note: "seen by hand".into(),
        evidence_url: None,
        who: "张三".into(),
        created,
        removed: None,
    };
    let first = complete_run(
        &h,
        "runs/a",
        at(1),
        &[(
            "北安市",
            "http://www.bei-an.gov.cn/",
            vec![finding("3", "pass", None), finding("4", "fail", None)],
        )],
    );
    // In force when runs a and b finished: it stands for their verdict.
    h.add_override(override_at("4", "pass", at(1) + Days::minutes(30)))
        .unwrap();
    complete_run(
        &h,
        "runs/b",
        at(2),
        &[
            (
                "北安市",
                "http://www.bei-an.gov.cn/",
                vec![finding("3", "pass", None), finding("4", "fail", None)],
            ),
            (
                "孙吴县",
                "http://www.sunwu.gov.cn/",
                vec![finding("3", "fail", None)],
            ),
        ],
    );
    // Made after run b finished: not how run b scored.
    h.add_override(override_at("3", "fail", at(2) + Days::hours(2)))
        .unwrap();
    // A one-site check of 孙吴县 is its newest earlier verdict.
    complete_run(
        &h,
        "runs/c",
        at(3),
        &[(
            "孙吴县",
            "http://www.sunwu.gov.cn/",
            vec![finding("3", "pass", None)],
        )],
    );
    // Another rubric, and an unfinished run: neither counts.
    let other_rubric = h
        .begin_run(RunRow {
            rubric_version: "heihe 2024".into(),
            ..run("runs/d", at(4))
        })
        .unwrap();
    h.record_site(
        other_rubric,
        site("北安市", "http://www.bei-an.gov.cn/"),
        &[finding("3", "fail", None)],
    )
    .unwrap();
    h.finish_run(other_rubric, at(4) + Days::hours(1), true)
        .unwrap();
    let unfinished = h.begin_run(run("runs/e", at(4))).unwrap();
    h.record_site(
        unfinished,
        site("北安市", "http://www.bei-an.gov.cn/"),
        &[finding("3", "fail", None)],
    )
    .unwrap();
    h.finish_run(unfinished, at(4) + Days::hours(1), false)
        .unwrap();
    let current = h.begin_run(run("runs/f", at(5))).unwrap();

    let pair = |item: &str, status: &str| (item.to_string(), status.to_string());
    assert_eq!(
        h.previous_verdicts(current).unwrap(),
        vec![
            PreviousVerdicts {
                county: "北安市".into(),
                run_started: at(2),
                statuses: vec![pair("3", "pass"), pair("4", "pass")],
            },
            PreviousVerdicts {
                county: "孙吴县".into(),
                run_started: at(3),
                statuses: vec![pair("3", "pass")],
            },
        ]
    );
    assert_eq!(
        h.previous_verdicts(first).unwrap(),
        vec![],
        "nothing before"
    );
}
