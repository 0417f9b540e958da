#!/usr/bin/env bash
# Excerpts per GB of heap (issue 15, point 5; docs/SCALING.md): the demo songs' vectors (Spark extract)
# grown 16x and 32x with `copies`, imported into two SQLite indexes; for each, the smallest -Xmx (by
# bisection, to 2 MB) at which `rhythmsearch query --track 1` answers. The difference between the two
# gives the heap one more excerpt costs, without the JVM's own baseline.
#   scripts/heap-figures.sh [MASTER]      (after ./rhythmsearch-demo.sh and mvn -B package; default local[2])
set -euo pipefail
cd "$(dirname "$0")/.."
M=${1:-local[2]}
[ -f data/demo-corpus/songs.txt ] || { echo "heap-figures.sh: run ./rhythmsearch-demo.sh first" >&2; exit 2; }
[ -f rhythmsearch-spark/target/rhythmsearch-spark.jar ] || { echo "heap-figures.sh: run mvn -B package first" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cut -f1 data/demo-corpus/songs.txt > "$OUT/files.txt"
spark() { bin/rhythmsearch-spark "$@" --master "$M" 2>&1 | grep -v 'WARNING: Using incubator\|WARN \|^on a cluster'; }
spark extract --files-from "$OUT/files.txt" --out "$OUT/x"
declare -A heap rows
for n in 16 32; do
  spark copies --in "$OUT/x" --out "$OUT/x$n" --copies $((n - 1))
  spark import --in "$OUT/x$n" --index "$OUT/i$n.db"
  lo=8 hi=1024
  while [ $((hi - lo)) -gt 2 ]; do
    mid=$(((lo + hi) / 2))
    if RHYTHMSEARCH_JAVA_OPTS="-Xmx${mid}m" bin/rhythmsearch query --index "$OUT/i$n.db" --track 1 >/dev/null 2>&1; then
      hi=$mid
    else
      lo=$mid
    fi
  done
  heap[$n]=$hi
  rows[$n]=$(bin/rhythmsearch stats --index "$OUT/i$n.db" --json 2>/dev/null | grep -o '"excerpts" *: *[0-9]*' | head -1 | grep -o '[0-9]*$')
  echo "${n}x: ${rows[$n]} excerpts answer with -Xmx${hi}m (not with $((lo))m)"
done
awk -v a="${rows[16]}" -v b="${rows[32]}" -v ha="${heap[16]}" -v hb="${heap[32]}" 'BEGIN {
  per = (hb - ha) * 1048576 / (b - a);
  printf "one more excerpt: %.0f bytes of heap; %.0f excerpts per GiB\n", per, 1073741824 / per }'
