//! Enough open files for the sites in flight.
//!
//! Each site in flight holds its connections (one per host it reads, more
//! while a connection is being replaced), a temporary file while a PDF is
//! read, and the run shares its archive, logs and database. Measured with
//! 200 sites in flight: about 1.2 descriptors per site plus 40 for the run
//! (docs/scale.md). Linux gives a process a soft limit of 1,024 open files
//! by default and a hard limit that is usually far higher; a run raises its
//! soft limit to the hard one, and says so before it starts when even that
//! is too low for `--sites-in-flight`, rather than failing sites one by one
//! with "too many open files".

/// Descriptors the run holds whatever the number of sites.
const RUN_DESCRIPTORS: u64 = 64;
/// Descriptors one site in flight may hold at its peak.
const SITE_DESCRIPTORS: u64 = 4;

/// The open files `sites_in_flight` sites need at their peak.
pub(super) fn needed(sites_in_flight: usize) -> u64 {
    RUN_DESCRIPTORS + SITE_DESCRIPTORS * sites_in_flight as u64
}

/// Raises the soft open-file limit to the hard limit and returns a warning
/// when the result is still below what `sites_in_flight` sites need.
pub(super) fn raise_for(sites_in_flight: usize) -> Option<String> {
    judge(raise_to_hard()?, sites_in_flight)
}

/// A warning when `limit` open files are too few for `sites_in_flight`.
fn judge(limit: u64, sites_in_flight: usize) -> Option<String> {
    let needed = needed(sites_in_flight);
    (limit < needed).then(|| {
        format!(
            "the open-file limit is {limit}, and {sites_in_flight} sites in flight may need \
             {needed}: lower --sites-in-flight to {} or raise the limit (ulimit -n)",
            limit.saturating_sub(RUN_DESCRIPTORS) / SITE_DESCRIPTORS
        )
    })
}

/// The soft limit after raising it as far as the hard limit allows; `None`
/// where the platform has no such limit or it cannot be read.
#[cfg(unix)]
fn raise_to_hard() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    // rlim_t is u64 on the Linux targets, narrower on some others.
    #[allow(clippy::useless_conversion)]
    Some(u64::from(limit.rlim_cur))
}

#[cfg(not(unix))]
fn raise_to_hard() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_raised_and_judged_against_the_sites_in_flight() {
        assert_eq!(needed(200), 864);
        // A test process may raise its own soft limit: it only grows.
        assert_eq!(raise_for(1), None, "68 files are always available");
        assert_eq!(judge(1_024, 200), None);
        let warning = judge(1_024, 1_000).expect("1,000 sites need 4,064 files");
        assert!(
            warning.contains("is 1024") && warning.contains("--sites-in-flight to 240"),
            "{warning}"
        );
    }
}
