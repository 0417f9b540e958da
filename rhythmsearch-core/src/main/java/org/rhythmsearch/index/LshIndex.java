package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Random-hyperplane locality-sensitive hashing for cosine similarity (Charikar, STOC 2002) with
 * {@code L} tables of {@code K}-bit codes and query-directed multi-probe (Lv, Josephson, Wang, Charikar
 * &amp; Li, "Multi-Probe LSH", VLDB 2007), re-ranking the candidates by exact similarity.
 *
 * <p>Bit {@code i} of table {@code t} is the sign of the projection of a vector on a Gaussian
 * hyperplane drawn from a {@link SplittableRandom} seeded with {@link Params#seed()} (never the
 * clock), so an index rebuilt or reloaded with the same parameters hashes identically. Each table
 * keeps its codes sorted (a bucket is a range: 8 bytes per vector per table) plus a small map of
 * vectors added after the build; removed vectors are tombstoned.
 *
 * <p>Probing: the query's own bucket in every table first, then buckets whose codes differ in the bits
 * with the smallest |projection| — perturbation sets generated in increasing order of the sum of the
 * squared projections of their flipped bits, across all tables, with the shift/expand heap of Lv et al.
 * — until {@link Params#probes()} buckets have been probed <em>and</em> at least {@code k} candidates
 * are found: the probe widens as needed, so a query never gets an empty answer from a non-empty index.
 *
 * <p>Thread-safety: searches may run concurrently with each other; {@link #add} and {@link #remove}
 * must not run concurrently with anything (guard them externally).
 */
public final class LshIndex {

  /**
   * @param bits bits per table K, in [1, 32]
   * @param tables number of tables L, {@code >= 1}
   * @param probes buckets to probe per query (all tables together), {@code >= tables}
   * @param seed seed of the hyperplanes
   */
  public record Params(int bits, int tables, int probes, long seed) {

    /**
     * Defaults for {@code n} vectors: about 4 vectors per bucket ({@code bits = round(log2(n / 4))},
     * clamped to [2, 24]), 8 tables, 4 probes per table.
     */
    public static Params forSize(int n, long seed) {
      int bits = (int) Math.round(Math.log(Math.max(n, 2) / 4.0) / Math.log(2));
      bits = Math.max(2, Math.min(24, bits));
      return new Params(bits, 8, 32, seed);
    }

    public Params {
      if (bits < 1 || bits > 32) {
        throw new IllegalArgumentException("bits must be in [1, 32]; bits=" + bits);
      }
      if (tables < 1) {
        throw new IllegalArgumentException("tables must be >= 1; tables=" + tables);
      }
      if (probes < tables) {
        throw new IllegalArgumentException("probes must be >= tables (" + tables + "); probes=" + probes);
      }
    }
  }

  /** A search's answer with its cost. */
  public record Result(List<Neighbor> neighbors, int candidates, int probes) {}

  private final Params params;
  private final int dim;
  private final float[][] planes; // [table][bit * dim + j]
  private float[] data;
  private boolean ownsData;
  private float[] norms;
  private int rows;
  private final BitSet removed = new BitSet();
  private final int[][] sortedCodes; // [table][position]
  private final int[][] sortedRows; // [table][position]
  private final List<Map<Integer, List<Integer>>> added; // per table: code -> rows added after build

  /** Builds an index over every row of {@code vectors} (row i gets id i). */
  public LshIndex(VectorMatrix vectors, Params params) {
    this(vectors, params, null);
  }

  /**
   * Builds an index from stored codes ({@code codes[table][row]}, as {@link #rowCodes(int)} returned
   * them), skipping the projections; null computes them.
   *
   * @throws IllegalArgumentException when the codes do not match the parameters or the rows
   */
  public LshIndex(VectorMatrix vectors, Params params, int[][] codes) {
    this.params = params;
    this.dim = vectors.dim();
    this.rows = vectors.rows();
    this.data = vectors.data(); // shared until the first add (copy on write): no second copy of the vectors
    this.norms = new float[Math.max(rows, 1)];
    for (int r = 0; r < rows; r++) {
      norms[r] = vectors.norm(r);
    }
    planes = hyperplanes(params, dim);
    sortedCodes = new int[params.tables()][];
    sortedRows = new int[params.tables()][];
    added = new ArrayList<>();
    if (codes != null && (codes.length != params.tables() || java.util.Arrays.stream(codes).anyMatch(c -> c.length != rows))) {
      throw new IllegalArgumentException("stored codes do not fit " + params.tables() + " tables x " + rows + " rows");
    }
    for (int t = 0; t < params.tables(); t++) {
      long[] packed = new long[rows];
      for (int r = 0; r < rows; r++) {
        int code = codes != null ? codes[t][r] : code(t, data, r * dim, null);
        packed[r] = ((long) code << 32) | r; // codes as unsigned order is irrelevant: equality is what counts
      }
      Arrays.sort(packed);
      sortedCodes[t] = new int[rows];
      sortedRows[t] = new int[rows];
      for (int i = 0; i < rows; i++) {
        sortedCodes[t][i] = (int) (packed[i] >> 32);
        sortedRows[t][i] = (int) packed[i];
      }
      added.add(new HashMap<>());
    }
  }

  /** The Gaussian hyperplanes for {@code params}: deterministic in the seed. */
  static float[][] hyperplanes(Params params, int dim) {
    SplittableRandom rnd = new SplittableRandom(params.seed());
    float[][] p = new float[params.tables()][params.bits() * dim];
    for (float[] table : p) {
      for (int i = 0; i < table.length; i++) {
        table[i] = (float) rnd.nextGaussian();
      }
    }
    return p;
  }

  public Params params() {
    return params;
  }

  /** The code of every built row in table {@code t} (row order), for persisting. */
  public int[] rowCodes(int t) {
    int[] out = new int[sortedRows[t].length];
    for (int i = 0; i < out.length; i++) {
      out[sortedRows[t][i]] = sortedCodes[t][i];
    }
    return out;
  }

  /** The code of row {@code r}'s vector in table {@code t}, computed from the hyperplanes. */
  public int computeCode(int t, int r) {
    return code(t, data, r * dim, null);
  }

  public int dim() {
    return dim;
  }

  /** Rows ever added (including removed ones). */
  public int size() {
    return rows;
  }

  /** Rows currently searchable. */
  public int liveSize() {
    return rows - removed.cardinality();
  }

  /** Code of a vector in table t; fills {@code projections} (length bits) when not null. */
  private int code(int t, float[] v, int offset, float[] projections) {
    float[] p = planes[t];
    int code = 0;
    for (int b = 0; b < params.bits(); b++) {
      int o = b * dim;
      float acc = 0f;
      for (int j = 0; j < dim; j++) {
        acc += p[o + j] * v[offset + j];
      }
      if (projections != null) {
        projections[b] = acc;
      }
      if (acc > 0) {
        code |= 1 << b;
      }
    }
    return code;
  }

  /**
   * Adds a vector; returns its id (the next row).
   *
   * @throws IllegalArgumentException when the dimension differs
   */
  public int add(float[] v) {
    checkDim(v);
    if (!ownsData || (rows + 1) * dim > data.length) {
      data = Arrays.copyOf(data, Math.max(Math.max(data.length * 2, dim), (rows + 1) * dim));
      ownsData = true;
    }
    if (rows + 1 > norms.length) {
      norms = Arrays.copyOf(norms, Math.max(norms.length * 2, rows + 1));
    }
    int r = rows;
    System.arraycopy(v, 0, data, r * dim, dim); // data is a private copy here: see the growth above
    double ss = 0;
    for (float x : v) {
      ss += (double) x * x;
    }
    norms[r] = (float) Math.sqrt(ss);
    rows++;
    for (int t = 0; t < params.tables(); t++) {
      added.get(t).computeIfAbsent(code(t, data, r * dim, null), c -> new ArrayList<>()).add(r);
    }
    return r;
  }

  /** Removes row {@code id} from future answers; returns whether it was present. */
  public boolean remove(int id) {
    if (id < 0 || id >= rows || removed.get(id)) {
      return false;
    }
    removed.set(id);
    return true;
  }

  /** {@link #search(float[], int, Metric, int)} with the index's probe budget. */
  public Result search(float[] query, int k, Metric metric) {
    return search(query, k, metric, params.probes());
  }

  /**
   * The {@code k} most similar live vectors among the candidates found by probing at least
   * {@code probes} buckets (more while fewer than {@code k} candidates are found), re-ranked exactly.
   */
  public Result search(float[] query, int k, Metric metric, int probes) {
    checkDim(query);
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    int tables = params.tables();
    int bits = params.bits();
    float[][] proj = new float[tables][bits];
    int[] home = new int[tables];
    int[][] order = new int[tables][];
    double[][] cost = new double[tables][bits];
    for (int t = 0; t < tables; t++) {
      home[t] = code(t, query, 0, proj[t]);
      order[t] = sortByAbs(proj[t]);
      for (int i = 0; i < bits; i++) {
        double z = proj[t][order[t][i]];
        cost[t][i] = z * z;
      }
    }
    // perturbation sets over sorted bit positions, best first across tables
    PriorityQueue<Probe> heap = new PriorityQueue<>();
    for (int t = 0; t < tables; t++) {
      heap.add(new Probe(0, t, 0L, -1));
    }
    BitSet seen = new BitSet(rows);
    IntList candidates = new IntList();
    int probed = 0;
    int live = liveSize();
    while (!heap.isEmpty() && (probed < probes || candidates.size() < Math.min(k, live))) {
      Probe p = heap.poll();
      int code = home[p.table];
      for (int i = 0; i < bits; i++) {
        if ((p.set >>> i & 1L) != 0) {
          code ^= 1 << order[p.table][i];
        }
      }
      collect(p.table, code, seen, candidates);
      probed++;
      // successors (Lv et al.): shift the largest element up by one, or expand with the next one
      if (p.max + 1 < bits) {
        int next = p.max + 1;
        if (p.max >= 0) {
          long shifted = (p.set & ~(1L << p.max)) | (1L << next);
          heap.add(new Probe(p.score - cost[p.table][p.max] + cost[p.table][next], p.table, shifted, next));
        }
        heap.add(new Probe(p.score + cost[p.table][next], p.table, p.set | (1L << next), next));
      }
    }
    // exact re-ranking of the candidates
    float[] scores = new float[candidates.size()];
    double qn = 0;
    for (float v : query) {
      qn += (double) v * v;
    }
    float qNorm = (float) Math.sqrt(qn);
    if (metric == Metric.COSINE) {
      int[] ids = candidates.toArray();
      Kernels.best().dotsOfRows(query, data, dim, ids, scores);
      for (int c = 0; c < scores.length; c++) {
        float denom = qNorm * norms[ids[c]];
        scores[c] = denom > 0 ? scores[c] / denom : 0f;
      }
    } else {
      for (int c = 0; c < scores.length; c++) {
        scores[c] = score(query, qNorm, candidates.get(c), metric);
      }
    }
    List<Neighbor> top = ExactIndex.topK(scores, k, null);
    List<Neighbor> out = new ArrayList<>(top.size());
    for (Neighbor n : top) {
      out.add(new Neighbor(candidates.get(n.id()), n.score()));
    }
    out.sort(null);
    return new Result(out, candidates.size(), probed);
  }

  /** The live rows in {@code query}'s own bucket of table 0 (no probing): the seed study's LSH answer. */
  public List<Integer> bucket(float[] query) {
    checkDim(query);
    IntList out = new IntList();
    collect(0, code(0, query, 0, null), new BitSet(rows), out);
    List<Integer> list = new ArrayList<>(out.size());
    for (int r : out.toArray()) {
      list.add(r);
    }
    return list;
  }

  /** A growable list of ints without boxing (candidate row ids). */
  private static final class IntList {
    private int[] a = new int[64];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  private void collect(int t, int code, BitSet seen, IntList candidates) {
    int[] codes = sortedCodes[t];
    int lo = lowerBound(codes, code);
    for (int i = lo; i < codes.length && codes[i] == code; i++) {
      take(sortedRows[t][i], seen, candidates);
    }
    List<Integer> extra = added.get(t).get(code);
    if (extra != null) {
      for (int r : extra) {
        take(r, seen, candidates);
      }
    }
  }

  private void take(int r, BitSet seen, IntList candidates) {
    if (!seen.get(r) && !removed.get(r)) {
      seen.set(r);
      candidates.add(r);
    }
  }

  private float score(float[] q, float qNorm, int r, Metric metric) {
    int o = r * dim;
    switch (metric) {
      case COSINE -> {
        float dot = 0f;
        for (int j = 0; j < dim; j++) {
          dot += q[j] * data[o + j];
        }
        float denom = qNorm * norms[r];
        return denom > 0 ? dot / denom : 0f;
      }
      case EUCLIDEAN -> {
        float ss = 0f;
        for (int j = 0; j < dim; j++) {
          float d = q[j] - data[o + j];
          ss += d * d;
        }
        return (float) -Math.sqrt(ss);
      }
      case L1 -> {
        float s = 0f;
        for (int j = 0; j < dim; j++) {
          s += Math.abs(q[j] - data[o + j]);
        }
        return -s;
      }
      default -> throw new IllegalStateException();
    }
  }

  /** A bucket to probe: a set of flipped (sorted) bit positions of one table, and its score. */
  private record Probe(double score, int table, long set, int max) implements Comparable<Probe> {
    @Override
    public int compareTo(Probe o) {
      int c = Double.compare(score, o.score);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(table, o.table);
      return c != 0 ? c : Long.compare(set, o.set);
    }
  }

  private static int[] sortByAbs(float[] p) {
    Integer[] idx = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int c = Float.compare(Math.abs(p[a]), Math.abs(p[b]));
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private static int lowerBound(int[] a, int key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void checkDim(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector dimension " + v.length + " does not match the index dimension " + dim);
    }
  }
}
