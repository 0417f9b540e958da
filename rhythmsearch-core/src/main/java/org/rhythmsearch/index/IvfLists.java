package org.rhythmsearch.index;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The lists of an {@link IvfIndex} and their first-pass scan: each list's member ids, over float32 rows
 * also their 8-bit codes ({@link ScalarQuantizer}) in one contiguous array; over compact rows only the ids
 * (the scan reads each member's own codes from the matrix, {@link #gathered}). Optionally each list's
 * members ordered by a label ({@link #orderByLabel}), so a filtered scan reads only the accepted labels'
 * runs.
 *
 * <p>Scans may run concurrently; {@link #append} and {@link #orderByLabel} must not run concurrently with
 * anything else.
 */
final class IvfLists {

  private final int dim;
  private final ScalarQuantizer quantizer;
  /** Whether the scan reads the matrix's own int8 codes (a compact matrix) instead of codes of its own. */
  private final boolean gathered;
  private final int[][] ids;
  private final byte[][] codes;
  private final int[] size;
  /** The labels each list's members are ordered by ({@link #orderByLabel}), or null. */
  private short[] orderedBy;
  /** Per list, where each label's members start: {@code labelStart[l][x] .. labelStart[l][x + 1]}. */
  private int[][] labelStart;

  /** The lists of {@code vectors}' rows, row {@code r} in list {@code assigned[r]} (checked by the caller). */
  IvfLists(int lists, ScalarQuantizer quantizer, VectorMatrix vectors, int[] assigned) {
    this.dim = vectors.dim();
    this.quantizer = quantizer;
    this.gathered = vectors.compact();
    ids = new int[lists][];
    codes = new byte[lists][];
    size = new int[lists];
    for (int list : assigned) {
      size[list]++;
    }
    for (int l = 0; l < lists; l++) {
      ids[l] = new int[Math.max(size[l], 4)];
      codes[l] = gathered ? null : new byte[Math.max(size[l], 4) * dim];
      size[l] = 0;
    }
    for (int r = 0; r < assigned.length; r++) {
      append(assigned[r], r, vectors);
    }
  }

  boolean gathered() {
    return gathered;
  }

  int lists() {
    return size.length;
  }

  int size(int l) {
    return size[l];
  }

  /** The members of list {@code l} (the first {@link #size} entries). */
  int[] ids(int l) {
    return ids[l];
  }

  short[] orderedBy() {
    return orderedBy;
  }

  int[] labelStart(int l) {
    return labelStart[l];
  }

  /** Adds row {@code id} of {@code vectors} at the end of list {@code list}; undoes {@link #orderByLabel}. */
  void append(int list, int id, VectorMatrix vectors) {
    orderedBy = null;
    int n = size[list];
    if (n == ids[list].length) {
      ids[list] = Arrays.copyOf(ids[list], n * 2);
      if (!gathered) {
        codes[list] = Arrays.copyOf(codes[list], n * 2 * dim);
      }
    }
    ids[list][n] = id;
    if (!gathered) {
      float norm = vectors.norm(id);
      quantizer.encode(vectors.row(id), 0, norm > 0 ? 1f / norm : 0f, codes[list], n * dim);
    }
    size[list] = n + 1;
  }

  /** The list of every row, by id. */
  int[] assignment(int rows) {
    int[] out = new int[rows];
    for (int l = 0; l < size.length; l++) {
      for (int i = 0; i < size[l]; i++) {
        out[ids[l][i]] = l;
      }
    }
    return out;
  }

  int[] sizes() {
    return Arrays.copyOf(size, size.length);
  }

  /** Orders each list's members by {@code labels} (checked by the caller: one per row, ≥ 0, at most {@code top}). */
  void orderByLabel(short[] labels, int top) {
    int[][] starts = new int[size.length][];
    for (int l = 0; l < size.length; l++) {
      int n = size[l];
      int[] start = new int[top + 2];
      for (int i = 0; i < n; i++) {
        start[labels[ids[l][i]] + 1]++;
      }
      for (int x = 0; x <= top; x++) {
        start[x + 1] += start[x];
      }
      int[] fill = Arrays.copyOf(start, top + 1);
      int[] ordered = new int[ids[l].length];
      byte[] orderedCodes = gathered ? null : new byte[codes[l].length];
      for (int i = 0; i < n; i++) {
        int to = fill[labels[ids[l][i]]]++;
        ordered[to] = ids[l][i];
        if (!gathered) {
          System.arraycopy(codes[l], i * dim, orderedCodes, to * dim, dim);
        }
      }
      ids[l] = ordered;
      codes[l] = orderedCodes;
      starts[l] = start;
    }
    labelStart = starts;
    orderedBy = labels;
  }

  /**
   * A unit query as the scan compares it: with the lists' own codes, the quantiser's weights and offset
   * ({@code w}, {@code offset}); with the matrix's codes, the query and the sum of its values.
   */
  record Probe(float[] w, float offset) {}

  Probe probe(float[] unit, Kernels kernels) {
    return gathered ? new Probe(unit, kernels.sum(unit)) : new Probe(quantizer.weights(unit), quantizer.offset(unit));
  }

  /**
   * {@code out[i − from]}: the first-pass score of member {@code i} of list {@code l} ({@code from <= i < to}):
   * the cosine of the unit probe with the row's codes (exact, {@link #gathered}) or the quantised one.
   */
  void scores(Probe probe, int l, int from, int to, float[] out, VectorMatrix vectors, Kernels kernels) {
    if (gathered) {
      int[] members = ids[l];
      vectors.dotsOfRows(kernels, probe.w(), probe.offset(), members, from, to, out);
      for (int i = from; i < to; i++) {
        float norm = vectors.norm(members[i]);
        out[i - from] = norm > 0 ? out[i - from] / norm : 0f;
      }
      return;
    }
    kernels.codeDots(probe.w(), codes[l], from * dim, to - from, dim, out);
    for (int i = 0; i < to - from; i++) {
      out[i] += probe.offset();
    }
  }

  /** Where a scan puts what it found: the rows and their first-pass scores. */
  record Found(IntList ids, FloatList scores) {}

  /**
   * Scans members {@code [from, to)} of list {@code l} that are live (not in {@code removed}) and that
   * {@code filter} accepts (all when null), each run of them one call of {@link #scores}.
   */
  void scan(int l, int from, int to, Probe probe, float[] buf, Found found, RowFilter filter, BitSet removed,
      VectorMatrix vectors, Kernels kernels) {
    int[] members = ids[l];
    for (int i = from; i < to; ) {
      if ((filter != null && !filter.test(members[i])) || removed.get(members[i])) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < to && (filter == null || filter.test(members[end])) && !removed.get(members[end])) {
        end++;
      }
      scores(probe, l, i, end, buf, vectors, kernels);
      for (int j = i; j < end; j++) {
        found.ids().add(members[j]);
        found.scores().add(buf[j - i]);
      }
      i = end;
    }
  }

  /**
   * The runs of accepted labels that share their vector, as triples {first, last, vector}: the vector's
   * number in {@code vectorIndex} (filled here), or -1 for the probe's own.
   */
  static int[] acceptedRuns(boolean[] accepted, float[][] byLabel,
      java.util.IdentityHashMap<float[], Integer> vectorIndex) {
    IntList out = new IntList();
    int x = 0;
    while (x < accepted.length) {
      if (!accepted[x]) {
        x++;
        continue;
      }
      float[] v = byLabel == null ? null : byLabel[x];
      int end = x;
      while (end + 1 < accepted.length && accepted[end + 1] && (byLabel == null ? null : byLabel[end + 1]) == v) {
        end++;
      }
      out.add(x);
      out.add(end);
      out.add(v == null ? -1 : vectorIndex.computeIfAbsent(v, k -> vectorIndex.size()));
      x = end + 1;
    }
    return out.toArray();
  }

  /** The rows a first pass keeps, with the codes it scanned and the lists it probed. */
  record FirstPass(int[] rows, int scanned, int probed) {}

  /** The query scaled to unit length (left as it is when all zero). */
  static float[] unit(float[] query) {
    float qNorm = VectorMatrix.norm(query);
    float[] unit = query.clone();
    if (qNorm > 0) {
      for (int j = 0; j < unit.length; j++) {
        unit[j] /= qNorm;
      }
    }
    return unit;
  }

  /**
   * The first pass of the unit query {@code unit}: the {@code probes} lists first in {@code order} (more
   * while fewer than {@code want} rows were seen, never more than {@code scanPerCandidate} rows per kept
   * one, or {@link IvfIndex#FILTERED_SCAN_PER_CANDIDATE} for a filtered probe) scanned, live rows (not in
   * {@code removed}) that {@code filter} accepts (all when null); the best {@code keep} of them.
   */
  FirstPass firstPass(float[] unit, ListOrder order, int probes, int keep, int want, RowFilter filter,
      int scanPerCandidate, BitSet removed, VectorMatrix vectors, Kernels kernels) {
    Probe probe = probe(unit, kernels);
    IntList ids = new IntList();
    FloatList approx = new FloatList();
    Found found = new Found(ids, approx);
    float[] buf = new float[256];
    int[] runs = null;
    Probe[] labelProbes = null;
    if (filter != null && filter.labels() == orderedBy()) {
      // runs of accepted labels compared with one vector: {first, last, vector (-1: the probe)}
      float[][] byLabel = filter.byLabel();
      java.util.IdentityHashMap<float[], Integer> vectorIndex = new java.util.IdentityHashMap<>();
      runs = acceptedRuns(filter.accepted(), byLabel, vectorIndex);
      labelProbes = new Probe[vectorIndex.size()];
      for (var e : vectorIndex.entrySet()) {
        labelProbes[e.getValue()] = probe(unit(e.getKey()), kernels);
      }
    }
    int probed = 0;
    // a filtered probe stops once it has FILTERED_SCAN_PER_CANDIDATE times the rows it keeps: the lists
    // nearest a probe are the richest in the rows it wants (e.g. of the probe's tempo)
    long enough = (long) (filter == null ? scanPerCandidate : IvfIndex.FILTERED_SCAN_PER_CANDIDATE) * keep;
    while (probed < order.size() && (probed < probes || ids.size() < want) && ids.size() < enough) {
      int l = order.get(probed++);
      int n = size(l);
      if (buf.length < n) {
        buf = new float[n];
      }
      int[] members = ids(l);
      if (filter == null) {
        scores(probe, l, 0, n, buf, vectors, kernels);
        for (int i = 0; i < n; i++) {
          if (!removed.get(members[i])) {
            ids.add(members[i]);
            approx.add(buf[i]);
          }
        }
        continue;
      }
      if (runs != null) { // the list is ordered by the filter's labels: scan the accepted labels' members
        int[] start = labelStart(l);
        for (int x = 0; x < runs.length; x += 3) {
          int from = start[Math.min(runs[x], start.length - 1)];
          int to = start[Math.min(runs[x + 1] + 1, start.length - 1)];
          int v = runs[x + 2];
          scan(l, from, to, v < 0 ? probe : labelProbes[v], buf, found, null, removed, vectors, kernels);
        }
        continue;
      }
      scan(l, 0, n, probe, buf, found, filter, removed, vectors, kernels);
    }
    int scanned = ids.size();
    if (scanned <= keep) {
      return new FirstPass(ids.toArray(), scanned, probed);
    }
    int[] chosen = ExactIndex.topKIndices(approx.toArray(), keep, null);
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = ids.get(chosen[i]);
    }
    return new FirstPass(chosen, scanned, probed);
  }
}
