#!/usr/bin/env bash
# Codec robustness (issue 25, point 4): the same music as WAV, FLAC, MP3 (128 kb/s) and Ogg Vorbis (q3)
# must give nearly the same rhythm vectors. For each source song, a 40-s clip (from 30 s) is cut to WAV
# (44.1 kHz stereo, 16 bit) and encoded with ffmpeg; every version is cut by `rhythmsearch features`
# into 10-s excerpts every 5 s (7 per clip), and each excerpt's vector is compared with the WAV's at
# the same place (cosine). Also, over all versions of all clips: is each excerpt's nearest other
# excerpt (cosine) the same place of the same clip in another codec?
# Prints, per feature and codec, the minimum and mean cosine against WAV, and the share of excerpts
# whose nearest neighbour is their own place.
# Usage: scripts/codec-report.sh [--features F1,F2,...] [SONG...]
#        (default: every feature; songs: six from six packages of the wide corpus, OGG, MP3, Opus
#        and FLAC renders of tracker modules, after scripts/fetch-demo-corpus.sh --extended)
# Needs: a build (bin/rhythmsearch), ffmpeg with libmp3lame and libvorbis, python3.
# Output: a Markdown table on stdout, the clips and vectors in data/codec-report/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
features="onset-beat-8,onset-autocorr,onset-patterns-4,onset-patterns-8,onset-loglag-4,beat-spectrum-detrended,beat-spectrum,beat-spectrum-autocorr,fbsc"
if [[ "${1:-}" == "--features" ]]; then
  features="$2"
  shift 2
fi
songs=("$@")
if [[ ${#songs[@]} -eq 0 ]]; then
  c=data/demo-corpus
  songs=("$c/songs/asc-music/music/frontiers.mp3"
    "$c/songs/fretsonfire-songs-sectoid/$(ls "$c/songs/fretsonfire-songs-sectoid" | grep -v copyright | head -1)/song.ogg"
    "$c/extended/warzone2100-music/original_soundtrack/track3.opus"
    "$c/extended/pingus-data/music/pingus-5.it.flac"
    "$c/extended/widelands-data/music/ingame_05.ogg"
    "$c/extended/singularity-music/music/Coherence.ogg")
fi
command -v ffmpeg >/dev/null || { echo "codec-report: needs ffmpeg (apt-get install ffmpeg)" >&2; exit 2; }
out=data/codec-report
mkdir -p "$out"
i=0
for s in "${songs[@]}"; do
  [[ -f $s ]] || { echo "codec-report: $s not found (run scripts/fetch-demo-corpus.sh --extended)" >&2; exit 2; }
  d="$out/clip$i"
  mkdir -p "$d"
  echo "$s" > "$d/source.txt"
  if [[ ! -s $d/clip.ogg ]]; then
    ffmpeg -v error -nostdin -y -ss 30 -t 40 -i "$s" -ar 44100 -ac 2 -c:a pcm_s16le "$d/clip.wav"
    ffmpeg -v error -nostdin -y -i "$d/clip.wav" -c:a flac "$d/clip.flac"
    ffmpeg -v error -nostdin -y -i "$d/clip.wav" -c:a libmp3lame -b:a 128k "$d/clip.mp3"
    ffmpeg -v error -nostdin -y -i "$d/clip.wav" -c:a libvorbis -q:a 3 "$d/clip.ogg"
  fi
  IFS=, read -ra fs <<< "$features"
  for f in "${fs[@]}"; do
    for c in wav flac mp3 ogg; do
      if [[ ! -s $d/$f.$c.json ]]; then
        "$rs" features "$d/clip.$c" --feature "$f" --hop 5 --json 2>/dev/null > "$d/$f.$c.json.tmp"
        mv "$d/$f.$c.json.tmp" "$d/$f.$c.json"
      fi
    done
  done
  i=$((i + 1))
done
python3 - "$out" "$i" "$features" <<'PY'
import json, math, sys
out, clips, features = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
codecs = ["flac", "mp3", "ogg"]
def cos(a, b):
    na = math.sqrt(sum(x * x for x in a)); nb = math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b)) / (na * nb) if na > 0 and nb > 0 else 0.0
print("| feature | " + " | ".join(f"{c}: min / mean cosine vs WAV" for c in codecs)
      + " | nearest other excerpt is the same place |")
print("|---|" + "---|" * (len(codecs) + 1))
for f in features:
    vec = {}  # (clip, codec, excerpt) -> vector
    for k in range(clips):
        for c in ["wav"] + codecs:
            doc = json.load(open(f"{out}/clip{k}/{f}.{c}.json"))
            for e, x in enumerate(doc["excerpts"]):
                vec[(k, c, e)] = x["vector"]
    cells = []
    for c in codecs:
        cs = [cos(vec[(k, "wav", e)], vec[(k, c, e)]) for (k, cc, e) in vec if cc == "wav" and (k, c, e) in vec]
        cells.append(f"{min(cs):.4f} / {sum(cs) / len(cs):.4f}")
    keys = list(vec)
    hits = 0
    for a in keys:
        best = max((b for b in keys if b != a), key=lambda b: cos(vec[a], vec[b]))
        hits += best[0] == a[0] and best[2] == a[2]
    print(f"| `{f}` | " + " | ".join(cells) + f" | {hits}/{len(keys)} |")
PY
