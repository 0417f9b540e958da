#!/usr/bin/env bash
# The Spark graph with the score query ranks by (issue 24, point 5; docs/EVALUATION.md "One similarity"):
# the 138 development songs extracted, then `similar` (tempo-aligned by default) checked against the exact
# graph (every track queried as query --track ranks: recall@10, and how often its top-1 is query's), beside
# MLlib's candidates and plain cosine, with time and shuffle; then the same on a catalogue grown with
# synthetic takes (copies --copies 4).
#   scripts/spark-aligned.sh [MASTER]      (default local[2]; after scripts/fetch-demo-corpus.sh --extended
#                                           and mvn -B package)
set -euo pipefail
cd "$(dirname "$0")/.."
M=${1:-local[2]}
[ -f data/demo-corpus/dev-songs.tsv ] || { echo "spark-aligned.sh: run scripts/fetch-demo-corpus.sh --extended first" >&2; exit 2; }
[ -f rhythmsearch-spark/target/rhythmsearch-spark.jar ] || { echo "spark-aligned.sh: run mvn -B package first" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cut -f1 data/demo-corpus/dev-songs.tsv > "$OUT/files.txt"
run() { bin/rhythmsearch-spark "$@" --master "$M" 2>&1 | grep -v 'WARNING: Using incubator\|WARN \|^on a cluster'; }
echo "== extract the 138 songs"
run extract --files-from "$OUT/files.txt" --out "$OUT/x"
for cfg in "" "--mllib --tables 4" "--tempo-align 0"; do
  echo "== similar $cfg"
  # shellcheck disable=SC2086
  run similar --in "$OUT/x" --out "$OUT/g" --check-exact $cfg
done
echo "== a grown catalogue: 4 synthetic takes of every song"
run copies --in "$OUT/x" --out "$OUT/grown" --copies 4
run similar --in "$OUT/grown" --out "$OUT/gg" --check-exact
