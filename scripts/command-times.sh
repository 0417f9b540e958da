#!/usr/bin/env bash
# Wall-clock times of everyday commands on the demo index (issue 26, point 1): the median of N runs of
# each, as bin/rhythmsearch runs it, and with each start-up lever of the launcher turned off in turn:
#   all levers | no class-data sharing (RHYTHMSEARCH_CDS=0) | no quick-start flags (RHYTHMSEARCH_LIGHT=0:
#   C1 only for every command but the long ones, serial GC for those that compute nothing) | no cached
#   SQLite library (RHYTHMSEARCH_NATIVE_CACHE=0: the driver copies it out of its jar) | with the Vector
#   API forced on (RHYTHMSEARCH_SIMD=1: the SIMD kernels, which a short run leaves out)
# and `help` (picocli's help command: the top-level usage built from every command's model) beside
# `--help` (the build's copy of that text).
# Usage: scripts/command-times.sh [RUNS]   (default 7; needs ./rhythmsearch-demo.sh first: data/demo.db)
# Needs: a build, python3. The first run after a build writes the class-data archives (not timed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-7}"
db=data/demo.db
song=data/demo-corpus/songs/fretsonfire-songs-muldjord/chaos_god/song.ogg   # 3 min 4 s, OGG Vorbis
[[ -f $db && -f $song ]] || { echo "command-times: run ./rhythmsearch-demo.sh first" >&2; exit 2; }
# warm the archives (one per kind of command) and the page cache
bin/rhythmsearch ls --index "$db" >/dev/null 2>&1
bin/rhythmsearch stats --index "$db" >/dev/null 2>&1
bin/rhythmsearch query --track 5 --index "$db" >/dev/null 2>&1
python3 - "$runs" "$db" "$song" <<'PY'
import os, statistics, subprocess, sys, time
runs, db, song = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = [("--help", ["--help"]), ("help (built live)", ["help"]), ("ls", ["ls", "--index", db]), ("stats", ["stats", "--index", db]),
            ("query --track", ["query", "--track", "5", "--index", db]), ("query FILE (3-min OGG)", ["query", song, "--index", db])]
variants = [("all levers", {}), ("no CDS", {"RHYTHMSEARCH_CDS": "0"}), ("no light flags", {"RHYTHMSEARCH_LIGHT": "0"}),
            ("no SQLite library cache", {"RHYTHMSEARCH_NATIVE_CACHE": "0"}), ("Vector API forced on", {"RHYTHMSEARCH_SIMD": "1"})]
def median(args, extra):
    env = dict(os.environ, **extra)
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(["bin/rhythmsearch"] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.monotonic() - t)
    return statistics.median(times)
print("| command | " + " | ".join(v for v, _ in variants) + " |")
print("|---|" + "---|" * len(variants))
for name, args in commands:
    print(f"| `{name}` | " + " | ".join(f"{median(args, extra):.2f} s" for _, extra in variants) + " |", flush=True)
PY
