//! The terminal: the one way govcheck's log lines, status lines and
//! progress bars reach stderr.
//!
//! A run writes from many tasks at once — the crawler's tracing events, a
//! line per finished site, the progress bars — and a scheduler reads the
//! same stream from a file. Going through one place keeps them from tearing
//! each other (a line is written with the bars cleared, and the bars are
//! redrawn under it), keeps escape codes out of files (colour only when
//! stderr is a terminal and `NO_COLOR` is unset), and lets one setting
//! decide how much is said: `--quiet` only errors, by default warnings and
//! a status line per site, `-v` info, `-vv` debug. `GOVCHECK_LOG` (a
//! tracing filter such as `govcheck::crawl=debug`) overrides the level for
//! experts. Progress bars are drawn only on a terminal; elsewhere the
//! status lines are plain lines.
//!
//! A library caller that never calls [`init`] hears nothing: no bars, no
//! status lines, no log subscriber.

use indicatif::{MultiProgress, ProgressDrawTarget};
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

/// The environment variable whose tracing filter overrides the verbosity.
pub const LOG_FILTER_ENV: &str = "GOVCHECK_LOG";

/// How much govcheck says on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only (`--quiet`): the final table and its warnings go to
    /// stdout as always.
    Quiet,
    /// Warnings, a status line per site, progress bars on a terminal.
    Normal,
    /// Also the crawler's info lines (`-v`).
    Info,
    /// Also debug lines (`-vv`).
    Debug,
}

impl Verbosity {
    /// From `--quiet` and the number of `-v` flags.
    pub fn from_flags(quiet: bool, verbose: u8) -> Verbosity {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, 1) => Verbosity::Info,
            (false, _) => Verbosity::Debug,
        }
    }

    /// The tracing filter this verbosity means. Other crates' (HTTP,
    /// TLS) info and debug lines stay out unless `GOVCHECK_LOG` asks.
    fn log_filter(self) -> &'static str {
        match self {
            Verbosity::Quiet => "error",
            Verbosity::Normal => "warn",
            Verbosity::Info => "warn,govcheck=info",
            Verbosity::Debug => "warn,govcheck=debug",
        }
    }
}

/// What [`init`] decided for this process.
struct Terminal {
    verbosity: Verbosity,
    bars: MultiProgress,
}

static TERMINAL: OnceLock<Terminal> = OnceLock::new();

/// The process's terminal: silent and without bars until [`init`].
fn terminal() -> &'static Terminal {
    TERMINAL.get_or_init(|| Terminal {
        verbosity: Verbosity::Quiet,
        bars: MultiProgress::with_draw_target(ProgressDrawTarget::hidden()),
    })
}

/// Set the terminal up for this process at `verbosity`: progress bars when
/// stderr is a terminal and the run is not quiet, colour when stderr is a
/// terminal and `NO_COLOR` is unset, and the tracing subscriber whose lines
/// go above the bars. Call it once, before anything is logged; later calls
/// change nothing.
pub fn init(verbosity: Verbosity) {
    let on_terminal = std::io::stderr().is_terminal();
    let bars = if on_terminal && verbosity > Verbosity::Quiet {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    if TERMINAL
        .set(Terminal {
            verbosity,
            bars: MultiProgress::with_draw_target(bars),
        })
        .is_err()
    {
        return;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_env(LOG_FILTER_ENV)
        .unwrap_or_else(|_| verbosity.log_filter().into());
    // An error here means a subscriber is already installed: keep it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(on_terminal && colour_allowed(std::env::var_os("NO_COLOR")))
        .with_writer(AboveTheBars::default)
        .try_init();
}

/// <https://no-color.org>: a `NO_COLOR` that is set and not empty turns
/// colour off.
fn colour_allowed(no_color: Option<std::ffi::OsString>) -> bool {
    no_color.is_none_or(|value| value.is_empty())
}

/// The progress bars of this process: drawn on stderr when [`init`] found
/// a terminal and the run is not quiet, hidden otherwise. Every bar of a
/// run is added here, so log and status lines can clear them before they
/// are written.
pub fn bars() -> MultiProgress {
    terminal().bars.clone()
}

/// A status line for the person watching (a site finished, a run resumed):
/// printed above the bars, or as a plain line when there are none; nothing
/// under `--quiet`.
pub fn say(line: &str) {
    let terminal = terminal();
    if terminal.verbosity >= Verbosity::Normal {
        write_above_bars(&terminal.bars, format!("{line}\n").as_bytes());
    }
}

/// Write `text` to stderr with the bars cleared, then redraw them.
fn write_above_bars(bars: &MultiProgress, text: &[u8]) {
    bars.suspend(|| {
        let mut stderr = std::io::stderr().lock();
        // Nowhere left to report a failing stderr.
        let _ = stderr.write_all(text).and_then(|()| stderr.flush());
    });
}

/// One tracing event, gathered and written whole above the bars when the
/// subscriber is done with it (tracing writes an event in one or more
/// pieces).
#[derive(Default)]
struct AboveTheBars {
    event: Vec<u8>,
}

impl Write for AboveTheBars {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.event.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for AboveTheBars {
    fn drop(&mut self) {
        if !self.event.is_empty() {
            write_above_bars(&terminal().bars, &self.event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_make_a_verbosity() {
        assert_eq!(Verbosity::from_flags(true, 0), Verbosity::Quiet);
        assert_eq!(Verbosity::from_flags(false, 0), Verbosity::Normal);
        assert_eq!(Verbosity::from_flags(false, 1), Verbosity::Info);
        assert_eq!(Verbosity::from_flags(false, 2), Verbosity::Debug);
        assert_eq!(Verbosity::from_flags(false, 7), Verbosity::Debug);
    }

    #[test]
    fn no_color_set_and_not_empty_turns_colour_off() {
        assert!(colour_allowed(None));
        assert!(colour_allowed(Some("".into())));
        assert!(!colour_allowed(Some("1".into())));
    }

    #[test]
    fn quiet_lets_only_errors_through() {
        assert_eq!(Verbosity::Quiet.log_filter(), "error");
        assert!(Verbosity::Info.log_filter().contains("govcheck=info"));
    }
}
