#![warn(missing_docs)]
//! govcheck: checks Chinese county government websites for the disclosures
//! an evaluation rubric requires, and keeps evidence that holds up.
//!
//! The pipeline follows DESIGN.md: `campaign` + `rubric` (data) → `crawl`
//! (gather) → `page` (parsed facts) → `audit` (verdicts) → `score` →
//! `emit`; `run` wires them for a campaign, `cli` is the thin front end.

pub mod audit;
pub mod campaign;
pub mod cli;
pub mod crawl;
pub mod emit;
pub mod evidence;
pub mod history;
pub mod page;
pub mod rubric;
pub mod run;
pub mod score;
pub mod serve;
pub mod terminal;
pub mod types;
pub mod util;
