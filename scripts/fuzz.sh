#!/usr/bin/env bash
# Fuzz every target in fuzz/ for a bounded time: one process at a time,
# at the lowest CPU priority, each for SECONDS_PER_TARGET (default 600).
# Not run in CI. Needs `cargo install cargo-fuzz` and a nightly toolchain.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="dates robots" scripts/fuzz.sh 60
#
# The corpus of each target (fuzz/corpus/<target>/) grows while it runs
# and is minimised afterwards (libFuzzer -merge=1, as `cargo fuzz cmin`);
# crashes, timeouts, out-of-memory and slow inputs (over 1 s) land in
# fuzz/artifacts/<target>/.
# A summary (target, seconds, executions, corpus files and bytes, findings)
# is printed and appended to fuzz/summary.tsv, one row per target run;
# libFuzzer's own log of each target is in fuzz/target/logs/.
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

# libFuzzer lets inputs grow slowly from a few bytes; whole pages (the
# seeds are fixture pages) are worth mutating at full length at once.
len_control() {
  case $1 in
    parse_page | script_readers) echo 0 ;;
    *) echo 100 ;;
  esac
}

nice -n 19 cargo +nightly fuzz build -O
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT

summary="$root/fuzz/summary.tsv"
if [ ! -s "$summary" ]; then
  printf 'date\ttarget\tseconds\texecutions\tcorpus_files\tcorpus_bytes\tfindings\n' >"$summary"
fi
run_rows=$(mktemp)
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
    -max_len="$(max_len "$t")" -len_control="$(len_control "$t")" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$logs/$t.out" 2>&1) || true
  mv -f "$logs/fuzz-0.log" "$logs/$t.log" 2>/dev/null || true
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  # What `cargo fuzz cmin` does, with the binary built above (cmin would
  # rebuild first if a source changed since, and mix two builds' results).
  minimal="$root/fuzz/target/cmin-$t"
  rm -rf "$minimal" && mkdir -p "$minimal"
  if (cd "$logs" && nice -n 19 "$bin/$t" -merge=1 "$minimal" "$corpus" \
    -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" >"$logs/$t.cmin.log" 2>&1); then
    rm -rf "$corpus" && mv "$minimal" "$corpus"
  else
    echo "minimising the $t corpus failed: see $logs/$t.cmin.log" >&2
  fi
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  found=$(($(find "$artifacts" -type f | wc -l) - before))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$t" "$ran" "${execs:-?}" \
    "$files" "$bytes" "$found" | tee -a "$run_rows" >>"$summary"
done
(head -1 "$summary" && cat "$run_rows") | column -t -s $'\t'
rm -f "$run_rows"
if find "$root/fuzz/artifacts" -type f -newer "$marker" | grep -q .; then
  echo "findings (reproduce: fuzz/target/$triple/release/<target> <file>):"
  find "$root/fuzz/artifacts" -type f -newer "$marker" -printf '  %p\n'
fi
