//! Which hosts belong together: registered domains and the `www.` twin.
//! Low-level URL facts that both the crawler (scope) and audit (a link
//! into the county's own `xxgk.` host) need.

use url::Url;

/// Second-level suffixes under which a registered domain has three
/// labels (`hljba.gov.cn`), as on the county sites' `.gov.cn`.
const SECOND_LEVEL_SUFFIXES: &[&str] = &["gov", "com", "net", "org", "edu", "ac"];

/// The registered domain of the URL's host (`hljba.gov.cn` for
/// `xxgk.hljba.gov.cn`); `None` for an IP address or a single label.
pub fn registered_domain(url: &Url) -> Option<String> {
    let Some(url::Host::Domain(host)) = url.host() else {
        return None;
    };
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let n = labels.len();
    let keep =
        if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL_SUFFIXES.contains(&labels[n - 2]) {
            3
        } else {
            2
        };
    (n >= keep).then(|| labels[n - keep..].join("."))
}

/// `a` and `b` belong to one registered domain (for an IP address or a
/// single label, the same host): a homepage that redirects across this
/// line has left the county's domain.
pub fn same_registered_domain(a: &Url, b: &Url) -> bool {
    let domain = |u: &Url| {
        registered_domain(u)
            .unwrap_or_else(|| u.host_str().unwrap_or_default().to_ascii_lowercase())
    };
    domain(a) == domain(b)
}

/// `a` and `b` are different hosts of one registered domain
/// (`www.hljba.gov.cn` and `xxgk.hljba.gov.cn`).
pub fn sibling_hosts(a: &Url, b: &Url) -> bool {
    registered_domain(a).is_some_and(|d| Some(d) == registered_domain(b))
        && bare_host(a) != bare_host(b)
}

/// The host, lower-cased, without a leading `www.`.
pub fn bare_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match host.strip_prefix("www.") {
        Some(rest) => rest.to_string(),
        None => host,
    }
}
