#!/usr/bin/env python3
"""Score a run's matrix.csv against the fixture sites' expected.csv labels.

For each site and in total: rows whose status matches, whose status and
reason code match, and whose evidence (path and query, for pass rows)
matches as well; then every mismatching row. Used for before/after counts
when a change touches verdicts (a newer binary's labels judge an older run).

    scripts/score_fixture_run.py RUN_DIR [FIXTURE_SITES_DIR] [LABEL_FILE]

LABEL_FILE defaults to expected.csv; fixtures/render also carries
expected-static.csv, what an honest reader that runs no script must give.
"""
import csv
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit


def reason_code(cell):
    return re.split(r"[ :：]", cell.strip(), maxsplit=1)[0]


def path_and_query(url):
    if not url:
        return ""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def expected_labels(sites, label_file="expected.csv"):
    labels = {}
    for site in sorted(Path(sites).iterdir()):
        toml, csv_path = site / "_site.toml", site / label_file
        if not (toml.is_file() and csv_path.is_file()):
            continue
        county = tomllib.loads(toml.read_text(encoding="utf-8"))["name"]
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            labels[county] = (site.name, {r["item"]: r for r in csv.DictReader(f)})
    return labels


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__)
    sites = sys.argv[2] if len(sys.argv) >= 3 else Path(__file__).parent.parent / "fixtures/sites"
    labels = expected_labels(sites, *sys.argv[3:])
    with open(Path(sys.argv[1]) / "matrix.csv", encoding="utf-8-sig", newline="") as f:
        got = {(r["county"], r["item"]): r for r in csv.DictReader(f)}
    totals = [0, 0, 0, 0]
    misses = []
    for county, (slug, items) in labels.items():
        counts = [0, 0, 0, 0]
        for item, want in items.items():
            row = got.get((county, item))
            counts[0] += 1
            if row is None:
                misses.append(f"{slug} {item}: missing from the run")
                continue
            status_ok = row["status"] == want["status"]
            reason_ok = status_ok and reason_code(row["reason"]) == want["reason"]
            evidence = path_and_query(row["evidence_url"]) if row["status"] == "pass" else ""
            evidence_ok = reason_ok and evidence == want["evidence"]
            counts[1] += status_ok
            counts[2] += reason_ok
            counts[3] += evidence_ok
            if not evidence_ok:
                misses.append(
                    f"{slug} {item}: want {want['status']} {want['reason']} {want['evidence']}"
                    f" | got {row['status']} {reason_code(row['reason'])} {evidence}"
                )
        print(f"{slug:32} rows {counts[0]:3}  status {counts[1]:3}  +reason {counts[2]:3}  +evidence {counts[3]:3}")
        totals = [t + c for t, c in zip(totals, counts)]
    print(f"{'total':32} rows {totals[0]:3}  status {totals[1]:3}  +reason {totals[2]:3}  +evidence {totals[3]:3}")
    for m in misses:
        print(m)
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
