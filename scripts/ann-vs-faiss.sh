#!/usr/bin/env bash
# Approximate search against FAISS HNSW on the same real vectors, in one run (issue 28, point 5): `bench
# index --source real --hop 1` (excerpts every second, some held out as queries, exact cosine as the truth;
# IVF, LSH and brute force in this JVM, one thread) with the vectors held as int8 as a new index holds them
# (`--held int8`), written to a folder (`--export`), then scripts/faiss-hnsw.py on the same vectors (FAISS's
# C++ HNSW, M 16, efConstruction 40 and 100, one thread); the fastest point of each at recall@10 >= 0.90,
# 0.95 and 0.99, and IVF over HNSW. Twice: by plain cosine, and by the default tempo-aligned score (`--aligned`:
# exact aligned search the truth, IVF through the product's tempo-band probes, FAISS by the same scheme with
# filtered searches, or by its plain search alone, whichever is faster; see scripts/faiss-hnsw.py).
# Usage: scripts/ann-vs-faiss.sh [INDEX] [QUERIES]     (default data/demo.db, 300; JSON in data/ann-vs-faiss/)
# Needs: a build, Debian's python3-faiss (apt-get install python3-faiss; run by /usr/bin/python3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
index="${1:-data/demo.db}"
queries="${2:-300}"
out="data/ann-vs-faiss/$(basename "$index" .db)"
mkdir -p "$out"
/usr/bin/python3 -c 'import faiss' 2>/dev/null || { echo "ann-vs-faiss: needs python3-faiss (apt-get install python3-faiss)" >&2; exit 2; }
bin/rhythmsearch bench index --index "$index" --source real --hop 1 --queries "$queries" --no-hnsw --held int8 --aligned \
  --export "$out" --json 2> >(grep -v 'Using incubator modules' >&2) > "$out/bench.json"
/usr/bin/python3 scripts/faiss-hnsw.py "$out"
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
b = json.load(open(os.path.join(d, "bench.json")))
f = json.load(open(os.path.join(d, "faiss.json")))
print(f"{b['n']} base vectors, {b['queries']} queries, d = {b['dim']}; {b['data']}")
print(f"brute force: {b['exact']['qps']:.0f} queries/s (Java, int8 rows); FAISS flat: {f['exactQps']:.0f} queries/s")
print("| recall@10 at least | IVF (this JVM) | FAISS HNSW (C++) | IVF / HNSW |")
print("|---|---|---|---|")
for a in b["atRecall"]:
    lv = a["recallAtLeast"]
    h = f["atRecall"].get(str(lv))
    ivf = a.get("ivfQps")
    hs = f"{h['qps']:.0f} (efC {h['efConstruction']}, ef {h['efSearch']}, {h['recallAt10']:.3f})" if h else "not reached"
    iv = f"{ivf:.0f} ({a['ivfProbes']} lists, re-rank {a['ivfRerank']})" if ivf else "not reached"
    ratio = f"{ivf / h['qps']:.2f}" if ivf and h else "-"
    print(f"| {lv} | {iv} | {hs} | {ratio} |")
ba, fa = b.get("aligned"), f.get("aligned")
if ba and fa:
    print(f"by the tempo-aligned score (tolerance {ba['tolerance']}, margin {ba['margin']}): exact {ba['exactQps']:.0f} "
          f"queries/s (Java); the plain top 10 holds {ba['plainOverlap']:.3f} of the aligned top 10; numpy's exact "
          f"aligned top 10 agrees with the JVM's on {fa['check']:.4f}; FAISS timed without its re-scoring")
    print("| recall@10 at least | IVF (this JVM) | FAISS HNSW (C++) | IVF / HNSW |")
    print("|---|---|---|---|")
    for lv in (0.9, 0.95, 0.99):
        ok = [p for p in ba["curve"] if p["recallAt10"] >= lv]
        iv = max(ok, key=lambda p: p["qps"]) if ok else None
        h = fa["atRecall"].get(str(lv))
        hs = (f"{h['qps']:.0f} ({h['strategy']}, efC {h['efConstruction']}, ef {h['efSearch']}, {h['recallAt10']:.3f})"
              if h else "not reached")
        ivs = (f"{iv['qps']:.0f} ({iv['strategy']}, {iv['probes']} lists" + (f", {iv['candidates']} candidates"
               if iv["strategy"] == "plain" else "") + f", {iv['recallAt10']:.3f})") if iv else "not reached"
        ratio = f"{iv['qps'] / h['qps']:.2f}" if iv and h else "-"
        print(f"| {lv} | {ivs} | {hs} | {ratio} |")
PY
