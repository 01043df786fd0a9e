#!/usr/bin/env python3
"""Compare two runs' matrix.csv row by row, as an evaluator would read them.

Fixture servers listen on a fresh port each run, so `127.0.0.1:PORT` is
folded to `127.0.0.1:*`; the columns that name this run's own files or
clock (fetched_at, evidence_file, warc_file, warc_record_id) are left out.
Everything else (status, score, reason, evidence URL, sha256, published,
excerpt, overrides) must be byte-for-byte the same.

    scripts/compare_runs.py RUN_A RUN_B     # exit 0 when equal, 1 otherwise
"""
import csv
import re
import sys
from pathlib import Path

RUN_OWN = {"fetched_at", "evidence_file", "warc_file", "warc_record_id"}
PORT = re.compile(r"127\.0\.0\.1:\d+")


def rows(run):
    path = Path(run) / "matrix.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        out = {}
        for row in csv.DictReader(f):
            row = {k: PORT.sub("127.0.0.1:*", v) for k, v in row.items() if k not in RUN_OWN}
            out[(row["county"], row["item"])] = row
        return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    problems = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            problems.append(f"{key}: only in {'B' if key not in a else 'A'}")
            continue
        for col in a[key]:
            if a[key][col] != b[key].get(col):
                problems.append(f"{key} {col}:\n  A: {a[key][col]}\n  B: {b[key].get(col)}")
    for p in problems:
        print(p)
    print(f"{len(a)} rows in A, {len(b)} rows in B, {len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
