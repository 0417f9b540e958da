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
 */
public record RowFilter(short[] labels, boolean[] accepted) {

  public RowFilter {
    if (labels == null || accepted == null) {
      throw new IllegalArgumentException("labels and accepted must not be null");
    }
  }

  /** Whether row {@code row} passes. */
  public boolean test(int row) {
    int l = labels[row];
    return l < accepted.length && accepted[l];
  }
}
