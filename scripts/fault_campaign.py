#!/usr/bin/env python3
"""Crawl a campaign of broken and hostile county sites and measure the run.

Serves, on 127.0.0.1 only, one site per fault (a 200 MB homepage, a gzip
bomb, random bytes, no links, a disclosure section answering 431, a body
trickling at 10 bytes/s, a link generator, 100,000 nested <div>s, a
1.5 MB robots.txt) plus a healthy control, crawls them as one campaign with
the given govcheck binary under /usr/bin/time -v, and prints the wall time,
peak RSS and each county's rows by status and reason code. The figures in
docs/reliability.md come from this script; tests/faults.rs asserts the
verdicts in `cargo test`.

    scripts/fault_campaign.py target/release/govcheck [--keep DIR]
"""
import argparse
import http.server
import os
import random
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from pathlib import Path

HOME = ('<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>'
        '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a>'
        '<a href="/xwzx/">新闻中心</a></div><p>某县人民政府门户网站</p></body></html>')
SECTION = ('<html><head><meta charset="utf-8"><title>政务公开</title></head><body>'
           '<a href="/">首页</a><h2>政务公开</h2><ul><li><a href="/zwgk/a1.html">'
           '关于印发某县2023年重点工作的通知</a><span>2023-02-01</span></li></ul></body></html>')


def gzip_bomb(size):
    """`size` bytes of zeros, gzip-compressed in one stream."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    out = [comp.compress(chunk) for _ in range(size >> 20)]
    out.append(comp.flush())
    return b"".join(out)


def site(kind, bomb):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body, ctype="text/html; charset=utf-8", extra=()):
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(body)))
            self.send_header("connection", "close")
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

        def do_GET(self):
            path = self.path
            if path == "/robots.txt":
                if kind == "robots":
                    rules = "".join(f"Disallow: /private/{i:06d}/\n" for i in range(60000))
                    return self.send(200, ("User-agent: *\n" + rules).encode(), "text/plain")
                return self.send(404, b"not found")
            if kind == "big" and path == "/":
                self.send_response(200)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", str(200 << 20))
                self.send_header("connection", "close")
                self.end_headers()
                chunk = ("<p>政务公开 filler</p>\n" * 2048).encode()
                try:
                    for _ in range((200 << 20) // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    pass
                return
            if kind == "bomb" and path == "/":
                return self.send(200, bomb, "text/html", [("content-encoding", "gzip")])
            if kind == "binary" and path == "/":
                return self.send(200, random.Random(7).randbytes(65536), "application/octet-stream")
            if kind == "nolinks" and path == "/":
                return self.send(200, "<html><body><p>网站维护中</p></body></html>".encode())
            if kind == "trickle" and path == "/":
                self.send_response(200)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", "100000")
                self.end_headers()
                try:
                    for _ in range(10000):
                        self.wfile.write(b"<p>slow</p>")
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:
                    pass
                return
            if kind == "generator":
                seed = sum(path.encode())
                links = "".join(f'<a href="/g/{seed}/{i}.html">第{i}页</a>\n' for i in range(20000))
                return self.send(200, (HOME[:-14] + links + "</body></html>").encode())
            if kind == "deep" and path == "/":
                return self.send(200, (HOME[:-14] + "<div>" * 100000).encode())
            if kind == "section431" and path == "/zwgk/":
                return self.send(431, b"<html>Request Header Fields Too Large</html>")
            if path == "/":
                return self.send(200, HOME.encode())
            if path == "/zwgk/":
                return self.send(200, SECTION.encode())
            return self.send(200, f'<html><body><a href="/">首页</a>{path}</body></html>'.encode())

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


FAULTS = [
    ("big", "200 MB homepage, honest Content-Length"),
    ("bomb", "gzip bomb: 2 GiB of zeros"),
    ("binary", "octet-stream random bytes"),
    ("nolinks", "homepage without links"),
    ("section431", "政务公开 section answers 431"),
    ("trickle", "body at 10 bytes/s"),
    ("generator", "20,000 new links on every page"),
    ("deep", "100,000 nested <div>"),
    ("robots", "robots.txt of 60,000 rules (1.5 MB)"),
    ("healthy", "healthy control"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--keep", help="write the run here instead of a temporary folder")
    ap.add_argument("--only", action="append", help="crawl only this fault (repeatable)")
    args = ap.parse_args()
    faults = [f for f in FAULTS if not args.only or f[0] in args.only]
    bomb = gzip_bomb(2 << 30)
    servers = {kind: site(kind, bomb) for kind, _ in FAULTS}
    work = Path(args.keep or tempfile.mkdtemp())
    if work.exists() and args.keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    targets = ['[campaign]\nname = "faults"\nwindow_start = "2022-07-01"\nwindow_end = "2023-06-30"\n']
    for kind, _ in faults:
        port = servers[kind].server_address[1]
        targets.append(f'\n[[county]]\nname = "{kind}"\nurl = "http://127.0.0.1:{port}/"\n')
    (work / "targets.toml").write_text("".join(targets))
    cmd = ["/usr/bin/time", "-v", args.binary, "crawl", "--targets", str(work / "targets.toml"),
           "--out", str(work / "run"), "--db", str(work / "history.sqlite"), "--rate", "0", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", done.stderr).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    print(f"exit {done.returncode}, wall {wall}, peak RSS {rss / 1024:.0f} MB")
    rows = {}
    import csv
    with open(work / "run" / "matrix.csv", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            code = r["reason"].split(":")[0]
            if code == "homepage_unreadable":
                code += ":" + r["reason"].split(":")[1].strip()
            rows.setdefault(r["county"], Counter())[(r["status"], code)] += 1
    for kind, what in faults:
        summary = ", ".join(f"{n} {s} {c}" for (s, c), n in sorted(rows[kind].items()))
        print(f"| {what} | {summary} |")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
