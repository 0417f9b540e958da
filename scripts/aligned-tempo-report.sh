#!/usr/bin/env bash
# Stretched copies through exact and approximate search (issue 24, point 2; docs/EVALUATION.md "One
# similarity"): each of the 138 development songs' 40-s copies stretched by 0.85 ... 1.15 queries the
# collection (eval-tracks --pairs), ranked exactly and through IVF and LSH at their size-based defaults,
# with the default tempo alignment; recall@5 of the original per stretch factor (mean aggregation).
#   scripts/aligned-tempo-report.sh      (after scripts/fetch-demo-corpus.sh --extended,
#                                         scripts/make-tempo-set.sh data/demo-corpus/dev-songs.tsv data/dev-tempo-set)
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir=data/dev-tempo-set
[ -f data/demo-corpus/dev-songs.tsv ] && [ -f "$set_dir/tempo-1.00.tsv" ] \
  || { echo "aligned-tempo-report.sh: fetch the extended corpus and make its tempo set first (see the header)" >&2; exit 2; }
out=data/aligned-tempo-report
mkdir -p "$out"
pairs=()
for f in 0.85 0.92 0.96 1.00 1.04 1.08 1.15; do pairs+=(--pairs "$set_dir/tempo-$f.tsv"); done
for search in exact ivf lsh; do
  # exit 1 is fine: two copies of a song that is silent there have no excerpt to query with (named on stderr)
  bin/rhythmsearch eval-tracks --files-from data/demo-corpus/dev-songs.tsv "${pairs[@]}" --search "$search" --json \
    2> >(grep -v 'Using incubator modules\|no usable excerpt' >&2) > "$out/$search.json" || [ $? -eq 1 ]
done
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
runs = {s: json.load(open(os.path.join(d, s + ".json")))["results"] for s in ("exact", "ivf", "lsh")}
print(f"{'stretch':>8} {'exact':>7} {'ivf':>7} {'lsh':>7}   recall@5 of the original (mean aggregation)")
for i, r in enumerate(runs["exact"]):
    f = os.path.basename(r["queries"]).replace("tempo-", "").replace(".tsv", "")
    vals = [runs[s][i]["aggregations"]["mean"]["recallAt5"] for s in ("exact", "ivf", "lsh")]
    print(f"{f:>8} " + " ".join(f"{v:>7.3f}" for v in vals))
PY
