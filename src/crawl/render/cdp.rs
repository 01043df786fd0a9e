//! The DevTools protocol over a pipe: one headless Chromium, driven by
//! JSON messages on two file descriptors (`--remote-debugging-pipe`).
//!
//! A pipe rather than a debugging port (what chromiumoxide speaks): a
//! port on the crawler host would let any local process drive a browser
//! that runs county scripts, and a pipe closes by itself when govcheck
//! ends in any way, `kill -9` included, upon which Chromium quits (about
//! 0.3 s). The browser also runs in its own process group, killed whole
//! when the [`Browser`] is dropped, and the kernel kills its main process
//! if the thread that started it ends (`PR_SET_PDEATHSIG`).
//!
//! Messages are NUL-terminated JSON: commands carry an `id` and, for a
//! tab, the `sessionId` of a flattened target session; answers carry the
//! same `id`; events carry `method` and the `sessionId` they belong to.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::unix::pipe;
use tokio::sync::{mpsc, oneshot};

/// The browser could not be started or did not answer.
#[derive(Debug, thiserror::Error)]
pub enum CdpError {
    /// Starting the process or its pipes failed.
    #[error("cannot start {browser}: {cause}")]
    Start {
        /// The executable.
        browser: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// The browser went away (crashed, killed, or closed its pipe).
    #[error("the browser closed its DevTools pipe")]
    Gone,
    /// A command got no answer in time.
    #[error("the browser did not answer {method} within {} s", .wait.as_secs())]
    NoAnswer {
        /// The command.
        method: String,
        /// How long it was given.
        wait: Duration,
    },
    /// The browser answered with an error.
    #[error("{method}: {message}")]
    Refused {
        /// The command.
        method: String,
        /// The browser's message.
        message: String,
    },
}

/// An event of one tab's session.
#[derive(Debug)]
pub struct Event {
    /// e.g. `Fetch.requestPaused`.
    pub method: String,
    /// Its parameters.
    pub params: Value,
}

type Answer = Result<Value, String>;

/// What the reader task and the callers share.
#[derive(Default)]
struct Routing {
    answers: Mutex<HashMap<u64, oneshot::Sender<Answer>>>,
    sessions: Mutex<HashMap<String, mpsc::UnboundedSender<Event>>>,
}

/// One running headless Chromium and its DevTools pipe.
pub struct Browser {
    commands: tokio::sync::Mutex<pipe::Sender>,
    routing: Arc<Routing>,
    next_id: AtomicU64,
    process: Mutex<tokio::process::Child>,
    process_group: i32,
    _profile: tempfile::TempDir,
}

/// The longest a command may go unanswered (navigation is not awaited).
const ANSWER_WAIT: Duration = Duration::from_secs(15);

impl Browser {
    /// Start `executable` headless with `flags`, a fresh profile and home
    /// in a temporary directory, and the environment cut down to `kept`.
    pub fn launch(executable: &Path, flags: &[&str], kept: &[&str]) -> Result<Browser, CdpError> {
        let start_error = |cause| CdpError::Start {
            browser: executable.display().to_string(),
            cause,
        };
        let swept = super::stale::sweep(&std::env::temp_dir());
        if swept > 0 {
            tracing::info!(
                swept,
                "removed the profiles of rendering browsers whose run was killed"
            );
        }
        let profile = tempfile::Builder::new()
            .prefix(super::stale::PROFILE_PREFIX)
            .tempdir()
            .map_err(start_error)?;
        let (to_browser_read, to_browser_write) = pipe_pair().map_err(start_error)?;
        let (from_browser_read, from_browser_write) = pipe_pair().map_err(start_error)?;
        let mut command = tokio::process::Command::new(executable);
        command
            .args(flags)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .env_clear()
            .envs(
                kept.iter()
                    .filter_map(|k| std::env::var(k).ok().map(|v| (k, v))),
            )
            .env("HOME", profile.path())
            .env("TMPDIR", profile.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .kill_on_drop(true);
        let (child_reads, child_writes) =
            (to_browser_read.as_raw_fd(), from_browser_write.as_raw_fd());
        // SAFETY: between fork and exec only async-signal-safe calls
        // (dup2, prctl) on descriptors this process owns; both sources were
        // moved to numbers above 4 by `pipe_pair`, so dup2 never maps a
        // descriptor onto itself and the targets lose close-on-exec.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(child_reads, 3) < 0 || libc::dup2(child_writes, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let process = command.spawn().map_err(start_error)?;
        drop((to_browser_read, from_browser_write));
        let process_group = process.id().map_or(0, |id| id as i32);
        let commands = pipe::Sender::from_owned_fd(to_browser_write).map_err(start_error)?;
        let answers = pipe::Receiver::from_owned_fd(from_browser_read).map_err(start_error)?;
        let routing = Arc::new(Routing::default());
        tokio::spawn(read_messages(answers, routing.clone()));
        Ok(Browser {
            commands: tokio::sync::Mutex::new(commands),
            routing,
            next_id: AtomicU64::new(1),
            process: Mutex::new(process),
            process_group,
            _profile: profile,
        })
    }

    /// Send a command without waiting for its answer (a navigation, whose
    /// answer comes only after the requests it starts are served).
    pub async fn send(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<(), CdpError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.write(id, session, method, params).await
    }

    /// Send a command and wait for its answer.
    pub async fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, CdpError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        lock(&self.routing.answers).insert(id, tx);
        if let Err(e) = self.write(id, session, method, params).await {
            lock(&self.routing.answers).remove(&id);
            return Err(e);
        }
        match tokio::time::timeout(ANSWER_WAIT, rx).await {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(message))) => Err(CdpError::Refused {
                method: method.to_string(),
                message,
            }),
            Ok(Err(_)) => Err(CdpError::Gone),
            Err(_) => {
                lock(&self.routing.answers).remove(&id);
                Err(CdpError::NoAnswer {
                    method: method.to_string(),
                    wait: ANSWER_WAIT,
                })
            }
        }
    }

    async fn write(
        &self,
        id: u64,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<(), CdpError> {
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap_or_default();
        bytes.push(0);
        let mut commands = self.commands.lock().await;
        commands.write_all(&bytes).await.map_err(|_| CdpError::Gone)
    }

    /// Route the events of `session` to a new channel.
    pub fn subscribe(&self, session: &str) -> mpsc::UnboundedReceiver<Event> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.routing.sessions).insert(session.to_string(), tx);
        rx
    }

    /// Stop routing the events of `session`.
    pub fn unsubscribe(&self, session: &str) {
        lock(&self.routing.sessions).remove(session);
    }

    /// The browser's main process, while it runs.
    pub fn pid(&self) -> Option<u32> {
        lock(&self.process).id()
    }
}

impl Browser {
    /// Kill the browser and everything it started.
    pub fn kill(&self) {
        if self.process_group > 0 {
            // SAFETY: signals a process group this browser leads.
            unsafe {
                libc::killpg(self.process_group, libc::SIGKILL);
            }
        }
        let _ = lock(&self.process).start_kill();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.kill();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A pipe whose two ends are close-on-exec and numbered above 4, so the
/// child can map one end to 3 or 4 without colliding.
fn pipe_pair() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array it is given.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned here.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_four(read)?, above_four(write)?))
}

fn above_four(fd: OwnedFd) -> std::io::Result<OwnedFd> {
    // SAFETY: duplicates a descriptor owned here into a new one owned by
    // the result; the original is closed when `fd` drops.
    let moved = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 10) };
    if moved < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `moved` is a fresh descriptor owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(moved) })
}

/// Messages larger than this end the connection (a DOM is read with
/// `Runtime.evaluate`, capped by the caller well below).
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Split the browser's output into messages and hand each to its waiter.
async fn read_messages(mut from_browser: pipe::Receiver, routing: Arc<Routing>) {
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let read = match from_browser.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let scanned = buffer.len();
        buffer.extend_from_slice(&chunk[..read]);
        let mut start = 0;
        let mut from = scanned;
        while let Some(end) = memchr::memchr(0, &buffer[from..]).map(|i| from + i) {
            dispatch(&buffer[start..end], &routing);
            start = end + 1;
            from = start;
        }
        buffer.drain(..start);
        if buffer.len() > MAX_MESSAGE {
            tracing::warn!("the browser sent a message over {MAX_MESSAGE} bytes; closing");
            break;
        }
    }
    // Every waiter learns the browser is gone.
    lock(&routing.answers).clear();
    lock(&routing.sessions).clear();
}

fn dispatch(message: &[u8], routing: &Routing) {
    let Ok(value) = serde_json::from_slice::<Value>(message) else {
        return;
    };
    if let Some(id) = value.get("id").and_then(Value::as_u64) {
        if let Some(waiter) = lock(&routing.answers).remove(&id) {
            let answer = match value.get("error") {
                Some(error) => Err(error["message"].as_str().unwrap_or("error").to_string()),
                None => Ok(value.get("result").cloned().unwrap_or(Value::Null)),
            };
            let _ = waiter.send(answer);
        }
        return;
    }
    let (Some(method), Some(session)) = (
        value.get("method").and_then(Value::as_str),
        value.get("sessionId").and_then(Value::as_str),
    ) else {
        return;
    };
    if let Some(events) = lock(&routing.sessions).get(session) {
        let _ = events.send(Event {
            method: method.to_string(),
            params: value.get("params").cloned().unwrap_or(Value::Null),
        });
    }
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("pid", &self.pid())
            .finish_non_exhaustive()
    }
}
