#!/usr/bin/python3
"""FAISS HNSW on the vectors `bench index --export DIR` wrote (issue 28, point 5: the C++ baseline).

Reads DIR/base.f32, DIR/queries.f32 and DIR/meta.json; unit-normalises both (cosine, as `bench index` ranks);
the truth is FAISS's exact inner-product search (IndexFlatIP), so recall@10 is of the same neighbours
`bench index` counts. Builds IndexHNSWFlat (M = 16, inner product) with efConstruction 40 and 100, then for
each efSearch times all queries in one batch on one thread (omp_set_num_threads(1): FAISS walks the batch one
query after another), best of three passes. Writes DIR/faiss.json: every point, and per recall level the
fastest (efConstruction, efSearch).

When DIR/aligned.json exists (`bench index --aligned --export DIR`), FAISS also searches by the tempo-aligned
score, max(cos(q, r), cos(q_k, r) - margin) with k the step between the two excerpts' tempi, whose exact top 10
is DIR/truth-aligned.i32 (checked here against numpy's exact search by the same score). Two ways, each over
efSearch: "plain" (one HNSW search by the query, ef candidates) and "bands" (the product's scheme: that search
with up to 256 candidates plus one per tempo band, the query rescaled to the band's middle step and an
IDSelectorBitmap keeping the band's rows, up to 64 candidates each); the union re-scored exactly by the aligned
score. Timed: the HNSW searches only, minus the measured cost of a Python call per search; the re-scoring (numpy)
is not counted, in FAISS's favour.
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
    indexes = {}
    for efc in (40, 100):
        index = faiss.IndexHNSWFlat(meta["dim"], 16, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = efc
        t0 = time.perf_counter()
        index.add(base)
        build = time.perf_counter() - t0
        indexes[efc] = index
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
    if os.path.exists(os.path.join(d, "aligned.json")):
        out["aligned"] = aligned(d, meta, base, indexes)
    json.dump(out, open(os.path.join(d, "faiss.json"), "w"), indent=1)
    for level in LEVELS:
        p = at[str(level)]
        print(f"FAISS HNSW at recall@10 >= {level}: " + (f"{p['qps']:.0f} queries/s (efConstruction {p['efConstruction']}, "
              f"efSearch {p['efSearch']}, recall {p['recallAt10']:.3f})" if p else "not reached"))


def aligned(d, meta, base, indexes):
    al = json.load(open(os.path.join(d, "aligned.json")))
    steps, margin = al["steps"], al["margin"]
    nq, n, dim = meta["queries"], meta["base"], meta["dim"]
    slots = 2 * steps + 1
    scaled = np.fromfile(os.path.join(d, "scaled.f32"), dtype="<f4").reshape(nq, slots, dim)
    step = np.fromfile(os.path.join(d, "steps.i8"), dtype="i1").reshape(nq, n).astype(np.int64)
    truth = np.fromfile(os.path.join(d, "truth-aligned.i32"), dtype="<i4").reshape(nq, 10)

    def score(q, rows):
        rows = np.asarray(rows, dtype=np.int64)
        plain = base[rows] @ scaled[q, steps]
        k = step[q, rows]
        out = plain.copy()
        nz = k != 0
        if nz.any():
            a = np.einsum("ij,ij->i", base[rows[nz]], scaled[q, k[nz] + steps])
            out[nz] = np.maximum(plain[nz], a - margin)
        return out

    def top10(q, rows):
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        rows = rows[rows >= 0]
        s = score(q, rows)
        return rows[np.argsort(-s, kind="stable")[:10]]

    # the truth as numpy computes it: every row, every step
    agree = 0
    for q in range(nq):
        every = base @ scaled[q].T  # n x slots
        plain = every[:, steps]
        a = every[np.arange(n), step[q] + steps]
        s = np.where(step[q] != 0, np.maximum(plain, a - margin), plain)
        agree += len(set(np.argsort(-s, kind="stable")[:10]) & set(truth[q]))
    check = agree / (10.0 * nq)
    print(f"aligned: numpy's exact top 10 agrees with the JVM's on {check:.4f} of the neighbours")

    # the cost of one Python call of a search, to take out of the per-band searches
    tiny = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    tiny.add(base[:1])
    bits1 = np.ones(1, dtype=np.uint8)
    p1 = faiss.SearchParametersHNSW(sel=faiss.IDSelectorBitmap(1, faiss.swig_ptr(bits1)), efSearch=16)
    x1 = scaled[:1, steps]
    calls = []
    for _ in range(2000):
        t0 = time.perf_counter()
        tiny.search(x1, 1, params=p1)
        calls.append(time.perf_counter() - t0)
    overhead = float(np.median(calls))

    bands = [(lo, hi, mid) for lo, hi, mid in al["bands"]]
    masks = {}
    for q in range(nq):
        for b, (lo, hi, mid) in enumerate(bands):
            m = (step[q] >= lo) & (step[q] <= hi)
            if m.any():
                masks[(q, b)] = np.packbits(m, bitorder="little")
    queries = np.ascontiguousarray(scaled[:, steps])
    points = []
    for efc, index in indexes.items():
        for strategy in ("plain", "bands"):
            for ef in EFS:
                index.hnsw.efSearch = ef
                kp = ef if strategy == "plain" else min(ef, al["plainCandidates"])
                kb = min(ef, al["bandCandidates"])
                if strategy == "bands":
                    sels = {key: faiss.IDSelectorBitmap(n, faiss.swig_ptr(bits)) for key, bits in masks.items()}
                    params = {key: faiss.SearchParametersHNSW(sel=sel, efSearch=ef) for key, sel in sels.items()}
                best = float("inf")
                for _ in range(2):
                    found = [[] for _ in range(nq)]
                    ncalls = 1
                    t0 = time.perf_counter()
                    _, got = index.search(queries, kp)
                    for q in range(nq):
                        found[q].append(got[q])
                    if strategy == "bands":
                        for q in range(nq):
                            for b, (lo, hi, mid) in enumerate(bands):
                                p = params.get((q, b))
                                if p is not None:
                                    _, g = index.search(scaled[q, mid + steps][None, :], kb, params=p)
                                    found[q].append(g[0])
                                    ncalls += 1
                    raw = time.perf_counter() - t0
                    best = min(best, raw - (ncalls - 1) * overhead)
                recall = float(np.mean([len(set(top10(q, np.concatenate(found[q]))) & set(truth[q])) / 10
                                        for q in range(nq)]))
                points.append({"strategy": strategy, "efConstruction": efc, "efSearch": ef, "recallAt10": recall,
                               "qps": nq / best, "searchesPerQuery": ncalls / nq})
                print(f"aligned FAISS {strategy}, efConstruction {efc}, efSearch {ef}: recall@10 {recall:.3f}, "
                      f"{nq / best:.0f} queries/s")
                if recall >= 0.999:
                    break
    at = {}
    for level in LEVELS:
        ok = [p for p in points if p["recallAt10"] >= level]
        at[str(level)] = max(ok, key=lambda p: p["qps"]) if ok else None
    return {"check": check, "callOverheadSeconds": overhead, "atRecall": at, "points": points}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/faiss-hnsw.py DIR   (DIR written by bench index --export DIR)")
    main(sys.argv[1])
