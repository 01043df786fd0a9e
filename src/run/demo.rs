//! `govcheck demo`: the bundled fixture sites served on 127.0.0.1, as a
//! campaign, so a complete run needs no internet.

use super::error::RunError;
use crate::campaign::{Campaign, County};
use crate::serve::SiteServer;
use std::path::{Path, PathBuf};
use url::Url;

/// The fixture sites being served and the campaign that crawls them; the
/// sites stop serving when this is dropped.
pub struct Demo {
    /// One county per fixture site, over the demo's evaluation window.
    pub campaign: Campaign,
    _servers: Vec<SiteServer>,
}

impl Demo {
    /// Serve every fixture site under `root` (directories with a
    /// `_site.toml`).
    pub async fn start(root: &Path) -> Result<Demo, RunError> {
        let servers =
            crate::serve::start_all(root)
                .await
                .map_err(|source| RunError::ServeFixtures {
                    root: root.to_path_buf(),
                    source,
                })?;
        if servers.is_empty() {
            return Err(RunError::NoFixtureSites {
                root: root.to_path_buf(),
            });
        }
        let campaign = Campaign {
            name: "govcheck demo (bundled fixture sites on 127.0.0.1)".into(),
            window_start: chrono::NaiveDate::from_ymd_opt(2022, 7, 1).expect("valid date"),
            window_end: chrono::NaiveDate::from_ymd_opt(2023, 6, 30).expect("valid date"),
            counties: servers
                .iter()
                .map(|s| {
                    Ok(County {
                        name: s.name.clone(),
                        url: Url::parse(&s.url()).map_err(RunError::FixtureUrl)?,
                    })
                })
                .collect::<Result<_, RunError>>()?,
        };
        Ok(Demo {
            campaign,
            _servers: servers,
        })
    }
}

/// Where the bundled fixture sites live (for `govcheck demo`).
pub fn bundled_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("sites")
}
