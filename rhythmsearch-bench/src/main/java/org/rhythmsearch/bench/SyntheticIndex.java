package org.rhythmsearch.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * A large index to serve and query ({@code rhythmsearch bench make-index}): synthetic tracks with tempi
 * around the real tracks of an index ({@link AlignedBench.Model}: each a song of its own near a real
 * track, played 1/1.3 … 1.3 times as fast), written to a store in batches like {@code index} writes (the
 * vectors as the store holds them, int8 for a new index), then its approximate index built and measured
 * as {@code index --ann} does. Memory stays bounded by a batch: the vectors are never all in memory here.
 *
 * <p>Track {@code t} is {@code synthetic/t} with content hash {@code synthetic-t}; {@link #queryPath} names
 * one for {@code query --track}. Not thread-safe; one run at a time.
 */
public final class SyntheticIndex {

  /** Tracks generated and written at a time. */
  static final int BATCH_TRACKS = 256;

  /**
   * @param model index whose real tracks seed the model
   * @param out the new index (a file path or a {@code redis://} address; must hold no tracks yet)
   * @param vectors excerpts to write (rounded down to whole tracks)
   * @param excerptsPerTrack excerpts of each track
   * @param ann the approximate index to build after, or null for none
   */
  public record Config(String model, String out, int vectors, int excerptsPerTrack, ApproximateIndex.Kind ann,
      VectorEncoding encoding, long seed) {}

  /** What was written, and how long it took. */
  public record Summary(String out, int tracks, int excerpts, String vectors, double writeSeconds, String ann,
      double annSeconds, long bytesStored) {}

  private SyntheticIndex() {}

  /** The path of synthetic track {@code t}, as the index holds it. */
  public static String queryPath(int t) {
    return "synthetic/" + t;
  }

  /** Writes the index; progress lines go to {@code log}. */
  public static Summary write(Config c, PrintWriter log) throws StoreException {
    if (c.vectors() < c.excerptsPerTrack() || c.excerptsPerTrack() < 1) {
      throw new IllegalArgumentException("need --vectors >= --excerpts >= 1");
    }
    Snapshot real;
    try (VectorStore store = Stores.openReadOnly(c.model())) {
      real = store.snapshot();
    }
    if (!real.config().lagIndexed() || real.vectors().rows() < 2) {
      throw new IllegalArgumentException(c.model() + ": needs a lag-indexed feature and at least two excerpts");
    }
    AlignedBench.Model model = new AlignedBench.Model(real);
    int tracks = c.vectors() / c.excerptsPerTrack();
    int dim = real.config().dimension();
    long t0 = System.nanoTime();
    try (VectorStore store = Stores.open(c.out(), real.config(), c.encoding())) {
      if (!store.tracks().isEmpty()) {
        throw new IllegalArgumentException(c.out() + ": already holds tracks; give a new index");
      }
      int reported = 0;
      for (int from = 0; from < tracks; from += BATCH_TRACKS) {
        int to = Math.min(tracks, from + BATCH_TRACKS);
        List<VectorStore.Entry> batch = IntStream.range(from, to).parallel()
            .mapToObj(t -> entry(model, t, c.excerptsPerTrack(), dim, c.seed())).toList();
        store.write(batch);
        int pct = (int) (100L * to / tracks);
        if (pct >= reported + 10 || to == tracks) {
          reported = pct;
          log.printf("make-index: %d of %d tracks written (%d %%, %.0f s)%n", to, tracks, pct,
              (System.nanoTime() - t0) / 1e9);
          log.flush();
        }
      }
      double writeSeconds = (System.nanoTime() - t0) / 1e9;
      String ann = "none";
      double annSeconds = 0;
      if (c.ann() != null) {
        long t1 = System.nanoTime();
        ann = Indexer.buildAnn(store, c.ann(), 0).map(b -> b.params() + "; " + b.how()).orElse("none");
        annSeconds = (System.nanoTime() - t1) / 1e9;
      }
      return new Summary(c.out(), tracks, tracks * c.excerptsPerTrack(), store.encoding().id(), writeSeconds, ann,
          annSeconds, store.storedBytes());
    }
  }

  private static VectorStore.Entry entry(AlignedBench.Model model, int t, int excerpts, int dim, long seed) {
    AlignedBench.Model.Song song = model.song(t, seed);
    SplittableRandom rnd = new SplittableRandom(~(seed * 1_000_003L + t));
    List<ExcerptVector> xs = new ArrayList<>(excerpts);
    float[] v = new float[dim];
    for (int e = 0; e < excerpts; e++) {
      float tempo = model.excerpt(song, song.phi(), rnd, v, 0);
      xs.add(new ExcerptVector(10.0 * e, v.clone(), tempo));
    }
    TrackRecord record = new TrackRecord(0, queryPath(t), 0, 0, "synthetic-" + t, 10.0 * excerpts, excerpts, null);
    return new VectorStore.Entry(record, xs);
  }
}
