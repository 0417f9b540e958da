#!/usr/bin/env bash
# Fits the learned projection shipped with the feature onset-beat-16w (features.Projection: onset-beat-16's
# 1944 values whitened to 512 by PCA with shrink 0.03) on the grid excerpts (5, 15, 25 ... s) of every
# song of the wide development corpus, and writes it where the build picks it up. Deterministic: the same
# corpus gives the same projection (its id names the SHA-256 of its weights). A new projection changes
# the feature's vectors: indexes of onset-beat-16w built with the old one are refused until re-indexed.
# Usage: scripts/fit-projection.sh [LIST]   (default: data/demo-corpus/wide-songs.tsv)
# Needs: a build (mvn -B package) and scripts/fetch-demo-corpus.sh --extended; about 20 s with the
#        grid cache of scripts/lopo-wide.sh, a few minutes without.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
list="${1:-data/demo-corpus/wide-songs.tsv}"
[[ -f $list ]] || { echo "fit-projection: $list missing: run scripts/fetch-demo-corpus.sh --extended" >&2; exit 2; }
"$rs" fit-projection --files-from "$list" --feature onset-beat-16 --dims 512 --shrink 0.03 --cache data/lopo-wide/cache \
  --out rhythmsearch-core/src/main/resources/org/rhythmsearch/features/onset-beat-16w.projection \
  2> >(grep -v 'Using incubator modules' >&2)
echo "fit-projection: rebuild (mvn -B package) to ship it" >&2
