package org.rhythmsearch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.Vectors;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * Micro-benchmarks of exact search and of index loading, on seeded random unit vectors. Times are
 * wall-clock on one thread, after a warm-up; the scalar loops are measured in the same process as the
 * baseline.
 *
 * <p>Stateless; thread-safe (each call builds its own data).
 */
public final class SearchBenchmarks {

  private SearchBenchmarks() {}

  /**
   * Nanoseconds per scored vector for each kernel, and for the default tempo-aligned scoring (best
   * kernel; NaN unless {@code dim} is the default feature's and the metric cosine).
   */
  public record ExactResult(int vectors, int dim, int queries, Metric metric, double simdNsPerVector,
      double scalarNsPerVector, boolean simdAvailable, double alignedNsPerVector) {}

  /** Index load figures. */
  public record LoadResult(int tracks, int excerpts, int dim, double writeSeconds, double loadSeconds, long fileBytes) {}

  /** Times {@code queries} brute-force scorings over {@code n} random unit vectors of {@code dim}. */
  public static ExactResult exact(int n, int dim, int queries, Metric metric, long seed) {
    VectorMatrix m = new VectorMatrix(randomUnit(n, dim, seed), dim);
    float[][] q = new float[queries][];
    for (int i = 0; i < queries; i++) {
      q[i] = m.row((int) ((i * 7919L) % n));
    }
    ExactIndex simd = new ExactIndex(m);
    ExactIndex scalar = ExactIndex.scalar(m);
    double s = nsPerVector(q, n, v -> simd.scores(v, metric));
    double b = nsPerVector(q, n, v -> scalar.scores(v, metric));
    double aligned = Double.NaN;
    FeatureConfig config = FeatureConfigs.DEFAULT;
    if (dim == config.dimension() && metric == Metric.COSINE) {
      // row tempi uniform in 60-180 BPM, queries at 120 BPM: after octave folding about 58 % of the rows
      // lie within the default 20 % and get their second (aligned) product
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed + 1);
      float[] tempo = new float[n];
      for (int i = 0; i < n; i++) {
        tempo[i] = (float) (60 + 120 * rnd.nextDouble());
      }
      Similarity a = new Similarity(config, metric,
          TempoAlignment.DEFAULT);
      aligned = nsPerVector(q, n, v -> a.all(simd, v, 120, tempo));
    }
    return new ExactResult(n, dim, queries, metric, s, b, simd.vectorized(), aligned);
  }

  /** Best of 5 timed rounds (after 3 warm-up rounds) of scoring every query, per query and vector. */
  private static double nsPerVector(float[][] queries, int n, java.util.function.Function<float[], float[]> scoring) {
    long sink = 0;
    for (int w = 0; w < 3; w++) {
      for (float[] q : queries) {
        sink += Float.floatToIntBits(scoring.apply(q)[0]);
      }
    }
    long[] consumed = {sink};
    double best = Timing.bestSeconds(5, () -> {
      for (float[] q : queries) {
        consumed[0] += Float.floatToIntBits(scoring.apply(q)[0]);
      }
    });
    blackhole = consumed[0];
    return best * 1e9 / queries.length / n;
  }

  /** Written with the timed results so the JIT cannot drop the scoring. */
  static volatile long blackhole;

  /**
   * Writes {@code excerpts} random vectors of the configuration's dimension into a new index file in
   * {@code dir} (tracks of 20 excerpts, batches of 100 tracks) and times loading them back.
   */
  public static LoadResult load(Path dir, FeatureConfig config, int excerpts, long seed) throws StoreException {
    Path db = dir.resolve("bench-load-" + seed + ".db");
    try {
      Files.deleteIfExists(db);
      LoadResult r = load(db.toString(), config, excerpts, seed);
      Files.deleteIfExists(db);
      Files.deleteIfExists(Path.of(db + "-wal"));
      Files.deleteIfExists(Path.of(db + "-shm"));
      return r;
    } catch (java.io.IOException e) {
      throw new StoreException(db + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code excerpts} random vectors (tracks of 20) into the empty index at {@code location} (an
   * SQLite path or a Redis address), times loading them back as a snapshot, then removes them.
   *
   * @throws StoreException when the index there is not empty (it is not a scratch index)
   */
  public static LoadResult load(String location, FeatureConfig config, int excerpts, long seed) throws StoreException {
    int dim = config.dimension();
    float[] all = randomUnit(excerpts, dim, seed);
    int perTrack = 20;
    int tracks = (excerpts + perTrack - 1) / perTrack;
    List<String> paths = new ArrayList<>();
    long t0 = System.nanoTime();
    try (VectorStore s = Stores.open(location, config)) {
      if (!s.tracks().isEmpty()) {
        throw new StoreException(location + ": holds " + s.tracks().size() + " tracks; the load benchmark needs an "
            + "empty index (another file or key prefix)");
      }
      List<VectorStore.Entry> batch = new ArrayList<>();
      for (int t = 0; t < tracks; t++) {
        List<ExcerptVector> v = new ArrayList<>();
        for (int e = t * perTrack; e < Math.min(excerpts, (t + 1) * perTrack); e++) {
          float[] x = new float[dim];
          System.arraycopy(all, e * dim, x, 0, dim);
          v.add(new ExcerptVector(10.0 * (e - t * perTrack), x));
        }
        paths.add("/bench/track-" + t + ".ogg");
        batch.add(new VectorStore.Entry(new TrackRecord(0, paths.get(t), 1, 1, "h" + t, 10.0 * v.size(), v.size(),
            null), v));
        if (batch.size() == 100) {
          s.write(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        s.write(batch);
      }
    }
    long t1 = System.nanoTime();
    Snapshot snap;
    long bytes;
    try (VectorStore s = Stores.openReadOnly(location)) {
      snap = s.snapshot();
      long t2 = System.nanoTime();
      bytes = s.storedBytes();
      if (snap.vectors().rows() != excerpts) {
        throw new IllegalStateException("loaded " + snap.vectors().rows() + " of " + excerpts + " excerpts");
      }
      double load = (t2 - t1) / 1e9;
      try (VectorStore w = Stores.openExisting(location)) {
        w.remove(paths);
      }
      return new LoadResult(tracks, excerpts, dim, (t1 - t0) / 1e9, load, bytes);
    }
  }

  private static float[] randomUnit(int n, int dim, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] data = new float[n * dim];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < dim; j++) {
        data[r * dim + j] = (float) rnd.nextGaussian();
      }
      Vectors.normalizeInPlace(data, r * dim, dim);
    }
    return data;
  }
}
