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
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.VectorMatrix;
import scala.Tuple2;

/**
 * The similarity job: from {@link ExtractJob}'s Parquet, for every track its {@code k} most rhythmically
 * similar tracks, scored as {@code query} scores them with {@code --aggregate mean} and plain cosine
 * (for each of the track's excerpts its best cosine with the other track's excerpts, averaged over the
 * track's excerpts), without comparing every pair of tracks:
 *
 * <ol>
 *   <li>every excerpt is hashed with the core library's random-hyperplane LSH (the same hyperplanes on
 *       every executor: one seed, one centre computed over all vectors) into one bucket per table;</li>
 *   <li>two tracks with an excerpt each in one bucket, in any table, are a candidate pair;</li>
 *   <li>each candidate pair is scored exactly, both ways, over all the excerpts of both tracks (the
 *       score {@code query} gives), and each track keeps its best {@code k}.</li>
 * </ol>
 *
 * <p>A listed score is exact; what LSH can miss is a similar track whose excerpts never shared a bucket
 * with the track's. The work grows with the candidate pairs, close to linearly with the catalogue when
 * buckets stay small. Output: {@code OUT/similar} (Parquet: track, similar[{track, score}]) and {@code
 * OUT/similar.jsonl} (one line per track, best first).
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

  /** What one run did. */
  public record Summary(int tracks, long excerpts, LshIndex.Params params, long candidatePairs, double seconds) {}


  /** One other track and its score. */
  public record Neighbour(String track, double score) implements Serializable {}

  private SimilarJob() {}

  /**
   * Builds the graph of {@code in}/excerpts into {@code out}, with LSH parameters {@code params} (null:
   * the size-based defaults of {@link LshIndex.Params#forSize} with seed 42).
   */
  public static Summary run(SparkSession spark, String in, String out, int k, LshIndex.Params params)
      throws IOException {
    long t0 = System.nanoTime();
    Prepared prep = prepare(spark, in);
    JavaSparkContext jsc = prep.jsc();
    JavaRDD<Excerpt> excerpts = prep.excerpts();
    long n = prep.count();
    LshIndex.Params p = params != null ? params : LshIndex.Params.forSize((int) Math.min(n, Integer.MAX_VALUE), 42);
    float[] center = meanDirection(excerpts);
    Broadcast<float[]> centre = jsc.broadcast(center);

    // 1. (table, code) -> the excerpts in that bucket (Params is not serialisable: its values travel)
    int bits = p.bits();
    int tables = p.tables();
    int probes = p.probes();
    int rerank = p.rerank();
    long seed = p.seed();
    JavaPairRDD<Long, Excerpt> buckets = excerpts.mapPartitionsToPair(it -> {
      LshIndex.Params here = new LshIndex.Params(bits, tables, probes, rerank, seed);
      List<Excerpt> part = new ArrayList<>();
      it.forEachRemaining(part::add);
      List<Tuple2<Long, Excerpt>> outRows = new ArrayList<>();
      if (part.isEmpty()) {
        return outRows.iterator();
      }
      int dim = part.get(0).unit.length;
      float[] data = new float[part.size() * dim];
      for (int i = 0; i < part.size(); i++) {
        System.arraycopy(part.get(i).unit, 0, data, i * dim, dim);
      }
      LshIndex lsh = new LshIndex(new VectorMatrix(data, dim), here, null, centre.value());
      for (int t = 0; t < tables; t++) {
        int[] codes = lsh.rowCodes(t);
        for (int i = 0; i < part.size(); i++) {
          outRows.add(new Tuple2<>(((long) t << 32) | (codes[i] & 0xffffffffL), part.get(i)));
        }
      }
      return outRows.iterator();
    });
    // 2. candidate track pairs: two tracks with an excerpt each in one bucket of one table
    JavaRDD<Long> candidates = buckets.groupByKey().flatMap(b -> {
      java.util.Set<Integer> tracksHere = new java.util.TreeSet<>();
      b._2().forEach(x -> tracksHere.add(x.track));
      Integer[] t = tracksHere.toArray(Integer[]::new);
      List<Long> pairs = new ArrayList<>();
      for (int i = 0; i < t.length; i++) {
        for (int j = i + 1; j < t.length; j++) {
          pairs.add(((long) t[i] << 32) | t[j]);
        }
      }
      return pairs.iterator();
    }).distinct().cache();
    return finish(spark, prep, candidates, out, k, p, t0);
  }

  /** The tracks (sorted paths; a track's id is its index) and their excerpts, unit vectors, cached. */
  private record Prepared(JavaSparkContext jsc, List<String> paths, JavaRDD<Excerpt> excerpts, long count) {}

  private static Prepared prepare(SparkSession spark, String in) {
    Dataset<Row> rows = spark.read().parquet(in + "/excerpts").select("path", "start", "vector");
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
    JavaRDD<Excerpt> excerpts = rows.javaRDD().map(r -> Excerpt.of(idOf.value().get(r.getString(0)), r.getDouble(1),
        r.getList(2))).cache();
    return new Prepared(jsc, paths, excerpts, excerpts.count());
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
    long t0 = System.nanoTime();
    Prepared prep = prepare(spark, in);
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
    Summary s = finish(spark, prep, candidates, out, k, new LshIndex.Params(1, tables, tables, 42), t0);
    df.unpersist();
    return s;
  }

  /** Scores every candidate pair exactly, keeps each track's best k, writes the outputs. */
  private static Summary finish(SparkSession spark, Prepared prep, JavaRDD<Long> candidates, String out, int k,
      LshIndex.Params p, long t0) throws IOException {
    JavaSparkContext jsc = prep.jsc();
    JavaRDD<Excerpt> excerpts = prep.excerpts();
    List<String> paths = prep.paths();
    long n = prep.count();
    long candidatePairs = candidates.count();
    // 3. each candidate pair scored exactly, both ways, over all the excerpts of both tracks
    JavaPairRDD<Integer, float[][]> matrices = excerpts.mapToPair(e -> new Tuple2<>(e.track, e.unit)).groupByKey()
        .mapValues(vs -> {
          List<float[]> list = new ArrayList<>();
          vs.forEach(list::add);
          return list.toArray(float[][]::new);
        });
    JavaPairRDD<Integer, Tuple2<Integer, Double>> scores = candidates
        .mapToPair(c -> new Tuple2<>((int) (c >>> 32), (int) (long) c))
        .join(matrices)
        .mapToPair(e -> new Tuple2<>(e._2()._1(), new Tuple2<>(e._1(), e._2()._2())))
        .join(matrices)
        .flatMapToPair(e -> {
          int b = e._1();
          int a = e._2()._1()._1();
          float[][] ma = e._2()._1()._2();
          float[][] mb = e._2()._2();
          return List.of(new Tuple2<>(a, new Tuple2<>(b, meanBest(ma, mb))),
              new Tuple2<>(b, new Tuple2<>(a, meanBest(mb, ma)))).iterator();
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
    return new Summary(paths.size(), n, p, candidatePairs, (System.nanoTime() - t0) / 1e9);
  }

  /** {@code query}'s mean rule: for each row of {@code q} its best dot product with {@code m}'s rows, averaged. */
  static double meanBest(float[][] q, float[][] m) {
    double sum = 0;
    for (float[] x : q) {
      double best = Double.NEGATIVE_INFINITY;
      for (float[] y : m) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
          d += (double) x[i] * y[i];
        }
        best = Math.max(best, d);
      }
      sum += best;
    }
    return sum / q.length;
  }

  /** The graph as read back from {@code out}/similar: track -> its neighbours, best first. */
  public static Map<String, List<Neighbour>> read(SparkSession spark, String out) {
    Map<String, List<Neighbour>> graph = new LinkedHashMap<>();
    for (Row r : spark.read().parquet(out + "/similar").collectAsList()) {
      List<Neighbour> list = new ArrayList<>();
      for (Row x : r.<Row>getList(1)) {
        list.add(new Neighbour(x.getString(0), x.getDouble(1)));
      }
      graph.put(r.getString(0), list);
    }
    return graph;
  }

  /**
   * The exact graph, for checking: every excerpt loaded on the driver and every track queried against
   * all others by the core library (the same rule: {@code mean} aggregation, plain cosine, no tempo
   * alignment). Quadratic: for a sample or a small catalogue.
   */
  public static Map<String, List<Neighbour>> exactGraph(SparkSession spark, String in, int k) {
    List<Row> rows = spark.read().parquet(in + "/excerpts").select("path", "start", "vector", "tempo", "hash",
        "durationSeconds").orderBy("path", "start").collectAsList();
    List<org.rhythmsearch.store.TrackRecord> tracks = new ArrayList<>();
    int dim = rows.isEmpty() ? 1 : rows.get(0).getList(2).size();
    float[] data = new float[rows.size() * dim];
    int[] rowTrack = new int[rows.size()];
    float[] start = new float[rows.size()];
    float[] tempo = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (tracks.isEmpty() || !tracks.get(tracks.size() - 1).path().equals(r.getString(0))) {
        tracks.add(new org.rhythmsearch.store.TrackRecord(tracks.size() + 1, r.getString(0), 0, 0, r.getString(4),
            r.getDouble(5), 0, null));
      }
      List<Float> v = r.getList(2);
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] = v.get(j);
      }
      rowTrack[i] = tracks.size() - 1;
      start[i] = (float) r.getDouble(1);
      tempo[i] = r.isNullAt(3) ? Float.NaN : (float) r.getDouble(3);
    }
    String feature = spark.read().parquet(in + "/excerpts").select("feature").first().getString(0);
    var config = org.rhythmsearch.features.FeatureConfigs.byName(feature.substring(0, feature.indexOf('@')));
    var service = new org.rhythmsearch.search.QueryService(new org.rhythmsearch.store.Snapshot(config, tracks,
        new VectorMatrix(data, dim), rowTrack, start, tempo), null);
    var options = new org.rhythmsearch.search.QueryOptions(k, org.rhythmsearch.search.Aggregation.MEAN,
        org.rhythmsearch.index.Metric.COSINE, false, 0, org.rhythmsearch.search.TempoAlignment.OFF);
    Map<String, List<Neighbour>> graph = new LinkedHashMap<>();
    for (var t : tracks) {
      List<Neighbour> list = new ArrayList<>();
      try {
        for (var m : service.queryTrack(Long.toString(t.id()), options).matches()) {
          list.add(new Neighbour(m.track().path(), m.score()));
        }
      } catch (org.rhythmsearch.search.QueryException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      graph.put(t.path(), list);
    }
    return graph;
  }

  /**
   * The recall of {@code exact}'s top {@code k} in {@code approx}: the fraction of each track's true
   * {@code k} nearest that the approximate graph lists, averaged over the tracks.
   */
  public static double recall(Map<String, List<Neighbour>> approx, Map<String, List<Neighbour>> exact, int k) {
    double sum = 0;
    int n = 0;
    for (Map.Entry<String, List<Neighbour>> e : exact.entrySet()) {
      List<Neighbour> truth = e.getValue().subList(0, Math.min(k, e.getValue().size()));
      if (truth.isEmpty()) {
        continue;
      }
      java.util.Set<String> got = new java.util.HashSet<>();
      approx.getOrDefault(e.getKey(), List.of()).stream().limit(k).forEach(x -> got.add(x.track()));
      sum += truth.stream().filter(x -> got.contains(x.track())).count() / (double) truth.size();
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
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

  /** One excerpt: its track, start and unit vector. */
  static final class Excerpt implements Serializable {
    private static final long serialVersionUID = 1L;
    final int track;
    final float start;
    final float[] unit;
    final boolean zero;

    private Excerpt(int track, float start, float[] unit, boolean zero) {
      this.track = track;
      this.start = start;
      this.unit = unit;
      this.zero = zero;
    }

    static Excerpt of(int track, double start, List<Float> vector) {
      float[] v = new float[vector.size()];
      double ss = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = vector.get(i);
        ss += (double) v[i] * v[i];
      }
      boolean zero = ss == 0;
      if (!zero) {
        float inv = (float) (1 / Math.sqrt(ss));
        for (int i = 0; i < v.length; i++) {
          v[i] *= inv;
        }
      }
      return new Excerpt(track, (float) start, v, zero);
    }

    /** Track and start in one long: the key of "this excerpt". */
    long key() {
      return ((long) track << 32) | (Float.floatToRawIntBits(start) & 0xffffffffL);
    }

    static int trackOf(long key) {
      return (int) (key >>> 32);
    }

    double dot(Excerpt o) {
      double s = 0;
      for (int i = 0; i < unit.length; i++) {
        s += (double) unit[i] * o.unit[i];
      }
      return s;
    }
  }
}
