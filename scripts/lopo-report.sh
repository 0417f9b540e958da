#!/usr/bin/env bash
# Leave-one-package-out report on the extended development corpus (docs/EVALUATION.md): every feature's
# seed-protocol P@2 and leave-one-out P@1 per package (each package's queries against the whole
# collection) and their mean over packages; then the choice of feature made by the protocol itself: for
# every package, the feature with the best mean P@2 over the OTHER packages, judged on the held-out one.
# Needs: a build (mvn -B package) and scripts/fetch-demo-corpus.sh --extended.
# Usage: scripts/lopo-report.sh [FEATURE...]   (default: every feature); JSON in data/lopo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
list=data/demo-corpus/dev-songs.tsv
out=data/lopo
[[ -f $list ]] || { echo "lopo-report: $list missing: run scripts/fetch-demo-corpus.sh --extended" >&2; exit 2; }
mkdir -p "$out"
features=("$@")
if [[ ${#features[@]} -eq 0 ]]; then
  features=(onset-autocorr onset-beat-8 onset-patterns-4 onset-patterns-8 onset-loglag-4 beat-spectrum-detrended
    beat-spectrum fbsc beat-spectrum-autocorr seed-notebook)
fi
for f in "${features[@]}"; do
  if [[ ! -s "$out/$f.json" ]]; then
    echo "lopo-report: $f" >&2
    bin/rhythmsearch eval --files-from "$list" --by-package --trials 0 --tempo-align 0 --feature "$f" --json \
      2> >(grep -v 'Using incubator modules' >&2) > "$out/$f.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/$f.json.tmp" "$out/$f.json"
  fi
done
python3 - "$out" "${features[@]}" <<'PY'
import json, math, sys
out, features = sys.argv[1], sys.argv[2:]
docs = {f: json.load(open(f"{out}/{f}.json")) for f in features}
packages = [p["package"] for p in docs[features[0]]["byPackage"]["packages"]]
p2 = {f: {p["package"]: p["precisionAtK"] for p in d["byPackage"]["packages"]} for f, d in docs.items()}
loo = {f: {p["package"]: p["looPrecisionAt1"] for p in d["byPackage"]["packages"]} for f, d in docs.items()}
def mean(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    return sum(xs) / len(xs)
print("| feature | dim | mean P@2 over packages | mean LOO P@1 | P@2 all queries |")
print("|---|---|---|---|---|")
for f in sorted(features, key=lambda f: -docs[f]["byPackage"]["meanPrecisionAtK"]):
    d = docs[f]
    print(f"| `{f}` | {d['dimension']} | {d['byPackage']['meanPrecisionAtK']:.3f} | "
          f"{d['byPackage']['meanLeaveOneOutPrecisionAt1']:.3f} | {d['exact']['precisionAtK']:.3f} |")
print()
print("| package (songs) | " + " | ".join(f"`{f}`" for f in features) + " |")
print("|---|" + "---|" * len(features))
for p in packages:
    songs = next(x["songs"] for x in docs[features[0]]["byPackage"]["packages"] if x["package"] == p)
    print(f"| {p} ({songs}) | " + " | ".join(f"{p2[f][p]:.3f}" for f in features) + " |")
print()
print("Choice by leave-one-package-out (best mean P@2 over the other packages, judged on the held-out one):")
held, chosen = [], {}
for p in packages:
    best = max(features, key=lambda f: mean([p2[f][q] for q in packages if q != p]))
    chosen[best] = chosen.get(best, 0) + 1
    held.append(p2[best][p])
    print(f"- {p}: chose `{best}`, held-out P@2 {p2[best][p]:.3f}")
print(f"Mean held-out P@2 of the choice: {mean(held):.3f}; chosen: " +
      ", ".join(f"`{f}` in {n} of {len(packages)} folds" for f, n in chosen.items()))
PY
