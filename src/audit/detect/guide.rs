//! 7.guide: the county's 政府信息公开指南.
//!
//! A title ending in 指南 is not enough: a real guide names its office,
//! address, hours and phone, so its body must carry the item's markers.

use super::Judging;
use crate::types::{Candidate, ReasonCode, Status};

/// The guide's candidate verdict, if the document is one.
pub(super) fn detect(j: &Judging) -> Option<Candidate> {
    let (item, doc) = (j.item, j.doc);
    // The guide column: its entries are judged, not its frame.
    let super::Titled { title, topic, core } = j.titled()?;
    if !j.is_right_kind(&core) {
        return None;
    }
    let markers = item
        .body_markers
        .iter()
        .filter(|m| doc.page.text.contains(m.as_str()))
        .count();
    let readable = !doc.is_attachment || !doc.page.text.is_empty();
    if readable && markers < 2 {
        // A column listing guides, or a news item about one.
        return None;
    }
    if let Some((code, why)) = j.issuer_problem() {
        return Some(j.on_title(Status::Fail, code, format!("「{title}」 {why}")));
    }
    let note = format!("「{title}」 matched 「{topic}」 and names {markers} of the guide's particulars (office, address, hours, phone, channels)");
    Some(j.on_title(Status::Pass, ReasonCode::Found, note))
}
