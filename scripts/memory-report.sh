#!/usr/bin/env bash
# Peak memory of indexing long tracks (issue 12, point 8): a 1-hour and a 4-hour OGG Vorbis file
# (a synthetic drum pattern made with ffmpeg, a tool only this script needs), each indexed alone with
# one thread, at the JVM's default heap and with -Xmx256m. Prints peak RSS and wall time per run.
#
#   scripts/memory-report.sh [WORK_DIR]       (default: target/memory-report; needs ffmpeg and GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-target/memory-report}"
mkdir -p "$work"
if [ ! -s "$work/h1.ogg" ]; then
  ffmpeg -loglevel error -y -f lavfi -i "aevalsrc=0.6*exp(-mod(t\,0.5)*30)*sin(2*PI*(200+800*(mod(floor(t/0.5)\,2)))*t)+0.02*sin(2*PI*440*t)|0.5*exp(-mod(t\,0.5)*30)*sin(2*PI*300*t):s=44100:d=3600" \
    -c:a libvorbis -q:a 2 "$work/h1.ogg"
fi
if [ ! -s "$work/h4.ogg" ]; then
  ffmpeg -loglevel error -y -stream_loop 3 -i "$work/h1.ogg" -c copy "$work/h4.ogg"
fi
[ -f rhythmsearch-cli/target/rhythmsearch-cli.jar ] || mvn -B -q install -DskipTests
for file in h1.ogg h4.ogg; do
  for heap in "" "-Xmx256m"; do
    rm -f "$work/m.db"*
    RHYTHMSEARCH_JAVA_OPTS="$heap" /usr/bin/time -f "%M %e" -o "$work/time.txt" \
      bin/rhythmsearch index "$work/$file" --index "$work/m.db" --threads 1 2> "$work/run.err" || true
    read -r kb secs < "$work/time.txt"
    printf '%s %-9s peak RSS %5d MB, %6.1f s: %s\n' "$file" "${heap:-default}" $((kb / 1024)) "$secs" \
      "$(grep -E 'added|failed:' "$work/run.err" | head -1 | cut -c1-120)"
  done
done
