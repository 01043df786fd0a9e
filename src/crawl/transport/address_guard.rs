//! Which addresses a county site may send the crawler to.
//!
//! A county site is untrusted: a redirect, a robots.txt or a link on it can
//! name `http://169.254.169.254/` (a cloud metadata service), an intranet
//! host, or another port on the crawler's own machine. The crawler may
//! fetch only public addresses, checked on every hop and after DNS (a
//! public name that resolves to `10.x` is refused too), except the
//! campaign's own host, which is allowed whatever its address (a county
//! portal may be served from a private network to the evaluator), and
//! loopback when the campaign itself names a loopback site (tests, demos).

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// A fetch the guard refused: the address is not one the site may send
/// the crawler to.
#[derive(Debug, thiserror::Error)]
#[error("{host} is {why}: not fetched (only public addresses and the campaign's own host are)")]
pub struct ForbiddenAddress {
    host: String,
    why: String,
}

/// The addresses one site's crawl may reach.
#[derive(Debug, Clone)]
pub struct AddressGuard {
    /// The campaign's host and its `www.` twin, lower-case, without `www.`.
    campaign_host: String,
    /// The campaign names a loopback site: loopback addresses are allowed.
    loopback_allowed: bool,
    /// Names resolved without DNS (`--resolve HOST=ADDR`).
    overrides: Arc<HashMap<String, Vec<IpAddr>>>,
}

impl AddressGuard {
    /// The guard for a crawl that starts at `start`.
    pub fn new(start: &Url, overrides: &[(String, IpAddr)]) -> AddressGuard {
        let mut by_name: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for (name, ip) in overrides {
            by_name
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(*ip);
        }
        AddressGuard {
            campaign_host: bare(start.host_str().unwrap_or_default()),
            loopback_allowed: super::is_loopback(start),
            overrides: Arc::new(by_name),
        }
    }

    /// A URL whose host is an address literal: refused unless allowed.
    /// (Names are checked when they resolve.)
    pub fn check_url(&self, url: &Url) -> Result<(), ForbiddenAddress> {
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        self.check(&ip.to_string(), ip)
    }

    fn check(&self, host: &str, ip: IpAddr) -> Result<(), ForbiddenAddress> {
        if bare(host) == self.campaign_host {
            return Ok(());
        }
        match non_public(ip) {
            Some("a loopback address") if self.loopback_allowed => Ok(()),
            Some(why) => Err(ForbiddenAddress {
                host: host.to_string(),
                why: why.to_string(),
            }),
            None => Ok(()),
        }
    }
}

impl Resolve for AddressGuard {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.clone();
        Box::pin(async move {
            let host = name.as_str().to_ascii_lowercase();
            let resolved: Vec<IpAddr> = match guard.overrides.get(&host) {
                Some(ips) => ips.clone(),
                None => tokio::net::lookup_host((host.as_str(), 0))
                    .await?
                    .map(|a| a.ip())
                    .collect(),
            };
            let mut refused = None;
            let allowed: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|ip| match guard.check(&host, *ip) {
                    Ok(()) => true,
                    Err(e) => {
                        refused.get_or_insert(e);
                        false
                    }
                })
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if allowed.is_empty() {
                let error: Box<dyn std::error::Error + Send + Sync> = match refused {
                    Some(e) => Box::new(e),
                    None => format!("{host} has no address").into(),
                };
                return Err(error);
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

fn bare(host: &str) -> String {
    let host = host
        .trim_matches(|c| c == '[' || c == ']')
        .to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

/// What kind of non-public address `ip` is, or `None` for a public one.
fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => non_public_v4(v4),
            None => non_public_v6(v6),
        },
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address (cloud metadata services live here)")
    } else if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() || a == 0 {
        Some("not a host address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a carrier-grade NAT address")
    } else if a == 198 && (b == 18 || b == 19) {
        Some("a benchmarking address")
    } else if a >= 240 || ip.is_documentation() {
        Some("a reserved address")
    } else {
        None
    }
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_unspecified() || ip.is_multicast() {
        Some("not a host address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a private address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_public_addresses_and_the_campaign_host_are_allowed() {
        let guard = AddressGuard::new(&url("http://www.hljba.gov.cn/"), &[]);
        for forbidden in [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/",
            "http://127.0.0.1:8080/",
            "http://192.168.1.1/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:10.0.0.1]/",
            "http://0.0.0.0/",
        ] {
            assert!(guard.check_url(&url(forbidden)).is_err(), "{forbidden}");
        }
        assert!(guard.check_url(&url("http://8.8.8.8/")).is_ok());
        // The campaign's own host, whatever it resolves to.
        assert!(guard
            .check("hljba.gov.cn", "10.1.2.3".parse().unwrap())
            .is_ok());
        assert!(guard.check("evil.cn", "10.1.2.3".parse().unwrap()).is_err());
    }

    #[test]
    fn loopback_only_for_a_loopback_campaign() {
        let guard = AddressGuard::new(&url("http://127.0.0.1:4000/"), &[]);
        assert!(guard.check_url(&url("http://127.0.0.1:5000/")).is_ok());
        assert!(guard.check_url(&url("http://10.0.0.5/")).is_err());
    }

    #[tokio::test]
    async fn a_name_resolving_to_a_private_address_is_refused() {
        let overrides = [
            ("county.test".to_string(), "127.0.0.1".parse().unwrap()),
            ("intranet.test".to_string(), "10.0.0.5".parse().unwrap()),
        ];
        let guard = AddressGuard::new(&url("http://county.test:4000/"), &overrides);
        let ok = guard.resolve("county.test".parse().unwrap()).await;
        assert!(ok.is_ok());
        let refused = guard.resolve("intranet.test".parse().unwrap()).await;
        let message = refused.err().unwrap().to_string();
        assert!(message.contains("private address"), "{message}");
    }
}
