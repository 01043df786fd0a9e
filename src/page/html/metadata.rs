//! The disclosure metadata of an article: 索引号, 发布机构, 成文日期, 发布日期.
//!
//! Disclosure articles carry a metadata block, as a table of label and
//! value cells or as `label：value` text. The fields are read by label, so
//! 成文日期 (written) is kept apart from 发布日期 (published), and the
//! detectors can tell who published a document and under which index
//! number.

use crate::page::dom::{selector, visible_text};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static ROWS: LazyLock<Selector> = LazyLock::new(|| selector("tr"));

/// Labels of the disclosure metadata table.
const METADATA_LABELS: &[&str] = &[
    "索引号",
    "发布机构",
    "发文机关",
    "成文日期",
    "发布日期",
    "发布时间",
    "上载日期",
    "公开日期",
    "公布日期",
    "发文字号",
    "文号",
    "主题分类",
    "信息来源",
    "文章来源",
    "来源",
    "有效性",
    "公开方式",
    "公开范围",
    "生成日期",
    "主题词",
    "标题",
    "名称",
];
/// Words after a `label：value` pair that start the next field.
const VALUE_STOPS: &[&str] = &[
    "作者", "浏览", "点击", "访问", "阅读", "字号", "字体", "打印", "分享", "日期", "时间", "编辑",
    "责任", "【", "[", "|", "丨", "（",
];

/// A metadata label followed by a colon, spaces allowed inside the label.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    let labels: Vec<String> = METADATA_LABELS
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(r"\s*")
        })
        .collect();
    Regex::new(&format!(r"({})\s*[:：]\s*", labels.join("|"))).unwrap()
});

/// The disclosure metadata fields shown on the page, by label (whitespace
/// removed from the label): from `<table>` label/value cells first, then
/// from `label：value` text.
pub(super) fn metadata(doc: &Html, body_text: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let label_of = |cell: &ElementRef| -> Option<&'static str> {
        let squeezed: String = visible_text(*cell)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let squeezed = squeezed.trim_end_matches([':', '：']);
        METADATA_LABELS.iter().copied().find(|l| *l == squeezed)
    };
    for row in doc.select(&ROWS) {
        let cells: Vec<ElementRef> = row
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .collect();
        for pair in cells.windows(2) {
            let Some(label) = label_of(&pair[0]) else {
                continue;
            };
            if label_of(&pair[1]).is_some() {
                continue;
            }
            let value = visible_text(pair[1]);
            if !value.is_empty() {
                fields.entry(label.to_string()).or_insert(value);
            }
        }
    }
    for caps in LABELLED.captures_iter(body_text) {
        let (Some(label), Some(whole)) = (caps.get(1), caps.get(0)) else {
            continue;
        };
        let label: String = label
            .as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let value = value_after(&body_text[whole.end()..]);
        if !value.is_empty() {
            fields.entry(label).or_insert(value);
        }
    }
    fields
}

/// The value of a `label：value` pair: up to whitespace or the next label.
fn value_after(rest: &str) -> String {
    let mut end = rest.len();
    for (idx, c) in rest.char_indices() {
        let tail = &rest[idx..];
        let next_field = METADATA_LABELS
            .iter()
            .chain(VALUE_STOPS)
            .any(|l| tail.starts_with(l));
        if c.is_whitespace() || next_field {
            end = idx;
            break;
        }
    }
    rest[..end].to_string()
}
