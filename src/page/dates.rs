//! Dates as Chinese government pages and URLs write them.
//!
//! Whether a report counts depends on its 发布日期, and pages show it in a
//! dozen spellings (`2023-03-28`, `2023年3月28日`, full-width digits), beside
//! a 成文日期 that must never be taken for it. CMS URLs often carry the date
//! too (`t20230218_`, `/art/2023/3/31/`, `/202303/`). Every date source of the
//! `page` module goes through here, and `audit` calls [`find_date`] and
//! [`url_date`] on text and URLs of its own.

use crate::types::{DateFact, DateSource};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use url::Url;

const MIN_YEAR: i32 = 1995;
const MAX_YEAR: i32 = 2099;

/// A year, month and day with consistent separators; checked in [`ymd`].
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})").unwrap()
});

/// A publish-date label and the date after it.
static VISIBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(发布日期|发布时间|公开日期|公开时间|公布日期|上载日期|上传日期|发稿时间|更新时间|发布于|日期|时间)\s*([:：])?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})",
    )
    .unwrap()
});

static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"成文日期\s*[:：]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})").unwrap()
});

/// Full dates in URLs: TRS `t20230218_` (and its attachments
/// `P020230218…`), Hanweb `/art/2023/3/31/`, `/2023/0331/`, `/20230331/`.
static URL_FULL: LazyLock<[Regex; 6]> = LazyLock::new(|| {
    [
        Regex::new(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_").unwrap(),
        // gov.cn style: /2023-03/28/content_5748888.htm
        Regex::new(r"/((?:19|20)\d{2})-(\d{1,2})/(\d{1,2})/").unwrap(),
        Regex::new(r"/P0((?:19|20)\d{2})(\d{2})(\d{2})\d*\.[A-Za-z]+$").unwrap(),
        Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/").unwrap(),
        Regex::new(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/").unwrap(),
        Regex::new(r"/((?:19|20)\d{2})(\d{2})(\d{2})/").unwrap(),
    ]
});

static URL_YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})(\d{2})/").unwrap());

/// Replaces full-width digits and separators with their ASCII forms so one
/// set of patterns reads both.
fn normalise_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            '／' => '/',
            '．' => '.',
            _ => c,
        })
        .collect()
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
}

/// The first plausible date written in `text` (`2023-03-28`, `2023/3/28`,
/// `2023.03.28`, `2023年3月28日`, with or without a time after, full-width
/// digits too). Years outside 1995–2099 are ignored.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let text = normalise_digits(text);
    DATE.captures_iter(&text).find_map(|c| {
        let whole = c.get(0)?;
        let digit_before = text[..whole.start()].ends_with(|ch: char| ch.is_ascii_digit());
        let digit_after = text[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit());
        let consistent = matches!(
            (&c[2], &c[4]),
            ("-", "-") | ("/", "/") | (".", ".") | ("年", "月")
        );
        if digit_before || digit_after || !consistent {
            return None;
        }
        ymd(&c[1], &c[3], &c[5])
    })
}

/// A date carried by a URL: a full date (TRS, Hanweb, `/20230331/`) as
/// [`DateSource::Url`], else a `/YYYYMM/` directory (the Heilongjiang
/// platform, TRS) as [`DateSource::UrlYearMonth`] with the day set to 1.
pub fn url_date(url: &Url) -> Option<DateFact> {
    let path = url.path();
    let full = URL_FULL
        .iter()
        .flat_map(|re| re.captures_iter(path))
        .find_map(|c| ymd(&c[1], &c[2], &c[3]));
    if let Some(date) = full {
        return Some(DateFact {
            date,
            source: DateSource::Url,
        });
    }
    URL_YEAR_MONTH
        .captures_iter(path)
        .find_map(|c| ymd(&c[1], &c[2], "1"))
        .map(|date| DateFact {
            date,
            source: DateSource::UrlYearMonth,
        })
}

/// Labels spread out to line up in a table (`发 布 日 期：`, `上 载 日 期`)
/// read as one word: a run of single-character words (the last may carry
/// its colon and value) is joined; other text keeps its spaces.
fn join_spaced_labels(text: &str) -> String {
    let single = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(is_han) && chars.next().is_none()
    };
    let starts_label_end = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(is_han) && chars.next().is_some_and(|c| !is_han(c))
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j < words.len() && single(words[j]) {
            j += 1;
        }
        if j - i >= 2 || (j - i == 1 && j < words.len() && starts_label_end(words[j])) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(words[i..j].iter().copied());
            if j < words.len() && starts_label_end(words[j]) {
                out.push_str(words[j]);
                j += 1;
            }
            i = j;
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(words[i]);
        i += 1;
    }
    out
}

/// The date after a visible publish label (发布日期, 发布时间, 发布于, 公开日期,
/// 更新时间, or a bare 日期/时间 with a colon that is not the tail of another
/// label such as 成文日期 or 生效日期).
pub fn visible_published(text: &str) -> Option<NaiveDate> {
    let text = join_spaced_labels(&normalise_digits(text));
    VISIBLE.captures_iter(&text).find_map(|c| {
        let label = c.get(1)?;
        if matches!(label.as_str(), "日期" | "时间") {
            let before = text[..label.start()].chars().next_back();
            if c.get(2).is_none() || before.is_some_and(is_han) {
                return None;
            }
        }
        find_date(&c[3])
    })
}

/// The 成文日期 (date the document was signed), shown in disclosure metadata.
pub(super) fn visible_written(text: &str) -> Option<NaiveDate> {
    let text = join_spaced_labels(&normalise_digits(text));
    WRITTEN.captures_iter(&text).find_map(|c| find_date(&c[1]))
}

/// A date from a meta tag or data field value: a written date, or epoch
/// seconds/milliseconds (read in China time).
pub fn value_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if !value.is_empty() && value.len() <= 14 && value.bytes().all(|b| b.is_ascii_digit()) {
        if value.len() == 8 {
            return ymd(&value[..4], &value[4..6], &value[6..]);
        }
        return epoch_date(value.parse().ok()?);
    }
    find_date(value)
}

/// Epoch seconds or milliseconds to a date in China time (UTC+8).
pub(super) fn epoch_date(n: i64) -> Option<NaiveDate> {
    let seconds = if n > 100_000_000_000 { n / 1000 } else { n };
    let date = chrono::DateTime::from_timestamp(seconds.checked_add(8 * 3600)?, 0)?.date_naive();
    (MIN_YEAR..=MAX_YEAR).contains(&date.year()).then_some(date)
}

/// The publish date from meta tags: the usual names first, then any other
/// tag whose name mentions a date, unless it is about 成文 (written).
pub(super) fn meta_published(meta: &BTreeMap<String, String>) -> Option<NaiveDate> {
    const NAMES: &[&str] = &[
        "pubdate",
        "publishdate",
        "firstpublishedtime",
        "releasedate",
        "publishtime",
        "pubtime",
    ];
    let named = NAMES
        .iter()
        .filter_map(|n| meta.get(*n))
        .find_map(|v| value_date(v));
    named.or_else(|| {
        meta.iter()
            .filter(|(k, _)| k.contains("date") && !is_written_name(k))
            .find_map(|(_, v)| value_date(v))
    })
}

fn is_written_name(name: &str) -> bool {
    [
        "written",
        "chengwen",
        "cwrq",
        "成文",
        "create",
        "effective",
        "expire",
    ]
    .iter()
    .any(|w| name.contains(w))
}

/// Whether `c` is a Chinese character (CJK unified ideographs and their
/// extensions).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// The publish date of a document by the usual order of trust: a visible
/// label, the meta tags, a full date in the URL, a year-month in the URL.
pub(super) fn published(
    visible_text: &str,
    meta: &BTreeMap<String, String>,
    url: &Url,
) -> Option<DateFact> {
    let visible = visible_published(visible_text).map(|date| DateFact {
        date,
        source: DateSource::Visible,
    });
    visible
        .or_else(|| {
            meta_published(meta).map(|date| DateFact {
                date,
                source: DateSource::Meta,
            })
        })
        .or_else(|| url_date(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn finds_written_forms() {
        assert_eq!(
            find_date("发布于 2023-03-28 10:00:00"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(find_date("[2023/3/8]"), Some(d(2023, 3, 8)));
        assert_eq!(find_date("2023.03.28"), Some(d(2023, 3, 28)));
        assert_eq!(find_date("2023年3月28日 星期二"), Some(d(2023, 3, 28)));
        assert_eq!(find_date("２０２３年０３月２８日"), Some(d(2023, 3, 28)));
        assert_eq!(find_date("２０２３－０３－２８"), Some(d(2023, 3, 28)));
    }

    #[test]
    fn rejects_implausible_dates() {
        assert_eq!(find_date("1990-01-01"), None);
        assert_eq!(find_date("2023-13-01"), None);
        assert_eq!(find_date("2023-02-30"), None);
        assert_eq!(find_date("2023-03.28"), None);
        assert_eq!(find_date("电话 12023-03-28"), None);
        assert_eq!(find_date("无日期"), None);
        assert_eq!(find_date("2023-02-30 2023-03-01"), Some(d(2023, 3, 1)));
    }

    #[test]
    fn url_dates_of_the_cms_families() {
        let trs = url_date(&url(
            "http://www.hljba.gov.cn/zwgk/202302/t20230218_78246924.html",
        ))
        .unwrap();
        assert_eq!(
            trs,
            DateFact {
                date: d(2023, 2, 18),
                source: DateSource::Url
            }
        );
        let hanweb = url_date(&url(
            "http://www.example.gov.cn/art/2023/3/31/art_1234_5678.html",
        ))
        .unwrap();
        assert_eq!(
            hanweb,
            DateFact {
                date: d(2023, 3, 31),
                source: DateSource::Url
            }
        );
        let compact = url_date(&url("http://x.gov.cn/news/2023/0331/123.html")).unwrap();
        assert_eq!(compact.date, d(2023, 3, 31));
        let segment = url_date(&url("http://x.gov.cn/news/20230331/123.html")).unwrap();
        assert_eq!(
            segment,
            DateFact {
                date: d(2023, 3, 31),
                source: DateSource::Url
            }
        );
        let platform = url_date(&url(
            "https://www.hljba.gov.cn/bas/c100783/202303/c12_345.shtml",
        ))
        .unwrap();
        assert_eq!(
            platform,
            DateFact {
                date: d(2023, 3, 1),
                source: DateSource::UrlYearMonth
            }
        );
        let attachment = url_date(&url(
            "http://x.gov.cn/zwgk/202303/P020230330581234567890.pdf",
        ))
        .unwrap();
        assert_eq!(
            attachment,
            DateFact {
                date: d(2023, 3, 30),
                source: DateSource::Url
            }
        );
        assert_eq!(
            url_date(&url("http://x.gov.cn/col/col1234/index.html")),
            None
        );
        let govcn = url_date(&url("http://x.gov.cn/qgx/2022-09/15/content_123.htm")).unwrap();
        assert_eq!(
            govcn,
            DateFact {
                date: d(2022, 9, 15),
                source: DateSource::Url
            }
        );
        assert_eq!(url_date(&url("http://x.gov.cn/a/202313/1.html")), None);
        assert_eq!(url_date(&url("http://x.gov.cn/info/1025/61695.htm")), None);
    }

    #[test]
    fn visible_labels_but_never_written_dates() {
        assert_eq!(
            visible_published("日期：2023-03-28 来源：北安市司法局"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(
            visible_published(
                "发 文 日 期 2019-11-29 文 号 齐政办发〔2019〕29号 上 载 日 期 2019-12-02"
            ),
            NaiveDate::from_ymd_opt(2019, 12, 2)
        );
        assert_eq!(
            visible_published("发 布 日 期：2023-03-28 成 文 日 期：2023-03-20"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(
            visible_written("发 布 日 期：2023-03-28 成 文 日 期：2023-03-20"),
            Some(d(2023, 3, 20))
        );
        // A source before the date keeps its space: 日期 still stands alone.
        assert_eq!(
            visible_published("来源：北安市司法局 日期：2023-03-28"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(
            visible_published("成文日期：2023-03-20 发布日期：2023-03-28"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(visible_published("成文日期：2023-03-20"), None);
        assert_eq!(
            visible_published("生效日期: 2023-04-01 印发日期：2023-03-01"),
            None
        );
        assert_eq!(
            visible_published("发布时间 2023年03月28日 09:30"),
            Some(d(2023, 3, 28))
        );
        assert_eq!(visible_published("办公时间：2023-01-01"), None);
        assert_eq!(
            visible_written("成文日期 2023-03-20 发布日期 2023-03-28"),
            Some(d(2023, 3, 20))
        );
    }

    #[test]
    fn meta_and_values() {
        let mut meta = BTreeMap::new();
        meta.insert("chengwendate".to_string(), "2023-03-01".to_string());
        assert_eq!(meta_published(&meta), None);
        meta.insert("pubdate".to_string(), "2023-03-28 10:00".to_string());
        assert_eq!(meta_published(&meta), Some(d(2023, 3, 28)));
        assert_eq!(value_date("1679968800000"), Some(d(2023, 3, 28)));
        assert_eq!(value_date("20230328"), Some(d(2023, 3, 28)));
        let fact = published("", &meta, &url("http://x.gov.cn/t20230101_1.html")).unwrap();
        assert_eq!(fact.source, DateSource::Meta);
    }
}
