package org.rhythmsearch.bench;

/** The one timing rule of the benchmarks: run a warmed-up pass several times and keep the fastest. */
final class Timing {

  private Timing() {}

  /**
   * The fewest seconds any of {@code passes} runs of {@code pass} took: a slow moment of the machine
   * (or a first pass that faults in memory) does not count against what is measured.
   */
  static double bestSeconds(int passes, Runnable pass) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < passes; i++) {
      long t0 = System.nanoTime();
      pass.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }
}
