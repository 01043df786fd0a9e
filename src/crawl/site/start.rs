//! How a site's crawl starts: robots.txt first, then the homepage with the
//! scheme fallback (https, then http). A homepage that redirects to
//! another host of the same registered domain moves the site's scope
//! there; one that leaves the registered domain stops the crawl.

use super::Site;
use crate::crawl::challenge::detect_challenge;
use crate::crawl::robots::Robots;
use crate::crawl::scope::Scope;
use crate::types::{same_registered_domain, FetchError, FetchErrorClass, Fetched, SiteStart};
use url::Url;

impl Site<'_> {
    /// robots.txt and the homepage. `Err` is the reason the site cannot be
    /// crawled.
    pub(super) async fn begin(&mut self, start: &Url) -> Result<Fetched, SiteStart> {
        if !self.config.ignore_robots {
            self.read_robots(start).await?;
            if !self.robots.allowed(start) {
                return Err(SiteStart::RobotsDisallowed);
            }
        }
        // The homepage's redirects may leave the host: a site that moved.
        let replayed = self.config.replay.as_ref().and_then(|r| r.lookup(start));
        let home = match replayed {
            Some(home) => Ok(home),
            None => self.fetch_start(start, self.config.retries).await,
        };
        let home = match home {
            Ok(home) => home,
            Err(e) => {
                self.count_error(e.class);
                return Err(SiteStart::Unreachable {
                    class: e.class,
                    message: e.message,
                });
            }
        };
        if let Some(message) = detect_challenge(home.status, &home.body) {
            return Err(SiteStart::Blocked {
                status: home.status,
                message,
            });
        }
        match home.status {
            200..=299 => {
                if !same_registered_domain(start, &home.final_url) {
                    tracing::warn!(from = %start, to = %home.final_url, "the homepage redirects to another registered domain; the site is left for the evaluator");
                    self.outcome.moved_to = Some(home.final_url.clone());
                    return Err(SiteStart::MovedAway {
                        to: home.final_url.clone(),
                    });
                }
                if !self.scope.contains(&home.final_url) {
                    self.move_to(&home.final_url).await?;
                }
                Ok(home)
            }
            s @ (401 | 403 | 407 | 429 | 451) => Err(SiteStart::Blocked {
                status: s,
                message: format!("homepage answered HTTP {s}"),
            }),
            s => {
                let class = if s >= 500 {
                    FetchErrorClass::ServerError
                } else {
                    FetchErrorClass::Other
                };
                self.count_error(class);
                Err(SiteStart::Unreachable {
                    class,
                    message: format!("homepage answered HTTP {s}"),
                })
            }
        }
    }

    /// The homepage ended on another host: make that host the site's
    /// scope and read its robots.txt (unless robots.txt was already read
    /// there, through a redirect).
    async fn move_to(&mut self, home: &Url) -> Result<(), SiteStart> {
        tracing::info!(to = %home, "the homepage redirects to another host; following the site there");
        self.outcome.moved_to = Some(home.clone());
        self.scope = Scope::new(home);
        if self.config.ignore_robots {
            return Ok(());
        }
        let read_there = self
            .robots_from
            .as_ref()
            .is_some_and(|u| self.scope.contains(u));
        if read_there {
            self.apply_crawl_delay();
        } else {
            self.robots = Robots::default();
            self.read_robots(home).await?;
        }
        if !self.robots.allowed(home) {
            return Err(SiteStart::RobotsDisallowed);
        }
        Ok(())
    }

    /// Fetch a start URL (robots.txt, homepage) with the scheme fallback:
    /// without an explicit port https is tried first and http after a
    /// connect, TLS or timeout failure; with one, the URL as given and the
    /// other scheme only after a connect or TLS failure. The scheme that
    /// answered is tried first next time. Redirects may lead anywhere: the
    /// caller decides what an answer from another host means.
    pub(super) async fn fetch_start(
        &mut self,
        url: &Url,
        retries: u32,
    ) -> Result<Fetched, FetchError> {
        let implicit_port = url.port().is_none();
        let first_scheme = self
            .preferred_scheme
            .clone()
            .unwrap_or_else(|| if implicit_port { "https" } else { url.scheme() }.to_string());
        let other_scheme = if first_scheme == "https" {
            "http"
        } else {
            "https"
        };
        let with_scheme = |scheme: &str| {
            let mut u = url.clone();
            // http ↔ https is always allowed by the url crate.
            let _ = u.set_scheme(scheme);
            u
        };
        let allow = |_: &Url| true;
        // Without a port a timeout falls back, so the first scheme gets one
        // retry and the fallback the rest.
        let first_retries = if implicit_port {
            retries.min(1)
        } else {
            retries
        };
        let first = self
            .transport
            .fetch(&with_scheme(&first_scheme), &allow, first_retries)
            .await;
        let first_error = match first {
            Ok(f) => {
                self.preferred_scheme = Some(f.final_url.scheme().to_string());
                return Ok(f);
            }
            Err(e) => e,
        };
        let fall_back = match first_error.class {
            FetchErrorClass::Connect | FetchErrorClass::Tls => true,
            FetchErrorClass::Timeout => implicit_port,
            _ => false,
        };
        if !fall_back {
            return Err(first_error);
        }
        tracing::debug!(%url, error = %first_error, "trying the other scheme");
        match self
            .transport
            .fetch(&with_scheme(other_scheme), &allow, retries)
            .await
        {
            Ok(f) => {
                self.preferred_scheme = Some(f.final_url.scheme().to_string());
                Ok(f)
            }
            // The other scheme is simply not served: the first error says more.
            Err(e) if matches!(e.class, FetchErrorClass::Connect | FetchErrorClass::Tls) => {
                Err(first_error)
            }
            Err(e) => Err(e),
        }
    }
}
