#!/usr/bin/env bash
# onset-beat-16w (onset-beat-16 whitened to 512 values by a learned projection) against issue 25's
# targets, each figure from a command:
#  - leave-one-package-out P@2 and LOO P@1 on the wide corpus and on the 12 packages, with the
#    projection refitted without each held-out package (eval --refit-projection: the honest figure; the
#    shipped projection was fitted on all 20 packages);
#  - the guitar stems among the 225 and the 138 songs, and the stretched copies (eval-tracks);
#  - generated grooves (eval-grooves) and the lossy codecs (scripts/codec-report.sh).
# Usage: scripts/whitened-report.sh   JSON in data/lopo-wide/w16/ (kept: delete a file to re-run it).
# Needs: a build, scripts/fetch-demo-corpus.sh --extended, scripts/make-tempo-set.sh
#        data/demo-corpus/dev-songs.tsv data/dev-tempo-set, python3; ~25 min on 2 cores the first time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
out=data/lopo-wide/w16
mkdir -p "$out"
quiet() { grep -v 'Using incubator modules\|no usable excerpt' >&2 || true; }
run() { # FILE ARGS...
  local f=$out/$1
  shift
  if [[ ! -s $f ]]; then
    echo "whitened-report: $f" >&2
    "$rs" "$@" --json 2> >(quiet) > "$f.tmp" || [[ $? -eq 1 ]]
    mv "$f.tmp" "$f"
  fi
}
for c in wide dev; do
  run $c-refit.json eval --feature onset-beat-16w --refit-projection --by-package --files-from data/demo-corpus/$c-songs.tsv \
    --trials 0 --cache data/lopo-wide/cache
done
pairs=(--pairs data/demo-corpus/stems.tsv)
for x in 0.85 0.92 0.96 1.04 1.08 1.15; do pairs+=(--pairs "data/dev-tempo-set/tempo-$x.tsv"); done
run dev-tracks.json eval-tracks --files-from data/demo-corpus/dev-songs.tsv "${pairs[@]}" --feature onset-beat-16w
run wide-stems.json eval-tracks --files-from data/demo-corpus/wide-songs.tsv --pairs data/demo-corpus/stems.tsv --feature onset-beat-16w
run grooves.json eval-grooves --feature onset-beat-16w
run grooves-1take.json eval-grooves --feature onset-beat-16w --takes 1
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for c in ("wide", "dev"):
    d = json.load(open(f"{out}/{c}-refit.json"))
    b = d["byPackage"]
    w = min(b["packages"], key=lambda p: p["precisionAtK"])
    wl = min(b["packages"], key=lambda p: p["looPrecisionAt1"])
    print(f"{c}: P@2 mean over packages {b['meanPrecisionAtK']:.3f} (weakest {w['precisionAtK']:.3f}, {w['package']}), "
          f"LOO P@1 {b['meanLeaveOneOutPrecisionAt1']:.3f} (weakest {wl['looPrecisionAt1']:.3f}, {wl['package']}); "
          f"all queries P@2 {d['exact']['precisionAtK']:.3f}, LOO {d['leaveOneOut']['precisionAt1']:.3f}")
    print("  " + ", ".join(f"{p['package']} {p['precisionAtK']:.3f} / {p['looPrecisionAt1']:.3f}" for p in b["packages"]))
t = json.load(open(f"{out}/dev-tracks.json"))["results"]
print("stems among 138: recall@5 %.3f, ranks %s" % (t[0]["aggregations"]["mean"]["recallAt5"],
      [q["ranks"]["mean"] for q in t[0]["perQuery"]]))
print("stretched copies x0.85/0.92/0.96/1.04/1.08/1.15 recall@5: " + " / ".join(
      "%.3f" % x["aggregations"]["mean"]["recallAt5"] for x in t[1:]))
s = json.load(open(f"{out}/wide-stems.json"))
print("stems among 225: recall@5 %.3f, ranks %s" % (s["aggregations"]["mean"]["recallAt5"], [q["ranks"]["mean"] for q in s["perQuery"]]))
for name in ("grooves", "grooves-1take"):
    g = json.load(open(f"{out}/{name}.json"))
    print(f"{name}: other ensembles: family {g['otherEnsembleSameFamily']:.3f}, meter {g['otherEnsembleSameMeter']:.3f}; "
          f"waltz <-> 4/4 confusions {g['waltzFourFourConfusions']}")
PY
echo "codecs: scripts/codec-report.sh --features onset-beat-8,onset-beat-16,onset-beat-16w" >&2
