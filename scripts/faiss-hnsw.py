#!/usr/bin/python3
"""FAISS HNSW on the vectors `bench index --export DIR` wrote (issue 28, point 5: the C++ baseline).

Reads DIR/base.f32, DIR/queries.f32 and DIR/meta.json; unit-normalises both (cosine, as `bench index` ranks);
the truth is FAISS's exact inner-product search (IndexFlatIP), so recall@10 is of the same neighbours
`bench index` counts. Builds IndexHNSWFlat (M = 16, inner product) with efConstruction 40 and 100, then for
each efSearch times all queries in one batch on one thread (omp_set_num_threads(1): FAISS walks the batch one
query after another), best of three passes. Writes DIR/faiss.json: every point, and per recall level the
fastest (efConstruction, efSearch).
Usage: scripts/faiss-hnsw.py DIR      (Debian's python3-faiss: /usr/bin/python3; a tooling dependency only)
"""
import json
import os
import sys
import time

import faiss
import numpy as np

LEVELS = (0.80, 0.90, 0.95, 0.99)
EFS = (10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024)


def load(d, name, rows, dim):
    x = np.fromfile(os.path.join(d, name), dtype="<f4").reshape(rows, dim)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1
    return np.ascontiguousarray(x / n, dtype="float32")


def main(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    base = load(d, "base.f32", meta["base"], meta["dim"])
    queries = load(d, "queries.f32", meta["queries"], meta["dim"])
    faiss.omp_set_num_threads(1)
    flat = faiss.IndexFlatIP(meta["dim"])
    flat.add(base)
    t0 = time.perf_counter()
    _, truth = flat.search(queries, 10)
    exact_qps = len(queries) / (time.perf_counter() - t0)
    points = []
    for efc in (40, 100):
        index = faiss.IndexHNSWFlat(meta["dim"], 16, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = efc
        t0 = time.perf_counter()
        index.add(base)
        build = time.perf_counter() - t0
        for ef in EFS:
            index.hnsw.efSearch = ef
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                _, got = index.search(queries, 10)
                best = min(best, time.perf_counter() - t0)
            recall = float(np.mean([len(set(g) & set(t)) / 10 for g, t in zip(got, truth)]))
            points.append({"efConstruction": efc, "efSearch": ef, "recallAt10": recall,
                           "qps": len(queries) / best, "buildSeconds": build})
    at = {}
    for level in LEVELS:
        ok = [p for p in points if p["recallAt10"] >= level]
        at[str(level)] = max(ok, key=lambda p: p["qps"]) if ok else None
    out = {"faiss": faiss.__version__, "M": 16, "threads": 1, "base": meta["base"], "queries": meta["queries"],
           "dim": meta["dim"], "data": meta["data"], "exactQps": exact_qps, "atRecall": at, "points": points}
    json.dump(out, open(os.path.join(d, "faiss.json"), "w"), indent=1)
    for level in LEVELS:
        p = at[str(level)]
        print(f"FAISS HNSW at recall@10 >= {level}: " + (f"{p['qps']:.0f} queries/s (efConstruction {p['efConstruction']}, "
              f"efSearch {p['efSearch']}, recall {p['recallAt10']:.3f})" if p else "not reached"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/faiss-hnsw.py DIR   (DIR written by bench index --export DIR)")
    main(sys.argv[1])
