package org.rhythmsearch.search;

import java.util.Arrays;
import java.util.List;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;

/**
 * The score that ranks, defined once: how similar a query excerpt is to an indexed excerpt. Exact
 * search ({@link #all}), the re-scoring of an approximate index's candidates ({@link #ofRows}), one pair
 * as an explanation shows it ({@link #pair}), the evaluation and the Spark graph all compute it here, so
 * every path gives the same number for the same pair.
 *
 * <p>The score is the {@link Metric}'s plain score, except where tempo alignment applies ({@link
 * #aligns()}: alignment on, cosine, lag-indexed features, both tempi known, their octave-folded ratio a
 * non-zero number of {@link TempoAlignment#STEP} steps within the tolerance): then it is
 * {@code max(cos(q, r), cos(q_f, r) − margin)}, q<sub>f</sub> the query with its lag axis rescaled by
 * f = 1 + k · step ({@link PostProcessing#tempoScaled}), as if played at the indexed excerpt's tempo
 * ({@link TempoAlignment}).
 *
 * <p>Immutable; thread-safe.
 *
 * @param config the feature configuration of both vectors (its lag layout rescales the query)
 * @param metric how two vectors compare
 * @param alignment tempo alignment ({@link TempoAlignment#OFF} for the plain metric)
 * @param vectors how the index holds its vectors: {@link #pair} holds both of its vectors so first, as an
 *     index holds its rows and {@link QueryService} a query file's excerpts (the other methods take vectors
 *     already held)
 */
public record Similarity(FeatureConfig config, Metric metric, TempoAlignment alignment, VectorEncoding vectors)
    implements java.io.Serializable {

  public Similarity {
    if (config == null || metric == null || alignment == null || vectors == null) {
      throw new IllegalArgumentException("config, metric, alignment and vectors must not be null");
    }
  }

  /** The score of vectors as computed (float32; {@link #pair} holds nothing). */
  public Similarity(FeatureConfig config, Metric metric, TempoAlignment alignment) {
    this(config, metric, alignment, VectorEncoding.FLOAT32);
  }

  /** This score for vectors held as {@code encoding}. */
  public Similarity withVectors(VectorEncoding encoding) {
    return new Similarity(config, metric, alignment, encoding);
  }

  /**
   * One pair's score and how it was reached.
   *
   * @param score the score that ranks
   * @param plain the plain score (the metric, no rescaling)
   * @param factor the query's rescaling factor tried against this excerpt (1 when none applies)
   * @param aligned whether the aligned score won ({@code score = cos(q_f, r) − margin > plain})
   */
  public record PairScore(double score, double plain, double factor, boolean aligned) {}

  /** Whether alignment can apply at all (alignment on, cosine, a lag-indexed feature). */
  public boolean aligns() {
    return alignment.enabled() && metric == Metric.COSINE && config.lagIndexed();
  }

  /** The steps of the tolerance: factors 1 + k · {@link TempoAlignment#STEP} for 1 ≤ |k| ≤ steps. */
  public int steps() {
    return (int) Math.floor(alignment.tolerance() / TempoAlignment.STEP + 1e-9);
  }

  /**
   * The step k (factor 1 + k · {@link TempoAlignment#STEP}) by which a query excerpt of tempo {@code
   * queryTempo} is rescaled to meet an excerpt of tempo {@code rowTempo}, BPM; 0 when none applies.
   */
  public int step(double queryTempo, double rowTempo) {
    return aligns() ? TempoAlignment.step(queryTempo, rowTempo, steps()) : 0;
  }

  /** The query rescaled by step {@code k}. */
  float[] scaled(float[] q, int k) {
    return PostProcessing.tempoScaled(config, q, 1 + k * TempoAlignment.STEP);
  }

  /**
   * Scores of query excerpt {@code q} (tempo {@code queryTempo}, BPM, NaN when unknown) against every
   * row of {@code index} (tempi {@code rowTempo}, NaN when unknown): exact search. The query is rescaled
   * once per step that occurs, and each row is read once for both of its products ({@link
   * ExactIndex#pairedCosines}).
   */
  public float[] all(ExactIndex index, float[] q, double queryTempo, float[] rowTempo) {
    float[][] both = paired(index, q, queryTempo, rowTempo);
    float[] s = both[0];
    float[] aligned = both[1];
    if (aligned != null) {
      float m = (float) alignment.margin();
      for (int r = 0; r < s.length; r++) {
        if (!Float.isNaN(aligned[r])) {
          s[r] = Math.max(s[r], aligned[r] - m);
        }
      }
    }
    return s;
  }

  /** The plain scores of every row and, where a step applies, the aligned cosines (NaN elsewhere; null when none). */
  private float[][] paired(ExactIndex index, float[] q, double queryTempo, float[] rowTempo) {
    if (!aligns() || !(queryTempo > 0)) {
      return new float[][] {index.scores(q, metric), null};
    }
    int steps = steps();
    int n = rowTempo.length;
    int[] which = new int[n];
    Scaled scaled = Scaled.of(q, this);
    for (int r = 0; r < n; r++) {
      int k = TempoAlignment.step(queryTempo, rowTempo[r], steps);
      which[r] = k == 0 ? -1 : scaled.slot(k);
    }
    float[] plain = new float[n];
    float[] aligned = new float[n];
    index.pairedCosines(q, scaled.vectors, scaled.norms, which, plain, aligned);
    return new float[][] {plain, aligned};
  }

  /**
   * The query rescaled at each step asked for, computed once per step (a query meets up to 2 · steps + 1
   * tempi). {@link #of} reuses buffers of this thread's (allocating each anew cost more than scoring a
   * small index), valid until its next call; {@link #own} has buffers of its own.
   */
  private static final class Scaled {
    private static final ThreadLocal<Scaled> MINE = ThreadLocal.withInitial(Scaled::new);
    float[][] vectors = new float[0][];
    float[] norms = new float[0];
    private boolean[] made = new boolean[0];
    private float[] q;
    private Similarity similarity;
    private int steps;

    static Scaled of(float[] q, Similarity similarity) {
      return MINE.get().reset(q, similarity);
    }

    static Scaled own(float[] q, Similarity similarity) {
      return new Scaled().reset(q, similarity);
    }

    private Scaled reset(float[] q, Similarity similarity) {
      int slots = 2 * similarity.steps() + 1;
      if (vectors.length < slots) {
        vectors = new float[slots][];
        norms = new float[slots];
        made = new boolean[slots];
      }
      Arrays.fill(made, false);
      if (this.q != null && this.q.length != q.length) {
        Arrays.fill(vectors, null); // another dimension (another feature): the old buffers must not be offered
      }
      this.q = q;
      this.similarity = similarity;
      this.steps = similarity.steps();
      return this;
    }

    /** The slot of step {@code k} (≠ 0), rescaling the query into it the first time. */
    int slot(int k) {
      int i = k + steps;
      if (!made[i]) {
        if (vectors[i] == null || vectors[i].length != q.length) {
          vectors[i] = new float[q.length];
        }
        norms[i] = PostProcessing.tempoScaledUnnormalised(similarity.config(), q, 1 + k * TempoAlignment.STEP, vectors[i]);
        made[i] = true;
      }
      return i;
    }
  }

  /**
   * The scores {@link #all} gives rows {@code rows} ({@code out[i]} for {@code rows[i]}), computed for
   * those rows only: the exact re-scoring of an approximate index's candidates.
   */
  public float[] ofRows(ExactIndex index, float[] q, double queryTempo, float[] rowTempo, int[] rows) {
    return ofRows(index, q, queryTempo, rowTempo, rows, null);
  }

  /** Bytes of rows that {@link #ofRows(ExactIndex, List, double[], float[], int[])} scores together. */
  static final int BLOCK_BYTES = 512 * 1024;

  /**
   * The scores {@link #ofRows(ExactIndex, float[], double, float[], int[])} gives rows {@code rows} for
   * each of several query excerpts ({@code out[e][i]} for {@code queries.get(e)}, tempo {@code
   * queryTempi[e]}, and {@code rows[i]}): the exact re-scoring of a query track's candidate tracks. The
   * rows are taken in blocks of about {@value #BLOCK_BYTES} bytes, which stay in the core's cache while
   * every query excerpt scores them, so each row comes from memory once rather than once per excerpt;
   * each excerpt is rescaled once per step.
   */
  public float[][] ofRows(ExactIndex index, List<float[]> queries, double[] queryTempi, float[] rowTempo, int[] rows) {
    int nq = queries.size();
    if (queryTempi.length != nq) {
      throw new IllegalArgumentException(nq + " queries but " + queryTempi.length + " tempi");
    }
    float[][] out = new float[nq][rows.length];
    Scaled[] scaled = new Scaled[nq];
    for (int e = 0; e < nq; e++) {
      scaled[e] = Scaled.own(queries.get(e), this);
    }
    int block = Math.max(8, BLOCK_BYTES / Math.max(1, index.vectors().bytesPerRow()));
    for (int from = 0; from < rows.length; from += block) {
      int[] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + block));
      for (int e = 0; e < nq; e++) {
        float[] s = ofRows(index, queries.get(e), queryTempi[e], rowTempo, part, scaled[e]);
        System.arraycopy(s, 0, out[e], from, s.length);
      }
    }
    return out;
  }

  /** {@link #ofRows(ExactIndex, float[], double, float[], int[])} with the query's rescalings in {@code scaled} (null: this thread's). */
  private float[] ofRows(ExactIndex index, float[] q, double queryTempo, float[] rowTempo, int[] rows, Scaled own) {
    float[] s = index.scoresOfRows(q, rows, metric);
    if (!aligns() || !(queryTempo > 0) || rows.length == 0) {
      return s;
    }
    int steps = steps();
    int[] stepOf = new int[rows.length];
    int[] count = new int[2 * steps + 1];
    for (int i = 0; i < rows.length; i++) {
      stepOf[i] = TempoAlignment.step(queryTempo, rowTempo[rows[i]], steps);
      count[stepOf[i] + steps]++;
    }
    float m = (float) alignment.margin();
    Scaled scaled = own != null ? own : Scaled.of(q, this);
    for (int k = -steps; k <= steps; k++) {
      int c = count[k + steps];
      if (k == 0 || c == 0) {
        continue;
      }
      int[] ofStep = new int[c];
      int[] at = new int[c];
      for (int i = 0, j = 0; i < rows.length; i++) {
        if (stepOf[i] == k) {
          ofStep[j] = rows[i];
          at[j++] = i;
        }
      }
      float[] aligned = new float[c];
      int slot = scaled.slot(k);
      index.cosinesOfRows(scaled.vectors[slot], scaled.norms[slot], ofStep, aligned);
      for (int j = 0; j < c; j++) {
        s[at[j]] = Math.max(s[at[j]], aligned[j] - m);
      }
    }
    return s;
  }

  /**
   * The score of one pair, as {@link #all} scores it: query excerpt {@code given} (tempo {@code queryTempo})
   * and excerpt {@code indexed} (tempo {@code rowTempo}, BPM; NaN when unknown), both as computed: they are
   * held as {@link #vectors} says first (an excerpt's stored vector is held already; holding it again
   * changes it by less than 1e-6).
   */
  public PairScore pair(float[] given, double queryTempo, float[] indexed, double rowTempo) {
    if (indexed.length != given.length) {
      throw new IllegalArgumentException("vector lengths differ: " + given.length + " and " + indexed.length);
    }
    float[] q = vectors.held(given);
    float[] r = vectors.held(indexed);
    ExactIndex one = new ExactIndex(new VectorMatrix(Arrays.copyOf(r, r.length), r.length));
    float[][] both = paired(one, q, queryTempo, new float[] {(float) rowTempo});
    double plain = both[0][0];
    if (both[1] == null || Float.isNaN(both[1][0])) {
      return new PairScore(plain, plain, 1, false);
    }
    double aligned = Math.max(both[0][0], both[1][0] - (float) alignment.margin());
    int k = TempoAlignment.step(queryTempo, (float) rowTempo, steps());
    return new PairScore(aligned, plain, 1 + k * TempoAlignment.STEP, aligned > plain);
  }
}
