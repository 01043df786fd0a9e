//! What can go wrong while archiving: the WARC writer's and the CDXJ
//! index's errors, in a leaf so the index needs nothing from the writer.
//!
//! Each error carries its cause in its message (`creating …: File exists`),
//! because callers log WARC errors as they are, without walking a source
//! chain.

use std::fmt::Display;

/// The archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    /// The run id would not make a safe file name.
    #[error("run id {0:?} is not usable in a file name")]
    BadRunId(String),
    /// A file or directory operation failed.
    #[error("{doing} {what}: {cause}")]
    Io {
        /// What was being done: `creating`, `syncing`, `writing to`, …
        doing: &'static str,
        /// The file or directory it was done to.
        what: String,
        /// What the system said.
        cause: std::io::Error,
    },
    /// A record could not be compressed.
    #[error(transparent)]
    Compress(std::io::Error),
    /// The index's path has no directory to write a temporary file in.
    #[error("{0} has no parent directory")]
    NoParent(String),
    /// The writer task has finished; no more records are taken.
    #[error("the WARC writer has finished")]
    WriterFinished,
    /// The writer task ended before it answered.
    #[error("the WARC writer stopped before answering")]
    NoAnswer,
}

impl WarcError {
    /// A `map_err` adapter: `doing` what (`creating`, `syncing`) to `what`.
    pub(crate) fn io(
        doing: &'static str,
        what: impl Display,
    ) -> impl FnOnce(std::io::Error) -> Self {
        move |cause| WarcError::Io {
            doing,
            what: what.to_string(),
            cause,
        }
    }
}
