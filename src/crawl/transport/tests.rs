//! Body decoding, Retry-After parsing and error classification.

use super::*;
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use flate2::Compression;
use std::io::Write;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn decodes_gzip_and_both_deflates() {
    let text = "政府信息公开".repeat(100);
    assert_eq!(
        decode(Some("gzip"), gzip(text.as_bytes()), 1 << 20).0,
        text.as_bytes()
    );
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(text.as_bytes()).unwrap();
    assert_eq!(
        decode(Some("deflate"), z.finish().unwrap(), 1 << 20).0,
        text.as_bytes()
    );
    let mut d = DeflateEncoder::new(Vec::new(), Compression::default());
    d.write_all(text.as_bytes()).unwrap();
    assert_eq!(
        decode(Some(" Deflate "), d.finish().unwrap(), 1 << 20).0,
        text.as_bytes()
    );
    assert_eq!(
        decode(None, b"plain".to_vec(), 10),
        (b"plain".to_vec(), false)
    );
}

#[test]
fn decoding_is_capped_and_survives_bad_input() {
    let big = vec![b'a'; 100_000];
    let (out, cut) = decode(Some("gzip"), gzip(&big), 1000);
    assert_eq!(out.len(), 1000);
    assert!(cut);
    // A gzip body cut on the wire keeps what decoded.
    let mut g = gzip(&(0..50_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>());
    g.truncate(g.len() / 2);
    let (out, _) = decode(Some("gzip"), g, 1 << 20);
    assert!(!out.is_empty());
    // Not gzip at all: kept as it came.
    assert_eq!(decode(Some("gzip"), b"<html>".to_vec(), 100).0, b"<html>");
    assert_eq!(decode(None, vec![1; 20], 10), (vec![1; 10], true));
}

/// A TLS hello to a plain-HTTP port is a TLS failure (what the scheme
/// fallback keys on); a closed port is a refused connection.
#[tokio::test]
async fn tls_to_plain_http_and_refused_are_classified() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let config = CrawlConfig {
        rate: None,
        ..CrawlConfig::default()
    };
    let politeness = Politeness::new(None);
    let start = Url::parse(&format!("https://127.0.0.1:{port}/")).unwrap();
    let t = Transport::new(&config, &politeness, &start).unwrap();
    let e = t.fetch(&start, &|_| true, 0).await.unwrap_err();
    assert_eq!(e.class, FetchErrorClass::Tls, "{}", e.message);
    drop(t);

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = Url::parse(&format!("http://127.0.0.1:{closed}/")).unwrap();
    let t = Transport::new(&config, &politeness, &url).unwrap();
    let e = t.fetch(&url, &|_| true, 3).await.unwrap_err();
    assert_eq!(e.class, FetchErrorClass::Connect, "{}", e.message);
}

#[test]
fn retry_after_seconds_and_dates() {
    assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(Duration::ZERO)
    );
    let soon = (Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
    let d = parse_retry_after(&soon).unwrap();
    assert!(
        d > Duration::from_secs(25) && d <= Duration::from_secs(30),
        "{d:?}"
    );
    assert_eq!(parse_retry_after("soon"), None);
}
