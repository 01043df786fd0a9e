//! The report's one stylesheet, inline (the page loads nothing): the screen
//! layout, and a print layout for A4 landscape with the matrix on one page
//! and the per-county detail after a page break.

/// The `<style>` element's content.
pub(super) const STYLE: &str = "\
body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #bbb;padding:.3em .5em;font-size:13px;vertical-align:top}\
th{background:#f0f0f0}.pass{background:#d8f0d8}.fail{background:#f6d5d5}.inconclusive{background:#fbeec2}\
td.num{text-align:right}small{color:#555}h2{margin-top:2em}\
.picture{display:flex;flex-wrap:wrap;column-gap:2em;align-items:flex-start}\
table.chart td,table.chart th{vertical-align:middle;padding:.1em .4em;font-size:12px}svg.bar{display:block}\
.legend{font-size:12px;margin:1.5em 0 0}\
.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-left:.6em}\
.key.points{background:#1f5fa8}.pass-key{background:#2e7d32}.fail-key{background:#c62828}\
.inconclusive-key{background:#b26a00}\
@page{size:A4 landscape;margin:8mm}\
@media print{\
body{margin:0;font-size:9pt}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
h1{font-size:14pt;margin:0 0 .2em}h2{font-size:11pt;margin:.8em 0 .3em}p{margin:.2em 0}\
table{margin:.3em 0}th,td{font-size:7pt;padding:1px 3px}\
a{color:inherit;text-decoration:none}\
table.chart th,table.chart td{font-size:7pt;padding:0 3px}table.chart svg.bar{height:9px;width:auto}.picture section{break-inside:avoid}\
section.matrix{break-inside:avoid}table.matrix{width:100%;table-layout:fixed}\
table.matrix th,table.matrix td{overflow-wrap:anywhere}\
.details{break-before:page}.details h2{break-after:avoid}\
}";
