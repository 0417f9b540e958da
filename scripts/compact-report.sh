#!/usr/bin/env bash
# Compact vectors (issue 28, point 1): what holding every vector as int8 codes (the default, `index`
# stores them so) costs against float32, by the protocols every feature choice is made by:
# leave-one-package-out P@2 and LOO P@1 on the wide corpus (20 packages) and on the 12-package corpus,
# and the track-level recall@5 of the tempo-stretched copies (×0.85 … ×1.15) against the 138 songs.
# Queries and database are held alike (`eval --vectors`), as `query` holds a query file's excerpts.
# Needs: a build, scripts/fetch-demo-corpus.sh --extended, scripts/make-tempo-set.sh
#        data/demo-corpus/dev-songs.tsv data/dev-tempo-set. JSON in data/compact-report/.
# Usage: scripts/compact-report.sh     (about 4 min with the eval cache of scripts/lopo-wide.sh, else +3 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
out=data/compact-report
tempo=data/dev-tempo-set
[[ -f data/demo-corpus/wide-songs.tsv && -f $tempo/tempo-0.85.tsv ]] \
  || { echo "compact-report: run fetch-demo-corpus.sh --extended and make-tempo-set.sh first" >&2; exit 2; }
mkdir -p "$out"
quiet() { "$@" 2> >(grep -v 'Using incubator modules\|no usable excerpt' >&2); }
pairs=()
for x in 0.85 0.92 0.96 1.04 1.08 1.15; do pairs+=(--pairs "$tempo/tempo-$x.tsv"); done
for v in float32 int8; do
  for list in wide-songs dev-songs; do
    [[ -s $out/$list-$v.json ]] || quiet "$rs" eval --files-from "data/demo-corpus/$list.tsv" --by-package --trials 0 \
      --cache data/lopo-wide/cache --vectors "$v" --json -q > "$out/$list-$v.json" || [[ $? -eq 1 ]]
  done
  [[ -s $out/stretched-$v.json ]] || quiet "$rs" eval-tracks --files-from data/demo-corpus/dev-songs.tsv "${pairs[@]}" \
    --vectors "$v" --json -q > "$out/stretched-$v.json" || [[ $? -eq 1 ]]
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(out, name + ".json")))
print("| corpus | vectors | P@2 mean over packages | weakest package | LOO P@1 mean | P@2 all queries | LOO P@1 all |")
print("|---|---|---|---|---|---|---|")
for corpus in ("wide-songs", "dev-songs"):
    for v in ("float32", "int8"):
        d = load(f"{corpus}-{v}")
        per = d["byPackage"]["packages"]
        w = min(per, key=lambda p: p["precisionAtK"])
        print(f"| {corpus} | {v} | {d['byPackage']['meanPrecisionAtK']:.4f} | {w['precisionAtK']:.3f} ({w['package']}) | "
              f"{d['byPackage']['meanLeaveOneOutPrecisionAt1']:.4f} | {d['exact']['precisionAtK']:.4f} | {d['leaveOneOut']['precisionAt1']:.4f} |")
    a = {p["package"]: p for p in load(f"{corpus}-float32")["byPackage"]["packages"]}
    b = {p["package"]: p for p in load(f"{corpus}-int8")["byPackage"]["packages"]}
    moved = [(k, b[k]["precisionAtK"] - a[k]["precisionAtK"], b[k]["looPrecisionAt1"] - a[k]["looPrecisionAt1"])
             for k in a if (b[k]["precisionAtK"], b[k]["looPrecisionAt1"]) != (a[k]["precisionAtK"], a[k]["looPrecisionAt1"])]
    print(f"\n{corpus}: packages whose figures moved (int8 - float32, P@2 / LOO P@1): "
          + (", ".join(f"{k} {dp:+.3f} / {dl:+.3f}" for k, dp, dl in moved) or "none"))
print()
print("| stretch | recall@5 float32 | recall@5 int8 | difference |")
print("|---|---|---|---|")
ra, rb = load("stretched-float32")["results"], load("stretched-int8")["results"]
for x, y in zip(ra, rb):
    f = os.path.basename(x["queries"]).replace("tempo-", "").replace(".tsv", "")
    p, q = x["aggregations"]["mean"]["recallAt5"], y["aggregations"]["mean"]["recallAt5"]
    print(f"| {f} | {p:.3f} | {q:.3f} | {q - p:+.3f} |")
print(f"| mean | {sum(x['aggregations']['mean']['recallAt5'] for x in ra) / len(ra):.4f} | "
      f"{sum(y['aggregations']['mean']['recallAt5'] for y in rb) / len(rb):.4f} | |")
PY
