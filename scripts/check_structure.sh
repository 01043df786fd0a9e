#!/usr/bin/env bash
# The structure rules of ARCHITECTURE.md that a machine can check:
# no import loop between sibling modules, and no source file over 600
# lines (test files, named tests.rs, excepted). Exit 1 on any breach.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
python3 scripts/module_cycles.py src || status=1
long=$(find src -name '*.rs' ! -name tests.rs -exec wc -l {} + | awk '$2 != "total" && $1 > 600 {print "  " $2 ": " $1 " lines"}')
if [ -n "$long" ]; then
  echo "source files over 600 lines:"
  echo "$long"
  status=1
else
  echo "no source file over 600 lines"
fi
exit $status
