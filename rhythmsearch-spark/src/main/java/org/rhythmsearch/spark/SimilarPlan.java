package org.rhythmsearch.spark;

import java.io.Serializable;
import org.rhythmsearch.index.LshIndex;

/**
 * How candidates are found: {@code bits} hyperplanes per table, {@code tables} tables, and at most
 * {@code candidates} partners scored per track, those sharing the most buckets with it.
 */
public record SimilarPlan(int bits, int tables, int candidates, long seed) implements Serializable {
  /** Excerpts per bucket the size-based default aims at. */
  public static final int BUCKET = 16;

  public SimilarPlan {
    if (bits < 1 || bits > LshIndex.MAX_BITS) {
      throw new IllegalArgumentException("bits must be in [1, " + LshIndex.MAX_BITS + "]; bits=" + bits);
    }
    if (tables < 1) {
      throw new IllegalArgumentException("tables must be >= 1; tables=" + tables);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1; candidates=" + candidates);
    }
  }

  /**
   * The defaults for {@code excerpts} excerpts and top {@code k}: {@code round(log2(excerpts / 16))}
   * bits (about 16 excerpts per bucket, so the buckets' sizes stay put as the catalogue grows), 16
   * tables, and {@code 10k} candidates per track (at least 100), so the exact scoring grows linearly
   * with the catalogue. Chosen on the 138-song development set and its copies (docs/SCALING.md).
   */
  public static SimilarPlan forSize(long excerpts, int k, long seed) {
    return forSize(excerpts, 1, k, seed);
  }

  /**
   * Hashed vectors per bucket that the size-based default aims at when each excerpt is hashed with its
   * rescaled copies: chosen on the 138 songs grown to 690 tracks (15 055 excerpts, 11 hashed vectors
   * each, {@code scripts/spark-aligned.sh} with {@code --bits}): 10, 12, 13, 15 and 17 bits gave
   * recall@10 0.886, 0.919, 0.938, 0.956 and 0.965 of the exact aligned graph, each faster than the one
   * before (273.7 s at 10 bits, 92.7 s at 17); buckets of 16 excerpts, the plain graph's rule, had been 10
   * bits there. 2 per bucket gives 16 bits there, 14 on the 138 songs.
   */
  public static final int ALIGNED_BUCKET = 2;

  /**
   * The defaults for {@code excerpts} excerpts each hashed {@code copies} times (itself, and with tempo
   * alignment its rescaled copies: {@link SimilarJob#hashedPerExcerpt}) and top {@code k}: one copy, {@code
   * round(log2(excerpts / 16))} bits ({@link #BUCKET}); more, {@code round(log2(excerpts · copies /
   * 2))} ({@link #ALIGNED_BUCKET}: a track's rescaled copies fill many buckets, and votes only tell
   * neighbours apart where buckets are small); 16 tables, {@code 10k} candidates per track (at least
   * 100), so the exact scoring grows linearly with the catalogue.
   */
  public static SimilarPlan forSize(long excerpts, int copies, int k, long seed) {
    double buckets = copies > 1
        ? Math.max(excerpts, 2) * (double) copies / ALIGNED_BUCKET
        : Math.max(excerpts, 2) / (double) BUCKET;
    int bits = (int) Math.round(Math.log(buckets) / Math.log(2));
    return new SimilarPlan(Math.max(1, Math.min(LshIndex.MAX_BITS, bits)), 16, Math.max(100, 10 * k), seed);
  }

  LshIndex.Params lsh() {
    return new LshIndex.Params(bits, tables, tables, seed);
  }
}
