//! The campaign: which counties to check, and the evaluation window.
//!
//! The shipped campaign (`targets/heihe-2023.toml`) is embedded in the
//! binary, like the rubric, so govcheck runs from any directory;
//! `--targets FILE` replaces it. Mistakes in a user's file are the most
//! likely error, so every error names the file, the line and the field.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;
use url::Url;

/// The shipped campaign's file name in the repository, and the name
/// `govcheck init` gives the copy it writes.
pub const DEFAULT_TARGETS_FILE: &str = "targets/heihe-2023.toml";

/// The shipped campaign, embedded: what `crawl` and `check` use without
/// `--targets`.
pub const DEFAULT_CAMPAIGN: &str = include_str!("../targets/heihe-2023.toml");

/// How errors and `campaign show` name the embedded campaign.
pub const EMBEDDED_ORIGIN: &str = "<embedded targets/heihe-2023.toml>";

/// The counties to check and the window their disclosures must fall in.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The campaign's name (recorded in the archive and the history).
    pub name: String,
    /// First day of the evaluation window.
    pub window_start: NaiveDate,
    /// Last day of the evaluation window.
    pub window_end: NaiveDate,
    /// The counties, in the file's order.
    pub counties: Vec<County>,
}

/// One county and its government website.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    /// The county's name, as titles and issuers name it.
    pub name: String,
    /// The site's homepage.
    pub url: Url,
}

/// Where in a targets file a mistake is: file, line and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as named to the user.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// The field, e.g. `county.url`.
    pub field: &'static str,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: field `{}`", self.origin, self.line, self.field)
    }
}

/// A targets file that cannot be read or makes no sense; every message
/// names the file, and where it can the line and the field.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// The file could not be read.
    #[error("cannot read targets file {}", .path.display())]
    Read {
        /// The targets file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or not the expected fields.
    #[error("{origin}: {message}")]
    Syntax {
        /// The file, as named to the user.
        origin: String,
        /// "line N: field `x`: message", as [`describe_toml_error`] puts it.
        message: String,
    },
    /// A window date is not `YYYY-MM-DD`.
    #[error("{at}: `{value}` is not a date like 2022-07-01")]
    BadDate {
        /// Where.
        at: Place,
        /// The text given.
        value: String,
    },
    /// The window ends before it starts.
    #[error("{at}: window_end {end} is before window_start {start}")]
    WindowReversed {
        /// Where (the window's end).
        at: Place,
        /// The window's start.
        start: NaiveDate,
        /// The window's end.
        end: NaiveDate,
    },
    /// No county to check.
    #[error("{origin}: no [[county]] entries: nothing to check")]
    NoCounties {
        /// The file, as named to the user.
        origin: String,
    },
    /// A county without a name.
    #[error("{at}: county name is empty")]
    EmptyName {
        /// Where.
        at: Place,
    },
    /// A county listed twice.
    #[error("{at}: county `{name}` is listed twice (first on line {first})")]
    DuplicateName {
        /// Where (the second entry).
        at: Place,
        /// The county.
        name: String,
        /// The line of the first entry.
        first: usize,
    },
    /// A county URL that does not parse.
    #[error("{at}: `{value}` is not a URL: {reason}")]
    BadUrl {
        /// Where.
        at: Place,
        /// The text given.
        value: String,
        /// Why it does not parse.
        reason: url::ParseError,
    },
    /// A county URL that is not http or https.
    #[error("{at}: `{url}` is not an http(s) URL")]
    NotHttp {
        /// Where.
        at: Place,
        /// The URL given.
        url: String,
    },
    /// A county URL carrying a user name or password, which would be
    /// copied into every output.
    #[error("{at}: the URL carries credentials (user:password@); give the site's public address")]
    Credentials {
        /// Where.
        at: Place,
    },
    /// A county URL without a host.
    #[error("{at}: `{url}` has no host")]
    NoHost {
        /// Where.
        at: Place,
        /// The URL given.
        url: String,
    },
    /// Two counties with one site.
    #[error("{at}: `{url}` is the same site as county `{other}`")]
    SameSite {
        /// Where (the second entry).
        at: Place,
        /// The URL given.
        url: String,
        /// The county listed first with this site.
        other: String,
    },
}

impl Campaign {
    /// Whether `date` falls in the evaluation window (both ends included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.window_start && date <= self.window_end
    }

    /// The embedded shipped campaign.
    pub fn default_campaign() -> Campaign {
        Campaign::parse(DEFAULT_CAMPAIGN, EMBEDDED_ORIGIN).expect("the embedded campaign is valid")
    }

    /// The targets file at `path` (`--targets FILE`), else the embedded
    /// campaign.
    pub fn load_or_default(path: Option<&Path>) -> Result<Campaign, CampaignError> {
        match path {
            Some(path) => Campaign::load(path),
            None => Ok(Campaign::default_campaign()),
        }
    }

    /// Read and check the targets file at `path`.
    pub fn load(path: &Path) -> Result<Campaign, CampaignError> {
        let text = std::fs::read_to_string(path).map_err(|source| CampaignError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Campaign::parse(&text, &path.display().to_string())
    }

    /// Parse and check a targets file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Campaign, CampaignError> {
        let raw: RawTargets = toml::from_str(text).map_err(|e| CampaignError::Syntax {
            origin: origin.to_string(),
            message: describe_toml_error(text, &e),
        })?;
        let at = |span: std::ops::Range<usize>, field: &'static str| Place {
            origin: origin.to_string(),
            line: line_of(text, span.start),
            field,
        };
        let window_start = parse_date(&raw.campaign.window_start, || {
            at(raw.campaign.window_start.span(), "campaign.window_start")
        })?;
        let window_end = parse_date(&raw.campaign.window_end, || {
            at(raw.campaign.window_end.span(), "campaign.window_end")
        })?;
        if window_end < window_start {
            return Err(CampaignError::WindowReversed {
                at: at(raw.campaign.window_end.span(), "campaign.window_end"),
                start: window_start,
                end: window_end,
            });
        }
        if raw.county.is_empty() {
            return Err(CampaignError::NoCounties {
                origin: origin.to_string(),
            });
        }
        let mut seen = Seen::default();
        let counties = raw
            .county
            .into_iter()
            .map(|county| seen.check(county, text, &at))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Campaign {
            name: raw.campaign.name,
            window_start,
            window_end,
            counties,
        })
    }
}

/// The counties checked so far, to refuse one listed twice.
#[derive(Default)]
struct Seen {
    /// Names, with the line of their entry.
    names: BTreeMap<String, usize>,
    /// Site keys, with the county of their entry.
    sites: BTreeMap<String, String>,
}

impl Seen {
    /// Check one `[[county]]` entry: a name, an http(s) URL with a host,
    /// neither seen before.
    fn check(
        &mut self,
        county: RawCounty,
        text: &str,
        at: &impl Fn(std::ops::Range<usize>, &'static str) -> Place,
    ) -> Result<County, CampaignError> {
        let name = county.name.get_ref().trim().to_string();
        let name_line = line_of(text, county.name.span().start);
        let name_at = || at(county.name.span(), "county.name");
        if name.is_empty() {
            return Err(CampaignError::EmptyName { at: name_at() });
        }
        if let Some(first) = self.names.insert(name.clone(), name_line) {
            return Err(CampaignError::DuplicateName {
                at: name_at(),
                name,
                first,
            });
        }
        let url_at = || at(county.url.span(), "county.url");
        let url =
            Url::parse(county.url.get_ref().trim()).map_err(|reason| CampaignError::BadUrl {
                at: url_at(),
                value: county.url.get_ref().clone(),
                reason,
            })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(CampaignError::NotHttp {
                at: url_at(),
                url: url.to_string(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CampaignError::Credentials { at: url_at() });
        }
        if url.host_str().is_none() {
            return Err(CampaignError::NoHost {
                at: url_at(),
                url: url.to_string(),
            });
        }
        let site_key = site_key(&url);
        if let Some(other) = self.sites.insert(site_key, name.clone()) {
            return Err(CampaignError::SameSite {
                at: url_at(),
                url: url.to_string(),
                other,
            });
        }
        Ok(County { name, url })
    }
}

/// Host and port without scheme or `www.`: two entries with the same key
/// are one site.
fn site_key(url: &Url) -> String {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches("www.");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{host}{port}{}", url.path())
}

/// A window date, `YYYY-MM-DD`; `at` says where it was when it is not one.
fn parse_date(value: &Spanned<String>, at: impl Fn() -> Place) -> Result<NaiveDate, CampaignError> {
    let value = value.get_ref();
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| CampaignError::BadDate {
        at: at(),
        value: value.clone(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    campaign: RawCampaign,
    #[serde(default)]
    county: Vec<RawCounty>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    name: String,
    window_start: Spanned<String>,
    window_end: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounty {
    name: Spanned<String>,
    url: Spanned<String>,
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A TOML error as "line N: message", naming the field when toml does.
pub fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim();
    match error.span() {
        Some(span) => {
            let line = line_of(text, span.start);
            let key = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| format!(" field `{}`:", k.trim()))
                .unwrap_or_default();
            format!("line {line}:{key} {message}")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[campaign]
name = "黑河市政务诚信第三方评价"
window_start = "2022-07-01"
window_end = "2023-06-30"

[[county]]
name = "爱辉区"
url = "http://www.aihui.gov.cn/"

[[county]]
name = "北安市"
url = "http://www.hljba.gov.cn/"
"#;

    #[test]
    fn reads_a_good_file() {
        let c = Campaign::parse(GOOD, "t.toml").unwrap();
        assert_eq!(c.counties.len(), 2);
        assert_eq!(c.counties[1].name, "北安市");
        assert!(c.contains(NaiveDate::from_ymd_opt(2023, 6, 30).unwrap()));
        assert!(!c.contains(NaiveDate::from_ymd_opt(2022, 6, 30).unwrap()));
    }

    #[test]
    fn shipped_campaign_is_embedded() {
        let c = Campaign::default_campaign();
        assert_eq!(c.counties.len(), 6);
        assert_eq!(c.counties[0].name, "北安市");
    }

    #[test]
    fn duplicate_county_names_file_line_and_field() {
        let text = GOOD.replace("北安市", "爱辉区");
        let err = Campaign::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("t.toml:11: field `county.name`"), "{err}");
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn non_http_url_is_refused() {
        let text = GOOD.replace("http://www.hljba.gov.cn/", "ftp://www.hljba.gov.cn/");
        let err = Campaign::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("t.toml:12: field `county.url`"), "{err}");
    }

    #[test]
    fn credentials_in_a_url_are_refused_without_repeating_them() {
        let text = GOOD.replace(
            "http://www.hljba.gov.cn/",
            "http://admin:s3cret@www.hljba.gov.cn/",
        );
        let err = Campaign::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("t.toml:12: field `county.url`"), "{err}");
        assert!(
            err.contains("credentials") && !err.contains("s3cret"),
            "{err}"
        );
    }

    #[test]
    fn same_site_twice_is_refused() {
        let text = GOOD.replace("http://www.hljba.gov.cn/", "https://aihui.gov.cn/");
        let err = Campaign::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("same site"), "{err}");
    }

    #[test]
    fn bad_date_and_missing_field() {
        let text = GOOD.replace("2023-06-30", "2023-13-30");
        let err = Campaign::parse(&text, "t.toml").unwrap_err();
        assert!(
            format!("{err:#}").contains("t.toml:4: field `campaign.window_end`"),
            "{err:#}"
        );
        let text = GOOD.replace("url = \"http://www.aihui.gov.cn/\"\n", "");
        let err = Campaign::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("line") && err.contains("url"), "{err}");
    }
}
