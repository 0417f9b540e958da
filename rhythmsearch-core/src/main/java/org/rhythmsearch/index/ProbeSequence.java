package org.rhythmsearch.index;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Query-directed multi-probe (Lv, Josephson, Wang, Charikar &amp; Li, "Multi-Probe LSH", VLDB 2007):
 * the query's own bucket in every table first, then buckets whose codes differ in the bits with the
 * smallest |projection|, as perturbation sets in increasing order of the sum of the squared projections
 * of their flipped bits, across all tables, generated with the shift/expand heap.
 *
 * <p>One per search; not thread-safe.
 */
final class ProbeSequence {

  private final int bits;
  private final int[] home;
  private final int[][] order;
  private final double[][] cost;
  private final PriorityQueue<Probe> heap = new PriorityQueue<>();
  private int table;
  private int code;

  /**
   * @param proj the query's projections, table t's bits at {@code t * bits}
   * @param home the query's own code in every table
   */
  ProbeSequence(float[] proj, int[] home, int bits) {
    this.bits = bits;
    this.home = home;
    int tables = home.length;
    order = new int[tables][];
    cost = new double[tables][bits];
    for (int t = 0; t < tables; t++) {
      order[t] = sortByAbs(proj, t * bits, bits);
      for (int i = 0; i < bits; i++) {
        double z = proj[t * bits + order[t][i]];
        cost[t][i] = z * z;
      }
      heap.add(new Probe(0, t, 0L, -1));
    }
  }

  /** Moves to the next bucket; false when every bucket has been probed. */
  boolean advance() {
    Probe p = heap.poll();
    if (p == null) {
      return false;
    }
    table = p.table;
    code = home[p.table];
    for (int i = 0; i < bits; i++) {
      if ((p.set >>> i & 1L) != 0) {
        code ^= 1 << order[p.table][i];
      }
    }
    // successors: shift the largest element up by one, or expand with the next one
    if (p.max + 1 < bits) {
      int next = p.max + 1;
      if (p.max >= 0) {
        long shifted = (p.set & ~(1L << p.max)) | (1L << next);
        heap.add(new Probe(p.score - cost[p.table][p.max] + cost[p.table][next], p.table, shifted, next));
      }
      heap.add(new Probe(p.score + cost[p.table][next], p.table, p.set | (1L << next), next));
    }
    return true;
  }

  /** The table of the current bucket. */
  int table() {
    return table;
  }

  /** The code of the current bucket. */
  int code() {
    return code;
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
}
