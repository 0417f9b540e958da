#!/usr/bin/env bash
# End-to-end time of the default `query` (tempo alignment on) against the same query with alignment off
# (--tempo-align 0): the whole command, JVM start, decoding and feature extraction of the query file
# included, runs alternated so that a drifting machine affects both alike. Prints the median wall time of
# each and the median of the paired ratios.
# Usage: scripts/query-time.sh INDEX AUDIO_FILE [RUNS]   (default 7 runs each, after one warm-up each)
#        RS=path/to/rhythmsearch overrides the launcher.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
index="${1:?usage: scripts/query-time.sh INDEX AUDIO_FILE [RUNS]}"
file="${2:?usage: scripts/query-time.sh INDEX AUDIO_FILE [RUNS]}"
runs="${3:-7}"
once() { # prints wall seconds of one run
  local t0 t1
  t0=$(date +%s%N)
  "$rs" query --index "$index" "$@" "$file" > /dev/null 2>&1 || { echo "query-time: query failed: $rs query --index $index $* $file" >&2; exit 1; }
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}'
}
once > /dev/null
once --tempo-align 0 > /dev/null
aligned=() plain=() ratios=()
for ((i = 0; i < runs; i++)); do
  a=$(once); p=$(once --tempo-align 0)
  aligned+=("$a"); plain+=("$p"); ratios+=("$(awk -v a="$a" -v p="$p" 'BEGIN {printf "%.4f\n", a / p}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "default query (tempo-aligned): median $(median "${aligned[@]}") s over $runs runs"
echo "--tempo-align 0:               median $(median "${plain[@]}") s"
echo "ratio (median of paired runs): $(median "${ratios[@]}")"
