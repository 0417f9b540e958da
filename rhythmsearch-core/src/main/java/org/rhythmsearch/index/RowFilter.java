package org.rhythmsearch.index;

/**
 * Which rows an approximate index may propose ({@link ApproximateIndex#candidates}): a row passes when
 * its label is accepted. Labels are small non-negative numbers given per row by the caller (e.g. a
 * tempo band); a label past the end of {@code accepted} is rejected.
 *
 * <p>The arrays are shared, not copied: callers must not change them while a search runs. Thread-safe
 * otherwise.
 *
 * @param labels each row's label, by row id
 * @param accepted which labels pass
 * @param byLabel for each label, the vector its rows are compared with in the index's first pass
 *     instead of the probe's own (a null entry, or a null array: the probe's own); an index may ignore
 *     it (LSH does), the final scores are the caller's anyway
 */
public record RowFilter(short[] labels, boolean[] accepted, float[][] byLabel) {

  public RowFilter {
    if (labels == null || accepted == null) {
      throw new IllegalArgumentException("labels and accepted must not be null");
    }
    if (byLabel != null && byLabel.length != accepted.length) {
      throw new IllegalArgumentException("byLabel has " + byLabel.length + " entries, accepted " + accepted.length);
    }
  }

  /** A filter whose rows are all compared with the probe itself. */
  public RowFilter(short[] labels, boolean[] accepted) {
    this(labels, accepted, null);
  }

  /** Whether row {@code row} passes. */
  public boolean test(int row) {
    int l = labels[row];
    return l < accepted.length && accepted[l];
  }
}
