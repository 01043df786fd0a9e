//! The rubric as data: items, points, vocabulary, year and deadline rules.
//!
//! Everything that changes with a year or a city lives in a TOML file
//! (`rubrics/heihe-2023.toml`, embedded as the default; `--rubric FILE`
//! overrides it). Detectors read their words, the report year and the
//! deadlines from here, so no year is hard-coded in Rust.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Why a rubric could not be loaded; each message names the file and the
/// line or field at fault.
#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    /// The file could not be read.
    #[error("cannot read rubric file {path}")]
    Read {
        /// The file as given.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The TOML does not parse or does not fit the rubric's shape.
    #[error("{origin}: {detail}")]
    Syntax {
        /// The file, or `<embedded rubric>`.
        origin: String,
        /// The line and field at fault, and what was wrong.
        detail: String,
    },
    /// Two items share an id.
    #[error("{origin}: item id `{id}` appears twice (field `item.id`)")]
    DuplicateItem {
        /// The file, or `<embedded rubric>`.
        origin: String,
        /// The repeated id.
        id: String,
    },
    /// An item has no topic words, so no detector could find it.
    #[error("{origin}: item `{id}` has no `topic` words")]
    NoTopic {
        /// The file, or `<embedded rubric>`.
        origin: String,
        /// The item's id.
        id: String,
    },
    /// An item names a group no `[[group]]` defines.
    #[error("{origin}: item `{id}` names group `{group}` that no [[group]] defines")]
    UnknownGroup {
        /// The file, or `<embedded rubric>`.
        origin: String,
        /// The item's id.
        id: String,
        /// The group it names.
        group: String,
    },
}

/// The shipped rubric's file name in the repository, and the name
/// `govcheck init` gives the copy it writes.
pub const DEFAULT_RUBRIC_FILE: &str = "rubrics/heihe-2023.toml";

/// The rubric that ships with govcheck.
pub const DEFAULT_RUBRIC: &str = include_str!("../rubrics/heihe-2023.toml");

/// One rubric file: its name, its vocabularies, its items and their groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// `[rubric]`: what the rubric is and which year it judges.
    pub rubric: RubricMeta,
    /// `[crawl]`: words that steer the crawl whatever the item.
    pub crawl: CrawlVocabulary,
    /// `[issuer]`: words that tell who issued a document.
    pub issuer: IssuerVocabulary,
    /// `[document]`: words that tell what a page, link or title is.
    pub document: DocumentVocabulary,
    /// `[[item]]`: the rubric rows, in report order.
    #[serde(rename = "item")]
    pub items: Vec<Item>,
    /// `[[group]]`: items that share a cap.
    #[serde(rename = "group", default)]
    pub groups: Vec<Group>,
}

/// The rubric's `[rubric]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricMeta {
    /// Short id (`heihe-2023`), recorded with every run.
    pub id: String,
    /// Version of the rubric file, recorded with every run.
    pub version: String,
    /// The evaluation's name as reports show it.
    pub name: String,
    /// The year whose reports the evaluation looks for (2022 for the 2023
    /// campaign).
    pub report_year: i32,
    /// Points of the whole online part, groups capped.
    pub total_points: u32,
}

/// Words that steer the crawl whatever the item (`[crawl]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrawlVocabulary {
    /// Words that lead to the disclosure platform as a whole (政务公开,
    /// `zwgk`): a link carrying one may hold any disclosure item.
    pub generic_leads: Vec<String>,
    /// Words of sections that never hold rubric items (crawled last).
    pub unlikely: Vec<String>,
}

/// Words that tell who issued a document (`[issuer]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerVocabulary {
    /// Endings of the county government's own name (人民政府).
    pub county_government: Vec<String>,
    /// Endings of the county government's office (人民政府办公室).
    pub office: Vec<String>,
    /// Endings of a department's name (局, 委员会, 中心 …).
    pub department_suffixes: Vec<String>,
    /// Endings of a township's name (镇, 乡, 街道 …).
    pub township_suffixes: Vec<String>,
    /// Names of the city, the province and the state.
    pub higher_levels: Vec<String>,
    /// Zones and committees that share a county's name but are not it.
    pub not_the_county: Vec<String>,
    /// The city above the counties, by its bare name (黑河市): a title
    /// starting with it is a higher level's.
    pub cities: Vec<String>,
    /// Disclosure words that start a title's subject, never an issuer's
    /// name ("讷河市财政局|政府信息公开保密审查制度").
    pub subject_words: Vec<String>,
    /// Words of a column tree holding the departments' pages (部门信息公开).
    pub department_trees: Vec<String>,
    /// Words of a column tree holding the townships' pages (乡镇, 街道).
    pub township_trees: Vec<String>,
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
    /// Link texts that say nothing of their target (附件, 下载, 详情): a
    /// short link text starting with one does not name an attachment.
    pub generic_link_text: Vec<String>,
    /// Breadcrumb entries of the homepage (首页), not a column.
    pub home_crumbs: Vec<String>,
    /// What an empty column says (暂无信息, 正在建设).
    pub empty_column: Vec<String>,
    /// What may follow a section's name in a homepage link to that section
    /// itself (政务公开专栏, 信息公开平台), as opposed to one of its
    /// sub-columns (基层政务公开).
    #[serde(default)]
    pub section_suffixes: Vec<String>,
    /// Names of service platforms (12345, 政务服务网): a link naming one
    /// is about an item only when its text names the item's own topic.
    #[serde(default)]
    pub service_platforms: Vec<String>,
}

/// What sort of evidence an item needs; picks the detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A yearly report of the county (items 3 and 9).
    Report,
    /// The 权责清单 (item 4), on the site or in the provincial system.
    List,
    /// The disclosure column the homepage links (7.column).
    Column,
    /// The 政府信息公开指南 (7.guide).
    Guide,
    /// The 政府信息公开目录 or 法定主动公开内容 tree (7.catalogue).
    Catalogue,
    /// The county's own disclosure rules (item 8).
    Rules,
    /// A key-domain column with an item in the window (10.*).
    Domain,
    /// Debt information in the window (21.debt).
    Debt,
}

/// Which year test an item's documents must pass.
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

/// Which issuers an item accepts.
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

/// One rubric row: its points, its detector and its words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The row's id in the rubric ("3", "7.guide", "10.education").
    pub id: String,
    /// Items of a group share a cap (7: column/guide/catalogue; 10: domains).
    pub group: Option<String>,
    /// The row's name in the rubric.
    pub name: String,
    /// Points the row is worth.
    pub points: u32,
    /// Which detector judges it.
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
    /// For 7.guide: the sections a guide's body explains (主动公开,
    /// 依申请公开, 监督和救济); a body naming two of them is a guide.
    #[serde(default)]
    pub sections: Vec<WordGroup>,
    /// For 7.guide: the particulars a complete guide names (office,
    /// address, hours, phone), reported present or missing, not required.
    #[serde(default)]
    pub particulars: Vec<WordGroup>,
    /// For 21.debt: budget packages that count when they carry debt tables.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Link words that lead towards this item (crawl priority).
    pub leads: Vec<String>,
    /// The year test its documents must pass.
    pub year_rule: YearRule,
    /// The issuers it accepts.
    pub issuer_rule: IssuerRule,
    /// Published on or after this date → `fail`, reason `late`.
    pub deadline: Option<NaiveDate>,
    /// Published on or after this date → still `pass`, lateness noted.
    pub report_late_after: Option<NaiveDate>,
    /// External systems (hosts or path words) where this item may live.
    #[serde(default)]
    pub external_systems: Vec<String>,
}

/// A named group of words: one section or particular a body may carry,
/// present when any of its words is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordGroup {
    /// What the reason calls it ("phone", "依申请公开").
    pub name: String,
    /// Any of these in the body shows it.
    pub words: Vec<String>,
}

/// Items that share a cap (7: column, guide and catalogue; 10: domains).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The id its items name in `group`.
    pub id: String,
    /// The group's name in the rubric.
    pub name: String,
    /// The most points its items earn together.
    pub cap: u32,
}

impl Rubric {
    /// The embedded default rubric.
    pub fn default_rubric() -> Rubric {
        Rubric::parse(DEFAULT_RUBRIC, "<embedded rubric>").expect("the embedded rubric is valid")
    }

    /// Read and check the rubric in `path` (`--rubric FILE`).
    pub fn load(path: &Path) -> Result<Rubric, RubricError> {
        let text = std::fs::read_to_string(path).map_err(|source| RubricError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Rubric::parse(&text, &path.display().to_string())
    }

    /// Parse and check a rubric; errors name the file, line and field.
    pub fn parse(text: &str, origin: &str) -> Result<Rubric, RubricError> {
        let rubric: Rubric = toml::from_str(text).map_err(|e| RubricError::Syntax {
            origin: origin.to_string(),
            detail: crate::campaign::describe_toml_error(text, &e),
        })?;
        rubric.check(origin)?;
        Ok(rubric)
    }

    /// What TOML cannot say: ids unique, topics present, groups defined.
    fn check(&self, origin: &str) -> Result<(), RubricError> {
        let mut ids = BTreeSet::new();
        for item in &self.items {
            if !ids.insert(item.id.as_str()) {
                return Err(RubricError::DuplicateItem {
                    origin: origin.to_string(),
                    id: item.id.clone(),
                });
            }
            if item.topic.is_empty() {
                return Err(RubricError::NoTopic {
                    origin: origin.to_string(),
                    id: item.id.clone(),
                });
            }
            if let Some(group) = &item.group {
                if !self.groups.iter().any(|g| &g.id == group) {
                    return Err(RubricError::UnknownGroup {
                        origin: origin.to_string(),
                        id: item.id.clone(),
                        group: group.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The group with this id.
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
