//! URL normalisation and dedup keys. The input is resolved against one of
//! a few county base URLs (or parsed as an absolute URL), then:
//! `normalise` is idempotent, `dedup_key` does not change under
//! `normalise`, a normalised URL survives a round trip through its string
//! (the frontier and the history store URLs as text), and the trap guard
//! takes any URL.
#![no_main]

use govcheck::crawl::fuzzing::{dedup_key, normalise, TrapGuard};
use libfuzzer_sys::fuzz_target;
use url::Url;

const BASES: &[&str] = &[
    "http://www.hljba.gov.cn/bas/c100783/202303/c12_345.shtml?tab=gfxwj",
    "https://nehe.gov.cn:8443/xxgk/index.jsp;jsessionid=AB12?cid=100",
    "http://127.0.0.1:8080/a/b/",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let parsed = match BASES.get(usize::from(selector) % (BASES.len() + 1)) {
        Some(base) => Url::parse(base).unwrap().join(&text),
        None => Url::parse(&text),
    };
    let Ok(url) = parsed else {
        return;
    };
    let once = normalise(&url);
    let twice = normalise(&once);
    assert_eq!(
        once.as_str(),
        twice.as_str(),
        "normalise is not idempotent for {url}"
    );
    let key = dedup_key(&url);
    assert_eq!(
        key,
        dedup_key(&once),
        "dedup_key changes under normalise for {url}"
    );
    if matches!(once.scheme(), "http" | "https") {
        let reparsed = Url::parse(once.as_str()).expect("a normalised URL parses");
        assert_eq!(reparsed.as_str(), once.as_str(), "round trip of {url}");
        assert_eq!(
            dedup_key(&reparsed),
            key,
            "dedup_key after a round trip of {url}"
        );
    }
    let mut guard = TrapGuard::default();
    guard.check(&url);
    guard.check(&once);
});
