//! Small helpers that more than one stage needs, kept here so that neither
//! stage has to import the other: `emit` (the run's tables and report) and
//! `evidence` (snapshots) both write files atomically, escape HTML and drop
//! control characters from captured text, open run files without
//! following planted links, and
//! `emit` already depends on `evidence`, so the helpers cannot live in
//! either without an import loop.

pub mod atomic;
pub mod controls;
pub mod html;
pub mod nofollow;

pub use atomic::write_atomic;
pub use controls::without_controls;
pub use html::escape;
