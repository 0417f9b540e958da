#!/usr/bin/env bash
# Where IVF overtakes LSH (issue 16, point 3; docs/EVALUATION.md "Which index, by size"): `bench index`
# without HNSW at growing sizes of the within-song model around the demo index's vectors, and on the real
# dense sets (the demo songs, and with data/ext.db the 84 extended songs, excerpts every second). For each:
# the fastest point of LSH and of IVF at recall@10 >= 0.95 and >= 0.99 (one thread, same queries), and
# their ratio. ApproximateIndex.Kind.IVF_FROM_ROWS is set from this table.
#   scripts/ann-crossover.sh [SIZES...]      (after ./rhythmsearch-demo.sh and mvn -B package)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f data/demo.db ] || { echo "ann-crossover.sh: run ./rhythmsearch-demo.sh first" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 2000 5000 10000 20000 50000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench() { bin/rhythmsearch bench index --queries 200 --exact-queries 50 --no-hnsw --json "$@" 2>/dev/null; }
for n in "${sizes[@]}"; do
  bench --index data/demo.db --vectors "$n" > "$out/synthetic-$n.json"
done
bench --index data/demo.db --source real --hop 1 > "$out/real-demo.json"
if [ -f data/ext.db ]; then
  bench --index data/ext.db --source real --hop 1 > "$out/real-ext.json"
fi
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
def key(f):
    return (0, int(f.split('-')[1].split('.')[0])) if f.startswith('synthetic') else (1, f)
print(f"{'data':<22} {'vectors':>8} {'LSH@.95':>9} {'IVF@.95':>9} {'IVF/LSH':>8} {'LSH@.99':>9} {'IVF@.99':>9} {'IVF/LSH':>8}")
for f in sorted(os.listdir(d), key=key):
    r = json.load(open(os.path.join(d, f)))
    row = [f[:-5], str(r['n'])]
    for level in (0.95, 0.99):
        a = next(x for x in r['atRecall'] if abs(x['recallAtLeast'] - level) < 1e-9)
        l, i = a.get('lshXBruteForce'), a.get('ivfXBruteForce')
        row += ['-' if l is None else f"{l:.1f}x", '-' if i is None else f"{i:.1f}x",
                '-' if l is None or i is None else f"{i / l:.2f}"]
    print(f"{row[0]:<22} {row[1]:>8} {row[2]:>9} {row[3]:>9} {row[4]:>8} {row[5]:>9} {row[6]:>9} {row[7]:>8}")
PY
