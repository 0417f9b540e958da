#!/usr/bin/env bash
# Builds the tempo-robustness test set (evaluation tooling; needs sox and ffmpeg, which the product does not).
# For every song of a list, 40 s from 30 s in are time-stretched without changing pitch by the factors
# below (sox "tempo": WSOLA), written as 22050-Hz mono WAV, and listed as query <TAB> original song <TAB>
# 30 (where the copy starts in the song) in one pairs file per factor, for `rhythmsearch eval-tracks --pairs`.
#
# Usage: scripts/make-tempo-set.sh [SONG_LIST] [DEST]   (SONG_LIST: one path per line, optionally TAB package)
#   defaults: data/demo-corpus/songs-test.txt, data/tempo-set
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list="${1:-$here/data/demo-corpus/songs-test.txt}"
dest="${2:-$here/data/tempo-set}"
factors=(0.85 0.92 0.96 1.00 1.04 1.08 1.15)
start=30 # seconds into each song
length=40
command -v sox >/dev/null && command -v ffmpeg >/dev/null \
  || { echo "make-tempo-set: needs sox and ffmpeg (apt-get install sox ffmpeg)" >&2; exit 2; }
mkdir -p "$dest"
for f in "${factors[@]}"; do
  mkdir -p "$dest/$f"
  : > "$dest/tempo-$f.tsv"
done
i=0
while IFS=$'\t' read -r song _; do
  [[ -z "$song" ]] && continue
  i=$((i + 1))
  cut=""
  for f in "${factors[@]}"; do
    out="$dest/$f/$(printf '%03d' "$i").wav"
    if [[ ! -f "$out" ]]; then
      if [[ -z "$cut" ]]; then # decode the 40 s once (ffmpeg reads every format, Opus too), stretch per factor
        cut="$dest/.cut.wav"
        ffmpeg -nostdin -loglevel error -y -ss "$start" -t "$length" -i "$song" -ac 1 -ar 22050 -c:a pcm_s16le "$cut"
      fi
      sox -q "$cut" "$out" tempo -m "$f"
    fi
    printf '%s\t%s\t%s\n' "$out" "$song" "$start" >> "$dest/tempo-$f.tsv"
  done
done < "$list"
rm -f "$dest/.cut.wav"
echo "make-tempo-set: $i songs x ${#factors[@]} factors in $dest" >&2
