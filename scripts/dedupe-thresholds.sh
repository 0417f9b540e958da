#!/usr/bin/env bash
# The measurements behind dedupe's thresholds (search.Recordings): how alike the same recording is in
# other encodings, and how alike different songs of the demo index are. For three demo songs, copies as
# WAV, MP3 64 and 192 kbit/s, Opus 48 kbit/s, FLAC 44.1 kHz stereo and a WAV delayed by 0.3 s (ffmpeg,
# a tooling dependency only) are analysed (rhythmsearch features); per copy: the duration difference,
# and the mean and least cosine of the excerpts at the same starts against the WAV. Then every pair of
# different tracks of the index, closest first.
#
#   scripts/dedupe-thresholds.sh [INDEX]      (default data/demo.db, made by ./rhythmsearch-demo.sh; ~1 min)
set -euo pipefail
cd "$(dirname "$0")/.."
index="${1:-data/demo.db}"
command -v ffmpeg >/dev/null || { echo "dedupe-thresholds: needs ffmpeg (apt-get install ffmpeg)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
songs=(data/demo-corpus/songs/drascula-music/audio/track1.ogg
  "data/demo-corpus/songs/fretsonfire-songs-sectoid/Metal madness/song.ogg"
  data/demo-corpus/songs/hyperrogue-music/music/hr3-graveyard.ogg)
i=0
for f in "${songs[@]}"; do
  i=$((i + 1)); b="$work/s$i"
  ffmpeg -v error -y -i "$f" "$b.wav"
  ffmpeg -v error -y -i "$f" -b:a 64k "$b.mp3-64.mp3"
  ffmpeg -v error -y -i "$f" -b:a 192k "$b.mp3-192.mp3"
  ffmpeg -v error -y -i "$f" -c:a libopus -b:a 48k "$b.opus-48.opus"
  ffmpeg -v error -y -i "$f" -ar 44100 -ac 2 -c:a flac "$b.flac-44k.flac"
  ffmpeg -v error -y -i "$f" -af "adelay=300:all=1" "$b.delayed-0.3s.wav"
  for c in "$b".*; do
    bin/rhythmsearch features "$c" --json > "$c.json" 2>/dev/null
  done
done
python3 - "$work" "$index" <<'PY'
import glob, json, math, os, sqlite3, struct, sys
work, index = sys.argv[1], sys.argv[2]
def cos(a, b):
    d = sum(x * y for x, y in zip(a, b)); na = math.sqrt(sum(x * x for x in a)); nb = math.sqrt(sum(y * y for y in b))
    return d / (na * nb) if na and nb else 0.0
def load(p):
    d = json.load(open(p))
    return d["durationSeconds"], {e["startSeconds"]: e["vector"] for e in d["excerpts"]}
print("same recording, other encoding (against the WAV):")
print(f'{"copy":28s} {"duration":>9s} {"excerpts":>8s} {"mean cos":>9s} {"least cos":>9s}')
for ref in sorted(glob.glob(work + "/s?.wav.json")):
    dr, er = load(ref)
    for p in sorted(glob.glob(ref.replace(".wav.json", ".*.json"))):
        if p == ref:
            continue
        d, e = load(p)
        common = sorted(set(er) & set(e)); c = [cos(er[s], e[s]) for s in common]
        print(f'{os.path.basename(p)[:-5]:28s} {d - dr:+8.2f}s {len(common):>4d}/{len(er):<3d} {sum(c) / len(c):9.4f} {min(c):9.4f}')
db = sqlite3.connect(index)
tracks = {r[0]: (r[1], r[2]) for r in db.execute("select id, path, duration from tracks")}
ex = {}
for tid, start, blob in db.execute("select track_id, start, vector from excerpts"):
    ex.setdefault(tid, {})[start] = struct.unpack(f"<{len(blob) // 4}f", blob)
pairs = []
ids = sorted(ex)
for i, a in enumerate(ids):
    for b in ids[i + 1:]:
        common = sorted(set(ex[a]) & set(ex[b]))
        c = [cos(ex[a][s], ex[b][s]) for s in common]
        pairs.append((sum(c) / len(c), min(c), abs(tracks[a][1] - tracks[b][1]), os.path.basename(tracks[a][0]),
                      os.path.basename(tracks[b][0])))
pairs.sort(reverse=True)
print(f"\ndifferent tracks of {index}: {len(pairs)} pairs, the closest by mean cosine of the excerpts at the same starts:")
for m, lo, dd, a, b in pairs[:5]:
    print(f"  mean {m:.4f}  least {lo:.4f}  durations {dd:5.1f} s apart  {a} ~ {b}")
PY
