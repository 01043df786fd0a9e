//! The campaign: which counties to check, and the evaluation window.
//!
//! Read from a targets TOML file (`targets/heihe-2023.toml` by default).
//! Mistakes in it are the user's most likely error, so every error names
//! the file, the line and the field.

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;
use url::Url;

/// The default targets file, relative to the working directory.
pub const DEFAULT_TARGETS: &str = "targets/heihe-2023.toml";

#[derive(Debug, Clone)]
pub struct Campaign {
    pub name: String,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub counties: Vec<County>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    pub name: String,
    pub url: Url,
}

impl Campaign {
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.window_start && date <= self.window_end
    }

    pub fn load(path: &Path) -> Result<Campaign> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read targets file {}", path.display()))?;
        Campaign::parse(&text, &path.display().to_string())
    }

    /// Parse and check a targets file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Campaign> {
        let raw: RawTargets = toml::from_str(text)
            .map_err(|e| anyhow!("{origin}: {}", describe_toml_error(text, &e)))?;
        let at = |span: std::ops::Range<usize>, field: &str| {
            format!("{origin}:{}: field `{field}`", line_of(text, span.start))
        };
        let window_start = parse_date(raw.campaign.window_start.get_ref())
            .with_context(|| at(raw.campaign.window_start.span(), "campaign.window_start"))?;
        let window_end = parse_date(raw.campaign.window_end.get_ref())
            .with_context(|| at(raw.campaign.window_end.span(), "campaign.window_end"))?;
        if window_end < window_start {
            bail!(
                "{}: window_end {window_end} is before window_start {window_start}",
                at(raw.campaign.window_end.span(), "campaign.window_end")
            );
        }
        if raw.county.is_empty() {
            bail!("{origin}: no [[county]] entries: nothing to check");
        }
        let mut seen_names: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen_hosts: BTreeMap<String, String> = BTreeMap::new();
        let mut counties = Vec::new();
        for county in raw.county {
            let name = county.name.get_ref().trim().to_string();
            let name_line = line_of(text, county.name.span().start);
            if name.is_empty() {
                bail!(
                    "{}: county name is empty",
                    at(county.name.span(), "county.name")
                );
            }
            if let Some(first) = seen_names.insert(name.clone(), name_line) {
                bail!(
                    "{}: county `{name}` is listed twice (first on line {first})",
                    at(county.name.span(), "county.name")
                );
            }
            let url = Url::parse(county.url.get_ref().trim()).map_err(|e| {
                anyhow!(
                    "{}: `{}` is not a URL: {e}",
                    at(county.url.span(), "county.url"),
                    county.url.get_ref()
                )
            })?;
            if url.scheme() != "http" && url.scheme() != "https" {
                bail!(
                    "{}: `{url}` is not an http(s) URL",
                    at(county.url.span(), "county.url")
                );
            }
            if url.host_str().is_none() {
                bail!(
                    "{}: `{url}` has no host",
                    at(county.url.span(), "county.url")
                );
            }
            let site_key = site_key(&url);
            if let Some(other) = seen_hosts.insert(site_key, name.clone()) {
                bail!(
                    "{}: `{url}` is the same site as county `{other}`",
                    at(county.url.span(), "county.url")
                );
            }
            counties.push(County { name, url });
        }
        Ok(Campaign {
            name: raw.campaign.name,
            window_start,
            window_end,
            counties,
        })
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

fn parse_date(value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("`{value}` is not a date like 2022-07-01"))
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
    fn shipped_campaign_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_TARGETS);
        let c = Campaign::load(&path).unwrap();
        assert_eq!(c.counties.len(), 6);
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
