#!/usr/bin/env bash
# Builds the tempo-robustness test set (evaluation tooling; needs sox, which the product does not).
# For every song of a list, 40 s from 30 s in are time-stretched without changing pitch by the factors
# below (sox "tempo": WSOLA), written as 22050-Hz mono WAV, and listed as query <TAB> original song in
# one pairs file per factor, for `rhythmsearch eval-tracks --pairs`.
#
# Usage: scripts/make-tempo-set.sh [SONG_LIST] [DEST]
#   defaults: data/demo-corpus/songs-test.txt, data/tempo-set
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list="${1:-$here/data/demo-corpus/songs-test.txt}"
dest="${2:-$here/data/tempo-set}"
factors=(0.85 0.92 0.96 1.00 1.04 1.08 1.15)
command -v sox >/dev/null || { echo "make-tempo-set: needs sox (apt-get install sox libsox-fmt-all)" >&2; exit 2; }
mkdir -p "$dest"
for f in "${factors[@]}"; do
  mkdir -p "$dest/$f"
  : > "$dest/tempo-$f.tsv"
done
i=0
while IFS=$'\t' read -r song _; do
  [[ -z "$song" ]] && continue
  i=$((i + 1))
  for f in "${factors[@]}"; do
    out="$dest/$f/$(printf '%02d' "$i").wav"
    if [[ ! -f "$out" ]]; then
      sox -q "$song" -r 22050 -c 1 -b 16 "$out" trim 30 40 tempo -m "$f"
    fi
    printf '%s\t%s\n' "$out" "$song" >> "$dest/tempo-$f.tsv"
  done
done < "$list"
echo "make-tempo-set: $i songs x ${#factors[@]} factors in $dest" >&2
