#!/usr/bin/env bash
# Fuzzes the decoders, the container sniffer and the index reader with Jazzer (issue 12).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]
#
# TARGET is Class#method of a @FuzzTest (default: all of them). Each target is fuzzed for
# SECONDS_PER_TARGET (default 300) in turn. Inputs that find new coverage are kept in
# rhythmsearch-core/.cifuzz-corpus/ (not committed); an input that fails the oracle is written into
# the target's committed inputs folder (src/test/resources/.../<Class>Inputs/<method>/crash-…), so the
# normal test run replays it from then on. The summary (executions per target) goes to
# target/fuzz-summary.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(DecoderFuzzTest#sniffer DecoderFuzzTest#wav DecoderFuzzTest#aiffAndAu DecoderFuzzTest#vorbis
    DecoderFuzzTest#opus DecoderFuzzTest#mp3 DecoderFuzzTest#flac IndexReaderFuzzTest#read)
fi
# only the core module is fuzzed: it builds on its own (nothing is installed into ~/.m2)
mkdir -p target
summary=target/fuzz-summary.tsv
printf 'target\tseconds\texecutions\tresult\n' > "$summary"
for t in "${targets[@]}"; do
  log="target/fuzz-${t//#/-}.log"
  echo "fuzzing $t for ${seconds} s (log: $log)" >&2
  result=ok
  # libFuzzer gives up on one input after 20 minutes; a target that runs far past its time is hanging
  timeout --kill-after=30 $((seconds + 600)) env JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" \
    JAZZER_INSTRUMENTATION_INCLUDES='org.rhythmsearch.**:com.jcraft.**:javazoom.**:org.jflac.**:io.github.jaredmdobson.**:org.sqlite.**' \
    mvn -B -o -pl rhythmsearch-core test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || result=$?
  case "$result" in
    ok) ;;
    124|137) result="HANG (stopped after $((seconds + 600)) s)" ;;
    *) result=FINDING ;;
  esac
  runs=$( (grep -Eo '^Done [0-9]+ runs' "$log" || true) | awk '{s+=$2} END{print s+0}')
  printf '%s\t%s\t%s\t%s\n' "$t" "$seconds" "$runs" "$result" >> "$summary"
  echo "  $runs executions, $result" >&2
done
awk -F'\t' 'NR>1{n+=$3} END{print "total executions: " n}' "$summary" >&2
column -t -s $'\t' "$summary"
