//! The campaign of `govcheck check <url>`: which site, which county, which
//! window. The URL may come without a scheme or with a path below the
//! homepage; the county's name comes from `--name`, else the campaign,
//! else the last run in the history that crawled the host.

use super::error::{Chain, RunError};
use crate::campaign::{Campaign, County, EMBEDDED_ORIGIN};
use crate::history::{History, KnownSite};
use std::path::Path;
use url::Url;

type Result<T, E = RunError> = std::result::Result<T, E>;

/// The campaign of one site: the site at `given` (its homepage as the
/// campaign or the history knows it, else the URL as given), named `name`
/// or as the campaign or the history names it, in the window of the
/// campaign (`targets`, else the embedded one).
pub fn one_site_campaign(
    given: &str,
    name: Option<String>,
    targets: Option<&Path>,
    db: &Path,
) -> Result<Campaign> {
    let url = site_url(given)?;
    let mut campaign = Campaign::load_or_default(targets)?;
    let listed = campaign
        .counties
        .iter()
        .find(|c| same_host(&c.url, &url))
        .cloned();
    let county = match listed {
        Some(county) => County {
            name: name.unwrap_or(county.name),
            url: county.url,
        },
        None => {
            let known = remembered(db, &url);
            let url = known
                .as_ref()
                .and_then(|k| Url::parse(&k.url).ok())
                .filter(|u| same_host(u, &url))
                .unwrap_or(url);
            let name = name
                .or(known.map(|k| k.county))
                .ok_or_else(|| RunError::UnnamedSite {
                    host: url.host_str().unwrap_or_default().to_string(),
                    campaign: targets
                        .map_or(EMBEDDED_ORIGIN.to_string(), |t| t.display().to_string()),
                    db: db.to_path_buf(),
                })?;
            County { name, url }
        }
    };
    campaign.counties = vec![county];
    Ok(campaign)
}

/// The URL of the site to check: `http://` is assumed when no scheme is
/// given (`www.hljba.gov.cn` → `http://www.hljba.gov.cn/`); only http(s).
fn site_url(given: &str) -> Result<Url> {
    let text = given.trim();
    let full = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let url = Url::parse(&full).map_err(|source| RunError::NotAUrl {
        url: given.to_string(),
        source,
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(RunError::NotHttp(url.to_string()));
    }
    Ok(url)
}

/// The site the history's newest run on `url`'s host recorded; none when
/// there is no history yet (it is not created for the asking) or it
/// cannot be read.
fn remembered(db: &Path, url: &Url) -> Option<KnownSite> {
    if !db.exists() {
        return None;
    }
    match History::open(db).and_then(|h| h.site_of_host(url.as_str())) {
        Ok(known) => known,
        Err(e) => {
            tracing::warn!("cannot look the site up in the history: {}", Chain(&e));
            None
        }
    }
}

/// Same host (without `www.`) and port, whatever the path and scheme: the
/// campaign's entry for the URL given on the command line.
fn same_host(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_string()
    };
    host(a) == host(b)
        && (a.port_or_known_default() == b.port_or_known_default()
            || a.port().is_none() && b.port().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_db() -> std::path::PathBuf {
        std::path::PathBuf::from("/nonexistent/govcheck.sqlite")
    }

    #[test]
    fn a_bare_host_or_a_deeper_page_finds_the_campaign_county() {
        for given in [
            "www.hljba.gov.cn",
            "hljba.gov.cn/zwgk/index.html",
            "https://www.hljba.gov.cn/a/b?c=d",
        ] {
            let c = one_site_campaign(given, None, None, &no_db()).unwrap();
            assert_eq!(c.counties[0].name, "北安市", "{given}");
            assert_eq!(c.counties[0].url.as_str(), "http://www.hljba.gov.cn/");
            assert_eq!(c.window_start.to_string(), "2022-07-01");
        }
    }

    #[test]
    fn an_unknown_site_needs_a_name() {
        let err = one_site_campaign("www.example.gov.cn", None, None, &no_db())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("www.example.gov.cn") && err.contains("--name"),
            "{err}"
        );
        let c =
            one_site_campaign("www.example.gov.cn/x", Some("某县".into()), None, &no_db()).unwrap();
        assert_eq!(c.counties[0].url.as_str(), "http://www.example.gov.cn/x");
        assert!(one_site_campaign("ftp://example.gov.cn/", None, None, &no_db()).is_err());
    }
}
