//! Who issued a document: the county government, its office, one of its
//! departments or townships, or another government altogether.
//!
//! The 司法局 drafting the county's rule-of-law report, a township's annual
//! report, the city's report reposted: the classic traps all turn on this.
//! Evidence, strongest first: the title's prefix, then 发布机构/来源, then
//! the column the page sits in.

use super::text::contains_any;
use crate::rubric::IssuerVocabulary;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
/// Who issued a document, as far as its title, 发布机构 and columns tell.
pub enum Issuer {
    /// The county government (人民政府).
    County,
    /// The county government's office (人民政府办公室).
    Office,
    /// One of the county's departments (局, 委员会 …), by name.
    Department(String),
    /// One of the county's townships or streets, by name.
    Township(String),
    /// The city, the province or the state.
    HigherLevel(String),
    /// Another county, or a zone committee sharing the county's name.
    OtherCounty(String),
    /// Nothing names the issuer.
    Unknown,
}

impl Issuer {
    /// The issuer as a reason sentence names it.
    pub fn describe(&self) -> String {
        match self {
            Issuer::County => "the county government".into(),
            Issuer::Office => "the county government's office".into(),
            Issuer::Department(n) => format!("a department ({n})"),
            Issuer::Township(n) => format!("a township ({n})"),
            Issuer::HigherLevel(n) => format!("a higher level ({n})"),
            Issuer::OtherCounty(n) => format!("another government ({n})"),
            Issuer::Unknown => "unknown".into(),
        }
    }
}

/// The county's name without its 市/县/区 suffix ("北安", "五大连池").
pub fn short_name(county: &str) -> &str {
    let trimmed = county
        .strip_suffix('市')
        .or_else(|| county.strip_suffix('县'))
        .or_else(|| county.strip_suffix('区'))
        .unwrap_or(county);
    if trimmed.chars().count() >= 2 {
        trimmed
    } else {
        county
    }
}

/// The organisation named at the start of a title: the text before the
/// year, "关于", a subject word or the first topic word.
pub fn title_prefix<'a>(title: &'a str, topic: &[String], vocab: &IssuerVocabulary) -> &'a str {
    let title = title.strip_prefix("关于").unwrap_or(title);
    let mut end = title
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(title.len(), |(i, _)| i);
    // These start the subject, never the issuer's name
    // ("讷河市财政局|政府信息公开保密审查制度").
    let structural = ["关于", "年度", "印发", "《", "二〇", "二○", "二零"];
    let subject_words = vocab.subject_words.iter().map(String::as_str);
    for marker in structural.into_iter().chain(subject_words) {
        if let Some(at) = title.find(marker) {
            end = end.min(at);
        }
    }
    for word in topic {
        if let Some(at) = title.find(word.as_str()) {
            end = end.min(at);
        }
    }
    &title[..end]
}

/// Classify an organisation name relative to `county`.
pub fn classify_org(org: &str, county: &str, vocab: &IssuerVocabulary) -> Issuer {
    let org = org.trim().trim_end_matches(['：', ':', '，', ',']);
    if org.is_empty() {
        return Issuer::Unknown;
    }
    if let Some(zone) = vocab
        .not_the_county
        .iter()
        .find(|w| org.contains(w.as_str()))
    {
        return Issuer::OtherCounty(zone.clone());
    }
    let short = short_name(county);
    if let Some(at) = org.rfind(short) {
        let mut rest = &org[at + short.len()..];
        for suffix in ["市", "县", "区"] {
            if county.ends_with(suffix) {
                rest = rest.strip_prefix(suffix).unwrap_or(rest);
            }
        }
        let rest = rest.trim_start_matches(['委', '\u{0}']).trim();
        return classify_rest(rest, org, vocab);
    }
    if let Some(higher) = vocab
        .higher_levels
        .iter()
        .find(|w| org.contains(w.as_str()))
    {
        return Issuer::HigherLevel(higher.clone());
    }
    static OTHER_PLACE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{Han}{1,6}?(省|市|县|区|旗)").unwrap());
    if let Some(m) = OTHER_PLACE.find(org) {
        let place = m.as_str();
        if place.ends_with('省') || vocab.cities.iter().any(|c| c == place) {
            return Issuer::HigherLevel(place.to_string());
        }
        // "市政府办公室", "县司法局": the county itself spoken of generically.
        if place.chars().count() == 1 {
            return classify_rest(&org[place.len()..], org, vocab);
        }
        return Issuer::OtherCounty(place.to_string());
    }
    classify_rest(org, org, vocab)
}

fn classify_rest(rest: &str, whole: &str, vocab: &IssuerVocabulary) -> Issuer {
    let mut rest = rest.trim();
    // "教育局政府信息公开指南" cut before 信息公开 leaves "教育局政府": the
    // trailing 政府 belongs to the topic, not the issuer.
    for tail in ["人民政府", "政府", "人民"] {
        if let Some(head) = rest.strip_suffix(tail) {
            if !head.is_empty() && !vocab.county_government.iter().any(|w| w == rest) {
                rest = head;
                break;
            }
        }
    }
    if rest == "人民" {
        return Issuer::County;
    }
    if rest.is_empty() || vocab.county_government.iter().any(|w| rest == w) {
        return Issuer::County;
    }
    if vocab.office.iter().any(|w| rest == w) {
        return Issuer::Office;
    }
    if vocab
        .township_suffixes
        .iter()
        .any(|s| rest.ends_with(s.as_str()))
    {
        return Issuer::Township(whole.to_string());
    }
    if vocab
        .department_suffixes
        .iter()
        .any(|s| rest.ends_with(s.as_str()))
    {
        return Issuer::Department(whole.to_string());
    }
    if vocab
        .county_government
        .iter()
        .any(|w| rest.starts_with(w.as_str()))
    {
        return Issuer::County;
    }
    Issuer::Unknown
}

/// Facts that may name the issuer, strongest first.
pub struct IssuerEvidence<'a> {
    /// The document's title: a prefix naming an organisation decides.
    pub title: &'a str,
    /// 发布机构/来源 as the page states it.
    pub publisher: Option<&'a str>,
    /// Column name and breadcrumb entries.
    pub columns: Vec<&'a str>,
}

/// The issuer of a document. A title naming the county decides; an
/// unprefixed title defers to 发布机构, then to the column tree (a page in a
/// department's or township's sub-tree). Publishing through the county
/// government's office counts as the county.
pub fn issuer_of(
    evidence: &IssuerEvidence,
    topic: &[String],
    county: &str,
    vocab: &IssuerVocabulary,
) -> Issuer {
    let from_title = classify_org(title_prefix(evidence.title, topic, vocab), county, vocab);
    if from_title != Issuer::Unknown {
        return from_title;
    }
    if let Some(publisher) = evidence.publisher {
        match classify_org(publisher, county, vocab) {
            Issuer::Unknown => {}
            Issuer::Office => return Issuer::County,
            other => return other,
        }
    }
    for column in &evidence.columns {
        let column = column.trim();
        if contains_any(column, &vocab.department_trees) && !column.contains("目录") {
            return Issuer::Department(column.to_string());
        }
        if contains_any(column, &vocab.township_trees) && !column.contains("目录") {
            return Issuer::Township(column.to_string());
        }
        match classify_org(column, county, vocab) {
            i @ (Issuer::Department(_) | Issuer::Township(_))
                if column.chars().count() <= 12 && !column.contains("公开") =>
            {
                return i
            }
            _ => {}
        }
    }
    Issuer::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;

    fn vocab() -> IssuerVocabulary {
        Rubric::default_rubric().issuer
    }

    fn topic() -> Vec<String> {
        vec!["法治政府建设".to_string()]
    }

    fn of_title(title: &str, county: &str) -> Issuer {
        classify_org(title_prefix(title, &topic(), &vocab()), county, &vocab())
    }

    #[test]
    fn county_titles() {
        assert_eq!(
            of_title("北安市人民政府关于2022年度法治政府建设情况的报告", "北安市"),
            Issuer::County
        );
        assert_eq!(
            of_title("北安市2022年度法治政府建设情况报告", "北安市"),
            Issuer::County
        );
        assert_eq!(
            of_title("黑河市爱辉区人民政府2022年法治政府建设工作报告", "爱辉区"),
            Issuer::County
        );
        // A joint report of the county's Party committee and government.
        assert_eq!(
            of_title(
                "中共北安市委北安市人民政府关于2022年度法治政府建设情况的报告",
                "北安市"
            ),
            Issuer::County
        );
        assert_eq!(
            of_title("关于2022年度法治政府建设工作情况的报告", "北安市"),
            Issuer::Unknown
        );
    }

    #[test]
    fn traps() {
        assert!(matches!(
            of_title("北安市司法局2022年度法治政府建设工作报告", "北安市"),
            Issuer::Department(_)
        ));
        assert!(matches!(
            of_title("通北镇2022年法治政府建设情况报告", "北安市"),
            Issuer::Township(_)
        ));
        assert!(matches!(
            of_title("黑河市2022年法治政府建设情况报告", "北安市"),
            Issuer::HigherLevel(_)
        ));
        assert!(matches!(
            of_title("黑龙江省2022年法治政府建设情况报告", "北安市"),
            Issuer::HigherLevel(_)
        ));
        assert!(matches!(
            of_title("嫩江市2022年法治政府建设情况报告", "北安市"),
            Issuer::OtherCounty(_)
        ));
        assert!(matches!(
            of_title(
                "五大连池风景区管委会2022年法治政府建设情况报告",
                "五大连池市"
            ),
            Issuer::OtherCounty(_)
        ));
        assert_eq!(
            of_title(
                "北安市人民政府办公室2022年政府信息公开工作年度报告",
                "北安市"
            ),
            Issuer::Office
        );
        assert!(matches!(
            of_title("司法局2022年度法治政府建设工作报告", "北安市"),
            Issuer::Department(_)
        ));
    }

    #[test]
    fn disclosure_words_end_the_issuer() {
        let t = |title: &str| classify_org(title_prefix(title, &[], &vocab()), "讷河市", &vocab());
        assert!(matches!(
            t("讷河市财政局政府信息公开保密审查制度"),
            Issuer::Department(_)
        ));
        assert_eq!(t("讷河市人民政府信息公开指南"), Issuer::County);
        assert_eq!(t("讷河市政府信息公开工作年度报告"), Issuer::County);
    }

    #[test]
    fn publisher_and_columns_decide_unprefixed_titles() {
        let v = vocab();
        let e = IssuerEvidence {
            title: "2022年度法治政府建设情况报告",
            publisher: Some("北安市司法局"),
            columns: vec![],
        };
        assert!(matches!(
            issuer_of(&e, &topic(), "北安市", &v),
            Issuer::Department(_)
        ));
        let e = IssuerEvidence {
            title: "2022年度法治政府建设情况报告",
            publisher: Some("北安市人民政府办公室"),
            columns: vec![],
        };
        assert_eq!(issuer_of(&e, &topic(), "北安市", &v), Issuer::County);
        let e = IssuerEvidence {
            title: "2022年政府信息公开工作年度报告",
            publisher: None,
            columns: vec!["首页", "部门信息公开", "北安市教育局"],
        };
        assert!(matches!(
            issuer_of(&e, &topic(), "北安市", &v),
            Issuer::Department(_)
        ));
        let e = IssuerEvidence {
            title: "2022年政府信息公开工作年度报告",
            publisher: None,
            columns: vec!["首页", "政府信息公开", "政府信息公开年报"],
        };
        assert_eq!(issuer_of(&e, &topic(), "北安市", &v), Issuer::Unknown);
    }
}
