#!/usr/bin/env bash
# The two prototypes of issue 25 that are not product features (docs/EVALUATION.md, first section):
#  - AlignExp: tempo alignment done before a learned projection (the projection fitted on the 12 packages
#    of dev-songs.tsv; P@2 on the 8 other packages of the wide corpus; stretched copies of the 138 songs):
#    scripts/prototypes/AlignExp.java, run as "raw" (onset-beat-16 as today) and "proj" at several margins;
#  - TopM: a track's score as the mean of its m best per-query-excerpt matches (first half of every wide
#    song against the second halves; the stretched copies).
# Usage: scripts/prototype-levers.sh     (a few minutes; prints the figures)
# Needs: a build (mvn -B package), scripts/lopo-wide.sh and scripts/whitened-report.sh run before (their
#        grid cache), scripts/make-tempo-set.sh data/demo-corpus/dev-songs.tsv data/dev-tempo-set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
[[ -f data/dev-tempo-set/tempo-0.85.tsv ]] || { echo "prototype-levers: run scripts/make-tempo-set.sh first" >&2; exit 2; }
# the stretched copies' grid excerpts (onset-beat-16), once
if [[ ! -d data/lopo-wide/copycache || $(ls data/lopo-wide/copycache | wc -l) -lt 900 ]]; then
  cat data/dev-tempo-set/tempo-*.tsv | cut -f1 > data/lopo-wide/copies.txt
  "$rs" eval --files-from data/lopo-wide/copies.txt --feature onset-beat-16 --trials 0 --cache data/lopo-wide/copycache \
    >/dev/null 2> >(grep -v 'Using incubator modules' >&2) || true
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp=rhythmsearch-core/target/classes
for j in rhythmsearch-cli/target/lib/*.jar; do cp="$cp:$j"; done
javac -d "$out" -cp "$cp" scripts/prototypes/AlignExp.java scripts/prototypes/TopM.java
run() { java --add-modules jdk.incubator.vector -cp "$out:$cp" "$@" 2> >(grep -v 'Using incubator modules' >&2); }
run org.rhythmsearch.eval.AlignExp raw -1,0.11
run org.rhythmsearch.eval.AlignExp proj -1,0.05,0.1,0.2,0.3,0.4,0.5
run org.rhythmsearch.eval.TopM
