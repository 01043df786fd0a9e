//! The CDXJ index beside the WARC files, and the SURT keys it is sorted by.
//!
//! One line per response record, in the form pywb and the webrecorder tools
//! read: `<SURT> <14-digit timestamp> <JSON>`. Lines sort bytewise, so a
//! lookup by URL is a binary search and a replay tool can serve the capture
//! without scanning the archive. The JSON values are strings, as
//! `cdxj-indexer` writes them.

use super::warc_error::WarcError;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use url::Url;

/// The Sort-friendly URI Reordering Transform of a URL: scheme dropped,
/// host labels reversed and comma-separated (a leading `www.` dropped), a
/// non-default port kept, then `)` and the path and query, all lower-case.
/// Query arguments are sorted, as pywb's canonicaliser does, so the same
/// page asked for with its arguments in another order has the same key.
///
/// `http://www.Aihui.gov.cn/zwgk/index.html?b=2&a=1` →
/// `cn,gov,aihui)/zwgk/index.html?a=1&b=2`.
pub fn surt(url: &Url) -> String {
    let mut key = String::new();
    if let Some(host) = url.host_str() {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let labels: Vec<&str> = host.split('.').rev().collect();
        key.push_str(&labels.join(","));
        if let Some(port) = url.port() {
            key.push(':');
            key.push_str(&port.to_string());
        }
    }
    key.push(')');
    let path = url.path();
    if !path.starts_with('/') {
        key.push('/');
    }
    key.push_str(path);
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        let mut args: Vec<&str> = query.split('&').collect();
        args.sort_unstable();
        key.push('?');
        key.push_str(&args.join("&"));
    }
    key.to_lowercase()
}

/// One response record, as the index describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxjEntry {
    /// The captured URL.
    pub url: Url,
    /// When it was captured.
    pub date: DateTime<Utc>,
    /// The response's media type without parameters (`unk` when absent).
    pub mime: String,
    /// The HTTP status (304 for a revisit).
    pub status: u16,
    /// Payload digest as in the record: `sha256:<hex>`.
    pub digest: String,
    /// Length of the record's gzip member in the WARC file.
    pub length: u64,
    /// Offset of the record's gzip member in the WARC file.
    pub offset: u64,
    /// WARC file name, relative to the index's directory.
    pub filename: String,
}

impl CdxjEntry {
    /// The index line, without its newline.
    pub fn line(&self) -> String {
        /// The JSON part, its keys in the order `cdxj-indexer` writes them.
        #[derive(serde::Serialize)]
        struct Fields<'a> {
            url: &'a str,
            mime: &'a str,
            status: String,
            digest: &'a str,
            length: String,
            offset: String,
            filename: &'a str,
        }
        let json = serde_json::to_string(&Fields {
            url: self.url.as_str(),
            mime: &self.mime,
            status: self.status.to_string(),
            digest: &self.digest,
            length: self.length.to_string(),
            offset: self.offset.to_string(),
            filename: &self.filename,
        })
        .expect("strings serialise");
        format!(
            "{} {} {}",
            surt(&self.url),
            self.date.format("%Y%m%d%H%M%S"),
            json
        )
    }
}

/// The media type of a `Content-Type` value, lower-case, without
/// parameters; `unk` when there is none.
pub fn mime_of(content_type: Option<&str>) -> String {
    content_type
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unk".into())
}

/// A sorted CDXJ index, filled record by record and written whole.
#[derive(Debug, Default)]
pub struct CdxjIndex {
    lines: BTreeSet<String>,
}

impl CdxjIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one entry (a repeated line is kept once).
    pub fn insert(&mut self, entry: &CdxjEntry) {
        self.lines.insert(entry.line());
    }

    /// How many lines the index has.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// The index has no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The index as text, one sorted line per entry.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Writes the index to `path` atomically (a temporary file in the same
    /// directory, synced, then renamed over the old index), so a reader
    /// never sees half an index.
    pub fn write_atomic(&self, path: &Path) -> Result<(), WarcError> {
        let dir = path
            .parent()
            .ok_or_else(|| WarcError::NoParent(path.display().to_string()))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".index-")
            .suffix(".cdxj.tmp")
            .tempfile_in(dir)
            .map_err(WarcError::io(
                "creating a temporary index in",
                dir.display(),
            ))?;
        // Readable like the WARC files beside it, not the temporary
        // file's owner-only default.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(WarcError::io(
                    "setting permissions of",
                    tmp.path().display(),
                ))?;
        }
        tmp.write_all(self.to_text().as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(WarcError::io("writing", tmp.path().display()))?;
        tmp.persist(path)
            .map_err(|e| WarcError::io("renaming the index to", path.display())(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn key(url: &str) -> String {
        surt(&Url::parse(url).unwrap())
    }

    #[test]
    fn surt_reverses_host_and_strips_www() {
        assert_eq!(key("http://www.aihui.gov.cn/"), "cn,gov,aihui)/");
        assert_eq!(key("https://aihui.gov.cn"), "cn,gov,aihui)/");
        assert_eq!(
            key("http://WWW.Aihui.GOV.cn/ZWGK/Index.html"),
            "cn,gov,aihui)/zwgk/index.html"
        );
        assert_eq!(key("http://www.nenjiang.gov.cn./a"), "cn,gov,nenjiang)/a");
    }

    #[test]
    fn surt_keeps_non_default_port_and_drops_default() {
        assert_eq!(key("http://127.0.0.1:8080/a"), "1,0,0,127:8080)/a");
        assert_eq!(key("http://example.org:80/a"), "org,example)/a");
        assert_eq!(key("https://example.org:443/a"), "org,example)/a");
    }

    #[test]
    fn surt_sorts_query_and_drops_fragment() {
        assert_eq!(
            key("http://www.sunwu.gov.cn/list.jsp?page=2&Col=ZWGK#top"),
            "cn,gov,sunwu)/list.jsp?col=zwgk&page=2"
        );
        assert_eq!(key("http://sunwu.gov.cn/a?"), "cn,gov,sunwu)/a");
    }

    #[test]
    fn surt_of_chinese_path_uses_lower_case_escapes() {
        assert_eq!(
            key("http://www.xunke.gov.cn/政务公开/"),
            "cn,gov,xunke)/%e6%94%bf%e5%8a%a1%e5%85%ac%e5%bc%80/"
        );
    }

    fn entry(url: &str, second: u32) -> CdxjEntry {
        CdxjEntry {
            url: Url::parse(url).unwrap(),
            date: Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, second).unwrap(),
            mime: "text/html".into(),
            status: 200,
            digest: "sha256:00ff".into(),
            length: 123,
            offset: 456,
            filename: "govcheck-r-00000.warc.gz".into(),
        }
    }

    #[test]
    fn line_has_key_timestamp_and_string_fields() {
        let line = entry("http://www.aihui.gov.cn/a.html", 5).line();
        let (head, json) = line.split_at(line.find('{').unwrap());
        assert_eq!(head, "cn,gov,aihui)/a.html 20230328100005 ");
        assert!(json.starts_with(
            r#"{"url":"http://www.aihui.gov.cn/a.html","mime":"text/html","status":"200","#
        ));
        assert!(json.ends_with(r#""filename":"govcheck-r-00000.warc.gz"}"#));
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["url"], "http://www.aihui.gov.cn/a.html");
        assert_eq!(v["mime"], "text/html");
        assert_eq!(v["status"], "200");
        assert_eq!(v["digest"], "sha256:00ff");
        assert_eq!(v["length"], "123");
        assert_eq!(v["offset"], "456");
        assert_eq!(v["filename"], "govcheck-r-00000.warc.gz");
    }

    #[test]
    fn index_is_sorted_and_written_atomically() {
        let mut index = CdxjIndex::new();
        index.insert(&entry("http://www.sunwu.gov.cn/b", 2));
        index.insert(&entry("http://www.aihui.gov.cn/z", 9));
        index.insert(&entry("http://www.sunwu.gov.cn/b", 1));
        assert_eq!(index.len(), 3);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.cdxj");
        index.write_atomic(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let keys: Vec<&str> = text
            .lines()
            .map(|l| l.splitn(3, ' ').take(2).last().unwrap())
            .collect();
        assert_eq!(keys, ["20230328100009", "20230328100001", "20230328100002"]);
        assert!(text.starts_with("cn,gov,aihui)/z "));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn mime_drops_parameters() {
        assert_eq!(mime_of(Some("Text/HTML; charset=GBK")), "text/html");
        assert_eq!(mime_of(None), "unk");
        assert_eq!(mime_of(Some(" ")), "unk");
    }
}
