//! A WARC record as bytes: record ids, dates and digests, the HTTP request
//! and response blocks, the record's header lines, and the gzip member
//! each record is stored as.

use super::WarcError;
use chrono::{DateTime, Utc};
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use sha2::{Digest, Sha256};
use std::io::Write;
use url::Url;

/// A fresh `WARC-Record-ID`: a random (version 4) UUID as `<urn:uuid:…>`.
pub(super) fn new_record_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `WARC-Date` form: UTC, second precision, `2023-03-28T10:00:00Z`.
pub(super) fn warc_date(date: DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A header value safe to put on one line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(one_line(value).as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// The HTTP response as a WARC `response` block: status line, headers,
/// blank line, body.
///
/// The body reaches the archive decoded, so the headers that describe the
/// wire framing (`Content-Encoding`, `Content-Length`, `Transfer-Encoding`)
/// would lie about it; they are dropped and a `Content-Length` of the body
/// as stored is added, so replay tools and `warcio` read it as it is. The
/// reason phrase is the canonical one (the HTTP client does not keep the
/// server's).
pub fn http_response_block(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = http_response_head(status, headers, body.len());
    out.extend_from_slice(body);
    out
}

/// The status line and headers of [`http_response_block`], up to and with
/// the blank line, for a body of `body_len` bytes: the writer streams the
/// body after it instead of copying both into one buffer.
pub fn http_response_head(status: u16, headers: &[(String, String)], body_len: usize) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(format!("HTTP/1.1 {status} {reason}\r\n").as_bytes());
    for (name, value) in headers {
        let framing = ["content-encoding", "content-length", "transfer-encoding"]
            .iter()
            .any(|f| name.eq_ignore_ascii_case(f));
        if !framing {
            push_header(&mut out, name, value);
        }
    }
    push_header(&mut out, "Content-Length", &body_len.to_string());
    out.extend_from_slice(b"\r\n");
    out
}

/// The HTTP request as a WARC `request` block: `GET` request line with the
/// path and query of `url`, `Host`, the other headers, blank line.
pub fn http_request_block(url: &Url, headers: &[(String, String)]) -> Vec<u8> {
    http_request_block_with_method(url, "GET", headers)
}

/// [`http_request_block`] with another method (a POST's body follows the
/// block).
pub fn http_request_block_with_method(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let mut host = url.host_str().unwrap_or_default().to_string();
    if let Some(port) = url.port() {
        host.push_str(&format!(":{port}"));
    }
    let mut out = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
    push_header(&mut out, "Host", &host);
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("host") {
            push_header(&mut out, name, value);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The `application/warc-fields` body of `fields`.
pub(super) fn warc_fields(fields: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        push_header(&mut out, name, value);
    }
    out
}

/// One WARC record before serialisation: its named headers (the digest,
/// type and length headers are added by [`Record::to_bytes`]) and block.
pub(super) struct Record<'a> {
    headers: Vec<(&'static str, String)>,
    content_type: &'a str,
    block: &'a [u8],
    /// More of the block after `block` (a response's body after its HTTP
    /// head), kept apart so a large body is never copied.
    tail: &'a [u8],
}

impl<'a> Record<'a> {
    /// A record of `warc_type` with its id and date; add headers with
    /// [`Record::header`].
    pub(super) fn new(
        warc_type: &str,
        record_id: &str,
        date: DateTime<Utc>,
        content_type: &'a str,
        block: &'a [u8],
    ) -> Self {
        Record {
            headers: vec![
                ("WARC-Type", warc_type.to_string()),
                ("WARC-Record-ID", record_id.to_string()),
                ("WARC-Date", warc_date(date)),
            ],
            content_type,
            block,
            tail: &[],
        }
    }

    /// The block continues with `tail` (a response body after its head).
    pub(super) fn then(mut self, tail: &'a [u8]) -> Self {
        self.tail = tail;
        self
    }

    /// Adds a header line.
    pub(super) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Adds a header line when there is a value.
    pub(super) fn header_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// `WARC/1.1`, the headers, `WARC-Block-Digest`, `Content-Type`,
    /// `Content-Length`, blank line, block, and the two-CRLF trailer.
    #[cfg(test)]
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for part in self.parts() {
            out.extend_from_slice(&part);
        }
        out
    }

    /// `WARC/1.1`, the headers, `WARC-Block-Digest`, `Content-Type`,
    /// `Content-Length` and the blank line; the block; the trailer.
    fn parts(&self) -> [std::borrow::Cow<'_, [u8]>; 4] {
        let mut head = Vec::with_capacity(1024);
        head.extend_from_slice(b"WARC/1.1\r\n");
        for (name, value) in &self.headers {
            push_header(&mut head, name, value);
        }
        let mut hasher = Sha256::new();
        hasher.update(self.block);
        hasher.update(self.tail);
        let digest = format!("sha256:{}", hex::encode(hasher.finalize()));
        push_header(&mut head, "WARC-Block-Digest", &digest);
        push_header(&mut head, "Content-Type", self.content_type);
        let length = self.block.len() + self.tail.len();
        push_header(&mut head, "Content-Length", &length.to_string());
        head.extend_from_slice(b"\r\n");
        [
            head.into(),
            self.block.into(),
            self.tail.into(),
            (&b"\r\n\r\n"[..]).into(),
        ]
    }
}

/// How hard records are compressed: zlib's level 2. On county portal pages
/// it takes 57% of the default level 6's time for members 7% larger (level
/// 1 took a third of the time, for members 24% larger).
const LEVEL: u32 = 2;

/// Compresses records into gzip members (RFC 1952), keeping one deflate
/// state from record to record: a fresh encoder per record allocated and
/// zeroed its ~300 KB of tables each time, which cost more than
/// compressing the page.
pub(super) struct MemberEncoder(DeflateEncoder<Vec<u8>>);

impl MemberEncoder {
    pub(super) fn new() -> Self {
        MemberEncoder(DeflateEncoder::new(Vec::new(), Compression::new(LEVEL)))
    }

    /// `record` as one gzip member, compressed piece by piece: the body is
    /// read once and never copied.
    pub(super) fn member(&mut self, record: &Record) -> Result<Vec<u8>, WarcError> {
        let member = self.compress(record);
        if member.is_err() {
            // Whatever the failed member left in the deflate state goes.
            *self = MemberEncoder::new();
        }
        member.map_err(WarcError::Compress)
    }

    fn compress(&mut self, record: &Record) -> std::io::Result<Vec<u8>> {
        // The fixed header: no name, no time (0), no XFL hint (level 2 is
        // neither fastest nor best), OS 255 "unknown", as flate2's own
        // GzEncoder writes it.
        let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        // The encoder is fresh here (new, or reset after the last member):
        // its output buffer is empty, so the writer can be swapped.
        *self.0.get_mut() = header.to_vec();
        let mut crc = Crc::new();
        for part in record.parts() {
            crc.update(&part);
            self.0.write_all(&part)?;
        }
        // Ends this member's deflate stream and readies the state for the
        // next member.
        let mut member = self.0.reset(Vec::new())?;
        member.extend_from_slice(&crc.sum().to_le_bytes());
        member.extend_from_slice(&crc.amount().to_le_bytes());
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hdrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn record_id_is_a_v4_uuid_urn() {
        let id = new_record_id();
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36, "{id}");
        let uuid = id
            .strip_prefix("<urn:uuid:")
            .and_then(|s| s.strip_suffix('>'))
            .unwrap();
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(uuid
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, new_record_id());
    }

    #[test]
    fn date_is_utc_to_the_second() {
        let d = Utc
            .with_ymd_and_hms(2023, 3, 28, 10, 0, 0)
            .unwrap()
            .checked_add_signed(chrono::Duration::milliseconds(789))
            .unwrap();
        assert_eq!(warc_date(d), "2023-03-28T10:00:00Z");
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn response_block_replaces_framing_headers() {
        let headers = hdrs(&[
            ("content-type", "text/html; charset=gbk"),
            ("Content-Encoding", "gzip"),
            ("content-length", "999"),
            ("transfer-encoding", "chunked"),
            ("set-cookie", "a=1\r\nInjected: yes"),
        ]);
        let block = http_response_block(200, &headers, b"<p>hi</p>");
        assert_eq!(
            String::from_utf8(block).unwrap(),
            "HTTP/1.1 200 OK\r\n\
             content-type: text/html; charset=gbk\r\n\
             set-cookie: a=1  Injected: yes\r\n\
             Content-Length: 9\r\n\
             \r\n\
             <p>hi</p>"
        );
        let block = http_response_block(412, &[], b"");
        assert!(block.starts_with(b"HTTP/1.1 412 Precondition Failed\r\n"));
        assert!(http_response_block(599, &[], b"").starts_with(b"HTTP/1.1 599 \r\n"));
    }

    #[test]
    fn request_block_has_target_and_host() {
        let url = Url::parse("http://127.0.0.1:8080/政务/list.jsp?page=2#frag").unwrap();
        let block = http_request_block(&url, &hdrs(&[("user-agent", "govcheck/0"), ("host", "x")]));
        assert_eq!(
            String::from_utf8(block).unwrap(),
            "GET /%E6%94%BF%E5%8A%A1/list.jsp?page=2 HTTP/1.1\r\n\
             Host: 127.0.0.1:8080\r\n\
             user-agent: govcheck/0\r\n\
             \r\n"
        );
    }

    #[test]
    fn record_serialisation() {
        let date = Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap();
        let block = b"hello";
        let bytes = Record::new("resource", "<urn:uuid:x>", date, "text/plain", block)
            .header("WARC-Target-URI", "urn:test")
            .header_opt("WARC-Refers-To", None::<String>)
            .to_bytes();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!(
                "WARC/1.1\r\n\
                 WARC-Type: resource\r\n\
                 WARC-Record-ID: <urn:uuid:x>\r\n\
                 WARC-Date: 2023-03-28T10:00:00Z\r\n\
                 WARC-Target-URI: urn:test\r\n\
                 WARC-Block-Digest: sha256:{}\r\n\
                 Content-Type: text/plain\r\n\
                 Content-Length: 5\r\n\
                 \r\n\
                 hello\r\n\r\n",
                sha256_hex(block)
            )
        );
    }

    #[test]
    fn members_are_whole_gzip_streams_one_encoder_after_another() {
        use std::io::Read;
        let date = Utc.with_ymd_and_hms(2023, 3, 28, 10, 0, 0).unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let small = b"hello".to_vec();
        let mut encoder = MemberEncoder::new();
        for block in [&big, &small, &big] {
            let record = Record::new("resource", "<urn:uuid:x>", date, "text/plain", block);
            let member = encoder.member(&record).unwrap();
            // One member, complete: the plain decoder reads it to its end.
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&member[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, record.to_bytes());
            assert_eq!(&member[..3], &[0x1f, 0x8b, 8]);
        }
    }
}
