#!/usr/bin/env bash
# The Spark jobs on the demo corpus (after ./rhythmsearch-demo.sh and mvn -B package): extract, a
# re-run that skips everything, import into an SQLite index, and the similarity graph through our LSH
# (defaults, and the earlier 8 tables x 50 candidates) and through Spark MLlib's, each checked against the
# exact graph (recall@10), with time and shuffle size. The growth with the catalogue: scripts/spark-growth.sh.
#   scripts/spark-figures.sh [MASTER]      (default: local[2])
set -euo pipefail
cd "$(dirname "$0")/.."
M=${1:-local[2]}
[ -f data/demo-corpus/songs.txt ] || { echo "spark-figures.sh: run ./rhythmsearch-demo.sh first" >&2; exit 2; }
[ -f rhythmsearch-spark/target/rhythmsearch-spark.jar ] || { echo "spark-figures.sh: run mvn -B package first" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cut -f1 data/demo-corpus/songs.txt > "$OUT/files.txt"
run() { bin/rhythmsearch-spark "$@" --master "$M" 2>&1 | grep -v 'WARNING: Using incubator\|WARN Utils\|^on a cluster'; }
echo "== extract, then again (everything skipped)"
run extract --files-from "$OUT/files.txt" --out "$OUT/x"
run extract --files-from "$OUT/files.txt" --out "$OUT/x"
echo "== import into SQLite"
run import --in "$OUT/x" --index "$OUT/imported.db"
for cfg in "" "--tables 8 --candidates 50" "--mllib --tables 4" "--mllib --tables 8 --bucket-length 1.0 --max-distance 1.0"; do
  echo "== similar $cfg"
  # shellcheck disable=SC2086
  run similar --in "$OUT/x" --out "$OUT/g" --check-exact $cfg
done
