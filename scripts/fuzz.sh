#!/usr/bin/env bash
# Coverage-guided fuzzing of every chiso reader (libFuzzer through cargo-fuzz; nightly).
#
#   scripts/fuzz.sh [seconds-per-target] [target…]     (default 60 s, every target)
#
# Builds fuzz/ (its own workspace, target dir fuzz/target), then runs each target in turn
# — one fuzzing process at a time, at nice 19 — on a working corpus in
# fuzz/target/corpus/<target> seeded from the checked-in fuzz/corpus/<target>. A crash
# (panic, abort), a timeout (an input taking over 10 s) or running out of memory (1 GiB)
# writes the input to fuzz/artifacts/<target>/ and the target restarts for the rest of
# its time (at most 5 restarts). Prints per target: seconds, executions, new crashes,
# and the panic message of each. Logs: fuzz/target/logs/<target>.log.
#
# Minimise a crash:  cargo +nightly fuzz tmin --fuzz-dir fuzz --sanitizer none -a <target> <artifact>
# Replay it:         fuzz/target/<host>/release/<target> <artifact>
# Needs: rustup toolchain nightly, cargo install cargo-fuzz --locked.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-60}
shift || true
if ! [[ $secs =~ ^[0-9]+$ ]] || [ "$secs" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [seconds-per-target] [target…]" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/fuzz_targets/*.rs; do
    targets+=("$(basename "$f" .rs)")
  done
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked (and rustup toolchain install nightly)" >&2
  exit 2
fi

echo "building the fuzz targets (fuzz/target)…" >&2
nice -n 19 cargo +nightly fuzz build --fuzz-dir fuzz -a --sanitizer none \
  --target-dir fuzz/target >&2
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin=fuzz/target/$host/release
mkdir -p fuzz/target/logs

printf '%-18s %8s %14s %8s\n' target seconds executions crashes
total_execs=0
total_crashes=0
for t in "${targets[@]}"; do
  if [ ! -x "$bin/$t" ]; then
    echo "no fuzz target named $t (see fuzz/fuzz_targets/)" >&2
    exit 2
  fi
  work=fuzz/target/corpus/$t
  art=fuzz/artifacts/$t
  log=fuzz/target/logs/$t.log
  mkdir -p "$work" "$art" "fuzz/corpus/$t"
  : >"$log"
  before=$(find "$art" -type f | sort)
  execs=0
  left=$secs
  restarts=0
  started=$(date +%s)
  while [ "$left" -gt 0 ] && [ "$restarts" -le 5 ]; do
    run_start=$(date +%s)
    run_log=$(mktemp)
    set +e
    nice -n 19 "$bin/$t" "$work" "fuzz/corpus/$t" \
      -max_total_time="$left" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$art/" >"$run_log" 2>&1
    rc=$?
    set -e
    cat "$run_log" >>"$log"
    n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$run_log" | tail -1 | awk '{print $2}')
    execs=$((execs + ${n:-0}))
    rm -f "$run_log"
    [ "$rc" -eq 0 ] && break
    restarts=$((restarts + 1))
    left=$((left - ($(date +%s) - run_start)))
  done
  after=$(find "$art" -type f | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d' || true)
  crashes=$(printf '%s' "$new" | grep -c . || true)
  printf '%-18s %8d %14d %8d\n' "$t" "$(($(date +%s) - started))" "$execs" "$crashes"
  if [ -n "$new" ]; then
    echo "$new" | sed 's/^/    /'
    grep -E "panicked at|^thread '.*' .*panicked|ERROR: libFuzzer|SUMMARY" "$log" | sort -u | head -10 | sed 's/^/      /'
  fi
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
done
printf '%-18s %8s %14d %8d\n' total '' "$total_execs" "$total_crashes"
