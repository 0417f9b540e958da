#!/usr/bin/env bash
# Where tempo-robust approximate search overtakes exact tempo-aligned search (issue 24, point 4;
# docs/EVALUATION.md "One similarity"): `bench aligned` (IVF at its size-based defaults, queries by track,
# one thread) at growing sizes of its synthetic model around the demo index's tracks, three seeds each.
# For each size: exact aligned and approximate aligned milliseconds per query track, their ratio, and the
# approximate search's track recall@10 against exact aligned search. Indexer.AUTO_FROM_ROWS is set from it.
#   scripts/aligned-crossover.sh [SIZES...]      (after ./rhythmsearch-demo.sh and mvn -B package)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f data/demo.db ] || { echo "aligned-crossover.sh: run ./rhythmsearch-demo.sh first" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 5000 10000 20000 50000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in "${sizes[@]}"; do
  for seed in 1 2 3; do
    bin/rhythmsearch bench aligned --index data/demo.db --vectors "$n" --queries 30 --seed "$seed" --json \
      2>/dev/null > "$out/$n-$seed.json"
  done
done
python3 - "$out" "${sizes[@]}" <<'PY'
import json, os, sys
d, sizes = sys.argv[1], sys.argv[2:]
print(f"{'vectors':>8} {'seed':>4} {'exact ms':>9} {'approx ms':>10} {'x exact':>8} {'recall@10':>10}")
for n in sizes:
    for seed in (1, 2, 3):
        r = json.load(open(os.path.join(d, f"{n}-{seed}.json")))
        e, a = r["exactAligned"], r["approximateAligned"]
        print(f"{r['n']:>8} {seed:>4} {e['msPerQuery']:>9.2f} {a['msPerQuery']:>10.2f} {a['xExactAligned']:>8.2f} "
              f"{a['recallAt10']:>10.3f}")
PY
