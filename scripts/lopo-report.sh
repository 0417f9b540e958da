#!/usr/bin/env bash
# Leave-one-package-out report on the extended development corpus (docs/EVALUATION.md): every feature's
# seed-protocol P@2 and leave-one-out P@1 per package (each package's queries against the whole
# collection) and their mean over packages; then the choice of feature made by the protocol itself: for
# every package, the feature with the best mean P@2 over the OTHER packages, judged on the held-out one.
# Also, per feature, as `query` ranks (default tempo alignment where the feature is lag-indexed): the
# guitar stems' and the stretched copies' recall@5 against the 138 songs, and the extraction speed.
# Needs: a build (mvn -B package), scripts/fetch-demo-corpus.sh --extended and
#        scripts/make-tempo-set.sh data/demo-corpus/dev-songs.tsv data/dev-tempo-set (sox, ffmpeg).
# Usage: scripts/lopo-report.sh [FEATURE...]   (default: every feature); JSON in data/lopo/.
#        RS=path/to/rhythmsearch overrides the launcher.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
list=data/demo-corpus/dev-songs.tsv
tempo=data/dev-tempo-set
out=data/lopo
[[ -f $list ]] || { echo "lopo-report: $list missing: run scripts/fetch-demo-corpus.sh --extended" >&2; exit 2; }
[[ -f $tempo/tempo-0.85.tsv ]] || { echo "lopo-report: $tempo missing: run scripts/make-tempo-set.sh $list $tempo" >&2; exit 2; }
pairs=(--pairs data/demo-corpus/stems.tsv)
for x in 0.85 0.92 0.96 1.04 1.08 1.15; do pairs+=(--pairs "$tempo/tempo-$x.tsv"); done
mkdir -p "$out"
features=("$@")
if [[ ${#features[@]} -eq 0 ]]; then
  features=(onset-autocorr onset-beat-8 onset-patterns-4 onset-patterns-8 onset-loglag-4 beat-spectrum-detrended
    beat-spectrum fbsc beat-spectrum-autocorr seed-notebook)
fi
for f in "${features[@]}"; do
  if [[ ! -s "$out/$f.json" ]]; then
    echo "lopo-report: $f" >&2
    "$rs" eval --files-from "$list" --by-package --trials 0 --tempo-align 0 --feature "$f" --json \
      2> >(grep -v 'Using incubator modules' >&2) > "$out/$f.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/$f.json.tmp" "$out/$f.json"
  fi
  if [[ ! -s "$out/$f-tracks.json" ]]; then
    echo "lopo-report: $f: stems and stretched copies" >&2
    "$rs" eval-tracks --files-from "$list" "${pairs[@]}" --feature "$f" --json \
      2> >(grep -v 'Using incubator modules\|no usable excerpt' >&2) > "$out/$f-tracks.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/$f-tracks.json.tmp" "$out/$f-tracks.json"
  fi
  if [[ ! -s "$out/$f-speed.json" ]]; then
    "$rs" bench extract data/demo-corpus/songs/fretsonfire-songs-muldjord --feature "$f" --rounds 1 --json \
      2> >(grep -v 'Using incubator modules' >&2) > "$out/$f-speed.json.tmp"
    mv "$out/$f-speed.json.tmp" "$out/$f-speed.json"
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
tracks = {f: json.load(open(f"{out}/{f}-tracks.json"))["results"] for f in features}
speed = {f: json.load(open(f"{out}/{f}-speed.json")) for f in features}
print("| feature | dim | mean P@2 over packages | mean LOO P@1 | P@2 all queries | stems recall@5 "
      "| stretched recall@5 ±4 / ±8 / ±15 % | × realtime from PCM |")
print("|---|---|---|---|---|---|---|---|")
for f in sorted(features, key=lambda f: -docs[f]["byPackage"]["meanPrecisionAtK"]):
    d = docs[f]
    r = [x["aggregations"]["mean"]["recallAt5"] for x in tracks[f]]  # stems, 0.85, 0.92, 0.96, 1.04, 1.08, 1.15
    t = f"{(r[3] + r[4]) / 2:.2f} / {(r[2] + r[5]) / 2:.2f} / {(r[1] + r[6]) / 2:.2f}"
    print(f"| `{f}` | {d['dimension']} | {d['byPackage']['meanPrecisionAtK']:.3f} | "
          f"{d['byPackage']['meanLeaveOneOutPrecisionAt1']:.3f} | {d['exact']['precisionAtK']:.3f} | {r[0]:.2f} | {t} | "
          f"{speed[f]['xRealtimeFromPcm']:.0f} |")
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
