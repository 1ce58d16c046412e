#!/usr/bin/env bash
# Whole-process comparison of `chiso records` with a polars peer on synthetic dossier
# exports (issue 10 §4): wall time and peak RSS (GNU time), the chiso/polars ratio, and the
# two outputs compared for equality unit by unit (exit 1 on any difference).
#
# Usage: scripts/bench-records.sh [ROWS ...]            (default: 1000000; target 10000000)
# Env:   BENCH_TMP  where files go (default: a fresh mktemp -d; a 10,000,000-row file is
#                   about 2.1 GB, deleted after its run unless KEEP=1)
#        REPEAT     runs per tool and size; the fastest is reported (default: 1)
#        SEED       generator seed (default: 2026)
#        KEEP=1     keep the generated files
#        CHISO_BIN  a chiso binary to use instead of building target/release/chiso
# Needs: python3 with polars (pip install polars), GNU time (/usr/bin/time).
#
# The file: `cargo run --release --example gen_dossiers -- ROWS SEED` (benches/common/
# dossiers.rs: 1,000 units of a province tree, receipts over 2026 working days, due dates
# from chiso's calendar, supplements, every national status). Both tools evaluate the
# period 2026-01..2026-09 at day granularity: chiso with the policies
# {"comparison": "calendar_date", "open_at_end": "due_date_on_or_after_last_day"}, the peer
# (benches/peer/records_peer.py) with pl.business_day_count and the same holiday table
# (data/calendar/), make-up Saturdays added back and counted separately.
# Compared: per unit (1,041 with the roll-up) received, early, on time, late, open not
# due, open overdue, withdrawn apart, and n/d of 1.4, 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4,
# 4.5b, 5.4.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPEAT=${REPEAT:-1}
SEED=${SEED:-2026}
PERIOD=2026-01..2026-09
CALENDAR=$ROOT/data/calendar/vn_civil_service_calendar_2018_2026.csv
PEER=$ROOT/benches/peer/records_peer.py
TMP=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$TMP"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000000)
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 2; }
python3 -c 'import polars' 2>/dev/null || { echo "polars is required (pip install polars)" >&2; exit 2; }

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ -z "${CHISO_BIN:-}" ]; then
  cargo build --release -q -p chiso-cli
fi
CHISO=${CHISO_BIN:-$TARGET/release/chiso}
cargo build --release -q -p chiso --example gen_dossiers
GEN=$TARGET/release/examples/gen_dossiers
printf '%s\n' '{"comparison": "calendar_date", "open_at_end": "due_date_on_or_after_last_day"}' > "$TMP/policies.json"

# run OUT CMD... -> prints "wall_s peak_kib cpu_s" of the fastest of REPEAT runs
run() {
  local out=$1; shift
  local best=""
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -f "%e %M %U %S" -o "$TMP/time.txt" "$@" > "$out"
    local t; t=$(tail -n 1 "$TMP/time.txt" | awk '{printf "%s %s %.2f", $1, $2, $3 + $4}')
    if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  echo "$best"
}

echo "machine: $(nproc) cores; $(uname -sr); chiso $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
  "polars $(python3 -c 'import polars; print(polars.__version__)'); files in $TMP"
echo "chiso: $CHISO records FILE --period $PERIOD --policies $TMP/policies.json --format csv"
echo "peer:  python3 $PEER run FILE $CALENDAR $PERIOD OUT"
status=0
rows_out=()
for n in "${SIZES[@]}"; do
  f=$TMP/dossiers-$n.csv
  if [ ! -s "$f" ]; then
    "$GEN" "$n" "$SEED" > "$f"
  fi
  mib=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.0f", b/1048576}')
  load=$(cut -d' ' -f1 /proc/loadavg)
  read -r cw cm cc < <(run "$TMP/chiso-$n.csv" "$CHISO" records "$f" --period "$PERIOD" \
    --policies "$TMP/policies.json" --format csv)
  read -r pw pm pc < <(run "$TMP/peer-$n.log" python3 "$PEER" run "$f" "$CALENDAR" "$PERIOD" "$TMP/peer-$n.csv")
  if python3 "$PEER" compare "$TMP/chiso-$n.csv" "$TMP/peer-$n.csv"; then same=yes; else same=NO; status=1; fi
  ratio=$(awk -v a="$cw" -v b="$pw" 'BEGIN{ if (b > 0) printf "%.2f", a/b }')
  rows_out+=("$(printf '%-10s %8s %6s %7s %7s %7.1f %7s %7s %7.1f %8s %6s' "$n" "$mib" "$load" \
    "$cw" "$cc" "$(echo "$cm/1024" | bc -l)" "$pw" "$pc" "$(echo "$pm/1024" | bc -l)" "$ratio" "$same")")
  [ "${KEEP:-0}" = 1 ] || rm -f "$f"
done
echo
echo "wall and CPU (user + sys) in seconds, peak RSS in MiB; load = 1-minute load average before the run;"
echo "ratio = chiso wall / polars wall (polars uses every core, chiso one)"
printf '%-10s %8s %6s %7s %7s %7s %7s %7s %7s %8s %6s\n' rows "file MiB" load \
  "chiso" "cpu" "MiB" "polars" "cpu" "MiB" "ratio" equal
printf '%s\n' "${rows_out[@]}"
exit $status
