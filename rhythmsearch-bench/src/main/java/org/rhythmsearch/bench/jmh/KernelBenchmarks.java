package org.rhythmsearch.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.MelSpectrogram;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;

/**
 * JMH benchmarks of the kernels the product's speed rests on, each with the Vector API ({@code
 * simd=true}) and without it ({@code simd=false}, the scalar loops), so the ratio comes from one run:
 * brute-force cosine scores of one query against every row, the gathered re-rank of scattered rows
 * (LSH candidates), and the STFT + mel filterbank of one 10-s excerpt; and exact search by the score
 * that ranks ({@link Similarity}), plain and tempo-aligned (rows at tempi spread over ±30 % of the
 * query's), over {@code rows} rows and over {@code evalRows} (the size of {@code eval}'s database, where
 * a query's own cost weighs most). Run with {@code rhythmsearch
 * bench kernels}; every fork gets a new JVM, so the {@code rhythmsearch.simd} switch takes effect.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KernelBenchmarks {

  /** Whether the Vector API kernels are used (false: scalar loops). */
  @Param({"true", "false"})
  public boolean simd;

  /** Rows scanned by {@link #bruteForceCosines}. */
  @Param({"20000"})
  public int rows;

  /** Rows gathered by {@link #gatheredRerank}. */
  @Param({"1000"})
  public int candidates;

  /** Rows of the small index that {@link #alignedSearchSmall} and {@link #plainSearchSmall} search. */
  @Param({"108"})
  public int evalRows;

  private ExactIndex index;
  private ExactIndex small;
  private float[] rowTempo;
  private float[] smallTempo;
  private static final double QUERY_TEMPO = 118;
  private static final Similarity PLAIN =
      new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.OFF);
  private static final Similarity ALIGNED =
      new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.DEFAULT);
  private float[] query;
  private int[] scattered;
  private float[] out;
  private FeatureExtractor extractor;
  private float[] excerpt;

  @Setup
  public void setUp() {
    System.setProperty("rhythmsearch.simd", Boolean.toString(simd)); // read once, on first use of the kernels
    int dim = FeatureConfigs.DEFAULT.dimension();
    SplittableRandom rnd = new SplittableRandom(42);
    float[] data = new float[rows * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    index = new ExactIndex(new VectorMatrix(data, dim));
    if (index.vectorized() != simd && simd) {
      throw new IllegalStateException("the Vector API module is missing: start the JVM with --add-modules jdk.incubator.vector");
    }
    query = new float[dim];
    for (int j = 0; j < dim; j++) {
      query[j] = (float) rnd.nextGaussian();
    }
    scattered = rnd.ints(candidates, 0, rows).toArray();
    rowTempo = new float[rows];
    for (int r = 0; r < rows; r++) {
      rowTempo[r] = (float) (QUERY_TEMPO * Math.exp((2 * rnd.nextDouble() - 1) * Math.log(1.3)));
    }
    small = new ExactIndex(new VectorMatrix(java.util.Arrays.copyOf(data, evalRows * dim), dim));
    smallTempo = java.util.Arrays.copyOf(rowTempo, evalRows);
    out = new float[candidates];
    extractor = new FeatureExtractor(FeatureConfigs.DEFAULT);
    excerpt = new float[FeatureConfigs.DEFAULT.excerptSamples()];
    for (int i = 0; i < excerpt.length; i++) {
      excerpt[i] = (float) (0.1 * rnd.nextGaussian() + (i % 11025 < 400 ? 0.5 : 0));
    }
  }

  /** One query's cosine similarity with every row (the exact search's inner loop). */
  @Benchmark
  public float[] bruteForceCosines() {
    return index.scores(query, Metric.COSINE);
  }

  /** Cosines of scattered rows, as LSH re-ranks its candidates. */
  @Benchmark
  public float[] gatheredRerank() {
    index.cosinesOfRows(query, scattered, out);
    return out;
  }

  /** Exact search by plain cosine (the score with alignment off) over {@code rows} rows. */
  @Benchmark
  public float[] plainSearch() {
    return PLAIN.all(index, query, QUERY_TEMPO, rowTempo);
  }

  /** Exact search by the default, tempo-aligned score over {@code rows} rows. */
  @Benchmark
  public float[] alignedSearch() {
    return ALIGNED.all(index, query, QUERY_TEMPO, rowTempo);
  }

  /** {@link #plainSearch} over {@code evalRows} rows. */
  @Benchmark
  public float[] plainSearchSmall() {
    return PLAIN.all(small, query, QUERY_TEMPO, smallTempo);
  }

  /** {@link #alignedSearch} over {@code evalRows} rows. */
  @Benchmark
  public float[] alignedSearchSmall() {
    return ALIGNED.all(small, query, QUERY_TEMPO, smallTempo);
  }

  /** Mel power spectrogram of one 10-s excerpt (centred STFT fused with the mel filterbank). */
  @Benchmark
  public MelSpectrogram stftMel() {
    return extractor.melPower(excerpt);
  }
}
