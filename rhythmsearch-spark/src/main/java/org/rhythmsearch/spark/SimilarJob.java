package org.rhythmsearch.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.ApproximateSearch;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.search.TrackSearch;
import scala.Tuple2;

/**
 * The similarity job: from {@link ExtractJob}'s Parquet, for every track its {@code k} most rhythmically
 * similar tracks, scored as {@code query} scores them ({@code --aggregate mean}, with the same tempo
 * alignment: {@link TrackSearch#meanOfBest} over the core's {@link Similarity}), without comparing
 * every pair of tracks:
 *
 * <ol>
 *   <li>every excerpt is hashed with the core library's random-hyperplane LSH (the same hyperplanes on
 *       every executor: one seed, one centre computed over all vectors) into one bucket per table; with
 *       tempo alignment, so are its copies rescaled to the middle of each band of {@value
 *       #BAND_STEPS} tempo steps (as {@code query --search approximate} probes), so that two tracks alike
 *       only at each other's tempo share buckets too;</li>
 *   <li>only numbers travel to find candidates: each bucket's track ids; two tracks with an excerpt each
 *       in one bucket, in any table, share it, and the buckets they share are their votes (a bucket shared
 *       by two excerpts as they are weighs as many votes as an excerpt has hashed vectors, one met through
 *       a rescaled copy one vote: the plain neighbours keep their rank, the aligned ones come behind);</li>
 *   <li>each track keeps its {@link SimilarPlan#candidates} most-voted partners; a pair kept by either side is
 *       scored exactly, both ways, over all the excerpts of both tracks (the score {@code query} gives),
 *       and each track keeps its best {@code k}.</li>
 * </ol>
 *
 * <p>A listed score is exact; what can be missed is a similar track whose excerpts never shared a
 * bucket with the track's, or that fell below the cap. The scoring, which moves the vectors, grows
 * linearly with the catalogue (at most {@code candidates} pairs per track); the bits grow with the
 * catalogue so that buckets stay near {@link SimilarPlan#BUCKET} excerpts ({@link SimilarPlan#ALIGNED_BUCKET} hashed
 * vectors with alignment). Measured growth: docs/SCALING.md.
 * Output: {@code OUT/similar} (Parquet: track, similar[{track, score}]) and {@code OUT/similar.jsonl}
 * (one line per track, best first).
 *
 * <p>Stateless; the functions shipped to executors are serialisable.
 */
public final class SimilarJob {

  /** The output rows. */
  public static final StructType SIMILAR = new StructType()
      .add("track", DataTypes.StringType, false)
      .add("similar", DataTypes.createArrayType(new StructType()
          .add("track", DataTypes.StringType, false)
          .add("score", DataTypes.DoubleType, false), false), false);

  /**
   * What one run did: {@code sharedPairs} track pairs shared a bucket, {@code candidatePairs} of them
   * were scored exactly.
   */
  public record Summary(int tracks, long excerpts, SimilarPlan plan, long sharedPairs, long candidatePairs, double seconds) {}

  /** One other track and its score. */
  public record Neighbour(String track, double score) implements Serializable {}

  private SimilarJob() {}

  /** Tempo steps ({@link TempoAlignment#STEP}) between the rescaled copies of an excerpt that are hashed. */
  public static final int BAND_STEPS = 4;

  /** {@link #run(SparkSession, String, String, int, SimilarPlan, TempoAlignment)} with the default tempo alignment. */
  public static Summary run(SparkSession spark, String in, String out, int k, SimilarPlan plan) throws IOException {
    return run(spark, in, out, k, plan, TempoAlignment.DEFAULT);
  }

  /**
   * Builds the graph of {@code in}/excerpts into {@code out} with {@code plan} (null: {@link
   * SimilarPlan#forSize} with seed 42), scored with {@code alignment} as {@code query} scores.
   */
  public static Summary run(SparkSession spark, String in, String out, int k, SimilarPlan plan, TempoAlignment alignment)
      throws IOException {
    long t0 = System.nanoTime();
    Prepared prep = prepare(spark, in, alignment);
    JavaSparkContext jsc = prep.jsc();
    JavaRDD<Excerpt> excerpts = prep.excerpts();
    SimilarPlan p = plan != null ? plan : SimilarPlan.forSize(prep.count(), hashedPerExcerpt(prep.similarity()), k, 42);
    Broadcast<float[]> centre = jsc.broadcast(meanDirection(excerpts));
    Similarity similarity = prep.similarity();

    // 1. (table, code) -> the tracks with an excerpt in that bucket: only numbers travel
    int tables = p.tables();
    JavaPairRDD<Long, Integer> keys = excerpts.mapPartitionsToPair(it -> {
      List<Excerpt> part = new ArrayList<>();
      it.forEachRemaining(part::add);
      java.util.Set<Tuple2<Long, Integer>> outRows = new java.util.LinkedHashSet<>();
      if (part.isEmpty()) {
        return outRows.iterator();
      }
      List<float[]> hashed = new ArrayList<>();
      List<Integer> owner = new ArrayList<>(); // track << 1, | 1 for the excerpt as it is (0: a rescaled copy)
      for (Excerpt e : part) {
        List<float[]> copies = hashedCopies(e, similarity);
        for (int c = 0; c < copies.size(); c++) {
          hashed.add(copies.get(c));
          owner.add(e.track << 1 | (c == 0 ? 1 : 0));
        }
      }
      int dim = part.get(0).unit.length;
      float[] data = new float[hashed.size() * dim];
      for (int i = 0; i < hashed.size(); i++) {
        System.arraycopy(hashed.get(i), 0, data, i * dim, dim);
      }
      LshIndex lsh = new LshIndex(new VectorMatrix(data, dim), p.lsh(), null, centre.value());
      for (int t = 0; t < tables; t++) {
        int[] codes = lsh.rowCodes(t);
        for (int i = 0; i < hashed.size(); i++) {
          outRows.add(new Tuple2<>(((long) t << 32) | (codes[i] & 0xffffffffL), owner.get(i)));
        }
      }
      return outRows.iterator();
    }).distinct();
    // 2. track pairs sharing a bucket, with the number of buckets they share (their votes)
    // two excerpts as they are sharing a bucket vote ORIGINAL_VOTE, a rescaled copy 1: the plain neighbours
    // keep the ranking they had without alignment, the tempo-aligned ones join them behind
    int originalVote = 1 + ApproximateSearch.bands(similarity.steps(), BAND_STEPS).size();
    JavaPairRDD<Long, Integer> votes = keys.groupByKey().flatMapToPair(b -> {
      int[] t = java.util.stream.StreamSupport.stream(b._2().spliterator(), false).mapToInt(Integer::intValue)
          .sorted().toArray();
      Map<Long, Integer> pairs = new LinkedHashMap<>();
      for (int i = 0; i < t.length; i++) {
        for (int j = i + 1; j < t.length; j++) {
          int a = t[i] >>> 1;
          int c = t[j] >>> 1;
          if (a != c) {
            pairs.merge(a < c ? ((long) a << 32) | c : ((long) c << 32) | a, (t[i] & t[j] & 1) == 1 ? originalVote : 1,
                Math::max);
          }
        }
      }
      List<Tuple2<Long, Integer>> voted = new ArrayList<>();
      pairs.forEach((pr, v) -> voted.add(new Tuple2<>(pr, v)));
      return voted.iterator();
    }).reduceByKey(Integer::sum).cache();
    long shared = votes.count();
    // 3. each track's most-voted partners (ties: the lower id); a pair is scored when either side keeps it
    int cap = p.candidates();
    JavaRDD<Long> candidates = votes.flatMapToPair(v -> {
      int a = (int) (v._1() >>> 32);
      int b = (int) (long) v._1();
      return List.of(new Tuple2<>(a, new int[] {b, v._2()}), new Tuple2<>(b, new int[] {a, v._2()})).iterator();
    }).groupByKey().flatMap(e -> {
      List<int[]> partners = new ArrayList<>();
      e._2().forEach(partners::add);
      partners.sort(Comparator.comparingInt((int[] x) -> -x[1]).thenComparingInt(x -> x[0]));
      int a = e._1();
      List<Long> keep = new ArrayList<>();
      for (int[] x : partners.subList(0, Math.min(cap, partners.size()))) {
        keep.add(a < x[0] ? ((long) a << 32) | x[0] : ((long) x[0] << 32) | a);
      }
      return keep.iterator();
    }).distinct().cache();
    votes.unpersist();
    return finish(spark, prep, candidates, shared, out, k, p, t0);
  }

  /**
   * The tracks (sorted paths; a track's id is its index) and their excerpts (unit vectors and tempi),
   * cached, with the similarity that scores them.
   */
  private record Prepared(JavaSparkContext jsc, List<String> paths, JavaRDD<Excerpt> excerpts, long count,
      Similarity similarity) {}

  private static Prepared prepare(SparkSession spark, String in, TempoAlignment alignment) {
    Dataset<Row> all = spark.read().parquet(in + "/excerpts");
    Similarity similarity = new Similarity(feature(all), Metric.COSINE, alignment);
    Dataset<Row> rows = all.select("path", ParquetVectors.column(all), "tempo", "start");
    List<String> paths = new ArrayList<>();
    for (Row r : rows.select("path").distinct().orderBy("path").collectAsList()) {
      paths.add(r.getString(0));
    }
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      ids.put(paths.get(i), i);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<String, Integer>> idOf = jsc.broadcast(ids);
    JavaRDD<Excerpt> excerpts = rows.javaRDD().map(r -> Excerpt.of(idOf.value().get(r.getString(0)), ParquetVectors.of(r, 1),
        r.isNullAt(2) ? Float.NaN : (float) r.getDouble(2), r.getDouble(3))).cache();
    return new Prepared(jsc, paths, excerpts, excerpts.count(), similarity);
  }

  /** The feature configuration the excerpts were extracted with (its {@code name@version} in the column {@code feature}). */
  private static FeatureConfig feature(Dataset<Row> excerpts) {
    Row first = excerpts.select("feature").first();
    String id = first == null ? FeatureConfigs.DEFAULT.id() : first.getString(0);
    FeatureConfig c = FeatureConfigs.byName(id.substring(0, id.indexOf('@')));
    if (!c.id().equals(id)) {
      throw new IllegalArgumentException("the excerpts are " + id + ", this build computes " + c.id());
    }
    return c;
  }

  /**
   * The vectors an excerpt is hashed as: its own, and with tempo alignment its copies rescaled to the
   * middle step of each band of {@value #BAND_STEPS} steps within the alignment's tolerance.
   */
  /** Vectors hashed per excerpt with a tempo: itself, and with alignment one rescaled copy per band. */
  public static int hashedPerExcerpt(Similarity similarity) {
    return similarity.aligns() ? 1 + ApproximateSearch.bands(similarity.steps(), BAND_STEPS).size() : 1;
  }

  /** The default {@link SimilarPlan} for the excerpts of {@code in} scored with {@code alignment}. */
  public static SimilarPlan defaultPlan(SparkSession spark, String in, int k, TempoAlignment alignment) {
    Dataset<Row> all = spark.read().parquet(in + "/excerpts");
    Similarity similarity = new Similarity(feature(all), Metric.COSINE, alignment);
    return SimilarPlan.forSize(all.count(), hashedPerExcerpt(similarity), k, 42);
  }

  static List<float[]> hashedCopies(Excerpt e, Similarity similarity) {
    List<float[]> out = new ArrayList<>();
    out.add(e.unit);
    if (similarity.aligns() && e.tempo > 0 && !e.zero) {
      if (e.unit.length != similarity.config().dimension()) {
        throw new IllegalArgumentException("an excerpt has " + e.unit.length + " values, but " + similarity.config().id()
            + " has " + similarity.config().dimension() + ": not its vectors (plain cosine needs --tempo-align 0)");
      }
      for (int[] band : ApproximateSearch.bands(similarity.steps(), BAND_STEPS)) {
        out.add(PostProcessing.tempoScaled(similarity.config(), e.unit, 1 + (band[0] + band[1]) / 2 * TempoAlignment.STEP));
      }
    }
    return out;
  }

  /**
   * The same graph with Spark MLlib's own LSH as the candidate generator, for comparison: {@code
   * BucketedRandomProjectionLSH} ({@code tables} hash tables of bucket length {@code bucketLength}) and its
   * {@code approxSimilarityJoin} of the excerpts with themselves at Euclidean distance {@code maxDistance}
   * (unit vectors: distance d means cosine 1 − d²/2); two tracks with a joined excerpt pair are a
   * candidate pair, scored exactly as in {@link #run}.
   */
  public static Summary runMllib(SparkSession spark, String in, String out, int k, int tables, double bucketLength,
      double maxDistance) throws IOException {
    return runMllib(spark, in, out, k, tables, bucketLength, maxDistance, TempoAlignment.DEFAULT);
  }

  /** {@link #runMllib(SparkSession, String, String, int, int, double, double)}, scored with {@code alignment}. */
  public static Summary runMllib(SparkSession spark, String in, String out, int k, int tables, double bucketLength,
      double maxDistance, TempoAlignment alignment) throws IOException {
    long t0 = System.nanoTime();
    Prepared prep = prepare(spark, in, alignment);
    StructType schema = new StructType().add("track", DataTypes.IntegerType, false)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT(), false);
    JavaRDD<Row> vectors = prep.excerpts().map(e -> {
      double[] d = new double[e.unit.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = e.unit[i];
      }
      return RowFactory.create(e.track, org.apache.spark.ml.linalg.Vectors.dense(d));
    });
    Dataset<Row> df = spark.createDataFrame(vectors, schema).cache();
    var model = new org.apache.spark.ml.feature.BucketedRandomProjectionLSH().setInputCol("features")
        .setOutputCol("hashes").setBucketLength(bucketLength).setNumHashTables(tables).setSeed(42).fit(df);
    Dataset<Row> joined = model.approxSimilarityJoin(df, df, maxDistance, "distance")
        .selectExpr("datasetA.track AS a", "datasetB.track AS b").where("a < b").distinct();
    JavaRDD<Long> candidates = joined.javaRDD().map(r -> ((long) r.getInt(0) << 32) | r.getInt(1)).cache();
    long pairs = candidates.count();
    Summary s = finish(spark, prep, candidates, pairs, out, k, new SimilarPlan(1, tables, Integer.MAX_VALUE, 42), t0);
    df.unpersist();
    return s;
  }

  /** Scores every candidate pair exactly, keeps each track's best k, writes the outputs. */
  private static Summary finish(SparkSession spark, Prepared prep, JavaRDD<Long> candidates, long shared,
      String out, int k, SimilarPlan p, long t0) throws IOException {
    JavaSparkContext jsc = prep.jsc();
    JavaRDD<Excerpt> excerpts = prep.excerpts();
    List<String> paths = prep.paths();
    long n = prep.count();
    long candidatePairs = candidates.count();
    // 3. each candidate pair scored exactly, both ways, over all the excerpts of both tracks
    Similarity similarity = prep.similarity();
    JavaPairRDD<Integer, Excerpt[]> matrices = excerpts.mapToPair(e -> new Tuple2<>(e.track, e)).groupByKey()
        .mapValues(vs -> {
          List<Excerpt> list = new ArrayList<>();
          vs.forEach(list::add);
          return list.toArray(Excerpt[]::new);
        });
    JavaPairRDD<Integer, Tuple2<Integer, Double>> scores = candidates
        .mapToPair(c -> new Tuple2<>((int) (c >>> 32), (int) (long) c))
        .join(matrices)
        .mapToPair(e -> new Tuple2<>(e._2()._1(), new Tuple2<>(e._1(), e._2()._2())))
        .join(matrices)
        .flatMapToPair(e -> {
          int b = e._1();
          int a = e._2()._1()._1();
          Excerpt[] ma = e._2()._1()._2();
          Excerpt[] mb = e._2()._2();
          return List.of(new Tuple2<>(a, new Tuple2<>(b, score(similarity, ma, mb))),
              new Tuple2<>(b, new Tuple2<>(a, score(similarity, mb, ma)))).iterator();
        });
    Broadcast<List<String>> names = jsc.broadcast(paths);
    JavaRDD<Row> graph = scores.groupByKey().map(e -> {
      List<Tuple2<Integer, Double>> all = new ArrayList<>();
      e._2().forEach(all::add);
      all.sort(Comparator.comparingDouble((Tuple2<Integer, Double> x) -> -x._2()).thenComparing(x -> x._1()));
      List<Row> top = new ArrayList<>();
      for (Tuple2<Integer, Double> x : all.subList(0, Math.min(k, all.size()))) {
        top.add(RowFactory.create(names.value().get(x._1()), x._2()));
      }
      return RowFactory.create(names.value().get(e._1()), scala.jdk.javaapi.CollectionConverters.asScala(top)
          .toList());
    });
    Dataset<Row> similar = spark.createDataFrame(graph, SIMILAR).orderBy("track").cache();
    similar.write().mode(SaveMode.Overwrite).parquet(out + "/similar");
    writeJsonLines(spark, similar, out + "/similar.jsonl");
    similar.unpersist();
    candidates.unpersist();
    excerpts.unpersist();
    return new Summary(paths.size(), n, p, shared, candidatePairs, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The score {@code query} gives track {@code m} for query track {@code q} ({@link TrackSearch#meanOfBest},
   * excerpts in start order as the index keeps them).
   */
  static double score(Similarity similarity, Excerpt[] q, Excerpt[] m) {
    List<ExcerptVector> query = new ArrayList<>();
    for (Excerpt x : sorted(q)) {
      query.add(new ExcerptVector(x.start, x.unit, x.tempo));
    }
    Excerpt[] rows = sorted(m);
    int dim = rows[0].unit.length;
    float[] data = new float[rows.length * dim];
    float[] tempo = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i].unit, 0, data, i * dim, dim);
      tempo[i] = rows[i].tempo;
    }
    return TrackSearch.meanOfBest(similarity, query, new VectorMatrix(data, dim), tempo);
  }

  private static Excerpt[] sorted(Excerpt[] xs) {
    Excerpt[] out = xs.clone();
    java.util.Arrays.sort(out, Comparator.comparingDouble((Excerpt x) -> x.start));
    return out;
  }

  private static void writeJsonLines(SparkSession spark, Dataset<Row> similar, String file) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    ObjectMapper json = new ObjectMapper();
    try (Writer w = new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8)) {
      java.util.Iterator<Row> it = similar.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("track", r.getString(0));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row x : r.<Row>getList(1)) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("track", x.getString(0));
          m.put("score", x.getDouble(1));
          list.add(m);
        }
        line.put("similar", list);
        w.write(json.writeValueAsString(line));
        w.write('\n');
      }
    }
  }

  /** The mean of the unit rows (the hyperplanes' centre, as the core's {@code LshIndex.meanDirection}). */
  private static float[] meanDirection(JavaRDD<Excerpt> excerpts) {
    Tuple2<double[], Long> sum = excerpts.map(e -> {
      double[] d = new double[e.unit.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = e.unit[i];
      }
      return new Tuple2<>(d, e.zero ? 0L : 1L);
    }).treeReduce((a, b) -> {
      for (int i = 0; i < a._1().length; i++) {
        a._1()[i] += b._1()[i];
      }
      return new Tuple2<>(a._1(), a._2() + b._2());
    });
    float[] mean = new float[sum._1().length];
    for (int i = 0; i < mean.length && sum._2() > 0; i++) {
      mean[i] = (float) (sum._1()[i] / sum._2());
    }
    return mean;
  }

  /** One excerpt: its track, start (s), unit vector (all zeros for a silent excerpt) and tempo (BPM, NaN when unknown). */
  static final class Excerpt implements Serializable {
    private static final long serialVersionUID = 2L;
    final int track;
    final float[] unit;
    final boolean zero;
    final float tempo;
    final double start;

    private Excerpt(int track, float[] unit, boolean zero, float tempo, double start) {
      this.track = track;
      this.unit = unit;
      this.zero = zero;
      this.tempo = tempo;
      this.start = start;
    }

    static Excerpt of(int track, float[] v, float tempo, double start) {
      double ss = 0;
      for (float x : v) {
        ss += (double) x * x;
      }
      boolean zero = ss == 0;
      if (!zero) {
        float inv = (float) (1 / Math.sqrt(ss));
        for (int i = 0; i < v.length; i++) {
          v[i] *= inv;
        }
      }
      return new Excerpt(track, v, zero, tempo, start);
    }
  }
}
