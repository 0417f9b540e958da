#!/usr/bin/env bash
# Tempo-aligned search on the extended development corpus (docs/EVALUATION.md): for each alignment
# margin, the seed-protocol P@2 by package (equal tempo: what alignment costs) and the track-level
# recall@5 of tempo-stretched copies (what it gains), plus the guitar stems; then the margin chosen by
# leave-one-package-out, judged on each held-out package, by two rules: (A) the smallest margin whose
# mean P@2 over the OTHER packages stays within 0.01 of plain search's; (B) among the margins whose
# stretched copies of the OTHER packages reach recall@5 >= 0.90 at every factor, the one with the
# highest mean P@2 over them.
# Needs: a build, scripts/fetch-demo-corpus.sh --extended, scripts/make-tempo-set.sh
#        data/demo-corpus/dev-songs.tsv data/dev-tempo-set (sox, ffmpeg).
# Usage: scripts/tempo-report.sh [FEATURE] [MARGIN...]   (default: onset-beat-8; margins 0.08 ... 0.15)
#        RS=path/to/rhythmsearch overrides the launcher. JSON in data/tempo-report/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rs="${RS:-bin/rhythmsearch}"
feature="${1:-onset-beat-8}"
shift || true
margins=("$@")
[[ ${#margins[@]} -gt 0 ]] || margins=(0.08 0.09 0.10 0.11 0.12 0.13 0.15)
list=data/demo-corpus/dev-songs.tsv
tempo=data/dev-tempo-set
out=data/tempo-report/$feature
[[ -f $list && -f $tempo/tempo-0.85.tsv ]] || { echo "tempo-report: run fetch-demo-corpus.sh --extended and make-tempo-set.sh first" >&2; exit 2; }
mkdir -p "$out"
factors=(0.85 0.92 0.96 1.04 1.08 1.15)
pairs=(--pairs data/demo-corpus/stems.tsv)
for x in "${factors[@]}"; do pairs+=(--pairs "$tempo/tempo-$x.tsv"); done
quiet() { "$@" 2> >(grep -v 'Using incubator modules' >&2); }
for m in plain "${margins[@]}"; do
  align=(--tempo-align 0.2 --tempo-margin "$m")
  [[ $m == plain ]] && align=(--tempo-align 0)
  if [[ ! -s "$out/eval-$m.json" ]]; then
    echo "tempo-report: $feature, margin $m: seed protocol by package" >&2
    quiet "$rs" eval --files-from "$list" --by-package --trials 0 --feature "$feature" "${align[@]}" --json > "$out/eval-$m.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/eval-$m.json.tmp" "$out/eval-$m.json"
  fi
  if [[ -s "$out/tracks-$m.json" ]] && ! grep -q '"perQuery"' "$out/tracks-$m.json"; then
    rm "$out/tracks-$m.json" # made by a build without per-query ranks: the choice by package needs them
  fi
  if [[ ! -s "$out/tracks-$m.json" ]]; then
    echo "tempo-report: $feature, margin $m: stems and stretched copies" >&2
    quiet "$rs" eval-tracks --files-from "$list" "${pairs[@]}" --feature "$feature" "${align[@]}" --json > "$out/tracks-$m.json.tmp" || [[ $? -eq 1 ]]
    mv "$out/tracks-$m.json.tmp" "$out/tracks-$m.json"
  fi
done
python3 - "$out" "$list" plain "${margins[@]}" <<'PY'
import json, sys
out, songlist, settings = sys.argv[1], sys.argv[2], sys.argv[3:]
package_of = dict(line.rstrip("\n").split("\t")[:2] for line in open(songlist) if "\t" in line)
ev = {m: json.load(open(f"{out}/eval-{m}.json")) for m in settings}
tr = {m: json.load(open(f"{out}/tracks-{m}.json"))["results"] for m in settings}
print("| margin | mean P@2 over packages | LOO P@1 | stems recall@5 | stretched recall@5: 0.85 / 0.92 / 0.96 / 1.04 / 1.08 / 1.15 | query µs |")
print("|---|---|---|---|---|---|")
for m in settings:
    b = ev[m]["byPackage"]
    r = [x["aggregations"]["mean"]["recallAt5"] for x in tr[m]]
    print(f"| {'no alignment' if m == 'plain' else m} | {b['meanPrecisionAtK']:.3f} | {b['meanLeaveOneOutPrecisionAt1']:.3f} | "
          f"{r[0]:.2f} | {' / '.join(f'{x:.3f}' for x in r[1:])} | {ev[m]['exact']['meanQueryMicros']:.1f} |")
print()
print("Tempo estimates on the stretched copies (query's tempo over its original's, octaves folded):")
factors = [0.85, 0.92, 0.96, 1.04, 1.08, 1.15]
def ratio_lines(key, what):
    with_ratios = [m for m in settings if key in tr[m][1]]
    if not with_ratios:
        print(f"- {what}: not in the eval-tracks output (an older build); remove a tracks-*.json and re-run")
        return
    print(f"{what}:")
    for f, x in zip(factors, tr[with_ratios[-1]][1:]):
        ratios = x[key]
        known = [r for r in ratios if r is not None]
        ok = sum(1 for r in known if abs(r / f - 1) <= 0.02)
        # a metrical-level error: the ratio is within 3 % of the factor times 3/2, 2/3, 4/3 or 3/4 (octaves folded)
        metrical = sum(1 for r in known if abs(r / f - 1) > 0.02
                       and any(abs(r / fold(f * h) - 1) <= 0.03 for h in (1.5, 2 / 3, 4 / 3, 0.75)))
        print(f"- factor {f}: within 2 % of the factor for {ok} of {len(ratios)} queries ({ok / len(ratios):.3f}); "
              f"{metrical} off by a metrical level (3:2 or 4:3); {len(ratios) - len(known)} without a tempo")
def fold(z):
    while z >= 2 ** 0.5:
        z /= 2
    while z < 2 ** -0.5:
        z *= 2
    return z
ratio_lines("tempoRatios", "against the whole original's tempo (median of all its excerpts)")
ratio_lines("regionTempoRatios", "against the tempo of the part the copy was made from (its excerpts within 30-70 s)")
pk = [p["package"] for p in ev["plain"]["byPackage"]["packages"]]
p2 = {m: {p["package"]: p["precisionAtK"] for p in ev[m]["byPackage"]["packages"]} for m in settings}
mean = lambda m, ps: sum(p2[m][p] for p in ps) / len(ps)
print()
print("Margin chosen by leave-one-package-out, rule A (smallest margin within 0.01 of plain P@2 on the other packages):")
held, chosen = [], []
for p in pk:
    others = [q for q in pk if q != p]
    ok = [m for m in settings[1:] if mean(m, others) >= mean("plain", others) - 0.01]
    m = min(ok, key=float) if ok else "plain"
    chosen.append(m); held.append(p2[m][p])
    print(f"- {p}: margin {m}, held-out P@2 {p2[m][p]:.3f} (plain {p2['plain'][p]:.3f})")
print(f"Held-out mean P@2 of the chosen margins: {sum(held) / len(held):.3f} (plain: {mean('plain', pk):.3f}); "
      f"margins chosen: {', '.join(sorted(set(chosen)))}")

# rule B: the stretched copies' recall is the constraint, equal-tempo precision the objective
def recall5(m, packages):
    """Per stretch factor, recall@5 (mean aggregation) of the copies of the songs of these packages."""
    per = []
    for x in tr[m][1:]:
        ranks = [q["ranks"]["mean"] for q in x["perQuery"] if package_of.get(q["expected"]) in packages]
        per.append(sum(1 for r in ranks if r <= 5) / len(ranks) if ranks else float("nan"))
    return per
print()
print("Margin chosen by leave-one-package-out, rule B (on the other packages: stretched copies' recall@5 >= 0.90 at "
      "every factor, then the highest equal-tempo P@2; ties to the smaller margin):")
held, chosen, held_recall = [], [], []
for p in pk:
    others = set(q for q in pk if q != p)
    feasible = [m for m in settings[1:] if min(recall5(m, others)) >= 0.90]
    if feasible:
        m = max(feasible, key=lambda m: (round(mean(m, list(others)), 9), -float(m)))
    else:
        m = max(settings[1:], key=lambda m: min(recall5(m, others)))
    chosen.append(m); held.append(p2[m][p]); held_recall.append(recall5(m, {p}))
    print(f"- {p}: margin {m}, held-out P@2 {p2[m][p]:.3f} (plain {p2['plain'][p]:.3f})")
print(f"Held-out mean P@2 of the chosen margins: {sum(held) / len(held):.3f} (plain: {mean('plain', pk):.3f}); "
      f"margins chosen: {', '.join(sorted(set(chosen)))}")
# the held-out packages' own stretched copies under the margin chosen without them, pooled over packages
pooled = []
for i, f in enumerate(factors):
    hits = n = 0
    for p, m in zip(pk, chosen):
        ranks = [q["ranks"]["mean"] for q in tr[m][1 + i]["perQuery"] if package_of.get(q["expected"]) == p]
        hits += sum(1 for r in ranks if r <= 5); n += len(ranks)
    pooled.append(hits / n)
print("Held-out stretched recall@5 under those margins, factors 0.85 … 1.15: " + " / ".join(f"{x:.3f}" for x in pooled))
PY
