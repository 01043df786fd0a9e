#!/usr/bin/env bash
# Fuzz every target in fuzz/ for a bounded time: one process at a time,
# at the lowest CPU priority, each for SECONDS_PER_TARGET (default 600).
# Not run in CI. Needs `cargo install cargo-fuzz` and a nightly toolchain.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="dates robots" scripts/fuzz.sh 60
#
# The corpus of each target (fuzz/corpus/<target>/) grows while it runs
# and is minimised afterwards (`cargo fuzz cmin`); crashes, timeouts,
# out-of-memory and slow inputs (over 1 s) land in fuzz/artifacts/<target>/.
# A summary (target, seconds, executions, corpus files and bytes, findings)
# is printed and written to fuzz/summary.tsv; libFuzzer's own log of each
# target is in fuzz/target/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
targets=${FUZZ_TARGETS:-"parse_page script_readers dates robots url_normalise"}
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin="$root/fuzz/target/$triple/release"
logs="$root/fuzz/target/logs"
mkdir -p "$logs"

# Inputs longer than this are not tried: whole pages for the page
# readers, a line or a URL for the rest.
max_len() {
  case $1 in
    parse_page | script_readers | robots) echo 65536 ;;
    *) echo 4096 ;;
  esac
}

nice -n 19 cargo +nightly fuzz build -O
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT

summary="$root/fuzz/summary.tsv"
printf 'target\tseconds\texecutions\tcorpus_files\tcorpus_bytes\tfindings\n' >"$summary"
for t in $targets; do
  corpus="$root/fuzz/corpus/$t"
  artifacts="$root/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  start=$(date +%s)
  # -jobs=1 runs the fuzzer as one child process whose log is
  # fuzz-0.log in the working directory: the log directory.
  rm -f "$logs/fuzz-0.log"
  (cd "$logs" && nice -n 19 "$bin/$t" "$corpus" \
    -max_total_time="$seconds" -jobs=1 -workers=1 \
    -timeout=10 -rss_limit_mb=2048 -report_slow_units=1 \
    -max_len="$(max_len "$t")" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$logs/$t.out" 2>&1) || true
  mv -f "$logs/fuzz-0.log" "$logs/$t.log" 2>/dev/null || true
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  nice -n 19 cargo +nightly fuzz cmin -O "$t" "$corpus" -- -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    >"$logs/$t.cmin.log" 2>&1 || echo "cmin of $t failed: see $logs/$t.cmin.log" >&2
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  found=$(($(find "$artifacts" -type f | wc -l) - before))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$ran" "${execs:-?}" "$files" "$bytes" "$found" >>"$summary"
done
column -t -s $'\t' "$summary"
if find "$root/fuzz/artifacts" -type f -newer "$marker" | grep -q .; then
  echo "findings (reproduce: fuzz/target/$triple/release/<target> <file>):"
  find "$root/fuzz/artifacts" -type f -newer "$marker" -printf '  %p\n'
fi
