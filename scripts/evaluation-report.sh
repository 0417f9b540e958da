#!/usr/bin/env bash
# Reproduces the table of docs/EVALUATION.md: every feature on the demo corpus.
# Needs: a build (mvn -B package), scripts/fetch-demo-corpus.sh done, scripts/make-tempo-set.sh done (sox).
# Usage: scripts/evaluation-report.sh [FEATURE...]   (default: all features); JSON in data/report/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=data/demo-corpus
out=data/report
mkdir -p "$out"
features=("$@")
if [[ ${#features[@]} -eq 0 ]]; then
  features=(onset-autocorr onset-patterns-4 onset-patterns-8 onset-loglag-4 beat-spectrum-detrended beat-spectrum fbsc
    beat-spectrum-autocorr seed-notebook)
fi
factors=(0.85 0.92 0.96 1.04 1.08 1.15)
rs() { bin/rhythmsearch "$@" 2> >(grep -v 'Using incubator modules' >&2); }
printf '| feature | dim | P@2 test half | P@2 tune half | LOO P@1 test | stems recall@5 | tempo recall@5 (±4/8/15 %%) | × realtime from PCM |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for f in "${features[@]}"; do
  rs eval --files-from $corpus/songs-test.txt --feature "$f" --tempo-align 0 --json > "$out/$f-test.json"
  rs eval --files-from $corpus/songs-tune.txt --feature "$f" --tempo-align 0 --json > "$out/$f-tune.json"
  pairs=(--pairs $corpus/stems.tsv)
  for x in "${factors[@]}"; do pairs+=(--pairs data/tempo-set/tempo-$x.tsv); done
  rs eval-tracks --files-from $corpus/songs.txt "${pairs[@]}" --feature "$f" --tempo-align 0 --json > "$out/$f-pairs.json"
  rs bench extract "$corpus/songs/fretsonfire-songs-muldjord" --feature "$f" --rounds 1 --json > "$out/$f-speed.json"
  python3 - "$out" "$f" <<'PY'
import json, sys
out, f = sys.argv[1], sys.argv[2]
test = json.load(open(f"{out}/{f}-test.json"))
tune = json.load(open(f"{out}/{f}-tune.json"))
pairs = json.load(open(f"{out}/{f}-pairs.json"))["results"]
speed = json.load(open(f"{out}/{f}-speed.json"))
dim = {"onset-autocorr": 215, "onset-patterns-4": 860, "onset-patterns-8": 1720, "onset-loglag-4": 128,
       "beat-spectrum-detrended": 216, "beat-spectrum": 216, "fbsc": 64, "beat-spectrum-autocorr": 216,
       "seed-notebook": 127}[f]
stems = pairs[0]["aggregations"]["mean"]["recallAt5"]
tempo = [r["aggregations"]["mean"]["recallAt5"] for r in pairs[1:]]
t = f"{(tempo[1]+tempo[4])/2:.2f} / {(tempo[0]+tempo[5])/2:.2f} / " if len(tempo) == 6 else ""
t = f"{(tempo[2]+tempo[3])/2:.2f} / {(tempo[1]+tempo[4])/2:.2f} / {(tempo[0]+tempo[5])/2:.2f}"
print(f"| `{f}` | {dim} | {test['exact']['precisionAtK']:.3f} | {tune['exact']['precisionAtK']:.3f} | "
      f"{test['leaveOneOut']['precisionAt1']:.3f} | {stems:.2f} | {t} | {speed['xRealtimeFromPcm']:.0f} |")
PY
done
