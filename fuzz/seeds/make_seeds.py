#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the offline county sites in
fixtures/sites/. Writes fuzz/corpus/<target>/seed-<sha1> files; run it
once, then minimise with `cargo fuzz cmin` (scripts/fuzz.sh --cmin)."""
import hashlib, os, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "fixtures" / "sites"
CORPUS = ROOT / "fuzz" / "corpus"
MAX = 64 * 1024

def put(target, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()
    (d / name).write_bytes(data)

def decode(raw):
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")

PAGE_EXT = re.compile(r"\.(s?html?|jsp|json|docx)(@.*)?$")
SCRIPT = re.compile(r"(?is)<script\b([^>]*)>(.*?)</script\s*>")
HREF = re.compile(r"""(?i)\b(?:href|src)\s*=\s*["']([^"']{1,300})["']""")
ONCLICK = re.compile(r"""(?i)\bonclick\s*=\s*["']([^"']{1,300})["']""")
DATEISH = re.compile(r"(发布日期|发布时间|成文日期|日期|时间|\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
META = re.compile(r"""(?i)<meta[^>]+content\s*=\s*["']([^"']{1,80})["']""")

for path in sorted(SITES.rglob("*")):
    if not path.is_file() or path.stat().st_size > MAX:
        continue
    name = path.name
    raw = path.read_bytes()
    if name == "robots.txt" or name.endswith(".xml") or name.endswith(".xml.gz"):
        put("robots", raw)
        continue
    if not PAGE_EXT.search(name):
        continue
    gbk = b"charset=gb" in raw[:4096].lower() or b"charset=\"gb" in raw[:4096].lower()
    if name.endswith(".json"):
        selector = 4
    elif name.endswith(".docx"):
        selector = 6
    else:
        selector = 2 if gbk else (0 if len(raw) % 2 else 1)
    put("parse_page", bytes([selector]) + raw)
    if name.endswith(".docx"):
        continue
    text = decode(raw)
    for m in SCRIPT.finditer(text):
        attrs, code = m.group(1).lower(), m.group(2)
        if "src" in attrs or not code.strip():
            continue
        if "text/xml" in attrs:
            put("script_readers", bytes([2]) + code.encode())
        elif "document.write" in code:
            put("script_readers", bytes([1]) + code.encode())
        else:
            put("script_readers", bytes([len(code) % 8 if len(code) % 8 in (0, 3, 4, 5) else 0]) + code.encode())
    for m in ONCLICK.finditer(text):
        put("script_readers", bytes([7]) + ("<a href=\"javascript:;\" onclick=\"%s\">下一页</a>" % m.group(1)).encode())
    for m in HREF.finditer(text):
        put("url_normalise", bytes([0]) + m.group(1).encode())
        put("dates", m.group(1).encode())
    for m in DATEISH.finditer(text):
        s = max(0, m.start() - 30)
        put("dates", re.sub(r"<[^>]*>", " ", text[s:m.end() + 30]).encode())
    for m in META.finditer(text):
        put("dates", m.group(1).encode())

# A few absolute URLs with the parts normalise works on.
for u in [
    "http://WWW.Hljba.GOV.cn:80/bas/c100783/202303/c12_345.shtml?tab=gfxwj#top",
    "https://www.nehe.gov.cn/xxgk/index.jsp;jsessionid=7D41AB?cid=100&PHPSESSID=9",
    "http://xxgk.hljaihui.gov.cn/col/col2805/index.html?",
    "http://[::1]:8080/a/./b/../c?page=2&x=%20+",
]:
    put("url_normalise", bytes([3]) + u.encode())
