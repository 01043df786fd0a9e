//! Text and dates of PDF attachments.
//!
//! Annual reports and budget tables are often published only as PDFs, and
//! the Chinese ones use CID fonts that trip pure-Rust extractors (they
//! panic on UniGB-UCS2-H). Poppler's `pdftotext` runs in a child process
//! with a timeout instead: a hostile or huge file costs at most that time,
//! never the crawl. One process per PDF (`-htmlmeta` gives the Info fields
//! with the text): process start-up, not extraction, was most of the cost.

use super::{collapse, dates};
use crate::types::{DateFact, DateSource, Page};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

const TIMEOUT: Duration = Duration::from_secs(20);
const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;
/// A visible publish date is looked for this far into the text.
const DATE_WINDOW_CHARS: usize = 2000;

/// Extract `body` (a PDF) into `page`: text, a meaningful title, the
/// publish date.
pub(super) fn fill(page: &mut Page, body: &[u8]) {
    page.charset = "utf-8".to_string();
    let file = match write_temp(body) {
        Ok(file) => file,
        Err(e) => {
            page.extract_error = Some(format!("could not write a temporary file: {e}"));
            return;
        }
    };
    let path = file.path().as_os_str();
    // One process gives text and Info fields: `-htmlmeta` writes the Title
    // and dates into an HTML head before the text. pdfinfo runs only when
    // that fails (copying forbidden, a damaged text layer), for what its
    // metadata can still say.
    let extracted = match run(Command::new("pdftotext")
        .args(["-htmlmeta", "-enc", "UTF-8", "-q"])
        .arg(path)
        .arg("-"))
    {
        Ok(out) => read_htmlmeta(&out),
        Err(e) => {
            page.extract_error = Some(format!("pdftotext: {e}"));
            run(Command::new("pdfinfo")
                .args(["-enc", "UTF-8", "-isodates"])
                .arg(path))
            .map(|info| read_pdfinfo(&info))
            .unwrap_or_default()
        }
    };
    page.text = join_lines(&extracted.text);
    page.title = extracted
        .title
        .as_deref()
        .and_then(meaningful_title)
        .unwrap_or_default();
    let head: String = page.text.chars().take(DATE_WINDOW_CHARS).collect();
    let visible = dates::visible_published(&head).map(|date| DateFact {
        date,
        source: DateSource::Visible,
    });
    let created = extracted
        .created
        .as_deref()
        .and_then(dates::find_date)
        .map(|date| DateFact {
            date,
            source: DateSource::DocumentMetadata,
        });
    page.published = visible.or_else(|| dates::url_date(&page.url)).or(created);
    page.written = dates::visible_written(&head);
}

/// What poppler says about a PDF: its text and two Info fields.
#[derive(Default)]
struct Extracted {
    text: String,
    title: Option<String>,
    created: Option<String>,
}

/// Reads `pdftotext -htmlmeta` output: Info fields in the head (escaped
/// by poppler), then the text, unescaped, inside `<pre>`. The text is
/// taken up to the *last* `</pre>`, so a PDF whose text says `</pre>` is
/// not cut short; output cut at the size limit has none and keeps it all.
fn read_htmlmeta(out: &str) -> Extracted {
    let Some(pre) = out.find("<pre>") else {
        return Extracted::default();
    };
    let (head, body) = out.split_at(pre);
    let body = &body["<pre>".len()..];
    let body = body.strip_prefix('\n').unwrap_or(body);
    let text = body.rfind("</pre>").map_or(body, |end| &body[..end]);
    let between = |open: &str, close: &str| {
        let start = head.find(open)? + open.len();
        let len = head[start..].find(close)?;
        Some(unescape(head[start..start + len].trim())).filter(|v| !v.is_empty())
    };
    Extracted {
        text: text.to_string(),
        title: between("<title>", "</title>"),
        created: between("<meta name=\"CreationDate\" content=\"", "\""),
    }
}

/// Reads `pdfinfo` output (`Field:   value` lines).
fn read_pdfinfo(info: &str) -> Extracted {
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Extracted {
        text: String::new(),
        title: field("Title"),
        created: field("CreationDate"),
    }
}

/// Undoes the four escapes poppler writes into the HTML head.
fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn write_temp(body: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new()
        .prefix("govcheck-")
        .suffix(".pdf")
        .tempfile()?;
    file.write_all(body)?;
    file.flush()?;
    Ok(file)
}

/// Runs `cmd` with a timeout and returns its stdout (at most 8 MiB, the rest
/// drained) as text. A missing program, a timeout or a failure exit is an
/// error with a short reason.
fn run(cmd: &mut Command) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "not installed (install poppler-utils)".to_string(),
            _ => format!("could not start: {e}"),
        })?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    // Read in a thread so a large output cannot fill the pipe and stall the
    // child while this thread waits on it.
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut stdout = stdout;
        let read = (&mut stdout).take(MAX_TEXT_BYTES).read_to_end(&mut out);
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        read.map(|_| out)
    });
    let status = match child.wait_timeout(TIMEOUT) {
        Ok(Some(status)) => Ok(status),
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!("timed out after {} s", TIMEOUT.as_secs()))
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!("wait failed: {e}"))
        }
    };
    let output = reader
        .join()
        .map_err(|_| "output reader failed".to_string())?;
    let status = status?;
    if !status.success() {
        return Err(match status.code() {
            Some(code) => format!("exited with status {code} (damaged or encrypted PDF?)"),
            None => "killed by a signal".to_string(),
        });
    }
    let bytes = output.map_err(|e| format!("reading output: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// PDF text with lines joined: no space where a line break falls between
/// two Chinese characters (the break is layout, not a word boundary), one
/// space elsewhere.
fn join_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines().map(collapse).filter(|l| !l.is_empty()) {
        let joins_cjk = out.chars().next_back().is_some_and(is_wide)
            && line.chars().next().is_some_and(is_wide);
        if !out.is_empty() && !joins_cjk {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out
}

fn is_wide(c: char) -> bool {
    dates::is_han(c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// The PDF's Title metadata when it is a real title: it has Chinese text
/// once the "Microsoft Word - x.doc" wrapping is removed.
pub(super) fn meaningful_title(title: &str) -> Option<String> {
    let title = title.strip_prefix("Microsoft Word - ").unwrap_or(title);
    let lower = title.to_ascii_lowercase();
    let stem = [".docx", ".doc", ".wps", ".xlsx", ".xls", ".pdf"]
        .iter()
        .find_map(|ext| {
            lower
                .ends_with(ext)
                .then(|| &title[..title.len() - ext.len()])
        })
        .unwrap_or(title);
    let stem = collapse(stem);
    stem.chars().any(dates::is_han).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse;
    use crate::types::PageKind;
    use chrono::NaiveDate;
    use url::Url;

    /// A one-page PDF with ASCII text and an Info dictionary, offsets
    /// computed so that poppler reads it without repair.
    fn tiny_pdf(text: &str) -> Vec<u8> {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Title (Microsoft Word - report.doc) /CreationDate (D:20230315093000+08'00') >>".to_string(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    fn poppler_missing() -> bool {
        let missing = Command::new("pdftotext")
            .arg("-v")
            .stderr(Stdio::null())
            .status()
            .is_err();
        if missing {
            eprintln!("pdftotext is not installed: PDF extraction test skipped");
        }
        missing
    }

    #[test]
    fn extracts_text_and_dates() {
        if poppler_missing() {
            return;
        }
        let url = Url::parse("http://www.aihui.gov.cn/uploadfiles/report.pdf").unwrap();
        let page = parse(
            &url,
            200,
            Some("application/octet-stream"),
            &tiny_pdf("Annual report 2022"),
        );
        assert_eq!(page.kind, PageKind::Pdf);
        assert_eq!(page.extract_error, None);
        assert_eq!(page.text, "Annual report 2022");
        assert_eq!(
            page.title, "",
            "a Word default title without Chinese is not a title"
        );
        let published = page.published.unwrap();
        assert_eq!(published.source, DateSource::DocumentMetadata);
        assert_eq!(
            published.date,
            NaiveDate::from_ymd_opt(2023, 3, 15).unwrap()
        );

        let dated = tiny_pdf("Release date: 2023-03-30");
        let url = Url::parse("http://www.aihui.gov.cn/zwgk/202303/report.pdf").unwrap();
        let page = parse(&url, 200, Some("application/pdf"), &dated);
        assert_eq!(
            page.published.map(|f| f.source),
            Some(DateSource::UrlYearMonth)
        );
    }

    #[test]
    fn damaged_pdf_reports_why() {
        if poppler_missing() {
            return;
        }
        let url = Url::parse("http://www.aihui.gov.cn/a.pdf").unwrap();
        let page = parse(&url, 200, Some("application/pdf"), b"%PDF-1.7\n garbage");
        assert_eq!(page.kind, PageKind::Pdf);
        assert!(page.text.is_empty());
        assert!(
            page.extract_error
                .as_deref()
                .is_some_and(|e| e.starts_with("pdftotext")),
            "{:?}",
            page.extract_error
        );
    }

    #[test]
    fn htmlmeta_head_and_text_are_read_apart() {
        let out = "<html><head>\n<title>A &amp; B &lt;c&gt; &quot;d&quot;</title>\n\
            <meta name=\"CreationDate\" content=\"2023-03-15T09:30:00+08\"/>\n</head>\n\
            <body>\n<pre>\nx < y </pre> & z\n\u{c}page 2\n</pre>\n</body>\n</html>\n";
        let got = read_htmlmeta(out);
        assert_eq!(got.title.as_deref(), Some("A & B <c> \"d\""));
        assert_eq!(got.created.as_deref(), Some("2023-03-15T09:30:00+08"));
        assert_eq!(got.text, "x < y </pre> & z\n\u{c}page 2\n");
        let cut = read_htmlmeta("<head><title></title></head><pre>\nlong text cut at the li");
        assert_eq!(cut.title, None);
        assert_eq!(cut.text, "long text cut at the li");
        assert!(read_htmlmeta("garbage").text.is_empty());
    }

    #[test]
    fn titles_and_line_joins() {
        assert_eq!(
            meaningful_title("Microsoft Word - 爱辉区2022年政府信息公开工作年度报告.docx")
                .as_deref(),
            Some("爱辉区2022年政府信息公开工作年度报告")
        );
        assert_eq!(meaningful_title("Microsoft Word - report.doc"), None);
        assert_eq!(meaningful_title("untitled"), None);
        assert_eq!(
            join_lines("统计期限为2022年1月1日\n至2022年12月31日。\n\n Page 1 \n"),
            "统计期限为2022年1月1日至2022年12月31日。 Page 1"
        );
    }
}
