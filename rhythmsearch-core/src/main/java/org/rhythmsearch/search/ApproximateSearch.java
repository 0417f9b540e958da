package org.rhythmsearch.search;

import java.util.Arrays;
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

  /** Candidates of the plain probe (per query excerpt). */
  public static final int PLAIN_CANDIDATES = 256;
  /** Candidates of each tempo-band probe. */
  public static final int BAND_CANDIDATES = 64;
  /** Tempo steps ({@link TempoAlignment#STEP}) one band probe covers. */
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
   * @param ann the approximate index over the rows of {@code exact}
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
  }

  /** The approximate index. */
  public ApproximateIndex index() {
    return ann;
  }

  /** Candidate rows (ascending, each once) and their exact scores. */
  public record Scored(int[] rows, float[] scores) {}

  /** The candidates of query excerpt {@code q} (tempo {@code queryTempo}, BPM, NaN when unknown), scored by {@code similarity}. */
  public Scored score(float[] q, double queryTempo, Similarity similarity) {
    int[] rows = ann.candidates(q, PLAIN_CANDIDATES, null);
    if (similarity.aligns() && queryTempo > 0) {
      int steps = similarity.steps();
      int[][] parts = new int[1 + 2 * ((steps + GROUP_STEPS - 1) / GROUP_STEPS)][];
      parts[0] = rows;
      int p = 1;
      for (int sign = -1; sign <= 1; sign += 2) {
        for (int from = 1; from <= steps; from += GROUP_STEPS) {
          int to = Math.min(steps, from + GROUP_STEPS - 1);
          int lo = sign < 0 ? -to : from;
          int hi = sign < 0 ? -from : to;
          float[] probe = similarity.scaled(q, (lo + hi) / 2);
          parts[p++] = ann.candidates(probe, BAND_CANDIDATES, new RowFilter(labels, band(queryTempo, lo, hi)));
        }
      }
      rows = IntArrays.sortedUnion(parts);
    } else {
      Arrays.sort(rows);
    }
    return new Scored(rows, similarity.ofRows(exact, q, queryTempo, rowTempo, rows));
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
