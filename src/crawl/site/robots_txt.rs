//! Reading a site's robots.txt (parsing is `crawl::robots`) and applying
//! its Crawl-delay; a robots.txt that gets no answer tells a dead host from
//! a dead file.

use super::Site;
use crate::crawl::challenge::detect_challenge;
use crate::crawl::robots::{Robots, RobotsAnswer};
use crate::types::{FetchError, FetchErrorClass, SiteStart};
use std::time::Duration;
use url::Url;

impl Site<'_> {
    /// Read robots.txt of `start`'s host; `Err` is the reason the site cannot
    /// be crawled.
    pub(super) async fn read_robots(&mut self, start: &Url) -> Result<(), SiteStart> {
        let Ok(robots_url) = start.join("/robots.txt") else {
            return Ok(());
        };
        let fetched = match self.fetch_start(&robots_url, self.config.retries).await {
            Ok(f) => f,
            Err(e) => return Err(self.robots_failed(start, e).await),
        };
        if let Some(message) = detect_challenge(fetched.status, &fetched.body) {
            return Err(SiteStart::Blocked {
                status: fetched.status,
                message: format!("robots.txt: {message}"),
            });
        }
        self.robots = match Robots::from_response(&fetched) {
            RobotsAnswer::Rules(r) => r,
            RobotsAnswer::Unavailable(message) => {
                return Err(SiteStart::RobotsUnavailable { message })
            }
        };
        self.robots_from = Some(fetched.final_url);
        self.apply_crawl_delay();
        Ok(())
    }

    /// Slow the site's origins to robots.txt's Crawl-delay, capped. With an
    /// unlimited rate a loopback host is not slowed: that is a test or
    /// benchmark against a local server, which the delay only stalls.
    pub(super) fn apply_crawl_delay(&mut self) {
        self.outcome.crawl_delay = None;
        self.outcome.crawl_delay_requested = None;
        let Some(requested) = self.robots.crawl_delay() else {
            return;
        };
        if self.politeness.is_unlimited() && self.scope.is_loopback() {
            tracing::debug!(
                requested,
                "Crawl-delay waived: unlimited rate on a loopback host"
            );
            self.outcome.crawl_delay_requested = Some(requested);
            return;
        }
        let cap = self.config.max_crawl_delay.as_secs_f64();
        let applied = requested.min(cap);
        self.outcome.crawl_delay = Some(applied);
        if requested > cap {
            self.outcome.crawl_delay_requested = Some(requested);
        }
        for origin in self.scope.origins() {
            self.politeness
                .set_crawl_delay(&origin, Duration::from_secs_f64(applied));
        }
    }

    /// robots.txt got no answer. When nothing answers on the host (no
    /// name, refused, bad TLS) the site is unreachable; after a timeout one
    /// try of the homepage tells a dead host from a dead robots.txt. Any
    /// other failure means the server answered: robots.txt is unavailable.
    async fn robots_failed(&mut self, start: &Url, e: FetchError) -> SiteStart {
        let unreachable = |e: FetchError| SiteStart::Unreachable {
            class: e.class,
            message: format!("robots.txt: {}", e.message),
        };
        match e.class {
            FetchErrorClass::Dns | FetchErrorClass::Connect | FetchErrorClass::Tls => {
                unreachable(e)
            }
            FetchErrorClass::Timeout => match self.fetch_start(start, 0).await {
                Ok(_) => SiteStart::RobotsUnavailable {
                    message: format!("robots.txt: {e}"),
                },
                Err(_) => unreachable(e),
            },
            _ => SiteStart::RobotsUnavailable {
                message: format!("robots.txt: {e}"),
            },
        }
    }
}
