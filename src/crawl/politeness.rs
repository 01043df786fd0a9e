//! Per-host politeness shared by every site of a run.
//!
//! Each host (host name plus port) gets its own token bucket and its own
//! one-permit semaphore: a keyed governor limiter has one quota for all keys,
//! and a robots.txt Crawl-delay is per host, so the limiter is per host too.
//! governor keeps its own clock (paused tokio time does not move it), which
//! is why tests run with an unlimited rate instead of a paused clock.

use super::Rate;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// Rate limits and in-flight limits for every host of a run. Share one per
/// run behind an `Arc`; sites crawled concurrently then respect each other.
pub struct Politeness {
    /// Interval between requests to one host from the rate; `None` is
    /// unlimited.
    rate_period: Option<Duration>,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
}

struct HostGate {
    in_flight: Arc<Semaphore>,
    limiter: Mutex<Option<Arc<DefaultDirectRateLimiter>>>,
}

/// Held while a request to a host is in flight; dropping it lets the next
/// request to that host go.
pub struct HostPermit {
    _slot: OwnedSemaphorePermit,
}

impl Politeness {
    /// `rate` is requests per second per host; `None`, zero, negative or
    /// infinite rates are unlimited.
    pub fn new(rate: Rate) -> Self {
        let rate_period = rate
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r));
        Politeness {
            rate_period,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// No rate limit is configured (robots Crawl-delay may still apply).
    pub fn is_unlimited(&self) -> bool {
        self.rate_period.is_none()
    }

    /// The key requests are limited by: host and port (known default port
    /// when none is written).
    pub fn host_key(url: &Url) -> String {
        format!(
            "{}:{}",
            url.host_str().unwrap_or_default().to_ascii_lowercase(),
            url.port_or_known_default().unwrap_or(0)
        )
    }

    /// Apply a robots.txt Crawl-delay to the host of `url`, when it is slower
    /// than the configured rate. The caller caps the delay.
    pub fn set_crawl_delay(&self, url: &Url, delay: Duration) {
        if delay.is_zero() || self.rate_period.is_some_and(|p| p >= delay) {
            return;
        }
        let gate = self.gate(&Self::host_key(url));
        if let Some(quota) = Quota::with_period(delay) {
            *gate.limiter.lock().expect("limiter lock") =
                Some(Arc::new(RateLimiter::direct(quota)));
        }
    }

    /// Wait until a request to the host of `url` may be sent: first for the
    /// host's in-flight slot, then for the rate limiter.
    pub async fn acquire(&self, url: &Url) -> HostPermit {
        let gate = self.gate(&Self::host_key(url));
        let slot = gate
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("politeness semaphore is never closed");
        let limiter = gate.limiter.lock().expect("limiter lock").clone();
        if let Some(limiter) = limiter {
            limiter.until_ready().await;
        }
        HostPermit { _slot: slot }
    }

    fn gate(&self, key: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().expect("hosts lock");
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                let limiter = self
                    .rate_period
                    .and_then(Quota::with_period)
                    .map(|q| Arc::new(RateLimiter::direct(q)));
                Arc::new(HostGate {
                    in_flight: Arc::new(Semaphore::new(1)),
                    limiter: Mutex::new(limiter),
                })
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn host_key_includes_port() {
        assert_eq!(
            Politeness::host_key(&url("http://A.gov.cn/x")),
            "a.gov.cn:80"
        );
        assert_eq!(
            Politeness::host_key(&url("https://a.gov.cn/x")),
            "a.gov.cn:443"
        );
        assert_eq!(
            Politeness::host_key(&url("http://127.0.0.1:8080/")),
            "127.0.0.1:8080"
        );
    }

    #[test]
    fn odd_rates_are_unlimited() {
        assert!(Politeness::new(None).is_unlimited());
        assert!(Politeness::new(Some(0.0)).is_unlimited());
        assert!(Politeness::new(Some(f64::INFINITY)).is_unlimited());
        assert!(!Politeness::new(Some(2.0)).is_unlimited());
    }

    #[tokio::test]
    async fn one_request_in_flight_per_host() {
        let p = Politeness::new(None);
        let a = url("http://127.0.0.1:1/a");
        let first = p.acquire(&a).await;
        // Another host is not held up.
        let _other = p.acquire(&url("http://127.0.0.1:2/")).await;
        let second = tokio::time::timeout(Duration::from_millis(50), p.acquire(&a)).await;
        assert!(second.is_err(), "second permit must wait");
        drop(first);
        let second = tokio::time::timeout(Duration::from_millis(50), p.acquire(&a)).await;
        assert!(second.is_ok());
    }

    #[tokio::test]
    async fn rate_spaces_requests() {
        let p = Politeness::new(Some(20.0));
        let u = url("http://127.0.0.1:3/");
        let t = Instant::now();
        for _ in 0..3 {
            drop(p.acquire(&u).await);
        }
        // First is free, then two waits of 50 ms.
        assert!(
            t.elapsed() >= Duration::from_millis(90),
            "{:?}",
            t.elapsed()
        );
    }

    #[tokio::test]
    async fn crawl_delay_slows_an_unlimited_host() {
        let p = Politeness::new(None);
        let u = url("http://127.0.0.1:4/");
        p.set_crawl_delay(&u, Duration::from_millis(60));
        let t = Instant::now();
        drop(p.acquire(&u).await);
        drop(p.acquire(&u).await);
        assert!(
            t.elapsed() >= Duration::from_millis(50),
            "{:?}",
            t.elapsed()
        );
        // A delay faster than the rate changes nothing.
        let q = Politeness::new(Some(1.0));
        q.set_crawl_delay(&u, Duration::from_millis(10));
        assert!(q.hosts.lock().unwrap().is_empty());
    }
}
