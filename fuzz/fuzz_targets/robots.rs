//! robots.txt and sitemaps: `Robots::parse` on the input, `allowed` for a
//! few county URLs (and one built from the input's first line), the
//! crawl delay and sitemap list, and `sitemap_locs` on the same bytes.
#![no_main]

use govcheck::crawl::fuzzing::{sitemap_locs, Robots};
use libfuzzer_sys::fuzz_target;
use url::Url;

const PROBES: &[&str] = &[
    "http://www.hljba.gov.cn/",
    "http://www.hljba.gov.cn/robots.txt",
    "http://www.hljba.gov.cn/bas/c100783/202303/c12_345.shtml?tab=gfxwj",
    "https://www.nehe.gov.cn/xxgk/%E6%94%BF%E5%8A%A1/index.jsp;jsessionid=1?a=b&c=%20",
    "http://www.sunwu.gov.cn/module/download/downfile.jsp?classid=0&filename=a.pdf",
];

fuzz_target!(|data: &[u8]| {
    let robots = Robots::parse(data);
    for probe in PROBES {
        robots.allowed(&Url::parse(probe).unwrap());
    }
    let first_line =
        String::from_utf8_lossy(data.split(|&b| b == b'\n').next().unwrap_or_default());
    if let Ok(url) = Url::parse("http://www.hljba.gov.cn/")
        .unwrap()
        .join(&first_line)
    {
        robots.allowed(&url);
    }
    if let Some(delay) = robots.crawl_delay() {
        assert!(delay.is_finite() && delay > 0.0, "{delay}");
    }
    for sitemap in robots.sitemaps() {
        let _ = Url::parse(sitemap);
    }
    let (locs, _index) = sitemap_locs(data);
    // Every <loc> needs its own eleven bytes of markup (of the unzipped
    // body when it is gzip).
    if !data.starts_with(&[0x1f, 0x8b]) {
        assert!(
            locs.len() <= data.len() / 11,
            "{} locs from {} bytes",
            locs.len(),
            data.len()
        );
    }
});
