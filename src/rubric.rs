//! The rubric as data: items, points, vocabulary, year and deadline rules.
//!
//! Everything that changes with a year or a city lives in a TOML file
//! (`rubrics/heihe-2023.toml`, embedded as the default; `--rubric FILE`
//! overrides it). Detectors read their words, the report year and the
//! deadlines from here, so no year is hard-coded in Rust.

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// The rubric that ships with govcheck.
pub const DEFAULT_RUBRIC: &str = include_str!("../rubrics/heihe-2023.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub rubric: RubricMeta,
    pub crawl: CrawlVocabulary,
    pub issuer: IssuerVocabulary,
    pub document: DocumentVocabulary,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
    #[serde(rename = "group", default)]
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricMeta {
    pub id: String,
    pub version: String,
    pub name: String,
    /// The year whose reports the evaluation looks for (2022 for the 2023
    /// campaign).
    pub report_year: i32,
    pub total_points: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrawlVocabulary {
    pub generic_leads: Vec<String>,
    pub unlikely: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerVocabulary {
    pub county_government: Vec<String>,
    pub office: Vec<String>,
    pub department_suffixes: Vec<String>,
    pub township_suffixes: Vec<String>,
    pub higher_levels: Vec<String>,
    pub not_the_county: Vec<String>,
}

/// Words that tell what a page, a link or a title is, whatever item it
/// bears on (`[document]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentVocabulary {
    /// Standard sub-column labels: a link with exactly this text is
    /// navigation, not a document.
    pub navigation_labels: Vec<String>,
    /// Columns of news: their rows are headlines, not disclosures.
    pub news_columns: Vec<String>,
    /// The mark of a disclosure text (公开): a rule outside a 制度 column,
    /// or a reposted higher-level text, carries it in its title.
    pub disclosure: Vec<String>,
    /// The disclosure work a county's own rule names in its title when it
    /// stands outside a 制度 column.
    pub disclosure_work: Vec<String>,
    /// Kinds of text only a higher level issues (条例), whoever reposts it.
    pub regulations: Vec<String>,
}

/// What sort of evidence an item needs; picks the detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Report,
    List,
    Column,
    Guide,
    Catalogue,
    Rules,
    Domain,
    Debt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearRule {
    /// No year test.
    None,
    /// The document must be about `rubric.report_year`.
    ReportYear,
    /// Dated inside the campaign window.
    Window,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerRule {
    /// Any issuer (key-domain columns hold departments' documents).
    Any,
    /// The county government itself.
    County,
    /// The county government, or its office when no whole-county report
    /// exists (item 9).
    CountyOrOffice,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    /// Items of a group share a cap (7: column/guide/catalogue; 10: domains).
    pub group: Option<String>,
    pub name: String,
    pub points: u32,
    pub kind: ItemKind,
    /// Words whose presence in a title or column name makes a page a
    /// candidate.
    pub topic: Vec<String>,
    /// A candidate title must end with one of these (the kind test).
    #[serde(default)]
    pub title_ends: Vec<String>,
    /// Words that disqualify a candidate title (要点, 通知, 部门预算…).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Words in a body that confirm the kind (a real guide names its
    /// office and phone; a real report has the six headings).
    #[serde(default)]
    pub body_markers: Vec<String>,
    /// For item 8: words of a county's own disclosure rules.
    #[serde(default)]
    pub rule_words: Vec<String>,
    /// For reports: kinds of paper (要点, 通知 …) whose title, naming the
    /// topic but failing the kind test, is the wrong kind rather than
    /// another page.
    #[serde(default)]
    pub paper_words: Vec<String>,
    /// For item 4: words of a list row that is one of the lists.
    #[serde(default)]
    pub row_words: Vec<String>,
    /// For 7.catalogue: topic words that name the 法定主动公开内容 tree
    /// rather than a 目录.
    #[serde(default)]
    pub tree_words: Vec<String>,
    /// For 21.debt: budget packages that count when they carry debt tables.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Link words that lead towards this item (crawl priority).
    pub leads: Vec<String>,
    pub year_rule: YearRule,
    pub issuer_rule: IssuerRule,
    /// Published on or after this date → `fail`, reason `late`.
    pub deadline: Option<NaiveDate>,
    /// Published on or after this date → still `pass`, lateness noted.
    pub report_late_after: Option<NaiveDate>,
    /// External systems (hosts or path words) where this item may live.
    #[serde(default)]
    pub external_systems: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub cap: u32,
}

impl Rubric {
    /// The embedded default rubric.
    pub fn default_rubric() -> Rubric {
        Rubric::parse(DEFAULT_RUBRIC, "<embedded rubric>").expect("the embedded rubric is valid")
    }

    pub fn load(path: &Path) -> Result<Rubric> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rubric file {}", path.display()))?;
        Rubric::parse(&text, &path.display().to_string())
    }

    /// Parse and check a rubric; errors name the file, line and field.
    pub fn parse(text: &str, origin: &str) -> Result<Rubric> {
        let rubric: Rubric = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{origin}: {}",
                crate::campaign::describe_toml_error(text, &e)
            )
        })?;
        rubric.check(origin)?;
        Ok(rubric)
    }

    fn check(&self, origin: &str) -> Result<()> {
        let mut ids = BTreeSet::new();
        for item in &self.items {
            if !ids.insert(item.id.as_str()) {
                bail!(
                    "{origin}: item id `{}` appears twice (field `item.id`)",
                    item.id
                );
            }
            if item.topic.is_empty() {
                bail!("{origin}: item `{}` has no `topic` words", item.id);
            }
            if let Some(group) = &item.group {
                if !self.groups.iter().any(|g| &g.id == group) {
                    bail!(
                        "{origin}: item `{}` names group `{group}` that no [[group]] defines",
                        item.id
                    );
                }
            }
        }
        Ok(())
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rubric_has_the_seventeen_rows_and_32_points() {
        let r = Rubric::default_rubric();
        assert_eq!(r.items.len(), 17);
        assert_eq!(r.rubric.report_year, 2022);
        let mut total = 0;
        for g in &r.groups {
            total += g.cap;
        }
        total += r
            .items
            .iter()
            .filter(|i| i.group.is_none())
            .map(|i| i.points)
            .sum::<u32>();
        assert_eq!(total, r.rubric.total_points);
        assert_eq!(
            r.item("3").unwrap().deadline,
            NaiveDate::from_ymd_opt(2023, 4, 1)
        );
    }

    #[test]
    fn bad_rubric_names_line_and_field() {
        let text = DEFAULT_RUBRIC.replace("report_year = 2022", "report_year = \"x\"");
        let err = Rubric::parse(&text, "r.toml").unwrap_err().to_string();
        assert!(err.contains("r.toml"), "{err}");
        assert!(err.contains("line"), "{err}");
        assert!(err.contains("report_year"), "{err}");
    }

    #[test]
    fn duplicate_item_is_refused() {
        let text = DEFAULT_RUBRIC.replace("id = \"4\"", "id = \"3\"");
        let err = Rubric::parse(&text, "r.toml").unwrap_err().to_string();
        assert!(err.contains("appears twice"), "{err}");
    }
}
