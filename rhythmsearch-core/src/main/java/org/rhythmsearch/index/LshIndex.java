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
 * &amp; Li, "Multi-Probe LSH", VLDB 2007), a query-weighted Hamming pre-filter on 64-bit sketches, and
 * exact re-ranking.
 *
 * <p>Bit {@code i} of table {@code t} is the sign of the projection of a vector on a Gaussian
 * hyperplane drawn from a {@link SplittableRandom} seeded with {@link Params#seed()} (never the
 * clock), so an index rebuilt or reloaded with the same parameters hashes identically. 64 more
 * hyperplanes from the same stream give every vector a 64-bit sketch (one {@code long}).
 *
 * <p>Layout: each table is a bucket directory — the row ids grouped by code (4 bytes per vector) and
 * the start of every bucket ({@code 2^K + 1} ints) — so a probe is two array reads, plus a small map
 * of vectors added after the build; removed vectors are tombstoned. Memory beside the shared vectors:
 * {@link #bytesPerVector()}.
 *
 * <p>Probing: the query's own bucket in every table first, then buckets whose codes differ in the bits
 * with the smallest |projection| — perturbation sets generated in increasing order of the sum of the
 * squared projections of their flipped bits, across all tables, with the shift/expand heap of Lv et al.
 * — until the probe budget is spent <em>and</em> at least {@code k} candidates are found: the probe
 * widens as needed, so a query never gets an empty answer from a non-empty index. When more than
 * {@link Params#rerank()} candidates are found, only that many with the smallest query-weighted Hamming
 * distance between sketches (differing bits weighted by the query's distance to their hyperplanes) are
 * re-ranked by the exact metric ({@code rerank = 0}: all of them).
 *
 * <p>Thread-safety: searches may run concurrently with each other; {@link #add} and {@link #remove}
 * must not run concurrently with anything (guard them externally).
 */
public final class LshIndex {

  /** Largest K: a table's bucket directory holds {@code 2^K + 1} ints. */
  public static final int MAX_BITS = 24;

  /** Bits of the per-vector sketch used by the Hamming pre-filter. */
  public static final int SKETCH_BITS = 64;

  /** The slope {@code a} of the sketch's bit costs ({@link #sketchNearest}). */
  static final double SKETCH_COT = 3.0;

  /** Quantisation levels of a sketch distance. */
  private static final int SKETCH_LEVELS = 4096;

  /**
   * @param bits bits per table K, in [1, {@value #MAX_BITS}]
   * @param tables number of tables L, {@code >= 1}
   * @param probes buckets to probe per query (all tables together), {@code >= tables}
   * @param rerank candidates re-ranked exactly after the Hamming pre-filter; 0 re-ranks all
   * @param seed seed of the hyperplanes
   */
  public record Params(int bits, int tables, int probes, int rerank, long seed) {

    /** Without the Hamming pre-filter (every candidate is re-ranked). */
    public Params(int bits, int tables, int probes, long seed) {
      this(bits, tables, probes, 0, seed);
    }

    /**
     * Defaults for {@code n} vectors: about 8 vectors per bucket ({@code bits = round(log2(n / 8))},
     * clamped to [2, 20]), 4 tables (so the index stays within {@code 4·d + 32} bytes per vector up to
     * millions of vectors), 16 probes per table, every candidate re-ranked exactly. Measured with
     * {@code bench index} (within-song model): recall@10 0.97 at 100 000 vectors and 0.95 at
     * 1 000 000. The sketch pre-filter ({@code rerank > 0}) did not pay at 1 M: to keep recall 0.95 it
     * must pass so many candidates that its own pass costs what it saves.
     */
    public static Params forSize(int n, long seed) {
      return new Params(bitsForSize(n), 4, 64, 0, seed);
    }

    /** {@code round(log2(n / 8))} clamped to [2, 20]: about 8 vectors per bucket. */
    public static int bitsForSize(int n) {
      int bits = (int) Math.round(Math.log(Math.max(n, 2) / 8.0) / Math.log(2));
      return Math.max(2, Math.min(20, bits));
    }

    public Params {
      if (bits < 1 || bits > MAX_BITS) {
        throw new IllegalArgumentException("bits must be in [1, " + MAX_BITS + "]; bits=" + bits);
      }
      if (tables < 1) {
        throw new IllegalArgumentException("tables must be >= 1; tables=" + tables);
      }
      if (probes < tables) {
        throw new IllegalArgumentException("probes must be >= tables (" + tables + "); probes=" + probes);
      }
      if (rerank < 0) {
        throw new IllegalArgumentException("rerank must be >= 0 (0 re-ranks every candidate); rerank=" + rerank);
      }
    }

    /** The same parameters with another probe budget and re-rank budget. */
    public Params withBudget(int newProbes, int newRerank) {
      return new Params(bits, tables, newProbes, newRerank, seed);
    }
  }

  /** A search's answer with its cost: candidates found by probing, and how many were re-ranked exactly. */
  public record Result(List<Neighbor> neighbors, int candidates, int probes, int reranked) {}

  private final Params params;
  private final int dim;
  private final float[] planes; // [table * bits + bit][dim], then SKETCH_BITS sketch planes
  private final float[] center; // the hyperplanes pass through this point (of the unit sphere's interior)
  private final float[] offsets; // <plane, center> per plane
  private final int[] planeRows; // 0 .. tables * bits + SKETCH_BITS - 1
  private float[] data;
  private boolean ownsData;
  private float[] norms;
  private long[] sketches;
  private int rows;
  private final BitSet removed = new BitSet();
  private final int[][] bucketStart; // [table][code], length 2^bits + 1
  private final int[][] bucketRows; // [table][position]: built rows grouped by code
  private final List<Map<Integer, List<Integer>>> added; // per table: code -> rows added after build
  private final ThreadLocal<long[]> seenBits = new ThreadLocal<>();

  /**
   * Builds an index over every row of {@code vectors} (row i gets id i), with hyperplanes through the
   * mean of the unit-normalised rows ({@link #meanDirection}).
   */
  public LshIndex(VectorMatrix vectors, Params params) {
    this(vectors, params, null, meanDirection(vectors));
  }

  /**
   * Builds an index with hyperplanes through the origin (Charikar's scheme as such): the seed study's
   * hashing, kept for comparison.
   */
  public static LshIndex throughOrigin(VectorMatrix vectors, Params params) {
    return new LshIndex(vectors, params, null, new float[vectors.dim()]);
  }

  /**
   * Builds an index from stored codes ({@code codes[table][row]}, as {@link #rowCodes(int)} returned
   * them), skipping the table projections (null computes them), with hyperplanes through
   * {@code center} (as {@link #center()} returned it; all zeros: through the origin).
   *
   * @throws IllegalArgumentException when the codes do not match the parameters or the rows, or the
   *     center the dimension
   */
  public LshIndex(VectorMatrix vectors, Params params, int[][] codes, float[] center) {
    this.params = params;
    this.dim = vectors.dim();
    if (center.length != dim) {
      throw new IllegalArgumentException("center dimension " + center.length + " does not match the vectors' " + dim);
    }
    this.rows = vectors.rows();
    this.data = vectors.data(); // shared until the first add (copy on write): no second copy of the vectors
    int tables = params.tables();
    int bits = params.bits();
    if (codes != null && (codes.length != tables || Arrays.stream(codes).anyMatch(c -> c.length != rows))) {
      throw new IllegalArgumentException("stored codes do not fit " + tables + " tables x " + rows + " rows");
    }
    planes = hyperplanes(params, dim);
    planeRows = new int[tables * bits + SKETCH_BITS];
    Arrays.setAll(planeRows, i -> i);
    this.center = center.clone();
    offsets = new float[planeRows.length];
    Kernels.best().dotsOfRows(this.center, planes, dim, planeRows, offsets);
    norms = new float[Math.max(rows, 1)];
    sketches = new long[Math.max(rows, 1)];
    int[][] rowCodes = codes != null ? codes : new int[tables][rows];
    float[] row = new float[dim];
    float[] proj = new float[planeRows.length];
    int[] sketchRows = sketchRows();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * dim, row, 0, dim);
      norms[r] = vectors.norm(r);
      if (codes == null) {
        Kernels.best().dotsOfRows(row, planes, dim, planeRows, proj);
        centre(proj, 0, norms[r]);
        for (int t = 0; t < tables; t++) {
          rowCodes[t][r] = signs(proj, t * bits, bits);
        }
      } else {
        Kernels.best().dotsOfRows(row, planes, dim, sketchRows, proj);
        System.arraycopy(proj, 0, proj, tables * bits, SKETCH_BITS);
        centre(proj, tables * bits, norms[r]);
      }
      sketches[r] = sketch(proj); // stored codes are range-checked below; the store checks them against the seed
    }
    bucketStart = new int[tables][];
    bucketRows = new int[tables][];
    added = new ArrayList<>();
    for (int t = 0; t < tables; t++) {
      int[] start = new int[(1 << bits) + 1];
      for (int r = 0; r < rows; r++) {
        int c = rowCodes[t][r];
        if (c < 0 || c >= 1 << bits) {
          throw new IllegalArgumentException("code " + c + " of row " + r + " in table " + t + " has more than " + bits + " bits");
        }
        start[c + 1]++;
      }
      for (int c = 0; c < 1 << bits; c++) {
        start[c + 1] += start[c];
      }
      int[] fill = Arrays.copyOf(start, 1 << bits);
      int[] ids = new int[rows];
      for (int r = 0; r < rows; r++) {
        ids[fill[rowCodes[t][r]]++] = r;
      }
      bucketStart[t] = start;
      bucketRows[t] = ids;
      added.add(new HashMap<>());
    }
  }

  private int[] sketchRows() {
    int from = params.tables() * params.bits();
    int[] out = new int[SKETCH_BITS];
    Arrays.setAll(out, i -> from + i);
    return out;
  }

  /** The Gaussian hyperplanes for {@code params} (tables × bits, then the sketch's): deterministic in the seed. */
  static float[] hyperplanes(Params params, int dim) {
    SplittableRandom rnd = new SplittableRandom(params.seed());
    float[] p = new float[(params.tables() * params.bits() + SKETCH_BITS) * dim];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rnd.nextGaussian();
    }
    return p;
  }

  /** Bit b set when {@code proj[from + b] > 0}, for b &lt; {@code bits} (at most 64). */
  private static long signBits(float[] proj, int from, int bits) {
    long code = 0;
    for (int b = 0; b < bits; b++) {
      if (proj[from + b] > 0) {
        code |= 1L << b;
      }
    }
    return code;
  }

  /** The code of table {@code t}'s bits. */
  private static int signs(float[] proj, int from, int bits) {
    return (int) signBits(proj, from, bits);
  }

  /** The 64-bit sketch: the signs of the projections after the tables'. */
  private long sketch(float[] proj) {
    return signBits(proj, params.tables() * params.bits(), SKETCH_BITS);
  }

  public Params params() {
    return params;
  }

  /** The code of every built row in table {@code t} (row order), for persisting. */
  public int[] rowCodes(int t) {
    int[] out = new int[bucketRows[t].length];
    int[] start = bucketStart[t];
    for (int c = 0; c + 1 < start.length; c++) {
      for (int i = start[c]; i < start[c + 1]; i++) {
        out[bucketRows[t][i]] = c;
      }
    }
    return out;
  }

  /** The code of row {@code r}'s vector in table {@code t}, computed from the hyperplanes. */
  public int computeCode(int t, int r) {
    float[] proj = project(Arrays.copyOfRange(data, r * dim, (r + 1) * dim));
    return signs(proj, t * params.bits(), params.bits());
  }

  /**
   * Signed distances of {@code v / |v|} from every hyperplane (tables × bits, then the sketch's), each
   * plane through {@link #center()}, times the plane normal's length.
   */
  private float[] project(float[] v) {
    return project(v, norm(v));
  }

  /** {@link #project(float[])} for a vector whose norm is known. */
  private float[] project(float[] v, float norm) {
    float[] proj = new float[planeRows.length];
    Kernels.best().dotsOfRows(v, planes, dim, planeRows, proj);
    centre(proj, 0, norm);
    return proj;
  }

  /** {@code proj[i] = proj[i] / norm − offsets[i]} from {@code from} on (a zero vector sits at the origin). */
  private void centre(float[] proj, int from, float norm) {
    float inv = norm > 0 ? 1f / norm : 0f;
    for (int i = from; i < proj.length; i++) {
      proj[i] = proj[i] * inv - offsets[i];
    }
  }

  private static float norm(float[] v) {
    double ss = 0;
    for (float x : v) {
      ss += (double) x * x;
    }
    return (float) Math.sqrt(ss);
  }

  /**
   * The mean of the unit-normalised rows (zero rows left out; all zeros when there are none). Rhythm
   * vectors are non-negative and fill a narrow cone, so hyperplanes through the origin cut few of
   * them apart: most bits come out the same for every vector and buckets are crowded. Planes through
   * this point split the data near evenly, like mean-centring before hashing.
   */
  public static float[] meanDirection(VectorMatrix vectors) {
    int dim = vectors.dim();
    double[] sum = new double[dim];
    int counted = 0;
    for (int r = 0; r < vectors.rows(); r++) {
      float n = vectors.norm(r);
      if (n > 0) {
        float[] row = vectors.row(r);
        for (int j = 0; j < dim; j++) {
          sum[j] += row[j] / n;
        }
        counted++;
      }
    }
    float[] mean = new float[dim];
    for (int j = 0; j < dim && counted > 0; j++) {
      mean[j] = (float) (sum[j] / counted);
    }
    return mean;
  }

  /** The point every hyperplane passes through (a copy; persisted with the codes). */
  public float[] center() {
    return center.clone();
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

  /**
   * Bytes this index holds per vector besides the vectors themselves ({@code 4·d}, shared with the
   * caller's matrix): the norm (4), the sketch (8), a row id per table (4·L) and the bucket
   * directories ({@code 4·(2^K + 1)·L / n}).
   */
  public double bytesPerVector() {
    return bytesPerVector(params, Math.max(rows, 1));
  }

  /** {@link #bytesPerVector()} for {@code n} vectors built with {@code p}. */
  public static double bytesPerVector(Params p, int n) {
    return 4 + 8 + 4.0 * p.tables() + 4.0 * ((1L << p.bits()) + 1) * p.tables() / Math.max(n, 1);
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
      sketches = Arrays.copyOf(sketches, norms.length);
    }
    int r = rows;
    System.arraycopy(v, 0, data, r * dim, dim); // data is a private copy here: see the growth above
    norms[r] = norm(v);
    float[] proj = project(v);
    sketches[r] = sketch(proj);
    rows++;
    for (int t = 0; t < params.tables(); t++) {
      added.get(t).computeIfAbsent(signs(proj, t * params.bits(), params.bits()), c -> new ArrayList<>()).add(r);
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

  /** {@link #search(float[], int, Metric, int, int)} with the index's probe and re-rank budgets. */
  public Result search(float[] query, int k, Metric metric) {
    return search(query, k, metric, params.probes(), params.rerank());
  }

  /** {@link #search(float[], int, Metric, int, int)} with the index's re-rank budget. */
  public Result search(float[] query, int k, Metric metric, int probes) {
    return search(query, k, metric, probes, params.rerank());
  }

  /**
   * The {@code k} most similar live vectors among the candidates found by probing at least
   * {@code probes} buckets (more while fewer than {@code k} candidates are found); when more than
   * {@code rerank > 0} are found, the {@code max(rerank, k)} nearest in query-weighted Hamming
   * distance of their sketches are re-ranked exactly, otherwise all of them.
   */
  public Result search(float[] query, int k, Metric metric, int probes, int rerank) {
    checkDim(query);
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    if (rerank < 0) {
      throw new IllegalArgumentException("rerank must be >= 0; rerank=" + rerank);
    }
    int tables = params.tables();
    int bits = params.bits();
    float qNorm = norm(query);
    float[] proj = project(query, qNorm);
    int[] home = new int[tables];
    int[][] order = new int[tables][];
    double[][] cost = new double[tables][bits];
    for (int t = 0; t < tables; t++) {
      home[t] = signs(proj, t * bits, bits);
      order[t] = sortByAbs(proj, t * bits, bits);
      for (int i = 0; i < bits; i++) {
        double z = proj[t * bits + order[t][i]];
        cost[t][i] = z * z;
      }
    }
    // perturbation sets over sorted bit positions, best first across tables
    PriorityQueue<Probe> heap = new PriorityQueue<>();
    for (int t = 0; t < tables; t++) {
      heap.add(new Probe(0, t, 0L, -1));
    }
    long[] seen = seenBits(rows);
    IntList candidates = new IntList();
    int probed = 0;
    int live = liveSize();
    try {
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
    } finally {
      for (int i = 0; i < candidates.size(); i++) {
        int r = candidates.get(i);
        seen[r >>> 6] = 0L; // clears the word: every set bit belongs to a candidate
      }
    }
    int found = candidates.size();
    int[] ids = rerank > 0 && found > Math.max(rerank, k)
        ? sketchNearest(candidates, query, proj, qNorm, Math.max(rerank, k))
        : candidates.toArray();
    // exact re-ranking
    float[] scores = new float[ids.length];
    if (metric == Metric.COSINE) {
      Kernels.best().dotsOfRows(query, data, dim, ids, scores);
      for (int c = 0; c < scores.length; c++) {
        float denom = qNorm * norms[ids[c]];
        scores[c] = denom > 0 ? scores[c] / denom : 0f;
      }
    } else {
      for (int c = 0; c < scores.length; c++) {
        scores[c] = distanceScore(query, ids[c], metric);
      }
    }
    List<Neighbor> top = ExactIndex.topK(scores, k, null);
    List<Neighbor> out = new ArrayList<>(top.size());
    for (Neighbor n : top) {
      out.add(new Neighbor(ids[n.id()], n.score()));
    }
    out.sort(null);
    return new Result(out, found, probed, ids.length);
  }

  /**
   * The {@code count} candidates whose sketches are nearest to the query's in the query-weighted
   * Hamming distance (ties in candidate order). A differing bit counts by how far the query lies from
   * that hyperplane: for a vector at angle θ to the (centred) query, the bit's sign differs with
   * probability Φ(−|z|·cot θ), z the query's projection over the centred query's length, so a
   * differing bit costs its log-likelihood ratio {@code log(1 − Φ(−a|z|)) − log Φ(−a|z|)} with
   * {@code a = }{@value #SKETCH_COT}: nearly 0 for a bit the query almost lies on, growing like
   * (a·z)²/2. Plain Hamming distance weighs both alike. (The ranking hardly depends on a: on the
   * 1 M-vector benchmark, recall at fixed budgets moved by at most 0.002 for a = 1.5, 3 and 6.)
   * Costs are quantised to {@value #SKETCH_LEVELS} levels and summed by byte look-up tables; the
   * nearest are then found by a counting pass.
   */
  private int[] sketchNearest(IntList candidates, float[] query, float[] proj, float qNorm, int count) {
    int from = params.tables() * params.bits();
    double[] cost = new double[SKETCH_BITS];
    double total = 0;
    double spread = centredNorm(query, qNorm); // proj ~ N(0, spread²) over random planes
    for (int b = 0; b < SKETCH_BITS; b++) {
      double z = spread > 0 ? Math.abs(proj[from + b]) / spread : 0;
      cost[b] = flipCost(SKETCH_COT * z);
      total += cost[b];
    }
    double scale = total > 0 ? (SKETCH_LEVELS - 1) / total : 0;
    int[] level = new int[SKETCH_BITS];
    for (int bit = 0; bit < SKETCH_BITS; bit++) {
      level[bit] = (int) Math.round(cost[bit] * scale);
    }
    int[] lut = new int[8 * 256]; // [byte position][byte value]: the summed cost of its set bits
    for (int p = 0; p < 8; p++) {
      for (int v = 1; v < 256; v++) {
        lut[p * 256 + v] = lut[p * 256 + (v & (v - 1))] + level[p * 8 + Integer.numberOfTrailingZeros(v)];
      }
    }
    long q = sketch(proj);
    int n = candidates.size();
    short[] dist = new short[n];
    int[] histogram = new int[SKETCH_LEVELS + SKETCH_BITS]; // rounding adds at most 0.5 per bit
    for (int i = 0; i < n; i++) {
      long x = sketches[candidates.get(i)] ^ q;
      int d = lut[(int) (x & 0xFF)] + lut[256 + (int) (x >>> 8 & 0xFF)]
          + lut[512 + (int) (x >>> 16 & 0xFF)] + lut[768 + (int) (x >>> 24 & 0xFF)]
          + lut[1024 + (int) (x >>> 32 & 0xFF)] + lut[1280 + (int) (x >>> 40 & 0xFF)]
          + lut[1536 + (int) (x >>> 48 & 0xFF)] + lut[1792 + (int) (x >>> 56)];
      dist[i] = (short) d;
      histogram[d]++;
    }
    int threshold = 0;
    int below = 0; // candidates with distance < threshold
    while (below + histogram[threshold] < count) {
      below += histogram[threshold];
      threshold++;
    }
    int[] out = new int[count];
    int m = 0;
    int atThreshold = count - below;
    for (int i = 0; i < n && m < count; i++) {
      if (dist[i] < threshold) {
        out[m++] = candidates.get(i);
      } else if (dist[i] == threshold && atThreshold > 0) {
        out[m++] = candidates.get(i);
        atThreshold--;
      }
    }
    return out;
  }

  /** {@code |q / |q| − center|}: the length of the centred query. */
  private double centredNorm(float[] q, float qNorm) {
    if (qNorm <= 0) {
      return norm(center);
    }
    double ss = 0;
    for (int j = 0; j < dim; j++) {
      double x = q[j] / qNorm - center[j];
      ss += x * x;
    }
    return Math.sqrt(ss);
  }

  /** {@code log((1 − Φ(−x)) / Φ(−x))} for {@code x >= 0}: the evidence against nearness of a differing bit. */
  static double flipCost(double x) {
    double tail = 0.5 * erfc(x / Math.sqrt(2));
    return tail > 1e-300 ? Math.log((1 - tail) / tail) : x * x / 2 + Math.log(x * Math.sqrt(2 * Math.PI));
  }

  /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /** This thread's all-zero scratch bitset over the rows (cleared after every search). */
  private long[] seenBits(int n) {
    long[] s = seenBits.get();
    int words = (n + 63) >>> 6;
    if (s == null || s.length < words) {
      s = new long[Math.max(words, 1)];
      seenBits.set(s);
    }
    return s;
  }

  /** The live rows in {@code query}'s own bucket of table 0 (no probing): the seed study's LSH answer. */
  public List<Integer> bucket(float[] query) {
    checkDim(query);
    IntList out = new IntList();
    long[] seen = new long[(rows + 63) >>> 6];
    collect(0, signs(project(query), 0, params.bits()), seen, out);
    List<Integer> list = new ArrayList<>(out.size());
    for (int r : out.toArray()) {
      list.add(r);
    }
    return list;
  }

  /** A growable list of ints without boxing (candidate row ids). */
  private static final class IntList {
    private int[] a = new int[256];
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

  private void collect(int t, int code, long[] seen, IntList candidates) {
    int[] start = bucketStart[t];
    int[] ids = bucketRows[t];
    for (int i = start[code], end = start[code + 1]; i < end; i++) {
      take(ids[i], seen, candidates);
    }
    if (!added.get(t).isEmpty()) {
      List<Integer> extra = added.get(t).get(code);
      if (extra != null) {
        for (int r : extra) {
          take(r, seen, candidates);
        }
      }
    }
  }

  private void take(int r, long[] seen, IntList candidates) {
    long bit = 1L << r; // the shift uses r's low 6 bits: r's bit within its word
    if ((seen[r >>> 6] & bit) == 0 && !removed.get(r)) {
      seen[r >>> 6] |= bit;
      candidates.add(r);
    }
  }

  /** The Euclidean or L1 score of row {@code r} (cosine goes through the batched kernel in {@link #search}). */
  private float distanceScore(float[] q, int r, Metric metric) {
    int o = r * dim;
    switch (metric) {
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

  /** Positions 0..bits-1 of {@code p[from ..]} ordered by increasing |value| (ties by position). */
  private static int[] sortByAbs(float[] p, int from, int bits) {
    long[] keyed = new long[bits];
    for (int i = 0; i < bits; i++) {
      // |value| as non-negative float bits sort like the floats themselves
      keyed[i] = ((long) Float.floatToIntBits(Math.abs(p[from + i])) << 32) | i;
    }
    Arrays.sort(keyed);
    int[] out = new int[bits];
    for (int i = 0; i < bits; i++) {
      out[i] = (int) keyed[i];
    }
    return out;
  }

  private void checkDim(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector dimension " + v.length + " does not match the index dimension " + dim);
    }
  }
}
