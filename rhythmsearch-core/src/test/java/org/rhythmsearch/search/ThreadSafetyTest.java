package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.Resampler;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.MelFilterbank;
import org.rhythmsearch.features.Stft;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Fixtures;

/**
 * Each thread-safety claim of docs/ARCHITECTURE.md, tested: one shared instance used from 8 threads at
 * once gives, every time, what it gives used alone.
 */
class ThreadSafetyTest {

  @TempDir static Path tmp;
  static List<Path> songs;
  static QueryService service;
  static ExecutorService pool;

  @BeforeAll
  static void setUp() throws Exception {
    songs = Corpus.songs(tmp.resolve("songs"), 12);
    try (SqliteStore store = SqliteStore.open(tmp.resolve("i.db"), FeatureConfigs.DEFAULT)) {
      new Indexer(store, 2, 4, null).index(songs, null);
      assertThat(Indexer.buildAnn(store, org.rhythmsearch.index.ApproximateIndex.Kind.LSH, 0)).isPresent();
      service = QueryService.load(store, true);
    }
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void tearDown() {
    pool.shutdownNow();
  }

  /** Runs {@code task} alone, then 48 times on 8 threads at once; every result must equal the lone one. */
  static <T> void sameFromEightThreads(String what, Callable<T> task) throws Exception {
    T alone = task.call();
    List<Future<T>> runs = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      runs.add(pool.submit(task));
    }
    for (Future<T> f : runs) {
      assertThat(f.get()).as(what).isEqualTo(alone);
    }
  }

  /** A query's answer in comparable form: tracks, scores and best pairs, in rank order. */
  static List<String> answer(QueryResult r) {
    return r.matches().stream().map(m -> m.track().path() + " " + m.score() + " " + m.bestPair()).toList();
  }

  @Test
  void queryServiceWithTrackSearchAndTempoAlignment() throws Exception {
    sameFromEightThreads("exact, tempo-aligned query", () -> answer(service.queryTrack(songs.get(1).toString(),
        QueryOptions.defaults())));
    QueryOptions lsh = new QueryOptions(5, TrackSearch.DEFAULT_AGGREGATION, Metric.COSINE, true, 0, TempoAlignment.DEFAULT);
    sameFromEightThreads("LSH query", () -> answer(service.queryTrack(songs.get(2).toString(), lsh)));
    sameFromEightThreads("query by audio file", () -> answer(service.query(songs.get(3), QueryOptions.defaults())));
  }

  @Test
  void exactIndexAndLshIndexSearches() throws Exception {
    var vectors = service.snapshot().vectors();
    ExactIndex exact = new ExactIndex(vectors);
    LshIndex lsh = new LshIndex(vectors, LshIndex.Params.forSize(vectors.rows(), 3));
    float[] q = new float[vectors.dim()];
    SplittableRandom rnd = new SplittableRandom(8);
    for (int j = 0; j < q.length; j++) {
      q[j] = (float) rnd.nextGaussian();
    }
    sameFromEightThreads("ExactIndex.search", () -> exact.search(q, 10, Metric.COSINE, i -> false));
    sameFromEightThreads("LshIndex.search", () -> lsh.search(q, 10, Metric.COSINE).neighbors());
  }

  @Test
  void audioLoaderResamplerAndMelFilterbank() throws Exception {
    AudioLoader loader = new AudioLoader();
    for (String f : new String[] {"click120.mp3", "click120.ogg", "click120.flac", "click120.opus"}) {
      sameFromEightThreads("AudioLoader.load " + f, () -> loader.load(Fixtures.resource(f)).samples());
    }
    float[] signal = Fixtures.click120Left();
    Resampler r = Resampler.create(44100, 22050);
    sameFromEightThreads("Resampler", () -> r.resample(signal));
    FeatureConfig c = FeatureConfigs.DEFAULT;
    MelFilterbank bank = new MelFilterbank(c.sampleRate(), c.nFft(), c.nMels());
    float[] x = r.resample(signal);
    ThreadLocal<Stft> stft = ThreadLocal.withInitial(() -> new Stft(c.nFft(), c.hop())); // one per thread, as documented
    sameFromEightThreads("MelFilterbank shared", () -> stft.get().melPower(x, c.sampleRate(), bank).data());
  }
}
