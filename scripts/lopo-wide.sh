#!/usr/bin/env bash
# Leave-one-package-out on the wide development corpus (issue 25: 225 songs, 20 packages of
# scripts/fetch-demo-corpus.sh --extended): the default `eval` (seed-protocol P@2, leave-one-out P@1,
# per package and their mean over packages) with hub reduction off and at several K (`--hub-k`), with
# the default tempo alignment and without it. Then the choice made by the protocol: for every package,
# the K with the best mean P@2 over the OTHER packages, judged on the held-out one; and alignment's cost
# per package (plain P@2 minus aligned P@2) at K = 0 and at the chosen K.
# Usage: scripts/lopo-wide.sh [LIST]   (default: data/demo-corpus/wide-songs.tsv; the 12-package set:
#        data/demo-corpus/dev-songs.tsv). JSON per run in data/lopo-wide/<list name>/.
# Needs: a build (mvn -B package), python3. The first run extracts every song (about 3 min on 2 cores)
# and keeps the grid excerpts in data/lopo-wide/cache; the other runs reuse them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
list="${1:-data/demo-corpus/wide-songs.tsv}"
[[ -f $list ]] || { echo "lopo-wide: $list missing: run scripts/fetch-demo-corpus.sh --extended" >&2; exit 2; }
out="data/lopo-wide/$(basename "$list" .tsv)"
mkdir -p "$out"
ks=(0 1 3 5 10 20 40)
run() { # NAME ARGS...
  local name=$1
  shift
  if [[ ! -s $out/$name.json ]]; then
    echo "lopo-wide: $name" >&2
    "$rs" eval --files-from "$list" --by-package --trials 0 --cache data/lopo-wide/cache --json "$@" 2> >(grep -v 'Using incubator modules' >&2) \
      > "$out/$name.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/$name.json.tmp" "$out/$name.json"
  fi
}
for k in "${ks[@]}"; do run "aligned-hub$k" --hub-k "$k"; done
for k in 0 10 20; do run "plain-hub$k" --hub-k "$k" --tempo-align 0; done
python3 - "$out" "${ks[@]}" <<'PY'
import json, sys
out, ks = sys.argv[1], [int(k) for k in sys.argv[2:]]
def load(name):
    d = json.load(open(f"{out}/{name}.json"))
    return d, {p["package"]: p for p in d["byPackage"]["packages"]}
runs = {k: load(f"aligned-hub{k}") for k in ks}
plain = {k: load(f"plain-hub{k}") for k in (0, 10, 20)}
packages = list(runs[ks[0]][1])
def mean(xs):
    return sum(xs) / len(xs)
print("| hub K | P@2 mean over packages | weakest package | LOO P@1 mean over packages | weakest | P@2 all queries | LOO P@1 all |")
print("|---|---|---|---|---|---|---|")
for k in ks:
    d, per = runs[k]
    w = min(per.values(), key=lambda p: p["precisionAtK"])
    wl = min(per.values(), key=lambda p: p["looPrecisionAt1"])
    print(f"| {k} | {d['byPackage']['meanPrecisionAtK']:.3f} | {w['precisionAtK']:.3f} ({w['package']}) | "
          f"{d['byPackage']['meanLeaveOneOutPrecisionAt1']:.3f} | {wl['looPrecisionAt1']:.3f} ({wl['package']}) | "
          f"{d['exact']['precisionAtK']:.3f} | {d['leaveOneOut']['precisionAt1']:.3f} |")
print()
print("Choice of K by leave-one-package-out (best mean P@2 over the other packages; ties to the smaller K):")
print()
print("| held-out package (songs) | K chosen | P@2 held out | P@2 at K = 0 | LOO P@1 held out | LOO P@1 at K = 0 |")
print("|---|---|---|---|---|---|")
held, held_loo = [], []
for p in packages:
    k = max(ks, key=lambda k: (mean([runs[k][1][q]["precisionAtK"] for q in packages if q != p]), -k))
    h, b = runs[k][1][p], runs[0][1][p]
    held.append(h["precisionAtK"]); held_loo.append(h["looPrecisionAt1"])
    print(f"| {p} ({h['songs']}) | {k} | {h['precisionAtK']:.3f} | {b['precisionAtK']:.3f} | {h['looPrecisionAt1']:.3f} | "
          f"{b['looPrecisionAt1']:.3f} |")
print(f"| **mean over packages** | | **{mean(held):.3f}** (weakest {min(held):.3f}) | {runs[0][0]['byPackage']['meanPrecisionAtK']:.3f} "
      f"| **{mean(held_loo):.3f}** (weakest {min(held_loo):.3f}) | {runs[0][0]['byPackage']['meanLeaveOneOutPrecisionAt1']:.3f} |")
print()
for k in (0, 10, 20):
    cost = {p: plain[k][1][p]["precisionAtK"] - runs[k][1][p]["precisionAtK"] for p in packages}
    worst = max(cost, key=cost.get)
    print(f"Alignment's cost in P@2 at K = {k} (plain minus aligned): largest {cost[worst]:+.3f} ({worst}); "
          f"mean over packages {mean(list(cost.values())):+.3f}; plain P@2 mean {plain[k][0]['byPackage']['meanPrecisionAtK']:.3f}, "
          f"aligned {runs[k][0]['byPackage']['meanPrecisionAtK']:.3f}.")
PY
