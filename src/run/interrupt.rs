//! Ctrl-C and SIGTERM stop a run cleanly.
//!
//! An operator pressing Ctrl-C, or systemd stopping the service, should
//! not cost the run its archive: the crawl stops, every record already
//! handed to the WARC writer is written whole, the history marks the run
//! incomplete, and `govcheck crawl --resume` continues it. A second signal
//! while that happens ends the process at once (the state is then the same
//! as after SIGKILL, which a resume also handles).

use std::fmt;
use std::path::PathBuf;

/// The process exit code of an interrupted run (128 + SIGINT, as shells do).
pub const EXIT_CODE: i32 = 130;

/// Why a run stopped before its end: what `run_campaign` returns in
/// `RunError::Interrupted`.
#[derive(Debug)]
pub struct Interrupted {
    /// The signal that stopped the run (`SIGINT`, `SIGTERM`).
    pub signal: &'static str,
    /// The run directory, for `crawl --resume --out`.
    pub out: PathBuf,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "interrupted by {}: the run in {} is marked incomplete; a crawl continues \
             with `govcheck crawl --resume --out {}`",
            self.signal,
            self.out.display(),
            self.out.display()
        )
    }
}

impl std::error::Error for Interrupted {}

/// Resolves when the process receives SIGINT (Ctrl-C) or SIGTERM, with the
/// signal's name. Listening starts at the first poll.
pub async fn signalled() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = match signal(SignalKind::terminate()) {
            Ok(stream) => Some(stream),
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                None
            }
        };
        let sigterm = async {
            match terminate.as_mut() {
                Some(stream) => {
                    stream.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c() => "SIGINT",
            _ = sigterm => "SIGTERM",
        }
    }
    #[cfg(not(unix))]
    {
        ctrl_c().await;
        "Ctrl-C"
    }
}

async fn ctrl_c() {
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::warn!("cannot listen for Ctrl-C: {e}");
        std::future::pending::<()>().await;
    }
}

/// After the first signal: a second one ends the process at once.
pub fn exit_on_second_signal() {
    tokio::spawn(async {
        let signal = signalled().await;
        eprintln!("{signal} again: stopping now");
        std::process::exit(EXIT_CODE);
    });
}
