//! The vocabulary every stage shares.
//!
//! `crawl` produces captured responses and a crawl outcome, `page` turns a
//! body into a [`Page`], `audit` turns pages into [`Finding`]s, and `run`,
//! `emit` and `history` read them. Each of those imports these types from
//! here, never from a sibling stage, so a stage can change its internals
//! without the others noticing.

mod capture;
mod finding;
mod hosts;
mod outcome;
mod page;
mod reason;

pub use capture::{
    EarlierCapture, FetchError, FetchErrorClass, Fetched, Hop, PostBody, Rendered, Revisit,
};
pub use finding::{Candidate, Evidence, Finding, Status};
pub use hosts::{bare_host, registered_domain, same_registered_domain, sibling_hosts};
pub use outcome::{CrawlOutcome, SiteStart, SkipReason, Visit};
pub use page::{BodyCut, DateFact, DateSource, Link, LinkOrigin, Page, PageKind};
pub use reason::{ReasonCode, UnknownReasonCode};
