package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Approximate cosine search through an inverted file (IVF) with an 8-bit scalar-quantised first pass.
 *
 * <p>Build: spherical k-means ({@link SphericalKMeans}: k-means++ seeding, {@value #ITERATIONS} Lloyd iterations, seeded) on a
 * sample of the unit vectors gives {@code lists} centroids; every vector goes to the list of its
 * nearest centroid. A list keeps its vectors' 8-bit codes ({@link ScalarQuantizer}, trained on the same
 * sample) in one contiguous array, so probing a list is one sequential scan.
 *
 * <p>Search: the query's cosine with every centroid orders the lists; the first {@code probes} lists
 * are scanned with the quantised dot product ({@link Kernels#codeDots}) — more while fewer than
 * {@code k} live vectors were seen, so a non-empty index never gives an empty answer — and the best
 * {@code max(rerank, k)} of them are re-ranked by their exact cosine from the float vectors.
 *
 * <p>Over a compact (int8) {@link VectorMatrix} the lists keep only ids: the first pass reads each
 * member's own codes from the matrix, gathered by id ({@link Kernels#codeDotsOfRows}), and its scores are
 * the exact cosines of the rows as held; no second copy of the vectors.
 *
 * <p>Memory per vector: over float32, 4·d bytes of floats, d bytes of codes, its id in its list and its
 * norm: 5·d + 8 bytes; over int8, d + 16; plus the centroids and ranges shared by all ({@link
 * #bytesPerVector}).
 *
 * <p>Searches may run concurrently; {@link #add} and {@link #remove} must not run concurrently with
 * anything else.
 */
public final class IvfIndex implements ApproximateIndex {

  /** Vectors the default budget scans at least ({@link Params#forSize}): below this, scanning is cheap. */
  public static final int MIN_SCANNED = 1024;

  /**
   * A filtered search ({@link #candidates} with a {@link RowFilter}) stops probing lists once it has
   * scanned this many accepted rows per row it keeps (or its probes are done): the lists nearest a
   * probe are the richest in the rows it wants. Chosen with {@code rhythmsearch bench aligned} at 1 M
   * excerpts (docs/EVALUATION.md): once the query track's best 300 tracks are re-scored ({@code
   * TrackSearch.RESCORED_MIN}), 4, 8, 16 and 64 gave the same track recall (0.96), 4 and 8 in the least
   * time.
   */
  public static final int FILTERED_SCAN_PER_CANDIDATE = 8;

  /**
   * A batch of probes ({@link #candidates(float[][], int[], RowFilter[])}) stops an unfiltered probe once
   * it has scanned this many rows per row it keeps (or its probes are done): the tempo-aligned search's
   * plain probe, which needs fewer lists than a search of its own (its bands find the rest).
   */
  public static final int PLAIN_SCAN_PER_CANDIDATE = 16;

  /** Lloyd iterations of the k-means training. */
  public static final int ITERATIONS = 6;

  /**
   * @param lists number of lists (centroids), {@code >= 1}
   * @param probes lists scanned per query, in {@code [1, lists]}
   * @param rerank best quantised scores re-ranked exactly, {@code >= 1} (at least k are)
   * @param seed seed of the training sample and the k-means seeding
   */
  public record Params(int lists, int probes, int rerank, long seed) {
    public Params {
      if (lists < 1) {
        throw new IllegalArgumentException("lists must be >= 1; lists=" + lists);
      }
      if (probes < 1 || probes > lists) {
        throw new IllegalArgumentException("probes must be in [1, lists=" + lists + "]; probes=" + probes);
      }
      if (rerank < 1) {
        throw new IllegalArgumentException("rerank must be >= 1; rerank=" + rerank);
      }
    }

    /**
     * {@code round(sqrt(n))} lists, a 1/16 of them probed, but enough lists to scan about {@value
     * #MIN_SCANNED} vectors (so a small index is searched whole), 256 re-ranked.
     */
    public static Params forSize(int n, long seed) {
      int lists = (int) Math.max(1, Math.min(65_536, Math.round(Math.sqrt(Math.max(n, 1)))));
      long floor = ((long) lists * MIN_SCANNED + Math.max(n, 1) - 1) / Math.max(n, 1);
      int probes = (int) Math.max(1, Math.min(lists, Math.max((lists + 15) / 16, floor)));
      return new Params(lists, probes, 256, seed);
    }

    /** The same lists with another probe and re-rank budget. */
    public Params withBudget(int newProbes, int newRerank) {
      return new Params(lists, Math.min(lists, newProbes), newRerank, seed);
    }
  }

  /** A search's answer and its work: vectors scanned, lists probed, vectors re-ranked. */
  public record Result(List<Neighbor> neighbors, int scanned, int probes, int reranked) {}

  private final Params params;
  private final int dim;
  private final VectorMatrix centroids;
  /**
   * The centroids held as int8 rows ({@link VectorEncoding#INT8}, a quarter of the bytes), which rank the
   * lists for a probe: at 153 lists of 1 080 values the float centroids (661 KB) did not stay in the core's
   * cache, and reading them was 43 % of a search (JFR, 23 000 real vectors); an int8 row's cosine is
   * within about 0.0005 of the float one, so only lists about that close swap places. The rows' lists
   * ({@link #assignment}) stay decided by the float centroids.
   */
  private final VectorMatrix ranking;
  private final ScalarQuantizer quantizer;
  private final Kernels kernels = Kernels.best();
  private VectorMatrix vectors;
  private int rows;
  private final IvfLists lists;
  private final BitSet removed = new BitSet();
  private int removedCount;

  /** Trains on {@code vectors} (a sample when there are many) and indexes all of them. */
  public IvfIndex(VectorMatrix vectors, Params params) {
    this(vectors, params, null, null);
  }

  /**
   * Indexes {@code vectors} with given centroids and quantiser (as {@link #centroids()} and {@link
   * #quantizer()} returned them), or trains them when null.
   *
   * @throws IllegalArgumentException when they do not fit the parameters or the dimension
   */
  public IvfIndex(VectorMatrix vectors, Params params, VectorMatrix centroids, ScalarQuantizer quantizer) {
    this(vectors, params, centroids, quantizer, null);
  }

  /**
   * As {@link #IvfIndex(VectorMatrix, Params, VectorMatrix, ScalarQuantizer)}, with each row's list
   * given ({@link #assignment()}, as stored) instead of computed: loading a large index then costs
   * no nearest-centroid search.
   *
   * @throws IllegalArgumentException when the assignment has another length or names a list that does
   *     not exist
   */
  public IvfIndex(VectorMatrix vectors, Params params, VectorMatrix centroids, ScalarQuantizer quantizer,
      int[] assignment) {
    this.params = params;
    this.dim = vectors.dim();
    this.rows = vectors.rows();
    this.vectors = vectors;
    if ((centroids == null) != (quantizer == null)) {
      throw new IllegalArgumentException("give both the centroids and the quantiser, or neither");
    }
    if (centroids == null) {
      float[] sample = SphericalKMeans.unitSample(vectors, params);
      int sampleRows = sample.length / dim;
      this.centroids = sampleRows == 0 ? new VectorMatrix(new float[dim], dim) : SphericalKMeans.train(sample, dim, params);
      this.quantizer = sampleRows == 0 ? ScalarQuantizer.train(new float[dim], dim, 1)
          : ScalarQuantizer.train(sample, dim, sampleRows);
    } else {
      if (centroids.dim() != dim || quantizer.dim() != dim || centroids.rows() != params.lists()) {
        throw new IllegalArgumentException("stored centroids (" + centroids.rows() + " x " + centroids.dim()
            + ") or quantiser (" + quantizer.dim() + ") do not fit " + params.lists() + " lists of dimension " + dim);
      }
      this.centroids = centroids;
      this.quantizer = quantizer;
    }
    int lists = this.centroids.rows();
    this.ranking = this.centroids.in(VectorEncoding.INT8);
    if (assignment != null && centroids == null) {
      throw new IllegalArgumentException("an assignment needs its centroids");
    }
    if (assignment != null && assignment.length != rows) {
      throw new IllegalArgumentException("the assignment has " + assignment.length + " rows, the vectors " + rows);
    }
    int[] assigned = assignment != null ? assignment
        : IntStream.range(0, rows).parallel().map(this::nearestList).toArray();
    for (int r = 0; r < rows; r++) {
      if (assigned[r] < 0 || assigned[r] >= lists) {
        throw new IllegalArgumentException("row " + r + " is assigned to list " + assigned[r] + " of " + lists);
      }
    }
    this.lists = new IvfLists(lists, this.quantizer, vectors, assigned);
  }

  /** The parameters. */
  public Params params() {
    return params;
  }

  /** The centroids, one unit row per list. */
  public VectorMatrix centroids() {
    return centroids;
  }

  /** The quantiser of the list codes. */
  public ScalarQuantizer quantizer() {
    return quantizer;
  }

  /** Dimension. */
  public int dim() {
    return dim;
  }

  /** Vectors indexed, removed ones included (ids run from 0 to size − 1). */
  @Override
  public int size() {
    return rows;
  }

  /** Vectors not removed. */
  @Override
  public int liveSize() {
    return rows - removedCount;
  }

  @Override
  public Kind kind() {
    return Kind.IVF;
  }

  @Override
  public List<Neighbor> nearest(float[] query, int k, Metric metric) {
    return search(query, k, params.probes(), params.rerank(), metric).neighbors();
  }

  @Override
  public String describe() {
    return "ivf lists=" + params.lists() + " probes=" + params.probes() + " rerank=" + params.rerank() + " seed="
        + params.seed();
  }

  /** The list of every row, by id (what a store keeps besides the centroids and the quantiser). */
  public int[] assignment() {
    return lists.assignment(rows);
  }

  /**
   * The cosine of row {@code id} with its own list's centroid and with its nearest centroid (a row is
   * in its nearest list unless stored otherwise: what a store's check compares).
   */
  public float[] ownAndNearestCentroidCosine(int id, int list) {
    float[] row = vectors.row(id);
    float[] scores = new float[centroids.rows()];
    int best = nearest(kernels, row, centroids, scores);
    float norm = vectors.norm(id) > 0 ? vectors.norm(id) : 1f;
    return new float[] {scores[list] / norm, scores[best] / norm};
  }

  /** The number of vectors in each list (removed ones included). */
  public int[] listSizes() {
    return lists.sizes();
  }

  /**
   * Memory per indexed vector: the row as the matrix holds it ({@link VectorMatrix#bytesPerRow}), its norm
   * and its id in its list, plus d bytes of codes of its own over a float32 matrix (a compact one's codes
   * are read in place); plus the centroids (4·d per list) and the quantiser's ranges (8·d) shared by all.
   */
  public double bytesPerVector() {
    return vectors.bytesPerRow() + 8.0 + (lists.gathered() ? 0 : dim)
        + (4.0 * dim * centroids.rows() + 8.0 * dim) / Math.max(rows, 1);
  }

  /**
   * Orders each list's members by {@code labels} (one per row, ≥ 0), so that a search filtered by the
   * same labels ({@link RowFilter} with this very array) scans only the accepted labels' members, as
   * contiguous runs of codes, instead of testing every member. Answers do not change. Like {@link
   * #add}, must not run concurrently with anything else; a later {@link #add} undoes it.
   *
   * @throws IllegalArgumentException when there is not one label per row, or one is negative
   */
  @Override
  public void orderByLabel(short[] labels) {
    if (labels.length != rows) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries, the index " + rows + " rows");
    }
    int top = 0;
    for (short x : labels) {
      if (x < 0) {
        throw new IllegalArgumentException("labels must be >= 0; label=" + x);
      }
      top = Math.max(top, x);
    }
    lists.orderByLabel(labels, top);
  }

  /** Adds {@code v} to the list of its nearest centroid; returns its id. */
  public int add(float[] v) {
    checkDim(v);
    vectors = vectors.withRow(v);
    lists.append(nearestList(rows), rows, vectors); // at the end of its list: the label order is undone
    return rows++;
  }

  /** Removes vector {@code id} from future answers; returns whether it was there. */
  public boolean remove(int id) {
    if (id < 0 || id >= rows || removed.get(id)) {
      return false;
    }
    removed.set(id);
    removedCount++;
    return true;
  }

  /** {@link #search(float[], int, int, int)} with the index's budgets. */
  public Result search(float[] query, int k) {
    return search(query, k, params.probes(), params.rerank());
  }

  /**
   * The {@code k} live vectors of highest cosine with {@code query} among those in the {@code probes}
   * lists nearest to it (more lists while fewer than {@code k} live vectors were seen), the best
   * {@code max(rerank, k)} by quantised score re-ranked exactly.
   */
  public Result search(float[] query, int k, int probes, int rerank) {
    return search(query, k, probes, rerank, Metric.COSINE);
  }

  /**
   * As {@link #search(float[], int, int, int)}, the lists and the first pass by cosine, the re-rank
   * exact in {@code metric} (for unit vectors Euclidean distance orders neighbours as cosine does).
   */
  public Result search(float[] query, int k, int probes, int rerank, Metric metric) {
    checkDim(query);
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    if (probes < 1 || rerank < 1) {
      throw new IllegalArgumentException("probes and rerank must be >= 1; probes=" + probes + ", rerank=" + rerank);
    }
    IvfLists.FirstPass pass = firstPass(query, probes, Math.max(rerank, k), Math.min(k, liveSize()), null);
    int[] chosen = pass.rows();
    float[] exact = Rerank.scores(kernels, query, VectorMatrix.norm(query), vectors, chosen, metric);
    List<Neighbor> top = ExactIndex.topK(exact, k, null);
    List<Neighbor> out = new ArrayList<>(top.size());
    for (Neighbor n : top) {
      out.add(new Neighbor(chosen[n.id()], n.score()));
    }
    out.sort(null);
    return new Result(out, pass.scanned(), pass.probed(), chosen.length);
  }

  @Override
  public int[] candidates(float[] query, int n, RowFilter filter) {
    checkDim(query);
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1; n=" + n);
    }
    return firstPass(query, params.probes(), n, filter == null ? Math.min(n, liveSize()) : 0, filter).rows();
  }

  /**
   * The first pass: the {@code probes} lists nearest to {@code query} (more while fewer than {@code
   * want} rows were seen) scanned by quantised dot product, live rows that {@code filter} accepts (all
   * when null); the best {@code keep} of them by that score.
   */
  private IvfLists.FirstPass firstPass(float[] query, int probes, int keep, int want, RowFilter filter) {
    float[] unit = IvfLists.unit(query);
    return firstPass(unit, listOrder(unit, probes), probes, keep, want, filter);
  }

  @Override
  public int[][] candidates(float[][] queries, int[] n, RowFilter[] filters) {
    for (int i = 0; i < queries.length; i++) {
      checkDim(queries[i]);
      if (n[i] < 1) {
        throw new IllegalArgumentException("n must be >= 1; n=" + n[i]);
      }
    }
    int[][] out = new int[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      float[] unit = IvfLists.unit(queries[i]);
      out[i] = firstPass(unit, listOrder(unit, params.probes()), params.probes(), n[i],
          filters[i] == null ? Math.min(n[i], liveSize()) : 0, filters[i], PLAIN_SCAN_PER_CANDIDATE).rows();
    }
    return out;
  }

  /** The first pass of the unit query {@code unit}, its lists ranked in {@code order} ({@link IvfLists#firstPass}). */
  private IvfLists.FirstPass firstPass(float[] unit, ListOrder order, int probes, int keep, int want, RowFilter filter) {
    return firstPass(unit, order, probes, keep, want, filter, Integer.MAX_VALUE);
  }

  private IvfLists.FirstPass firstPass(float[] unit, ListOrder order, int probes, int keep, int want, RowFilter filter,
      int scanPerCandidate) {
    return lists.firstPass(unit, order, probes, keep, want, filter, scanPerCandidate, removed, vectors, kernels);
  }

  /** The lists by decreasing cosine of their centroid with the unit query, the first {@code probes} ready. */
  private ListOrder listOrder(float[] unit, int probes) {
    float[] c = new float[centroids.rows()];
    ranking.dots(kernels, unit, c);
    return new ListOrder(c, probes);
  }

  /** The indexes of {@code c} by decreasing value, equal values by increasing index ({@link ListOrder}). */
  static int[] descending(float[] c) {
    return ListOrder.descending(c);
  }

  private int nearestList(int r) {
    return nearest(kernels, vectors.row(r), centroids, new float[centroids.rows()]);
  }

  /**
   * The row of {@code centres} with the largest dot product with {@code row} (the first of equals); the
   * products stay in {@code scores}.
   */
  static int nearest(Kernels kernels, float[] row, VectorMatrix centres, float[] scores) {
    kernels.dots(row, centres, scores);
    int best = 0;
    for (int l = 1; l < scores.length; l++) {
      if (scores[l] > scores[best]) {
        best = l;
      }
    }
    return best;
  }

  private void checkDim(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector dimension " + v.length + " does not match the index dimension " + dim);
    }
  }
}
