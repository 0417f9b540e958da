#!/usr/bin/env bash
# How the similarity job grows (issue 15, point 5; figures in docs/SCALING.md). Extracts a song list
# (default: the 138-song development set of scripts/fetch-demo-corpus.sh --extended, else the 54 demo
# songs), makes 2x, 4x and 8x catalogues of it with `copies` (synthetic takes of every track), and at
# each size runs `similar` with its defaults (and, at 1x and 2x, without a candidate cap) and checks it against the exact graph (recall@10, time,
# shuffle); Spark MLlib's BucketedRandomProjectionLSH runs at 1x and 2x (at 4x it took 19 minutes).
#   scripts/spark-growth.sh [MASTER] [SONG_LIST]     (default: local[2]; after mvn -B package)
set -euo pipefail
cd "$(dirname "$0")/.."
M=${1:-local[2]}
LIST=${2:-}
if [ -z "$LIST" ]; then
  LIST=data/demo-corpus/dev-songs.tsv
  [ -f "$LIST" ] || LIST=data/demo-corpus/songs.txt
fi
[ -f "$LIST" ] || { echo "spark-growth.sh: no song list $LIST; run ./rhythmsearch-demo.sh first" >&2; exit 2; }
[ -f rhythmsearch-spark/target/rhythmsearch-spark.jar ] || { echo "spark-growth.sh: run mvn -B package first" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cut -f1 "$LIST" > "$OUT/files.txt"
run() { bin/rhythmsearch-spark "$@" --master "$M" 2>&1 | grep -v 'WARNING: Using incubator\|WARN \|^on a cluster'; }
echo "== extract $(wc -l < "$OUT/files.txt") songs of $LIST"
run extract --files-from "$OUT/files.txt" --out "$OUT/x1"
echo "Parquet: $(du -sk "$OUT/x1/excerpts" | cut -f1) KB"
for c in 1 3 7; do
  run copies --in "$OUT/x1" --out "$OUT/x$((c + 1))" --copies "$c"
done
for size in 1 2 4 8; do
  echo "== ${size}x: similar (defaults)"
  run similar --in "$OUT/x$size" --out "$OUT/g" --check-exact
  if [ "$size" -le 2 ]; then
    echo "== ${size}x: similar --candidates 1000 (every pair that shares a bucket is scored)"
    run similar --in "$OUT/x$size" --out "$OUT/g" --check-exact --candidates 1000
    echo "== ${size}x: similar --mllib --tables 8 --bucket-length 1.0 --max-distance 1.0"
    run similar --in "$OUT/x$size" --out "$OUT/g" --check-exact --mllib --tables 8 --bucket-length 1.0 --max-distance 1.0
  fi
done
