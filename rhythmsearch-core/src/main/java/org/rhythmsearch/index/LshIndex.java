package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Random-hyperplane locality-sensitive hashing for cosine similarity (Charikar, STOC 2002) with
 * {@code L} tables of {@code K}-bit codes and query-directed multi-probe (Lv, Josephson, Wang, Charikar
 * &amp; Li, "Multi-Probe LSH", VLDB 2007), a query-weighted Hamming pre-filter on 64-bit sketches, and
 * exact re-ranking.
 *
 * <p>Bit {@code i} of table {@code t} is the sign of the projection of a vector on a Gaussian
 * hyperplane drawn from a {@link java.util.SplittableRandom} seeded with {@link Params#seed()} (never the
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
 * <p>The parts, each in its own package-private class: {@link Hyperplanes} (projections, codes and
 * sketches), {@link BucketTables} (the bucket directories), {@link ProbeSequence} (the multi-probe
 * order) and {@link SketchFilter} (the Hamming pre-filter); exact re-ranking goes through the search
 * kernels.
 *
 * <p>Thread-safety: searches may run concurrently with each other; {@link #add} and {@link #remove}
 * must not run concurrently with anything (guard them externally).
 */
public final class LshIndex implements ApproximateIndex {

  /** Largest K: a table's bucket directory holds {@code 2^K + 1} ints. */
  public static final int MAX_BITS = 24;

  /** Bits of the per-vector sketch used by the Hamming pre-filter. */
  public static final int SKETCH_BITS = 64;

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
  private final Hyperplanes planes;
  private final BucketTables tables;
  private VectorMatrix vectors;
  private long[] sketches;
  private int rows;
  private final BitSet removed = new BitSet();
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
    this.vectors = vectors; // shared: no second copy of the vectors ({@link VectorMatrix#withRow} on add)
    int tableCount = params.tables();
    if (codes != null && (codes.length != tableCount || Arrays.stream(codes).anyMatch(c -> c.length != rows))) {
      throw new IllegalArgumentException("stored codes do not fit " + tableCount + " tables x " + rows + " rows");
    }
    planes = new Hyperplanes(params, dim, center);
    sketches = new long[Math.max(rows, 1)];
    int[][] rowCodes = codes != null ? codes : new int[tableCount][rows];
    float[] row = new float[dim];
    float[] proj = new float[planes.count()];
    for (int r = 0; r < rows; r++) {
      vectors.rowInto(r, row, 0);
      if (codes == null) {
        proj = planes.project(row, vectors.norm(r));
        for (int t = 0; t < tableCount; t++) {
          rowCodes[t][r] = planes.code(proj, t);
        }
      } else {
        planes.projectSketch(row, vectors.norm(r), proj);
      }
      sketches[r] = planes.sketch(proj); // stored codes are range-checked by the tables; the store checks them against the seed
    }
    tables = new BucketTables(rowCodes, rows, params.bits());
  }

  public Params params() {
    return params;
  }

  /** The code of every built row in table {@code t} (row order), for persisting. */
  public int[] rowCodes(int t) {
    return tables.rowCodes(t);
  }

  /** The code of row {@code r}'s vector in table {@code t}, computed from the hyperplanes. */
  public int computeCode(int t, int r) {
    float[] v = vectors.row(r);
    return planes.code(planes.project(v, VectorMatrix.norm(v)), t);
  }

  /**
   * The mean of the unit-normalised rows (zero rows left out; all zeros when there are none). Rhythm
   * vectors are non-negative and fill a narrow cone, so hyperplanes through the origin cut few of
   * them apart: most bits come out the same for every vector and buckets are crowded. Planes through
   * this point split the data near evenly, like mean-centring before hashing.
   */
  public static float[] meanDirection(VectorMatrix vectors) {
    return Hyperplanes.meanDirection(vectors);
  }


  /** The point every hyperplane passes through (a copy; persisted with the codes). */
  public float[] center() {
    return planes.center();
  }

  public int dim() {
    return dim;
  }

  /** Rows ever added (including removed ones). */
  @Override
  public int size() {
    return rows;
  }

  /** Rows currently searchable. */
  @Override
  public int liveSize() {
    return rows - removed.cardinality();
  }

  @Override
  public Kind kind() {
    return Kind.LSH;
  }

  @Override
  public List<Neighbor> nearest(float[] query, int k, Metric metric) {
    return search(query, k, metric).neighbors();
  }

  @Override
  public String describe() {
    return "lsh bits=" + params.bits() + " tables=" + params.tables() + " probes=" + params.probes() + " rerank="
        + params.rerank() + " seed=" + params.seed();
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
    if (rows + 1 > sketches.length) {
      sketches = Arrays.copyOf(sketches, Math.max(sketches.length * 2, rows + 1));
    }
    int r = rows;
    vectors = vectors.withRow(v);
    float[] proj = planes.project(v, vectors.norm(r));
    sketches[r] = planes.sketch(proj);
    rows++;
    for (int t = 0; t < params.tables(); t++) {
      tables.add(t, planes.code(proj, t), r);
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
   * distance of their sketches ({@link SketchFilter}) are re-ranked exactly, otherwise all of them.
   */
  public Result search(float[] query, int k, Metric metric, int probes, int rerank) {
    checkDim(query);
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    if (rerank < 0) {
      throw new IllegalArgumentException("rerank must be >= 0; rerank=" + rerank);
    }
    float qNorm = VectorMatrix.norm(query);
    FirstPass pass = firstPass(query, qNorm, probes, rerank > 0 ? Math.max(rerank, k) : Integer.MAX_VALUE,
        Math.min(k, liveSize()), null);
    int[] ids = pass.rows();
    int found = pass.found();
    int probed = pass.probed();
    float[] scores = Rerank.scores(Kernels.best(), query, qNorm, vectors, ids, metric);
    List<Neighbor> top = ExactIndex.topK(scores, k, null);
    List<Neighbor> out = new ArrayList<>(top.size());
    for (Neighbor n : top) {
      out.add(new Neighbor(ids[n.id()], n.score()));
    }
    out.sort(null);
    return new Result(out, found, probed, ids.length);
  }

  @Override
  public int[] candidates(float[] query, int n, RowFilter filter) {
    checkDim(query);
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1; n=" + n);
    }
    return firstPass(query, VectorMatrix.norm(query), params.probes(), n, filter == null ? Math.min(n, liveSize()) : 0,
        filter).rows();
  }

  /** The rows a first pass keeps, with the candidates it found and the buckets it probed. */
  private record FirstPass(int[] rows, int found, int probed) {}

  /**
   * The first pass: the live rows that {@code filter} accepts (all when null) in at least {@code probes}
   * buckets (more while fewer than {@code want} were found); when more than {@code keep}, the {@code
   * keep} nearest in query-weighted Hamming distance of their sketches ({@link SketchFilter}).
   */
  private FirstPass firstPass(float[] query, float qNorm, int probes, int keep, int want, RowFilter filter) {
    float[] proj = planes.project(query, qNorm);
    int[] home = new int[params.tables()];
    for (int t = 0; t < home.length; t++) {
      home[t] = planes.code(proj, t);
    }
    ProbeSequence sequence = new ProbeSequence(proj, home, params.bits());
    long[] seen = seenBits(rows);
    IntList candidates = new IntList();
    int probed = 0;
    try {
      while ((probed < probes || candidates.size() < want) && sequence.advance()) {
        tables.forEachRow(sequence.table(), sequence.code(), r -> {
          if (filter == null || filter.test(r)) {
            take(r, seen, candidates);
          }
        });
        probed++;
      }
    } finally {
      for (int i = 0; i < candidates.size(); i++) {
        int r = candidates.get(i);
        seen[r >>> 6] = 0L; // clears the word: every set bit belongs to a candidate
      }
    }
    int found = candidates.size();
    int[] ids = found > keep
        ? SketchFilter.nearest(candidates, sketches, planes.sketch(proj), proj, planes.sketchFrom(),
            planes.centredNorm(query, qNorm), keep)
        : candidates.toArray();
    return new FirstPass(ids, found, probed);
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
    tables.forEachRow(0, planes.code(planes.project(query, VectorMatrix.norm(query)), 0), r -> take(r, seen, out));
    List<Integer> list = new ArrayList<>(out.size());
    for (int r : out.toArray()) {
      list.add(r);
    }
    return list;
  }

  private void take(int r, long[] seen, IntList candidates) {
    long bit = 1L << r; // the shift uses r's low 6 bits: r's bit within its word
    if ((seen[r >>> 6] & bit) == 0 && !removed.get(r)) {
      seen[r >>> 6] |= bit;
      candidates.add(r);
    }
  }

  private void checkDim(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector dimension " + v.length + " does not match the index dimension " + dim);
    }
  }
}
