package org.rhythmsearch.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.search.FileHash;
import org.rhythmsearch.search.Indexer;

/**
 * The extraction job: a list of audio files (any Hadoop file system path) in, Parquet out, the core
 * library on the executors.
 *
 * <ul>
 *   <li>{@code OUT/excerpts}: one row per excerpt: {@code path} (a local file's absolute, normalised path,
 *       as {@code index} stores it), {@code hash} (SHA-256 of the file), {@code size} and {@code mtimeMillis},
 *       {@code durationSeconds}, {@code start}, {@code feature} (id@version), {@code vector}
 *       (array of float32), {@code tempo} (BPM, null when unknown);</li>
 *   <li>{@code OUT/errors}: one row per file that gave no vector: {@code path}, {@code hash} (null when
 *       the file could not be read), {@code reason}. Undecodable files land here and never fail the job.</li>
 * </ul>
 *
 * <p>Re-running appends only what is new: a file whose hash is already in {@code OUT/excerpts} or
 * {@code OUT/errors} is skipped (its hash is still computed, which reads the file once).
 *
 * <p>Stateless; the functions shipped to executors are serialisable.
 */
public final class ExtractJob {

  /** The columns of {@code OUT/excerpts}. */
  public static final StructType EXCERPTS = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("hash", DataTypes.StringType, false)
      .add("size", DataTypes.LongType, false)
      .add("mtimeMillis", DataTypes.LongType, false)
      .add("durationSeconds", DataTypes.DoubleType, false)
      .add("start", DataTypes.DoubleType, false)
      .add("feature", DataTypes.StringType, false)
      .add(ParquetVectors.CODE, DataTypes.BinaryType, false)
      .add("tempo", DataTypes.DoubleType, true);

  /** The columns of {@code OUT/excerpts} as outputs written before int8 codes have them: float32 {@code vector}. */
  static final StructType EXCERPTS_FLOAT32 = new StructType(java.util.Arrays.stream(EXCERPTS.fields())
      .map(f -> f.name().equals(ParquetVectors.CODE) ? new org.apache.spark.sql.types.StructField(ParquetVectors.VECTOR,
          DataTypes.createArrayType(DataTypes.FloatType, false), false, org.apache.spark.sql.types.Metadata.empty()) : f)
      .toArray(org.apache.spark.sql.types.StructField[]::new));

  /** The columns of {@code OUT/errors}. */
  public static final StructType ERRORS = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("hash", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false);

  /** One file's outcome, before it is split into excerpt rows and error rows. */
  private static final StructType OUTCOME = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("hash", DataTypes.StringType, true)
      .add("size", DataTypes.LongType, false)
      .add("mtimeMillis", DataTypes.LongType, false)
      .add("durationSeconds", DataTypes.DoubleType, false)
      .add("excerpts", DataTypes.createArrayType(new StructType()
          .add("start", DataTypes.DoubleType, false)
          .add(ParquetVectors.CODE, DataTypes.BinaryType, true)
          .add(ParquetVectors.VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), true)
          .add("tempo", DataTypes.DoubleType, true)), false)
      .add("reason", DataTypes.StringType, true)
      .add("skipped", DataTypes.BooleanType, false);

  /** What one run did. */
  public record Summary(long files, long skipped, long extracted, long excerpts, long errors, double audioSeconds)
      implements Serializable {}

  private ExtractJob() {}

  /**
   * Extracts every file listed in {@code list} (a text file, one path per line; blank lines and lines
   * starting with {@code #} are ignored) into {@code out}, with {@code feature}.
   */
  public static Summary run(SparkSession spark, String list, String out, FeatureConfig feature) throws IOException {
    Dataset<String> paths = spark.read().textFile(list).map(
        (org.apache.spark.api.java.function.MapFunction<String, String>) String::strip, Encoders.STRING())
        .filter((org.apache.spark.api.java.function.FilterFunction<String>) s -> !s.isEmpty() && !s.startsWith("#"))
        .distinct();
    Set<String> done = knownHashes(spark, out);
    String column = vectorColumn(spark, out);
    Broadcast<Set<String>> known = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(done);
    String featureName = feature.id().substring(0, feature.id().indexOf('@'));
    long files = paths.count();
    int partitions = (int) Math.max(1, Math.min(files, 4L * spark.sparkContext().defaultParallelism()));
    Dataset<Row> outcomes = paths.repartition(partitions)
        .flatMap(new Extract(featureName, known, column), Encoders.row(OUTCOME))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> excerpts = outcomes.filter("reason IS NULL AND NOT skipped")
          .selectExpr("path", "hash", "size", "mtimeMillis", "durationSeconds", "explode(excerpts) AS x")
          .selectExpr("path", "hash", "size", "mtimeMillis", "durationSeconds", "x.start AS start",
              "'" + feature.id() + "' AS feature",
              "x." + column + " AS " + column, "x.tempo AS tempo");
      Dataset<Row> errors = outcomes.filter("reason IS NOT NULL").select("path", "hash", "reason");
      excerpts.write().mode(SaveMode.Append).parquet(out + "/excerpts");
      errors.write().mode(SaveMode.Append).parquet(out + "/errors");
      long skipped = outcomes.filter("skipped").count();
      long failed = outcomes.filter("reason IS NOT NULL").count();
      Row sums = outcomes.filter("reason IS NULL AND NOT skipped").selectExpr(
          "CAST(coalesce(sum(size(excerpts)), 0) AS BIGINT)", "CAST(coalesce(sum(durationSeconds), 0) AS DOUBLE)").first();
      return new Summary(files, skipped, files - skipped - failed, sums.getLong(0), failed, sums.getDouble(1));
    } finally {
      outcomes.unpersist();
    }
  }

  /**
   * The column new excerpts go to: that of the excerpts already in {@code out} (an output written before
   * int8 codes keeps float32 vectors), else {@link ParquetVectors#CODE}.
   */
  private static String vectorColumn(SparkSession spark, String out) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(out, "excerpts");
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    return fs.exists(p) ? ParquetVectors.column(spark.read().parquet(p.toString())) : ParquetVectors.CODE;
  }

  /** The hashes already in {@code out} (excerpts and errors), so a re-run skips them. */
  private static Set<String> knownHashes(SparkSession spark, String out) throws IOException {
    Set<String> hashes = new HashSet<>();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (String part : List.of("excerpts", "errors")) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root, part);
      if (fs.exists(p)) {
        for (Row r : spark.read().parquet(p.toString()).select("hash").where("hash IS NOT NULL").distinct()
            .collectAsList()) {
          hashes.add(r.getString(0));
        }
      }
    }
    return hashes;
  }

  /** Runs on the executors: one path in, its outcome out. */
  static final class Extract implements FlatMapFunction<String, Row> {
    private static final long serialVersionUID = 1L;
    private final String featureName;
    private final Broadcast<Set<String>> known;
    private final String column;

    /** @param column where the vectors go: {@link ParquetVectors#CODE} or {@link ParquetVectors#VECTOR} */
    Extract(String featureName, Broadcast<Set<String>> known, String column) {
      this.featureName = featureName;
      this.known = known;
      this.column = column;
    }

    @Override
    public Iterator<Row> call(String path) {
      return Collections.singletonList(outcome(path)).iterator();
    }

    private Row outcome(String given) {
      Path local = null;
      boolean copied = false;
      String path = given;
      long size = 0;
      long mtime = 0;
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(given);
        String scheme = p.toUri().getScheme();
        if (scheme == null || "file".equals(scheme)) {
          local = Path.of(p.toUri().getPath());
          path = Indexer.key(local);
          size = Files.size(local);
          mtime = Files.getLastModifiedTime(local).toMillis();
        } else { // HDFS, S3, …: decode a local copy
          FileSystem fs = p.getFileSystem(new Configuration());
          org.apache.hadoop.fs.FileStatus st = fs.getFileStatus(p);
          size = st.getLen();
          mtime = st.getModificationTime();
          local = Files.createTempFile("rhythmsearch-", "-" + p.getName());
          copied = true;
          fs.copyToLocalFile(p, new org.apache.hadoop.fs.Path(local.toString()));
        }
        String hash = FileHash.sha256(local);
        if (known.value().contains(hash)) {
          return RowFactory.create(path, hash, size, mtime, 0.0, seq(List.of()), null, true);
        }
        FeatureConfig config = FeatureConfigs.byName(featureName);
        TrackFeatures f = new FeatureExtractor(config).track(local, config.excerptSeconds());
        if (f.problem() != null) {
          return RowFactory.create(path, hash, size, mtime, f.durationSeconds(), seq(List.of()), f.problem(), false);
        }
        List<Row> excerpts = new ArrayList<>();
        for (ExcerptVector x : f.excerpts()) {
          boolean code = ParquetVectors.CODE.equals(column);
          excerpts.add(RowFactory.create(x.startSeconds(), code ? ParquetVectors.value(x.vector(), column) : null,
              code ? null : ParquetVectors.value(x.vector(), column), Double.isNaN(x.tempoBpm()) ? null : x.tempoBpm()));
        }
        return RowFactory.create(path, hash, size, mtime, f.durationSeconds(), seq(excerpts), null, false);
      } catch (AudioDecodeException e) {
        return RowFactory.create(path, hashOrNull(local), size, mtime, 0.0, seq(List.of()),
            e.getMessage().replace(String.valueOf(local), path), false);
      } catch (IOException | RuntimeException e) {
        return RowFactory.create(path, hashOrNull(local), size, mtime, 0.0, seq(List.of()),
            path + ": could not be read or analysed (" + e + ")", false);
      } finally {
        if (copied) {
          try {
            Files.deleteIfExists(local);
          } catch (IOException ignored) {
            // a temporary copy; the executor's temp folder is cleaned with it
          }
        }
      }
    }

    private static String hashOrNull(Path local) {
      try {
        return local != null && Files.isRegularFile(local) ? FileHash.sha256(local) : null;
      } catch (IOException e) {
        return null;
      }
    }

    /** A Scala sequence: what a Row holds for an array column. */
    static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
      return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }

    static List<Float> boxed(float[] v) {
      List<Float> out = new ArrayList<>(v.length);
      for (float x : v) {
        out.add(x);
      }
      return out;
    }
  }
}
