#!/usr/bin/env bash
# Whole-process comparison of `chiso batch` with the pandas and polars peers on synthetic
# PAPI 2021+ units: wall time and peak RSS (GNU time), and the chiso/polars ratio.
#
# The peers of peer-papi-batch.py write a summary (unit, D1..D8, total, rank: 10 columns,
# ~100 MB for 1,000,000 units); chiso writes every node (41 columns with the leaves,
# percent, band and a mean row: 348 MB). `polars-full` (written below) is polars writing
# that same content, so both comparisons are shown: chiso/polars (the summary peer) and
# chiso/polars-full (the same columns and rows as chiso).
#
# Usage: scripts/bench-compare.sh [ROWS ...]          (default: 10000 100000 1000000)
# Env:   BENCH_TOOLS  directory with gen-papi-units.py and peer-papi-batch.py
#                     (default: ../shared/bench next to the repository)
#        BENCH_TMP    where the unit files and outputs go (default: a fresh mktemp -d)
#        INDEX        index file (default: criteria/papi/papi-2021-2024.json)
#        REPEAT       rounds per size, each running every tool once in turn; the
#                     fastest run of each tool is reported (default: 1)
# Needs: python3, GNU time (/usr/bin/time), and `pip install pandas polars` for the peers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=${BENCH_TOOLS:-$ROOT/../shared/bench}
INDEX=${INDEX:-criteria/papi/papi-2021-2024.json}
REPEAT=${REPEAT:-1}
TMP=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$TMP"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 100000 1000000)
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 2; }
[ -f "$TOOLS/gen-papi-units.py" ] || { echo "no generator at $TOOLS (set BENCH_TOOLS)" >&2; exit 2; }

cargo build --release -q -p chiso-cli
# The binary cargo just built (CARGO_TARGET_DIR when set).
CHISO=${CARGO_TARGET_DIR:-$ROOT/target}/release/chiso
PEERS=()
python3 -c 'import pandas' 2>/dev/null && PEERS+=(pandas) || echo "pandas not installed: skipped (pip install pandas)" >&2
python3 -c 'import polars' 2>/dev/null && PEERS+=(polars polars-full) || echo "polars not installed: skipped (pip install polars)" >&2

# polars writing what chiso writes: every node in pre-order, total, percent, rank, band, and
# a __mean__ row (binary floats, as the summary peer).
cat > "$TMP/peer-papi-full.py" <<'PY'
import sys
import polars as pl
src, dst = sys.argv[1:3]
df = pl.read_csv(src)
dims = [f"D{i}" for i in range(1, 9)]
leaves = {d: [c for c in df.columns if c.startswith(d + ".")] for d in dims}
df = df.with_columns([pl.sum_horizontal(leaves[d]).alias(d) for d in dims])
df = df.with_columns(pl.sum_horizontal(dims).alias("total"))
df = df.with_columns(pl.col("total").rank(method="min", descending=True).alias("rank"))
order = ["unit"] + [c for d in dims for c in [d] + leaves[d]] + ["total"]
out = df.select(order).with_columns(pl.lit(None, dtype=pl.Float64).alias("percent"),
                                    df["rank"], pl.lit(None, dtype=pl.String).alias("band"))
mean = out.select(pl.lit("__mean__").alias("unit"), *[pl.col(c).mean() for c in order[1:]],
                  pl.lit(None, dtype=pl.Float64).alias("percent"),
                  pl.lit(None, dtype=out["rank"].dtype).alias("rank"),
                  pl.lit(None, dtype=pl.String).alias("band"))
pl.concat([out, mean]).write_csv(dst)
PY
# peer TOOL IN OUT -> the command line of a peer
peer() {
  case $1 in
    polars-full) echo python3 "$TMP/peer-papi-full.py" "$2" "$3" ;;
    *) echo python3 "$TOOLS/peer-papi-batch.py" "$1" "$2" "$3" ;;
  esac
}

# once OUT CMD... -> prints "wall_s peak_kib" of one run
once() {
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$TMP/time.txt" "$@" > "$out"
  cat "$TMP/time.txt"
}

# better BEST NEW -> the faster of two "wall_s peak_kib" (BEST may be empty)
better() {
  if [ -z "$1" ] || awk -v a="${2%% *}" -v b="${1%% *}" 'BEGIN{exit !(a<b)}'; then echo "$2"; else echo "$1"; fi
}

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }

echo "machine: $(nproc) cores; $(uname -sr); chiso $(git rev-parse --short HEAD 2>/dev/null || echo '?'); files in $TMP; load $(load)"
echo "REPEAT=$REPEAT rounds, each running every tool once in turn (so a change of load hits all tools alike); the fastest run of each is shown"
printf '%-9s %-11s %9s %12s %14s\n' rows tool "wall (s)" "peak (MiB)" "chiso/peer"
for n in "${SIZES[@]}"; do
  f=$TMP/units-$n.csv
  [ -s "$f" ] || python3 "$TOOLS/gen-papi-units.py" "$n" > "$f"
  declare -A best=()
  for _ in $(seq "$REPEAT"); do
    best[chiso]=$(better "${best[chiso]:-}" "$(once "$TMP/chiso-$n.csv" "$CHISO" batch "$INDEX" "$f")")
    for p in "${PEERS[@]}"; do
      # shellcheck disable=SC2046 # the peer's words, none with spaces
      best[$p]=$(better "${best[$p]:-}" "$(once "$TMP/$p-$n.csv" $(peer "$p" "$f" "$TMP/$p-$n.out.csv"))")
    done
  done
  read -r cw cm <<< "${best[chiso]}"
  printf '%-9s %-11s %9s %12.1f\n' "$n" chiso "$cw" "$(echo "$cm/1024" | bc -l)"
  for p in "${PEERS[@]}"; do
    read -r w m <<< "${best[$p]}"
    ratio=""
    case $p in polars*) ratio=$(awk -v a="$cw" -v b="$w" 'BEGIN{ if (b > 0) printf "%.2f", a/b }');; esac
    printf '%-9s %-11s %9s %12.1f %14s\n' "$n" "$p" "$w" "$(echo "$m/1024" | bc -l)" "$ratio"
  done
  unset best
  # Sanity: same number of ranked units as data rows (the generator never leaves a gap).
  ranked=$(awk -F, 'NR>1 && $1 != "__mean__" && $(NF-1) != ""' "$TMP/chiso-$n.csv" | wc -l)
  [ "$ranked" -eq "$n" ] || echo "WARNING: chiso ranked $ranked of $n units" >&2
done
echo "load at the end: $(load)"
