//! End to end: exchanges written through handles, read back by their
//! `RecordRef`s, checked against the index, and (when installed) verified
//! by `warcio`, the reference implementation replay tools build on.

use super::warc::sha256_hex;
use super::*;
use bytes::Bytes;
use chrono::{TimeZone, Utc};
use flate2::bufread::GzDecoder;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use url::Url;

fn hdrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn exchange(url: &str, status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Exchange {
    Exchange {
        url: Url::parse(url).unwrap(),
        fetched_at: Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap(),
        ip_address: Some("127.0.0.1".parse().unwrap()),
        request_headers: hdrs(&[("user-agent", "govcheck/test"), ("accept", "*/*")]),
        status,
        response_headers: hdrs(headers),
        body: Bytes::from(body),
        truncated: false,
        posted: None,
        rendered: None,
    }
}

/// Decompresses exactly one gzip member at `offset..offset+length` and
/// asserts nothing of the slice is left over.
fn member(archive: &[u8], offset: u64, length: u64) -> Vec<u8> {
    let slice = &archive[offset as usize..(offset + length) as usize];
    let mut decoder = GzDecoder::new(slice);
    let mut out = Vec::new();
    decoder.read_to_end(&mut out).unwrap();
    assert!(
        decoder.into_inner().is_empty(),
        "member longer than its gzip stream"
    );
    out
}

fn header<'a>(record: &'a [u8], name: &str) -> Option<&'a str> {
    let end = record.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    std::str::from_utf8(&record[..end])
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

fn warcio_available() -> bool {
    Command::new("python3")
        .args(["-c", "import warcio"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn warcio(args: &[&str], files: &[&Path]) -> String {
    let out = Command::new("python3")
        .args(["-m", "warcio.cli"])
        .args(args)
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "warcio {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test]
async fn exchanges_round_trip_and_pass_warcio() {
    let dir = tempfile::tempdir().unwrap();
    let info = WarcInfo {
        campaign: "黑河市政务诚信第三方评价".into(),
        rubric_version: "heihe-2023".into(),
        user_agent: "govcheck/test (+https://example.org/contact)".into(),
        operator: "credit office <ops@example.org>".into(),
        extra: vec![("robots".into(), "obey".into())],
    };
    let writer = WarcWriter::create(dir.path(), "20230328T100000Z", info)
        .unwrap()
        .with_max_file_bytes(1500);
    let handle = writer.spawn();

    let (gbk, _, _) = encoding_rs::GBK.encode("<title>爱辉区政府信息公开年度报告 2022年</title>");
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    pdf.extend((0..=255u8).cycle().take(3000));
    pdf.extend_from_slice(b"\n%%EOF\n");
    let exchanges = [
        exchange(
            "http://www.aihui.gov.cn/",
            200,
            &[
                ("content-type", "text/html; charset=utf-8"),
                ("content-encoding", "gzip"),
                ("content-length", "17"),
            ],
            "<p>政务公开</p>".as_bytes().to_vec(),
        ),
        exchange(
            "http://www.aihui.gov.cn/zwgk/ndbg/2022.html",
            200,
            &[
                ("content-type", "text/html"),
                ("transfer-encoding", "chunked"),
            ],
            gbk.into_owned(),
        ),
        exchange(
            "http://www.aihui.gov.cn/files/报告.pdf",
            200,
            &[("content-type", "application/pdf")],
            pdf,
        ),
        exchange(
            "http://aihui.gov.cn/old",
            301,
            &[("location", "http://www.aihui.gov.cn/")],
            Vec::new(),
        ),
    ];
    let mut truncated = exchanges[2].clone();
    truncated.url = Url::parse("http://www.aihui.gov.cn/files/big.pdf").unwrap();
    truncated.truncated = true;

    // Several handles at once: records must still come out whole.
    let tasks: Vec<_> = exchanges
        .iter()
        .cloned()
        .chain([truncated])
        .map(|ex| {
            let handle = handle.clone();
            tokio::spawn(async move { handle.write_exchange(ex).await.unwrap() })
        })
        .collect();
    let mut refs = Vec::new();
    for task in tasks {
        refs.push(task.await.unwrap());
    }
    let shot = handle
        .write_resource(Resource {
            target_uri: "urn:govcheck:snapshot:abc".into(),
            date: Utc::now(),
            content_type: "text/html; charset=utf-8".into(),
            body: Bytes::from_static("<p>快照</p>".as_bytes()),
            refers_to: Some(refs[1].record_id.clone()),
        })
        .await
        .unwrap();
    let meta = handle
        .write_metadata(Metadata {
            target_uri: "http://www.aihui.gov.cn/".into(),
            date: Utc::now(),
            refers_to: Some(refs[0].record_id.clone()),
            fields: hdrs(&[("tls-unverified", "true")]),
        })
        .await
        .unwrap();
    let late = handle.clone();
    handle.finish().await.unwrap();
    assert!(late.write_exchange(exchanges[0].clone()).await.is_err());

    // Each reference is the response member; the request member follows it.
    for (ex, r) in exchanges.iter().zip(&refs) {
        let archive = std::fs::read(dir.path().join(&r.file)).unwrap();
        let record = member(&archive, r.offset, r.length);
        assert_eq!(header(&record, "WARC-Type"), Some("response"));
        assert_eq!(
            header(&record, "WARC-Record-ID"),
            Some(r.record_id.as_str())
        );
        assert_eq!(header(&record, "WARC-Target-URI"), Some(ex.url.as_str()));
        assert_eq!(header(&record, "WARC-IP-Address"), Some("127.0.0.1"));
        assert_eq!(header(&record, "WARC-Date"), Some("2023-03-28T10:00:00Z"));
        assert_eq!(header(&record, "WARC-Truncated"), None);
        assert_eq!(r.payload_sha256, sha256_hex(&ex.body));
        assert_eq!(
            header(&record, "WARC-Payload-Digest"),
            Some(format!("sha256:{}", r.payload_sha256).as_str())
        );
        let mut tail = ex.body.to_vec();
        tail.extend_from_slice(b"\r\n\r\n");
        assert!(record.ends_with(&tail));

        let rest = &archive[(r.offset + r.length) as usize..];
        let mut request = Vec::new();
        GzDecoder::new(rest).read_to_end(&mut request).unwrap();
        assert_eq!(header(&request, "WARC-Type"), Some("request"));
        assert_eq!(
            header(&request, "WARC-Concurrent-To"),
            Some(r.record_id.as_str())
        );
    }
    let archive = std::fs::read(dir.path().join(&refs[4].file)).unwrap();
    let record = member(&archive, refs[4].offset, refs[4].length);
    assert_eq!(header(&record, "WARC-Truncated"), Some("length"));
    let archive = std::fs::read(dir.path().join(&shot.file)).unwrap();
    let record = member(&archive, shot.offset, shot.length);
    assert_eq!(header(&record, "WARC-Type"), Some("resource"));
    assert_eq!(
        header(&record, "WARC-Refers-To"),
        Some(refs[1].record_id.as_str())
    );
    let archive = std::fs::read(dir.path().join(&meta.file)).unwrap();
    let record = member(&archive, meta.offset, meta.length);
    assert_eq!(header(&record, "WARC-Type"), Some("metadata"));
    assert!(record.ends_with(b"tls-unverified: true\r\n\r\n\r\n"));

    // The limit is small: the run spans several files, each opened by a
    // warcinfo record naming the run.
    let mut files: Vec<_> = std::fs::read_dir(dir.path().join(ARCHIVE_DIR))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    assert!(files.len() > 1, "{files:?}");
    for file in &files {
        let archive = std::fs::read(file).unwrap();
        let mut first = Vec::new();
        GzDecoder::new(&archive[..])
            .read_to_end(&mut first)
            .unwrap();
        assert_eq!(header(&first, "WARC-Type"), Some("warcinfo"));
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("govcheck-20230328T100000Z-0000"), "{name}");
        assert_eq!(header(&first, "WARC-Filename"), Some(name));
        let text = String::from_utf8(first).unwrap();
        for field in [
            "software: govcheck/",
            "format: WARC File Format 1.1",
            "isPartOf: 黑河市政务诚信第三方评价",
            "rubric-version: heihe-2023",
            "http-header-user-agent: govcheck/test",
            "operator: credit office",
            "robots: obey",
        ] {
            assert!(text.contains(field), "{field} missing from {text}");
        }
    }

    // The index: one sorted line per response, pointing where the refs do.
    let index = std::fs::read_to_string(dir.path().join(ARCHIVE_DIR).join(INDEX_FILE)).unwrap();
    let lines: Vec<&str> = index.lines().collect();
    assert_eq!(lines.len(), refs.len());
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    for (ex, r) in exchanges.iter().zip(&refs) {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!("\"url\":\"{}\"", ex.url)))
            .unwrap();
        assert!(line.starts_with(&format!("{} 20230328100000 {{", surt(&ex.url))));
        let json: serde_json::Value =
            serde_json::from_str(&line[line.find('{').unwrap()..]).unwrap();
        assert_eq!(json["offset"], r.offset.to_string());
        assert_eq!(json["length"], r.length.to_string());
        assert_eq!(json["status"], ex.status.to_string());
        assert_eq!(json["digest"], format!("sha256:{}", r.payload_sha256));
        assert_eq!(
            format!("{ARCHIVE_DIR}/{}", json["filename"].as_str().unwrap()),
            r.file
        );
    }
    assert!(index.contains("\"mime\":\"application/pdf\""));

    if !warcio_available() {
        eprintln!(
            "note: python3 warcio not importable; skipping `warcio check` and `warcio index`"
        );
        return;
    }
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let report = warcio(&["check", "-v"], &paths);
    assert!(report.contains("digest pass"), "{report}");
    assert!(!report.contains("fail"), "{report}");
    for (file, listing) in paths.iter().map(|p| {
        (
            p,
            warcio(
                &["index", "-f", "warc-type,warc-record-id,offset,length"],
                &[p],
            ),
        )
    }) {
        let name = format!(
            "{ARCHIVE_DIR}/{}",
            file.file_name().unwrap().to_str().unwrap()
        );
        for line in listing.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = v["warc-record-id"].as_str().unwrap();
            if let Some(r) = refs
                .iter()
                .chain([&shot, &meta])
                .find(|r| r.record_id == id)
            {
                assert_eq!(r.file, name);
                assert_eq!(v["offset"], r.offset.to_string());
                assert_eq!(v["length"], r.length.to_string());
            }
        }
    }

    // Negative control: one body byte changed, and warcio must object.
    let archive = std::fs::read(dir.path().join(&refs[2].file)).unwrap();
    let mut record = member(&archive, refs[2].offset, refs[2].length);
    let at = record.len() - 10;
    record[at] ^= 0xff;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &record).unwrap();
    let tampered = dir.path().join("tampered.warc.gz");
    std::fs::write(&tampered, gz.finish().unwrap()).unwrap();
    let out = Command::new("python3")
        .args(["-m", "warcio.cli", "check"])
        .arg(&tampered)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("block digest failed"), "{report}");
    assert!(report.contains("payload digest failed"), "{report}");
}

#[test]
fn a_revisit_leads_back_to_the_earlier_capture_and_notices_tampering() {
    let root = tempfile::tempdir().unwrap();
    let (first, second) = (root.path().join("run-a"), root.path().join("run-b"));
    let body = "<title>北安市2022年政府信息公开工作年度报告</title>"
        .as_bytes()
        .to_vec();
    let mut writer = WarcWriter::create(&first, "a", WarcInfo::default()).unwrap();
    let earlier = writer
        .write_exchange(&exchange(
            "http://www.hljba.gov.cn/bas/c100752/nb.shtml",
            200,
            &[("content-type", "text/html"), ("etag", "\"5f-1a\"")],
            body.clone(),
        ))
        .unwrap();
    writer.finish().unwrap();

    let mut writer = WarcWriter::create(&second, "b", WarcInfo::default()).unwrap();
    let revisit = writer
        .write_revisit(&RevisitExchange {
            url: Url::parse("http://www.hljba.gov.cn/bas/c100752/nb.shtml").unwrap(),
            fetched_at: Utc.with_ymd_and_hms(2023, 7, 2, 8, 0, 0).unwrap(),
            ip_address: None,
            request_headers: hdrs(&[("If-None-Match", "\"5f-1a\"")]),
            response_headers: hdrs(&[("etag", "\"5f-1a\"")]),
            content_type: Some("text/html".into()),
            earlier: EarlierRecord {
                path: first.join(&earlier.file),
                offset: earlier.offset,
                length: earlier.length,
                record_id: earlier.record_id.clone(),
                date: Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap(),
                payload_sha256: earlier.payload_sha256.clone(),
            },
        })
        .unwrap();
    writer.finish().unwrap();
    assert_eq!(revisit.payload_sha256, sha256_hex(&body));

    let record = read_record(&second, &revisit).unwrap();
    assert_eq!(record.header("WARC-Type"), Some("revisit"));
    // Run directories side by side: the pointer is relative.
    assert!(record
        .header("GovCheck-Refers-To-File")
        .unwrap()
        .starts_with("../run-a/archive/"));
    assert!(check_digests(&record).is_empty());
    let capture = read_capture(&second, &revisit).unwrap();
    assert_eq!(capture.response.http_response().unwrap().2, &body[..]);
    assert_eq!(capture.revisited.unwrap().record_id, earlier.record_id);
    let index = std::fs::read_to_string(second.join("archive/index.cdxj")).unwrap();
    assert!(index.contains("\"mime\":\"warc/revisit\"") && index.contains("\"status\":\"304\""));
    if warcio_available() {
        let file = second.join(&revisit.file);
        let out = warcio(&["check", "-v"], &[&file]);
        assert!(!out.contains("digest fail"), "{out}");
    }

    // The earlier run's archive moves away or is altered: the revisit no
    // longer leads to intact evidence.
    let earlier_file = first.join(&earlier.file);
    let original = std::fs::read(&earlier_file).unwrap();
    let mut altered = original.clone();
    let at = earlier.offset as usize + earlier.length as usize / 2;
    altered[at] ^= 0x55;
    std::fs::write(&earlier_file, &altered).unwrap();
    assert!(read_capture(&second, &revisit).is_err());
    std::fs::remove_file(&earlier_file).unwrap();
    let err = read_capture(&second, &revisit).err().unwrap();
    assert!(format!("{err:#}").contains("not readable"), "{err:#}");
}

#[test]
fn a_rendered_dom_is_a_conversion_record_and_a_post_keeps_its_body() {
    let run = tempfile::tempdir().unwrap();
    let mut writer = WarcWriter::create(run.path(), "r", WarcInfo::default()).unwrap();
    let dom = "<html><body><a href=\"/nb/2022.html\">2022年报</a></body></html>";
    let mut view = exchange(
        "http://www.hljba.gov.cn/zwgk/#/list/3",
        200,
        &[("content-type", "text/html; charset=utf-8")],
        dom.as_bytes().to_vec(),
    );
    view.rendered = Some("rendered in headless Chromium; waited 1.2 s; 4 requests".into());
    let rendered = writer.write_exchange(&view).unwrap();
    let mut post = exchange(
        "http://www.hljba.gov.cn/search",
        200,
        &[("content-type", "text/html")],
        b"<li>page 2</li>".to_vec(),
    );
    post.posted = Some(crate::types::PostBody {
        content_type: Some("application/x-www-form-urlencoded".into()),
        body: Bytes::from_static(b"channelId=12&page=2"),
    });
    writer.write_exchange(&post).unwrap();
    writer.finish().unwrap();

    let record = read_record(run.path(), &rendered).unwrap();
    assert_eq!(record.header("WARC-Type"), Some("conversion"));
    assert!(record
        .header("GovCheck-Rendered")
        .unwrap()
        .contains("4 requests"));
    assert!(check_digests(&record).is_empty());
    let (status, headers, body) = record.http_response().unwrap();
    assert_eq!((status, body), (200, dom.as_bytes()));
    assert!(headers[0].1.starts_with("text/html"));
    let index = std::fs::read_to_string(run.path().join("archive/index.cdxj")).unwrap();
    assert!(
        !index.contains("#/list/3"),
        "a rendered view is not replayed: {index}"
    );

    let file = run.path().join(&rendered.file);
    let requests: Vec<_> = read_all(&file)
        .unwrap()
        .into_iter()
        .filter(|r| r.header("WARC-Type") == Some("request"))
        .collect();
    let block = String::from_utf8(requests[0].block.clone()).unwrap();
    assert!(block.starts_with("POST /search HTTP/1.1\r\n"), "{block}");
    assert!(block.contains("Content-Type: application/x-www-form-urlencoded\r\n"));
    assert!(block.ends_with("\r\n\r\nchannelId=12&page=2"), "{block}");
    if warcio_available() {
        let out = warcio(&["check", "-v"], &[&file]);
        assert!(!out.contains("digest fail"), "{out}");
    }
}
