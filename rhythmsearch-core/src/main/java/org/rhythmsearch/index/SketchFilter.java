package org.rhythmsearch.index;

/**
 * The Hamming pre-filter of {@link LshIndex}: picks the candidates whose 64-bit sketches are nearest to
 * the query's in the query-weighted Hamming distance.
 *
 * <p>A differing bit counts by how far the query lies from that hyperplane: for a vector at angle θ to
 * the (centred) query, the bit's sign differs with probability Φ(−|z|·cot θ), z the query's projection
 * over the centred query's length, so a differing bit costs its log-likelihood ratio
 * {@code log(1 − Φ(−a|z|)) − log Φ(−a|z|)} with {@code a = }{@value #COT}: nearly 0 for a bit the
 * query almost lies on, growing like (a·z)²/2. Plain Hamming distance weighs both alike. (The ranking
 * hardly depends on a: on the 1 M-vector benchmark, recall at fixed budgets moved by at most 0.002 for
 * a = 1.5, 3 and 6.) Costs are quantised to {@value #LEVELS} levels and summed by byte look-up tables;
 * the nearest are then found by a counting pass.
 *
 * <p>Stateless; thread-safe.
 */
final class SketchFilter {

  /** The slope {@code a} of the bits' costs. */
  static final double COT = 3.0;

  /** Quantisation levels of a sketch distance. */
  private static final int LEVELS = 4096;

  private SketchFilter() {}

  /**
   * The {@code count} candidates nearest to the query (ties in candidate order).
   *
   * @param sketches every row's sketch
   * @param query the query's sketch
   * @param proj the query's projections; the sketch planes' from {@code from} on
   * @param spread the centred query's length (projections ~ N(0, spread²) over random planes)
   */
  static int[] nearest(IntList candidates, long[] sketches, long query, float[] proj, int from, double spread, int count) {
    int bitsN = LshIndex.SKETCH_BITS;
    double[] cost = new double[bitsN];
    double total = 0;
    for (int b = 0; b < bitsN; b++) {
      double z = spread > 0 ? Math.abs(proj[from + b]) / spread : 0;
      cost[b] = flipCost(COT * z);
      total += cost[b];
    }
    double scale = total > 0 ? (LEVELS - 1) / total : 0;
    int[] level = new int[bitsN];
    for (int bit = 0; bit < bitsN; bit++) {
      level[bit] = (int) Math.round(cost[bit] * scale);
    }
    int[] lut = new int[8 * 256]; // [byte position][byte value]: the summed cost of its set bits
    for (int p = 0; p < 8; p++) {
      for (int v = 1; v < 256; v++) {
        lut[p * 256 + v] = lut[p * 256 + (v & (v - 1))] + level[p * 8 + Integer.numberOfTrailingZeros(v)];
      }
    }
    int n = candidates.size();
    short[] dist = new short[n];
    int[] histogram = new int[LEVELS + bitsN]; // rounding adds at most 0.5 per bit
    for (int i = 0; i < n; i++) {
      long x = sketches[candidates.get(i)] ^ query;
      int d = lut[(int) (x & 0xFF)] + lut[256 + (int) (x >>> 8 & 0xFF)]
          + lut[512 + (int) (x >>> 16 & 0xFF)] + lut[768 + (int) (x >>> 24 & 0xFF)]
          + lut[1024 + (int) (x >>> 32 & 0xFF)] + lut[1280 + (int) (x >>> 40 & 0xFF)]
          + lut[1536 + (int) (x >>> 48 & 0xFF)] + lut[1792 + (int) (x >>> 56)];
      dist[i] = (short) d;
      histogram[d]++;
    }
    int threshold = 0;
    int below = 0; // candidates with distance < threshold
    while (below + histogram[threshold] < count) {
      below += histogram[threshold];
      threshold++;
    }
    int[] out = new int[count];
    int m = 0;
    int atThreshold = count - below;
    for (int i = 0; i < n && m < count; i++) {
      if (dist[i] < threshold) {
        out[m++] = candidates.get(i);
      } else if (dist[i] == threshold && atThreshold > 0) {
        out[m++] = candidates.get(i);
        atThreshold--;
      }
    }
    return out;
  }

  /** {@code log((1 − Φ(−x)) / Φ(−x))} for {@code x >= 0}: the evidence against nearness of a differing bit. */
  static double flipCost(double x) {
    double tail = 0.5 * erfc(x / Math.sqrt(2));
    return tail > 1e-300 ? Math.log((1 - tail) / tail) : x * x / 2 + Math.log(x * Math.sqrt(2 * Math.PI));
  }

  /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
