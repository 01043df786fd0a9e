//! Which county a host belongs to, as the history remembers it: for
//! `govcheck check <url>` of a site the campaign does not list but an
//! earlier run crawled.

use super::error::Result;
use super::{site_key, History};
use rusqlite::OptionalExtension;

/// A county site as the last run that crawled its host recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSite {
    /// The county's name.
    pub county: String,
    /// The URL the crawl started from.
    pub url: String,
}

impl History {
    /// The county and start URL the newest run that crawled `url`'s host
    /// recorded (any state, any path on the host; `www.` and bare twins,
    /// http and https alike), or `None` if no run did.
    pub fn site_of_host(&self, url: &str) -> Result<Option<KnownSite>> {
        let key = site_key(url);
        // The key is host[:port] then the path: compare up to the first `/`.
        let host = key.split('/').next().unwrap_or_default().to_string();
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT sites.county, sites.url FROM sites \
                 JOIN runs ON sites.run_id = runs.id \
                 WHERE sites.url_key = ?1 OR substr(sites.url_key, 1, length(?1) + 1) = ?1 || '/' \
                 ORDER BY runs.started DESC, runs.id DESC LIMIT 1",
                [&host],
                |r| {
                    Ok(KnownSite {
                        county: r.get(0)?,
                        url: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::history::{History, RunRow, RunState, SiteRow};
    use chrono::{TimeZone, Utc};

    fn crawled(h: &History, dir: &str, day: u32, county: &str, url: &str) {
        let started = Utc.with_ymd_and_hms(2023, 3, day, 10, 0, 0).unwrap();
        let id = h
            .begin_run(RunRow {
                id: 0,
                run_dir: dir.to_string(),
                campaign: "c".to_string(),
                rubric_version: "r".to_string(),
                tool_version: "0".to_string(),
                started,
                finished: None,
                state: RunState::Running,
            })
            .unwrap();
        let site = SiteRow {
            county: county.to_string(),
            url: url.to_string(),
            pages_fetched: 1,
            outcome_json: "{}".to_string(),
        };
        h.record_site(id, site, &[]).unwrap();
        h.finish_run(id, started, false).unwrap();
    }

    #[test]
    fn the_newest_run_that_crawled_the_host_names_its_county() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(&dir.path().join("h.sqlite")).unwrap();
        assert_eq!(h.site_of_host("http://www.hljba.gov.cn/").unwrap(), None);
        crawled(&h, "runs/1", 1, "旧名", "http://www.hljba.gov.cn/");
        crawled(&h, "runs/2", 2, "北安市", "https://hljba.gov.cn/index.html");
        crawled(
            &h,
            "runs/3",
            3,
            "别的县",
            "http://www.hljba.gov.cn.example/",
        );
        for asked in [
            "www.hljba.gov.cn",
            "http://www.hljba.gov.cn/zwgk/list.html",
            "https://hljba.gov.cn",
        ] {
            let site = h.site_of_host(asked).unwrap().expect(asked);
            assert_eq!(site.county, "北安市", "{asked}");
            assert_eq!(site.url, "https://hljba.gov.cn/index.html");
        }
        assert_eq!(h.site_of_host("http://hljba.gov.cn:8080/").unwrap(), None);
    }
}
