//! The date readers of `page::dates` on arbitrary text: `find_date`,
//! `visible_published`, `value_date`, and `url_date` on a URL whose path
//! is built from the input. Every date they return lies in 1995–2099.
#![no_main]

use chrono::{Datelike, NaiveDate};
use govcheck::page::{find_date, url_date, value_date, visible_published};
use libfuzzer_sys::fuzz_target;
use url::Url;

fn in_range(date: Option<NaiveDate>) {
    if let Some(date) = date {
        assert!((1995..=2099).contains(&date.year()), "{date}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    in_range(find_date(&text));
    in_range(visible_published(&text));
    in_range(value_date(&text));
    let base = Url::parse("http://www.hljba.gov.cn/bas/c100783/").unwrap();
    // As a path below a county site, and as whatever `join` makes of it.
    for candidate in [
        Url::parse(&format!("http://www.hljba.gov.cn/{text}")),
        base.join(&text),
    ] {
        if let Ok(url) = candidate {
            in_range(url_date(&url).map(|fact| fact.date));
        }
    }
});
