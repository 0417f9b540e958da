package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.util.IntArrays;
import org.rhythmsearch.index.RowFilter;

/**
 * Tempo-robust approximate search: an approximate index (LSH or IVF) proposes candidates, and every
 * candidate is scored exactly by the one {@link Similarity}, tempo alignment included, so a score is
 * the number exact search gives the same pair; only which excerpts are scored is approximate.
 *
 * <p>Where alignment applies, an excerpt of another tempo is scored against the query rescaled to its
 * tempo, so the plain query alone would not find it. Each query excerpt therefore probes the index
 * several times: once plainly over every row (the plain score, and rows without a tempo or at the
 * query's own tempo), and once per group of {@link #GROUP_STEPS} neighbouring tempo steps, with the
 * query rescaled to the group's middle step and restricted to the rows whose tempo lies in that group
 * relative to the query's ({@link RowFilter} over each row's octave-folded log-tempo bin, {@value #BINS}
 * bins per octave, a bin more on each side). A restricted probe scores only its band's codes (IVF) or
 * bucket members (LSH), so the probes together scan little more than one plain probe; what they add
 * is one ranking of the lists (IVF) or one hashing (LSH) each. The union of the candidates is re-scored
 * by {@link Similarity#ofRows}. Vectors and stored indexes are unchanged: the bins are computed from
 * the rows' tempi at load.
 *
 * <p>Immutable; thread-safe.
 */
public final class ApproximateSearch {

  /**
   * Candidates of the plain probe (per query excerpt). With {@link #BAND_CANDIDATES}: at 1 M excerpts
   * ({@code bench aligned}) 128 + 32 per band gave the track recall of 256 + 64 a little faster, but on
   * the 138 songs' stretched copies (5 500 excerpts, where a band probe reads all of its few lists) they
   * missed originals that 256 + 64 found (recall@5 up to 0.04 below exact search's, against 0.01).
   */
  public static final int PLAIN_CANDIDATES = 256;
  /** Candidates of each tempo-band probe. */
  public static final int BAND_CANDIDATES = 64;
  /**
   * Tempo steps ({@link TempoAlignment#STEP}) one band probe covers (chosen at 1 M excerpts, {@code
   * bench aligned}: 1-2 steps gave the same recall at up to twice the time, 5 lost 0.03).
   */
  public static final int GROUP_STEPS = 4;
  /** Tempo bins per octave of the row labels. */
  static final int BINS = 256;
  /** The label of a row whose tempo is unknown (in no band). */
  static final short UNKNOWN = BINS;

  private final ApproximateIndex ann;
  private final ExactIndex exact;
  private final float[] rowTempo;
  private final short[] labels;

  /**
   * @param ann the approximate index over the rows of {@code exact}; laid out for the tempo bands here
   *     ({@link ApproximateIndex#orderByLabel}), so nothing else may use it meanwhile
   * @param rowTempo every row's tempo, BPM (NaN when unknown)
   */
  public ApproximateSearch(ApproximateIndex ann, ExactIndex exact, float[] rowTempo) {
    if (ann.size() != exact.vectors().rows() || rowTempo.length != ann.size()) {
      throw new IllegalArgumentException(ann.kind().id() + " index of " + ann.size() + " rows, vectors "
          + exact.vectors().rows() + ", tempi " + rowTempo.length);
    }
    this.ann = ann;
    this.exact = exact;
    this.rowTempo = rowTempo;
    this.labels = new short[rowTempo.length];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = bin(rowTempo[r]);
    }
    ann.orderByLabel(labels);
  }

  /** The approximate index. */
  public ApproximateIndex index() {
    return ann;
  }

  /** Candidate rows (ascending, each once) and their exact scores. */
  public record Scored(int[] rows, float[] scores) {}

  /** The candidates of query excerpt {@code q} (tempo {@code queryTempo}, BPM, NaN when unknown), scored by {@code similarity}. */
  public Scored score(float[] q, double queryTempo, Similarity similarity) {
    return score(q, queryTempo, similarity, true);
  }

  /**
   * As {@link #score(float[], double, Similarity)}; without {@code bands} only the plain probe proposes
   * candidates (still scored by {@code similarity}, alignment included).
   */
  public Scored score(float[] q, double queryTempo, Similarity similarity, boolean bands) {
    int[] rows;
    if (bands && similarity.aligns() && queryTempo > 0) {
      int steps = similarity.steps();
      int probes = 1 + bands(steps, GROUP_STEPS).size();
      float[][] vectors = new float[probes][];
      int[] n = new int[probes];
      RowFilter[] filters = new RowFilter[probes];
      vectors[0] = q;
      n[0] = PLAIN_CANDIDATES;
      ScaledQueries scaled = new ScaledQueries(q, similarity, steps);
      int p = 1;
      for (int[] band : bands(steps, GROUP_STEPS)) {
        int lo = band[0];
        int hi = band[1];
        vectors[p] = scaled.of((lo + hi) / 2);
        n[p] = BAND_CANDIDATES;
        boolean[] accepted = band(queryTempo, lo, hi);
        float[][] byLabel = new float[BINS][];
        for (int b = 0; b < BINS; b++) { // each bin's rows compared with the query at their own step
          int k = accepted[b] ? Math.max(lo, Math.min(hi, stepOfBin(queryTempo, b, steps))) : 0;
          byLabel[b] = k == 0 ? null : scaled.of(k);
        }
        filters[p++] = new RowFilter(labels, accepted, byLabel);
      }
      rows = IntArrays.sortedUnion(ann.candidates(vectors, n, filters));
    } else { // the plain probe alone, as the aligned search makes it (IVF: scanning as many rows)
      rows = ann.candidates(new float[][] {q}, new int[] {PLAIN_CANDIDATES}, new RowFilter[] {null})[0];
      Arrays.sort(rows);
    }
    return new Scored(rows, similarity.ofRows(exact, q, queryTempo, rowTempo, rows));
  }

  /**
   * The bands of {@code width} neighbouring tempo steps that cover steps 1 … {@code steps} and −1 …
   * −{@code steps}: {lowest, highest} step of each, slower ones first.
   */
  public static List<int[]> bands(int steps, int width) {
    List<int[]> out = new ArrayList<>();
    for (int sign = -1; sign <= 1; sign += 2) {
      for (int from = 1; from <= steps; from += width) {
        int to = Math.min(steps, from + width - 1);
        out.add(sign < 0 ? new int[] {-to, -from} : new int[] {from, to});
      }
    }
    return out;
  }

  /** The query at each step, rescaled once each (unit vectors, for the index's first pass). */
  private static final class ScaledQueries {
    private final float[] q;
    private final Similarity similarity;
    private final int steps;
    private final float[][] byStep;

    ScaledQueries(float[] q, Similarity similarity, int steps) {
      this.q = q;
      this.similarity = similarity;
      this.steps = steps;
      this.byStep = new float[2 * steps + 1][];
    }

    float[] of(int k) {
      if (byStep[k + steps] == null) {
        byStep[k + steps] = similarity.scaled(q, k);
      }
      return byStep[k + steps];
    }
  }

  /** The step ({@link TempoAlignment#step}) from {@code queryTempo} to a tempo in the middle of bin {@code b}. */
  static int stepOfBin(double queryTempo, int b, int steps) {
    double u = log2(queryTempo);
    double rowTempo = Math.pow(2, Math.floor(u) + (b + 0.5) / BINS);
    return TempoAlignment.step(queryTempo, rowTempo, steps);
  }

  /** The bin of a tempo: its octave-folded log₂ in {@value #BINS} bins, or {@link #UNKNOWN}. */
  static short bin(double tempo) {
    if (!(tempo > 0) || Double.isInfinite(tempo)) {
      return UNKNOWN;
    }
    double u = log2(tempo);
    u -= Math.floor(u);
    return (short) Math.min(BINS - 1, (int) Math.floor(u * BINS));
  }

  /**
   * The bins of the rows whose tempo step relative to {@code queryTempo} lies in {@code [lo, hi]} (see
   * {@link TempoAlignment#step}), one bin more on each side.
   */
  static boolean[] band(double queryTempo, int lo, int hi) {
    double uq = log2(queryTempo);
    uq -= Math.floor(uq);
    double dLo = log2(1 + (lo - 0.5) * TempoAlignment.STEP);
    double dHi = log2(1 + (hi + 0.5) * TempoAlignment.STEP);
    // the row's folded log-tempo lies in (uq − dHi, uq − dLo]
    int first = (int) Math.floor((uq - dHi) * BINS) - 1;
    int last = (int) Math.floor((uq - dLo) * BINS) + 1;
    boolean[] accepted = new boolean[BINS];
    for (int b = first; b <= last; b++) {
      accepted[Math.floorMod(b, BINS)] = true;
    }
    return accepted;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
