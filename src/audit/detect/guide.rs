//! 7.guide: the county's 政府信息公开指南.
//!
//! A title ending in 指南 is not enough: a real guide's body explains how
//! information is published and requested (the item's `sections`: 主动公开,
//! 依申请公开, 监督和救济). The particulars a complete guide names (office,
//! address, hours, phone) are reported, present or missing, but a guide
//! lacking them is still the guide. Near misses: news about a guide,
//! notices about revising it, and a department's or township's guide.

use super::Judging;
use crate::audit::text::contains_any;
use crate::rubric::WordGroup;
use crate::types::{Candidate, ReasonCode, Status};

/// The guide's candidate verdict, if the document is one.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc) = (j.item, j.doc);
    // The guide column: its entries are judged, not its frame.
    let super::Titled { title, topic, core } = j.titled()?;
    if !j.is_right_kind(&core) {
        return None;
    }
    let text = &doc.page.text;
    let sections = present(&item.sections, text);
    let readable = !doc.is_attachment || !text.is_empty();
    if readable && sections.len() < 2 {
        // A column listing guides, or a page that only names one.
        return None;
    }
    if let Some((code, why)) = j.issuer_problem() {
        return Some(j.on_title(Status::Fail, code, format!("「{title}」 {why}")));
    }
    let note = if readable {
        let named = present(&item.particulars, text);
        let missing: Vec<&str> = item
            .particulars
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| !named.contains(n))
            .collect();
        let list = |v: &[&str]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        format!(
            "「{title}」 matched 「{topic}」; its body explains {}; it names {} and lacks {}",
            sections.join(", "),
            list(&named),
            list(&missing)
        )
    } else {
        format!("「{title}」 matched 「{topic}」; attachment text not extracted, judged by its link text")
    };
    Some(j.on_title(Status::Pass, ReasonCode::Found, note))
}

/// The names of the groups whose words the text carries, in rubric order.
fn present<'a>(groups: &'a [WordGroup], text: &str) -> Vec<&'a str> {
    groups
        .iter()
        .filter(|g| contains_any(text, &g.words))
        .map(|g| g.name.as_str())
        .collect()
}
