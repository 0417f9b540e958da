#!/usr/bin/env bash
# Tempo (BPM) accuracy against a human ground truth (issue 25, point 6). The Frets on Fire songs of the
# demo corpus ship notes.mid, the note chart their authors wrote on the song's tempo map; its tempo
# (every chart here has one constant tempo) is the ground truth. The estimate is the track tempo that
# `rhythmsearch features --json` reports (the one stored with an indexed track). Reported:
#   Accuracy1: estimate within 4 % of the truth; Accuracy2: also within 4 % of 2, 3, 1/2 or 1/3 times
#   it (octave and third errors allowed), the standard definitions (Gouyon et al. 2006);
#   on the songs, and on their stretched copies (scripts/make-tempo-set.sh; truth × stretch factor);
#   and, as self-consistency without a human truth, on the stretched copies of every song of the
#   development set: the copy's estimate against the original's estimate × factor.
# Usage: scripts/tempo-accuracy.sh   (after scripts/fetch-demo-corpus.sh --extended and
#        scripts/make-tempo-set.sh data/demo-corpus/dev-songs.tsv data/dev-tempo-set)
# Needs: a build (bin/rhythmsearch), python3. Output: Markdown on stdout; estimates in data/tempo-accuracy/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
corpus=data/demo-corpus
tempo=data/dev-tempo-set
out=data/tempo-accuracy
mids=$(find "$corpus/songs" -name notes.mid | sort)
[[ -n $mids ]] || { echo "tempo-accuracy: no notes.mid under $corpus/songs: run scripts/fetch-demo-corpus.sh --extended" >&2; exit 2; }
[[ -f $tempo/tempo-0.85.tsv ]] || { echo "tempo-accuracy: run scripts/make-tempo-set.sh $corpus/dev-songs.tsv $tempo" >&2; exit 2; }
mkdir -p "$out"
# every song, copy and original indexed once (one JVM; an index keeps each track's tempo, the median of
# its 10-s excerpts' tempi, as `features` reports it), then listed
{
  while IFS= read -r mid; do echo "$(dirname "$mid")/song.ogg"; done <<< "$mids"
  cut -f1,2 "$tempo"/tempo-*.tsv | tr '\t' '\n'
} | sort -u > "$out/files.txt"
# (exit 123: some files gave no vector, e.g. copies of a silent stretch; they are left out below)
xargs -d '\n' -a "$out/files.txt" "$rs" index --index "$out/tempo.db" 2> >(grep -v 'Using incubator modules\|no vectors' >&2) \
  >/dev/null || [[ $? -eq 123 ]]
"$rs" ls --index "$out/tempo.db" --json 2>/dev/null \
  | python3 -c 'import json,sys; [print(t["path"], t["tempoBpm"], sep="\t") for t in json.load(sys.stdin)["tracks"]]' \
  > "$out/estimates.tsv"
printf '%s\n' "$mids" > "$out/charts.txt"
python3 - "$out/estimates.tsv" "$tempo" "$out/charts.txt" <<'PY'
import glob, math, os, struct, sys
estimates = {}
for line in open(sys.argv[1]):
    path, bpm = line.rstrip("\n").split("\t")
    estimates[os.path.abspath(path)] = float(bpm) if bpm != "None" else float("nan")
tempo_dir = sys.argv[2]
mids = [line.rstrip("\n") for line in open(sys.argv[3]) if line.strip()]

def varint(b, p):
    v = 0
    while True:
        c = b[p]; p += 1; v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, p

def midi_tempi(path):
    """Every Set Tempo meta event (BPM) of a Standard MIDI File."""
    b = open(path, "rb").read()
    if b[:4] != b"MThd":
        raise SystemExit(f"{path}: not a Standard MIDI File")
    ntracks = struct.unpack(">H", b[10:12])[0]
    pos = 8 + struct.unpack(">I", b[4:8])[0]
    bpm = []
    for _ in range(ntracks):
        end = pos + 8 + struct.unpack(">I", b[pos + 4:pos + 8])[0]
        p, status = pos + 8, 0
        while p < end:
            _, p = varint(b, p)
            c = b[p]
            if c == 0xFF:
                kind = b[p + 1]
                n, p = varint(b, p + 2)
                if kind == 0x51:
                    bpm.append(60e6 / int.from_bytes(b[p:p + 3], "big"))
                p += n
            elif c in (0xF0, 0xF7):
                n, p = varint(b, p + 1)
                p += n
            else:
                if c & 0x80:
                    status = c; p += 1
                p += 1 if status & 0xF0 in (0xC0, 0xD0) else 2
        pos = end
    return bpm

def acc1(est, truth):
    return abs(est / truth - 1) <= 0.04

def acc2(est, truth):
    return any(abs(est / (truth * m) - 1) <= 0.04 for m in (1, 2, 3, 0.5, 1 / 3))

truth = {}
print("| song | notes.mid tempo (BPM) | estimate | Accuracy1 | Accuracy2 |")
print("|---|---|---|---|---|")
for mid in mids:
    t = sorted(set(round(x, 3) for x in midi_tempi(mid)))
    if len(t) != 1:
        raise SystemExit(f"{mid}: {len(t)} tempi; this report expects one constant tempo")
    song = os.path.abspath(os.path.join(os.path.dirname(mid), "song.ogg"))
    truth[song] = t[0]
    e = estimates[song]
    print(f"| {os.path.basename(os.path.dirname(mid))} | {t[0]:.1f} | {e:.1f} | {'yes' if acc1(e, t[0]) else 'no'} | "
          f"{'yes' if acc2(e, t[0]) else 'no'} |")
print()
silent = 0
rows = []  # (factor, copy estimate, truth or None, original's estimate)
for tsv in sorted(glob.glob(os.path.join(tempo_dir, "tempo-*.tsv"))):
    factor = float(os.path.basename(tsv)[len("tempo-"):-len(".tsv")])
    for line in open(tsv):
        copy, original = line.rstrip("\n").split("\t")[:2]
        copy, original = os.path.abspath(copy), os.path.abspath(original)
        if math.isnan(estimates[copy]) or math.isnan(estimates[original]):
            silent += 1  # no tempo (a silent stretch): left out, counted
            continue
        rows.append((factor, estimates[copy], truth.get(original), estimates[original]))
def share(xs):
    return f"{sum(xs)}/{len(xs)} ({100 * sum(xs) / len(xs):.1f} %)" if xs else "-"
songs = list(truth)
print(f"Songs with a human tempo: Accuracy1 {share([acc1(estimates[s], truth[s]) for s in songs])}, "
      f"Accuracy2 {share([acc2(estimates[s], truth[s]) for s in songs])}.")
print()
print("| stretch factor | copies of the charted songs: Accuracy1 / Accuracy2 vs truth × factor "
      "| all copies: Accuracy1 / Accuracy2 vs the original's estimate × factor |")
print("|---|---|---|")
for factor in sorted(set(r[0] for r in rows)):
    mine = [r for r in rows if r[0] == factor]
    charted = [r for r in mine if r[2] is not None]
    print(f"| {factor:.2f} | {share([acc1(r[1], r[2] * factor) for r in charted])} / "
          f"{share([acc2(r[1], r[2] * factor) for r in charted])} | {share([acc1(r[1], r[3] * factor) for r in mine])} / "
          f"{share([acc2(r[1], r[3] * factor) for r in mine])} |")
charted = [r for r in rows if r[2] is not None]
if silent:
    print(f"({silent} copies or originals without a tempo (silent at the copied stretch) left out.)")
    print()
print(f"| all | {share([acc1(r[1], r[2] * r[0]) for r in charted])} / {share([acc2(r[1], r[2] * r[0]) for r in charted])} "
      f"| {share([acc1(r[1], r[3] * r[0]) for r in rows])} / {share([acc2(r[1], r[3] * r[0]) for r in rows])} |")
PY
