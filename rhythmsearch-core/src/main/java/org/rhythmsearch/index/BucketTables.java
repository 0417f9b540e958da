package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash tables of an {@link LshIndex}: per table a bucket directory (the built rows grouped by code,
 * 4 bytes per row, and the start of every bucket, {@code 2^K + 1} ints), so a probe is two array
 * reads, plus a small map of rows added after the build.
 *
 * <p>Reads may run concurrently; {@link #add} must not run concurrently with anything.
 */
final class BucketTables {

  /** Receives the rows of a probed bucket. */
  @FunctionalInterface
  interface RowSink {
    void accept(int row);
  }

  private final int bits;
  private final int[][] bucketStart; // [table][code], length 2^bits + 1
  private final int[][] bucketRows; // [table][position]: built rows grouped by code
  private final List<Map<Integer, List<Integer>>> added; // per table: code -> rows added after build

  /**
   * Groups {@code rows} rows by their codes ({@code codes[table][row]}).
   *
   * @throws IllegalArgumentException for a code with more than {@code bits} bits
   */
  BucketTables(int[][] codes, int rows, int bits) {
    this.bits = bits;
    int tables = codes.length;
    bucketStart = new int[tables][];
    bucketRows = new int[tables][];
    added = new ArrayList<>();
    for (int t = 0; t < tables; t++) {
      int[] start = new int[(1 << bits) + 1];
      for (int r = 0; r < rows; r++) {
        int c = codes[t][r];
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
        ids[fill[codes[t][r]]++] = r;
      }
      bucketStart[t] = start;
      bucketRows[t] = ids;
      added.add(new HashMap<>());
    }
  }

  /** Files row {@code r}, added after the build, under {@code code} in table {@code t}. */
  void add(int t, int code, int r) {
    added.get(t).computeIfAbsent(code, c -> new ArrayList<>()).add(r);
  }

  /** Every row in bucket {@code code} of table {@code t}: the built ones, then those added since. */
  void forEachRow(int t, int code, RowSink sink) {
    int[] start = bucketStart[t];
    int[] ids = bucketRows[t];
    for (int i = start[code], end = start[code + 1]; i < end; i++) {
      sink.accept(ids[i]);
    }
    if (!added.get(t).isEmpty()) {
      List<Integer> extra = added.get(t).get(code);
      if (extra != null) {
        for (int r : extra) {
          sink.accept(r);
        }
      }
    }
  }

  /** The code of every built row in table {@code t} (row order). */
  int[] rowCodes(int t) {
    int[] out = new int[bucketRows[t].length];
    int[] start = bucketStart[t];
    for (int c = 0; c + 1 < start.length; c++) {
      for (int i = start[c]; i < start[c + 1]; i++) {
        out[bucketRows[t][i]] = c;
      }
    }
    return out;
  }

  int bits() {
    return bits;
  }
}
