#!/usr/bin/env bash
# What a short query clip costs (issue 26, point 5): for every track of the demo index, clips of
# 4, 6, 8 and 10 s cut at 35 % of the track (ffmpeg, a tooling dependency only: the clips must be other
# files than the indexed ones, whose own content a query leaves out) query the index; reported per
# length: how often the clip's own track is ranked first and among the first five, and the mean
# reciprocal rank. Clips under 10 s are queried as one clip repeated to fill an excerpt
# (FeatureExtractor.clip); the 10-s clip is one whole excerpt, off the index's grid.
#
#   scripts/clip-quality.sh [INDEX]        (default data/demo.db, made by ./rhythmsearch-demo.sh; ~6 min)
set -euo pipefail
cd "$(dirname "$0")/.."
index="${1:-data/demo.db}"
command -v ffmpeg >/dev/null || { echo "clip-quality: needs ffmpeg (apt-get install ffmpeg)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/rhythmsearch ls --index "$index" --json > "$work/ls.json"
python3 - "$work/ls.json" > "$work/tracks.tsv" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["tracks"]:
    if t["excerpts"] > 0 and t["fileExists"]:
        print(f'{t["path"]}\t{t["durationSeconds"]}')
PY
lengths="4 6 8 10"
: > "$work/ranks.tsv"
n=0
while IFS=$'\t' read -r path duration; do
  n=$((n + 1))
  start=$(python3 -c "print(round(0.35 * $duration, 2))")
  for len in $lengths; do
    clip="$work/clip.wav"
    ffmpeg -v error -y -ss "$start" -t "$len" -i "$path" -ac 1 -c:a pcm_s16le "$clip" </dev/null
    rank=$(bin/rhythmsearch query "$clip" --index "$index" -k 54 --json 2>"$work/err" | python3 -c '
import json, sys
doc = json.load(sys.stdin); want = sys.argv[1]
ranks = [r["rank"] for r in doc["results"] if r["track"] == want]
print(ranks[0] if ranks else 999)' "$path" 2>/dev/null) || { rank=error; sed "s/^/  $len s: /" "$work/err" >&2; }
    printf '%s\t%s\t%s\n' "$len" "$rank" "$path" >> "$work/ranks.tsv"
  done
  printf '\r%d tracks' "$n" >&2
done < "$work/tracks.tsv"
echo >&2
python3 - "$work/ranks.tsv" <<'PY'
import sys, collections
by = collections.defaultdict(list)
errors = collections.Counter()
for line in open(sys.argv[1]):
    length, rank, path = line.rstrip("\n").split("\t")
    if rank == "error":
        errors[length] += 1
    else:
        by[int(length)].append(int(rank))
print("clip length | queries | own track first | in the first 5 | mean reciprocal rank")
for length in sorted(by):
    r = by[length]
    print(f"{length:>4} s      | {len(r):>7} | {sum(x == 1 for x in r) / len(r):>15.3f} | {sum(x <= 5 for x in r) / len(r):>14.3f} | {sum(1 / x for x in r) / len(r):.3f}"
          + (f"  ({errors[str(length)]} failed)" if errors[str(length)] else ""))
PY
