//! Reason codes: why a row has its status. The code opens the matrix's
//! `reason` column and is what tests, exports and the history compare, so
//! its string form lives in one table here.

use std::fmt;
use std::str::FromStr;

macro_rules! reason_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// Why a row has its status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ReasonCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ReasonCode {
            /// Every code, in table order.
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant,)*];

            /// The code as written in the matrix (`not_found`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ReasonCode::$variant => $code,)*
                }
            }
        }
    };
}

reason_codes! {
    /// The item was found.
    Found => "found",
    /// Nothing on the site matched.
    NotFound => "not_found",
    /// The document is for another year.
    WrongYear => "wrong_year",
    /// Found, but published after the deadline.
    Late => "late",
    /// Only a department's or township's document.
    DepartmentOnly => "department_only",
    /// Issued by another government (the city, the province, another county).
    WrongIssuer => "wrong_issuer",
    /// A plan, notice or news item, not the document itself.
    WrongKind => "wrong_kind",
    /// The column exists but holds nothing.
    EmptyColumn => "empty_column",
    /// The link to it does not open.
    BrokenLink => "broken_link",
    /// Nothing dated inside the evaluation window.
    OutsideWindow => "outside_window",
    /// The county government office's report stands for the county's.
    OfficeReport => "office_report",
    /// An anti-bot challenge answered.
    Blocked => "blocked",
    /// robots.txt forbids the relevant pages.
    RobotsDisallowed => "robots_disallowed",
    /// robots.txt could not be read, so nothing may be crawled.
    RobotsUnavailable => "robots_unavailable",
    /// Fetching failed.
    Unreachable => "unreachable",
    /// The page budget ran out before the relevant links.
    BudgetExhausted => "budget_exhausted",
    /// A list filled by a script request govcheck cannot reproduce.
    ScriptList => "script_list",
    /// A relevant link into another host of the county's own domain.
    OutOfScope => "out_of_scope",
    /// The link answers with the site's catch-all page.
    Soft404 => "soft_404",
    /// The 制度 column holds only national and provincial texts.
    OnlyHigherLevelTexts => "only_higher_level_texts",
    /// A link to the provincial system's front page only.
    ProvinceSystemFrontPage => "province_system_front_page",
    /// An evaluator's decision replaces the machine verdict.
    Override => "override",
    /// The homepage could not be read as a site (cut, not HTML, no links
    /// into the site): nothing can be claimed absent.
    HomepageUnreadable => "homepage_unreadable",
    /// The homepage redirects to another registered domain.
    HomepageMoved => "homepage_moved",
    /// A relevant page was read only in part (cut on the wire, in
    /// decompression or at the parser's cap).
    Unreadable => "unreadable",
    /// The site's wall-clock budget ran out before its crawl was done.
    SiteTimeout => "site_timeout",
    /// A relevant link lay further from the homepage than the crawl
    /// follows between sections: not a budget that ran out.
    DepthLimit => "depth_limit",
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code that is not in the table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reason code `{0}`")]
pub struct UnknownReasonCode(pub String);

impl FromStr for ReasonCode {
    type Err = UnknownReasonCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReasonCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownReasonCode(s.to_string()))
    }
}

impl PartialEq<&str> for ReasonCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ReasonCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        for code in ReasonCode::ALL {
            assert_eq!(code.as_str().parse::<ReasonCode>(), Ok(*code));
        }
        assert!("no_such_code".parse::<ReasonCode>().is_err());
    }
}
