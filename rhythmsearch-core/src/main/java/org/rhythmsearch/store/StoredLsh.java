package org.rhythmsearch.store;

import org.rhythmsearch.index.LshIndex;

/**
 * LSH tables as a store keeps them: the parameters (with the hyperplane seed), the code of every
 * snapshot row in every table ({@code codes[table][row]}) and the point the hyperplanes pass through.
 * The hyperplanes themselves are not stored: the seed regenerates them.
 *
 * <p>Immutable by contract (arrays are not copied).
 */
public record StoredLsh(LshIndex.Params params, int[][] codes, float[] center) {

  /** Rows whose stored codes are checked against the regenerated hyperplanes. */
  static final int CHECKED_ROWS = 256;

  /**
   * The LSH index over {@code snapshot} with these codes, after checking them against the hyperplanes
   * the seed generates on up to {@value #CHECKED_ROWS} rows spread over the snapshot: a stored index
   * answers exactly as it did when built, or is refused.
   *
   * @param location the store, for the message
   * @throws StoreException when a checked code differs
   */
  public LshIndex toIndex(Snapshot snapshot, String location) throws StoreException {
    LshIndex lsh;
    try {
      lsh = new LshIndex(snapshot.vectors(), params, codes, center);
    } catch (IllegalArgumentException e) { // stored parameters or codes out of range: damaged tables
      throw new StoreException(location + ": stored LSH tables are damaged (" + e.getMessage()
          + "); rebuild them with index --lsh", e);
    }
    int n = snapshot.vectors().rows();
    int checked = Math.min(n, CHECKED_ROWS);
    for (int i = 0; i < checked; i++) {
      int r = (int) ((long) i * n / checked);
      for (int t = 0; t < params.tables(); t++) {
        if (lsh.computeCode(t, r) != codes[t][r]) {
          throw new StoreException(location + ": stored LSH codes do not match the hyperplanes of seed "
              + params.seed() + " (row " + r + ", table " + t + "); rebuild them with index --lsh");
        }
      }
    }
    return lsh;
  }
}
