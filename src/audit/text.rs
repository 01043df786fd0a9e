//! Small text tests shared by the detectors: normalised titles, word
//! lists, years named in a title.

use regex::Regex;
use std::sync::LazyLock;

/// Whitespace removed, full-width brackets and digits folded, a file
/// extension and a leading "附件1：" dropped: the form titles are compared in.
pub fn normalise_title(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            '：' => ':',
            _ => c,
        })
        .collect();
    static EXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|html?|shtml)$").unwrap()
    });
    static ATTACHMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(附件|附表)\d*[:.、]?").unwrap());
    s = EXT.replace(&s, "").into_owned();
    s = ATTACHMENT.replace(&s, "").into_owned();
    s.trim_matches(|c| "《》“”\"'[]【】".contains(c))
        .to_string()
}

/// The title without trailing bracketed notes ("(2023年修订)", "(全文)",
/// "（公示稿）") and quote marks: what its last word is read from.
pub fn title_core(title: &str) -> String {
    let mut s = title.trim().to_string();
    loop {
        let trimmed = s.trim_end_matches(|c| "》”\"'。.".contains(c)).to_string();
        if let Some(stripped) = trimmed.strip_suffix(')') {
            if let Some(open) = stripped.rfind('(') {
                s = stripped[..open].to_string();
                continue;
            }
        }
        if let Some(stripped) = trimmed.strip_suffix('】') {
            if let Some(open) = stripped.rfind('【') {
                s = stripped[..open].to_string();
                continue;
            }
        }
        return trimmed.replace(['《', '》', '“', '”'], "");
    }
}

/// The text contains one of the (non-empty) words.
pub fn contains_any(text: &str, words: &[String]) -> bool {
    words
        .iter()
        .any(|w| !w.is_empty() && text.contains(w.as_str()))
}

/// The longest of the words the text contains.
pub fn first_match<'a>(text: &str, words: &'a [String]) -> Option<&'a str> {
    words
        .iter()
        .filter(|w| !w.is_empty() && text.contains(w.as_str()))
        .max_by_key(|w| w.chars().count())
        .map(|w| w.as_str())
}

/// The text ends with one of the words.
pub fn ends_with_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.ends_with(w.as_str()))
}

/// Years a title names as its subject: "2022年", "2022年度", "二〇二二年".
pub fn years_named(text: &str) -> Vec<i32> {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
    static HAN_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"二[〇零○O]([〇零○O一二三四五六七八九])([〇零○O一二三四五六七八九])年").unwrap()
    });
    let mut years: Vec<i32> = YEAR
        .captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .collect();
    for c in HAN_YEAR.captures_iter(text) {
        let digit = |s: &str| {
            "〇一二三四五六七八九"
                .chars()
                .position(|d| s.starts_with(d))
                .or_else(|| "零○O".contains(s).then_some(0))
        };
        if let (Some(a), Some(b)) = (digit(&c[1]), digit(&c[2])) {
            years.push(2000 + (a * 10 + b) as i32);
        }
    }
    years.sort_unstable();
    years.dedup();
    years
}

/// The year a report body says it covers: "统计期限为2022年1月1日", or the
/// year most often written as "2022年，" / "2022年度" in its opening.
pub fn body_report_year(text: &str) -> Option<i32> {
    static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:统计期限|统计期间|统计时限)[^0-9]{0,6}((?:19|20)\d{2})\s*年").unwrap()
    });
    if let Some(c) = PERIOD.captures(text) {
        return c[1].parse().ok();
    }
    static OPENING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年(?:度|[，,]|以来)").unwrap());
    let head: String = text.chars().take(1500).collect();
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for c in OPENING.captures_iter(&head) {
        let y: i32 = match c[1].parse() {
            Ok(y) => y,
            Err(_) => continue,
        };
        match counts.iter_mut().find(|(year, _)| *year == y) {
            Some((_, n)) => *n += 1,
            None => counts.push((y, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_normalise() {
        assert_eq!(normalise_title(" 附件1：2022年 报告.pdf"), "2022年报告");
        assert_eq!(
            normalise_title("《北安市政府信息公开指南》"),
            "北安市政府信息公开指南"
        );
        assert_eq!(
            title_core("北安市政府信息公开指南(2023年修订)"),
            "北安市政府信息公开指南"
        );
        assert_eq!(
            title_core("关于2022年度法治政府建设工作情况的报告【全文】"),
            "关于2022年度法治政府建设工作情况的报告"
        );
    }

    #[test]
    fn years_in_titles() {
        assert_eq!(
            years_named("北安市2022年度法治政府建设情况报告"),
            vec![2022]
        );
        assert_eq!(
            years_named("二〇二二年政府信息公开工作年度报告"),
            vec![2022]
        );
        assert!(years_named("政府信息公开指南").is_empty());
    }

    #[test]
    fn body_years() {
        assert_eq!(
            body_report_year("本报告统计期限为2022年1月1日至2022年12月31日。"),
            Some(2022)
        );
        assert_eq!(body_report_year("2021年，我市坚持……2021年度"), Some(2021));
        assert_eq!(body_report_year("无年份"), None);
    }
}
