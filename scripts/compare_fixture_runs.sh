#!/usr/bin/env bash
# Run the bundled fixture sites with two govcheck binaries and compare their
# matrices (scripts/compare_runs.py): a refactor must leave every status,
# reason, evidence URL and digest as it was.
#   scripts/compare_fixture_runs.sh OLD_BINARY NEW_BINARY
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in old new; do
  bin=$1; shift || true
  "$bin" demo --fixtures "$here/../fixtures/sites" --out "$work/$side" --db "$work/$side.db" \
    --rate 0 --quiet >/dev/null 2>"$work/$side.log" || [ $? -eq 2 ]
done
python3 "$here/compare_runs.py" "$work/old" "$work/new"
